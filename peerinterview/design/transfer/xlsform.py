"""A questionnaire as an XLSForm: the spreadsheet of ODK and KoboToolbox (openpyxl).

Pure functions: `write_xlsform(document) -> bytes` and `read_xlsform(bytes) -> document` (the
plain document of design/transfer/document.py, checked there). Only what both tools know travels:

    PeerInterview      XLSForm (survey sheet)
    single / multi     select_one <list> / select_multiple <list>, answers on the choices sheet
    scale3 / scale5    select_one <list>, appearance "likert"
    yesno              select_one <list>
    number             integer, range as constraint ". >= 0 and . <= 10"
    open               text
    info               note
    section_title      begin_group ... end_group with the title as label
    conditions         relevant: selected(${q1}, '2') or selected(${q1}, '3'), joined by "and"
    help_text          hint

What XLSForm has no column for (the exact kind, "weet ik niet", "wil ik niet zeggen", room for an
explanation) goes in extra columns that ODK and KoboToolbox ignore: peerinterview_kind,
peerinterview_dont_know, peerinterview_refuse, peerinterview_follow_up. A file without them
(made in KoboToolbox) gets the usual values.
"""
import io
import re
import zipfile

from flask_babel import gettext as _

from ...vocabulary import ENGLISH_LANGUAGE_NAMES
from .document import (
    BASE_LANGUAGE,
    BOOLEAN_FIELDS,
    FIXED_KINDS,
    FORMAT,
    FORMAT_VERSION,
    KINDS,
    MAX_FILE_BYTES,
    MAX_QUESTIONS,
    ImportRefused,
    Problem,
    check_questions,
    too_large_problem,
)

NAMES_TO_CODES = {name.casefold(): code for code, name in ENGLISH_LANGUAGE_NAMES.items()} | {
    "nederlands": "nl", "engels": "en"}
EXTRA_COLUMNS = {"allow_dont_know": "peerinterview_dont_know", "allow_refuse": "peerinterview_refuse",
                 "follow_up": "peerinterview_follow_up"}
KIND_COLUMN = "peerinterview_kind"
# Types that collect nothing to ask: KoboToolbox adds them to every form. Skipped quietly.
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
                  "email", "audit", "start-geopoint", "background-audio"}
# Bounds in front of any reading (a small .xlsx can unpack to a huge one, and a few lines of XML
# can claim a million rows of 16,384 columns): checked on the zip's central directory before
# anything is unpacked, then while the sheets are read.
MAX_UNPACKED_BYTES = 2 * 1024 * 1024  # every part of the workbook together, unpacked
MAX_PARTS = 200                       # files inside the .xlsx (a saved XLSForm has about 12)
MAX_ROWS = 5000                       # rows read per sheet
MAX_COLUMNS = 200                     # columns looked at for the header row
SETTINGS_ROWS = 20                    # the settings sheet has a header and one row


def language_label(code: str) -> str:
    return f"{ENGLISH_LANGUAGE_NAMES.get(code, code)} ({code})"


# ---------------------------------------------------------------------------------------------
# Writing

