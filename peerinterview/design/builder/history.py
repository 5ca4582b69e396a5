"""The per-question history: every change to a draft question is kept as a
QuestionChange (who, when, what: before → after), by the question's stable key.

It is recorded by one SQLAlchemy `before_flush` listener, so that every way of changing a
question (the builder's service functions, imports, duplicates, undo, adopted proposals) is kept
without each function having to remember it. The listener reads the attribute history of
Question, Choice and Condition objects; the acting user is flask_login's current user.

- A question made together with a new version (a new draft copied from a frozen one, an import
  into a new version) is not a change: it is not recorded.
- Positions that shift because a question was added or removed in the same flush are not
  recorded as moves; a swap of two questions (move up / down) is.
- A deleted question keeps a snapshot (all fields, choices and conditions) so that undo can put
  it back exactly.
- A key once used in a questionnaire should never be given to another question (next_free_key
  also looks at the history), so that history and undo stay right.

Code that knows better why something changed says so with `recorded_as("adopted", proposal)`
around its change, or sets `question.history_origin` on a new question.
"""
import re
from contextlib import contextmanager
from datetime import date, datetime

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import Choice, Condition, Question, QuestionChange, QuestionnaireVersion
from ...models.base import utcnow

CONTEXT_KEY = "question_history_context"
SKIP_KEY = "question_history_skip"
ENTRIES_KEY = "question_history_entries"
CREATED_KEY = "question_history_created"
# Question columns that are part of the history (the key and position are handled apart).
NOT_TRACKED = {"id", "version_id", "key", "position"}
NOT_COPIED = {"id", "version_id"}


# ---------------------------------------------------------------------------------------------
# Helpers that other code uses

@contextmanager
def recorded_as(action: str, proposal=None):
    """Record the changes made inside this block as `action` (e.g. "adopted" from a proposal)."""
    session = db.session()
    session.flush()  # earlier changes keep their own action
    session.info[CONTEXT_KEY] = {"action": action, "proposal_id": getattr(proposal, "id", None)}
    try:
        yield
        session.flush()
    finally:
        session.info.pop(CONTEXT_KEY, None)


def plain(value):
    """A value as JSON can keep it."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(name): plain(item) for name, item in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def column_values(obj, skip) -> dict:
    mapper = inspect(type(obj))
    return {attr.key: plain(getattr(obj, attr.key)) for attr in mapper.column_attrs if attr.key not in skip}


def condition_words(condition: Condition, values=None) -> dict:
    """A condition as the history shows it: the earlier question and the chosen answers."""
    source = condition.source
    values = [str(value) for value in (condition.values if values is None else values)]
    return {
        "source_key": source.key if source is not None else None,
        "source_text": source.text if source is not None else "",
        "values": values,
        "labels": [(source.choice_label(value) if source is not None else None) or value for value in values],
    }


def snapshot_of(question: Question, position: int | None = None) -> dict:
    """Everything needed to put a deleted question back exactly."""
    fields = column_values(question, NOT_COPIED)
    if position is not None:
        fields["position"] = position
    return {
        "question": fields,
        "choices": [column_values(choice, {"id", "question_id"}) for choice in question.choices],
        "conditions": [
            {"source_key": condition.source.key, "values": [str(v) for v in condition.values]}
            for condition in question.conditions if condition.source is not None
        ],
    }


def used_keys(questionnaire_id: int) -> set[str]:
    """Keys of questions that were ever in this questionnaire (also deleted ones)."""
    return set(db.session.scalars(
        select(QuestionChange.question_key).where(QuestionChange.questionnaire_id == questionnaire_id)
    ))


def next_free_key(questionnaire) -> str:
    """A key never used before in this questionnaire: q<n>, one higher than any q-number seen."""
    keys = {q.key for version in questionnaire.versions for q in version.questions}
    keys |= used_keys(questionnaire.id)
    numbers = [int(m.group(1)) for key in keys if (m := re.fullmatch(r"q(\d+)", key or ""))]
    return f"q{max(numbers, default=0) + 1}"


# ---------------------------------------------------------------------------------------------
# The listener

def _old(obj, name):
    """The value of attribute `name` before the changes of this flush."""
    history = inspect(obj).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return getattr(obj, name)


def _changed(obj, name) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.added or history.deleted) and _old(obj, name) != getattr(obj, name)


def _acting_user_id():
    if not has_request_context():
        return None
    user = current_user._get_current_object()
    return user.id if getattr(user, "is_authenticated", False) else None


def _removed_from_version(question: Question, session):
    """The version a question was just taken out of (delete-orphan), or None."""
    if question.version is not None:
        return None
    history = inspect(question).attrs.version.history
    if history.deleted and history.deleted[0] is not None:
        return history.deleted[0]
    if question.version_id is not None:
        return session.get(QuestionnaireVersion, question.version_id)
    return None


def _version_of(question: Question, session):
    """The question's version, also when only version_id was set."""
    if question.version is not None:
        return question.version
    if question.version_id is not None:
        return session.get(QuestionnaireVersion, question.version_id)
    return None


