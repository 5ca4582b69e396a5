"""Questionnaire drafts and frozen versions. Services flush; the view commits."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...audit import record
from ...errors import Refused
from ...extensions import db
from ...models import Choice, Condition, Question, Questionnaire, QuestionnaireVersion
from ...models.questionnaires import (
    MAX_EXPLAINED_WORD,
    MAX_EXPLAINED_WORDS,
    MAX_WORD_EXPLANATION,
    QUESTION_KINDS,
)
from ...models.base import utcnow
from ...pictograms import is_pictogram

# Fixed words for the 5-point scale; value 1 is the worst, 5 the best. These are questionnaire
# content in the questionnaire's language (Dutch), not UI text, so they are not translated here.
SCALE5_LABELS = ("Heel slecht", "Slecht", "Niet goed, niet slecht", "Goed", "Heel goed")
SCALE3_LABELS = ("Slecht", "Niet goed, niet slecht", "Goed")
YESNO_LABELS = ("Ja", "Nee")
# Their English words, stored as the choices' translations (content, like the Dutch words).
FIXED_TRANSLATIONS = {
    "en": {
        "Heel slecht": "Very bad", "Slecht": "Bad", "Niet goed, niet slecht": "Not good, not bad",
        "Goed": "Good", "Heel goed": "Very good", "Ja": "Yes", "Nee": "No",
    },
}
FIXED_LABELS = {"scale3": SCALE3_LABELS, "scale5": SCALE5_LABELS, "yesno": YESNO_LABELS}
# The kinds whose answers the designer writes (one per line).
LIST_KINDS = ("single", "multi")
# The kinds whose answers can have a picture: the scales keep their smileys.
PICTURE_KINDS = ("single", "multi", "yesno")


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
    # Also past the keys of deleted questions: their history and co-design's undo use the key.
    from .history import next_free_key

    return next_free_key(questionnaire)


def _require_draft(version: QuestionnaireVersion) -> None:
    if version.is_frozen:
        raise FrozenVersionError(version.id)


def fixed_choices(kind: str) -> list[Choice]:
    """The choices a scale or yes/no question always has (values "1", "2", ...), with their
    English words as translation. Empty for other kinds."""
    return [
        Choice(position=i, value=str(i), label=label,
               translations={lang: words[label] for lang, words in FIXED_TRANSLATIONS.items() if label in words})
        for i, label in enumerate(FIXED_LABELS.get(kind, ()), 1)
    ]


def clean_translations(translations) -> dict:
    """{"en": {"text": ..., "help_text": ..., "section_title": ...}} with stripped texts; empty
    texts and languages left out."""
    cleaned = {}
    for language, texts in (translations or {}).items():
        texts = {name: (texts.get(name) or "").strip() for name in ("text", "help_text", "section_title")}
        texts = {name: value for name, value in texts.items() if value}
        if texts:
            cleaned[str(language)] = texts
    return cleaned


def clean_word_explanations(raw) -> dict:
    """{"nl": [{"word": ..., "explanation": ...}]} with stripped texts, within the limits; one
    entry per word (the last wins), empty entries and languages left out."""
    cleaned = {}
    for language, entries in (raw or {}).items():
        by_word = {}
        for entry in entries or []:
            word = " ".join(str(entry.get("word") or "").split())[:MAX_EXPLAINED_WORD]
            explanation = str(entry.get("explanation") or "").strip()[:MAX_WORD_EXPLANATION]
            if word and explanation:
                by_word[word.casefold()] = {"word": word, "explanation": explanation}
        if by_word:
            cleaned[str(language)] = list(by_word.values())[:MAX_EXPLAINED_WORDS]
    return cleaned


def _normalise(question: Question) -> None:
    """What a kind allows: an info screen has no answer; only lists and scales have follow-up;
    only a number has a range."""
    if question.kind == "info":
        question.required = question.allow_dont_know = question.allow_refuse = question.follow_up = False
    if not question.has_choices:
        question.follow_up = False
    if question.kind != "open":
        question.allow_spoken = False
    if question.kind != "number":
        question.min_value = question.max_value = None


def add_question(version: QuestionnaireVersion, *, kind: str, text: str, help_text: str = "",
                 required: bool = False, choice_labels: list[str] | None = None, follow_up: bool = False,
                 allow_spoken: bool = False,
                 allow_dont_know: bool = True, allow_refuse: bool = True, section_title: str = "",
                 min_value: int | None = None, max_value: int | None = None, translations: dict | None = None,
                 choice_translations: dict | None = None, key: str | None = None,
                 choice_values: list[str] | None = None, word_explanations: dict | None = None,
                 by=None) -> Question:
    """A new question at the end of the draft. `choice_translations` ({"en": [labels]}, in choice
    order) is only used for single and multi: the fixed choices bring their own.
    `key` and `choice_values` (single and multi) are for imports that keep a file's key and
    answer values (design/transfer/services.py); otherwise the next free key and 1, 2, ..."""
    _require_draft(version)
    if kind not in QUESTION_KINDS:
        raise ValueError(f"unknown kind: {kind}")
    question = Question(
        key=key or _next_key(version.questionnaire), position=len(version.questions) + 1, kind=kind,
        text=text.strip(), help_text=(help_text or "").strip(), required=required,
        follow_up=bool(follow_up), allow_dont_know=allow_dont_know, allow_refuse=allow_refuse,
        allow_spoken=bool(allow_spoken), section_title=(section_title or "").strip(), min_value=min_value, max_value=max_value,
        translations=clean_translations(translations),
    )
    if word_explanations:
        question.word_explanations = clean_word_explanations(word_explanations)
    _normalise(question)
    if kind in LIST_KINDS:
        labels = choice_labels or []
        question.choices = [
            Choice(position=i, value=choice_values[i - 1] if choice_values else str(i), label=label,
                   translations=_choice_translation(choice_translations, i - 1))
            for i, label in enumerate(labels, 1)
        ]
    else:
        question.choices = fixed_choices(kind)
    version.questions.append(question)
    db.session.flush()
    record("question.create", user=by, project_id=version.questionnaire.project_id, obj=question, key=question.key)
    return question


def missing_translations(question: Question, languages) -> list[str]:
    """The languages (other than Dutch) in which this question still misses a text: the question,
    its help text when it has one, or the words of an answer."""
    missing = []
    for language in languages:
        if language == "nl":
            continue
        if (not question.text_in(language)
                or (question.help_text and not question.help_text_in(language))
                or (question.section_title and not question.section_title_in(language))
                or any(not choice.label_in(language) for choice in question.choices)):
            missing.append(language)
    return missing


def _choice_translation(choice_translations, index: int) -> dict:
    found = {}
    for language, labels in (choice_translations or {}).items():
        label = (labels[index] if index < len(labels) else "") or ""
        if label.strip():
            found[str(language)] = label.strip()
    return found


EDITABLE_FIELDS = ("text", "help_text", "required", "follow_up", "allow_spoken", "allow_dont_know",
                   "allow_refuse", "section_title", "min_value", "max_value", "translations")


def update_question(question: Question, *, by=None, choice_labels: list[str] | None = None,
                    choice_translations: dict | None = None, **changes) -> dict:
    """Change the texts and options of a draft question (and the answers of a single- or
    multiple-choice question). Returns {field: [old, new]} of what changed, as the audit log keeps it.
    `choice_translations` ({"en": [labels in choice order]}) sets the translated answer words.

    Answers keep their stored value when their words stay the same, or when only the words at the
    same place changed (a typo fixed), so show-if conditions keep pointing at the right answer.
    An answer that a condition uses cannot be removed: Refused, with a B1 message.
    """
    _require_draft(question.version)
    changes = _cleaned_changes(question, changes)
    changed = {}
    for name, value in changes.items():
        if getattr(question, name) != value:
            changed[name] = [getattr(question, name), value]
            setattr(question, name, value)
    if question.kind in LIST_KINDS and choice_labels is not None:
        old_labels = [c.label for c in question.choices]
        if _replace_choices(question, choice_labels):
            changed["choices"] = [old_labels, list(choice_labels)]
    if choice_translations is not None and question.kind in LIST_KINDS:
        old = [dict(c.translations or {}) for c in question.choices]
        _set_choice_translations(question, choice_translations)
        new = [dict(c.translations or {}) for c in question.choices]
        if new != old:
            changed["choice_translations"] = [old, new]
    db.session.flush()
    if changed:
        record("question.update", user=by, project_id=question.version.questionnaire.project_id, obj=question,
               key=question.key, changed=changed)
    return changed


def _cleaned_changes(question: Question, changes: dict) -> dict:
    """The changes as they are stored: texts stripped, and options this kind of question does not
    have switched off or dropped."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "text" in changes:
        changes["text"] = changes["text"].strip()
    if "help_text" in changes:
        changes["help_text"] = (changes["help_text"] or "").strip()
    if "follow_up" in changes:
        changes["follow_up"] = bool(changes["follow_up"]) and question.has_choices
    if "allow_spoken" in changes:
        changes["allow_spoken"] = bool(changes["allow_spoken"]) and question.kind == "open"
    if "section_title" in changes:
        changes["section_title"] = (changes["section_title"] or "").strip()
    if "translations" in changes:
        changes["translations"] = clean_translations(changes["translations"])
    if question.kind == "info":
        for name in ("required", "follow_up", "allow_dont_know", "allow_refuse"):
            if name in changes:
                changes[name] = False
    if question.kind != "number":
        changes.pop("min_value", None)
        changes.pop("max_value", None)
    return changes


