"""The follow-up of the panel's recommendations: the municipality's answer, agreements, their
status and milestones. Every change writes a FollowUpChange (the history on the pages, "Wat is
er veranderd") and an entry in the logboek.

A change that replaces something (the answer, an agreement, its status) carries the version it
was based on and is refused when someone else changed it in between. Services flush, never
commit; the acting user is passed in explicitly.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..audit import record
from ..errors import Refused
from ..extensions import db
from ..models import Recommendation, Theme
from ..models.base import utcnow
from ..models.followup import (
    AGREEMENT_STATUSES,
    DEFAULT_PROGRESS,
    EVALUATION_SCORES,
    VERDICTS,
    Agreement,
    Evaluation,
    FollowUpChange,
    Milestone,
    RecommendationAnswer,
)

ANSWER_FIELDS = ("verdict", "organisation", "reasons", "answered_on")
AGREEMENT_FIELDS = ("what", "agreed_on", "organisation", "person", "due_on", "place", "evaluate_on")
EVALUATION_FIELDS = ("planned_on", "evaluated_on", "score", "what_changed", "still_to_do", "participants")
# The evaluation date the agreement form suggests: about six months after the agreement.
SUGGESTED_EVALUATION_AFTER = timedelta(days=182)
STATUS_FIELDS = ("status", "progress")


def changed_meanwhile() -> Refused:
    return Refused(_("Iemand anders heeft dit net veranderd. Kijk wat er nu staat en sla dan opnieuw op."))


def _plain(value):
    """A value as the history stores it in JSON: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def _snapshot(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields} if obj is not None else {}


def _log_change(recommendation_id: int, kind: str, *, by, before: dict, after: dict,
                agreement_id: int | None = None) -> FollowUpChange | None:
    """Keep the fields that changed (all of them for something new). Nothing changed: no entry."""
    if before and after:
        names = [name for name in after if before.get(name) != after.get(name)]
        before = {name: before.get(name) for name in names}
        after = {name: after[name] for name in names}
        if not names:
            return None
    change = FollowUpChange(recommendation_id=recommendation_id, agreement_id=agreement_id, user_id=by.id,
                            kind=kind, before=before, after=after, at=utcnow())
    db.session.add(change)
    return change


# ---------------------------------------------------------------------------------------------
# Reading

def live_recommendation(project_id: int, recommendation_id: int) -> Recommendation | None:
    """A recommendation of a live theme of this project that was not taken away; else None."""
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None or recommendation.deleted_at is not None:
        return None
    theme = recommendation.theme
    if theme.project_id != project_id or theme.deleted_at is not None:
        return None
    return recommendation


def live_agreements(project_id: int):
    """A query of the agreements of the project's live recommendations (add conditions to it)."""
    return (select(Agreement).join(Recommendation, Recommendation.id == Agreement.recommendation_id)
            .join(Theme, Theme.id == Recommendation.theme_id)
            .where(Theme.project_id == project_id, Theme.deleted_at.is_(None), Recommendation.deleted_at.is_(None)))


def project_agreement(project_id: int, agreement_id: int) -> Agreement | None:
    """An agreement of a live recommendation of this project; else None."""
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or live_recommendation(project_id, agreement.recommendation_id) is None:
        return None
    return agreement


def project_milestone(project_id: int, milestone_id: int) -> Milestone | None:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or project_agreement(project_id, milestone.agreement_id) is None:
        return None
    return milestone


def answer_of(recommendation_id: int) -> RecommendationAnswer | None:
    return db.session.scalars(select(RecommendationAnswer)
                              .where(RecommendationAnswer.recommendation_id == recommendation_id)).first()


def agreements_of(recommendation_id: int) -> list[Agreement]:
    return list(db.session.scalars(select(Agreement).where(Agreement.recommendation_id == recommendation_id)
                                   .order_by(Agreement.id)))


def history_of(recommendation_id: int) -> list[FollowUpChange]:
    """Every change to the follow-up of a recommendation, the newest first."""
    return list(db.session.scalars(select(FollowUpChange).where(FollowUpChange.recommendation_id == recommendation_id)
                                   .order_by(FollowUpChange.id.desc())))


