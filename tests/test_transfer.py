"""Versions: export and import a questionnaire as JSON and as XLSForm, copy another
project's list, start from a starter list. Every round trip keeps every supported field; a bad
file is refused whole with a B1 list of problems and changes nothing; a frozen version never
changes; only staff and designers of the project may do any of it."""
import io
import json
import re
import struct
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import add_condition, add_question, questionnaire_of
from peerinterview.design.transfer.document import (
    KINDS,
    ImportRefused,
    check_document,
    dump_json,
    parse_json,
)
from peerinterview.design.transfer.services import STARTERS, starter_document
from peerinterview.design.transfer.xlsform import read_xlsform, write_xlsform
from peerinterview.extensions import db
from peerinterview.models import (
    AuditEvent,
    Choice,
    Condition,
    Project,
    Question,
    QuestionnaireVersion,
)
from peerinterview.models.questionnaires import QUESTION_KINDS

from .builders import html_of, plain_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------------
# Helpers

def transfer_url(project_id, what=""):
    return f"/projects/{project_id}/questionnaire/{what}" if what else f"/projects/{project_id}/questionnaire/transfer"


def export_url(project_id, number, extension):
    return f"/projects/{project_id}/questionnaire/versions/{number}/export.{extension}"


def upload(post, project_id, data: bytes, name: str, mode="replace"):
    return post(transfer_url(project_id, "import"),
                {"file": (io.BytesIO(data), name), "import_mode": mode}, content_type="multipart/form-data")


def preview_fields(response) -> dict:
    """The hidden token and the chosen language of an XLSForm preview page."""
    assert response.status_code == 200, html_of(response)[:2000]
    inputs = {}
    for tag in re.findall(r"<input [^>]*>", html_of(response)):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and value and ("radio" not in tag or "checked" in tag):
            inputs.setdefault(name.group(1), value.group(1))
    return {"token": inputs["token"], "language": inputs.get("language", "")}


def confirm(post, project_id, fields: dict, mode="replace", action="confirm"):
    return post(transfer_url(project_id, "import/xlsform"), {**fields, "import_mode": mode, "action": action})


def upload_xlsform(post, project_id, data: bytes, name="lijst.xlsx", mode="replace"):
    """Upload an XLSForm and say yes to its preview."""
    return confirm(post, project_id, preview_fields(upload(post, project_id, data, name, mode)), mode)


def build_rich_draft(app, project_id):
    """A draft with every kind, sections, translations (also of a section title and of answers),
    conditions with more than one answer, a number range and every option switched both ways."""
    with app.app_context():
        project = db.session.get(Project, project_id)
        staff = find_user("staf")
        draft = questionnaire_of(project).draft
        en = {"en": {"text": "Welcome", "help_text": "Read this out.", "section_title": "Start"}}
        add_question(draft, kind="info", text="Welkom bij dit gesprek.", help_text="Lees dit voor.",
                     section_title="Begin", translations=en, by=staff)
        visits = add_question(draft, kind="single", text="Hoe vaak komt u hier?", required=True,
                              choice_labels=["Elke dag", "Soms", "Bijna nooit"], follow_up=True,
                              allow_dont_know=False, translations={"en": {"text": "How often do you come here?"}},
                              choice_translations={"en": ["Every day", "Sometimes", ""]}, by=staff)
        why = add_question(draft, kind="multi", text="Waarvoor komt u?", choice_labels=["Eten", "Rust", "Mensen"],
                           allow_refuse=False, by=staff)
        add_question(draft, kind="scale3", text="Hoe is het eten?", follow_up=True, by=staff)
        add_question(draft, kind="scale5", text="Hoe voelt u zich hier?", required=True,
                     section_title="Over u", by=staff)
        safe = add_question(draft, kind="yesno", text="Voelt u zich veilig?", by=staff)
        hours = add_question(draft, kind="number", text="Hoeveel uur bent u hier?", min_value=0, max_value=12,
                             help_text="Een heel getal.", by=staff)
        add_question(draft, kind="number", text="Hoe oud bent u?", min_value=16, by=staff)
        late = add_question(draft, kind="open", text="Wat kan beter?", help_text="Vraag door.",
                            translations={"en": {"text": "What could be better?", "help_text": "Ask more."}}, by=staff)
        add_condition(why, visits, ["1", "3"], by=staff)
        add_condition(late, safe, ["2"], by=staff)
        add_condition(late, why, ["2"], by=staff)
        db.session.commit()
        ids = {"hours": hours.id}
        db.session.remove()
    return ids


