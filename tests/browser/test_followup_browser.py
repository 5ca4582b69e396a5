"""What was done with the panel's recommendations, in Chromium at tablet size: a staff member
enters the municipality's answer, adds an agreement, sets it to halfway and adds a milestone;
a panel member then opens the read-only page and sees all of it. On the evaluation date a panel
member is reminded on the start page and fills in the evaluation by touch and keyboard. axe-core
on every page."""
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models.panel import Recommendation, Theme
from tests.browser.helpers import assert_accessible
from tests.helpers import PASSWORD


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def _a_recommendation(app, project_id):
    with app.app_context():
        staff = find_user("staf")
        theme = Theme(project_id=project_id, name="Rust", created_by_id=staff.id)
        db.session.add(theme)
        db.session.flush()
        db.session.add(Recommendation(theme_id=theme.id, text="Maak een stille kamer.",
                                      created_by_id=find_user("petra").id))
        db.session.commit()
        db.session.remove()


def _staff_fill_in(new_page, project_id):
    staf = new_page()
    log_in(staf, "staf")
    staf.goto(f"/projects/{project_id}")
    staf.get_by_role("link", name="Wat is er met onze adviezen gedaan?").click()
    expect(staf.get_by_role("heading", level=1, name="Wat is er met onze adviezen gedaan?")).to_be_visible()
    expect(staf.get_by_text("De gemeente heeft nog niet geantwoord.")).to_be_visible()
    assert_accessible(staf, "followup-01-index-empty")
    staf.get_by_role("link", name="Alles over dit advies").click()
    expect(staf.get_by_role("heading", level=1, name="Advies")).to_be_visible()
    assert_accessible(staf, "followup-02-recommendation")

    # A mistake first: the error summary, in B1.
    staf.get_by_role("button", name="Antwoord opslaan").click()
    expect(staf.locator("[data-error-summary]")).to_contain_text("Kies een antwoord.")
    assert_accessible(staf, "followup-03-answer-error")
    staf.get_by_label("Ja, dat gaan we doen").check()
    staf.get_by_label("Wie gaf het antwoord?").fill("Gemeente Utrecht")
    staf.get_by_label("Waarom? In hun eigen woorden").fill("Rust is belangrijk voor iedereen.")
    staf.get_by_label("Datum van het antwoord").fill("2026-03-01")
    staf.get_by_role("button", name="Antwoord opslaan").click()
    expect(staf.get_by_text("Het antwoord van de gemeente is opgeslagen.")).to_be_visible()

    staf.get_by_text("Nieuwe afspraak").click()
    staf.get_by_label("Wat gaan ze precies doen?").fill("Een stille kamer in De Haven.")
    staf.get_by_label("Welke organisatie doet het?").fill("Stichting De Haven")
    staf.get_by_label("Wie doet het? (mag leeg blijven)").fill("de teamleider")
    staf.get_by_label("Klaar op (mag leeg blijven)").fill("2026-09-01")
    staf.get_by_role("button", name="Afspraak opslaan").click()
    expect(staf.get_by_role("heading", level=1, name="Afspraak")).to_be_visible()
    assert_accessible(staf, "followup-04-agreement")

    # A second staff tablet has the same agreement open.
    other = new_page()
    log_in(other, "staf")
    other.goto(staf.url)
    staf.get_by_label("Half klaar").check()
    staf.get_by_role("button", name="Stand opslaan").click()
    expect(staf.get_by_text("Opgeslagen: Half klaar, 50% klaar.")).to_be_visible()
    # Its page is outdated now: its change is refused, and it says so.
    other.get_by_label("Klaar", exact=True).check()
    other.get_by_role("button", name="Stand opslaan").click()
    expect(other.locator("[data-error-summary]")).to_contain_text("Iemand anders heeft dit net veranderd.")
    expect(other.locator("#status")).to_contain_text("Half klaar")
    assert_accessible(other, "followup-04b-outdated")
    staf.get_by_label("Wanneer gebeurde het?").fill("2026-04-15")
    staf.get_by_role("textbox", name="Wat is er gebeurd?").fill("De kamer is geverfd.")
    staf.get_by_role("button", name="Zet erbij").click()
    expect(staf.locator("#milestones")).to_contain_text("De kamer is geverfd.")
    expect(staf.locator("#history")).to_contain_text("Hoe ver: eerst Nog niet begonnen, nu Half klaar")
    assert_accessible(staf, "followup-05-agreement-halfway")