@dataclass
class FollowUp:
    """One recommendation with what came of it."""

    recommendation: Recommendation
    answer: RecommendationAnswer | None
    agreements: list[Agreement] = field(default_factory=list)


def project_follow_up(project_id: int) -> list[FollowUp]:
    """Every recommendation of the project's live themes that was not taken away, with its answer
    and agreements, in the order of the themes and then of writing."""
    recommendations = list(db.session.scalars(
        select(Recommendation).join(Theme, Theme.id == Recommendation.theme_id)
        .where(Theme.project_id == project_id, Theme.deleted_at.is_(None), Recommendation.deleted_at.is_(None))
        .order_by(Theme.id, Recommendation.id)))
    ids = [r.id for r in recommendations]
    answers, agreements = {}, {}
    if ids:
        answers = {a.recommendation_id: a for a in db.session.scalars(
            select(RecommendationAnswer).where(RecommendationAnswer.recommendation_id.in_(ids)))}
        for agreement in db.session.scalars(select(Agreement).where(Agreement.recommendation_id.in_(ids))
                                            .order_by(Agreement.id)):
            agreements.setdefault(agreement.recommendation_id, []).append(agreement)
    return [FollowUp(r, answers.get(r.id), agreements.get(r.id, [])) for r in recommendations]


# ---------------------------------------------------------------------------------------------
# The municipality's answer

