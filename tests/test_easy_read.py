"""Makkelijk lezen: the easy-read (A2) text next to the respondents' summary. Staff and the panel
write it with the stricter A2 advice (each line that breaks a rule), read it as a page that reads
aloud and prints as a poster, and download it as a tagged PDF; the public results page shows it
as a section of its own. Interviewers, designers, the municipality and other projects' staff are
refused."""
import io
import re

import pytest
from sqlalchemy import func, select

from peerinterview.extensions import db
from peerinterview.followup.demo import DEMO_EASY_READ
from peerinterview.models import AuditEvent, PublicLink, ReportText
from peerinterview.plainlanguage.a2 import A2_MAX_WORDS, check_a2

from .builders import demo_login, html_of, plain_text

EASY = "We spraken met 40 mensen.\nZe voelen zich welkom.\n\nEr komt een stille kamer."
HARD = ("We spraken met 40 mensen.\n"
        "Indien u vragen heeft, bel ons. Wij helpen u graag.\n"
        "Veel mensen willen meer rust, omdat het in de avond erg druk is in de opvang.\n"
        "De communicatie moet beter.")


def _texts(project_id):
    return f"/projects/{project_id}/report/texts"


def _page(project_id, suffix=""):
    return f"/projects/{project_id}/report/easy-read{suffix}"


# ---------------------------------------------------------------------------------------------
# The A2 check itself

@pytest.mark.database_independent
def test_a2_check_names_each_line_that_breaks_a_rule_and_leaves_easy_lines_alone():
    report = check_a2(HARD)
    assert [line.number for line in report.lines] == [1, 2, 3, 4]
    problems = {line.number: sorted({flag.kind for flag in line.flags}) for line in report.problem_lines}
    # Line 1 is easy; two sentences on a line, "omdat" joining two ideas, a long sentence, an
    # officialese word and a long word are each named on their own line.
    assert problems == {2: ["officialese", "one_idea"], 3: ["long_sentence", "one_idea"], 4: ["hard_word"]}
    by_kind = {(flag.kind, flag.text) for flag in report.flags}
    assert ("officialese", "Indien") in by_kind and ("one_idea", "omdat") in by_kind
    assert ("hard_word", "communicatie") in by_kind
    # The offsets point into the whole text, so the words can be found again.
    for flag in report.flags:
        assert HARD[flag.start:flag.end] == flag.text
    long_line = report.lines[2]
    assert any(flag.kind == "long_sentence" and f"{A2_MAX_WORDS} of minder" in flag.suggestion
               for flag in long_line.flags)


@pytest.mark.database_independent
def test_a2_is_stricter_than_b1_yet_quiet_on_short_everyday_lines():
    from peerinterview.plainlanguage import check

    # 12 words: fine for B1 (at most 12 without advice), too long for easy read.
    sentence = "Veel mensen in de opvang willen in de avond meer rust hebben."
    assert not [f for f in check(sentence).flags if f.kind == "long_sentence"]
    assert [f.kind for f in check_a2(sentence).flags] == ["long_sentence"]
    # A word B1 lets pass (common enough) that is too long for A2.
    assert not check("De begeleiding is goed.").flags
    assert [f.text for f in check_a2("De begeleiding is goed.").flags] == ["begeleiding"]
    # Names, numbers, blank lines and a line that starts with "Maar" are no problem.
    assert not check_a2("Anna woont in Amsterdam.\n\n\nMaar ze komt hier elke dag.\nWe zagen 40 mensen.").flags
    assert not check_a2(DEMO_EASY_READ).flags
    assert not check_a2("").lines and not check_a2(" \n\r\n").lines