def write_xlsform(document: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    languages = [BASE_LANGUAGE] + [code for code in document.get("languages", []) if code != BASE_LANGUAGE]
    for question in document["questions"]:
        for code in question.get("translations", {}):
            if code not in languages:
                languages.append(code)
        for choice in question.get("choices", []):
            for code in choice.get("translations", {}):
                if code not in languages:
                    languages.append(code)
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    header = (["type", "name"] + [f"label::{language_label(code)}" for code in languages]
              + [f"hint::{language_label(code)}" for code in languages]
              + ["required", "relevant", "constraint", "appearance", KIND_COLUMN, *EXTRA_COLUMNS.values()])
    survey.append(header)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name"] + [f"label::{language_label(code)}" for code in languages])
    keys = {q["key"] for q in document["questions"]}
    in_group, group_number = False, 0
    for question in document["questions"]:
        if question.get("section_title"):
            if in_group:
                survey.append(["end_group"])
            group_number += 1
            while f"sectie_{group_number}" in keys:
                group_number += 1
            titles = [question["section_title"]] + [
                question.get("translations", {}).get(code, {}).get("section_title", "") for code in languages[1:]]
            survey.append(["begin_group", f"sectie_{group_number}", *titles])
            in_group = True
        survey.append(_survey_row(question, languages))
        if question["kind"] in ("single", "multi", *FIXED_KINDS):
            for choice in question["choices"]:
                choices.append([question["key"], choice["value"], choice["label"]]
                               + [choice.get("translations", {}).get(code, "") for code in languages[1:]])
    if in_group:
        survey.append(["end_group"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    title = document.get("title") or "Vragenlijst"
    form_id = re.sub(r"[^a-z0-9_]+", "_", title.casefold()).strip("_")[:40] or "vragenlijst"
    settings.append([title, form_id, str(document.get("version", "1")), language_label(BASE_LANGUAGE)])
    for sheet in (survey, choices, settings):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula that a spreadsheet would run
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _survey_row(question: dict, languages: list[str]) -> list:
    kind = question["kind"]
    xls_type = {"single": "select_one", "multi": "select_multiple", "scale3": "select_one", "scale5": "select_one",
                "yesno": "select_one", "number": "integer", "open": "text", "info": "note"}[kind]
    if xls_type.startswith("select"):
        xls_type = f"{xls_type} {question['key']}"
    translations = question.get("translations", {})
    labels = [question["text"]] + [translations.get(code, {}).get("text", "") for code in languages[1:]]
    hints = [question.get("help_text", "")] + [translations.get(code, {}).get("help_text", "") for code in languages[1:]]
    constraint = []
    if question.get("min_value") is not None:
        constraint.append(f". >= {question['min_value']}")
    if question.get("max_value") is not None:
        constraint.append(f". <= {question['max_value']}")
    relevant = " and ".join(
        "(" + " or ".join(f"selected(${{{c['question']}}}, '{value}')" for value in c["values"]) + ")"
        if len(c["values"]) > 1 else f"selected(${{{c['question']}}}, '{c['values'][0]}')"
        for c in question.get("conditions", [])
    )
    appearance = "likert" if kind in ("scale3", "scale5") else ""
    return ([xls_type, question["key"]] + labels + hints
            + ["yes" if question.get("required") else "", relevant, " and ".join(constraint), appearance, kind]
            + ["yes" if question.get(name, BOOLEAN_FIELDS[name]) else "no" for name in EXTRA_COLUMNS])


# ---------------------------------------------------------------------------------------------
# Reading

def read_xlsform(data: bytes) -> dict:
    """The checked document from an .xlsx file; ImportRefused with every problem found."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused([too_large_problem()])
    check_archive(data)
    workbook = _open_workbook(data)
    problems: list[Problem] = []
    survey = None
    try:
        sheets = {sheet.title.strip().casefold(): sheet for sheet in workbook.worksheets}
        if "survey" not in sheets:
            raise ImportRefused([Problem("", _("Het blad 'survey' ontbreekt. Een XLSForm heeft een blad "
                                               "'survey' met de vragen."))])
        settings = {}
        if "settings" in sheets:  # a header and one row: nothing after that is read
            _number, settings = next(_rows(sheets["settings"], "settings", SETTINGS_COLUMNS,
                                           max_rows=SETTINGS_ROWS), (0, {}))
        default_language = _language_code(settings.get("default_language", "")) or BASE_LANGUAGE
        choice_rows = list(_rows(sheets["choices"], "choices", CHOICE_COLUMNS)) if "choices" in sheets else []
        lists = _choice_lists(choice_rows, default_language, problems)
        # The survey is read while the questions are made, so reading stops after the question limit.
        survey = _rows(sheets["survey"], "survey", SURVEY_COLUMNS)
        questions, languages = _questions(survey, lists, default_language, problems)
    finally:
        if survey is not None:
            survey.close()
        workbook.close()
    title = str(settings.get("form_title", ""))[:200]
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "title": title,
                "languages": languages, "questions": questions}
    if problems:
        # Check the questions too, so the list of problems is complete in one go.
        try:
            check_questions(document)
        except ImportRefused as refused:
            problems.extend(refused.problems)
        raise ImportRefused(problems)
    return check_questions(document)


def _not_xlsx() -> Problem:
    return Problem("", _("Dit bestand is geen Excel-bestand (.xlsx). Sla de XLSForm op als .xlsx."))


def _too_big_unpacked() -> Problem:
    return Problem("", _("Dit bestand is te groot om te lezen. Er zit meer dan %(size)s MB in. "
                         "Haal plaatjes en extra bladen uit het bestand.",
                         size=MAX_UNPACKED_BYTES // (1024 * 1024)))


def check_archive(data: bytes) -> None:
    """Refuse a zip bomb before anything is unpacked: the sizes come from the zip's table of
    contents (its central directory). A part that holds more than it says is cut off there by
    zipfile and then fails its checksum, so these sizes bound what any reader unpacks. Whatever
    reads the workbook (openpyxl here) runs only after this check."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ImportRefused([_not_xlsx()])
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ImportRefused([_too_big_unpacked()])
    if any(part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for part in parts):
        raise ImportRefused([_not_xlsx()])


def _open_workbook(data: bytes):
    from openpyxl import load_workbook

    try:
        # read_only: sheets are read row by row when asked for; keep_links=False: no external
        # workbooks are read.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # noqa: BLE001 -- openpyxl raises many kinds of errors for a broken file
        raise ImportRefused([_not_xlsx()])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _wanted(names: tuple[str, ...], translated: tuple[str, ...] = ()):
    """A test for header names: one of `names`, or `label::…` style columns of `translated`."""
    def wanted(column: str) -> bool:
        base = column.partition("::")[0].strip().casefold()
        return column.casefold() in names or base in translated
    return wanted


SURVEY_COLUMNS = _wanted(("type", "name", "required", "relevant", "constraint", "appearance", KIND_COLUMN,
                          *EXTRA_COLUMNS.values()), ("label", "hint"))
CHOICE_COLUMNS = _wanted(("list_name", "list name", "name", "value"), ("label",))
SETTINGS_COLUMNS = _wanted(("form_title", "default_language"))


def _too_many_rows(name: str, limit: int) -> ImportRefused:
    return ImportRefused([Problem("", _("Het blad %(sheet)s heeft te veel regels. Het mogen er hoogstens "
                                        "%(max)s zijn.", sheet=name, max=limit))])


def _values(sheet, **bounds):
    """The cell values of a sheet, row by row. A sheet is unpacked while it is read, so a broken
    or lying part shows up only here: refused like any file that is not a workbook."""
    try:
        yield from sheet.iter_rows(values_only=True, **bounds)
    except Exception:  # noqa: BLE001 -- zipfile (bad checksum) and the XML parser raise many kinds
        raise ImportRefused([_not_xlsx()])


def _rows(sheet, name: str, wanted, max_rows: int = MAX_ROWS):
    """(row number, {column: text}) of the rows with something in them, reading only the columns
    that `wanted` picks from the header row and at most `max_rows` rows: the size a sheet claims
    for itself is never used."""
    header_number, header = None, []
    for number, values in enumerate(_values(sheet, max_row=max_rows, max_col=MAX_COLUMNS), 1):
        if not any(values):
            continue
        texts = [_cell_text(value) for value in values]
        if any(texts):
            header_number, header = number, texts
            break
    columns = [(index, column) for index, column in enumerate(header) if column and wanted(column)]
    if header_number is None or not columns:
        return
    last = columns[-1][0] + 1
    rows = _values(sheet, min_row=header_number + 1, max_row=max_rows + 1, max_col=last)
    for number, values in enumerate(rows, header_number + 1):
        texts = {column: _cell_text(values[index]) for index, column in columns if index < len(values)}
        if not any(texts.values()):
            continue
        if number > max_rows:
            raise _too_many_rows(name, max_rows)
        yield number, texts


def _language_code(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    match = re.search(r"\(([A-Za-z]{2,3})\)\s*$", text)
    if match:
        return match.group(1).lower()
    return NAMES_TO_CODES.get(text.casefold())


def _translated(row: dict, column: str, default_language: str) -> dict[str, str]:
    """{language: text} of "label", "label::Dutch (nl)", "label::English (en)" ..."""
    found = {}
    for name, value in row.items():
        base, _sep, language = name.partition("::")
        if base.strip().casefold() != column:
            continue
        code = _language_code(language) if language else default_language
        if code and value:
            found[code] = value
    return found


def _where(sheet: str, row: int) -> str:
    return _("Blad %(sheet)s, regel %(row)s", sheet=sheet, row=row)


def _choice_lists(rows, default_language: str, problems: list) -> dict[str, list[dict]]:
    lists: dict[str, list[dict]] = {}
    for number, row in rows:
        list_name = row.get("list_name") or row.get("list name") or ""
        name = row.get("name") or row.get("value") or ""
        if not list_name:
            problems.append(Problem(_where("choices", number), _("De kolom list_name is leeg.")))
            continue
        labels = _translated(row, "label", default_language)
        lists.setdefault(list_name, []).append({
            "value": name, "label": labels.pop(BASE_LANGUAGE, ""),
            "translations": {code: text for code, text in labels.items()},
        })
    return lists


def _questions(rows, lists: dict, default_language: str, problems: list) -> tuple[list[dict], list[str]]:
    questions: list[dict] = []
    languages = [BASE_LANGUAGE]
    groups: list[list[dict]] = []  # the conditions of each open group
    pending_title = None
    for number, row in rows:
        where = _where("survey", number)
        raw_type = " ".join((row.get("type") or "").split())
        type_word, _sep, list_name = raw_type.partition(" ")
        type_word = type_word.casefold().replace(" ", "_")
        if raw_type.casefold() in ("begin group", "end group"):
            type_word = raw_type.casefold().replace(" ", "_")
        if not type_word:
            problems.append(Problem(where, _("De kolom type is leeg. Vul de soort vraag in.")))
            continue
        if type_word in METADATA_TYPES:
            continue
        if type_word == "begin_group":
            titles = _translated(row, "label", default_language)
            if titles.get(BASE_LANGUAGE):
                pending_title = titles
            groups.append(_relevant_conditions(row.get("relevant", ""), where, problems))
            continue
        if type_word == "end_group":
            if not groups:
                problems.append(Problem(where, _("Hier staat end_group zonder begin_group.")))
            else:
                groups.pop()
            pending_title = None  # an empty group: its title belongs to no question
            continue
        kind = _kind_of(type_word, row, where, problems)
        if kind is None:
            continue
        question = _question_from_row(row, kind, list_name, lists, default_language, where, problems)
        question["conditions"] = [c for group in groups for c in group] + question["conditions"]
        if pending_title:
            question["section_title"] = pending_title[BASE_LANGUAGE]
            for code, title in pending_title.items():
                if code != BASE_LANGUAGE:
                    question["translations"].setdefault(code, {})["section_title"] = title
            pending_title = None
        for code in question["translations"]:
            if code not in languages:
                languages.append(code)
        questions.append(question)
        if len(questions) > MAX_QUESTIONS:
            break
    if groups:
        problems.append(Problem("", _("Er staat een begin_group zonder end_group.")))
    return questions, languages


def _kind_of(type_word: str, row: dict, where: str, problems: list) -> str | None:
    by_type = {"select_one": "single", "select_multiple": "multi", "integer": "number", "text": "open",
               "note": "info"}
    if type_word not in by_type:
        problems.append(Problem(where, _("De soort %(type)s kan PeerInterview niet gebruiken. "
                                         "Gebruik select_one, select_multiple, integer, text of note.",
                                         type=type_word[:40])))
        return None
    kind = by_type[type_word]
    named = (row.get(KIND_COLUMN) or "").strip()
    if named:
        allowed = {"single": ("single", *FIXED_KINDS), "multi": ("multi",)}.get(kind, (kind,))
        if named not in KINDS or named not in allowed:
            problems.append(Problem(where, _("In de kolom %(column)s staat %(kind)s. Dat past niet bij de soort %(type)s.",
                                             column=KIND_COLUMN, kind=named[:40], type=type_word)))
            return None
        kind = named
    return kind


def _yes_no(value: str, where: str, column: str, default: bool, problems: list) -> bool:
    text = (value or "").strip().casefold()
    if not text:
        return default
    if text in ("yes", "true", "true()", "1", "ja"):
        return True
    if text in ("no", "false", "false()", "0", "nee"):
        return False
    problems.append(Problem(where, _("In de kolom %(column)s staat %(value)s. Vul yes of no in.",
                                     column=column, value=value[:40])))
    return default


def _question_from_row(row, kind, list_name, lists, default_language, where, problems) -> dict:
    labels = _translated(row, "label", default_language)
    hints = _translated(row, "hint", default_language)
    translations = {}
    for code in (set(labels) | set(hints)) - {BASE_LANGUAGE}:
        texts = {"text": labels.get(code, ""), "help_text": hints.get(code, "")}
        translations[code] = {name: value for name, value in texts.items() if value}
    question = {
        "key": row.get("name", ""), "kind": kind, "section_title": "",
        "text": labels.get(BASE_LANGUAGE, ""), "help_text": hints.get(BASE_LANGUAGE, ""),
        "required": _yes_no(row.get("required", ""), where, "required", False, problems),
        "min_value": None, "max_value": None, "choices": [], "translations": translations,
    }
    for name, column in EXTRA_COLUMNS.items():
        question[name] = _yes_no(row.get(column, ""), where, column, BOOLEAN_FIELDS[name], problems)
    if kind in ("single", "multi", *FIXED_KINDS):
        list_name = list_name.strip()
        if " " in list_name or list_name.endswith("or_other"):
            problems.append(Problem(where, _("De keuze 'or_other' kan PeerInterview niet gebruiken.")))
        elif not list_name:
            problems.append(Problem(where, _("Na %(type)s staat geen naam van een lijst met antwoorden.",
                                             type=row.get("type", "")[:40])))
        elif list_name not in lists:
            problems.append(Problem(where, _("De lijst %(list)s staat niet op het blad choices.", list=list_name[:64])))
        else:
            question["choices"] = [dict(choice) for choice in lists[list_name]]
    constraint = (row.get("constraint") or "").strip()
    if constraint:
        if kind != "number":
            problems.append(Problem(where, _("Een regel in de kolom constraint kan alleen bij een getal (integer).")))
        else:
            question["min_value"], question["max_value"] = _range_of(constraint, where, problems)
    question["conditions"] = _relevant_conditions(row.get("relevant", ""), where, problems)
    return question


RANGE_PART = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+)$")


def _range_of(constraint: str, where: str, problems: list):
    low = high = None
    for part in re.split(r"\s+and\s+", constraint.strip().strip("()").strip()):
        match = RANGE_PART.match(part.strip().strip("()").strip())
        if not match:
            problems.append(Problem(where, _("De regel %(rule)s kunnen we niet lezen. Gebruik bijvoorbeeld "
                                             "'. >= 0 and . <= 10'.", rule=constraint[:80])))
            return None, None
        operator, number = match.group(1), int(match.group(2))
        if operator == ">=":
            low = number
        elif operator == ">":
            low = number + 1
        elif operator == "<=":
            high = number
        else:
            high = number - 1
    return low, high


# --- relevant: a small parser for the expressions PeerInterview can show as conditions -------

TOKEN = re.compile(r"\s*(?:(?P<ref>\$\{[^}]*\})|(?P<string>'[^']*'|\"[^\"]*\")|(?P<number>-?\d+)"
                   r"|(?P<word>[A-Za-z_][A-Za-z0-9_\-]*)|(?P<op>!=|=|\(|\)|,))")


class _Unreadable(Exception):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise _Unreadable
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """expr := term ('or' term)* ; term := factor ('and' factor)* ;
    factor := '(' expr ')' | selected '(' ref ',' literal ')' | ref '=' literal"""

    def __init__(self, tokens):
        self.tokens, self.index = tokens, 0

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise _Unreadable
        self.index += 1
        return token

    def parse(self):
        node = self.expr()
        if self.index != len(self.tokens):
            raise _Unreadable
        return node

    def expr(self):
        parts = [self.term()]
        while self.peek() == ("word", "or"):
            self.take()
            parts.append(self.term())
        return ("or", parts) if len(parts) > 1 else parts[0]

    def term(self):
        parts = [self.factor()]
        while self.peek() == ("word", "and"):
            self.take()
            parts.append(self.factor())
        return ("and", parts) if len(parts) > 1 else parts[0]

    def factor(self):
        kind, value = self.peek()
        if (kind, value) == ("op", "("):
            self.take()
            node = self.expr()
            self.take("op", ")")
            return node
        if (kind, value) == ("word", "selected"):
            self.take()
            self.take("op", "(")
            ref = self.take("ref")[1]
            self.take("op", ",")
            literal = self.literal()
            self.take("op", ")")
            return ("is", ref[2:-1].strip(), literal)
        if kind == "ref":
            self.take()
            self.take("op", "=")
            return ("is", value[2:-1].strip(), self.literal())
        raise _Unreadable

    def literal(self):
        kind, value = self.peek()
        if kind == "string":
            self.take()
            return value[1:-1]
        if kind == "number":
            self.take()
            return value
        raise _Unreadable


def _relevant_conditions(text: str, where: str, problems: list) -> list[dict]:
    """[{"question": key, "values": [...]}] of an XLSForm relevant expression: an "and" of parts,
    each one answer or an "or" of answers to the same question."""
    if not (text or "").strip():
        return []
    try:
        node = _Parser(_tokens(text)).parse()
        parts = _flatten_and(node)
        conditions = []
        for part in parts:
            atoms = _flatten_or(part)
            sources = {atom[1] for atom in atoms}
            if len(sources) != 1:
                raise _Unreadable
            conditions.append({"question": sources.pop(), "values": list(dict.fromkeys(atom[2] for atom in atoms))})
        return conditions
    except _Unreadable:
        problems.append(Problem(where, _("De voorwaarde %(rule)s kunnen we niet lezen. Gebruik bijvoorbeeld "
                                         "selected(${q1}, '2').", rule=text[:120])))
        return []


def _flatten_and(node) -> list:
    if node[0] == "and":
        return [part for child in node[1] for part in _flatten_and(child)]
    return [node]


def _flatten_or(node) -> list:
    if node[0] == "is":
        return [node]
    if node[0] == "or":
        return [atom for child in node[1] for atom in _flatten_or(child)]
    raise _Unreadable