def save_answer(recommendation: Recommendation, *, verdict: str, organisation: str, reasons: str,
                answered_on: date, version: int, by) -> RecommendationAnswer:
    """Enter or change the answer. `version` is the one the form showed (0: there was none)."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict: {verdict}")
    project_id = recommendation.theme.project_id
    stored = answer_of(recommendation.id)
    values = {"verdict": verdict, "organisation": organisation.strip(), "reasons": (reasons or "").strip(),
              "answered_on": answered_on}
    if stored is None:
        if version:
            raise changed_meanwhile()  # the answer the form showed is gone
        answer = RecommendationAnswer(recommendation_id=recommendation.id, version=1, updated_by_id=by.id,
                                      updated_at=utcnow(), **values)
        try:
            with db.session.begin_nested():  # two first answers at once: the second is refused
                db.session.add(answer)
        except IntegrityError:
            raise changed_meanwhile() from None
        before = {}
    else:
        if stored.version != version:
            raise changed_meanwhile()
        before = _snapshot(stored, ANSWER_FIELDS)
        if before == {k: _plain(v) for k, v in values.items()}:
            return stored
        done = db.session.execute(
            update(RecommendationAnswer)
            .where(RecommendationAnswer.id == stored.id, RecommendationAnswer.version == version)
            .values(version=RecommendationAnswer.version + 1, updated_by_id=by.id, updated_at=utcnow(), **values)
            .returning(RecommendationAnswer.id)).first()
        if done is None:
            raise changed_meanwhile()
        db.session.refresh(stored)
        answer = stored
    _log_change(recommendation.id, "answer", by=by, before=before, after=_snapshot(answer, ANSWER_FIELDS))
    record("followup.answer_save", user=by, project_id=project_id, obj=recommendation, verdict=verdict,
           operation="create" if not before else "change")
    return answer


# ---------------------------------------------------------------------------------------------
# Agreements

def add_agreement(recommendation: Recommendation, *, what: str, agreed_on: date, organisation: str,
                  person: str = "", due_on: date | None = None, place: str = "", evaluate_on: date | None = None,
                  by) -> Agreement:
    agreement = Agreement(recommendation_id=recommendation.id, what=what.strip(), agreed_on=agreed_on,
                          organisation=organisation.strip(), person=(person or "").strip(), due_on=due_on,
                          place=(place or "").strip(), evaluate_on=evaluate_on,
                          status="not_started", progress=0, version=1, created_by_id=by.id)
    db.session.add(agreement)
    db.session.flush()
    _log_change(recommendation.id, "agreement_add", by=by, before={}, agreement_id=agreement.id,
                after=_snapshot(agreement, AGREEMENT_FIELDS + STATUS_FIELDS))
    record("followup.agreement_add", user=by, project_id=recommendation.theme.project_id, obj=agreement,
           operation="create")
    return agreement


def _update_agreement(agreement: Agreement, values: dict, *, version: int, kind: str, fields, by) -> Agreement:
    if agreement.version != version:
        raise changed_meanwhile()
    before = _snapshot(agreement, fields)
    if before == {k: _plain(v) for k, v in values.items()}:
        return agreement
    done = db.session.execute(
        update(Agreement).where(Agreement.id == agreement.id, Agreement.version == version)
        .values(version=Agreement.version + 1, updated_at=utcnow(), **values).returning(Agreement.id)).first()
    if done is None:
        raise changed_meanwhile()
    db.session.refresh(agreement)
    _log_change(agreement.recommendation_id, kind, by=by, before=before, after=_snapshot(agreement, fields),
                agreement_id=agreement.id)
    action = "followup.agreement_status" if kind == "status" else "followup.agreement_change"
    record(action, user=by, project_id=agreement.recommendation.theme.project_id, obj=agreement)
    return agreement


def change_agreement(agreement: Agreement, *, what: str, agreed_on: date, organisation: str, person: str,
                     due_on: date | None, place: str, version: int, by, evaluate_on: date | None = None) -> Agreement:
    values = {"what": what.strip(), "agreed_on": agreed_on, "organisation": organisation.strip(),
              "person": (person or "").strip(), "due_on": due_on, "place": (place or "").strip(),
              "evaluate_on": evaluate_on}
    return _update_agreement(agreement, values, version=version, kind="agreement_change", fields=AGREEMENT_FIELDS,
                             by=by)


def progress_for(status: str, typed: int | None, current: int) -> int:
    """The progress to store: what staff typed, else the status's default; a stopped agreement
    keeps the progress it had."""
    if typed is not None:
        return typed
    default = DEFAULT_PROGRESS[status]
    return current if default is None else default


def set_status(agreement: Agreement, *, status: str, progress: int | None, version: int, by) -> Agreement:
    if status not in AGREEMENT_STATUSES:
        raise ValueError(f"unknown status: {status}")
    values = {"status": status, "progress": progress_for(status, progress, agreement.progress)}
    return _update_agreement(agreement, values, version=version, kind="status", fields=STATUS_FIELDS, by=by)


def delete_agreement(agreement: Agreement, *, version: int, by) -> None:
    """Take an agreement made by mistake away, with its milestones. The history keeps what it
    said (its entries stay, no longer pointing at it)."""
    if agreement.version != version:
        raise changed_meanwhile()
    before = _snapshot(agreement, AGREEMENT_FIELDS + STATUS_FIELDS)
    before["milestones"] = len(agreement.milestones)
    _log_change(agreement.recommendation_id, "agreement_delete", by=by, before=before, after={})
    record("followup.agreement_delete", user=by, project_id=agreement.recommendation.theme.project_id,
           obj=agreement)
    db.session.delete(agreement)
    db.session.flush()


# ---------------------------------------------------------------------------------------------
# Milestones

def add_milestone(agreement: Agreement, *, happened_on: date, text: str, by) -> Milestone:
    milestone = Milestone(agreement_id=agreement.id, happened_on=happened_on, text=text.strip(), created_by_id=by.id)
    db.session.add(milestone)
    db.session.flush()
    db.session.expire(agreement, ["milestones"])
    _log_change(agreement.recommendation_id, "milestone_add", by=by, before={}, agreement_id=agreement.id,
                after={"happened_on": happened_on.isoformat(), "text": milestone.text})
    record("followup.milestone_add", user=by, project_id=agreement.recommendation.theme.project_id, obj=milestone,
           operation="create")
    return milestone


def delete_milestone(milestone: Milestone, *, by) -> None:
    agreement = milestone.agreement
    _log_change(agreement.recommendation_id, "milestone_delete", by=by, agreement_id=agreement.id, after={},
                before={"happened_on": milestone.happened_on.isoformat(), "text": milestone.text})
    record("followup.milestone_delete", user=by, project_id=agreement.recommendation.theme.project_id,
           obj=milestone)
    db.session.delete(milestone)
    db.session.flush()
    db.session.expire(agreement, ["milestones"])


# ---------------------------------------------------------------------------------------------
# Evaluations: the panel looks back together on an agreement

def looked_back(agreement: Agreement) -> bool:
    """The panel saved an evaluation for the agreement's current evaluation date."""
    return any(e.planned_on == agreement.evaluate_on for e in agreement.evaluations)