def test_the_command_line_gives_the_a2_advice_per_line(app):
    import json

    result = app.test_cli_runner().invoke(args=["b1-check", "--a2"], input=HARD)
    assert result.exit_code == 0, result.output
    lines = json.loads(result.output)["lines"]
    assert [line["number"] for line in lines] == [2, 3, 4]
    assert {"kind": "officialese", "text": "Indien", "suggestion": "Schrijf 'Als' in plaats van 'Indien'."} in [
        {k: f[k] for k in ("kind", "text", "suggestion")} for f in lines[0]["flags"]]
    assert json.loads(app.test_cli_runner().invoke(args=["b1-check", "--a2"], input=EASY).output) == {"lines": []}
    # Without --a2 it is the B1 advice, as before.
    assert "score" in json.loads(app.test_cli_runner().invoke(args=["b1-check"], input=HARD).output)


# ---------------------------------------------------------------------------------------------
# Writing it

def test_panel_writes_the_easy_read_text_with_a2_advice_per_line(app, world, login_as):
    petra, post = login_as("petra")
    form = plain_text(petra.get(_texts(world.project_id)))
    assert "Makkelijk lezen" in form and "Zet één idee op elke regel." in form
    # Checking the language saves nothing and lists each line that breaks a rule.
    checked = post(_texts(world.project_id), {"easy_read": HARD, "check": "Controleer de taal"})
    assert checked.status_code == 200
    text = plain_text(checked)
    assert "3 regels kunnen makkelijker." in text
    assert "Regel 2: Indien u vragen heeft, bel ons. Wij helpen u graag." in text
    assert "Zet elke zin op een eigen regel. Op deze regel staan 2 zinnen." in text
    assert "Regel 3:" in text and "Deze zin zegt twee dingen, met 'omdat'." in text
    assert "Regel 4: De communicatie moet beter." in text and "Moeilijk woord:" in text
    assert "Regel 1:" not in text
    with app.app_context():
        assert db.session.get(ReportText, world.project_id) is None
        db.session.remove()
    # While typing, htmx gets only the A2 advice of this field.
    live = post(_texts(world.project_id), {"easy_read": HARD, "advice_for": "easy_read"},
                headers={"HX-Request": "true"})
    assert live.status_code == 200
    fragment = html_of(live)
    assert "<html" not in fragment and "Taaltips: Makkelijk lezen" in fragment and "Regel 2" in fragment
    assert "Taal: " not in fragment  # not the B1 label: this field gets the A2 advice
    easy = post(_texts(world.project_id), {"easy_read": EASY, "advice_for": "easy_read"},
                headers={"HX-Request": "true"})
    assert "Elke regel is goed." in plain_text(easy)
    saved = post(_texts(world.project_id), {"easy_read": EASY, "save": "Opslaan"})
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(ReportText, world.project_id).easy_read == EASY
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.texts_update")).one()
        assert event.detail == {"fields": ["easy_read"]}
        db.session.remove()
    too_long = post(_texts(world.project_id), {"easy_read": "Kort.\n" * 3334, "save": "Opslaan"})
    assert too_long.status_code == 422 and "Er is iets niet goed" in html_of(too_long)


# ---------------------------------------------------------------------------------------------
# Reading it: the page, the PDF, who may

def _write(app, project_id, text=EASY):
    with app.app_context():
        db.session.add(ReportText(project_id=project_id, title="Wat bezoekers vinden", question="", summary="",
                                  method_notes="", respondent_summary="", easy_read=text))
        db.session.commit()
        db.session.remove()


def test_the_page_shows_one_idea_a_line_with_read_aloud_and_print(app, world, login_as):
    staf, _post = login_as("staf")
    empty = staf.get(_page(world.project_id))
    assert empty.status_code == 200
    assert "Er is nog geen tekst in makkelijke taal." in plain_text(empty)
    assert "Tekst schrijven" in plain_text(empty) and "data-read-aloud" not in html_of(empty)
    # Without a text there is no PDF to make: back to the page that says so.
    response = staf.get(_page(world.project_id, ".pdf"))
    assert response.status_code == 303 and response.headers["Location"].endswith(_page(world.project_id))

    _write(app, world.project_id, EASY + "\n<script>alert(1)</script>")
    page = html_of(staf.get(_page(world.project_id)))
    lines = re.findall(r'<p class="easy-read-line" lang="nl" data-read>(.*?)</p>', page)
    assert lines == ["We spraken met 40 mensen.", "Ze voelen zich welkom.", "Er komt een stille kamer.",
                     "&lt;script&gt;alert(1)&lt;/script&gt;"]
    assert page.count('class="easy-read-block"') == 2  # the blank line: white space between blocks
    assert 'data-read-aloud="#easy-read"' in page and "data-print-button" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Makkelijk lezen als PDF" in page


