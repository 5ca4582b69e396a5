"""Results, breakdowns and fieldwork progress in Chromium at tablet size, with axe-core
(target-size on) on every page, and the progress page refreshing itself through htmx."""
import re

from playwright.sync_api import expect

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.interview.services import save_debrief
from peerinterview.models import Interview
from tests.browser.helpers import assert_accessible
from tests.builders import make_completed, make_interview
from tests.helpers import PASSWORD, build_world


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def seed(app):
    with app.app_context():
        world = build_world()
    haven, anker = world.location_ids
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q2": "5", "q3": "Meer rust."}] * 7 + [{"q1": "2", "q2": "4"}] * 5
                   + [{"q1": "3", "q2": "special:dont_know"}] * 2, location_id=haven)
    make_completed(app, world.project_id, "bram",
                   [{"q1": "1", "q2": "2"}] * 6 + [{"q1": "2", "q2": "special:refuse"}] * 6, location_id=anker)
    flagged = make_completed(app, world.project_id, "bram", [{"q1": "1"}], location_id=anker)[0]
    with app.app_context():
        save_debrief(db.session.get(Interview, flagged), mood="hard", text="Bel de begeleider.",
                     follow_up_needed=True, by=find_user("bram"))
        db.session.commit()
        db.session.remove()
    make_interview(app, world.project_id, "anna", location_id=haven)
    return world


def test_panel_reads_charts_and_breakdowns(app, page):
    world = seed(app)
    log_in(page, "petra")
    page.goto(f"/projects/{world.project_id}/results")
    expect(page.get_by_role("heading", level=1, name="Uitkomsten")).to_be_visible()
    chart = page.get_by_role("img", name="Hoe vaak komt u hier?")
    expect(chart).to_be_visible()
    assert "Elke dag: 14 mensen" in chart.locator("desc").text_content()
    table = page.get_by_role("table", name="Tabel: Hoe vaak komt u hier?")
    expect(table.get_by_role("row", name=re.compile("^Elke dag 14 52%"))).to_be_visible()
    assert page.locator("[style]").count() == 0
    assert_accessible(page, "results-01-charts")

    page.get_by_role("link", name=re.compile("^Uitsplitsen per locatie of per antwoord.*Hoe vaak komt u hier")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Uitsplitsen"))).to_be_visible()
    breakdown = page.get_by_role("table", name="Antwoorden per locatie")
    expect(breakdown.get_by_role("row", name=re.compile("^De Haven 14"))).to_be_visible()
    assert_accessible(page, "results-02-breakdown-location")

    page.get_by_label("Uitsplitsen naar").select_option(label="Antwoord op: Hoe voelt u zich hier?")
    page.get_by_role("button", name="Laat zien").click()
    expect(page.get_by_role("table", name="Antwoorden per antwoord op: Hoe voelt u zich hier?")).to_be_visible()
    expect(page).to_have_url(re.compile(r"by=q2$"))
    assert_accessible(page, "results-03-breakdown-answer")


def test_staff_sets_targets_and_the_progress_page_refreshes_itself(app, page):
    world = seed(app)
    log_in(page, "staf")
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("link", name="Voortgang").click()
    expect(page.get_by_role("heading", level=1, name="Voortgang van het interviewen")).to_be_visible()
    expect(page.get_by_text("27 interviews zijn klaar. Er is nog geen doel.")).to_be_visible()
    expect(page.get_by_text("Bel de begeleider.")).to_be_visible()
    assert_accessible(page, "progress-01")

    page.get_by_role("link", name="Doelen aanpassen").click()
    page.get_by_label("Doel voor het hele onderzoek").fill("veel")
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul een heel getal in, of laat het veld leeg.")
    expect(page).to_have_title(re.compile("^Fout: "))
    assert_accessible(page, "progress-02-targets-error")
    page.get_by_label("Doel voor het hele onderzoek").fill("40")
    page.get_by_label("Doel voor De Haven").fill("20")
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.get_by_text("De doelen zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_text("27 van de 40 interviews zijn klaar (68%).")).to_be_visible()
    assert_accessible(page, "progress-03-targets")

    # A new interview is finished; the next poll shows it without a reload.
    make_completed(app, world.project_id, "anna", [{"q1": "1"}], location_id=world.location_ids[0])
    # The same request as the hx-trigger="every 30s" poll, without waiting half a minute.
    page.evaluate("() => { htmx.ajax('GET', location.pathname, {target: '#progress-live', swap: 'outerHTML'}); }")
    expect(page.get_by_text("28 van de 40 interviews zijn klaar (70%).")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Voortgang van het interviewen")).to_have_count(1)
    assert_accessible(page)


def test_progress_works_without_javascript(app, new_page):
    world = seed(app)
    page = new_page(java_script_enabled=False)
    log_in(page, "staf")
    page.goto(f"/projects/{world.project_id}/progress")
    page.get_by_role("link", name="Nu bijwerken").click()
    expect(page.get_by_text("27 interviews zijn klaar. Er is nog geen doel.")).to_be_visible()
    page.get_by_role("link", name="Doelen aanpassen").click()
    page.get_by_label("Doel voor Het Anker").fill("15")
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.get_by_text("De doelen zijn opgeslagen.")).to_be_visible()
    row = page.get_by_role("table").first.get_by_role("row", name=re.compile("^Het Anker"))
    expect(row).to_contain_text("15")
    # (axe needs JavaScript: the same pages are checked with axe in the tests above.)