def _set_choice_translations(question: Question, choice_translations: dict) -> None:
    """Set the translated answer words of the given languages; other languages stay."""
    for index, choice in enumerate(question.choices):
        kept = {lang: label for lang, label in (choice.translations or {}).items() if lang not in choice_translations}
        new = {**kept, **_choice_translation(choice_translations, index)}
        if new != (choice.translations or {}):
            choice.translations = new  # a new dict: JSON columns do not see changes in place


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
            raise Refused(_("Het antwoord '%(label)s' staat in een voorwaarde bij een andere vraag. "
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

    Refused (with a B1 message for the designer) unless `source` is an earlier
    choice question of the same version and every value is one of its choices.
    """
    _require_draft(question.version)
    if source.version_id != question.version_id or source.position >= question.position:
        raise Refused(_l("Kies een vraag die eerder in de vragenlijst staat."))
    if not source.has_choices:
        raise Refused(_l("Kies een vraag met antwoorden om uit te kiezen."))
    values = [str(value) for value in values]
    choice_values = {choice.value for choice in source.choices}
    if not values or not set(values) <= choice_values:
        raise Refused(VALUES_MESSAGE)
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
        raise Refused(_("Dit kan niet: vraag %(later)s hangt af van het antwoord op deze vraag. "
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
            raise Refused(_("Dit kan niet: vraag %(later)s hangt af van het antwoord op vraag %(earlier)s. "
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
            follow_up=q.follow_up, allow_spoken=q.allow_spoken, section_title=q.section_title, min_value=q.min_value,
            max_value=q.max_value, translations=dict(q.translations or {}), picture=q.picture,
            word_explanations={lang: [dict(e) for e in entries] for lang, entries in (q.word_explanations or {}).items()},
        )
        copy.choices = [Choice(position=c.position, value=c.value, label=c.label, picture=c.picture,
                               translations=dict(c.translations or {})) for c in q.choices]
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


def set_picture(question: Question, choice: Choice | None, code: str, *, by) -> bool:
    """Put picture `code` with the question (choice None) or with one of its answers; "" takes
    it away. False when nothing changed."""
    _require_draft(question.version)
    if code and not is_pictogram(code):
        raise Refused(_("Dit plaatje kennen we niet. Kies een plaatje uit de lijst."))
    if choice is not None and (choice.question_id != question.id or question.kind not in PICTURE_KINDS):
        raise Refused(_("Bij deze antwoorden kan geen plaatje."))
    target = choice if choice is not None else question
    if target.picture == code:
        return False
    target.picture = code
    db.session.flush()
    record("question.picture", user=by, project_id=question.version.questionnaire.project_id, obj=question,
           key=question.key, answer=choice.value if choice is not None else None, picture=code or None)
    return True
