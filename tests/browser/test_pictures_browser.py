"""Pictures in Chromium: the designer searches (live, and with the search button) and picks
pictures for answers; the interviewer's screen shows the answers as picture cards, by keyboard
and at 320 px; the panel sees the same pictures in the results. axe on every state."""
import re

from playwright.sync_api import expect

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import freeze_version, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Project, QuestionnaireVersion
from tests.browser.helpers import assert_accessible, screenshot
from tests.browser.test_thin_path import log_in
from tests.builders import make_completed

CALENDAR, DOUBT, HOUSE = "1F4C5", "1F615", "1F3E0"


def pick(page, place, word, code, *, live):
    """On the pictures page: "Kies een plaatje" for `place`, search `word`, pick `code`."""
    page.get_by_role("link", name=re.compile(rf"^Kies een plaatje\s?: {re.escape(place)}$")).click()
    expect(page.get_by_role("heading", level=2, name=f"Kies een plaatje voor: {place}")).to_be_visible()
    page.get_by_label("Zoek een plaatje").fill(word)
    if not live:
        page.get_by_role("button", name="Zoeken", exact=True).click()
    choice = page.locator(f'#picture-results button[value="{code}"]')
    expect(choice).to_be_visible()
    return choice


def designer_picks_pictures(page, project_id, question_id):
    """From the question's edit page to its pictures: a live search, a plain one, a third pick."""
    log_in(page, "dirk")
    page.goto(f"/projects/{project_id}/questionnaire/questions/{question_id}/edit")
    page.get_by_role("link", name="Plaatjes bij de vraag en de antwoorden").click()
    expect(page.get_by_role("heading", level=1, name="Plaatjes bij vraag 1")).to_be_visible()
    choice = pick(page, "Elke dag", "kalender", CALENDAR, live=True)
    # The live region stays and gets the new count (kalender: two calendars).
    expect(page.get_by_role("status").filter(has_text="gevonden")).to_have_text("2 plaatjes gevonden")
    assert_accessible(page, "pictures-01-search")
    choice.click()
    expect(page.get_by_text("Het plaatje is gekozen.")).to_be_visible()
    expect(page.locator("#plek-vraag + li")).to_contain_text("Plaatje: kalender")
    pick(page, "Soms", "twijfel", DOUBT, live=False).click()
    expect(page.get_by_text("Het plaatje is gekozen.")).to_be_visible()
    pick(page, "Hoe vaak komt u hier?", "huis", HOUSE, live=True).click()
    expect(page.locator("#plek-vraag")).to_contain_text("Plaatje: huis")
    assert_accessible(page, "pictures-02-chosen")


def interviewer_sees_picture_cards(page, project_id):
    """The answers as cards, the picture above the words; by keyboard; at 390 and 320 px."""
    log_in(page, "anna")
    page.goto(f"/projects/{project_id}/interviews/new")
    page.get_by_label("De Haven").check()
    page.get_by_label(re.compile("De persoon doet mee")).check()
    page.get_by_label(re.compile("De persoon vindt het goed")).check()
    page.get_by_role("button", name="Interview beginnen").click()
    grid = page.locator(".answer-options.picture-grid")
    expect(grid.locator(".answer-option")).to_have_count(3)
    first = grid.locator("label").first
    picture, words = first.locator("svg").bounding_box(), first.locator("span").bounding_box()
    assert picture["y"] + picture["height"] <= words["y"] + 1  # the picture above the words
    expect(grid.locator("label").nth(2).locator("svg")).to_have_count(0)  # "Bijna nooit": words only
    expect(page.locator(".question-picture svg")).to_be_visible()
    page.get_by_label("Elke dag").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Soms")).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen")).to_be_visible()
    assert_accessible(page, "pictures-03-tablet")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "pictures-04-phone")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.get_by_label("Bijna nooit")).to_be_visible()
    assert_accessible(page, "pictures-05-320px")


def test_designer_picks_pictures_the_tablet_shows_cards_and_the_panel_sees_them(app, world, new_page):
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        draft = new_draft(questionnaire_of(project), by=find_user("staf"))
        db.session.commit()
        question_id, draft_id = draft.questions[0].id, draft.id
        db.session.remove()
    designer_picks_pictures(new_page(), world.project_id, question_id)
    with app.app_context():
        freeze_version(db.session.get(QuestionnaireVersion, draft_id), by=find_user("staf"))
        db.session.commit()
        db.session.remove()
    interviewer_sees_picture_cards(new_page(), world.project_id)

    # The panel: the same pictures next to the answers in the results.
    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 6 + [{"q1": "2"}] * 5)
    page = new_page()
    log_in(page, "petra")
    page.goto(f"/projects/{world.project_id}/results")
    result = page.locator("section.result").filter(has=page.get_by_role("heading", name=re.compile("Hoe vaak komt u hier")))
    expect(result.locator(".answer-bar-text svg.result-picture")).to_have_count(2)
    expect(result.locator(".answer-bar-text").first).to_contain_text("Elke dag")
    expect(result.locator(".question-picture svg")).to_be_visible()
    assert_accessible(page, "pictures-06-results")
