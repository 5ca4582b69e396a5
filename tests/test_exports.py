"""Exports: CSV, XLSX with a codebook, SPSS .sav, the codebook alone, and the open
answers with their themes. Every file is read back with the usual readers (csv, openpyxl,
pyreadstat) and compared value by value with the database; only staff may export, and every
export is in the logboek."""
import csv
import io
import math
import time
import uuid

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import (
    add_condition,
    add_question,
    freeze_version,
    new_draft,
    questionnaire_of,
)
from peerinterview.extensions import db
from peerinterview.interview.services import (
    complete_interview,
    new_respondent_code,
    save_answer,
    save_debrief,
    start_interview,
    withdraw_interview,
)
from peerinterview.models import Answer, AuditEvent, Interview, Project, Question

from .builders import demo_login, html_of, login_redirect_target
from .helpers import login

EXPORTS = ("data.csv", "data.xlsx", "data.sav", "codebook.xlsx", "codebook.csv", "open-answers.csv",
           "open-answers.xlsx")
CODES = {"dont_know": -1, "refuse": -2}
NOT_ASKED = -3


# ---------------------------------------------------------------------------------------------
# What the database says, worked out here independently of the export code

def expected_rows(app, project_id, include_open=True):
    """{respondent code: {column: value}} for the completed interviews that count, straight from
    the rows."""
    with app.app_context():
        project = db.session.get(Project, project_id)
        versions = [v for v in questionnaire_of(project).versions if v.frozen_at is not None]
        keys = {}
        for version in versions:
            for question in version.questions:
                if question.kind != "info":
                    keys[question.key] = question  # newest wording (and options) wins
        in_version = {v.id: {q.key for q in v.questions} for v in versions}
        result = {}
        # The interviews that count: the demo has one more, marked "niet meetellen" by staff.
        interviews = db.session.scalars(select(Interview).where(
            Interview.project_id == project_id, Interview.status == "completed",
            Interview.review_state != "excluded")).all()
        for interview in interviews:
            rows = {a.question.key: a for a in db.session.scalars(
                select(Answer).where(Answer.interview_id == interview.id))}
            expected = {"respondent": interview.respondent_code, "version": interview.version.number}
            for key, question in keys.items():
                answer = rows.get(key)
                if key not in in_version[interview.version_id] or (answer is not None and not answer.asked):
                    code = NOT_ASKED
                elif answer is None or (answer.value is None and answer.text is None and answer.special is None):
                    code = None
                elif answer.special:
                    code = CODES[answer.special]
                else:
                    code = "answered"
                if question.kind == "multi":
                    for choice in question.choices:
                        column = f"{key}_{choice.value}"
                        expected[column] = (int(choice.value in answer.value.split(",")) if code == "answered"
                                            else code)
                elif question.kind == "open":
                    if include_open:
                        # Open answers are text: the codes are text too, no answer is "".
                        expected[key] = (answer.text if code == "answered" else
                                         "" if code is None else str(code))
                else:
                    expected[key] = int(answer.value) if code == "answered" else code
                if question.follow_up and include_open:
                    expected[f"{key}_note"] = (answer.note or "") if answer is not None and answer.asked else ""
            if include_open:
                expected["debrief_note"] = interview.debrief_text or ""
            # The review state as its number; every interview here counts.
            expected["review"] = {"none": 1, "approved": 2, "issue": 3, "excluded": 4}[interview.review_state]
            expected["counts"] = 1
            result[interview.respondent_code] = expected
        db.session.remove()
    return result


def as_csv_text(value):
    """A text that a spreadsheet would run as a formula starts with an apostrophe in the file."""
    if isinstance(value, str) and value[:1] in ("=", "+", "@"):
        return "'" + value
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Projects

@pytest.fixture
def demo(app):
    """The demo project (40 completed interviews), logged in as its staff member."""
    return demo_login(app)