def snapshot(app) -> dict:
    """Everything an import could change, as plain values."""
    with app.app_context():
        questions = [
            (q.version_id, q.key, q.position, q.kind, q.text, q.help_text, q.required, q.allow_dont_know,
             q.allow_refuse, q.follow_up, q.section_title, q.min_value, q.max_value, json.dumps(q.translations, sort_keys=True))
            for q in db.session.scalars(select(Question).order_by(Question.id))
        ]
        choices = [(c.question_id, c.position, c.value, c.label, json.dumps(c.translations, sort_keys=True))
                   for c in db.session.scalars(select(Choice).order_by(Choice.id))]
        conditions = [(c.question_id, c.source_question_id, list(c.values))
                      for c in db.session.scalars(select(Condition).order_by(Condition.id))]
        versions = [(v.id, v.questionnaire_id, v.number, v.frozen_at)
                    for v in db.session.scalars(select(QuestionnaireVersion).order_by(QuestionnaireVersion.id))]
        audit = db.session.scalar(select(func.count(AuditEvent.id)))
        db.session.remove()
    return {"questions": questions, "choices": choices, "conditions": conditions, "versions": versions,
            "audit": audit}


def version_numbers(app, project_id):
    with app.app_context():
        versions = questionnaire_of(db.session.get(Project, project_id)).versions
        result = [(v.number, v.is_frozen, len(v.questions)) for v in versions]
        db.session.remove()
    return result


def exported(client, project_id, number, extension="json") -> bytes:
    response = client.get(export_url(project_id, number, extension))
    assert response.status_code == 200, html_of(response)[:500]
    return response.data


def comparable(data: bytes) -> dict:
    """The JSON export without what names the project and version it came from."""
    document = json.loads(data)
    document.pop("title")
    document.pop("version")
    return document


def audit_events(app, action):
    with app.app_context():
        events = [(e.user_id, e.project_id, e.detail)
                  for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                              .order_by(AuditEvent.id))]
        db.session.remove()
    return events


def problems_of(response) -> str:
    assert response.status_code == 422, html_of(response)[:800]
    text = plain_text(response)
    assert "Er is niets veranderd" in text
    return text


# ---------------------------------------------------------------------------------------------
# Round trips

def test_the_kinds_are_the_models_kinds():
    assert KINDS == QUESTION_KINDS


def test_json_round_trip_keeps_every_field(app, world, draft_project, login_as):
    build_rich_draft(app, draft_project)
    staff, post = login_as("staf")
    first = exported(staff, draft_project, 1)
    document = json.loads(first)
    assert document["format"] == "peerinterview-questionnaire"
    assert [q["kind"] for q in document["questions"]] == [
        "info", "single", "multi", "scale3", "scale5", "yesno", "number", "number", "open"]
    assert document["questions"][0]["translations"]["en"]["section_title"] == "Start"
    assert document["questions"][1]["choices"][0] == {"value": "1", "label": "Elke dag",
                                                      "translations": {"en": "Every day"}, "picture": ""}
    assert document["questions"][2]["conditions"] == [{"question": "q2", "values": ["1", "3"]}]

    # Into the world's project, whose only version is frozen: a new draft (version 2) gets them.
    before = version_numbers(app, world.project_id)
    response = upload(post, world.project_id, first, "lijst.json")
    assert response.status_code == 303, html_of(response)[:2000]
    assert response.headers["Location"].endswith(f"/projects/{world.project_id}/questionnaire#vragen")
    assert version_numbers(app, world.project_id) == [before[0], (2, False, 9)]
    second = exported(staff, world.project_id, 2)
    assert comparable(second) == comparable(first)


def test_xlsform_round_trip_keeps_every_supported_field(app, world, draft_project, login_as):
    build_rich_draft(app, draft_project)
    staff, post = login_as("staf")
    original = exported(staff, draft_project, 1)
    sheet_bytes = exported(staff, draft_project, 1, "xlsx")
    response = upload_xlsform(post, world.project_id, sheet_bytes)
    assert response.status_code == 303, html_of(response)[:2000]
    assert comparable(exported(staff, world.project_id, 2)) == comparable(original)


def test_the_xlsform_is_what_odk_and_kobotoolbox_expect(app, draft_project, login_as):
    build_rich_draft(app, draft_project)
    staff, _post = login_as("dirk")
    response = staff.get(export_url(draft_project, 1, "xlsx"))
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    rows = [list(row) for row in workbook["survey"].iter_rows(values_only=True)]
    header = rows[0]
    for column in ("type", "name", "label::Dutch (nl)", "label::English (en)", "hint::Dutch (nl)", "required",
                   "relevant", "constraint", "appearance"):
        assert column in header, column
    by_name = {row[header.index("name")]: dict(zip(header, row)) for row in rows[1:] if row[1]}
    assert rows[1][:3] == ["begin_group", "sectie_1", "Begin"]
    assert by_name["q1"]["type"] == "note"
    assert by_name["q2"]["type"] == "select_one q2"
    assert by_name["q2"]["required"] == "yes"
    assert by_name["q2"]["label::English (en)"] == "How often do you come here?"
    assert by_name["q3"]["type"] == "select_multiple q3"
    assert by_name["q3"]["relevant"] == "(selected(${q2}, '1') or selected(${q2}, '3'))"
    assert by_name["q4"]["appearance"] == "likert"
    assert by_name["q7"]["type"] == "integer"
    assert by_name["q7"]["constraint"] == ". >= 0 and . <= 12"
    assert by_name["q8"]["constraint"] == ". >= 16"
    assert by_name["q9"]["type"] == "text"
    assert by_name["q9"]["relevant"] == "selected(${q6}, '2') and selected(${q3}, '2')"
    types = [row[0] for row in rows[1:]]
    assert types.count("begin_group") == 2 and types.count("end_group") == 2
    assert types[-1] == "end_group"
    choices = [list(row) for row in workbook["choices"].iter_rows(values_only=True)]
    assert choices[0][:3] == ["list_name", "name", "label::Dutch (nl)"]
    assert ["q2", "1", "Elke dag", "Every day"] in choices
    settings = [list(row) for row in workbook["settings"].iter_rows(values_only=True)]
    assert settings[0] == ["form_title", "form_id", "version", "default_language"]
    assert settings[1][3] == "Dutch (nl)"