def _panel_reads(new_page, project_id):
    petra = new_page()
    log_in(petra, "petra")
    petra.goto(f"/projects/{project_id}")
    petra.get_by_role("link", name="Wat is er met onze adviezen gedaan?").click()
    overview = petra.locator("main")
    for text in ("Maak een stille kamer.", "Ja, dat gaan we doen", "Gemeente Utrecht", "Rust is belangrijk voor iedereen.",
                 "Een stille kamer in De Haven.", "Half klaar", "50% klaar.", "De kamer is geverfd."):
        expect(overview).to_contain_text(text)
    expect(petra.get_by_role("button")).not_to_contain_text(["Antwoord opslaan"])
    assert_accessible(petra, "followup-06-panel-index")
    petra.get_by_role("link", name="Een stille kamer in De Haven.").click()
    expect(petra.get_by_role("heading", level=1, name="Afspraak")).to_be_visible()
    expect(petra.locator("#history")).to_contain_text("Er is iets gebeurd")
    expect(petra.get_by_role("button", name="Stand opslaan")).to_have_count(0)
    expect(petra.get_by_role("button", name="Zet erbij")).to_have_count(0)
    assert_accessible(petra, "followup-07-panel-agreement")
    petra.get_by_role("link", name="Terug naar het advies").click()
    expect(petra.locator("#answer")).to_contain_text("Gemeente Utrecht")
    expect(petra.get_by_text("Antwoord veranderen")).to_have_count(0)
    assert_accessible(petra, "followup-08-panel-recommendation")
    # The story of the recommendation, in order, with the read-aloud and print buttons shown.
    petra.get_by_role("link", name="Lees het verhaal van dit advies").click()
    expect(petra.get_by_role("heading", level=1, name="Het verhaal van dit advies")).to_be_visible()
    expect(petra.get_by_role("button", name="Voorlezen")).to_be_visible()
    expect(petra.get_by_role("button", name="Printen")).to_be_visible()
    expect(petra.locator("#story")).to_contain_text("Gemeente Utrecht antwoordde op 1 maart 2026")
    expect(petra.locator("#story")).to_contain_text("De kamer is geverfd.")
    assert_accessible(petra, "followup-09-story")


def test_staff_record_what_came_of_a_recommendation_and_the_panel_reads_it(app, world, new_page):
    _a_recommendation(app, world.project_id)
    _staff_fill_in(new_page, world.project_id)
    _panel_reads(new_page, world.project_id)


def _an_agreement_to_look_back_on(app, project_id):
    """An agreement whose evaluation date is today (in the app's time zone)."""
    from peerinterview.localize import local_today
    from peerinterview.models import Agreement

    _a_recommendation(app, project_id)
    with app.app_context(), app.test_request_context():
        recommendation = db.session.scalars(select(Recommendation)).one()
        db.session.add(Agreement(recommendation_id=recommendation.id, what="Een stille kamer in De Haven.",
                                 organisation="Stichting De Haven", agreed_on=date(2026, 3, 15),
                                 evaluate_on=local_today(), created_by_id=find_user("staf").id))
        db.session.commit()
        db.session.remove()


def test_a_panel_member_is_reminded_and_looks_back_together_by_keyboard_and_touch(app, world, new_page):
    _an_agreement_to_look_back_on(app, world.project_id)
    reminder = "Tijd om samen terug te kijken: Een stille kamer in De Haven."
    petra = new_page(has_touch=True)
    log_in(petra, "petra")
    expect(petra.get_by_role("link", name=reminder)).to_be_visible()
    assert_accessible(petra, "evaluation-01-start-page-reminder")
    petra.get_by_role("link", name=reminder).tap()
    expect(petra.get_by_role("heading", level=1, name="Is het gelukt?")).to_be_visible()
    assert_accessible(petra, "evaluation-02-form")

    # Saved without a smiley: the error summary, in B1, and the link to the first smiley.
    petra.get_by_role("button", name="Opslaan").tap()
    expect(petra.locator("[data-error-summary]")).to_contain_text("Kies een gezichtje.")
    assert_accessible(petra, "evaluation-03-error")
    # Touch: tap a face. Keyboard: the arrow keys move to another face, typing fills the rest.
    petra.locator('label[for="score-1"]').tap()
    expect(petra.get_by_label("Slecht", exact=True)).to_be_checked()
    petra.get_by_label("Slecht", exact=True).focus()
    petra.keyboard.press("ArrowRight")
    petra.keyboard.press("ArrowRight")
    expect(petra.get_by_label("Goed", exact=True)).to_be_checked()
    petra.keyboard.press("Tab")
    expect(petra.get_by_label("Wat is er veranderd voor cliënten?")).to_be_focused()
    petra.keyboard.type("Het is 's avonds rustiger.")
    petra.keyboard.press("Tab")
    petra.keyboard.type("Een bord op de deur.")
    petra.get_by_label("Hoeveel mensen van het panel deden mee?").focus()
    petra.keyboard.type("5")
    petra.keyboard.press("Enter")

    expect(petra.get_by_role("heading", level=1, name="Afspraak")).to_be_visible()
    evaluations = petra.locator("#evaluations")
    for text in ("Gedaan zoals afgesproken? Goed", "Het is 's avonds rustiger.", "Een bord op de deur.",
                 "5 mensen van het panel deden mee."):
        expect(evaluations).to_contain_text(text)
    assert_accessible(petra, "evaluation-04-agreement")
    petra.goto("/")
    expect(petra.get_by_text(reminder)).to_have_count(0)
    # The story tells it.
    petra.goto(f"/projects/{world.project_id}/follow-up")
    petra.get_by_role("link", name="Het verhaal").tap()
    story = petra.locator("#story")
    expect(story).to_contain_text("Het panel keek samen terug op: Een stille kamer in De Haven.")
    expect(story).to_contain_text("Het panel vond: Goed.")
    assert_accessible(petra, "evaluation-05-story")