@pytest.fixture
def every_kind(app, world):
    """The world's project with a second version holding every question kind, and interviews
    of both versions: specials, skipped and hidden questions, one withdrawn, one in progress."""
    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, world.project_id)
        v1 = questionnaire_of(project).latest_frozen
        v2 = new_draft(questionnaire_of(project), by=staff)
        add_question(v2, kind="info", text="Nu komen vragen over eten.", by=staff)
        multi = add_question(v2, kind="multi", text="Wat doet u hier?", choice_labels=["Eten", "Douchen", "Praten"],
                             by=staff)
        scale3 = add_question(v2, kind="scale3", text="Hoe is het eten?", by=staff)
        yesno = add_question(v2, kind="yesno", text="Komt u morgen weer?", follow_up=True, by=staff)
        number = add_question(v2, kind="number", text="Hoe oud bent u?", by=staff)
        add_condition(scale3, multi, ["1"], by=staff)  # only who eats here is asked about the food
        freeze_version(v2, by=staff)
        anna = find_user("anna")
        location = project.locations[0]

        def interview(version, answers, status="completed"):
            item = start_interview(interview_id=str(uuid.uuid4()), project=project, version=version,
                                   location=location, interviewer=anna,
                                   respondent_code=new_respondent_code(project.id), language="nl")
            by_key = {q.key: q for q in version.questions}
            for key, given in answers.items():
                question = by_key[key]
                if isinstance(given, dict):
                    save_answer(item, question, **given)
                elif given in CODES:
                    save_answer(item, question, special=given)
                elif question.kind == "open":
                    save_answer(item, question, text=given)
                else:
                    save_answer(item, question, value=given)
            if status != "in_progress":
                complete_interview(item, by=anna)
            if status == "withdrawn":
                withdraw_interview(item, by=staff)
            return item

        k = {q.text: q.key for q in v2.questions}
        interview(v1, {"q1": "1", "q2": "4", "q3": "Meer koffie."})
        interview(v1, {"q1": "2", "q2": "dont_know"})
        interview(v2, {"q1": "3", "q2": "refuse", k["Wat doet u hier?"]: "1,3", k["Hoe is het eten?"]: "2",
                       k["Komt u morgen weer?"]: {"value": "1", "note": "Als het mag."},
                       k["Hoe oud bent u?"]: "47"})
        interview(v2, {"q1": "1", k["Wat doet u hier?"]: "2", k["Komt u morgen weer?"]: "2",
                       k["Hoe oud bent u?"]: "refuse", "q3": "=SOM(A1:A9) is geen formule"})
        interview(v2, {"q1": "1", k["Wat doet u hier?"]: "dont_know"})
        item = interview(v2, {"q1": "2", k["Wat doet u hier?"]: "1"})
        save_debrief(item, mood="good", text="Rustig gesprek.", follow_up_needed=False, by=anna)
        interview(v2, {"q1": "1", "q3": "Ik trek me terug."}, status="withdrawn")
        interview(v2, {"q1": "1"}, status="in_progress")
        db.session.commit()
        keys = {"multi": multi.key, "scale3": scale3.key, "yesno": yesno.key, "number": number.key}
        db.session.remove()
    client = app.test_client()
    login(client, "staf")
    return client, world.project_id, keys


def download(client, project_id, name, **query):
    response = client.get(f"/projects/{project_id}/exports/{name}", query_string=query)
    assert response.status_code == 200, html_of(response)[:800]
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    return response


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, so Excel shows é right
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def read_sav(data: bytes, tmp_path):
    import pyreadstat

    path = tmp_path / "data.sav"
    path.write_bytes(data)
    return pyreadstat.read_sav(str(path), output_format="dict", user_missing=True)


def sav_rows(frame) -> list[dict]:
    names = list(frame)
    return [{name: frame[name][i] for name in names} for i in range(len(frame[names[0]]))]


