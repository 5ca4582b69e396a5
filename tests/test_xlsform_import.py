"""XLSForm import through pyxform: real workbooks (tests/data/xlsform-samples, from pyxform's own
test collection, BSD licence alongside), the preview that comes before anything is saved, the
language of the texts, relevance → conditions, and the signed preview token as an attacker
would try it."""
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from pyxform.xls2xform import convert

from peerinterview.design.builder.services import questionnaire_of
from peerinterview.design.transfer.relevance import Unexpressible, conditions_of
from peerinterview.extensions import db
from peerinterview.models import Project

from .builders import html_of, plain_text
from .test_transfer import (
    audit_events,
    build_rich_draft,
    confirm,
    exported,
    preview_fields,
    problems_of,
    snapshot,
    upload,
    upload_xlsform,
    xlsform_with,
)

SAMPLES = Path(__file__).parent / "data" / "xlsform-samples"
# Workbooks with nothing a peer interview can ask: refused, with the reason per row.
REFUSED = {"tests_bug_example_xls_bad_calc.xlsx": "badcalc: Een berekening. Die doet PeerInterview niet.",
           "tests_example_xls_include_json.xlsx": "how_old_are_you: Een verwijzing naar een ander formulier."}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def draft_questions(app, project_id):
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, project_id)).draft
        got = [(q.key, q.kind, q.text, q.section_title, q.follow_up, [(c.value, c.label) for c in q.choices],
                [(c.source.key, list(c.values)) for c in q.conditions], dict(q.translations or {}))
               for q in draft.questions] if draft else []
        db.session.remove()
    return got


def test_the_samples_come_with_their_licence():
    assert "BSD" in (SAMPLES / "LICENSE-pyxform.txt").read_text() or "Redistribution" in (
        SAMPLES / "LICENSE-pyxform.txt").read_text()
    assert len(list(SAMPLES.glob("*.xlsx"))) == 13


def test_every_real_workbook_imports_something_or_says_why_not(app, draft_project, login_as):
    _client, post = login_as("dirk")
    before = snapshot(app)
    imported = 0
    for path in sorted(SAMPLES.glob("*.xlsx")):
        response = upload(post, draft_project, path.read_bytes(), path.name)
        text = plain_text(response)
        if path.name in REFUSED:
            assert "In dit formulier staat geen vraag die PeerInterview kan gebruiken." in problems_of(response)
            assert REFUSED[path.name] in text, (path.name, text[-1500:])
            continue
        assert response.status_code == 200, (path.name, text[-1500:])
        found = re.search(r"Dit nemen we over \((\d+) vra(?:ag|gen)\)", text)
        assert found and int(found.group(1)) >= 1, (path.name, text[:3000])
        assert re.search(r"Dit laten we weg \(\d+\), en waarom", text)
        imported += 1
    assert imported == 11
    assert snapshot(app) == before  # a preview saves nothing


def test_a_workbook_without_a_survey_sheet_is_refused(app, draft_project, login_as):
    workbook = Workbook()
    workbook.active.title = "vragen"
    workbook.active.append(["type", "name", "label"])
    workbook.create_sheet("choices")
    buffer = io.BytesIO()
    workbook.save(buffer)
    _client, post = login_as("dirk")
    text = problems_of(upload(post, draft_project, buffer.getvalue(), "lijst.xlsx"))
    assert "Het blad 'survey' ontbreekt." in text


def test_the_preview_lists_what_comes_over_and_what_is_left_out_and_cancel_changes_nothing(app, draft_project,
                                                                                          login_as):
    client, post = login_as("dirk")
    before = snapshot(app)
    response = upload(post, draft_project, sample("tests_example_xls_group.xlsx"), "group.xlsx")
    text = plain_text(response)
    assert "Dit nemen we over (2 vragen)" in text
    assert "Father How old is your father? (age)" in text
    assert "Dit laten we weg (1), en waarom" in text
    assert "What's your father's phone number? (phone_number) : Een telefoonnummer." in text
    # Labelled "English (en)": the texts stand in for the Dutch ones until someone writes them.
    assert "De teksten van 2 vragen zijn niet in het Nederlands." in text
    assert f'href="/projects/{draft_project}/questionnaire/transfer"' in html_of(response)  # "Stoppen"
    assert snapshot(app) == before
    response = confirm(post, draft_project, preview_fields(response))
    assert response.status_code == 303
    page = plain_text(client.get(response.headers["Location"]))
    assert "De teksten van 2 vragen zijn nog niet in het Nederlands. Schrijf die teksten zelf." in page
    (_user, _project, detail), = audit_events(app, "questionnaire.import")
    assert detail["format"] == "xlsform" and detail["left_out"] == 1 and detail["added"] == 2
    got = draft_questions(app, draft_project)
    assert [(key, kind, section) for key, kind, _text, section, *_rest in got] == [
        ("family_name", "open", ""), ("age", "number", "Father")]
    assert got[1][7] == {"en": {"text": "How old is your father?", "section_title": "Father"}}


