"""A questionnaire as an XLSForm: the spreadsheet of ODK and KoboToolbox (openpyxl).

Pure functions: `write_xlsform(document) -> bytes` and `read_xlsform(bytes) -> document` (the
plain document of design/transfer/document.py, checked there). Reading goes through pyxform
(xlsform_read.py) and the mapping of xlsform_import.py. Only what both tools know travels:

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

from ...vocabulary import ENGLISH_LANGUAGE_NAMES
from .document import BASE_LANGUAGE, BOOLEAN_FIELDS, FIXED_KINDS
from .xlsform_import import EXTRA_COLUMNS, KIND_COLUMN, plan_import
from .xlsform_read import survey_tree


def language_label(code: str) -> str:
    return f"{ENGLISH_LANGUAGE_NAMES.get(code, code)} ({code})"


# ---------------------------------------------------------------------------------------------
# Writing

def write_xlsform(document: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    languages = _document_languages(document)
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
        _finish_sheet(sheet, Font(bold=True))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _document_languages(document: dict) -> list[str]:
    """Dutch first, then the document's languages, then any other language a text is given in."""
    languages = [BASE_LANGUAGE] + [code for code in document.get("languages", []) if code != BASE_LANGUAGE]
    for question in document["questions"]:
        for code in question.get("translations", {}):
            if code not in languages:
                languages.append(code)
        for choice in question.get("choices", []):
            for code in choice.get("translations", {}):
                if code not in languages:
                    languages.append(code)
    return languages


def _finish_sheet(sheet, header_font) -> None:
    """A bold, frozen header row, and every text kept as text."""
    for cell in sheet[1]:
        cell.font = header_font
    sheet.freeze_panes = "A2"
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula that a spreadsheet would run


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
    """The checked document of an .xlsx file, with the texts of the Dutch (or the form's default)
    column: what the preview shows, without the list of what is left out. ImportRefused if the
    file cannot be read or nothing in it fits."""
    return plan_import(survey_tree(data)).document