def same_number(found, expected):
    if expected is None:
        return found is None or math.isnan(found)  # system missing
    return found == float(expected)


# ---------------------------------------------------------------------------------------------
# The demo project, value by value

def test_demo_csv_matches_the_database_value_by_value(app, demo):
    client, project_id = demo
    response = download(client, project_id, "data.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = read_csv(response.data)
    expected = expected_rows(app, project_id)
    assert len(rows) == len(expected) == 40
    seen = set()
    for row in rows:
        want = expected[row["respondent"]]
        for column, value in want.items():
            assert row[column] == as_csv_text(value), (row["respondent"], column)
            seen.add(value)
    # The demo has every case: both specials, questions hidden by skip logic, and skipped ones.
    assert {-1, -2, NOT_ASKED, None} <= seen
    assert "Dagopvang De Haven" not in rows[0]["location"]  # locations are codes, labelled in the codebook
    assert set(rows[0]) >= {"respondent", "location", "version", "q1", "debrief_note"}
    assert any(column.endswith("_note") and column != "debrief_note" for column in rows[0])  # "toelichting"


def test_demo_xlsx_matches_the_database_and_has_a_codebook(app, demo):
    from openpyxl import load_workbook

    client, project_id = demo
    response = download(client, project_id, "data.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Gegevens", "Codeboek"]
    sheet = workbook["Gegevens"]
    headers = [cell.value for cell in sheet[1]]
    expected = expected_rows(app, project_id)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 40
    for values in rows:
        row = dict(zip(headers, values))
        for column, value in expected[row["respondent"]].items():
            found = row[column]
            if value == "" and found is None:
                continue  # an empty text cell reads back as None
            assert found == value, (row["respondent"], column, found, value)
    codebook = {row[0]: row for row in workbook["Codeboek"].iter_rows(min_row=2, values_only=True)}
    assert [cell.value for cell in workbook["Codeboek"][1]][:4] == ["Variabele", "Vraagcode", "Vraag", "Soort"]
    q1 = codebook["q1"]
    assert q1[2] == "Hoe vaak komt u hier?"
    assert q1[3] == "Eén keuze"
    assert q1[4] == "1 = Bijna elke dag; 2 = Een paar keer per week; 3 = Eén keer per week of minder"
    assert q1[5] == "Weet ik niet (-1); Wil ik niet zeggen (-2); Niet gevraagd (-3)"
    assert codebook["q2"][3] == "Schaal van 5" and codebook["q2"][4].startswith("1 = Heel slecht")
    assert codebook["location"][4] == "1 = Dagopvang De Haven; 2 = Inloophuis De Brug; 3 = Nachtopvang Het Anker"


def test_demo_sav_has_labels_missing_codes_and_the_database_values(app, demo, tmp_path):
    client, project_id = demo
    frame, meta = read_sav(download(client, project_id, "data.sav").data, tmp_path)
    expected = expected_rows(app, project_id)
    rows = sav_rows(frame)
    assert len(rows) == 40
    for row in rows:
        for column, value in expected[row["respondent"]].items():
            found = row[column]
            if isinstance(value, str):
                assert found == value, (row["respondent"], column)
            else:
                assert same_number(found, value), (row["respondent"], column, found, value)
    labels = dict(zip(meta.column_names, meta.column_labels))
    assert labels["q1"] == "Hoe vaak komt u hier?"
    assert labels["respondent"] == "Code van de deelnemer"
    assert meta.variable_value_labels["q1"] == {1.0: "Bijna elke dag", 2.0: "Een paar keer per week",
                                                3.0: "Eén keer per week of minder", -1.0: "Weet ik niet",
                                                -2.0: "Wil ik niet zeggen", -3.0: "Niet gevraagd"}
    assert meta.variable_value_labels["location"] == {1.0: "Dagopvang De Haven", 2.0: "Inloophuis De Brug",
                                                      3.0: "Nachtopvang Het Anker"}
    assert meta.missing_ranges["q1"] == [{"lo": c, "hi": c} for c in (-1.0, -2.0, -3.0)]
    assert "location" not in meta.missing_ranges
    assert meta.variable_measure["q2"] == "ordinal"
    assert meta.variable_measure["q1"] == "nominal"


# ---------------------------------------------------------------------------------------------
# Every question kind, versions, withdrawn and unfinished interviews

def test_every_kind_in_csv_and_sav(app, every_kind, tmp_path):
    client, project_id, keys = every_kind
    rows = read_csv(download(client, project_id, "data.csv").data)
    expected = expected_rows(app, project_id)
    assert len(rows) == len(expected) == 6  # withdrawn and unfinished interviews are left out
    multi, scale3, yesno, number = keys["multi"], keys["scale3"], keys["yesno"], keys["number"]
    headers = list(rows[0])
    # One 0/1 column per option of a multiple choice; no column for the information screen.
    assert [h for h in headers if h.startswith(multi + "_")] == [f"{multi}_1", f"{multi}_2", f"{multi}_3"]
    assert {scale3, yesno, number, f"{yesno}_note"} <= set(headers)
    assert set(headers) == set(expected[rows[0]["respondent"]]) | {"location", "debrief_mood"}
    for row in rows:
        for column, value in expected[row["respondent"]].items():
            assert row[column] == as_csv_text(value), (column, row)
    by_version = {1: [r for r in rows if r["version"] == "1"], 2: [r for r in rows if r["version"] == "2"]}
    # Questions that were not in version 1 are "niet gevraagd" (-3) for its interviews.
    for row in by_version[1]:
        assert row[f"{multi}_1"] == row[number] == row[yesno] == "-3"
    full = next(r for r in by_version[2] if r[number] == "47")
    assert (full[f"{multi}_1"], full[f"{multi}_2"], full[f"{multi}_3"]) == ("1", "0", "1")
    assert (full[scale3], full[yesno], full[f"{yesno}_note"], full["q2"]) == ("2", "1", "Als het mag.", "-2")
    praat = next(r for r in by_version[2] if r[f"{multi}_2"] == "1")
    assert praat[scale3] == "-3"  # skip logic hid the food question
    assert praat[number] == "-2" and praat[yesno] == "2"
    assert praat["q3"] == "'=SOM(A1:A9) is geen formule"  # never run as a spreadsheet formula
    unsure = next(r for r in by_version[2] if r[f"{multi}_1"] == "-1")
    assert unsure[f"{multi}_2"] == unsure[f"{multi}_3"] == "-1"
    assert unsure[number] == ""  # asked, not answered: empty (system missing)
    assert sum(r["debrief_note"] == "Rustig gesprek." for r in rows) == 1

    frame, meta = read_sav(download(client, project_id, "data.sav").data, tmp_path)
    labels = dict(zip(meta.column_names, meta.column_labels))
    assert labels[f"{multi}_2"] == "Wat doet u hier? – Douchen"
    assert meta.variable_value_labels[f"{multi}_2"][1.0] == "Gekozen"
    assert meta.variable_value_labels[yesno] == {1.0: "Ja", 2.0: "Nee", -1.0: "Weet ik niet",
                                                 -2.0: "Wil ik niet zeggen", -3.0: "Niet gevraagd"}
    assert meta.variable_value_labels[scale3][3.0] == "Goed"
    assert meta.variable_measure[number] == "scale"
    for row in sav_rows(frame):
        want = expected[row["respondent"]]
        assert same_number(row[number], want[number])
        assert same_number(row[f"{multi}_3"], want[f"{multi}_3"])


def test_leaving_out_open_answers_and_debrief_notes(app, every_kind, tmp_path):
    client, project_id, keys = every_kind
    rows = read_csv(download(client, project_id, "data.csv", leave_out="1").data)
    headers = set(rows[0])
    assert "q3" not in headers and f"{keys['yesno']}_note" not in headers
    assert not {"debrief_note", "debrief_mood"} & headers
    assert {"respondent", "q1", keys["number"]} <= headers
    text = download(client, project_id, "data.csv", leave_out="1").data.decode("utf-8-sig")
    for secret in ("Meer koffie.", "Als het mag.", "Rustig gesprek."):
        assert secret not in text
    _frame, meta = read_sav(download(client, project_id, "data.sav", leave_out="1").data, tmp_path)
    assert "q3" not in meta.column_names and "debrief_note" not in meta.column_names
    response = download(client, project_id, "data.xlsx", leave_out="1")
    assert "zonder-open-antwoorden" in response.headers["Content-Disposition"]
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.data")
                                   .order_by(AuditEvent.id.desc())).first()
        assert event.detail == {"file": "data.xlsx", "open_answers": False, "interviews": "counted", "rows": 6}
        db.session.remove()


