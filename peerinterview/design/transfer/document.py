"""A questionnaire as a plain document: the JSON export format, and the checks every import
goes through (JSON, XLSForm, a copy or a starter list) before anything is changed.

Pure functions over plain dicts: no database, no request. The checks return a list of
`Problem`s in B1 Dutch; an import goes ahead only when that list is empty.

The document (also the JSON file, see `dump_json`):

    {"format": "peerinterview-questionnaire", "format_version": 1, "title": "...", "version": 2,
     "languages": ["nl", "en"],
     "questions": [{"key": "q1", "kind": "single", "section_title": "", "text": "...",
                    "help_text": "", "required": true, "allow_dont_know": true,
                    "allow_refuse": true, "follow_up": false, "allow_spoken": false,
                    "min_value": null,
                    "max_value": null,
                    "choices": [{"value": "1", "label": "...", "translations": {"en": "..."},
                                 "picture": "1F68C"}],
                    "conditions": [{"question": "q0", "values": ["1", "2"]}],
                    "translations": {"en": {"text": "...", "help_text": "...",
                                            "section_title": "..."}},
                    "picture": "",
                    "word_explanations": {"nl": [{"word": "...", "explanation": "..."}]}}]}

A picture is an OpenMoji code of the app's set (peerinterview/pictograms.py), "" for none; only
list and yes/no answers have one. Files without pictures (older exports) are fine.
`word_explanations` may be left out (files made before it existed), and so may `allow_spoken`
(false: the open answer is typed only; true counts only for an open question; a checked document
holds it only when true). The XLSForm has no column for it: an XLSForm import types every answer.

The answers of scale3, scale5 and yesno questions are fixed (values "1".."n"): a file may list
them, but an import always gets the app's own words.
"""
import json
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from ...models.questionnaires import MAX_EXPLAINED_WORD, MAX_EXPLAINED_WORDS, MAX_WORD_EXPLANATION
from ...pictograms import is_pictogram

FORMAT = "peerinterview-questionnaire"
FORMAT_VERSION = 1

KINDS = ("single", "multi", "scale3", "scale5", "yesno", "number", "open", "info")
# Kinds whose answers are chosen from a list the designer writes.
LIST_KINDS = ("single", "multi")
# Kinds whose answers are fixed by the app (the file may carry them; they are not changed).
FIXED_KINDS = ("scale3", "scale5", "yesno")
CHOICE_KINDS = LIST_KINDS + FIXED_KINDS

MAX_FILE_BYTES = 512 * 1024
MAX_QUESTIONS = 300
MAX_CHOICES = 100
MAX_TEXT = 500          # the builder's limit for a question text
MAX_HELP_TEXT = 1000
MAX_SECTION_TITLE = 200
MAX_LABEL = 300
MAX_KEY = 64
MAX_SHOWN_PROBLEMS = 50

# A key is a name in XLSForm too: a letter or _, then letters, digits or _.
KEY_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
VALUE_PATTERN = re.compile(r"[A-Za-z0-9_.\-]+")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")
TRANSLATED_FIELDS = ("text", "help_text", "section_title")
FIELD_LIMITS = {"text": MAX_TEXT, "help_text": MAX_HELP_TEXT, "section_title": MAX_SECTION_TITLE}
# The answers of a scale or yes/no question are fixed by the app, with values "1".."n".
FIXED_CHOICE_COUNT = {"scale3": 3, "scale5": 5, "yesno": 2}
BOOLEAN_FIELDS = {"required": False, "allow_dont_know": True, "allow_refuse": True, "follow_up": False}
BASE_LANGUAGE = "nl"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (may be empty) and what to do about it, in B1."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ImportRefused(Exception):
    """The file has problems; nothing was changed."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def question_where(number: int, key=None) -> str:
    if isinstance(key, str) and key:
        return _("Vraag %(number)s (%(key)s)", number=number, key=key)
    return _("Vraag %(number)s", number=number)


# ---------------------------------------------------------------------------------------------
# Reading a JSON file

def parse_json(data: bytes) -> dict:
    """The checked document from the bytes of a JSON file; ImportRefused with problems if not."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused([too_large_problem()])
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportRefused([Problem("", _("Dit bestand is geen JSON-tekst. Kies een .json-bestand uit PeerInterview."))])
    except (ValueError, RecursionError) as error:
        line = getattr(error, "lineno", None)
        message = (_("Er staat een fout in de JSON-tekst, op regel %(line)s. Het bestand is misschien beschadigd.",
                     line=line) if line else
                   _("Er staat een fout in de JSON-tekst. Het bestand is misschien beschadigd."))
        raise ImportRefused([Problem("", message)])
    return check_document(raw)


