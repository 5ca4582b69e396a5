"""Language in Chromium (axe on every page): the English UI gives the B1 advice in English and
writes dates the European way in Amsterdam time; the Dutch UI shows the same moment in Dutch;
plain Dutch on the erase page and the presentation slide."""
from datetime import datetime

from playwright.sync_api import expect
from sqlalchemy import update

from peerinterview.extensions import db
from peerinterview.models import Interview, User
from tests.browser.helpers import assert_accessible
from tests.builders import interview_row, make_completed, make_interview
from tests.helpers import PASSWORD

WINTER_NIGHT = datetime(2025, 1, 15, 23, 30)  # 00:30 on 16 January in Amsterdam


def log_in(page, username, lands_on):
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/login'] button").click()
    expect(page.get_by_role("heading", level=1, name=lands_on)).to_be_visible()


def _english(app, username):
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(locale="en"))
        db.session.commit()
        db.session.remove()


def test_english_ui_gives_english_b1_advice_and_european_dates(app, world, draft_project, new_page):
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    with app.app_context():
        db.session.execute(update(Interview).where(Interview.id == interview_id)
                           .values(started_at=WINTER_NIGHT, completed_at=WINTER_NIGHT))
        db.session.commit()
        db.session.remove()
    _english(app, "staf")
    page = new_page(locale="en-GB")
    log_in(page, "staf", "My studies")

    # The B1 checker reads Dutch and explains in English, while typing.
    page.goto(f"/projects/{draft_project}/questionnaire")
    text = page.locator("#text")
    text.fill("Indien u vragen heeft, kunt u ons bellen.")
    advice = page.locator("#text-advice")
    expect(advice).to_contain_text("Write 'Als' instead of 'Indien'.")
    expect(advice).not_to_contain_text("Schrijf")
    assert_accessible(page, "language-01-b1-advice-en")

    # 23:30 UTC in winter is 00:30 the next day in Amsterdam, day before month.
    page.goto(f"/projects/{world.project_id}/interviews")
    expect(page.get_by_role("cell", name="16/01/2025, 00:30")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("1/15/25")
    assert_accessible(page, "language-02-interviews-en")
    page.goto(f"/projects/{world.project_id}/report")
    expect(page.locator(".report-method")).to_contain_text("From 16 January 2025 to 16 January 2025")

    # The same moment in the Dutch UI.
    dutch = new_page()
    log_in(dutch, "anna", "Mijn onderzoeken")
    dutch.goto(f"/projects/{world.project_id}/interviews")
    expect(dutch.get_by_role("cell", name="16-01-2025, 00:30")).to_be_visible()
    expect(dutch.get_by_role("link", name=f"Terugblik invullen {interview_row(app, interview_id).respondent_code}")).to_be_visible()
    assert_accessible(dutch, "language-03-interviews-nl")


def test_plain_dutch_on_the_erase_page_and_the_slide(app, world, new_page):
    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 6 + [{"q1": "2"}] * 5)
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "2"}, completed=True)
    code = interview_row(app, interview_id).respondent_code
    page = new_page()
    log_in(page, "staf", "Mijn onderzoeken")
    page.goto(f"/projects/{world.project_id}/wissen")
    expect(page.get_by_text("We wissen alle antwoorden, notities en het interview zelf.")).to_be_visible()
    page.get_by_label("Code van de deelnemer").fill(code)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Dit wissen we:")).to_be_visible()
    page.get_by_label("Ja, wis alle antwoorden van deze deelnemer").check()
    page.get_by_role("button", name="Alles wissen").click()
    expect(page.get_by_text("We hebben alles van deze deelnemer gewist: 1 antwoord.")).to_be_visible()
    assert_accessible(page, "language-04-erased")

    page.goto(f"/projects/{world.project_id}/present")
    page.get_by_label("Ga naar").select_option(value="q:q1")
    page.get_by_role("button", name="Laat zien").click()
    lines = page.locator(".slide-lines li")
    expect(lines.first).to_have_text("Elke dag: 6 van de 11 mensen (55%)")
    expect(lines.nth(1)).to_have_text("Soms: 5 van de 11 mensen (45%)")
    assert_accessible(page, "language-05-slide")
