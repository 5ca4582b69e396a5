"""Nieuw sinds uw laatste bezoek: what changed in a project's follow-up since a panel member or
interviewer last opened its follow-up pages, in one short line each, and the next date to watch.

Opening the follow-up page of a project (or one of its recommendations or agreements) marks
everything up to then as seen. A change the user made themself is never new for them."""
from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..extensions import db
from ..models import Membership, Recommendation, Theme
from ..models.base import utcnow
from ..models.followup import Agreement, FollowUpChange
from ..models.process import FollowUpSeen
from ..upsert import insert_for_dialect
from ..vocabulary import AGREEMENT_STATUS_LABELS, VERDICT_LABELS
from .services import live_agreements, looked_back

# Who is told: the volunteers who read the follow-up. Staff make the changes.
TOLD_ROLES = ("panel", "interviewer")
# At most this many lines per project on the start page; the follow-up page has the rest.
MAX_LINES = 5


@dataclass
class NewLine:
    at: datetime
    title: str  # what happened, in a few words
    detail: str  # what it is about (the agreement, the advice, the milestone), in the user's words
    url: str


@dataclass
class ProjectNews:
    project: object
    lines: list[NewLine]
    more: int  # how many more changes there are than lines


def mark_seen(user, project_id: int) -> None:
    """Everything in this project's follow-up up to now is seen by this user. The caller commits."""
    now = utcnow()
    stmt = insert_for_dialect(FollowUpSeen).values(user_id=user.id, project_id=project_id, seen_at=now)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["user_id", "project_id"], set_={"seen_at": now}))


def _seen_at(user_id: int, project_id: int) -> datetime | None:
    return db.session.scalar(select(FollowUpSeen.seen_at).where(FollowUpSeen.user_id == user_id,
                                                                 FollowUpSeen.project_id == project_id))


def _new_changes(user, project_id: int) -> list[FollowUpChange]:
    """The changes to live recommendations of this project since the user last looked, made by
    someone else, the newest first."""
    query = (select(FollowUpChange).join(Recommendation, Recommendation.id == FollowUpChange.recommendation_id)
             .join(Theme, Theme.id == Recommendation.theme_id)
             .where(Theme.project_id == project_id, Theme.deleted_at.is_(None), Recommendation.deleted_at.is_(None),
                    or_(FollowUpChange.user_id.is_(None), FollowUpChange.user_id != user.id))
             .order_by(FollowUpChange.id.desc()))
    seen_at = _seen_at(user.id, project_id)
    if seen_at is not None:
        query = query.where(FollowUpChange.at > seen_at)
    return list(db.session.scalars(query))


def _title(change: FollowUpChange) -> str:
    after = change.after or {}
    if change.kind == "answer":
        if not change.before:
            return _("De gemeente heeft geantwoord: %(verdict)s", verdict=VERDICT_LABELS.get(after.get("verdict"), ""))
        return _("Het antwoord van de gemeente is veranderd.")
    if change.kind == "status" and "status" in after:
        return _("Een afspraak is nu: %(status)s", status=AGREEMENT_STATUS_LABELS.get(after["status"], ""))
    return {
        "agreement_add": _("Er is een nieuwe afspraak."),
        "agreement_change": _("Een afspraak is veranderd."),
        "status": _("Een afspraak is verder gekomen."),
        "milestone_add": _("Er is iets gebeurd."),
        "milestone_delete": _("Er is iets weggehaald bij een afspraak."),
        "agreement_delete": _("Een afspraak is weggehaald."),
        "evaluation": _("Het panel keek samen terug op een afspraak."),
    }.get(change.kind, _("Er is iets veranderd."))


def _line(change: FollowUpChange, project_id: int, agreements: dict[int, Agreement]) -> NewLine:
    agreement = agreements.get(change.agreement_id)
    recommendation = db.session.get(Recommendation, change.recommendation_id)
    if change.kind == "milestone_add":
        detail = change.after.get("text", "")
    elif agreement is not None:
        detail = agreement.what
    elif change.kind == "agreement_delete":
        detail = change.before.get("what", "")
    else:
        detail = recommendation.text
    if agreement is not None:
        url = url_for("followup.agreement", project_id=project_id, agreement_id=agreement.id)
    else:
        url = url_for("followup.recommendation", project_id=project_id, recommendation_id=recommendation.id)
    return NewLine(at=change.at, title=_title(change), detail=detail, url=url)


def news_for(user) -> list[ProjectNews]:
    """Per project where the user is a panel member or interviewer: what is new for them."""
    memberships = db.session.scalars(select(Membership).where(
        Membership.user_id == user.id, or_(Membership.is_panel, Membership.is_interviewer))).all()
    news = []
    for membership in sorted(memberships, key=lambda m: m.project.name):
        changes = _new_changes(user, membership.project_id)
        if not changes:
            continue
        ids = {c.agreement_id for c in changes[:MAX_LINES] if c.agreement_id is not None}
        agreements = ({a.id: a for a in db.session.scalars(select(Agreement).where(Agreement.id.in_(ids)))}
                      if ids else {})
        lines = [_line(change, membership.project_id, agreements) for change in changes[:MAX_LINES]]
        news.append(ProjectNews(project=membership.project, lines=lines, more=len(changes) - len(lines)))
    return news


@dataclass(frozen=True)
class NextDate:
    day: date
    kind: str  # "due": the agreement should be done; "evaluate": the panel looks back on it
    agreement: Agreement


def next_date(project_id: int, today: date) -> NextDate | None:
    """The nearest date from today on to watch: an agreement that is not done or stopped should be
    done, or the panel is to look back on an agreement (and has not yet for that date)."""
    due = db.session.scalars(
        live_agreements(project_id)
        .where(Agreement.status.not_in(("done", "stopped")), Agreement.due_on.is_not(None), Agreement.due_on >= today)
        .order_by(Agreement.due_on, Agreement.id).limit(1)).first()
    evaluate = next((agreement for agreement in db.session.scalars(
        live_agreements(project_id)
        .where(Agreement.evaluate_on.is_not(None), Agreement.evaluate_on >= today)
        .order_by(Agreement.evaluate_on, Agreement.id))
        if not looked_back(agreement)), None)
    dates = [NextDate(due.due_on, "due", due)] if due else []
    if evaluate:
        dates.append(NextDate(evaluate.evaluate_on, "evaluate", evaluate))
    return min(dates, key=lambda d: d.day) if dates else None
