"""A hard word explained, in Chromium: the designer explains a word in the builder; on the tablet the
word is a button, tapped it opens the explanation and reads it aloud (a stub records the speech);
the answers overview and the panel's results read aloud too. axe-core (target-size on) on each."""
import re

from playwright.sync_api import expect

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import freeze_version, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Project
from tests.browser.helpers import assert_accessible
from tests.browser.test_interview_flow_browser import FAKE_SPEECH, heading, log_in

EXPLANATION = "Een plek waar je overdag mag zijn. Je krijgt er koffie en eten."
VOICE = '[{"name": "Test Nederlands", "lang": "nl-NL", "localService": true}]'


def draft_with_a_hard_word(app, project_id):
    """Version 2 as a draft; question 1 now names the day centre."""
    with app.app_context():
        draft = new_draft(questionnaire_of(db.session.get(Project, project_id)), by=find_user("staf"))
        draft.questions[0].text = "Hoe vaak komt u in de dagopvang?"
        db.session.commit()
        question_id = draft.questions[0].id
        db.session.remove()
    return question_id


def freeze_draft(app, project_id):
    with app.app_context():
        freeze_version(questionnaire_of(db.session.get(Project, project_id)).draft, by=find_user("staf"))
        db.session.commit()
        db.session.remove()


def explain_in_the_builder(designer, project_id, question_id):
    """dirk (designer) gives "dagopvang" its explanation on the question's edit page."""
    log_in(designer, "dirk")
    designer.goto(f"/projects/{project_id}/questionnaire/questions/{question_id}/edit")
    designer.get_by_label("Moeilijk woord").fill("dagopvang")
    designer.get_by_label("Wat betekent dit?").fill(EXPLANATION)
    designer.get_by_role("button", name="Uitleg opslaan").click()
    expect(designer.get_by_text("De uitleg is toegevoegd.")).to_be_visible()
    expect(designer.locator(".word-explanation-card")).to_contain_text(EXPLANATION)
    assert_accessible(designer, "words-01-builder")


def start_interview(tablet, project_id):
    log_in(tablet, "anna")
    tablet.goto(f"/projects/{project_id}/interviews/new")
    tablet.get_by_label("De Haven").check()
    tablet.get_by_label(re.compile("De persoon doet mee")).check()
    tablet.get_by_label(re.compile("De persoon vindt het goed")).check()
    tablet.get_by_role("button", name="Interview beginnen").click()


def test_a_designer_explains_a_word_and_the_tablet_shows_and_reads_it(app, world, new_page):
    explain_in_the_builder(new_page(), world.project_id, draft_with_a_hard_word(app, world.project_id))
    freeze_draft(app, world.project_id)
    tablet = new_page()
    tablet.add_init_script(FAKE_SPEECH % VOICE)
    start_interview(tablet, world.project_id)
    # The word is a button inside the heading (Chromium names the heading with a space before "?").
    expect(heading(tablet, re.compile(r"^Hoe vaak komt u in de dagopvang ?\?$"))).to_be_focused()

    word = tablet.locator("button.explained-word")
    expect(word).to_have_text(re.compile("^dagopvang"))
    expect(word).to_have_attribute("aria-expanded", "false")
    box = word.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    explanation = tablet.locator("#uitleg-1 p")
    expect(explanation).to_be_hidden()
    assert_accessible(tablet, "words-02-tablet")
    word.click()
    expect(explanation).to_be_visible()
    expect(word).to_have_attribute("aria-expanded", "true")
    spoken = tablet.evaluate("window.__spoken")
    assert [s["text"] for s in spoken] == ["dagopvang", EXPLANATION], spoken
    assert {s["voice"] for s in spoken} == {"Test Nederlands"}
    assert_accessible(tablet, "words-03-tablet-open")
    tablet.set_viewport_size({"width": 390, "height": 844})  # a phone: the word and its box still fit
    assert tablet.evaluate("document.documentElement.scrollWidth <= 390")
    assert_accessible(tablet, "words-03-phone-open")
    tablet.set_viewport_size({"width": 820, "height": 1180})
    # Closing it by its own summary puts the word button back.
    tablet.locator("#uitleg-1 summary").click()
    expect(word).to_have_attribute("aria-expanded", "false")

    # Without JavaScript the explanation opens by its own summary.
    plain = new_page(java_script_enabled=False)
    log_in(plain, "anna")
    plain.goto(tablet.url)
    plain.locator("#uitleg-1 summary").click()
    expect(plain.locator("#uitleg-1 p")).to_have_text(EXPLANATION)

    # The answers overview reads the questions aloud too.
    tablet.goto(tablet.url.rsplit("/questions/", 1)[0] + "/overview")
    expect(heading(tablet, "Overzicht van de antwoorden")).to_be_visible()
    tablet.evaluate("window.__spoken = []")
    tablet.locator("[data-read-aloud='#overview-read']").click()
    texts = [s["text"] for s in tablet.evaluate("window.__spoken")]
    assert "Hoe vaak komt u in de dagopvang?" in texts and "Geen antwoord" in texts, texts
    assert_accessible(tablet, "words-04-overview")

    # The panel's results page: "Voorlezen" is there and reads.
    panel = new_page()
    panel.add_init_script(FAKE_SPEECH % VOICE)
    log_in(panel, "petra")
    panel.goto(f"/projects/{world.project_id}/results")
    read = panel.locator("[data-read-aloud='#results-read']")
    expect(read).to_be_visible()
    read.click()
    assert panel.evaluate("window.__spoken"), "nothing read"
    assert_accessible(panel, "words-05-results")