def evaluation_due(agreement: Agreement, today: date) -> bool:
    """From its evaluation date on, until an evaluation for that date is saved."""
    if agreement.evaluate_on is None or agreement.evaluate_on > today:
        return False
    return not looked_back(agreement)


def due_evaluations(project_id: int, today: date) -> list[Agreement]:
    """The agreements of the project's live recommendations the panel should look back on now,
    the oldest evaluation date first."""
    agreements = db.session.scalars(
        live_agreements(project_id).where(Agreement.evaluate_on.is_not(None), Agreement.evaluate_on <= today)
        .order_by(Agreement.evaluate_on, Agreement.id))
    return [agreement for agreement in agreements if evaluation_due(agreement, today)]


def add_evaluation(agreement: Agreement, *, evaluated_on: date, score: int, what_changed: str, still_to_do: str,
                   participants: int, version: int, by) -> Evaluation:
    """Keep the panel's judgement. `version` is the agreement's version the form showed: when the
    agreement (or its evaluation date) changed meanwhile, or someone saved an evaluation just
    before, the evaluation is refused so the panel sees what is there now."""
    if score not in EVALUATION_SCORES:
        raise ValueError(f"unknown score: {score}")
    done = db.session.execute(
        update(Agreement).where(Agreement.id == agreement.id, Agreement.version == version)
        .values(version=Agreement.version + 1, updated_at=utcnow()).returning(Agreement.id)).first()
    if done is None:
        raise changed_meanwhile()
    db.session.refresh(agreement)
    evaluation = Evaluation(agreement_id=agreement.id, planned_on=agreement.evaluate_on, evaluated_on=evaluated_on,
                            score=score, what_changed=what_changed.strip(), still_to_do=(still_to_do or "").strip(),
                            participants=participants, created_by_id=by.id)
    db.session.add(evaluation)
    db.session.flush()
    db.session.expire(agreement, ["evaluations"])
    _log_change(agreement.recommendation_id, "evaluation", by=by, before={}, agreement_id=agreement.id,
                after=_snapshot(evaluation, EVALUATION_FIELDS))
    record("followup.evaluation_add", user=by, project_id=agreement.recommendation.theme.project_id,
           obj=evaluation, operation="create", score=score)
    return evaluation


# ---------------------------------------------------------------------------------------------
# The story of one recommendation: what happened since, in date order

@dataclass
class StoryEvent:
    day: date
    kind: str  # "answer", "agreement", "milestone" or "evaluation"
    text: str
    agreement: Agreement | None = None
    evaluation: Evaluation | None = None


def story_events(recommendation: Recommendation) -> list[StoryEvent]:
    """The answer, each agreement made, each milestone and each evaluation, the oldest first (on
    one day: the answer, then agreements, milestones, evaluations, each in the order written)."""
    events = []
    answer = answer_of(recommendation.id)
    if answer is not None:
        events.append((answer.answered_on, 0, 0, StoryEvent(answer.answered_on, "answer", answer.verdict)))
    for agreement in agreements_of(recommendation.id):
        events.append((agreement.agreed_on, 1, agreement.id,
                       StoryEvent(agreement.agreed_on, "agreement", agreement.what, agreement)))
        for milestone in agreement.milestones:
            events.append((milestone.happened_on, 2, milestone.id,
                           StoryEvent(milestone.happened_on, "milestone", milestone.text, agreement)))
        for evaluation in agreement.evaluations:
            events.append((evaluation.evaluated_on, 3, evaluation.id,
                           StoryEvent(evaluation.evaluated_on, "evaluation", evaluation.what_changed, agreement,
                                      evaluation)))
    return [event for *_key, event in sorted(events, key=lambda item: item[:3])]