def test_codebook_alone_and_open_answers_with_themes(app, every_kind):
    from openpyxl import load_workbook

    from peerinterview.models import Coding, Theme

    client, project_id, keys = every_kind
    codebook = read_csv(download(client, project_id, "codebook.csv").data)
    names = [row["Variabele"] for row in codebook]
    assert names[:4] == ["respondent", "location", "version", "q1"]
    assert f"{keys['multi']}_3" in names and "q3" in names
    food = next(row for row in codebook if row["Variabele"] == keys["scale3"])
    assert food["Vraag"] == "Hoe is het eten?" and food["Soort"] == "Schaal van 3"
    assert food["Waarden"] == "1 = Slecht; 2 = Niet goed, niet slecht; 3 = Goed"
    assert food["Leeg"] == "Leeg: geen antwoord gegeven"
    sheet = load_workbook(io.BytesIO(download(client, project_id, "codebook.xlsx").data))["Codeboek"]
    assert sheet.max_row == len(codebook) + 1

    with app.app_context():
        answer = db.session.scalars(select(Answer).where(Answer.text == "Meer koffie.")).one()
        theme = Theme(project_id=project_id, name="Koffie en eten")
        db.session.add(theme)
        db.session.flush()
        db.session.add(Coding(theme_id=theme.id, answer_id=answer.id, part="text"))
        db.session.add(Theme(project_id=project_id, name="Weggegooid", deleted_at=answer.saved_at))
        db.session.commit()
        db.session.remove()
    rows = read_csv(download(client, project_id, "open-answers.csv").data)
    texts = sorted((row["Tekst"], row["Soort"], row["Thema's"]) for row in rows)
    assert texts == [("'=SOM(A1:A9) is geen formule", "Open antwoord", ""), ("Als het mag.", "Uitleg", ""),
                     ("Meer koffie.", "Open antwoord", "Koffie en eten")]
    assert "Ik trek me terug." not in download(client, project_id, "open-answers.csv").data.decode()  # withdrawn
    workbook = load_workbook(io.BytesIO(download(client, project_id, "open-answers.xlsx").data))
    assert workbook.sheetnames == ["Open antwoorden"]
    assert workbook.active.max_row == 4


