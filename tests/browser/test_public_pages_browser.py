"""Public and account pages in Chromium with axe: privacy and accessibility (public, from the footer) and
changing one's password (errors, then success: every session ends and the user logs in again)."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.helpers import PASSWORD, make_user_now

NEW_PASSWORD = "mijn fiets is groen en oud"


def test_privacy_and_accessibility_pages_from_the_footer(page):
    page.goto("/login")
    footer = page.get_by_role("navigation", name="Over deze website")
    footer.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1, name="Privacy")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Uw rechten")).to_be_visible()
    assert_accessible(page, "security-01-privacy")
    page.get_by_role("navigation", name="Over deze website").get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", level=1, name="Toegankelijkheid")).to_be_visible()
    expect(page.get_by_text("WCAG 2.2")).to_be_visible()
    assert_accessible(page, "security-02-accessibility")


def test_public_pages_work_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/privacy")
    expect(page.get_by_role("heading", level=1, name="Privacy")).to_be_visible()
    page.goto("/toegankelijkheid")
    expect(page.get_by_role("heading", level=1, name="Toegankelijkheid")).to_be_visible()


def test_change_password_with_errors_then_success(app, page):
    with app.app_context():
        make_user_now("karin")
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill("karin")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()

    page.get_by_role("link", name="Wachtwoord veranderen").click()
    expect(page.get_by_role("heading", level=1, name="Wachtwoord veranderen")).to_be_visible()
    assert_accessible(page, "security-03-change-password")

    page.get_by_label("Uw huidige wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord").fill("welkom01")
    page.get_by_role("button", name="Wachtwoord veranderen").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit wachtwoord is te makkelijk te raden.")
    expect(page).to_have_title(re.compile("^Fout: "))
    assert_accessible(page, "security-04-change-password-errors")

    page.get_by_label("Uw huidige wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord veranderen").click()
    expect(page.get_by_role("heading", level=1, name="Inloggen")).to_be_visible()
    expect(page.get_by_text("Uw wachtwoord is veranderd.")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill("karin")
    page.get_by_label("Wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def test_too_many_failed_logins_show_the_b1_page(app, page, monkeypatch):
    from peerinterview.security.throttle import failures

    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", "2 per 15 minutes")
    failures.reset()
    with app.app_context():
        make_user_now("karin")
    page.goto("/login")
    for _attempt in range(3):
        page.get_by_label("Gebruikersnaam").fill("karin")
        page.get_by_label("Wachtwoord").fill("niet-het-goede-wachtwoord")
        # Wait for each answer: the error from the attempt before is still on the page.
        with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/login")):
            page.get_by_role("button", name="Inloggen").click()
        if _attempt < 2:
            expect(page.get_by_role("alert")).to_contain_text("horen niet bij elkaar")
    expect(page.get_by_role("heading", level=1, name="Even wachten")).to_be_visible()
    expect(page.get_by_text("Wacht 15 minuten en probeer het opnieuw.")).to_be_visible()
    # Chromium logs the 429 itself as a failed request; anything else is a real error.
    page.console_errors[:] = [e for e in page.console_errors if "status of 429" not in e]
    assert_accessible(page, "security-05-too-many-logins")
