"""In Chromium: the report page, its texts and the exports page pass axe-core (with
target-size); a download shows "Even geduld…" and then says it is done; the page prints well."""
import re

from playwright.sync_api import expect

from peerinterview.demo import DEMO_PASSWORD, create_demo
from peerinterview.extensions import db
from tests.browser.helpers import assert_accessible, screenshot


def demo_project(app) -> int:
    with app.app_context():
        project = create_demo()
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def test_report_page_texts_and_exports_are_accessible(app, page):
    project_id = demo_project(app)
    log_in(page, "demo-staf")
    page.goto(f"/projects/{project_id}")
    page.get_by_role("navigation", name="Onderdelen van dit onderzoek").get_by_role("link", name="Rapport").click()
    expect(page.get_by_role("heading", level=1, name="Wat vinden bezoekers van de dagopvang?")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Zo hebben we het onderzocht")).to_be_visible()
    expect(page.get_by_role("img", name="Hoe vaak komt u hier?")).to_be_visible()
    assert_accessible(page, "report-01-report")

    page.get_by_role("link", name="Teksten aanpassen").click()
    expect(page.get_by_role("heading", level=1, name="Teksten van het rapport")).to_be_visible()
    page.get_by_label("Samenvatting", exact=True).fill("Indien u vragen heeft, kunt u bellen. De meeste bezoekers voelen zich hier goed.")
    # The advice appears while typing (htmx), and with the button without JavaScript.
    expect(page.locator("#advice-summary")).to_contain_text("Moeilijk woord uit brieven")
    page.get_by_role("button", name="Controleer de taal").click()
    expect(page.locator("#advice-summary")).to_contain_text("Moeilijk woord uit brieven")
    assert_accessible(page, "report-02-texts-advice")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De teksten zijn opgeslagen.")).to_be_visible()
    page.get_by_role("link", name="Bekijk het rapport").click()
    expect(page.get_by_role("heading", level=2, name="Samenvatting")).to_be_visible()

    page.get_by_role("link", name="Dit hebben we gehoord").click()
    expect(page.get_by_role("heading", level=1, name="Dit hebben we gehoord")).to_be_visible()
    assert_accessible(page, "report-03-summary")

    page.goto(f"/projects/{project_id}/exports")
    expect(page.get_by_role("heading", level=1, name="Gegevens downloaden")).to_be_visible()
    assert_accessible(page, "report-04-exports")


def test_a_download_shows_a_waiting_state_and_then_done(app, page):
    project_id = demo_project(app)
    log_in(page, "demo-staf")
    page.goto(f"/projects/{project_id}/exports")
    page.get_by_label("Laat open antwoorden en terugblikken weg").check()
    # A fast machine has the file before a check could look, so the page itself notes what its
    # status messages said while the download ran.
    page.evaluate("""() => {
        window.statusTexts = [];
        new MutationObserver(() => {
            document.querySelectorAll("[role=status]").forEach((el) => window.statusTexts.push(el.textContent));
        }).observe(document.querySelector("main"), {subtree: true, childList: true, characterData: true});
    }""")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="SPSS (.sav)").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-data-zonder-open-antwoorden.sav")
    expect(page.get_by_role("status").filter(has_text="Klaar. Het bestand staat bij uw downloads.")).to_be_visible()
    assert any("Even geduld" in text for text in page.evaluate("window.statusTexts"))
    expect(page.get_by_role("button", name="SPSS (.sav)")).to_be_visible()  # the button is back
    assert not page.console_errors

    page.goto(f"/projects/{project_id}/report")
    with page.expect_download() as pdf_info:
        page.get_by_role("button", name="Rapport als PDF").click()
    assert pdf_info.value.suggested_filename == "rapport-wat-vinden-bezoekers-van-de-dagopvang.pdf"
    expect(page.get_by_text("Klaar. Het bestand staat bij uw downloads.")).to_be_visible()


def test_downloads_work_without_javascript(app, new_page):
    project_id = demo_project(app)
    page = new_page(java_script_enabled=False, accept_downloads=True)
    log_in(page, "demo-staf")
    page.goto(f"/projects/{project_id}/exports")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Excel (met codeboek)").click()
    assert download_info.value.suggested_filename.endswith("-data.xlsx")


def test_the_report_prints_without_menus_and_buttons(app, page):
    project_id = demo_project(app)
    log_in(page, "demo-panel")
    page.goto(f"/projects/{project_id}/report")
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=2, name="Bijlage: alle vragen en antwoorden")).to_be_visible()
    expect(page.get_by_role("button", name="Rapport als PDF")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Onderdelen van dit onderzoek")).to_be_hidden()
    screenshot(page, "report-05-print")


def test_a_text_saved_after_the_login_ended_comes_back_on_the_screen(app, page, monkeypatch):
    """Typing the summary for over two hours, then "Opslaan": the login has ended, so the boosted
    save is refused; the refusal page replaces the form (not a button that seems to do nothing,
    nor the bare login form) and shows the text to copy, axe-clean."""
    import time

    project_id = demo_project(app)
    log_in(page, "demo-staf")
    page.goto(f"/projects/{project_id}/report/texts")
    text = "Bezoekers willen dat de opvang ook op zondag open is.\nDat zeiden 14 van de 20 mensen."
    page.get_by_label("Samenvatting", exact=True).fill(text)
    real = time.time
    monkeypatch.setattr("peerinterview.security.sessions.time.time", lambda: real() + 2 * 3600 + 5)
    page.get_by_role("button", name="Opslaan").click()
    # The save itself is refused (401); or, when a request in the background (the service
    # worker) ended the login a moment before, its token is refused (400). Both show the text.
    expect(page.get_by_role("heading", level=1, name=re.compile("U bent uitgelogd|Probeer het opnieuw"))).to_be_visible()
    kept = page.locator("[data-kept-texts] textarea")
    expect(kept.first).to_be_visible()
    assert text in [value.replace("\r\n", "\n") for value in kept.evaluate_all("els => els.map(e => e.value)")]
    expect(page.get_by_role("link", name=re.compile("Opnieuw inloggen|Terug naar het formulier"))).to_be_visible()
    assert len(page.console_errors) == 1 and re.search("status of 40[01]", page.console_errors[0]), page.console_errors
    page.console_errors.clear()
    assert_accessible(page, "report-05-kept-text")