def kobo_form() -> bytes:
    """A form as KoboToolbox makes it: metadata rows, plain "label", yes/no values, no
    PeerInterview columns, "=" in relevant, a group with its own condition."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "label::English (en)", "hint", "required", "relevant", "constraint"])
    survey.append(["start", "start"])
    survey.append(["end", "end"])
    survey.append(["select_one yes_no", "eet", "Eet u hier?", "Do you eat here?", "", "TRUE()", "", ""])
    survey.append(["begin group", "eten", "Over het eten", "About the food", "", "", "${eet} = 'yes'", ""])
    survey.append(["integer", "maaltijden", "Hoeveel maaltijden per week?", "", "Tel ze samen.", "", "",
                   ".>=0 and .<=21"])
    survey.append(["text", "smaak", "Wat vindt u van de smaak?", "", "", "", "", ""])
    survey.append(["end group", "", "", "", "", "", "", ""])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label", "label::English (en)"])
    choices.append(["yes_no", "yes", "Ja", "Yes"])
    choices.append(["yes_no", "no", "Nee", "No"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "default_language"])
    settings.append(["Eten", "Dutch (nl)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_kobotoolbox_form_is_read(app, draft_project, login_as):
    _client, post = login_as("dirk")
    response = upload_xlsform(post, draft_project, kobo_form(), "kobo.xlsx")
    assert response.status_code == 303, html_of(response)[:2000]
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, draft_project)).draft
        got = [(q.key, q.kind, q.text, q.section_title, q.required, q.min_value, q.max_value,
                [(c.value, c.label, c.translations) for c in q.choices],
                [(c.source.key, c.values) for c in q.conditions], q.translations) for q in draft.questions]
        db.session.remove()
    assert got == [
        ("eet", "single", "Eet u hier?", "", True, None, None,
         [("yes", "Ja", {"en": "Yes"}), ("no", "Nee", {"en": "No"})], [], {"en": {"text": "Do you eat here?"}}),
        ("maaltijden", "number", "Hoeveel maaltijden per week?", "Over het eten", False, 0, 21, [],
         [("eet", ["yes"])], {"en": {"section_title": "About the food"}}),
        ("smaak", "open", "Wat vindt u van de smaak?", "", False, None, None, [], [("eet", ["yes"])], {}),
    ]


# ---------------------------------------------------------------------------------------------
# Bad files: a B1 list of problems, and nothing changes

GOOD = {"format": "peerinterview-questionnaire", "format_version": 1, "questions": [
    {"key": "q1", "kind": "single", "text": "Hoe vaak komt u hier?",
     "choices": [{"value": "1", "label": "Vaak"}, {"value": "2", "label": "Soms"}]},
    {"key": "q2", "kind": "open", "text": "Wat kan beter?", "conditions": [{"question": "q1", "values": ["2"]}]},
]}


def variant(change) -> bytes:
    document = json.loads(json.dumps(GOOD))
    change(document)
    return json.dumps(document).encode()


def xlsform_with(rows, choices=None) -> bytes:
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Dutch (nl)", "relevant", "constraint"])
    for row in rows:
        survey.append(row)
    sheet = workbook.create_sheet("choices")
    sheet.append(["list_name", "name", "label::Dutch (nl)"])
    for row in choices or [["ja_nee", "1", "Ja"], ["ja_nee", "2", "Nee"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BAD_FILES = {
    "bad_json": (b'{"format": "peerinterview-questionnaire", "questions": [', "lijst.json",
                 "Er staat een fout in de JSON-tekst, op regel 1."),
    "not_ours": (b'{"name": "iets anders"}', "lijst.json", "Dit bestand is geen vragenlijst uit PeerInterview."),
    "unknown_kind": (variant(lambda d: d["questions"][1].update(kind="slider")), "lijst.json",
                     "Vraag 2 (q2): De soort vraag slider kennen we niet."),
    "duplicate_key": (variant(lambda d: d["questions"][1].update(key="q1", conditions=[])), "lijst.json",
                      "De sleutel q1 staat ook bij vraag 1. Geef elke vraag een eigen sleutel."),
    "condition_forward": (variant(lambda d: d["questions"][0].update(conditions=[{"question": "q2", "values": ["1"]}])),
                          "lijst.json", "De voorwaarde hangt af van vraag q2. Die vraag komt niet eerder."),
    "condition_missing": (variant(lambda d: d["questions"][1].update(conditions=[{"question": "q9", "values": ["1"]}])),
                          "lijst.json", "De voorwaarde hangt af van vraag q9. Die vraag bestaat niet."),
    "condition_wrong_answer": (variant(lambda d: d["questions"][1].update(conditions=[{"question": "q1", "values": ["7"]}])),
                               "lijst.json", "De voorwaarde noemt antwoorden die vraag q1 niet heeft: 7."),
    "missing_label": (variant(lambda d: d["questions"][1].update(text="  ")), "lijst.json",
                      "Vraag 2 (q2): De vraag heeft geen Nederlandse tekst."),
    "missing_choice_label": (variant(lambda d: d["questions"][0]["choices"][1].update(label="")), "lijst.json",
                             "Antwoord 2 heeft geen Nederlandse tekst."),
    "range_upside_down": (variant(lambda d: d["questions"][1].update(kind="number", min_value=9, max_value=2)),
                          "lijst.json", "Het kleinste getal (9) is groter dan het grootste getal (2)."),
    "too_large": (b" " * (512 * 1024 + 1), "lijst.json", "Het bestand is te groot."),
    "wrong_type": (b"%PDF-1.4", "lijst.pdf", "Kies een .json-bestand of een .xlsx-bestand."),
    "old_excel": (b"\xd0\xcf\x11\xe0", "lijst.xls", "Sla de XLSForm in Excel op als .xlsx"),
    "xlsx_not_a_workbook": (b"dit is geen zip", "lijst.xlsx", "Dit bestand is geen Excel-bestand (.xlsx)."),
    "xlsform_only_a_map_point": (xlsform_with([["geopoint", "plek", "Waar bent u?"]]), "lijst.xlsx",
                                 "plek: Een plek op de kaart. Die vragen we niet in een gesprek."),
    "xlsform_missing_label": (xlsform_with([["select_one ja_nee", "q1", ""]]), "lijst.xlsx",
                              "q1: De vraag heeft geen Nederlandse tekst."),
    "xlsform_missing_list": (xlsform_with([["select_one kleuren", "a", "Welke kleur?"]]), "lijst.xlsx",
                             "Blad survey, regel 2: De lijst kleuren staat niet op het blad choices."),
    "xlsform_duplicate_name": (xlsform_with([["text", "a", "Vraag een"], ["text", "a", "Vraag twee"]]), "lijst.xlsx",
                               "De naam a staat meer dan één keer in het formulier."),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_and_changes_nothing(app, world, draft_project, login_as, case):
    build_rich_draft(app, draft_project)
    data, name, message = BAD_FILES[case]
    _client, post = login_as("dirk")
    for project_id in (draft_project, world.project_id):  # with a draft, and with only a frozen version
        before = snapshot(app)
        response = upload(post, project_id, data, name)
        text = problems_of(response)
        assert message.replace("&gt;", ">") in text, text[:3000]
        assert "Fout:" in html_of(response).split("</title>")[0]
        assert snapshot(app) == before


def test_every_problem_is_listed_at_once(app, draft_project, login_as):
    document = json.loads(json.dumps(GOOD))
    document["questions"][0]["kind"] = "slider"
    document["questions"][1]["text"] = ""
    document["questions"].append({"key": "q1", "kind": "open", "text": "Nog een"})
    _client, post = login_as("staf")
    text = problems_of(upload(post, draft_project, json.dumps(document).encode(), "lijst.json"))
    assert "We vonden 3 problemen." in text
    assert "De soort vraag slider kennen we niet." in text
    assert "De vraag heeft geen Nederlandse tekst." in text
    assert "De sleutel q1 staat ook bij vraag 1." in text


def test_no_file_is_a_form_error(app, draft_project, login_as):
    _client, post = login_as("staf")
    before = snapshot(app)
    response = post(transfer_url(draft_project, "import"), {"import_mode": "append"})
    assert response.status_code == 422
    assert "Kies een bestand." in plain_text(response)
    assert snapshot(app) == before


def test_the_pure_checks_refuse_what_the_routes_refuse():
    with pytest.raises(ImportRefused) as refused:
        parse_json(b"[1, 2")
    assert len(refused.value.problems) == 1
    with pytest.raises(ImportRefused):
        read_xlsform(b"PK\x03\x04 kapot")
    checked = check_document(json.loads(json.dumps(GOOD)))
    assert checked["questions"][1]["conditions"] == [{"question": "q1", "values": ["2"]}]
    assert checked["questions"][0]["allow_dont_know"] is True


# ---------------------------------------------------------------------------------------------
# Replace, append, frozen versions

def test_append_keeps_the_draft_and_gives_clashing_keys_a_new_one(app, draft_project, login_as):
    build_rich_draft(app, draft_project)
    _client, post = login_as("staf")
    response = upload(post, draft_project, json.dumps(GOOD).encode(), "lijst.json", mode="append")
    assert response.status_code == 303
    page = _client.get(response.headers["Location"])
    assert "2 vragen kregen een nieuwe sleutel" in plain_text(page)
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, draft_project)).draft
        keys = [q.key for q in draft.questions]
        last = draft.questions[-1]
        condition = [(c.source.key, c.values) for c in last.conditions]
        db.session.remove()
    assert keys == ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11"]
    assert condition == [("q10", ["2"])]


def test_replace_changes_only_the_draft_never_a_frozen_version(app, world, login_as):
    frozen_before = [row for row in snapshot(app)["questions"] if row[0] == world.version_id]
    _client, post = login_as("staf")
    assert upload(post, world.project_id, json.dumps(GOOD).encode(), "lijst.json").status_code == 303
    # Version 2 was made from version 1 and then replaced; version 1 is as it was.
    assert version_numbers(app, world.project_id) == [(1, True, 3), (2, False, 2)]
    assert [row for row in snapshot(app)["questions"] if row[0] == world.version_id] == frozen_before
    # Again into the same draft: still version 2, now with only the file's questions.
    assert upload(post, world.project_id, json.dumps(GOOD).encode(), "lijst.json").status_code == 303
    assert version_numbers(app, world.project_id) == [(1, True, 3), (2, False, 2)]


def test_imported_choice_values_are_kept(app, draft_project, login_as):
    document = json.loads(json.dumps(GOOD))
    document["questions"][0]["choices"] = [{"value": "3", "label": "Vaak"}, {"value": "1", "label": "Soms"}]
    document["questions"][1]["conditions"] = [{"question": "q1", "values": ["1"]}]
    _client, post = login_as("staf")
    assert upload(post, draft_project, json.dumps(document).encode(), "lijst.json").status_code == 303
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, draft_project)).draft
        assert [(c.value, c.label) for c in draft.questions[0].choices] == [("3", "Vaak"), ("1", "Soms")]
        assert [(c.source.key, c.values) for c in draft.questions[1].conditions] == [("q1", ["1"])]
        db.session.remove()


# ---------------------------------------------------------------------------------------------
# Starter lists and copies

@pytest.mark.parametrize("name", sorted(STARTERS))
def test_each_starter_list_is_a_good_b1_list(app, name):
    from peerinterview.plainlanguage import check

    with app.test_request_context():
        document = starter_document(name)
    questions = document["questions"]
    assert 10 <= len(questions) <= 15
    assert len({q["kind"] for q in questions}) >= 6
    assert any(q["conditions"] for q in questions)
    assert sum(1 for q in questions if q["section_title"]) >= 2
    for question in questions:
        assert question["translations"]["en"]["text"], question["key"]
        if question["section_title"]:
            assert question["translations"]["en"]["section_title"]
        for choice in question["choices"] if question["kind"] in ("single", "multi") else []:
            assert choice["translations"]["en"], (question["key"], choice)
        report = check(question["text"])
        assert report.label != "moeilijk", (question["text"], report)
        assert len(question["text"].split()) <= 15


def test_start_from_a_starter_list(app, draft_project, login_as):
    client, post = login_as("dirk")
    page = client.get(transfer_url(draft_project))
    assert page.status_code == 200
    for name in ("Dagopvang", "Beschermd wonen", "Ambulante begeleiding"):
        assert name in plain_text(page)
    response = post(transfer_url(draft_project, "starter"), {"starter": "beschermd_wonen", "starter_mode": "append"})
    assert response.status_code == 303
    assert "13 vragen staan nu in versie 1." in plain_text(client.get(response.headers["Location"]))
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, draft_project)).draft
        assert draft.questions[0].section_title == "Uw huis"
        assert draft.questions[11].conditions[0].source.key == "q11"
        db.session.remove()
    assert audit_events(app, "questionnaire.import")[0][2]["starter"] == "beschermd_wonen"
    response = post(transfer_url(draft_project, "starter"), {"starter": "bestaat-niet", "starter_mode": "append"})
    assert response.status_code == 422
    assert "Kies een voorbeeldlijst." in plain_text(response)


def test_copy_from_another_project_of_the_same_designer(app, world, draft_project, login_as):
    client, post = login_as("dirk")
    with app.app_context():
        world_version = questionnaire_of(db.session.get(Project, world.project_id)).versions[0].id
        db.session.remove()
    page = client.get(transfer_url(draft_project))
    assert "Onderzoek dagopvang – versie 1 (vastgezet, 3 vragen)" in plain_text(page)
    response = post(transfer_url(draft_project, "copy"), {"source": str(world_version), "copy_mode": "replace"})
    assert response.status_code == 303
    assert comparable(exported(client, draft_project, 1)) == comparable(exported(client, world.project_id, 1))
    detail = audit_events(app, "questionnaire.import")[0][2]
    assert detail["source"] == "copy" and detail["from_project_id"] == world.project_id


def test_no_copy_from_a_project_where_the_user_is_no_designer(app, world, draft_project, login_as, make_user):
    # anna interviews in the world's project and designs in the new one: the world's list is not hers to copy.
    with app.app_context():
        from peerinterview.accounts.services import set_membership
        set_membership(user=find_user("anna"), project_id=draft_project, roles={"designer"}, by=find_user("staf"))
        world_version = questionnaire_of(db.session.get(Project, world.project_id)).versions[0].id
        db.session.commit()
        db.session.remove()
    client, post = login_as("anna")
    page = client.get(transfer_url(draft_project))
    assert "Onderzoek dagopvang" not in plain_text(page)
    before = snapshot(app)
    response = post(transfer_url(draft_project, "copy"), {"source": str(world_version), "copy_mode": "append"})
    assert response.status_code == 422
    assert "Kies een vragenlijst uit de lijst." in plain_text(response)
    assert snapshot(app) == before


# ---------------------------------------------------------------------------------------------
# Who may, and the log

def test_only_staff_and_designers_of_the_project(app, world, login_as):
    for name in ("anna", "petra", "andere-staf"):
        client, post = login_as(name)
        assert client.get(transfer_url(world.project_id)).status_code == 403
        assert client.get(export_url(world.project_id, 1, "json")).status_code == 403
        assert client.get(export_url(world.project_id, 1, "xlsx")).status_code == 403
        before = snapshot(app)
        assert upload(post, world.project_id, json.dumps(GOOD).encode(), "lijst.json").status_code == 403
        assert post(transfer_url(world.project_id, "starter"),
                    {"starter": "dagopvang", "starter_mode": "append"}).status_code == 403
        assert snapshot(app) == before
    client, _post = login_as("staf")
    assert client.get(export_url(world.project_id, 7, "json")).status_code == 404


def test_the_builder_links_to_the_transfer_page(world, login_as):
    client, _post = login_as("dirk")
    page = html_of(client.get(f"/projects/{world.project_id}/questionnaire"))
    assert f'href="/projects/{world.project_id}/questionnaire/transfer"' in page


def test_exports_and_imports_are_logged_without_content(app, world, login_as):
    client, post = login_as("staf")
    exported(client, world.project_id, 1)
    exported(client, world.project_id, 1, "xlsx")
    upload(post, world.project_id, json.dumps(GOOD).encode(), "lijst.json", mode="append")
    with app.app_context():
        staff_id = find_user("staf").id
        db.session.remove()
    exports = audit_events(app, "questionnaire.export")
    assert [(user, project, detail["format"], detail["number"], detail["questions"])
            for user, project, detail in exports] == [(staff_id, world.project_id, "json", 1, 3),
                                                      (staff_id, world.project_id, "xlsform", 1, 3)]
    [(user, project, detail)] = audit_events(app, "questionnaire.import")
    assert (user, project, detail["mode"], detail["added"], detail["format"]) == (
        staff_id, world.project_id, "append", 2, "json")
    assert "Hoe vaak komt u hier?" not in json.dumps(detail)


# ---------------------------------------------------------------------------------------------
# Any document: both formats give back exactly what went in

TEXT = st.text(alphabet=st.sampled_from(list("abcdeéëij XYZ?!'\"=<>&,.-0123456789\n")), min_size=1, max_size=40).map(
    str.strip).filter(bool)


@st.composite
def documents(draw):
    questions = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        kind = draw(st.sampled_from(KINDS))
        question = {
            "key": f"q{number}", "kind": kind, "text": draw(TEXT), "help_text": draw(st.one_of(st.just(""), TEXT)),
            "section_title": draw(st.one_of(st.just(""), TEXT)),
            "required": draw(st.booleans()) and kind != "info",
            "allow_dont_know": draw(st.booleans()) and kind != "info",
            "allow_refuse": draw(st.booleans()) and kind != "info",
            "follow_up": draw(st.booleans()) and kind in ("single", "multi", "scale3", "scale5", "yesno"),
            "min_value": None, "max_value": None, "choices": [], "conditions": [], "translations": {},
            "picture": "",
        }
        if kind == "number":
            low = draw(st.one_of(st.none(), st.integers(-5, 5)))
            high = draw(st.one_of(st.none(), st.integers(5, 100)))
            question.update(min_value=low, max_value=high)
        if kind in ("single", "multi"):
            labels = draw(st.lists(TEXT, min_size=2, max_size=4, unique_by=str.casefold))
            values = draw(st.lists(st.sampled_from(["1", "2", "3", "4", "7", "ja", "nee_1"]), min_size=len(labels),
                                   max_size=len(labels), unique=True))
            question["choices"] = [{"value": v, "label": label, "translations": draw(
                st.one_of(st.just({}), TEXT.map(lambda t: {"en": t}))), "picture": ""} for v, label in zip(values, labels)]
        elif kind in ("scale3", "scale5", "yesno"):
            count = {"scale3": 3, "scale5": 5, "yesno": 2}[kind]
            question["choices"] = [{"value": str(i), "label": "", "translations": {}, "picture": ""}
                                   for i in range(1, count + 1)]
        sources = [q for q in questions if q["choices"]]
        if sources and draw(st.booleans()):
            source = draw(st.sampled_from(sources))
            values = draw(st.lists(st.sampled_from([c["value"] for c in source["choices"]]), min_size=1, unique=True))
            question["conditions"] = [{"question": source["key"], "values": values}]
        if draw(st.booleans()):
            english = {"text": draw(TEXT)}
            if question["section_title"]:
                english["section_title"] = draw(TEXT)
            if question["help_text"] and draw(st.booleans()):
                english["help_text"] = draw(TEXT)
            question["translations"] = {"en": english}
        questions.append(question)
    return {"format": "peerinterview-questionnaire", "format_version": 1, "title": "Lijst", "languages": ["nl", "en"],
            "questions": questions}


@settings(max_examples=40, deadline=None)
@given(documents())
def test_any_document_survives_both_formats(document):
    checked = check_document(document)
    assert checked["questions"] == document["questions"]
    assert parse_json(dump_json(checked))["questions"] == checked["questions"]
    # pyxform reads a form as ODK and KoboToolbox do: a run of spaces in a label or hint is one
    # space. Everything else comes back exactly.
    assert _one_space(read_xlsform(write_xlsform(checked))["questions"]) == _one_space(checked["questions"])


def _one_space(value):
    if isinstance(value, str):
        return re.sub(" +", " ", value)
    if isinstance(value, dict):
        return {key: _one_space(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_one_space(item) for item in value]
    return value


def test_imported_questions_are_in_the_question_history_under_their_own_key(app, draft_project, login_as):
    from peerinterview.models import QuestionChange

    _client, post = login_as("dirk")
    assert upload_xlsform(post, draft_project, kobo_form(), "kobo.xlsx", mode="append").status_code == 303
    with app.app_context():
        questionnaire_id = questionnaire_of(db.session.get(Project, draft_project)).id
        changes = list(db.session.scalars(select(QuestionChange).where(
            QuestionChange.questionnaire_id == questionnaire_id)))
        created = sorted((change.question_key, change.action) for change in changes)
        users = {change.user_id for change in changes}
        dirk = find_user("dirk").id
        db.session.remove()
    assert created == [("eet", "created"), ("maaltijden", "created"), ("smaak", "created")]
    assert users == {dirk}


# ---------------------------------------------------------------------------------------------
# Bounds in front of the reading: a small .xlsx may unpack to a huge one, or claim a huge sheet

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
TOO_BIG_UNPACKED = "Dit bestand is te groot om te lezen. Er zit meer dan 2 MB in."
NOT_XLSX = "Dit bestand is geen Excel-bestand (.xlsx)."


def rezipped(data: bytes, replace=None, add=None) -> bytes:
    """The workbook with some parts replaced or added, packed as tightly as zip can."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            archive.writestr(info.filename, replace[info.filename](body) if info.filename in replace else body)
        for name, body in add.items():
            archive.writestr(name, body)
    return out.getvalue()


