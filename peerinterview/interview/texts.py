"""A question's words in the interview's language, falling back to Dutch (the source).

A question without a translated text is shown wholly in Dutch (its help text and answers too):
a Dutch question with English answers would confuse. Each text comes with the language it is
really in, so a template can mark it with lang="" (WCAG 3.1.2): a Dutch fallback on an English
screen is read with a Dutch voice.
"""
import re
from dataclasses import dataclass

from ..vocabulary import SOURCE_LANGUAGE, SPECIAL_LABELS


@dataclass(frozen=True)
class Words:
    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


def question_language(question, language: str) -> str:
    """The language this question is shown in: `language` if its text is translated, else Dutch."""
    if language != SOURCE_LANGUAGE and question.text_in(language):
        return language
    return SOURCE_LANGUAGE


def question_text(question, language: str) -> Words:
    translated = question.text_in(language) if language != SOURCE_LANGUAGE else ""
    return Words(translated, language) if translated else Words(question.text, SOURCE_LANGUAGE)


def help_text(question, language: str) -> Words:
    if not question.help_text:
        return Words("", SOURCE_LANGUAGE)
    language = question_language(question, language)
    translated = question.help_text_in(language) if language != SOURCE_LANGUAGE else ""
    return Words(translated, language) if translated else Words(question.help_text, SOURCE_LANGUAGE)


def section_title(question, language: str) -> Words:
    if not question.section_title:
        return Words("", SOURCE_LANGUAGE)
    translated = question.section_title_in(language) if language != SOURCE_LANGUAGE else ""
    return Words(translated, language) if translated else Words(question.section_title, SOURCE_LANGUAGE)


def word_span(text: str, word: str) -> tuple[int, int] | None:
    """Where `word` first stands in `text` as a whole word (any case), or None."""
    word = " ".join((word or "").split())
    if not word:
        return None
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(part) for part in word.split(" ")) + r"(?!\w)"
    found = re.search(pattern, text or "", re.IGNORECASE)
    return found.span() if found else None


@dataclass(frozen=True)
class Explained:
    """A hard word and its explanation, in the language of the question text shown (`lang`).
    `number` is its place in the list under the question (1, 2, ...), for the ids."""
    number: int
    word: str
    explanation: str
    lang: str


def explained_words(question, language: str) -> list[Explained]:
    """The explained words of the question text as the screen shows it (its translation, or Dutch)."""
    shown = question_text(question, language)
    return [Explained(i, entry["word"], entry["explanation"], shown.lang)
            for i, entry in enumerate(question.explanations_in(shown.lang), 1)]


def question_parts(question, language: str) -> list:
    """The question text as the screen shows it, cut into plain strings and `Explained` words:
    the first place each explained word stands becomes a button on the tablet."""
    text = question_text(question, language).text
    spans = []
    for explained in explained_words(question, language):
        span = word_span(text, explained.word)
        if span and not any(span[0] < end and start < span[1] for start, end, _e in spans):
            spans.append((*span, explained))
    parts, at = [], 0
    for start, end, explained in sorted(spans, key=lambda found: found[0]):
        parts.append(text[at:start])
        parts.append((text[start:end], explained))
        at = end
    parts.append(text[at:])
    return [part for part in parts if part]


def choice_label(choice, language: str) -> Words:
    """`language` should be question_language(): see answer_labels and the interview screens."""
    translated = choice.label_in(language) if language != SOURCE_LANGUAGE else ""
    return Words(translated, language) if translated else Words(choice.label, SOURCE_LANGUAGE)


def answer_labels(question, value: str | None, language: str) -> list[Words]:
    """The words of the chosen answer(s) of a choice question, in the order of the choices."""
    from .encoding import chosen_values

    language = question_language(question, language)
    by_value = {choice.value: choice for choice in question.choices}
    return [choice_label(by_value[v], language) if v in by_value else Words(v, SOURCE_LANGUAGE)
            for v in chosen_values(question, value)]


def answer_in_words(question, answer, language: str) -> str:
    """A stored answer as the overview shows it (_answer_words.html), as plain text: for a
    message that names the answer which stays. `answer` is a row with value/text/special, or None."""
    from flask_babel import gettext as _

    if answer is None or not (answer.value or answer.text or answer.special):
        return _("Geen antwoord")
    if answer.special:
        return str(SPECIAL_LABELS.get(answer.special, answer.special))
    if answer.text:
        return answer.text
    if question.kind == "number":
        return answer.value
    return ", ".join(str(words) for words in answer_labels(question, answer.value, language))


@dataclass(frozen=True)
class MissingTexts:
    """What an interview in `language` would still show in Dutch (the fallback)."""
    language: str
    consent: bool  # the consent text
    questions: tuple[int, ...]  # the numbers of questions without a translated text
    total_questions: int
    info_screens: int  # information screens without a translated text
    sections: int  # section titles
    answers: tuple[int, ...]  # numbers of translated questions with an answer left in Dutch
    help_texts: int  # notes for the interviewer

    def __bool__(self) -> bool:
        return bool(self.consent or self.questions or self.info_screens or self.sections or self.answers
                    or self.help_texts)


def untranslated_texts(project, version, language: str) -> MissingTexts:
    """Which texts of `project` and its questionnaire `version` have no translation into
    `language` yet. Dutch (the source) misses nothing."""
    questions = list(version.questions) if version is not None else []
    if language == SOURCE_LANGUAGE:
        return MissingTexts(language, False, (), sum(q.is_answered for q in questions), 0, 0, (), 0)
    untranslated = [q for q in questions if not q.text_in(language)]
    return MissingTexts(
        language=language,
        consent=bool(project.consent_text) and not project.consent_text_in(language),
        questions=tuple(q.number for q in untranslated if q.is_answered),
        total_questions=sum(q.is_answered for q in questions),
        info_screens=sum(1 for q in untranslated if not q.is_answered),
        sections=sum(1 for q in questions if q.section_title and not q.section_title_in(language)),
        answers=tuple(q.number for q in questions if q.is_answered and q.text_in(language)
                      and any(not c.label_in(language) for c in q.choices)),
        help_texts=sum(1 for q in questions if q.help_text and q.text_in(language) and not q.help_text_in(language)),
    )