# ---------------------------------------------------------------------------------------------
# Who may export, and the logboek

def test_only_the_project_staff_can_export(app, world, login_as, client):
    for username in ("anna", "bram", "petra", "dirk", "andere-staf"):
        other, _post = login_as(username)
        for name in EXPORTS:
            response = other.get(f"/projects/{world.project_id}/exports/{name}")
            assert response.status_code == 403, (username, name)
            assert "Dit mag u niet zien" in html_of(response)
        assert other.get(f"/projects/{world.project_id}/exports").status_code == 403
        assert f"/projects/{world.project_id}/exports" not in html_of(other.get(f"/projects/{world.project_id}/report"))
    path = f"/projects/{world.project_id}/exports/data.csv"
    assert login_redirect_target(client.get(path)) == path
    staff, _post = login_as("staf")
    page = staff.get(f"/projects/{world.project_id}/exports")
    assert page.status_code == 200
    assert "Laat open antwoorden en terugblikken weg" in html_of(page)
    assert f"/projects/{world.project_id}/exports" in html_of(staff.get(f"/projects/{world.project_id}/report"))
    assert staff.get(f"/projects/{world.project_id}/exports/data.pdf").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("export.%"))) is None
        db.session.remove()


def test_every_export_writes_one_audit_entry_without_content(app, every_kind):
    client, project_id, _keys = every_kind
    for name in EXPORTS:
        with app.app_context():
            before = db.session.scalars(select(AuditEvent.id).where(AuditEvent.action.like("export.%"))).all()
            db.session.remove()
        download(client, project_id, name)
        with app.app_context():
            events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("export.%"),
                                                                 AuditEvent.id.not_in(before or [0]))).all()
            assert len(events) == 1, name
            event = events[0]
            assert event.user_id == find_user("staf").id and event.project_id == project_id
            assert event.detail["file"] == name
            assert event.action == "export." + name.split(".")[0].replace("-", "_")
            assert "Meer koffie" not in str(event.detail) and "Als het mag" not in str(event.detail)
            db.session.remove()


