"""Questionnaire drafts and frozen versions. Services flush; the view commits."""
import re

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..extensions import db
from ..models import Choice, Condition, Question, Questionnaire, QuestionnaireVersion
from ..models.base import utcnow

# Fixed words for the 5-point scale; value 1 is the worst, 5 the best. These are questionnaire
# content in the questionnaire's language (Dutch), not UI text, so they are not translated here.
SCALE5_LABELS = ("Heel slecht", "Slecht", "Niet goed, niet slecht", "Goed", "Heel goed")


VALUES_MESSAGE = _l("Kies een of meer antwoorden van die vraag.")


class FrozenVersionError(Exception):
    """A frozen version never changes: interviews point to it."""


def questionnaire_of(project) -> Questionnaire:
    questionnaire = db.session.query(Questionnaire).filter_by(project_id=project.id).one_or_none()
    if questionnaire is None:
        questionnaire = Questionnaire(project_id=project.id)
        questionnaire.versions.append(QuestionnaireVersion(number=1))
        db.session.add(questionnaire)
        db.session.flush()
    return questionnaire


def _next_key(questionnaire: Questionnaire) -> str:
    numbers = [
        int(m.group(1))
        for version in questionnaire.versions
        for question in version.questions
        if (m := re.fullmatch(r"q(\d+)", question.key))
    ]
    return f"q{max(numbers, default=0) + 1}"


def _require_draft(version: QuestionnaireVersion) -> None:
    if version.is_frozen:
        raise FrozenVersionError(version.id)


def add_question(version: QuestionnaireVersion, *, kind: str, text: str, help_text: str = "",
                 required: bool = False, choice_labels: list[str] | None = None, follow_up: bool = False,
                 allow_dont_know: bool = True, allow_refuse: bool = True, by=None) -> Question:
    _require_draft(version)
    question = Question(
        key=_next_key(version.questionnaire), position=len(version.questions) + 1, kind=kind,
        text=text.strip(), help_text=(help_text or "").strip(), required=required,
        follow_up=bool(follow_up) and kind in ("single", "scale5"),
        allow_dont_know=allow_dont_know, allow_refuse=allow_refuse,
    )
    if kind == "single":
        labels = choice_labels or []
        question.choices = [Choice(position=i, value=str(i), label=label) for i, label in enumerate(labels, 1)]
    elif kind == "scale5":
        question.choices = [Choice(position=i, value=str(i), label=label) for i, label in enumerate(SCALE5_LABELS, 1)]
    version.questions.append(question)
    db.session.flush()
    record("question.create", user=by, project_id=version.questionnaire.project_id, obj=question, key=question.key)
    return question


EDITABLE_FIELDS = ("text", "help_text", "required", "follow_up", "allow_dont_know", "allow_refuse")