def too_large_problem() -> Problem:
    return Problem("", _("Het bestand is te groot. Het mag hoogstens %(size)s kB zijn.", size=MAX_FILE_BYTES // 1024))


def check_document(raw) -> dict:
    """The document in its normal form, or ImportRefused with every problem found."""
    problems: list[Problem] = []
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ImportRefused([Problem("", _("Dit bestand is geen vragenlijst uit PeerInterview."))])
    version = raw.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise ImportRefused([Problem("", _("Dit bestand komt uit een nieuwere versie van PeerInterview. "
                                           "Deze versie kan het niet lezen."))])
    questions = raw.get("questions")
    if not isinstance(questions, list):
        raise ImportRefused([Problem("", _("In het bestand staat geen lijst met vragen."))])
    title = raw.get("title") if isinstance(raw.get("title"), str) else ""
    languages = raw.get("languages")
    if not isinstance(languages, list) or not all(isinstance(x, str) and LANGUAGE_PATTERN.fullmatch(x)
                                                  for x in languages):
        languages = [BASE_LANGUAGE]
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "title": title[:200],
                "languages": languages, "questions": questions}
    return check_questions(document, problems)


def check_questions(document: dict, problems: list[Problem] | None = None) -> dict:
    """Check and normalise document["questions"] (dicts as in the JSON file). Used by every
    import: what XLSForm reading makes is checked here too."""
    problems = list(problems or [])
    raw_questions = document["questions"]
    if not raw_questions:
        problems.append(Problem("", _("Er staan geen vragen in het bestand.")))
    if len(raw_questions) > MAX_QUESTIONS:
        raise ImportRefused(problems + [Problem("", _("Er staan te veel vragen in het bestand. "
                                                      "Het mogen er hoogstens %(max)s zijn.", max=MAX_QUESTIONS))])
    questions = []
    seen_keys: dict[str, int] = {}
    all_keys = {q.get("key") for q in raw_questions if isinstance(q, dict) and isinstance(q.get("key"), str)}
    for number, raw in enumerate(raw_questions, 1):
        where = question_where(number, raw.get("key") if isinstance(raw, dict) else None)
        if not isinstance(raw, dict):
            problems.append(Problem(question_where(number), _("Deze vraag kunnen we niet lezen.")))
            continue
        question = _check_question(raw, where, problems)
        key = question["key"]
        if key:
            if key in seen_keys:
                problems.append(Problem(where, _("De sleutel %(key)s staat ook bij vraag %(other)s. "
                                                 "Geef elke vraag een eigen sleutel.",
                                                 key=key, other=seen_keys[key])))
            else:
                seen_keys[key] = number
        question["conditions"] = _check_conditions(raw.get("conditions", []), where, question, questions,
                                                   all_keys, problems)
        questions.append(question)
    if problems:
        raise ImportRefused(problems)
    return {**document, "questions": questions}


def _text(raw: dict, name: str, where: str, problems: list, *, limit: int, required=False) -> str:
    value = raw.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(Problem(where, _("Het veld %(field)s moet tekst zijn.", field=name)))
        return ""
    value = value.strip()
    if len(value) > limit:
        problems.append(Problem(where, _("De tekst in %(field)s is te lang. Gebruik hoogstens %(max)s tekens.",
                                         field=name, max=limit)))
    return value


def _check_question(raw: dict, where: str, problems: list) -> dict:
    key = raw.get("key")
    if not isinstance(key, str) or not key.strip():
        problems.append(Problem(where, _("De vraag heeft geen sleutel. Geef de vraag een korte naam, zoals q1.")))
        key = ""
    elif len(key) > MAX_KEY or not KEY_PATTERN.fullmatch(key.strip()):
        problems.append(Problem(where, _("De sleutel %(key)s kan niet. Gebruik letters, cijfers en _. "
                                         "Begin met een letter.", key=key[:MAX_KEY])))
        key = ""
    else:
        key = key.strip()
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.append(Problem(where, _("De soort vraag %(kind)s kennen we niet. Kies uit: %(kinds)s.",
                                         kind=str(kind)[:40], kinds=", ".join(KINDS))))
        kind = None
    text = _text(raw, "text", where, problems, limit=MAX_TEXT)
    if not text:
        problems.append(Problem(where, _("De vraag heeft geen Nederlandse tekst. Vul de tekst in.")))
    question = {
        "key": key, "kind": kind, "text": text,
        "section_title": _text(raw, "section_title", where, problems, limit=MAX_SECTION_TITLE),
        "help_text": _text(raw, "help_text", where, problems, limit=MAX_HELP_TEXT),
    }
    for name, default in BOOLEAN_FIELDS.items():
        value = raw.get(name, default)
        if value is None:
            value = default
        if not isinstance(value, bool):
            problems.append(Problem(where, _("Het veld %(field)s moet true of false zijn.", field=name)))
            value = default
        question[name] = value
    if kind not in CHOICE_KINDS:
        question["follow_up"] = False  # only a list or a scale has room for an explanation
    if _check_spoken(raw, where, kind, problems):
        question["allow_spoken"] = True  # left out when false, as in files made before it existed
    if kind == "info":
        question.update(required=False, allow_dont_know=False, allow_refuse=False)
    question["min_value"], question["max_value"] = _check_range(raw, where, kind, problems)
    question["choices"] = _check_choices(raw.get("choices", []), where, kind, problems)
    question["translations"] = _check_translations(raw.get("translations", {}), where, problems)
    question["picture"] = _check_picture(raw, where, problems)
    explanations = _check_word_explanations(raw.get("word_explanations"), where, problems)
    if explanations:  # left out when there are none, as in files made before they existed
        question["word_explanations"] = explanations
    return question


def _check_spoken(raw: dict, where: str, kind, problems: list) -> bool:
    """Whether the open answer may also be spoken (only an open question's may)."""
    spoken = raw.get("allow_spoken", False)
    if spoken is None:
        return False
    if not isinstance(spoken, bool):
        problems.append(Problem(where, _("Het veld %(field)s moet true of false zijn.", field="allow_spoken")))
        return False
    return spoken and kind == "open"


def _check_picture(raw: dict, where: str, problems: list) -> str:
    picture = raw.get("picture") or ""
    if picture and not is_pictogram(picture):
        problems.append(Problem(where, _("Het plaatje %(picture)s kennen we niet. Haal het weg of kies een ander.",
                                         picture=str(picture)[:20])))
        return ""
    return picture


def _check_range(raw: dict, where: str, kind, problems: list):
    values = []
    for name in ("min_value", "max_value"):
        value = raw.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or abs(value) > 2**31 - 1):
            problems.append(Problem(where, _("Het veld %(field)s moet een heel getal zijn.", field=name)))
            value = None
        values.append(value)
    low, high = values
    if kind != "number" and (low is not None or high is not None):
        problems.append(Problem(where, _("Alleen een vraag met een getal kan een kleinste of grootste getal hebben.")))
        return None, None
    if low is not None and high is not None and low > high:
        problems.append(Problem(where, _("Het kleinste getal (%(low)s) is groter dan het grootste getal (%(high)s).",
                                         low=low, high=high)))
    return low, high