def _pdf(data):
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_is_tagged_and_holds_every_line(app, world, login_as):
    _write(app, world.project_id)
    petra, _post = login_as("petra")
    response = petra.get(_page(world.project_id, ".pdf"))
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert 'filename="makkelijk-lezen-onderzoek-dagopvang.pdf"' in response.headers["Content-Disposition"]
    reader, text = _pdf(response.data)
    assert len(reader.pages) == 1
    for line in ("Dit hebben we gehoord", "Wat bezoekers vinden", "We spraken met 40 mensen.",
                 "Ze voelen zich welkom.", "Er komt een stille kamer."):
        assert line in text, line
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert str(catalog["/Lang"]) == "nl"
    # Each line is a paragraph of its own in the structure tree (a screen reader reads it so).
    paragraphs = []

    def walk(node):
        node = node.get_object()
        if node.get("/S") == "/P":
            paragraphs.append(node)
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
            if hasattr(kid.get_object(), "get"):
                walk(kid)

    walk(catalog["/StructTreeRoot"])
    assert len(paragraphs) >= 4
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "report.easy_read_pdf")) == 1
        db.session.remove()


@pytest.mark.parametrize("name", ["anna", "dirk", "andere-staf"])
def test_who_may_not_read_the_report_is_refused(app, world, login_as, name):
    _write(app, world.project_id)
    client, post = login_as(name)
    for path in (_page(world.project_id), _page(world.project_id, ".pdf")):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "We spraken met 40 mensen." not in html_of(response)
    assert post(_texts(world.project_id), {"easy_read": "Gehackt.", "save": "Opslaan"}).status_code == 403
    with app.app_context():
        assert db.session.get(ReportText, world.project_id).easy_read == EASY
        db.session.remove()


def test_staff_of_one_project_cannot_reach_another_projects_text(app, world, login_as):
    _write(app, world.other_project_id, "Alleen voor het andere onderzoek.")
    staf, post = login_as("staf")
    for path in (_page(world.other_project_id), _page(world.other_project_id, ".pdf")):
        assert staf.get(path).status_code == 403
    assert post(_texts(world.other_project_id), {"easy_read": "Gehackt.", "save": "Opslaan"}).status_code == 403
    anonymous = app.test_client().get(_page(world.project_id))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


# ---------------------------------------------------------------------------------------------
# The public results page and the demo

def test_the_public_page_shows_the_easy_read_section_only_when_there_is_one(app):
    client, project_id = demo_login(app)
    with app.app_context():
        token = db.session.scalars(select(PublicLink.token).where(PublicLink.project_id == project_id,
                                                                  PublicLink.revoked_at.is_(None))).one()
        db.session.remove()
    visitor = app.test_client()
    page = visitor.get(f"/r/{token}")
    assert page.status_code == 200
    text = plain_text(page)
    assert "Makkelijk lezen We spraken met 40 mensen. Ze komen in de dagopvang of de nachtopvang." in text
    assert 'id="public-easy-read"' in html_of(page)
    # The demo's own page, for the panel and staff, holds the same lines.
    assert "Na tien uur gaat de muziek uit." in plain_text(client.get(_page(project_id)))
    saved = client.get(_texts(project_id))
    assert saved.status_code == 200
    with app.app_context():
        texts = db.session.get(ReportText, project_id)
        kept, texts.easy_read = texts.easy_read, ""
        db.session.commit()
        db.session.remove()
    try:
        without = visitor.get(f"/r/{token}")
        assert "Makkelijk lezen" not in plain_text(without) and 'id="public-easy-read"' not in html_of(without)
    finally:
        with app.app_context():
            db.session.get(ReportText, project_id).easy_read = kept
            db.session.commit()
            db.session.remove()
