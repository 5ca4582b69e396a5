"""The municipality's own account in Chromium, with JavaScript off (plain forms only): it logs
in, lands on its page with the panel's recommendations, opens one, gives the municipality's
answer (a mistake first, so the error summary shows) and sees it on its page. axe-core on its
start page and the answer page; screenshots at tablet (820x1180) and phone (390x844) size."""
from playwright.sync_api import expect

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import Project
from peerinterview.models.panel import Recommendation, Theme
from tests.browser.helpers import assert_accessible, screenshot
from tests.helpers import PASSWORD, make_user_now

PHONE = {"width": 390, "height": 844}
REC = "Maak een stille kamer."


def _a_recommendation_and_the_municipality(app, project_id):
    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, project_id)
        project.commissioner = "Gemeente Voorbeeldstad"
        theme = Theme(project_id=project_id, name="Rust", created_by_id=staff.id)
        db.session.add(theme)
        db.session.flush()
        db.session.add(Recommendation(theme_id=theme.id, text=REC, created_by_id=find_user("petra").id))
        db.session.commit()
        make_user_now("gemma", project=project, roles={"municipality"}, by=staff)
        db.session.remove()


def _both_sizes(page, name):
    assert_accessible(page, f"{name}-tablet")
    page.set_viewport_size(PHONE)
    assert_accessible(page, None)
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 820, "height": 1180})


def _log_in(page):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill("gemma")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Adviezen van het panel")).to_be_visible()


def test_the_municipality_answers_a_recommendation_without_javascript(app, world, new_page):
    _a_recommendation_and_the_municipality(app, world.project_id)
    # axe-core needs JavaScript: a tablet with it on scans her pages; the answer itself is given
    # on a tablet with JavaScript off (plain forms only).
    scanned = new_page()
    _log_in(scanned)
    expect(scanned.get_by_text("Uw antwoord: nog niet gegeven.")).to_be_visible()
    # Her menu: no project overview, no results, no panel pages, no accounts.
    for hidden in ("Overzicht", "Uitkomsten", "Samen bespreken", "Accounts"):
        expect(scanned.get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    _both_sizes(scanned, "municipality-01-home")
    scanned.get_by_role("link", name="Antwoord geven").click()
    expect(scanned.get_by_role("heading", level=1, name="Advies")).to_be_visible()
    _both_sizes(scanned, "municipality-02-answer")
    scanned.get_by_role("button", name="Antwoord opslaan").click()
    expect(scanned.locator("[data-error-summary]")).to_contain_text("Kies een antwoord.")
    assert_accessible(scanned, "municipality-03-answer-error")

    page = new_page(java_script_enabled=False)
    _log_in(page)
    page.get_by_role("link", name="Antwoord geven").click()
    expect(page.get_by_role("heading", level=1, name="Advies")).to_be_visible()
    expect(page.get_by_label("Wie gaf het antwoord?")).to_have_value("Gemeente Voorbeeldstad")
    expect(page.get_by_text("Nieuwe afspraak")).to_have_count(0)
    # A mistake first: the error summary, in B1.
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Kies een antwoord.")
    page.get_by_label("Voor een deel").check()
    page.get_by_label("Waarom? In hun eigen woorden").fill("Eerst een proef in De Haven.")
    page.get_by_label("Datum van het antwoord").fill("2026-03-01")
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.get_by_text("Het antwoord van de gemeente is opgeslagen.")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("Door Gemma")
    page.get_by_role("link", name="Mijn onderzoeken").click()
    expect(page.get_by_text("Uw antwoord: Voor een deel. Gegeven op 1 maart 2026.")).to_be_visible()

    scanned.goto("/")
    expect(scanned.get_by_text("Uw antwoord: Voor een deel. Gegeven op 1 maart 2026.")).to_be_visible()
    _both_sizes(scanned, "municipality-04-home-answered")
