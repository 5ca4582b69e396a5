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
                 required: bool = False, choice_labels: list[str] | None = None, by=None) -> Question:
    _require_draft(version)
    question = Question(
        key=_next_key(version.questionnaire), position=len(version.questions) + 1, kind=kind,
        text=text.strip(), help_text=(help_text or "").strip(), required=required,
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
        raise ValueError(_l("Kies een of meer antwoorden van die vraag."))
    condition = Condition(question=question, source=source, values=values)
    db.session.add(condition)
    db.session.flush()
    record("condition.create", user=by, project_id=question.version.questionnaire.project_id, obj=condition,
           question=question.key, source=source.key)
    return condition


def delete_question(question: Question, *, by=None) -> None:
    version = question.version
    _require_draft(version)
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
