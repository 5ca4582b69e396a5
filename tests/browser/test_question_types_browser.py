"""The new question types in Chromium at tablet size (820x1180): an interview through an
information screen that opens a section, a multiple-choice question (check boxes, saved by the
htmx autosave), a number with its range error, skip logic on the multiple-choice answer, and the
overview grouped by section. The builder's edit page with the English translation fields too.
axe-core (target-size on) runs on every screen, the error states included."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.browser.test_interview_flow_browser import heading, log_in
from tests.builders import answers_of
from tests.test_question_types import types_version  # noqa: F401 (fixture)


def test_interview_with_info_section_multi_number_and_overview(app, world, types_version, page):  # noqa: F811
    log_in(page)
    page.goto(f"/projects/{world.project_id}/interviews")
    page.get_by_role("link", name="Nieuw interview beginnen").click()
    page.get_by_label("De Haven").check()
    page.get_by_label("Nederlands").check()
    page.get_by_label(re.compile("De persoon doet mee")).check()
    page.get_by_label(re.compile("De persoon vindt het goed")).check()
    page.get_by_role("button", name="Interview beginnen").click()
    expect(heading(page, "Hoe vaak komt u hier?")).to_be_focused()
    interview_id = re.search(r"/interviews/([^/]+)/questions/1", page.url).group(1)
    page.get_by_label("Elke dag").check()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Hoe voelt u zich hier?")).to_be_visible()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Wat kan beter?")).to_be_visible()
    page.get_by_role("button", name="Volgende").click()

    # The information screen opens the section: its title above, the text, only "Volgende".
    expect(heading(page, "Nu gaan we praten over het eten.")).to_be_focused()
    expect(page.locator(".section-kicker")).to_have_text(re.compile("Over het eten"))
    expect(page.locator("form.question-form input[type=radio], form.question-form input[type=checkbox], "
                        "form.question-form textarea")).to_have_count(0)
    assert_accessible(page, "types-01-info")
    page.get_by_role("button", name="Volgende").click()

    # Multiple choice: a group of check boxes, required. First the error, then two boxes.
    expect(heading(page, "Wat eet u graag?")).to_be_focused()
    expect(page.get_by_role("group", name="Wat eet u graag?")).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(3)
    expect(page.locator(".section-kicker")).to_have_text(re.compile("Over het eten"))
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("alert")).to_contain_text("Vink een of meer antwoorden aan.")
    assert_accessible(page, "types-02-multi-error")
    page.get_by_role("checkbox", name="Fruit").check()
    page.get_by_role("checkbox", name="Soep").check()
    # The htmx autosave stores the answer before "Volgende".
    expect(page.locator("#save-status")).to_have_text(re.compile("Opgeslagen"))
    expect(page.get_by_role("checkbox", name="Soep")).to_be_checked()
    assert_accessible(page, "types-03-multi")
    rows = {a.question_id: a for a in answers_of(app, interview_id)}
    assert rows[types_version[5]].value == "2,3"
    page.get_by_role("button", name="Volgende").click()

    # A number: the numeric keyboard, the range in the hint, a B1 error out of range.
    expect(heading(page, "Hoe oud bent u?")).to_be_focused()
    field = page.get_by_label("Hoe oud bent u?")
    expect(field).to_have_attribute("inputmode", "numeric")
    expect(page.get_by_text("Typ een getal van 16 tot en met 110.")).to_be_visible()
    field.fill("12")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("alert")).to_contain_text("Typ een getal van 16 tot en met 110.")
    expect(page.get_by_label("Hoe oud bent u?")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "types-04-number-error")
    page.get_by_label("Hoe oud bent u?").fill("67")
    page.get_by_role("button", name="Volgende").click()

    # Yes/no, then the scale of 3 that "Soep" shows.
    expect(heading(page, "Komt u morgen weer?")).to_be_focused()
    assert_accessible(page, "types-05-yesno")
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Hoe is de soep?")).to_be_focused()
    assert_accessible(page, "types-06-scale3")
    page.get_by_label("Goed", exact=True).check()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Wilt u nog iets zeggen?")).to_be_focused()
    expect(page.locator(".section-kicker")).to_have_text(re.compile("Tot slot"))
    page.get_by_role("button", name="Naar het overzicht").click()

    # The overview: group headings per section, the chosen answers as a list, the number.
    expect(heading(page, "Overzicht van de antwoorden")).to_be_focused()
    expect(page.get_by_role("heading", level=2, name="Over het eten")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Tot slot")).to_be_visible()
    overview = page.locator("main")
    expect(overview).to_contain_text("Wat eet u graag?")
    expect(overview.locator(".answer-list li")).to_have_text(["Soep", "Fruit"])
    expect(overview).to_contain_text("67")
    expect(overview).not_to_contain_text("Nu gaan we praten over het eten.")
    assert_accessible(page, "types-07-overview")
    page.get_by_role("button", name="Interview afronden").click()
    expect(heading(page, "Dank u wel")).to_be_visible()
    rows = {a.question_id: a for a in answers_of(app, interview_id)}
    assert rows[types_version[6]].value == "67"
    assert types_version[4] not in rows


def test_builder_pages_with_every_type_and_translations(app, world, draft_project, new_page):
    page = new_page()
    log_in(page, "dirk")
    page.goto(f"/projects/{draft_project}/questionnaire")
    page.get_by_label("Eén of meer antwoorden kiezen uit een lijst").check()
    page.get_by_label("De vraag", exact=True).fill("Wat doet u hier?")
    page.get_by_label("Titel van een nieuw deel (mag leeg blijven)").fill("Over deze plek")
    page.get_by_label("Antwoorden om uit te kiezen").fill("Eten\nDouchen\nPraten")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("De vraag is toegevoegd.")).to_be_visible()
    page.get_by_label("Getal: bijvoorbeeld een leeftijd of een aantal").check()
    page.get_by_label("De vraag", exact=True).fill("Hoe oud bent u?")
    page.get_by_label("Kleinste getal (mag leeg blijven)").fill("30")
    page.get_by_label("Grootste getal (mag leeg blijven)").fill("20")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Het grootste getal moet groter zijn dan het kleinste getal.")
    assert_accessible(page, "types-10-builder-error")
    page.get_by_label("Grootste getal (mag leeg blijven)").fill("120")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("van 30 tot en met 120")).to_be_visible()
    expect(page.locator(".translation-missing")).to_have_count(2)
    expect(page.get_by_role("heading", level=3, name=re.compile("Over deze plek"))).to_be_visible()
    assert_accessible(page, "types-11-builder-list")

    # "Aanpassen" opens the form in place of the question (htmx), the list stays.
    page.get_by_role("link", name=re.compile(r"^Aanpassen.*Wat doet u hier")).click()
    inline = page.locator("form.inline-edit")
    expect(inline.get_by_role("heading", level=3, name="Vraag 1 aanpassen")).to_be_focused()
    assert "/questionnaire" in page.url and "/questions/" not in page.url  # still the list, not an edit page
    expect(inline.get_by_role("group", name="Vertaling: Engels")).to_be_visible()
    expect(inline.get_by_label("Antwoorden om uit te kiezen")).to_have_value("Eten\nDouchen\nPraten")
    page.get_by_label("Vraag in het Engels").fill("What do you do here?")
    page.get_by_label("Titel van het deel in het Engels").fill("About this place")
    page.get_by_label("Antwoorden in het Engels").fill("Food\nShower\nTalking")
    assert_accessible(page, "types-12-builder-edit")
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.get_by_text("De vraag is aangepast.")).to_be_visible()
    expect(page.locator(".translation-missing")).to_have_count(1)

    # The preview: the interviewer's screen, in Dutch and in English.
    page.get_by_role("link", name=re.compile(r"^Voorbeeld.*Wat doet u hier")).click()
    expect(heading(page, "Wat doet u hier?")).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(3)
    expect(page.get_by_text("Voorbeeld – zo ziet de interviewer deze vraag.")).to_be_visible()
    assert_accessible(page, "types-13-preview")
    page.get_by_role("link", name="Bekijk in het Engels").click()
    expect(heading(page, "What do you do here?")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Shower")).to_be_visible()
    # The whole screen speaks English, as in an English interview.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Next")).to_be_visible()
    assert_accessible(page, "types-14-preview-en")


def test_offline_multi_number_and_info_are_queued_and_synced(app, new_page):
    """The offline code reads the new answers (ticked boxes in choice order, a number) and the sync
    accepts them; an out-of-range number is never queued; the information screen sends nothing."""
    from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of
    from peerinterview.extensions import db
    from peerinterview.projects.services import add_location, create_project
    from tests.browser.test_offline import (WithoutOfflineNoise, banner, forget_offline_noise, status,
                                            wait_for_rows, wait_until_kept_offline)
    from tests.builders import make_interview
    from tests.helpers import make_user_now

    with app.app_context():
        staff = make_user_now("sanne", staff=True)
        project = create_project(by=staff, name="Onderzoek inloop", research_question="Wat vinden bezoekers?",
                                 consent_text="Meedoen is vrijwillig.")
        add_location(project, "De Haven", by=staff)
        make_user_now("iris", project=project, roles={"interviewer"}, by=staff)
        version = questionnaire_of(project).draft
        add_question(version, kind="yesno", text="Komt u hier vaak?", by=staff)
        add_question(version, kind="info", text="Nu een paar vragen over wat u doet.", section_title="Wat u doet",
                     by=staff)
        add_question(version, kind="multi", text="Wat doet u hier?", choice_labels=["Eten", "Douchen", "Praten"],
                     by=staff)
        add_question(version, kind="number", text="Hoeveel dagen per week komt u?", min_value=0, max_value=7,
                     by=staff)
        freeze_version(version, by=staff)
        db.session.commit()
        project_id = project.id
        db.session.remove()
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    page.console_errors = WithoutOfflineNoise()
    log_in(page, "iris")
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_kept_offline(page, interview_id)
    page.get_by_label("Ja", exact=True).check()
    expect(status(page)).to_have_text("Opgeslagen")

    page.context.set_offline(True)
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Nu een paar vragen over wat u doet.")).to_be_visible()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Wat doet u hier?")).to_be_visible()
    page.get_by_role("checkbox", name="Praten").check()
    page.get_by_role("checkbox", name="Eten").check()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Hoeveel dagen per week komt u?")).to_be_visible()
    page.get_by_label("Hoeveel dagen per week komt u?").fill("9")  # out of range: not queued
    page.get_by_label("Hoeveel dagen per week komt u?").blur()
    expect(status(page)).to_have_text("Niet opgeslagen. Kijk wat er bij de vraag staat.")
    page.get_by_label("Hoeveel dagen per week komt u?").fill("3")
    page.get_by_label("Hoeveel dagen per week komt u?").blur()
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 3")  # Eten, Praten (two changes), 3

    page.context.set_offline(False)
    expect(banner(page)).not_to_contain_text("Nog niet verstuurd", timeout=15_000)
    assert wait_for_rows(app, interview_id, [(1, "1", None, None), (3, "1,3", None, None), (4, "3", None, None)],
                         page)
    forget_offline_noise(page)
    assert not page.console_errors, page.console_errors