def test_the_waiting_cookie_holds_only_the_token(every_kind):
    client, project_id, _keys = every_kind
    response = download(client, project_id, "data.csv", wait="abc123")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("download-abc123=done;") and "SameSite=Strict" in cookie
    response = download(client, project_id, "data.csv", wait="<script>")
    assert "Set-Cookie" not in response.headers or "download-" not in response.headers["Set-Cookie"]


def test_an_empty_project_exports_headers_only(app, world, login_as, tmp_path):
    staff, _post = login_as("staf")
    rows = read_csv(download(staff, world.project_id, "data.csv").data)
    assert rows == []
    _frame, meta = read_sav(download(staff, world.project_id, "data.sav").data, tmp_path)
    assert meta.column_names[:4] == ["respondent", "location", "version", "q1"]
    assert meta.number_rows in (0, None)
    with app.app_context():
        assert db.session.get(Question, world.question_ids[0]).key == "q1"
        db.session.remove()


def test_a_text_sent_from_a_tablet_with_a_tab_or_return_before_a_formula_is_never_run(app, world, login_as):
    """The tablet's sync stores a text as typed, without trimming it: an interviewer can send
    one that starts with a tab or a carriage return and then a formula. Some spreadsheets skip
    those first characters and run the rest, so the export starts such a cell with an
    apostrophe too."""
    from .builders import start_interview_http
    from .test_sync import Tablet, answer

    anna, anna_post = login_as("anna")
    texts = ["\t=HYPERLINK(\"http://example.org\";\"Klik\")", "\r=1+1"]
    for text in texts:
        interview_id = start_interview_http(anna, anna_post, world.project_id, world.location_ids[0])
        with app.app_context():
            interview = db.session.get(Interview, interview_id)
            question_id = next(q.id for q in interview.version.questions if q.key == "q3")
            db.session.remove()
        tablet = Tablet(anna, world.project_id)
        item = tablet.envelope(interview_id, question_id, int(time.time() * 1000), answer(text=text))
        assert tablet.sync(interview_id, [item]).status_code == 200
        with app.app_context():
            interview = db.session.get(Interview, interview_id)
            assert [a.text for a in interview.answers] == [text]  # stored as sent
            complete_interview(interview, by=find_user("anna"))
            db.session.commit()
            db.session.remove()
    staff, _post = login_as("staf")
    for name in ("data.csv", "open-answers.csv"):
        cells = [value for row in read_csv(download(staff, world.project_id, name).data) for value in row.values()]
        for text in texts:
            assert "'" + text in cells, name
        assert not any(value.startswith(("\t", "\r", "=")) for value in cells), name