def inline_row(*texts, number=None) -> bytes:
    cells = b"".join(b'<c t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>" for text in texts)
    return (b'<row r="%d">' % number if number else b"<row>") + cells + b"</row>"


def survey_sheet(rows: bytes, dimension=b"") -> bytes:
    return (b'<worksheet xmlns="' + MAIN + b'">' + dimension + b"<sheetData>"
            + inline_row("type", "name", "label::Dutch (nl)") + rows + b"</sheetData></worksheet>")


def unpacked_size(data: bytes) -> int:
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


def two_hundred_thousand_rows() -> bytes:
    """A survey sheet of 200,000 rows (18 MB unpacked) in a file of about 100 kB."""
    rows = inline_row("text", "q", "Wat vindt u?") * 200_000
    return rezipped(xlsform_with([]), replace={"xl/worksheets/sheet1.xml": lambda _old: survey_sheet(rows)})


def one_huge_shared_strings_part() -> bytes:
    """A shared strings part of 18 MB that every reader loads whole before any sheet."""
    part = (b'<sst xmlns="' + MAIN + b'"><si><t>' + b"a" * (18 * 1024 * 1024) + b"</t></si></sst>")
    override = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SHARED_STRINGS + b'"/></Types>')
    return rezipped(xlsform_with([["text", "q1", "Wat vindt u?"]]),
                    replace={"[Content_Types].xml": lambda old: old.replace(b"</Types>", override)},
                    add={"xl/sharedStrings.xml": part})


