"""Privacy and security end to end, tried as a new user would in Chromium (with axe on every page):
staff set up a second factor, print a login card for a client, and the client logs in by opening the
card's link (what scanning the QR code does) and tapping one button. Then the logboek, identifying
details in open answers, and erasing a respondent."""
import re

import pyotp
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, screenshot
from tests.builders import interview_row, make_interview
from tests.helpers import PASSWORD


def log_in(page, username, lands_on="Mijn onderzoeken"):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name=lands_on)).to_be_visible()


def test_staff_set_up_a_second_factor_and_log_in_with_a_code(app, world, new_page):
    page = new_page()
    log_in(page, "staf")
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()
    page.get_by_role("navigation", name="Over deze website").get_by_role("link", name="Tweestapsverificatie").click()
    expect(page.get_by_role("heading", level=1, name="Tweestapsverificatie instellen")).to_be_visible()
    qr = page.get_by_role("img", name="QR-code voor de app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data: URI image loads under the CSP
    assert_accessible(page, "security-10-totp-enrol")
    secret = page.locator(".secret-key code").inner_text().replace(" ", "")

    page.get_by_label("Code uit de app").fill("000000")
    page.get_by_role("button", name="App koppelen").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet.")
    expect(page).to_have_title(re.compile("^Fout: "))
    assert_accessible(page, "security-11-totp-enrol-error")

    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="App koppelen").click()
    expect(page.get_by_role("heading", level=1, name="Uw herstelcodes")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page, "security-12-recovery-codes")
    page.get_by_role("link", name="Ik heb de codes bewaard").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()

    log_in(page, "staf", lands_on="Code invullen")
    assert_accessible(page, "security-13-code-step")
    import time

    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def test_staff_print_a_login_card_and_the_client_logs_in_with_it(app, world, new_page):
    staff = new_page()
    log_in(staff, "staf")
    staff.get_by_role("link", name="Accounts").click()
    staff.get_by_role("link", name="Inlogkaarten van Anna").click()
    expect(staff.get_by_role("heading", level=1, name="Inlogkaarten van Anna")).to_be_visible()
    assert_accessible(staff, "security-20-login-cards-empty")
    staff.get_by_role("button", name="Nieuwe inlogkaart maken").click()
    expect(staff.get_by_role("heading", level=1, name="Inlogkaart printen")).to_be_visible()
    expect(staff.get_by_role("button", name="Printen")).to_be_visible()  # shown by print-button.js
    qr = staff.get_by_role("img", name="QR-code om in te loggen")
    assert qr.evaluate("img => img.naturalWidth") > 0
    assert_accessible(staff, "security-21-login-card-print")
    staff.emulate_media(media="print")
    screenshot(staff, "security-22-login-card-printed")
    staff.emulate_media(media="screen")
    url = staff.locator(".login-card-url code").inner_text()

    client = new_page()
    client.goto(url)
    expect(client.get_by_role("heading", level=1, name="Welkom")).to_be_visible()
    assert_accessible(client, "security-23-card-login")
    client.get_by_role("button", name="Inloggen als Anna").click()
    expect(client.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()
    expect(client.get_by_text("Ingelogd als Anna")).to_be_visible()

    staff.get_by_role("link", name="Klaar: terug naar de inlogkaarten").click()
    expect(staff.get_by_role("cell", name="werkt", exact=True)).to_be_visible()
    assert_accessible(staff, "security-24-login-cards-list")
    # Switching a card off cannot be undone: it asks first.
    asked = []
    staff.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    staff.get_by_role("button", name=re.compile("^Uitzetten")).click()
    expect(staff.get_by_text("De inlogkaart werkt niet meer.")).to_be_visible()
    assert asked == ["Deze kaart zetten we uit. Daarna werkt hij nooit meer. Doorgaan?"]

    other = new_page()
    other.goto(url)
    expect(other.get_by_role("heading", level=1, name="Deze kaart werkt niet")).to_be_visible()
    # The page answers 404 on purpose (Chromium reports that in the console); nothing else.
    assert other.console_errors == ["Failed to load resource: the server responded with a status of 404 (NOT FOUND)"]
    other.console_errors.clear()
    assert_accessible(other, "security-25-card-revoked")


def test_logboek_identifying_details_and_erasure(app, world, new_page):
    interview = make_interview(app, world.project_id, "anna", completed=True, released=False,
                               answers={"q1": "1", "q3": "Mijn begeleider Jan de Vries belt me op 06-12345678."})
    code = interview_row(app, interview).respondent_code
    page = new_page()
    log_in(page, "staf")
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("navigation", name="Onderdelen van dit onderzoek").get_by_role("link", name="Interviews").click()
    page.get_by_role("link", name="Open antwoorden controleren").click()
    expect(page.get_by_role("heading", level=1, name="Open antwoorden controleren")).to_be_visible()
    expect(page.locator("mark.identifying")).to_have_count(2)
    assert_accessible(page, "security-30-identifying-details")
    page.get_by_role("button", name="2 details weghalen").click()
    expect(page.get_by_text("De details zijn weggehaald uit dit antwoord.")).to_be_visible()
    expect(page.get_by_text("Mijn begeleider [naam] belt me op [telefoonnummer].")).to_be_visible()

    page.get_by_role("link", name="Logboek").click()
    expect(page.get_by_role("heading", level=1, name="Logboek")).to_be_visible()
    assert_accessible(page, "security-31-logboek")
    page.get_by_label("Soort").select_option("delete")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("0 regels gevonden.")).to_be_visible()

    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("link", name="Gegevens van een deelnemer wissen").click()
    assert_accessible(page, "security-32-erase")
    page.get_by_label("Code van de deelnemer").fill(code)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", level=1, name="Weet u het zeker?")).to_be_visible()
    assert_accessible(page, "security-33-erase-confirm")
    page.get_by_role("button", name="Alles wissen").click()
    expect(page.get_by_role("alert")).to_contain_text("Zet een vinkje")
    page.get_by_label("Ja, wis alle antwoorden van deze deelnemer").check()
    page.get_by_role("button", name="Alles wissen").click()
    expect(page.get_by_text("We hebben alles van deze deelnemer gewist: 2 antwoorden.")).to_be_visible()