def _in_new_version(question: Question, session, skip, new) -> bool:
    version = _version_of(question, session)
    return question in skip or (version is not None and version in new)


def _choice_items(question: Question) -> list[dict]:
    history = inspect(question).attrs.choices.history
    before_objs = list(history.unchanged) + list(history.deleted)
    after_objs = list(question.choices)
    if not before_objs and not after_objs:
        return []
    before = sorted(before_objs, key=lambda c: (_old(c, "position") or 0))
    after = sorted(after_objs, key=lambda c: (c.position or 0))
    items = []
    before_labels = [_old(c, "label") for c in before]
    after_labels = [c.label for c in after]
    if before_labels != after_labels:
        items.append({"what": "choices", "before": before_labels, "after": after_labels})
    else:
        before_tr = [plain(_old(c, "translations") or {}) for c in before]
        after_tr = [plain(c.translations or {}) for c in after]
        if before_tr != after_tr:
            items.append({"what": "choice_translations", "before": before_tr, "after": after_tr})
    return items


def _field_items(question: Question) -> list[dict]:
    items = []
    for attr in inspect(Question).column_attrs:
        name = attr.key
        if name in NOT_TRACKED:
            continue
        if _changed(question, name):
            items.append({"what": name, "before": plain(_old(question, name)), "after": plain(getattr(question, name))})
    return items


def _entry(question_key, version, *, action, details, user_id, context, snapshot=None) -> QuestionChange:
    return QuestionChange(
        questionnaire_id=version.questionnaire_id, question_key=question_key, version_number=version.number,
        at=utcnow(), user_id=user_id, action=action, details=details, snapshot=snapshot,
        proposal_id=(context or {}).get("proposal_id"),
    )