def refused_in_time(app, post, project_id, data, message):
    before = snapshot(app)
    started = time.perf_counter()
    response = upload(post, project_id, data, "lijst.xlsx")
    took = time.perf_counter() - started
    assert message in problems_of(response)
    assert snapshot(app) == before
    # Refused before anything is unpacked: well under a second (generous here for a busy machine).
    assert took < 3, took


@pytest.mark.parametrize("bomb", [two_hundred_thousand_rows, one_huge_shared_strings_part])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(app, draft_project, login_as, bomb):
    data = bomb()
    assert len(data) < 200 * 1024 and unpacked_size(data) > 15 * 1024 * 1024  # small enough to upload
    build_rich_draft(app, draft_project)
    _client, post = login_as("dirk")
    refused_in_time(app, post, draft_project, data, TOO_BIG_UNPACKED)


def test_a_part_that_hides_its_real_size_is_refused(app, draft_project, login_as):
    """The sizes in the zip's table of contents are what the bound checks; a part that says it is
    small and unpacks to 18 MB is cut off at the size it claims and fails its checksum."""
    data = two_hundred_thousand_rows()
    archive = zipfile.ZipFile(io.BytesIO(data))
    part = archive.getinfo("xl/worksheets/sheet1.xml")
    claimed = struct.pack("<I", 1000)
    patched = bytearray(data)
    patched[part.header_offset + 22:part.header_offset + 26] = claimed  # the local header
    entry = patched.find(b"PK\x01\x02", archive.start_dir)
    while entry != -1:
        name_length = struct.unpack("<H", patched[entry + 28:entry + 30])[0]
        if bytes(patched[entry + 46:entry + 46 + name_length]) == part.filename.encode():
            patched[entry + 24:entry + 28] = claimed  # the central directory
        entry = patched.find(b"PK\x01\x02", entry + 4)
    assert unpacked_size(bytes(patched)) < 100 * 1024
    _client, post = login_as("dirk")
    refused_in_time(app, post, draft_project, bytes(patched), NOT_XLSX)