def _check_choices(raw_choices, where: str, kind, problems: list) -> list[dict]:
    if raw_choices is None:
        raw_choices = []
    if not isinstance(raw_choices, list):
        problems.append(Problem(where, _("De antwoorden moeten een lijst zijn.")))
        return []
    if kind not in CHOICE_KINDS:
        if raw_choices and kind is not None:
            problems.append(Problem(where, _("Deze soort vraag heeft geen antwoorden om uit te kiezen. "
                                             "Haal de antwoorden weg.")))
        return []
    if kind in LIST_KINDS and len(raw_choices) < 2:
        problems.append(Problem(where, _("Geef minstens 2 antwoorden om uit te kiezen.")))
    if len(raw_choices) > MAX_CHOICES:
        problems.append(Problem(where, _("Er staan te veel antwoorden bij. Het mogen er hoogstens %(max)s zijn.",
                                         max=MAX_CHOICES)))
        return []
    if kind in FIXED_KINDS:
        count = FIXED_CHOICE_COUNT[kind]
        fixed = [str(i) for i in range(1, count + 1)]
        given = [str(c.get("value")) if isinstance(c, dict) else None for c in raw_choices]
        if raw_choices and given != fixed:
            problems.append(Problem(where, _("Bij deze soort vraag liggen de antwoorden vast. "
                                             "De waarden zijn 1 tot en met %(count)s.", count=count)))
        # Only yes/no answers can have a picture: the scales have their smileys.
        pictures = [_check_picture(c, where, problems) if kind == "yesno" and isinstance(c, dict) else ""
                    for c in raw_choices] if raw_choices and given == fixed else [""] * count
        return [{"value": value, "label": "", "translations": {}, "picture": picture}
                for value, picture in zip(fixed, pictures)]
    choices, values, labels = [], set(), set()
    for number, raw in enumerate(raw_choices, 1):
        if not isinstance(raw, dict):
            problems.append(Problem(where, _("Antwoord %(number)s kunnen we niet lezen.", number=number)))
            continue
        choices.append({"value": _check_choice_value(raw, number, where, values, problems),
                        "label": _check_choice_label(raw, number, where, labels, problems),
                        "translations": _check_choice_translations(raw, number, where, problems),
                        "picture": _check_picture(raw, where, problems)})
    return choices