def test_texts_without_a_language_ask_which_language_and_or_other_gets_an_explanation_box(app, draft_project,
                                                                                         login_as):
    _client, post = login_as("dirk")
    before = snapshot(app)
    response = upload(post, draft_project, sample("tests_example_xls_or_other.xlsx"), "kleuren.xlsx")
    fields = preview_fields(response)
    assert fields["language"] == ""  # asked, not guessed
    text = plain_text(response)
    assert "In welke taal zijn de teksten van dit formulier?" in text
    assert "Het antwoord 'Anders' heeft nu een vak om uit te leggen wat." in text
    refused = confirm(post, draft_project, fields)
    assert refused.status_code == 422
    assert "Kies de taal van de teksten." in plain_text(refused)
    assert snapshot(app) == before
    # "Show it in this language" only shows the preview again.
    again = confirm(post, draft_project, {**fields, "language": "default|other"}, action="language")
    assert again.status_code == 200 and "De teksten van 2 vragen zijn niet in het Nederlands." in plain_text(again)
    assert snapshot(app) == before
    assert confirm(post, draft_project, {**fields, "language": "default|nl"}).status_code == 303
    got = draft_questions(app, draft_project)
    assert [key for key, *_rest in got] == ["fav_color", "fav_pastel"]  # fav_color_other became the box
    assert got[0][4] is True and got[0][5][-1] == ("other", "Anders, namelijk")
    # pyxform puts its "Other" in the shared list; the question without or_other does not get it.
    assert got[1][4] is False and [value for value, _label in got[1][5]] == ["red", "green", "blue", "mauve",
                                                                              "apricot"]
    assert got[0][7] == {}


def test_conditions_come_over_where_the_app_can_say_them(app, draft_project, login_as):
    form = xlsform_with([
        ["select_one ja_nee", "a", "Komt u vaak?"],
        ["select_one cijfer", "b", "Welk cijfer?"],
        ["text", "c", "Waarom niet?", "not(selected(${a}, '1'))"],
        ["text", "d", "Wat is goed?", "${b} >= 3 and ${a} = '1'"],
        ["text", "e", "Wat kan beter?", "selected(${a}, '2') or ${b} < 2"],
        ["text", "f", "Nog iets?", "selected(${later}, '1')"],
        ["text", "later", "Later"],
    ], choices=[["ja_nee", "1", "Ja"], ["ja_nee", "2", "Nee"]] + [["cijfer", str(n), str(n)] for n in range(1, 5)])
    _client, post = login_as("dirk")
    deep = xlsform_with([["select_one ja_nee", "a", "Komt u vaak?"],
                         ["text", "b", "Waarom?", "(" * 900 + "selected(${a}, '1')" + ")" * 900]])
    assert "Dit nemen we over (2 vragen)" in plain_text(upload(post, draft_project, deep, "diep.xlsx"))
    response = upload(post, draft_project, form, "lijst.xlsx")
    text = plain_text(response)
    assert "De voorwaarde selected(${a}, '2') or ${b} < 2 kunnen we niet overnemen. De vraag komt altijd." in text
    assert "De voorwaarde selected(${later}, '1') kunnen we niet overnemen." in text
    assert confirm(post, draft_project, preview_fields(response)).status_code == 303
    conditions = {key: found for key, _k, _t, _s, _f, _c, found, _tr in draft_questions(app, draft_project)}
    assert conditions["c"] == [("a", ["2"])]
    assert conditions["d"] == [("b", ["3", "4"]), ("a", ["1"])]
    assert conditions["e"] == [] and conditions["f"] == []


