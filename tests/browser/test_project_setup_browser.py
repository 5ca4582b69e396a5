"""Setting up a project as a facilitator would, in Chromium with axe on every page: the
checklist on the project page, the tabs in one row on a tablet, a person's roles (pre-ticked,
asked before one goes), a new account made from the project, locations renamed and archived,
the add-question form that shows only the fields of the chosen kind and keeps its place, a
form that asks before unsaved input is lost, and the logboek in plain words."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.helpers import PASSWORD

PHONE = {"width": 390, "height": 844}
SMALL = {"width": 320, "height": 640}


def log_in(page, username="staf"):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_the_project_page_shows_the_steps_and_the_tabs_fit_a_tablet(app, world, new_page):
    page = new_page()
    log_in(page)
    page.goto(f"/projects/{world.project_id}")
    steps = page.locator(".checklist-step")
    expect(steps).to_have_count(8)
    expect(page.locator("#stap-locations")).to_contain_text("klaar")
    expect(page.locator("#stap-questionnaire")).to_have_class(re.compile("is-done"))
    expect(page.locator("#stap-interviews")).to_have_class(re.compile("is-open"))
    expect(page.locator("#stap-interviews")).to_contain_text("nog niet klaar")
    # The project's tabs: one row at 820 px.
    tops = page.locator(".project-nav-groups > li").evaluate_all("items => items.map(i => i.getBoundingClientRect().top)")
    assert len(tops) == 5 and len(set(round(t) for t in tops)) == 1, tops
    assert_accessible(page, "facilitator-project-820")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    assert_accessible(page, "facilitator-project-390")
    page.set_viewport_size(SMALL)
    no_sideways_scroll(page)
    # Each step leads to its page.
    page.set_viewport_size({"width": 820, "height": 1180})
    page.locator("#stap-people").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1, name="Mensen in dit onderzoek")).to_be_visible()


def test_roles_are_pre_ticked_and_removing_one_is_asked_first(app, world, new_page):
    page = new_page()
    log_in(page)
    page.goto(f"/projects/{world.project_id}/members")
    assert_accessible(page, "facilitator-members-820")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    assert_accessible(page, "facilitator-members-390")
    page.set_viewport_size({"width": 820, "height": 1180})

    anna = page.locator(f"#persoon-{_user_id(app, 'anna')}")
    anna.get_by_role("link", name="Rollen aanpassen").click()
    expect(page.get_by_role("heading", level=1, name="Rollen van Anna")).to_be_visible()
    expect(page.get_by_label("Interviewer")).to_be_checked()
    expect(page.get_by_label("Panel: bespreekt de uitkomsten")).not_to_be_checked()
    assert_accessible(page)
    # Adding a role keeps the one she has.
    page.get_by_label("Panel: bespreekt de uitkomsten").check()
    page.get_by_role("button", name="Rollen opslaan").click()
    expect(page.get_by_text("De rollen van Anna zijn opgeslagen.")).to_be_visible()
    expect(page.locator(f"#persoon-{_user_id(app, 'anna')}")).to_contain_text("interviewer, panel")

    # Taking one away: asked first, with what it means.
    anna.get_by_role("link", name="Rollen aanpassen").click()
    expect(page.get_by_label("Interviewer")).to_be_checked()
    expect(page.get_by_label("Panel: bespreekt de uitkomsten")).to_be_checked()
    page.get_by_label("Interviewer").uncheck()
    page.get_by_role("button", name="Rollen opslaan").click()
    expect(page.get_by_role("heading", level=1, name="Rol weghalen bij Anna?")).to_be_visible()
    expect(page.get_by_text("Anna kan dan geen interviews meer doen.")).to_be_visible()
    assert_accessible(page, "facilitator-members-confirm")
    page.get_by_role("link", name="Nee, niets veranderen").click()
    expect(page.get_by_label("Interviewer")).to_be_checked()  # nothing changed
    page.get_by_label("Interviewer").uncheck()
    page.get_by_role("button", name="Rollen opslaan").click()
    page.get_by_role("button", name="Ja, haal de rol weg").click()
    expect(page.locator(f"#persoon-{_user_id(app, 'anna')}")).to_contain_text("Rollen: panel")


def _user_id(app, username):
    from peerinterview.accounts.services import find_user
    from peerinterview.extensions import db

    with app.app_context():
        ident = find_user(username).id
        db.session.remove()
    return ident


def test_a_new_person_is_added_from_the_project(app, world, new_page):
    page = new_page()
    log_in(page)
    page.goto(f"/projects/{world.project_id}/members")
    form = page.locator("form", has=page.get_by_role("button", name="Account maken en toevoegen"))
    form.get_by_label("Naam", exact=True).fill("Kees de Vries")
    form.get_by_label("Gebruikersnaam").fill("kees")
    form.get_by_label("Wachtwoord").fill(PASSWORD)
    form.get_by_role("button", name="Account maken en toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Kies minstens één rol.")
    assert_accessible(page)
    form = page.locator("form", has=page.get_by_role("button", name="Account maken en toevoegen"))
    form.get_by_label("Wachtwoord").fill(PASSWORD)
    form.get_by_label("Interviewer").check()
    form.get_by_role("button", name="Account maken en toevoegen").click()
    expect(page.get_by_text("Account gemaakt voor Kees de Vries.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Kees de Vries (kees)")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Mensen in dit onderzoek")).to_be_visible()


def test_a_location_is_renamed_and_archived(app, world, new_page):
    page = new_page()
    log_in(page)
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("link", name=re.compile(r"Naam aanpassen\s*: De Haven")).click()
    expect(page.get_by_role("heading", level=1, name="Locatie De Haven")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nieuwe naam").fill("Inloophuis De Haven")
    page.get_by_role("button", name="Naam opslaan").click()
    expect(page.get_by_text("De locatie heet nu Inloophuis De Haven.")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Archiveren\s*: Het Anker")).click()
    expect(page.get_by_text("Locatie Het Anker is gearchiveerd.")).to_be_visible()
    expect(page.locator(".location-item", has_text="Het Anker")).to_contain_text("gearchiveerd")
    assert_accessible(page)
    # The interviewer no longer sees it.
    other = new_page()
    log_in(other, "anna")
    other.goto(f"/projects/{world.project_id}/interviews/new")
    expect(other.get_by_label("Inloophuis De Haven")).to_be_visible()
    expect(other.get_by_text("Het Anker")).to_have_count(0)
    page.get_by_role("button", name=re.compile(r"Terugzetten\s*: Het Anker")).click()
    expect(page.get_by_text("Locatie Het Anker is terug.")).to_be_visible()


def test_the_add_question_form_shows_the_fields_of_the_kind_and_keeps_its_place(app, draft_project, new_page):
    page = new_page()
    log_in(page)
    page.goto(f"/projects/{draft_project}/questionnaire")
    choices = page.get_by_label("Antwoorden om uit te kiezen")
    smallest = page.get_by_label("Kleinste getal (mag leeg blijven)")
    expect(choices).to_be_visible()
    expect(smallest).to_be_hidden()
    expect(page.get_by_role("button", name="Toon de velden voor deze soort")).to_be_hidden()  # JavaScript is on
    page.get_by_label("Getal: bijvoorbeeld een leeftijd of een aantal").check()
    expect(smallest).to_be_visible()
    expect(choices).to_be_hidden()
    page.get_by_label("Uitleg: alleen tekst, geen antwoord").check()
    expect(page.get_by_label("Een antwoord is verplicht")).to_be_hidden()
    page.get_by_label("Eén antwoord kiezen uit een lijst").check()
    page.get_by_label("De vraag", exact=True).fill("Hoe vaak komt u hier?")
    choices.fill("Elke dag\nSoms")
    assert_accessible(page, "facilitator-add-question")
    page.get_by_role("button", name="Vraag toevoegen").click()
    # Back at the form, the same kind chosen, and it says what was added.
    expect(page.get_by_text("Vraag 1 staat nu in de lijst:")).to_be_visible()
    assert page.url.endswith("#nieuwe-vraag")
    expect(page.get_by_label("Eén antwoord kiezen uit een lijst")).to_be_checked()
    assert page.evaluate("document.getElementById('nieuwe-vraag').getBoundingClientRect().top") < 400


def test_the_add_question_form_without_javascript(app, draft_project, new_page):
    page = new_page(java_script_enabled=False)
    log_in(page)
    page.goto(f"/projects/{draft_project}/questionnaire")
    expect(page.get_by_label("Kleinste getal (mag leeg blijven)")).to_be_hidden()
    page.get_by_label("Getal: bijvoorbeeld een leeftijd of een aantal").check()
    page.get_by_label("De vraag", exact=True).fill("Hoe oud bent u?")
    page.get_by_role("button", name="Toon de velden voor deze soort").click()
    expect(page.get_by_label("Kleinste getal (mag leeg blijven)")).to_be_visible()
    expect(page.get_by_label("De vraag", exact=True)).to_have_value("Hoe oud bent u?")
    expect(page.get_by_label("Antwoorden om uit te kiezen")).to_be_hidden()


def test_leaving_a_form_with_unsaved_input_is_asked_first(app, world, new_page):
    page = new_page()
    log_in(page)
    page.goto(f"/projects/{world.project_id}/edit")
    page.get_by_label("Voor wie doen we dit onderzoek?").fill("Gemeente Utrecht")
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="Terug zonder opslaan").click()
    expect(page.get_by_role("heading", level=1, name="Gegevens van het onderzoek")).to_be_visible()
    assert asked and "nog niet is opgeslagen" in asked[0]
    expect(page.get_by_label("Voor wie doen we dit onderzoek?")).to_have_value("Gemeente Utrecht")
    # Saving is no reason to ask.
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De gegevens zijn opgeslagen.")).to_be_visible()
    assert len(asked) == 1


def test_the_logboek_speaks_plain_dutch(app, world, new_page):
    page = new_page()
    log_in(page)
    page.goto("/logboek")
    table = page.locator(".audit-table tbody")
    expect(table).to_contain_text("Ingelogd")
    expect(table).to_contain_text("Onderzoek gemaakt")
    expect(table).not_to_contain_text("project.create")
    page.get_by_label("Handeling").select_option(label="Locatie toegevoegd")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("2 regels gevonden.")).to_be_visible()
    assert_accessible(page, "facilitator-logboek-820")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "facilitator-logboek-390")