def update_question(question: Question, *, by=None, choice_labels: list[str] | None = None, **changes) -> dict:
    """Change the texts and options of a draft question (and the answers of a single-choice
    question). Returns {field: [old, new]} of what changed, as the audit log keeps it.

    Answers keep their stored value when their words stay the same, or when only the words at the
    same place changed (a typo fixed), so show-if conditions keep pointing at the right answer.
    An answer that a condition uses cannot be removed: ValueError with a B1 message.
    """
    _require_draft(question.version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "text" in changes:
        changes["text"] = changes["text"].strip()
    if "help_text" in changes:
        changes["help_text"] = (changes["help_text"] or "").strip()
    if "follow_up" in changes:
        changes["follow_up"] = bool(changes["follow_up"]) and question.has_choices
    changed = {}
    for name, value in changes.items():
        if getattr(question, name) != value:
            changed[name] = [getattr(question, name), value]
            setattr(question, name, value)
    if question.kind == "single" and choice_labels is not None:
        old_labels = [c.label for c in question.choices]
        if _replace_choices(question, choice_labels):
            changed["choices"] = [old_labels, list(choice_labels)]
    db.session.flush()
    if changed:
        record("question.update", user=by, project_id=question.version.questionnaire.project_id, obj=question,
               key=question.key, changed=changed)
    return changed


def _replace_choices(question: Question, labels: list[str]) -> bool:
    old = list(question.choices)
    if [c.label for c in old] == labels:
        return False
    kept: dict[int, Choice] = {}
    unused = list(old)
    for i, label in enumerate(labels):
        match = next((c for c in unused if c.label.casefold() == label.casefold()), None)
        if match is not None:
            kept[i] = match
            unused.remove(match)
    for i, label in enumerate(labels):
        if i not in kept and i < len(old) and old[i] in unused:
            kept[i] = old[i]  # the words at this place changed: the same answer, reworded
            unused.remove(old[i])
    used = _values_used_in_conditions(question)
    for choice in unused:
        if choice.value in used:
            raise ValueError(_l("Het antwoord '%(label)s' staat in een voorwaarde bij een andere vraag. "
                                "Haal eerst die voorwaarde weg.", label=choice.label))
    next_value = max((int(c.value) for c in old if c.value.isdigit()), default=0) + 1
    choices = []
    for i, label in enumerate(labels):
        choice = kept.get(i)
        if choice is None:
            choice = Choice(value=str(next_value), label=label)
            next_value += 1
        choice.label, choice.position = label, i + 1
        choices.append(choice)
    # Positions must not clash while the rows are rewritten: removed ones go first.
    question.choices = choices
    db.session.flush()
    return True


def _values_used_in_conditions(source: Question) -> set[str]:
    conditions = db.session.query(Condition).filter_by(source_question_id=source.id).all()
    return {str(value) for condition in conditions for value in condition.values}


def delete_condition(condition: Condition, *, by=None) -> None:
    question = condition.question
    _require_draft(question.version)
    question.conditions.remove(condition)
    db.session.flush()
    record("condition.delete", user=by, project_id=question.version.questionnaire.project_id,
           question=question.key, source=condition.source.key)


def add_condition(question: Question, source: Question, values, *, by=None) -> Condition:
    """Show `question` only if the answer to `source` is one of `values` (choice values).

    Refused with a ValueError (a B1 message for the designer) unless `source` is an earlier
    choice question of the same version and every value is one of its choices.
    """
    _require_draft(question.version)
    if source.version_id != question.version_id or source.position >= question.position:
        raise ValueError(_l("Kies een vraag die eerder in de vragenlijst staat."))
    if not source.has_choices:
        raise ValueError(_l("Kies een vraag met antwoorden om uit te kiezen."))
    values = [str(value) for value in values]
    choice_values = {choice.value for choice in source.choices}
    if not values or not set(values) <= choice_values:
        raise ValueError(VALUES_MESSAGE)
    condition = Condition(question=question, source=source, values=values)
    db.session.add(condition)
    db.session.flush()
    record("condition.create", user=by, project_id=question.version.questionnaire.project_id, obj=condition,
           question=question.key, source=source.key)
    return condition


def delete_question(question: Question, *, by=None) -> None:
    version = question.version
    _require_draft(version)
    dependent = next((q for q in version.questions if any(c.source is question for c in q.conditions)), None)
    if dependent is not None:
        # A condition must never point at a deleted question.
        raise ValueError(_l("Dit kan niet: vraag %(later)s hangt af van het antwoord op deze vraag. "
                            "Haal eerst de voorwaarde weg.", later=dependent.position))
    # Removing it from the version deletes it (delete-orphan cascade). An explicit
    # session.delete() as well made the flush fail when its choices were not loaded yet.
    version.questions.remove(question)
    _renumber(version)
    record("question.delete", user=by, project_id=version.questionnaire.project_id, key=question.key)


def move_question(question: Question, direction: str, *, by=None) -> None:
    version = question.version
    _require_draft(version)
    questions = list(version.questions)
    index = questions.index(question)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(questions):
        earlier, later = sorted((question, questions[other]), key=lambda q: q.position)
        if any(condition.source is earlier for condition in later.conditions):
            # Swapping would make the condition point forward: refused, like add_condition.
            raise ValueError(_l("Dit kan niet: vraag %(later)s hangt af van het antwoord op vraag %(earlier)s. "
                                "Haal eerst de voorwaarde weg.", later=later.position, earlier=earlier.position))
        questions[index], questions[other] = questions[other], questions[index]
        for position, q in enumerate(questions, 1):
            q.position = position
        db.session.flush()
        version.questions.sort(key=lambda q: q.position)


def _renumber(version: QuestionnaireVersion) -> None:
    for position, q in enumerate(version.questions, 1):
        q.position = position
    db.session.flush()


def freeze_version(version: QuestionnaireVersion, *, by) -> QuestionnaireVersion:
    _require_draft(version)
    if not version.questions:
        raise ValueError("an empty questionnaire cannot be frozen")
    version.frozen_at = utcnow()
    version.frozen_by_id = by.id
    db.session.flush()
    record("questionnaire.freeze", user=by, project_id=version.questionnaire.project_id, obj=version,
           number=version.number, questions=len(version.questions))
    return version


def new_draft(questionnaire: Questionnaire, *, by) -> QuestionnaireVersion:
    """A new editable draft, copied from the latest frozen version (keys kept, so results pool)."""
    if questionnaire.draft is not None:
        return questionnaire.draft
    source = questionnaire.latest_frozen
    draft = QuestionnaireVersion(number=max((v.number for v in questionnaire.versions), default=0) + 1)
    copies: dict[str, Question] = {}
    for q in source.questions if source else []:
        copy = Question(
            key=q.key, position=q.position, kind=q.kind, text=q.text, help_text=q.help_text,
            required=q.required, allow_dont_know=q.allow_dont_know, allow_refuse=q.allow_refuse,
            follow_up=q.follow_up,
        )
        copy.choices = [Choice(position=c.position, value=c.value, label=c.label) for c in q.choices]
        draft.questions.append(copy)
        copies[q.key] = copy
    questionnaire.versions.append(draft)
    db.session.flush()
    for q in source.questions if source else []:
        for condition in q.conditions:
            db.session.add(Condition(question=copies[q.key], source=copies[condition.source.key],
                                     values=list(condition.values)))
    db.session.flush()
    record("questionnaire.new_draft", user=by, project_id=questionnaire.project_id, obj=draft, number=draft.number)
    return draft
