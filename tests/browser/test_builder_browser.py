"""The questionnaire builder in Chromium at tablet size: live B1 advice while typing,
the label in the question list, editing a question and a show-if condition; axe on every state."""
import re

from playwright.sync_api import expect

from peerinterview.extensions import db
from peerinterview.projects.services import create_project
from tests.browser.helpers import assert_accessible
from tests.browser.test_thin_path import log_in
from tests.helpers import make_user_now

OFFICIALESE = ("Indien u gebruikmaakt van de gemeentelijke dienstverlening, dient u echter middels het "
               "aanvraagformulier aan te geven welke voorzieningen u wenst te ontvangen.")


def edit_link(page, question_text):
    # The link says "Aanpassen"; the question text is there for screen readers only.
    return page.locator(".question-list > li").filter(has_text=question_text).get_by_role("link", name="Aanpassen")


def open_inline_edit(page, question_text, number):
    """"Aanpassen" opens the edit form in place of the question (htmx); returns that form."""
    edit_link(page, question_text).click()
    form = page.locator("form.inline-edit")
    expect(form.get_by_role("heading", level=3, name=f"Vraag {number} aanpassen")).to_be_focused()
    return form


def open_edit_page(page, question_text, number):
    """The whole edit page, with the show-if conditions: through the inline form's link."""
    open_inline_edit(page, question_text, number).get_by_role("link", name="Voorwaarden").click()
    expect(page.get_by_role("heading", level=1, name=f"Vraag {number} aanpassen")).to_be_visible()


def test_designer_gets_live_b1_advice_edits_and_adds_a_condition(app, page):
    with app.app_context():
        staff = make_user_now("bea", staff=True)
        project = create_project(by=staff, name="Eten in De Haven", research_question="Wat vinden bezoekers van het eten?",
                                 consent_text="Meedoen mag.")
        make_user_now("dina", project=project, roles={"designer"}, by=staff)
        project_id = project.id
        db.session.remove()

    log_in(page, "dina")
    page.goto(f"/projects/{project_id}/questionnaire")
    assert_accessible(page, "builder-01-empty")

    # A first choice question, to put a condition on later.
    page.get_by_label("Eén antwoord kiezen uit een lijst").check()
    page.get_by_label("De vraag").fill("Eet u hier elke week?")
    page.get_by_label("Antwoorden om uit te kiezen").fill("Ja\nNee")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("De vraag is toegevoegd.")).to_be_visible()

    # Live advice while typing: a long officialese sentence.
    advice = page.locator("#text-advice")
    expect(advice).to_have_attribute("aria-live", "polite")
    page.get_by_label("Open vraag").check()
    page.get_by_label("De vraag").press_sequentially(OFFICIALESE[:40])
    page.get_by_label("De vraag").fill(OFFICIALESE)
    expect(advice).to_contain_text("Taal: moeilijk")
    expect(advice).to_contain_text("Indien")
    expect(advice).to_contain_text("Schrijf 'Als' in plaats van 'Indien'.")
    expect(advice).to_contain_text("Lange zin")
    assert_accessible(page, "builder-02-advice-hard")

    # Short, but with a formal word: the plain word is suggested, and the text is not "makkelijk".
    page.get_by_label("De vraag").fill("Hoe vaak constateert u een fout?")
    expect(advice).to_contain_text("Taal: gaat wel")
    expect(advice).to_contain_text("Moeilijk woord")
    expect(advice).to_contain_text("'constateert' is een moeilijk woord. Schrijf liever 'zien' of 'merken'.")
    assert_accessible(page, "builder-02b-advice-hard-word")

    # Shorter and plainer: the label changes, the tips go.
    page.get_by_label("De vraag").fill("Wat vindt u van het eten?")
    expect(advice).to_contain_text("Taal: makkelijk")
    expect(advice).to_contain_text("Geen tips. Goed zo!")
    expect(advice).not_to_contain_text("Indien")
    assert_accessible(page, "builder-03-advice-easy")

    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("De vraag is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("heading", name="2 vragen")).to_be_visible()
    second = page.locator(".question-list > li").nth(1)
    expect(second).to_contain_text("Taal: makkelijk · 0 tips")
    assert_accessible(page, "builder-04-list")

    # Edit the open question in the list (inline): the same live advice, then save.
    form = open_inline_edit(page, "Wat vindt u van het eten?", 2)
    assert_accessible(page, "builder-05-edit")
    form.get_by_label("De vraag", exact=True).fill("Wat vindt u van het eten? Indien u wilt, mag u het zeggen.")
    expect(form.locator(".b1-advice").first).to_contain_text("Schrijf 'Als' in plaats van 'Indien'.")
    assert_accessible(page, "builder-06-edit-advice")
    form.get_by_label("De vraag", exact=True).fill("Wat vindt u van het eten? Als u wilt, mag u het zeggen.")
    expect(form.locator(".b1-advice").first).not_to_contain_text("Indien")
    form.get_by_label("Hulp voor de interviewer (mag leeg blijven)").fill("Vraag door: wat vindt u lekker?")
    form.get_by_role("button", name="Vraag opslaan").click()
    expect(page.get_by_text("De vraag is aangepast.")).to_be_visible()
    expect(page.locator(".question-text").nth(1)).to_have_text("Wat vindt u van het eten? Als u wilt, mag u het zeggen.")

    # A show-if condition: first without an answer (refused, B1 message), then with "Ja".
    open_edit_page(page, "Wat vindt u van het eten?", 2)
    page.get_by_role("button", name="Voorwaarde toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Kies een of meer antwoorden van die vraag.")
    expect(page).to_have_title(re.compile("^Fout: "))
    assert_accessible(page, "builder-07-condition-error")
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Voorwaarde toevoegen").click()
    expect(page.get_by_text("De voorwaarde is toegevoegd.")).to_be_visible()
    expect(page.locator("#voorwaarden + ul")).to_contain_text("Alleen als het antwoord op vraag 1 is: Ja")
    assert_accessible(page, "builder-08-condition")

    page.get_by_role("link", name="Terug naar de vragenlijst").click()
    expect(page.locator(".question-list > li").nth(1)).to_contain_text("Alleen als het antwoord op vraag 1 is: Ja")
    assert_accessible(page, "builder-09-list-with-condition")

    # And it can be taken away again.
    open_edit_page(page, "Wat vindt u van het eten?", 2)
    # It asks first (there is no undo); the question is read and accepted.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name=re.compile("^Voorwaarde weghalen")).click()
    expect(page.get_by_text("De voorwaarde is weggehaald.")).to_be_visible()
    assert asked == ["Deze voorwaarde weghalen? De vraag komt dan altijd."]
    expect(page.get_by_text("Altijd. Deze vraag heeft geen voorwaarde.")).to_be_visible()
    assert_accessible(page, "builder-10-condition-removed")
