"""Co-design services: duplicate, delete with undo, proposals with comments and votes,
and the facilitator's order. Services flush; the view commits. The history of each change is
kept by design/builder/history.py."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...audit import record
from ...errors import Refused
from ...extensions import db
from ...models import (
    Choice,
    Condition,
    Proposal,
    ProposalComment,
    ProposalVote,
    Question,
    QuestionChange,
)
from ...models.base import utcnow
from ...plainlanguage import check
from ...upsert import insert_for_dialect
from ..builder.history import NOT_COPIED, next_free_key, recorded_as
from ..builder.services import add_question, delete_question, update_question

# Kinds whose answers the person proposing writes (one per line); other kinds bring their own.
WRITTEN_CHOICE_KINDS = ("single", "multi")


class NotOpenError(Exception):
    """A proposal that was already adopted or rejected cannot change any more."""


def _project_id(question: Question) -> int:
    return question.version.questionnaire.project_id


def _renumber(version) -> None:
    version.questions.sort(key=lambda q: q.position)
    for position, question in enumerate(version.questions, 1):
        question.position = position


# ---------------------------------------------------------------------------------------------
# Duplicate, delete with undo, restore

def duplicate_question(question: Question, *, by) -> Question:
    """A copy right after `question`, with a new stable key, the same choices and conditions
    (they point at earlier questions, so they still point backward from the copy)."""
    version = question.version
    if version.is_frozen:
        raise Refused(_l("Deze versie is vastgezet. Maak eerst een nieuwe versie."))
    fields = {name: value for name, value in _fields(question).items() if name not in ("key", "position")}
    copy = Question(**fields)
    copy.key = next_free_key(version.questionnaire)
    if hasattr(copy, "section_title"):
        copy.section_title = ""  # the copy continues the original's section
    copy.choices = [Choice(**_fields(choice, {"id", "question_id"})) for choice in question.choices]
    copy.history_origin = {"action": "duplicated",
                           "details": [{"what": "copied_from", "before": question.key, "after": copy.key}]}
    for later in version.questions:
        if later.position > question.position:
            later.position += 1
    copy.position = question.position + 1
    version.questions.append(copy)
    for condition in question.conditions:
        db.session.add(Condition(question=copy, source=condition.source, values=list(condition.values)))
    db.session.flush()
    _renumber(version)
    db.session.flush()
    record("question.duplicate", user=by, project_id=_project_id(question), obj=copy,
           key=copy.key, source=question.key)
    return copy


def _fields(obj, skip=NOT_COPIED) -> dict:
    from sqlalchemy import inspect

    return {attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs if attr.key not in skip}


def delete_with_undo(question: Question, *, by) -> QuestionChange:
    """Delete a draft question (the builder's own rules apply) and return the history entry
    that keeps everything needed to undo it."""
    questionnaire_id = question.version.questionnaire_id
    key = question.key
    delete_question(question, by=by)
    db.session.flush()
    return db.session.scalars(
        select(QuestionChange)
        .where(QuestionChange.questionnaire_id == questionnaire_id, QuestionChange.question_key == key,
               QuestionChange.action == "deleted")
        .order_by(QuestionChange.id.desc()).limit(1)
    ).one()


def restorable(change: QuestionChange, draft) -> bool:
    """A deletion can be undone while the draft has no question with that key."""
    return (change is not None and change.action == "deleted" and change.snapshot is not None
            and draft is not None and draft.questionnaire_id == change.questionnaire_id
            and all(q.key != change.question_key for q in draft.questions)
            and latest_change(change.questionnaire_id, change.question_key) == change)


def deleted_questions(draft) -> list[QuestionChange]:
    """The deletions that can still be undone in this draft, newest first."""
    if draft is None:
        return []
    in_draft = {q.key for q in draft.questions}
    latest = {}
    for change in db.session.scalars(
        select(QuestionChange).where(QuestionChange.questionnaire_id == draft.questionnaire_id)
        .order_by(QuestionChange.id)
    ):
        latest[change.question_key] = change
    return sorted((change for key, change in latest.items()
                   if key not in in_draft and change.action == "deleted" and change.snapshot is not None),
                  key=lambda change: change.id, reverse=True)


def latest_change(questionnaire_id: int, key: str) -> QuestionChange | None:
    return db.session.scalars(
        select(QuestionChange)
        .where(QuestionChange.questionnaire_id == questionnaire_id, QuestionChange.question_key == key)
        .order_by(QuestionChange.id.desc()).limit(1)
    ).first()


def restore_question(change: QuestionChange, draft, *, by) -> tuple[Question, list[str]]:
    """Put a deleted question back into the draft: same key, position, fields, choices and
    conditions. Returns the question and the keys of conditions that could not come back
    (their earlier question is gone, or no longer earlier)."""
    if not restorable(change, draft):
        raise Refused(_l("Deze vraag kan niet meer terug. Misschien staat hij er al weer."))
    snapshot = change.snapshot
    model_columns = set(_fields(Question(), {"id", "version_id"}))
    fields = {name: value for name, value in snapshot["question"].items() if name in model_columns}
    position = min(max(int(fields.pop("position", 1) or 1), 1), len(draft.questions) + 1)
    question = Question(**fields)
    question.position = position
    choice_columns = set(_fields(Choice(), {"id", "question_id"}))
    question.choices = [Choice(**{name: value for name, value in choice.items() if name in choice_columns})
                        for choice in snapshot.get("choices", [])]
    question.history_origin = {"action": "restored", "details": [{"what": "position", "before": None,
                                                                   "after": position}]}
    for later in draft.questions:
        if later.position >= position:
            later.position += 1
    draft.questions.append(question)
    by_key = {q.key: q for q in draft.questions}
    skipped = []
    for condition in snapshot.get("conditions", []):
        source = by_key.get(condition["source_key"])
        values = [str(v) for v in condition["values"]]
        if (source is None or source is question or source.position >= position
                or not set(values) <= {c.value for c in source.choices}):
            skipped.append(condition["source_key"])
            continue
        db.session.add(Condition(question=question, source=source, values=values))
    db.session.flush()
    _renumber(draft)
    db.session.flush()
    record("question.restore", user=by, project_id=_project_id(question), obj=question, key=question.key)
    return question, skipped


def history_of(questionnaire_id: int, key: str) -> list[QuestionChange]:
    return list(db.session.scalars(
        select(QuestionChange)
        .where(QuestionChange.questionnaire_id == questionnaire_id, QuestionChange.question_key == key)
        .order_by(QuestionChange.at.desc(), QuestionChange.id.desc())
    ))


# ---------------------------------------------------------------------------------------------
# Proposals

def create_proposal(project, *, kind: str, text: str, by, question: Question | None = None,
                    question_kind: str = "open", choice_labels=None, explanation: str = "") -> Proposal:
    if kind not in ("new", "rewording"):
        raise ValueError(kind)
    proposal = Proposal(project_id=project.id, kind=kind, text=text.strip(), explanation=(explanation or "").strip(),
                        created_by_id=by.id, status="open")
    if kind == "rewording":
        proposal.question_key = question.key
        proposal.question_kind = question.kind
        proposal.old_text = question.text
        proposal.choices = []
    else:
        proposal.question_kind = question_kind
        proposal.choices = list(choice_labels or []) if question_kind in WRITTEN_CHOICE_KINDS else []
    db.session.add(proposal)
    db.session.flush()
    record("proposal.create", user=by, project_id=project.id, obj=proposal, kind=kind,
           key=proposal.question_key)
    return proposal


def _require_open(proposal: Proposal) -> None:
    if proposal.status != "open":
        raise NotOpenError(proposal.id)


def add_comment(proposal: Proposal, text: str, *, by) -> ProposalComment:
    comment = ProposalComment(proposal=proposal, user_id=by.id, text=text.strip())
    db.session.add(comment)
    db.session.flush()
    record("proposal.comment", user=by, project_id=proposal.project_id, obj=proposal)
    return comment


def cast_vote(proposal: Proposal, in_favour: bool, *, by) -> None:
    """One vote per person: voting again changes the vote (an upsert, never check-then-insert)."""
    _require_open(proposal)
    now = utcnow()
    statement = insert_for_dialect(ProposalVote).values(
        proposal_id=proposal.id, user_id=by.id, in_favour=bool(in_favour), at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["proposal_id", "user_id"], set_={"in_favour": bool(in_favour), "at": now})
    db.session.execute(statement)
    db.session.expire(proposal, ["votes"])
    record("proposal.vote", user=by, project_id=proposal.project_id, obj=proposal,
           vote="for" if in_favour else "against")


def adopt_proposal(proposal: Proposal, draft, *, by) -> Question:
    """Into the draft: a new question is added at the end; a rewording changes the words of the
    draft question with that key. Both are kept in the question's history as "adopted"."""
    _require_open(proposal)
    if draft is None:
        raise Refused(_l("De vragenlijst is vastgezet. Maak eerst een nieuwe versie."))
    with recorded_as("adopted", proposal):
        if proposal.kind == "new":
            question = add_question(
                draft, kind=proposal.question_kind, text=proposal.text,
                choice_labels=list(proposal.choices) if proposal.question_kind in WRITTEN_CHOICE_KINDS else None,
                by=by,
            )
            proposal.question_key = question.key
        else:
            question = next((q for q in draft.questions if q.key == proposal.question_key), None)
            if question is None:
                raise Refused(_l("Deze vraag staat niet meer in de vragenlijst."))
            update_question(question, text=proposal.text, by=by)
    proposal.status = "adopted"
    proposal.decided_by_id = by.id
    proposal.decided_at = utcnow()
    db.session.flush()
    record("proposal.adopt", user=by, project_id=proposal.project_id, obj=proposal, key=question.key)
    return question


def reject_proposal(proposal: Proposal, reason: str, *, by) -> None:
    _require_open(proposal)
    proposal.status = "rejected"
    proposal.decision_reason = reason.strip()
    proposal.decided_by_id = by.id
    proposal.decided_at = utcnow()
    db.session.flush()
    record("proposal.reject", user=by, project_id=proposal.project_id, obj=proposal)


def proposals_of(project_id: int, status: str | None = None) -> list[Proposal]:
    query = select(Proposal).where(Proposal.project_id == project_id)
    if status:
        query = query.where(Proposal.status == status)
    return list(db.session.scalars(query.order_by(Proposal.created_at.desc(), Proposal.id.desc())))


# ---------------------------------------------------------------------------------------------
# The facilitator's view

ORDERS = ("discussion", "b1")


def facilitator_items(project_id: int, version, order: str = "discussion") -> list[dict]:
    """The questions of `version` and the open proposals for new questions, each with how much
    was discussed (comments plus votes on its proposals) and its B1 report; most discussed
    first, or the weakest B1 score first."""
    proposals = proposals_of(project_id)
    by_key: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        if proposal.kind == "rewording" and proposal.question_key:
            by_key.setdefault(proposal.question_key, []).append(proposal)
    items = []
    for question in version.questions if version is not None else []:
        related = by_key.get(question.key, [])
        items.append({
            "question": question, "proposal": None, "text": question.text, "report": check(question.text),
            "discussion": sum(p.discussion for p in related),
            "open_proposals": [p for p in related if p.status == "open"],
        })
    for proposal in proposals:
        if proposal.kind == "new" and proposal.status == "open":
            items.append({"question": None, "proposal": proposal, "text": proposal.text,
                          "report": check(proposal.text), "discussion": proposal.discussion,
                          "open_proposals": []})

    def weakest(item):
        # The lowest reading score first; on a tie the text with more advice is the weaker one.
        score = item["report"].score
        return (score if score is not None else float("inf"), -len(item["report"].flags))

    if order == "b1":
        items.sort(key=lambda item: (*weakest(item), -item["discussion"]))
    else:
        items.sort(key=lambda item: (-item["discussion"], *weakest(item)))
    return items
