"""The interview in a real browser: Dutch and English, without JavaScript, by keyboard only,
and at 320 px wide."""
import re

import pytest
from playwright.sync_api import expect

from peerinterview.extensions import db
from peerinterview.models import Answer, Interview
from tests.browser.helpers import assert_accessible
from tests.helpers import PASSWORD

TEXTS = {
    "nl": dict(login="Inloggen", home="Mijn onderzoeken", user="Gebruikersnaam", password="Wachtwoord", start="Nieuw interview beginnen",
               consent=re.compile("De persoon doet mee"), consent_data=re.compile("De persoon vindt het goed"), begin="Interview beginnen", next="Volgende",
               saved="Opgeslagen", overview="Naar het overzicht", finish="Interview afronden", thanks="Dank u wel",
               some="Soms", good="Goed", progress="Vraag 1 van 3", dont_know="Weet ik niet"),
    "en": dict(login="Log in", home="My studies", user="Username", password="Password", start="Start a new interview",
               consent=re.compile("The person takes part"), consent_data=re.compile("The person agrees"), begin="Start the interview", next="Next",
               saved="Saved", overview="Go to the overview", finish="Finish the interview", thanks="Thank you",
               some="Soms", good="Goed", progress="Question 1 of 3", dont_know="Don't know"),
}


def log_in(page, username, texts):
    page.goto("/login")
    page.get_by_label(texts["user"]).fill(username)
    page.get_by_label(texts["password"]).fill(PASSWORD)
    page.get_by_role("button", name=texts["login"], exact=True).click()
    # Wait for the boosted login to finish before navigating on.
    expect(page.get_by_role("heading", level=1, name=texts["home"])).to_be_visible()


def stored_answers(app, project_id):
    with app.app_context():
        rows = db.session.execute(
            db.select(Answer.question_id, Answer.value, Answer.text, Answer.special)
            .join(Interview).where(Interview.project_id == project_id).order_by(Answer.question_id)
        ).all()
        statuses = db.session.scalars(db.select(Interview.status).where(Interview.project_id == project_id)).all()
        db.session.remove()
    return rows, statuses


# Dutch also on PostgreSQL: the autosave (autocommit there) overlaps the next page's request.
@pytest.mark.parametrize("lang", [pytest.param("nl", marks=pytest.mark.every_database), "en"])
def test_full_interview_with_htmx(app, world, new_page, lang):
    texts = TEXTS[lang]
    page = new_page(locale="en-GB" if lang == "en" else "nl-NL")
    log_in(page, "anna", texts)
    page.goto(f"/projects/{world.project_id}/interviews/new")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.get_by_label("De Haven").check()
    page.get_by_label(texts["consent"]).check()
    page.get_by_label(texts["consent_data"]).check()
    page.get_by_role("button", name=texts["begin"]).click()

    expect(page.get_by_text(texts["progress"])).to_be_visible()
    page.get_by_label(texts["some"]).check()
    expect(page.get_by_role("status").filter(has_text=texts["saved"])).to_be_visible()
    page.get_by_role("button", name=texts["next"]).click()
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_focused()
    page.get_by_label(texts["good"], exact=True).check()
    expect(page.get_by_role("status").filter(has_text=texts["saved"])).to_be_visible()
    page.get_by_role("button", name=texts["next"]).click()
    expect(page.get_by_role("heading", level=1, name="Wat kan beter?")).to_be_visible()
    page.get_by_label(texts["dont_know"]).check()
    expect(page.get_by_role("status").filter(has_text=texts["saved"])).to_be_visible()
    assert_accessible(page, f"interview-open-{lang}")
    page.get_by_role("button", name=texts["overview"]).click()
    assert_accessible(page, f"interview-overview-{lang}")
    page.get_by_role("button", name=texts["finish"]).click()
    expect(page.get_by_role("heading", level=1, name=texts["thanks"])).to_be_visible()

    rows, statuses = stored_answers(app, world.project_id)
    q1, q2, q3 = world.question_ids
    assert rows == [(q1, "2", None, None), (q2, "4", None, None), (q3, None, None, "dont_know")]
    assert statuses == ["completed"]