def _check_choice_value(raw: dict, number: int, where: str, values: set, problems: list) -> str:
    """The choice's value, stripped; `values` holds the ones seen before in this list."""
    value = raw.get("value")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(where, _("Antwoord %(number)s heeft geen waarde.", number=number)))
        value = ""
    elif len(value.strip()) > MAX_KEY or not VALUE_PATTERN.fullmatch(value.strip()):
        problems.append(Problem(where, _("De waarde %(value)s van antwoord %(number)s kan niet. "
                                         "Gebruik letters, cijfers, _ of -.", value=value[:MAX_KEY], number=number)))
    value = value.strip()
    if value and value in values:
        problems.append(Problem(where, _("De waarde %(value)s staat twee keer bij de antwoorden.", value=value)))
    values.add(value)
    return value


def _check_choice_label(raw: dict, number: int, where: str, labels: set, problems: list) -> str:
    """The choice's Dutch text, stripped; `labels` holds the ones seen before (case-folded)."""
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.append(Problem(where, _("Antwoord %(number)s heeft geen Nederlandse tekst.", number=number)))
        label = ""
    label = label.strip()
    if len(label) > MAX_LABEL:
        problems.append(Problem(where, _("Antwoord %(number)s is te lang. Gebruik hoogstens %(max)s tekens.",
                                         number=number, max=MAX_LABEL)))
    if label and label.casefold() in labels:
        problems.append(Problem(where, _("Het antwoord '%(label)s' staat twee keer in de lijst.", label=label)))
    labels.add(label.casefold())
    return label


def _check_choice_translations(raw: dict, number: int, where: str, problems: list) -> dict[str, str]:
    translations = {}
    raw_translations = raw.get("translations") or {}
    if not isinstance(raw_translations, dict):
        problems.append(Problem(where, _("De vertalingen van antwoord %(number)s kunnen we niet lezen.",
                                         number=number)))
        raw_translations = {}
    for language, text in raw_translations.items():
        if not _is_translation_language(language) or not isinstance(text, str):
            problems.append(Problem(where, _("De vertalingen van antwoord %(number)s kunnen we niet lezen.",
                                             number=number)))
            continue
        if len(text.strip()) > MAX_LABEL:
            problems.append(Problem(where, _("Antwoord %(number)s is te lang. Gebruik hoogstens %(max)s tekens.",
                                             number=number, max=MAX_LABEL)))
        if text.strip():
            translations[language] = text.strip()
    return translations


def _is_translation_language(language) -> bool:
    return isinstance(language, str) and bool(LANGUAGE_PATTERN.fullmatch(language)) and language != BASE_LANGUAGE


def _check_translations(raw, where: str, problems: list) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(where, _("De vertalingen kunnen we niet lezen.")))
        return {}
    translations = {}
    for language, fields in raw.items():
        if not _is_translation_language(language) or not isinstance(fields, dict):
            problems.append(Problem(where, _("De vertaling %(language)s kunnen we niet lezen.",
                                             language=str(language)[:10])))
            continue
        texts = {}
        for name in TRANSLATED_FIELDS:
            value = _text(fields, name, where, problems, limit=FIELD_LIMITS[name])
            if value:
                texts[name] = value
        if texts:
            translations[language] = texts
    return translations


def _check_word_explanations(raw, where: str, problems: list) -> dict:
    """{"nl": [{"word": ..., "explanation": ...}]}: the limits are the builder's
    (design/builder/explanations.py), a longer text is a problem, not cut silently."""
    if not raw:
        return {}
    readable = isinstance(raw, dict) and all(
        (language == BASE_LANGUAGE or _is_translation_language(language)) and isinstance(entries, list)
        and all(isinstance(e, dict) and isinstance(e.get("word"), str) and isinstance(e.get("explanation"), str)
                for e in entries)
        for language, entries in raw.items())
    if not readable:
        problems.append(Problem(where, _("De uitleg bij moeilijke woorden kunnen we niet lezen.")))
        return {}
    explanations = {}
    for language, entries in raw.items():
        kept = []
        for entry in entries:
            word, explanation = " ".join(entry["word"].split()), entry["explanation"].strip()
            if len(word) > MAX_EXPLAINED_WORD or len(explanation) > MAX_WORD_EXPLANATION or len(kept) >= MAX_EXPLAINED_WORDS:
                problems.append(Problem(where, _("De uitleg bij het woord %(word)s is te lang, of er zijn te veel woorden.",
                                                 word=word[:40])))
            elif word and explanation:
                kept.append({"word": word, "explanation": explanation})
        if kept:
            explanations[language] = kept
    return explanations


