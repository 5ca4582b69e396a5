"""The interview screens in Chromium at tablet size: nothing ticked or typed is lost, and the
interviewer finds the way alone. A real answer clears "Weet ik niet" (and back), with and without
JavaScript, and a refused autosave shows its message at the field; the aftercare flag is saved as
it is ticked and on the way out, and staff deal with it; the stop; "Veranderen" from the overview;
one numbering; larger text (1.5x, no overflow, remembered); the debrief asks before it is left
unsaved. axe-core (target-size on) on every screen."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, screenshot
from tests.browser.test_interview_flow_browser import heading, log_in
from tests.builders import answers_of, interview_row
from tests.test_question_types import types_version  # noqa: F401 (fixture)


def start(page, world):
    page.goto(f"/projects/{world.project_id}/interviews")
    page.get_by_role("link", name="Nieuw interview beginnen").click()
    page.get_by_label("De Haven").check()
    page.get_by_label("Nederlands").check()
    page.get_by_label(re.compile("De persoon doet mee")).check()
    page.get_by_label(re.compile("De persoon vindt het goed")).check()
    page.get_by_role("button", name="Interview beginnen").click()
    expect(heading(page, "Hoe vaak komt u hier?")).to_be_visible()
    return re.search(r"/interviews/([^/]+)/questions/1", page.url).group(1)


def row_of(app, interview_id, question_id):
    return next((a for a in answers_of(app, interview_id) if a.question_id == question_id), None)


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_dont_know_then_a_real_answer_clears_the_other(app, world, types_version, page):  # noqa: F811
    log_in(page)
    interview_id = start(page, world)
    page.goto(f"/interviews/{interview_id}/questions/4")
    # An information screen is no question: no number.
    expect(page.locator(".interview-bar .progress")).to_have_text("Uitleg")
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Wat eet u graag?")).to_be_focused()
    expect(page.locator(".interview-bar .progress")).to_have_text("Vraag 4 van 8")
    page.get_by_label("Weet ik niet").check()
    expect(page.locator("#save-status")).to_have_text(re.compile("Opgeslagen"))
    page.get_by_role("checkbox", name="Soep").check()
    expect(page.get_by_label("Weet ik niet")).not_to_be_checked()
    expect(page.locator("#save-status")).to_have_text(re.compile("Opgeslagen"))
    expect(page.get_by_text("Niet allebei")).to_have_count(0)
    row = row_of(app, interview_id, types_version[5])
    assert (row.value, row.special) == ("2", None)
    # And back: "Wil ik niet zeggen" clears the ticks.
    page.get_by_label("Wil ik niet zeggen").check()
    expect(page.get_by_role("checkbox", name="Soep")).not_to_be_checked()
    expect(page.locator("#save-status")).to_have_text(re.compile("Opgeslagen"))
    assert_accessible(page, "either-or-multi")
    page.get_by_role("checkbox", name="Fruit").check()
    expect(page.locator("#save-status")).to_have_text(re.compile("Opgeslagen"))
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Hoe oud bent u?")).to_be_focused()
    row = row_of(app, interview_id, types_version[5])
    assert (row.value, row.special) == ("3", None)

    # A refused autosave says at the field what is wrong (and in the status).
    page.get_by_label("Hoe oud bent u?").fill("12")
    page.get_by_label("Hoe oud bent u?").blur()
    expect(page.locator("#number-error")).to_have_text(re.compile("Typ een getal van 16 tot en met 110."))
    expect(page.locator("#save-status")).to_contain_text("Niet opgeslagen. Typ een getal van 16 tot en met 110.")
    assert_accessible(page, "either-or-number-error")
    page.get_by_label("Hoe oud bent u?").fill("40")
    page.get_by_label("Hoe oud bent u?").blur()
    expect(page.locator("#save-status")).to_have_text(re.compile("Opgeslagen"))
    expect(page.locator("#number-error")).to_have_text("")
    # Typing a number after "Weet ik niet" clears the choice.
    page.get_by_label("Weet ik niet").check()
    expect(page.get_by_label("Hoe oud bent u?")).to_have_value("")
    page.get_by_label("Hoe oud bent u?").fill("41")
    expect(page.get_by_label("Weet ik niet")).not_to_be_checked()


def test_either_or_without_javascript(app, world, types_version, new_page):  # noqa: F811
    page = new_page(java_script_enabled=False)
    log_in(page)
    interview_id = start(page, world)
    page.goto(f"/interviews/{interview_id}/questions/5")
    page.get_by_label("Weet ik niet").check()
    page.get_by_role("button", name="Vorige").click()
    page.goto(f"/interviews/{interview_id}/questions/5")
    expect(page.get_by_label("Weet ik niet")).to_be_checked()
    # Without JavaScript both stay ticked on the page; the new choice wins on the server.
    page.get_by_role("checkbox", name="Brood").check()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Hoe oud bent u?")).to_be_visible()
    row = row_of(app, interview_id, types_version[5])
    assert (row.value, row.special) == ("1", None)
    page.goto(f"/interviews/{interview_id}/questions/5")
    expect(page.get_by_label("Weet ik niet")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Brood")).to_be_checked()


def finish(page, world):
    interview_id = start(page, world)
    page.get_by_label("Elke dag").check()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Hoe voelt u zich hier?")).to_be_visible()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Wat kan beter?")).to_be_visible()
    page.get_by_role("button", name="Naar het overzicht").click()
    expect(heading(page, "Overzicht van de antwoorden")).to_be_visible()
    return interview_id


def test_aftercare_flag_is_never_lost_and_staff_deal_with_it(app, world, browser, new_page):
    page = new_page()
    log_in(page)
    interview_id = finish(page, world)
    # "Veranderen" from the overview comes back to the overview.
    page.get_by_role("link", name=re.compile(r"Veranderen\s*: Hoe vaak komt u hier")).click()
    expect(heading(page, "Hoe vaak komt u hier?")).to_be_focused()
    page.get_by_label("Soms").check()
    page.get_by_role("button", name="Terug naar het overzicht").click()
    expect(heading(page, "Overzicht van de antwoorden")).to_be_focused()
    expect(page.locator("dl")).to_contain_text("1. Hoe vaak komt u hier? Soms")
    page.get_by_role("button", name="Interview afronden").click()
    expect(heading(page, "Dank u wel")).to_be_focused()

    # Ticking the flag saves it at once; the big button then leaves without "Opslaan".
    page.get_by_label(re.compile("Er is nazorg nodig")).check()
    expect(page.locator("#follow-up-status")).to_have_text(re.compile("Opgeslagen. De begeleider ziet"))
    assert interview_row(app, interview_id).follow_up_needed
    assert_accessible(page, "aftercare-flag-saved")
    page.get_by_role("button", name="Nieuw interview beginnen").click()
    expect(heading(page, "Nieuw interview")).to_be_visible()

    # Typed but not saved: leaving through a link asks first; the big buttons save it.
    second = finish(page, world)
    page.get_by_role("button", name="Interview afronden").click()
    expect(heading(page, "Dank u wel")).to_be_focused()
    page.get_by_label("Wilt u nog iets kwijt? (mag leeg blijven)").fill("Zij huilde even.")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("link", name="Mijn onderzoeken").click()
    expect(heading(page, "Dank u wel")).to_be_visible()
    assert questions and "nog niet is opgeslagen" in questions[0]
    page.get_by_role("button", name="Naar mijn interviews").click()
    expect(heading(page, "Interviews")).to_be_visible()
    assert interview_row(app, second).debrief_text == "Zij huilde even."

    # Staff: the flag first, then dealt with, by whom.
    staff = new_page()
    log_in(staff, "staf")
    staff.goto(f"/projects/{world.project_id}/interviews")
    code = interview_row(app, interview_id).respondent_code
    flags = staff.locator("#nazorg")
    expect(flags).to_contain_text("1 interview heeft nazorg nodig.")
    expect(flags.locator("[data-follow-up=open]")).to_contain_text(f"Code: {code}")
    assert_accessible(staff, "aftercare-staff")
    flags.get_by_role("button", name=re.compile(rf"Afgehandeld\s*: {code}")).click()
    expect(staff.locator("#nazorg [data-follow-up=done]")).to_contain_text("Afgehandeld door Staf op")
    expect(staff.locator("#nazorg")).to_contain_text("Er is nu niemand die nazorg nodig heeft.")
    assert_accessible(staff, "aftercare-staff-done")


def test_aftercare_flag_without_javascript(app, world, new_page):
    page = new_page(java_script_enabled=False)
    log_in(page)
    interview_id = finish(page, world)
    page.get_by_role("button", name="Interview afronden").click()
    page.get_by_label(re.compile("Er is nazorg nodig")).check()
    page.get_by_role("button", name="Nieuw interview beginnen").click()
    expect(heading(page, "Nieuw interview")).to_be_visible()
    assert interview_row(app, interview_id).follow_up_needed


def test_stop_is_always_there(app, world, page):
    log_in(page)
    interview_id = start(page, world)
    page.get_by_label("Soms").check()
    expect(page.locator("#save-status")).to_have_text(re.compile("Opgeslagen"))
    page.get_by_role("link", name="Stoppen", exact=True).click()
    expect(heading(page, "Interview stoppen")).to_be_focused()
    assert_accessible(page, "stop-01")
    page.get_by_role("button", name="Interview stoppen").click()
    expect(page.get_by_role("alert")).to_contain_text("Vraag wat de persoon wil met de antwoorden.")
    assert_accessible(page, "stop-02-error")
    # "Terug naar het interview" goes back to the same question.
    page.get_by_role("link", name="Terug naar het interview").click()
    expect(heading(page, "Hoe vaak komt u hier?")).to_be_visible()
    page.get_by_role("link", name="Stoppen", exact=True).click()
    page.get_by_label("Wissen. Niemand ziet de antwoorden nog.").check()
    page.get_by_label("De persoon is moe.").check()
    page.get_by_role("button", name="Interview stoppen").click()
    expect(heading(page, "Dank u wel")).to_be_focused()
    expect(page.get_by_text("Het interview is gestopt. De antwoorden zijn gewist.")).to_be_visible()
    expect(page.get_by_label(re.compile("Er is nazorg nodig"))).to_be_visible()
    assert_accessible(page, "stop-03-done")
    row = interview_row(app, interview_id)
    assert (row.status, row.stop_reason) == ("stopped", "tired")
    assert answers_of(app, interview_id) == []
    page.get_by_role("button", name="Naar mijn interviews").click()
    expect(page.locator("table")).to_contain_text("Gestopt")
    expect(page.locator("table")).not_to_contain_text("Nog bezig")


def test_larger_text_grows_every_text_without_overflow(app, world, types_version, page):  # noqa: F811
    log_in(page)
    interview_id = start(page, world)
    page.goto(f"/interviews/{interview_id}/questions/5")
    expect(heading(page, "Wat eet u graag?")).to_be_visible()
    parts = ["h1.question-heading", ".answer-option label", ".hint", ".interview-bar .progress",
             ".nav-buttons .button", ".special-options label", ".site-header a"]
    size = "parseFloat(getComputedStyle(document.querySelector(%r)).fontSize)"
    before = {part: page.evaluate(size % part) for part in parts}
    page.get_by_role("button", name="Grotere letters").click()
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    after = {part: page.evaluate(size % part) for part in parts}
    for part in parts:
        assert after[part] >= 1.5 * before[part] - 0.1, (part, before[part], after[part])
    assert no_horizontal_overflow(page)
    assert_accessible(page, "large-text-question")
    # Remembered on the next screen and after a reload.
    page.get_by_role("checkbox", name="Soep").check()
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Hoe oud bent u?")).to_be_visible()
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    page.reload()
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    assert no_horizontal_overflow(page)
    page.goto(f"/interviews/{interview_id}/overview")
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    assert no_horizontal_overflow(page)
    assert_accessible(page, "large-text-overview")
    # Pages without the toggle keep their size.
    page.goto(f"/projects/{world.project_id}/interviews")
    expect(page.locator("html")).not_to_have_class(re.compile("large-text"))


def test_start_page_names_missing_translations_for_the_chosen_language(app, world, types_version, page):  # noqa: F811
    log_in(page)
    page.goto(f"/projects/{world.project_id}/interviews/new")
    note = page.locator("[data-for-language=en]")
    expect(note).to_be_hidden()  # Dutch is chosen
    page.get_by_label("English").check()
    expect(note).to_be_visible()
    expect(note).to_contain_text("Nog niet vertaald in het Engels:")
    expect(note).to_contain_text("de tekst voor toestemming")
    expect(note).to_contain_text("6 van de 8 vragen")
    # No English consent text yet: the Dutch one stays.
    expect(page.locator("[data-consent-language=nl]")).to_be_visible()
    assert_accessible(page, "start-missing-translations")
    page.get_by_label("Nederlands").check()
    expect(note).to_be_hidden()


def test_changed_screens_fit_a_phone(app, world, types_version, new_page):  # noqa: F811
    """No sideways scrolling at 390 and 320 px on the screens changed here (large text too)."""
    page = new_page()
    log_in(page)
    interview_id = start(page, world)
    staff = new_page()
    log_in(staff, "staf")
    screens = [(page, f"/projects/{world.project_id}/interviews/new", "start"),
               (page, f"/interviews/{interview_id}/questions/5", "question"),
               (page, f"/interviews/{interview_id}/stop?back=5", "stop"),
               (page, f"/interviews/{interview_id}/overview", "overview"),
               (staff, f"/projects/{world.project_id}/interviews", "staff-interviews")]
    for width, height in ((390, 844), (320, 700)):
        for large in (False, True):
            for who, url, name in screens:
                who.set_viewport_size({"width": width, "height": height})
                who.goto(url)
                who.evaluate(f"localStorage.setItem('peerinterview.largeText', '{int(large)}')")
                who.reload()
                assert no_horizontal_overflow(who), (url, width, large)
                if width == 390:
                    screenshot(who, f"phone-{name}{'-large' if large else ''}")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/interviews/{interview_id}/questions/1")
    page.get_by_label("Soms").check()
    page.get_by_role("link", name="Stoppen", exact=True).click()
    page.get_by_label("Bewaren. De antwoorden tellen mee in het onderzoek.").check()
    page.get_by_role("button", name="Interview stoppen").click()
    expect(heading(page, "Dank u wel")).to_be_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, "phone-done-after-stop")