def test_full_interview_without_javascript(app, world, new_page):
    page = new_page(java_script_enabled=False)
    texts = TEXTS["nl"]
    log_in(page, "anna", texts)
    page.goto(f"/projects/{world.project_id}/interviews/new")
    page.get_by_role("button", name=texts["begin"]).click()
    expect(page.get_by_role("alert")).to_contain_text("Vraag eerst toestemming.")
    page.get_by_label("Het Anker").check()
    page.get_by_label(texts["consent"]).check()
    page.get_by_label(texts["consent_data"]).check()
    page.get_by_role("button", name=texts["begin"]).click()

    page.get_by_role("button", name="Volgende").click()
    expect(page).to_have_title(re.compile("^Fout: "))
    expect(page.get_by_role("alert")).to_contain_text("Kies een antwoord.")
    # No axe scan here: axe-core itself needs JavaScript (its promise never settles with
    # JavaScript off). The same error page is scanned with JavaScript on in test_thin_path.
    page.get_by_label("Elke dag").check()
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text("Vraag 2 van 3")).to_be_visible()
    page.get_by_role("button", name="Vorige").click()
    expect(page.get_by_label("Elke dag")).to_be_checked()
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text("Vraag 2 van 3")).to_be_visible()
    page.get_by_label("Heel goed").check()
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text("Vraag 3 van 3")).to_be_visible()
    page.get_by_label("Wat kan beter?").fill("Langer open in het weekend.")
    page.get_by_role("button", name="Naar het overzicht").click()
    expect(page.get_by_text("Langer open in het weekend.")).to_be_visible()
    page.get_by_role("button", name="Interview afronden").click()
    expect(page.get_by_role("heading", level=1, name="Dank u wel")).to_be_visible()

    rows, statuses = stored_answers(app, world.project_id)
    q1, q2, q3 = world.question_ids
    assert rows == [(q1, "1", None, None), (q2, "5", None, None), (q3, None, "Langer open in het weekend.", None)]
    assert statuses == ["completed"]


def test_keyboard_only_and_narrow_screen(app, world, new_page):
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, "anna", TEXTS["nl"])
    page.goto(f"/projects/{world.project_id}/interviews/new")
    page.get_by_label("De Haven").check()
    page.get_by_label(TEXTS["nl"]["consent"]).check()
    page.get_by_label(TEXTS["nl"]["consent_data"]).check()
    page.get_by_role("button", name="Interview beginnen").click()
    heading = page.get_by_role("heading", level=1, name="Hoe vaak komt u hier?")
    expect(heading).to_be_focused()

    # No horizontal scrolling at 320 CSS pixels (WCAG 1.4.10).
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "question-320px")

    # Tab into the radio group (past the read-aloud button, shown where the browser has a Dutch
    # voice), arrow to the second choice, then Enter on "Volgende".
    first_choice = page.get_by_label("Elke dag")
    for _ in range(3):
        page.keyboard.press("Tab")
        if first_choice.evaluate("el => el === document.activeElement"):
            break
    expect(first_choice).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Soms")).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen")).to_be_visible()
    page.get_by_role("button", name="Volgende").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_focused()
    rows, _ = stored_answers(app, world.project_id)
    assert rows == [(world.question_ids[0], "2", None, None)]


@pytest.mark.every_database  # two requests at once: each database resolves the race its own way
def test_double_taps_store_one_interview_and_one_answer(app, world, new_page):
    """A nervous double tap on the start button, an answer and "Volgende" changes nothing."""
    texts = TEXTS["nl"]
    page = new_page()
    log_in(page, "anna", texts)
    page.goto(f"/projects/{world.project_id}/interviews/new")
    page.get_by_label("De Haven").check()
    page.get_by_label(texts["consent"]).check()
    page.get_by_label(texts["consent_data"]).check()
    page.get_by_role("button", name=texts["begin"]).dblclick()
    expect(page.get_by_text("Vraag 1 van 3")).to_be_visible()
    page.get_by_label("Soms").dblclick()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen")).to_be_visible()
    page.get_by_role("button", name="Volgende").dblclick()
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_visible()
    expect(page.get_by_text("Vraag 2 van 3")).to_be_visible()

    rows, statuses = stored_answers(app, world.project_id)
    assert rows == [(world.question_ids[0], "2", None, None)]
    assert statuses == ["in_progress"]  # one interview, not two


def test_the_tablet_makes_the_interview_uuid(app, world, new_page):
    texts = TEXTS["nl"]
    page = new_page()
    log_in(page, "anna", texts)
    server_html = page.request.get(f"/projects/{world.project_id}/interviews/new").text()
    server_id = re.search(r'name="interview_id"[^>]*value="([^"]+)"', server_html) or re.search(
        r'value="([^"]+)"[^>]*name="interview_id"', server_html)
    page.goto(f"/projects/{world.project_id}/interviews/new")
    field = page.locator("input[name='interview_id']")
    expect(field).not_to_have_attribute("data-device-uuid", "")
    device_id = field.input_value()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", device_id)
    assert server_id and device_id != server_id.group(1)
    page.get_by_label("De Haven").check()
    page.get_by_label(texts["consent"]).check()
    page.get_by_label(texts["consent_data"]).check()
    page.get_by_role("button", name=texts["begin"]).click()
    expect(page).to_have_url(re.compile(f"/interviews/{device_id}/questions/1$"))


def test_staff_read_one_interview_accessibly(app, world, new_page):
    from tests.builders import make_interview

    interview_id = make_interview(app, world.project_id, "anna", completed=True,
                                  answers={"q1": "2", "q2": "4", "q3": "Meer rust."})
    page = new_page()
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill("staf")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()
    page.goto(f"/projects/{world.project_id}/interviews")
    page.get_by_role("link", name=re.compile("^Antwoorden")).first.click()
    expect(page).to_have_url(re.compile(f"/interviews/{interview_id}/answers$"))
    expect(page.get_by_text("Meer rust.")).to_be_visible()
    assert_accessible(page, "staff-answers")