def test_an_administrator_gives_a_new_password_and_the_owner_is_told_at_the_next_login(app, world, new_page):
    from peerinterview.extensions import db
    from peerinterview.models import Project
    from tests.helpers import make_user_now

    with app.app_context():
        make_user_now("beheerder", staff=True, admin=True)
        make_user_now("collega", staff=True, project=db.session.get(Project, world.project_id), roles={"staff"})
        db.session.remove()
    staff = new_page()
    log_in(staff, "staf")
    staff.get_by_role("link", name="Accounts").click()
    # A colleague's staff account: only an administrator changes it.
    expect(staff.get_by_role("row", name=re.compile("^Collega collega"))).to_contain_text(
        "Alleen een beheerder kan dit account aanpassen.")
    assert_accessible(staff, "security-40-accounts-project-staff")

    admin = new_page()
    log_in(admin, "beheerder")
    admin.get_by_role("link", name="Accounts").click()
    expect(admin.get_by_text("U bent beheerder. U ziet alle accounts")).to_be_visible()
    assert_accessible(admin, "security-41-accounts-administrator")
    admin.get_by_role("button", name=re.compile(r"^Beheerder maken\s*: Staf$")).click()
    expect(admin.get_by_text("Staf is nu beheerder.")).to_be_visible()
    admin.get_by_role("link", name="Nieuw wachtwoord geven aan Staf").click()
    admin.get_by_label("Nieuw wachtwoord").fill("een nieuw wachtwoord voor staf")
    admin.get_by_role("button", name="Nieuw wachtwoord opslaan").click()
    expect(admin.get_by_text("Staf heeft een nieuw wachtwoord.")).to_be_visible()

    staff.goto("/login")
    staff.get_by_label("Gebruikersnaam").fill("staf")
    staff.get_by_label("Wachtwoord").fill("een nieuw wachtwoord voor staf")
    staff.get_by_role("button", name="Inloggen").click()
    notices = staff.locator("#flash")
    expect(notices).to_contain_text("Beheerder heeft u op ")
    expect(notices).to_contain_text("uw wachtwoord veranderd.")
    expect(notices).to_contain_text("Wist u hier niets van? Vertel het dan meteen aan een beheerder.")
    assert_accessible(staff, "security-42-notice-after-login")
    staff.reload()
    expect(staff.locator("#flash")).not_to_contain_text("uw wachtwoord veranderd")