@pytest.mark.parametrize("rule, expected", [
    ("selected(${q}, 'b')", [{"question": "q", "values": ["b"]}]),
    ("${q} != 'a'", [{"question": "q", "values": ["b", "c"]}]),
    ("not(${q} = 'a' or ${q} = 'b')", [{"question": "q", "values": ["c"]}]),
    ("(selected(../q, 'c') or selected(${q}, 'a')) and selected(${m}, 'x')",
     [{"question": "q", "values": ["c", "a"]}, {"question": "m", "values": ["x"]}]),
    ("${n} > 1 and ${n} <= 3", [{"question": "n", "values": ["2", "3"]}]),
    ("'2' < ${n}", [{"question": "n", "values": ["3", "4"]}]),
])
def test_relevance_the_app_can_say(rule, expected):
    sources = {"q": {"values": ["a", "b", "c"], "multi": False}, "m": {"values": ["x", "y"], "multi": True},
               "n": {"values": ["1", "2", "3", "4"], "multi": False}}
    assert conditions_of(rule, "here", sources) == expected


@pytest.mark.parametrize("rule", [
    "selected(${q}, 'a') or selected(${m}, 'x')",   # "or" across two questions
    "not(selected(${m}, 'x'))",                     # "not chosen" on a multiple choice
    "selected(${m}, 'x') and selected(${m}, 'y')",  # both chosen
    "${number} > 18",                               # a number question is no list
    "${q} > 1",                                     # no numbers to compare
    "${q} = 'a' and ${q} = 'b'",                    # never true
    "count-selected(${m}) > 1", "string-length(.) > 3", "${q} = 'a' and", "",
    "(" * 990 + "selected(${q}, 'a')" + ")" * 990,   # deeper than Python's stack
])
def test_relevance_the_app_cannot_say(rule):
    sources = {"q": {"values": ["a", "b"], "multi": False}, "m": {"values": ["x", "y"], "multi": True}}
    if not rule:
        assert conditions_of(rule, "here", sources) == []
        return
    with pytest.raises(Unexpressible):
        conditions_of(rule, "here", sources)


