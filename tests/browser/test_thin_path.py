"""The whole thin path in Chromium at tablet size, as staff, interviewer and panel, with axe
on every page visited."""
import re

from playwright.sync_api import expect

from tests.helpers import PASSWORD, make_user_now
from tests.browser.helpers import assert_accessible


def log_in(page, username, password=PASSWORD):
    page.goto("/login")
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1, name="Inloggen")).to_be_visible()


def test_staff_interviewer_and_panel_walk_the_thin_path(app, page):
    with app.app_context():
        make_user_now("sanne", staff=True)

    # Staff: project, location, accounts, members, questionnaire, freeze.
    log_in(page, "sanne")
    assert_accessible(page, "01-projects")
    page.get_by_role("link", name="Nieuw onderzoek maken").click()
    expect(page.get_by_role("heading", level=1, name="Nieuw onderzoek")).to_be_visible()
    assert_accessible(page, "02-new-project")
    page.get_by_role("button", name="Onderzoek maken").click()  # empty: errors
    expect(page.get_by_role("alert")).to_contain_text("Vul een naam in.")
    expect(page).to_have_title(re.compile("^Fout: "))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert_accessible(page, "03-new-project-errors")
    page.get_by_label("Naam van het onderzoek").fill("Wat vinden bezoekers van De Haven?")
    page.get_by_label("Wat willen we weten?").fill("Hoe ervaren bezoekers de dagopvang?")
    page.get_by_role("button", name="Onderzoek maken").click()
    expect(page.get_by_role("heading", level=1, name="Wat vinden bezoekers van De Haven?")).to_be_visible()
    page.get_by_label("Naam van de locatie").fill("Dagopvang De Haven")
    page.get_by_role("button", name="Locatie toevoegen").click()
    expect(page.get_by_text("Locatie Dagopvang De Haven is toegevoegd.")).to_be_visible()
    assert_accessible(page, "04-project")

    for name, username in (("Ahmed", "ahmed"), ("Petra", "petra")):
        page.get_by_role("link", name="Accounts").click()
        page.get_by_role("link", name="Nieuw account maken").click()
        page.get_by_label("Naam", exact=True).fill(name)
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Account maken").click()
        expect(page.get_by_text(f"Account gemaakt voor {name}.")).to_be_visible()
    assert_accessible(page, "05-accounts")

    page.get_by_role("link", name="Mijn onderzoeken").click()
    page.get_by_role("link", name="Wat vinden bezoekers van De Haven?").click()
    page.get_by_role("navigation", name="Onderdelen van dit onderzoek").get_by_role("link", name="Mensen").click()
    for name, role in (("Ahmed (ahmed)", "Interviewer"), ("Petra (petra)", "Panel: bespreekt de uitkomsten")):
        existing = page.locator("section.add-member").filter(has=page.get_by_role("heading", name="Een account kiezen"))
        existing.get_by_label("Persoon").select_option(label=name)
        existing.get_by_label(role).check()
        existing.get_by_role("button", name="Toevoegen aan dit onderzoek").click()
        expect(page.get_by_text("zijn opgeslagen")).to_be_visible()
    assert_accessible(page, "06-members")

    page.get_by_role("link", name="Vragenlijst").click()
    assert_accessible(page, "07-questionnaire-empty")
    page.get_by_label("Eén antwoord kiezen uit een lijst").check()
    page.get_by_label("De vraag").fill("Hoe vaak komt u hier?")
    page.get_by_label("Antwoorden om uit te kiezen").fill("Elke dag\nSoms\nBijna nooit")
    page.get_by_label("Een antwoord is verplicht").check()
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("De vraag is toegevoegd.")).to_be_visible()
    page.get_by_label("Schaal van 5").check()
    page.get_by_label("De vraag").fill("Hoe voelt u zich hier?")
    page.get_by_role("button", name="Vraag toevoegen").click()
    # Wait for the boosted swap: filling the form before it lands fills the old form.
    expect(page.get_by_role("heading", name="2 vragen")).to_be_visible()
    page.get_by_label("Open vraag").check()
    page.get_by_label("De vraag").fill("Wat kan beter?")
    page.get_by_label("Hulp voor de interviewer").fill("Vraag door: kunt u een voorbeeld geven?")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_role("heading", name="3 vragen")).to_be_visible()
    assert_accessible(page, "08-questionnaire")
    page.get_by_role("button", name="Versie 1 vastzetten").click()
    # It asks first, and lists what is not translated yet.
    expect(page.get_by_role("heading", level=1, name="Versie 1 vastzetten?")).to_be_visible()
    expect(page.locator(".missing-translations")).to_contain_text("Nog niet vertaald in het Engels:")
    assert_accessible(page, "08b-freeze-confirm")
    page.get_by_role("button", name="Ja, zet versie 1 vast").click()
    expect(page.get_by_text("Versie 1 is vastgezet.").first).to_be_visible()
    log_out(page)

    # Interviewer: consent, one question per screen, autosave, overview, finish.
    log_in(page, "ahmed")
    page.get_by_role("link", name="Wat vinden bezoekers van De Haven?").click()
    page.get_by_role("link", name="Interviews").click()
    page.get_by_role("link", name="Nieuw interview beginnen").click()
    expect(page.get_by_role("heading", level=1, name="Nieuw interview")).to_be_visible()
    assert_accessible(page, "09-start")
    page.get_by_role("button", name="Interview beginnen").click()
    expect(page.get_by_role("alert")).to_contain_text("Vraag eerst toestemming.")
    assert_accessible(page, "10-start-errors")
    page.get_by_label("Dagopvang De Haven").check()
    page.get_by_label(re.compile("De persoon doet mee")).check()
    page.get_by_label(re.compile("De persoon vindt het goed")).check()
    page.get_by_role("button", name="Interview beginnen").click()

    heading = page.get_by_role("heading", level=1, name="Hoe vaak komt u hier?")
    expect(heading).to_be_visible()
    expect(heading).to_be_focused()
    expect(page.get_by_text("Vraag 1 van 3")).to_be_visible()
    assert_accessible(page, "11-question-1")
    page.get_by_role("button", name="Volgende").click()  # required: error
    expect(page.get_by_role("alert")).to_contain_text("Kies een antwoord.")
    assert_accessible(page, "12-question-error")
    page.get_by_label("Soms").check()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen")).to_be_visible()
    page.get_by_role("button", name="Volgende").click()

    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_focused()
    page.get_by_label("Goed", exact=True).check()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen")).to_be_visible()
    assert_accessible(page, "13-question-scale")
    page.get_by_role("button", name="Volgende").click()

    expect(page.get_by_role("heading", level=1, name="Wat kan beter?")).to_be_visible()
    expect(page.get_by_text("Vraag door: kunt u een voorbeeld geven?")).to_be_visible()
    page.get_by_label("Wat kan beter?").fill("Meer rust in de avond.")
    expect(page.get_by_role("status").filter(has_text="Opgeslagen")).to_be_visible()
    assert_accessible(page, "14-question-open")
    page.get_by_role("button", name="Naar het overzicht").click()

    expect(page.get_by_role("heading", level=1, name="Overzicht van de antwoorden")).to_be_visible()
    expect(page.get_by_text("Meer rust in de avond.")).to_be_visible()
    assert_accessible(page, "15-overview")
    page.get_by_role("button", name="Interview afronden").click()
    expect(page.get_by_role("heading", level=1, name="Dank u wel")).to_be_visible()
    assert_accessible(page, "16-done")
    log_out(page)

    # Panel: pooled results. One interview is a group too small to show.
    log_in(page, "petra")
    page.get_by_role("link", name="Wat vinden bezoekers van De Haven?").click()
    page.get_by_role("link", name="Uitkomsten").click()
    expect(page.get_by_role("heading", level=1, name="Uitkomsten")).to_be_visible()
    expect(page.get_by_text("Er zijn nog te weinig interviews klaar.").first).to_be_visible()
    expect(page.get_by_text("Meer rust in de avond.")).to_have_count(0)
    assert_accessible(page, "17-results")
