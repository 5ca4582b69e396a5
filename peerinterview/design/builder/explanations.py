"""Short explanations of hard words in a question ("Wat betekent dit?").

Kept per language of the text the word is in (Question.word_explanations). A draft only, like
every other question edit; new_draft and the transfer copy them with the question. The tablet
turns the first place a word stands in the question into a button (interview/texts.py)."""
from flask_babel import gettext as _

from ...audit import record
from ...errors import Refused
from ...interview.texts import word_span
from ...models import Question
from ...models.questionnaires import MAX_EXPLAINED_WORDS as MAX_WORDS
from .services import _require_draft


def _project_id(question: Question) -> int:
    return question.version.questionnaire.project_id


def set_word_explanation(question: Question, language: str, word: str, explanation: str, *, by=None) -> str:
    """Add the explanation of `word`, or change it when the word has one: "added" or "changed".
    Refused when the word is not in the question's text in that language, or there are too many."""
    _require_draft(question.version)
    word, explanation = " ".join(word.split()), explanation.strip()
    if word_span(question.text_in(language), word) is None:
        raise Refused(_("Dit woord staat niet in de vraag. Kies een woord uit de tekst van de vraag."))
    entries = question.explanations_in(language)
    index = next((i for i, e in enumerate(entries) if e["word"].casefold() == word.casefold()), None)
    if index is None and len(entries) >= MAX_WORDS:
        raise Refused(_("Deze vraag heeft al %(count)s uitgelegde woorden. Maak de vraag liever makkelijker.",
                        count=MAX_WORDS))
    entry = {"word": word, "explanation": explanation}
    if index is None:
        entries.append(entry)
    else:
        entries[index] = entry
    # A new dict: JSON columns do not see changes in place.
    question.word_explanations = {**(question.word_explanations or {}), language: entries}
    outcome = "added" if index is None else "changed"
    record("question.word_explanation_set", user=by, project_id=_project_id(question), obj=question,
           key=question.key, language=language, word=word, outcome=outcome)
    return outcome


def remove_word_explanation(question: Question, language: str, word: str, *, by=None) -> bool:
    _require_draft(question.version)
    entries = question.explanations_in(language)
    kept = [e for e in entries if e["word"].casefold() != word.casefold()]
    if len(kept) == len(entries):
        return False
    explanations = {**(question.word_explanations or {}), language: kept}
    question.word_explanations = {lang: found for lang, found in explanations.items() if found}
    record("question.word_explanation_remove", user=by, project_id=_project_id(question), obj=question,
           key=question.key, language=language, word=word)
    return True