def _check_conditions(raw_conditions, where: str, question: dict, earlier: list[dict], all_keys: set,
                      problems: list) -> list[dict]:
    if raw_conditions is None:
        return []
    if not isinstance(raw_conditions, list):
        problems.append(Problem(where, _("De voorwaarden moeten een lijst zijn.")))
        return []
    conditions = []
    earlier_by_key = {q["key"]: q for q in earlier if q["key"]}
    for raw in raw_conditions:
        source_key = raw.get("question") if isinstance(raw, dict) else None
        values = raw.get("values") if isinstance(raw, dict) else None
        if not isinstance(source_key, str) or not isinstance(values, list):
            problems.append(Problem(where, _("Een voorwaarde kunnen we niet lezen. Noem de vraag en de antwoorden.")))
            continue
        source = earlier_by_key.get(source_key)
        if source is None:
            if source_key == question["key"] or source_key in all_keys:
                problems.append(Problem(where, _("De voorwaarde hangt af van vraag %(key)s. Die vraag komt niet eerder. "
                                                 "Kies een vraag die eerder in de lijst staat.", key=source_key)))
            else:
                problems.append(Problem(where, _("De voorwaarde hangt af van vraag %(key)s. Die vraag bestaat niet.",
                                                 key=source_key[:MAX_KEY])))
            continue
        if source["kind"] is None:
            continue  # its kind is wrong already: that problem is in the list
        if source["kind"] not in CHOICE_KINDS:
            problems.append(Problem(where, _("De voorwaarde hangt af van vraag %(key)s. Daar kiest men geen antwoord. "
                                             "Kies een vraag met antwoorden om uit te kiezen.", key=source_key)))
            continue
        values = [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values]
        known = {choice["value"] for choice in source["choices"]}
        wrong = [str(v)[:MAX_KEY] for v in values if v not in known]
        if not values or wrong:
            problems.append(Problem(where, _("De voorwaarde noemt antwoorden die vraag %(key)s niet heeft: %(values)s.",
                                             key=source_key, values=", ".join(wrong) or "-")))
            continue
        conditions.append({"question": source_key, "values": list(dict.fromkeys(values))})
    return conditions


# ---------------------------------------------------------------------------------------------
# Writing

def dump_json(document: dict) -> bytes:
    """The JSON file: readable, UTF-8, every field written (also the empty ones)."""
    ordered = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "title": document.get("title", ""),
        # Which version of the questionnaire this was: for people; an import does not use it.
        "version": document.get("version"),
        "languages": document.get("languages", [BASE_LANGUAGE]),
        "questions": [_ordered_question(q) for q in document["questions"]],
    }
    return (json.dumps(ordered, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _ordered_question(q: dict) -> dict:
    return {
        "key": q["key"], "kind": q["kind"], "section_title": q.get("section_title", ""), "text": q["text"],
        "help_text": q.get("help_text", ""),
        **{name: q.get(name, default) for name, default in BOOLEAN_FIELDS.items()},
        "allow_spoken": bool(q.get("allow_spoken", False)),
        "min_value": q.get("min_value"), "max_value": q.get("max_value"),
        "choices": [{"value": c["value"], "label": c["label"], "translations": c.get("translations", {}),
                     "picture": c.get("picture", "")}
                    for c in q.get("choices", [])],
        "conditions": [{"question": c["question"], "values": list(c["values"])} for c in q.get("conditions", [])],
        "translations": q.get("translations", {}),
        "picture": q.get("picture", ""),
        **({"word_explanations": q["word_explanations"]} if q.get("word_explanations") else {}),
    }


def rekey_for_append(document: dict, taken: set[str], next_number: int) -> tuple[dict, int]:
    """Give imported questions whose key is already in the draft a new free key qN (and make
    their conditions follow). Returns the new document and how many keys changed."""
    mapping = {}
    used = set(taken) | {q["key"] for q in document["questions"]}
    for question in document["questions"]:
        if question["key"] in taken:
            while f"q{next_number}" in used:
                next_number += 1
            mapping[question["key"]] = f"q{next_number}"
            used.add(f"q{next_number}")
    questions = []
    for question in document["questions"]:
        questions.append({
            **question, "key": mapping.get(question["key"], question["key"]),
            "conditions": [{**c, "question": mapping.get(c["question"], c["question"])}
                           for c in question["conditions"]],
        })
    return {**document, "questions": questions}, len(mapping)