@event.listens_for(Session, "before_flush")
def record_question_changes(session, flush_context, instances):
    new, dirty, gone = session.new, session.dirty, session.deleted  # each is computed on access
    touched = [obj for obj in (*new, *dirty, *gone) if isinstance(obj, (Question, Choice, Condition))]
    if not touched:
        return
    skip = session.info.setdefault(SKIP_KEY, set())
    context = session.info.get(CONTEXT_KEY)
    user_id = _acting_user_id()
    entries = []

    # Questions that came with a new version are no change: remember them for later flushes too.
    for obj in new:
        if isinstance(obj, Question) and _in_new_version(obj, session, skip, new):
            skip.add(obj)

    deleted: dict[Question, QuestionnaireVersion] = {}
    for obj in touched:
        if not isinstance(obj, Question) or obj in skip:
            continue
        if obj in gone:
            version = obj.version or _removed_from_version(obj, session)
            if version is not None and version not in gone:
                deleted[obj] = version
        elif obj in dirty and (version := _removed_from_version(obj, session)) is not None:
            deleted[obj] = version
    created = [obj for obj in new if isinstance(obj, Question) and obj not in skip]
    structural = {v.id for v in deleted.values()} | {v.id for q in created if (v := _version_of(q, session)) is not None}

    for question, version in deleted.items():
        position = _old(question, "position")
        entries.append(_entry(
            question.key, version, action="deleted", user_id=user_id, context=context,
            details=[{"what": "position", "before": position, "after": None},
                     {"what": "text", "before": question.text, "after": None}],
            snapshot=snapshot_of(question, position),
        ))

    for question in created:
        version = _version_of(question, session)
        if version is None:
            continue
        origin = getattr(question, "history_origin", None) or {}
        action = origin.get("action") or (context or {}).get("action") or "created"
        details = list(origin.get("details", [])) + [{"what": "text", "before": None, "after": question.text}]
        entry = _entry(question.key, version, action=action, details=details, user_id=user_id,
                       context={**(context or {}), **origin})
        session.info.setdefault(CREATED_KEY, {})[question] = entry
        entries.append(entry)

    # Changes to existing questions: fields, choices, conditions, position.
    items: dict[Question, list] = {}

    def add(question, new_items):
        if question is None or question in skip or question in deleted or question in created:
            return
        if question.version is None or question.version.is_frozen:
            return
        if new_items:
            items.setdefault(question, []).extend(new_items)

    for obj in touched:
        if isinstance(obj, Question) and obj in dirty and obj not in deleted:
            add(obj, _field_items(obj))
            if _changed(obj, "position") and obj.version_id not in structural:
                add(obj, [{"what": "position", "before": _old(obj, "position"), "after": obj.position}])
    choice_questions = set()
    for obj in touched:
        if isinstance(obj, Choice):
            question = obj.question if obj.question is not None else _old(obj, "question")
            if question is not None:
                choice_questions.add(question)
        elif isinstance(obj, Question) and obj in dirty:
            history = inspect(obj).attrs.choices.history
            if history.added or history.deleted:
                choice_questions.add(obj)
    for question in choice_questions:
        if question in dirty or question in new or question.choices:
            add(question, _choice_items(question))

    seen_conditions = set()
    for obj in touched:
        if isinstance(obj, Condition):
            seen_conditions.add(obj)
            if obj in new:
                add(obj.question, [{"what": "condition_added", "before": None, "after": condition_words(obj)}])
            elif obj in gone:
                question = obj.question or _old(obj, "question")
                add(question, [{"what": "condition_removed", "before": condition_words(obj), "after": None}])
            elif obj.question is None and _old(obj, "question") is not None:
                add(_old(obj, "question"),
                    [{"what": "condition_removed", "before": condition_words(obj), "after": None}])
            elif _changed(obj, "values"):
                add(obj.question, [{"what": "condition_changed",
                                    "before": condition_words(obj, _old(obj, "values")),
                                    "after": condition_words(obj)}])
    for obj in touched:
        if isinstance(obj, Question) and obj in dirty and obj not in deleted:
            for condition in inspect(obj).attrs.conditions.history.deleted:
                if condition not in seen_conditions:
                    seen_conditions.add(condition)
                    add(obj, [{"what": "condition_removed", "before": condition_words(condition), "after": None}])

    # One request, one entry per question: several flushes of the same change are merged.
    earlier = session.info.setdefault(ENTRIES_KEY, {})
    for question, question_items in items.items():
        only_moved = all(item["what"] == "position" for item in question_items)
        action = (context or {}).get("action") or ("moved" if only_moved else "changed")
        entry = session.info.get(CREATED_KEY, {}).get(question)
        if entry is not None:
            # Made in this same request (e.g. its conditions came back with an undo): part of it.
            entry.details = entry.details + [item for item in question_items if item["what"] != "position"]
            continue
        entry = earlier.get(question)
        if entry is not None and entry.user_id == user_id and entry.action in (action, "moved", "changed") \
                and (entry.proposal_id == (context or {}).get("proposal_id")):
            entry.action = action if action != "moved" else entry.action
            entry.details = _merged(entry.details, question_items)
            continue
        entry = _entry(question.key, question.version, action=action, details=question_items,
                       user_id=user_id, context=context)
        earlier[question] = entry
        entries.append(entry)

    for entry in entries:
        session.add(entry)


def _merged(details: list, new_items: list) -> list:
    """Items of two flushes of one change: a field changed twice keeps its first 'before'."""
    merged = [dict(item) for item in details]
    for item in new_items:
        same = next((old for old in merged if old["what"] == item["what"]
                     and not old["what"].startswith("condition")), None)
        if same is None:
            merged.append(item)
        else:
            same["after"] = item["after"]
    return [item for item in merged if item["what"].startswith("condition") or item["before"] != item["after"]]


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_this_transaction(session, *args):
    session.info.pop(SKIP_KEY, None)
    session.info.pop(ENTRIES_KEY, None)
    session.info.pop(CREATED_KEY, None)
