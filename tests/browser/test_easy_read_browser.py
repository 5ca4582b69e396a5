"""In Chromium: the panel writes the easy-read text and sees the A2 advice per line while typing;
the easy-read page passes axe-core (target-size on) at tablet and phone size, reads every line
aloud in a Dutch voice, and its PDF downloads with the lines in it; a visitor of the public
results page reads the same lines in its section "Makkelijk lezen"."""
import io
import re

from playwright.sync_api import expect
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import PublicLink

from tests.browser.helpers import assert_accessible, screenshot
from tests.browser.test_interview_flow_browser import FAKE_SPEECH
from tests.browser.test_report_browser import demo_project, log_in

HARD = ("We spraken met 40 mensen.\n"
        "Indien u vragen heeft, bel ons. Wij helpen u graag.")
EASY_LINES = ["We spraken met 40 mensen.", "Ze voelen zich welkom.", "Er komt een stille kamer."]


def test_write_with_a2_advice_read_aloud_and_download_the_pdf(app, new_page):
    project_id = demo_project(app)
    page = new_page()
    page.add_init_script(FAKE_SPEECH % '[{"name": "Test Nederlands", "lang": "nl-NL", "localService": true}]')
    log_in(page, "demo-panel")
    page.goto(f"/projects/{project_id}/report/texts")
    field = page.get_by_label("Makkelijk lezen", exact=True)
    field.fill(HARD)
    # The A2 advice appears while typing (htmx): only the line that breaks a rule, with why.
    advice = page.locator("#advice-easy_read")
    expect(advice).to_contain_text("1 regel kan makkelijker.")
    expect(advice).to_contain_text("Regel 2")
    expect(advice).to_contain_text("Meer dan één idee")
    expect(advice).to_contain_text("Moeilijk woord uit brieven")
    expect(advice).not_to_contain_text("Regel 1")
    assert_accessible(page, "easy-read-01-advice")

    field.fill(EASY_LINES[0] + "\n" + EASY_LINES[1] + "\n\n" + EASY_LINES[2])
    expect(advice).to_contain_text("Elke regel is goed.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De teksten zijn opgeslagen.")).to_be_visible()

    page.get_by_role("link", name="Bekijk de tekst in makkelijke taal").click()
    expect(page.get_by_role("heading", level=1, name="Dit hebben we gehoord")).to_be_visible()
    expect(page.locator(".easy-read-line")).to_have_text(EASY_LINES)
    expect(page.get_by_role("button", name="Printen als poster")).to_be_visible()
    assert_accessible(page, "easy-read-02-page-tablet")
    page.get_by_role("button", name="Voorlezen").click()
    spoken = page.evaluate("window.__spoken")
    assert [s["text"] for s in spoken] == ["Wat vinden bezoekers van de dagopvang?", *EASY_LINES]
    assert {s["lang"] for s in spoken} == {"nl-NL"}
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_have_attribute("aria-pressed", "true")

    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "easy-read-03-page-phone")
    page.emulate_media(media="print")
    screenshot(page, "easy-read-04-poster")
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Makkelijk lezen als PDF").click()
    download = download_info.value
    assert re.fullmatch(r"makkelijk-lezen-[a-z0-9-]+\.pdf", download.suggested_filename)
    from pypdf import PdfReader

    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert all(line in text for line in EASY_LINES)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    visitor_reads_the_public_section(app, new_page, project_id)


def visitor_reads_the_public_section(app, new_page, project_id):
    """The public results page (the demo has a link): the same lines, in a section of its own."""
    with app.app_context():
        token = db.session.scalars(select(PublicLink.token).where(PublicLink.project_id == project_id)).one()
        db.session.remove()
    visitor = new_page()
    visitor.goto(f"/r/{token}")
    section = visitor.locator("section[aria-labelledby=public-easy-read]")
    expect(section.get_by_role("heading", level=2, name="Makkelijk lezen")).to_be_visible()
    expect(section.locator(".easy-read-line")).to_have_text(EASY_LINES)
    assert_accessible(visitor, "easy-read-05-public-page")