def test_a_sheet_that_claims_a_million_rows_and_columns_is_read_within_the_bounds(app, draft_project, login_as):
    """A few lines of XML can claim the whole grid (A1:XFD1048576) and put one cell in its last
    row; only the rows and columns the import needs are read."""
    rows = inline_row("text", "q1", "Wat vindt u van het eten?", number=2)
    far_away = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = survey_sheet(rows + far_away, dimension=b'<dimension ref="A1:XFD1048576"/>')
    data = rezipped(xlsform_with([]), replace={"xl/worksheets/sheet1.xml": lambda _old: sheet})
    _client, post = login_as("dirk")
    started = time.perf_counter()
    response = upload_xlsform(post, draft_project, data)
    assert time.perf_counter() - started < 3
    assert response.status_code == 303, html_of(response)[:2000]
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, draft_project)).draft
        assert [(q.key, q.text) for q in draft.questions] == [("q1", "Wat vindt u van het eten?")]
        db.session.remove()


def test_a_survey_over_the_row_limit_is_refused_and_one_over_the_question_limit_is_cut(app, draft_project, login_as):
    """6,301 rows are over the row limit: refused before pyxform sees them. 301 questions fit
    in the rows, but only 300 come over: the preview says which one is left out, and why."""
    rows = b"".join(inline_row("text", f"q{n}", f"Vraag {n}") for n in range(1, 302))
    too_many = rezipped(xlsform_with([]), replace={
        "xl/worksheets/sheet1.xml": lambda _old: survey_sheet(rows + inline_row("text", "extra", "Nog een vraag") * 6000)})
    assert unpacked_size(too_many) < 2 * 1024 * 1024
    _client, post = login_as("dirk")
    before = snapshot(app)
    started = time.perf_counter()
    text = problems_of(upload(post, draft_project, too_many, "lijst.xlsx"))
    assert time.perf_counter() - started < 5
    assert "Het blad survey heeft te veel regels. Het mogen er hoogstens 5000 zijn." in text
    assert snapshot(app) == before
    data = rezipped(xlsform_with([]), replace={"xl/worksheets/sheet1.xml": lambda _old: survey_sheet(rows)})
    preview = upload(post, draft_project, data, "lijst.xlsx")
    text = plain_text(preview)
    assert "Dit nemen we over (300 vragen)" in text
    assert "Dit laten we weg (1), en waarom" in text
    assert "Vraag 301 (q301) : Er staan meer dan 300 vragen in het formulier." in text
    assert snapshot(app) == before