def test_the_preview_token_belongs_to_its_user_and_project_and_cannot_be_changed(app, world, draft_project,
                                                                                login_as):
    form = xlsform_with([["text", "q1", "Wat vindt u van het eten?"]])
    staff, staff_post = login_as("staf")
    fields = preview_fields(upload(staff_post, draft_project, form, "lijst.xlsx"))
    _dirk, dirk_post = login_as("dirk")
    before = snapshot(app)
    token = fields["token"]
    for who, project_id, changed in (
        (dirk_post, draft_project, token),                          # another user of the same project
        (staff_post, world.project_id, token),                      # the same user, another project
        (staff_post, draft_project, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")),
        (staff_post, draft_project, ""),
    ):
        response = confirm(who, project_id, {**fields, "token": changed})
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/projects/{project_id}/questionnaire/transfer")
        assert "Dit voorbeeld is verlopen of klopt niet." in plain_text(staff.get(response.headers["Location"])) \
            or who is dirk_post
        assert snapshot(app) == before
    assert confirm(staff_post, draft_project, fields).status_code == 303
    assert [q[0] for q in draft_questions(app, draft_project)] == ["q1"]


def test_every_export_converts_with_pyxform(app, draft_project, login_as, tmp_path):
    """The exported XLSForm goes through pyxform's whole conversion into an XForm, as ODK and
    KoboToolbox do it (without ODK Validate, which needs Java)."""
    build_rich_draft(app, draft_project)
    staff, _post = login_as("staf")
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(exported(staff, draft_project, 1, "xlsx"))
    result = convert(xlsform=str(path), validate=False, pretty_print=False)
    assert "<h:html" in result.xform and 'relevant="' in result.xform
    for key in ("q1", "q2", "q9"):
        assert f"/{key}" in result.xform


def test_an_export_read_back_is_the_same_questionnaire(app, world, draft_project, login_as):
    build_rich_draft(app, draft_project)
    staff, post = login_as("staf")
    before = draft_questions(app, draft_project)
    assert upload_xlsform(post, world.project_id, exported(staff, draft_project, 1, "xlsx")).status_code == 303
    with app.app_context():
        versions = questionnaire_of(db.session.get(Project, world.project_id)).versions
        assert versions[-1].number == 2
        db.session.remove()
    assert draft_questions(app, world.project_id) == before


def test_a_made_up_language_or_an_old_preview_changes_nothing(app, draft_project, login_as, monkeypatch):
    from peerinterview.design.transfer import pending

    _client, post = login_as("dirk")
    before = snapshot(app)
    fields = preview_fields(upload(post, draft_project, sample("tests_example_xls_group.xlsx"), "group.xlsx"))
    for language in ("English (en)|xx", "Dutch (nl)|nl", "<script>|nl"):
        response = confirm(post, draft_project, {**fields, "language": language})
        assert response.status_code == 422
        assert "Kies de taal van de teksten." in plain_text(response)
        assert "<script>" not in html_of(response).split("<main", 1)[-1]
    assert snapshot(app) == before
    monkeypatch.setattr(pending, "MAX_AGE_SECONDS", -1)  # an hour later
    response = confirm(post, draft_project, fields)
    assert response.status_code == 303 and response.headers["Location"].endswith("/questionnaire/transfer")
    assert snapshot(app) == before


def kobo_form() -> bytes:
    """A form as people build it in KoboToolbox: metadata, two languages with English as the
    default, a group with a condition, a repeat, or_other on a shared list, a calculation, a map
    point, answers from a file, a photo, a decimal, a date and a range."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::Nederlands (nl)", "required", "relevant",
                   "constraint", "calculation", "parameters"])
    for row in (["start", "start"], ["deviceid", "deviceid"],
                ["select_one yn", "consent", "Do you agree?", "Doe je mee?", "true"],
                ["begin_group", "g1", "About you", "Over jou", "", "${consent} = 'yes'"],
                ["integer", "age", "Age", "Leeftijd", "yes", "", ". > 15 and . < 120"],
                ["text", "why", "Why?", "Waarom?", "", "${age} > 18"],
                ["select_multiple hobbies", "hob", "Hobbies", "Hobby's"],
                ["select_one hobbies or_other", "fav", "Favourite", "Favoriet"],
                ["end_group"],
                ["begin_repeat", "kids", "Children", "Kinderen"], ["text", "kidname", "Name", "Naam"], ["end_repeat"],
                ["calculate", "calc", "", "", "", "", "", "${age} * 2"], ["geopoint", "gps", "Where", "Waar"],
                ["decimal", "weight", "Weight", "Gewicht", "", "", ". >= 2.5"], ["date", "day", "Date", "Datum"],
                ["select_one_from_file towns.csv", "town", "Town", "Plaats"], ["image", "pic", "Photo", "Foto"],
                ["range", "score", "Score", "Cijfer", "", "", "", "", "start=1 end=10 step=1"]):
        survey.append(row)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::Nederlands (nl)"])
    for row in (["yn", "yes", "Yes", "Ja"], ["yn", "no", "No", "Nee"], ["hobbies", "a", "Walking", "Wandelen"],
                ["hobbies", "b", "Music", "Muziek"]):
        choices.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["Kobo", "kobo", "English (en)"])
    workbook.create_sheet("notes").append(["Read me first"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_kobotoolbox_form_with_everything_people_use(app, draft_project, login_as):
    _client, post = login_as("dirk")
    response = upload(post, draft_project, kobo_form(), "kobo.xlsx")
    text = plain_text(response)
    assert "Dit nemen we over (9 vragen)" in text
    assert "Dit laten we weg (4), en waarom" in text
    for line in ("Waar (gps) : Een plek op de kaart.", "Plaats (town) : De antwoorden staan in een ander bestand.",
                 "Foto (pic) : Een foto, geluid of bestand.", "(calc) : Een berekening.",
                 "De voorwaarde ${age} > 18 kunnen we niet overnemen.", "Deze vraag stond in een herhaling.",
                 "Dit was een kommagetal.", "Dit was een vraag naar een datum of tijd.",
                 "Leeftijd (age) Getal van 16 tot en met 119", "Cijfer (score) Getal van 1 tot en met 10",
                 "Gewicht (weight) Getal van 3 tot en met …"):
        assert line in text, line
    assert confirm(post, draft_project, preview_fields(response)).status_code == 303
    got = {key: rest for key, *rest in draft_questions(app, draft_project)}
    assert list(got) == ["consent", "age", "why", "hob", "fav", "kidname", "weight", "day", "score"]
    assert got["age"][:3] == ["number", "Leeftijd", "Over jou"]
    assert got["age"][5] == [("consent", ["yes"])] and got["fav"][5] == [("consent", ["yes"])]
    assert got["hob"][4] == [("a", "Wandelen"), ("b", "Muziek")]
    assert got["fav"][3] is True and got["fav"][4][-1] == ("other", "Anders, namelijk")
    assert got["kidname"][2] == "Kinderen" and got["kidname"][6] == {"en": {"text": "Name", "section_title": "Children"}}
