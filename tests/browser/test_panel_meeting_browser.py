"""A panel meeting in Chromium at tablet size, where nothing typed or tapped is lost: the four
questions save themselves as they are typed (and all together without JavaScript), a page with
unsaved typing asks before it is left, a recommendation taken away can be put back, the undo
button after "Zet in" stays and names its step, and the facilitator's agenda is followed on the
panel's tablet, with the steps of the path on every panel page. axe-core on every page, and
nothing scrolls sideways at 320 px."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import Answer, Question
from peerinterview.models.panel import Finding, Recommendation, RecommendationVote
from tests.browser.helpers import assert_accessible, screenshot
from tests.builders import make_interview
from tests.helpers import PASSWORD, card_key_of

TEXTS = ["Meer rust in de avond.", "Het eten is koud.", "Langer open in het weekend.",
         "Een stille kamer graag.", "De koffie is lekker.", "Vriendelijke mensen."]
PHONE = {"width": 390, "height": 844}


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


@pytest.fixture
def keys(app, world):
    """Six completed interviews with an open answer; {text: card key}."""
    for i, text in enumerate(TEXTS):
        make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": text}, completed=True,
                       location_id=world.location_ids[0 if i < 5 else 1])
    with app.app_context():
        found = {a.text: card_key_of(a) for a in db.session.scalars(
            select(Answer).join(Question).where(Question.kind == "open"))}
        db.session.remove()
    return found


def make_theme_with_cards(page, world, keys, name, texts):
    page.goto(f"/projects/{world.project_id}/themes")
    page.get_by_label("Naam van het nieuwe thema").fill(name)
    page.get_by_role("button", name="Maak thema").click()
    expect(page.get_by_text(f"Je werkt nu aan het thema: {name}.")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Alle kaarten")).click()
    expect(page.get_by_role("link", name=re.compile(r"^Alle kaarten"))).to_have_attribute("aria-current", "true")
    for text in texts:
        page.locator(f"#card-{keys[text]}").get_by_role("button", name=f"Zet in {name}").click()
        expect(page.locator(f"#card-{keys[text]}")).to_contain_text(f"In: {name}")


def shot(page, name):
    screenshot(page, name)


def no_sideways_scroll(page, width=320):
    page.set_viewport_size({"width": width, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def stored_findings(app):
    with app.app_context():
        found = {f.question: f.text for f in db.session.scalars(select(Finding))}
        db.session.remove()
    return found


def test_the_four_questions_save_as_they_are_typed_and_leaving_with_unsaved_text_asks_first(
        app, world, keys, new_page):
    page = new_page()
    log_in(page, "petra")
    make_theme_with_cards(page, world, keys, "Rust", TEXTS[:2])
    page.get_by_role("link", name="Bespreek dit thema: Rust").click()
    expect(page.get_by_role("heading", level=1, name="Bespreken: Rust")).to_be_visible()
    assert page.get_by_role("button", name=re.compile("^Opslaan")).count() == 0
    recognise = page.get_by_role("textbox", name="Herkennen we dit?")
    explain = page.get_by_role("textbox", name="Kunnen we het verklaren?")
    recognise.fill("Ja. 's Avonds is het te druk.")
    # Typing on in the next box right away: the first one saves on its own, the second too.
    explain.press_sequentially("Er is te weinig personeel.", delay=20)
    expect(page.locator("#finding-recognise-state")).to_have_text("Opgeslagen")
    expect(page.locator("#finding-explain-state")).to_have_text("Opgeslagen")
    with page.expect_response(lambda r: r.url.endswith("/findings/explain")):
        explain.press_sequentially(" En de ruimte is klein.", delay=20)
    expect(recognise).to_have_value("Ja. 's Avonds is het te druk.")
    expect(page.locator("#finding-explain-state")).to_have_text("Opgeslagen")
    assert stored_findings(app) == {"recognise": "Ja. 's Avonds is het te druk.",
                                    "explain": "Er is te weinig personeel. En de ruimte is klein."}
    assert_accessible(page, "panel-meeting-01-findings-saved")
    # Someone else's save shows a notice, never a page that replaces what is typed here; this
    # person's own saves are not announced as someone else's.
    expect(page.locator("#panel-changes")).not_to_contain_text("Iemand anders", timeout=6_000)

    # A recommendation typed but not added: leaving asks first; staying keeps the text.
    page.get_by_label("Nieuwe aanbeveling").fill("Maak een stille kamer.")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("link", name="Aanbevelingen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Bespreken: Rust")).to_be_visible()
    assert dialogs == ["Je hebt iets getypt dat nog niet is opgeslagen. Wil je deze pagina toch verlaten?"]
    expect(page.get_by_label("Nieuwe aanbeveling")).to_have_value("Maak een stille kamer.")
    page.get_by_role("button", name="Aanbeveling toevoegen").click()
    expect(page.get_by_text("De aanbeveling is toegevoegd.")).to_be_visible()
    # Added: nothing unsaved, so leaving asks nothing.
    page.get_by_role("link", name="Aanbevelingen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Aanbevelingen")).to_be_visible()
    assert len(dialogs) == 1
    page.go_back()
    expect(page.get_by_role("textbox", name="Kunnen we het verklaren?")).to_have_value(
        "Er is te weinig personeel. En de ruimte is klein.")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "panel-meeting-01b-findings-390")
    no_sideways_scroll(page)
    assert not page.console_errors


def test_the_four_questions_are_saved_together_without_javascript(app, world, keys, new_page):
    page = new_page(java_script_enabled=False)
    log_in(page, "petra")
    make_theme_with_cards(page, world, keys, "Eten", TEXTS[1:2])
    page.goto(f"/projects/{world.project_id}/themes/overview")
    page.get_by_role("link", name="Bespreek dit thema: Eten").click()
    typed = {"Herkennen we dit?": "Ja, het eten is vaak koud.", "Wat vinden we ervan?": "Dat is niet goed.",
             "Moet er iets gebeuren?": "Een warmhoudkar."}
    for label, text in typed.items():
        page.get_by_role("textbox", name=label).fill(text)
    page.get_by_role("button", name="Alles opslaan").click()
    expect(page.get_by_text("Alles is opgeslagen.")).to_be_visible()
    for label, text in typed.items():
        expect(page.get_by_role("textbox", name=label)).to_have_value(text)
    assert stored_findings(app) == {"recognise": "Ja, het eten is vaak koud.", "opinion": "Dat is niet goed.",
                                    "action": "Een warmhoudkar."}


def test_a_recommendation_taken_away_can_be_put_back_with_its_votes(app, world, keys, make_user, new_page):
    make_user("piet", project_id=world.project_id, roles={"panel"})
    petra, piet = new_page(), new_page()
    log_in(petra, "petra")
    log_in(piet, "piet")
    make_theme_with_cards(petra, world, keys, "Rust", TEXTS[:1])
    petra.get_by_role("link", name="Bespreek dit thema: Rust").click()
    petra.get_by_label("Nieuwe aanbeveling").fill("Maak een stille kamer.")
    petra.get_by_role("button", name="Aanbeveling toevoegen").click()
    petra.get_by_role("button", name="Heel belangrijk").click()
    expect(petra.get_by_text("Je stem is opgeslagen: Heel belangrijk.")).to_be_visible()
    # Piet did not write it: no button to take it away.
    piet.goto(petra.url.split("#")[0])
    expect(piet.locator(".recommendation-text", has_text="Maak een stille kamer.")).to_be_visible()
    expect(piet.get_by_role("button", name=re.compile("^Haal weg"))).to_have_count(0)

    petra.get_by_role("button", name="Haal weg: Maak een stille kamer.").click()
    expect(petra.get_by_text("Je hebt deze aanbeveling weggehaald:")).to_be_visible()
    expect(petra.locator(".recommendation-list")).to_have_count(0)
    assert_accessible(petra, "panel-meeting-02-recommendation-removed")
    with app.app_context():
        assert db.session.scalars(select(Recommendation)).one().deleted_at is not None
        assert len(db.session.scalars(select(RecommendationVote)).all()) == 1
        db.session.remove()
    # The history: what was taken away, and by whom.
    petra.get_by_text("Weggehaald (1)").click()
    expect(petra.get_by_text("Weggehaald door Petra.")).to_be_visible()
    petra.locator("[id^='restore-']").click()  # the button in the notice right after taking it away
    expect(petra.get_by_text("De aanbeveling staat er weer, met haar stemmen.")).to_be_visible()
    expect(petra.locator(".recommendation-list")).to_contain_text("Maak een stille kamer.")
    expect(petra.locator(".recommendation-list")).to_contain_text("Heel belangrijk 1")
    # Back in the list, so no longer among what was taken away (the logboek keeps both steps).
    expect(petra.get_by_text("Weggehaald (1)")).to_have_count(0)
    assert not petra.console_errors


def test_undo_after_zet_in_stays_without_a_reload_and_names_its_step(app, world, keys, new_page):
    page = new_page()
    log_in(page, "petra")
    make_theme_with_cards(page, world, keys, "Rust", [])
    first = page.locator(f"#card-{keys[TEXTS[0]]}")
    second = page.locator(f"#card-{keys[TEXTS[2]]}")
    first.get_by_role("button", name="Zet in Rust").click()
    expect(first).to_contain_text("In: Rust")
    undo = page.locator("#undo-button")
    expect(undo).to_be_visible()
    expect(undo).to_have_accessible_name("Maak ongedaan: Kaart in 'Rust' gezet: “Meer rust in de avond.”")
    second.get_by_role("button", name="Zet in Rust").click()
    expect(second).to_contain_text("In: Rust")
    expect(undo).to_have_accessible_name("Maak ongedaan: Kaart in 'Rust' gezet: “Langer open in het weekend.”")
    expect(page.locator("#undo")).to_contain_text("Langer open in het weekend.")
    assert_accessible(page, "panel-meeting-03-undo-named")
    undo.click()
    expect(page.get_by_text("Ongedaan gemaakt: Kaart in 'Rust' gezet: “Langer open in het weekend.”.")).to_be_visible()
    expect(page.locator(f"#card-{keys[TEXTS[2]]}")).to_contain_text("Nog geen thema")
    expect(page.locator(f"#card-{keys[TEXTS[0]]}")).to_contain_text("In: Rust")
    assert not page.console_errors


def test_the_facilitator_opens_todays_agenda_and_the_panel_tablet_follows_along_the_steps(
        app, world, keys, new_page):
    petra, staf = new_page(), new_page()
    log_in(petra, "petra")
    log_in(staf, "staf")
    make_theme_with_cards(petra, world, keys, "Rust", TEXTS[:3])
    make_theme_with_cards(petra, world, keys, "Eten", TEXTS[3:])
    make_theme_with_cards(petra, world, keys, "Leeg", [])
    # The steps: sorting is done (every card has a theme), checking the themes is not (an empty one).
    steps = petra.get_by_role("navigation", name="Stappen van het panel")
    expect(steps).to_contain_text("Antwoorden sorteren")
    expect(petra.locator(".step-done")).to_contain_text("Antwoorden sorteren")
    expect(steps).to_contain_text("Volgende stap: 2. Thema's nakijken")
    assert_accessible(petra, "panel-meeting-04-board-steps")
    petra.set_viewport_size(PHONE)
    shot(petra, "panel-meeting-04b-board-390")
    no_sideways_scroll(petra)
    petra.set_viewport_size({"width": 820, "height": 1180})
    petra.get_by_role("link", name=re.compile("^Thema's nakijken")).click()
    expect(petra.get_by_role("heading", level=1, name="Thema's bespreken")).to_be_visible()
    expect(petra.locator("main")).not_to_contain_text("Leeg")
    assert_accessible(petra, "panel-meeting-05-overview")
    petra.set_viewport_size(PHONE)
    shot(petra, "panel-meeting-05b-overview-390")
    no_sideways_scroll(petra)
    petra.set_viewport_size({"width": 820, "height": 1180})

    # The facilitator opens today's meeting: one question and the theme Eten.
    staf.goto(f"/projects/{world.project_id}/present")
    staf.get_by_label("Rust").uncheck()
    staf.get_by_label("Hoe vaak komt u hier?").check()
    assert_accessible(staf, "panel-meeting-06-agenda-choose")
    staf.get_by_role("button", name="Begin de bijeenkomst").click()
    expect(staf.get_by_text("De bijeenkomst is open. Alle tablets volgen nu dit scherm.")).to_be_visible()
    # The panel member's tablet says so on every panel page, and leads to the shared screen.
    petra.goto(f"/projects/{world.project_id}/themes")
    expect(petra.get_by_text("De bijeenkomst van vandaag is begonnen.")).to_be_visible()
    petra.get_by_role("link", name="Volg het scherm van de begeleider").click()
    expect(petra.get_by_text("Deel 1 van 4")).to_be_visible()
    expect(petra.get_by_role("heading", name="Agenda van vandaag")).to_be_visible()
    expect(petra.locator(".agenda-list")).not_to_contain_text("Rust")
    for number in (2, 3):
        staf.get_by_role("button", name="Volgende").click()
        expect(staf.get_by_text(f"Deel {number} van 4")).to_be_visible()
    # The tablet follows by itself: the theme, where the meeting is, and a way in to discuss it.
    expect(petra.get_by_text("Deel 3 van 4")).to_be_visible(timeout=10_000)
    expect(petra.locator(".agenda-list [aria-current='step']")).to_contain_text("Thema: Eten")
    expect(petra.locator(".agenda-list")).to_contain_text("Aanbevelingen – hierna")
    assert_accessible(petra, "panel-meeting-07-follow")
    assert_accessible(staf, "panel-meeting-08-facilitator")
    petra.set_viewport_size(PHONE)
    shot(petra, "panel-meeting-07b-follow-390")
    no_sideways_scroll(petra)
    petra.set_viewport_size({"width": 820, "height": 1180})
    petra.locator("#slide").get_by_role("link", name="Bespreek dit thema").click()
    expect(petra.get_by_role("heading", level=1, name="Bespreken: Eten")).to_be_visible()
    expect(petra.get_by_role("navigation", name="Stappen van het panel").locator("[aria-current='step']")) \
        .to_contain_text("Vier vragen")
    staf.get_by_role("button", name="Sluit de bijeenkomst").click()
    expect(staf.get_by_text("De bijeenkomst is gesloten.")).to_be_visible()
    assert not petra.console_errors and not staf.console_errors


def test_the_theme_page_asks_before_a_typed_name_is_lost_and_a_thrown_away_theme_comes_back(
        app, world, keys, new_page):
    page = new_page()
    log_in(page, "petra")
    make_theme_with_cards(page, world, keys, "Rust", TEXTS[:2])
    page.get_by_role("link", name="Kaarten en naam: Rust").click()
    expect(page.get_by_role("heading", level=1, name="Thema: Rust")).to_be_visible()
    # Each label leads to its own box (the split form's name box has an id of its own).
    expect(page.get_by_label("Nieuwe naam")).to_have_value("Rust")
    page.get_by_label("Nieuwe naam").fill("Rust en stilte")
    # Another button on the page would leave the typed name behind: ask first; staying keeps it.
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Gooi dit thema weg").click()
    expect(page.get_by_label("Nieuwe naam")).to_have_value("Rust en stilte")
    assert dialogs == ["Je hebt iets getypt dat nog niet is opgeslagen. Wil je deze pagina toch verlaten?"]
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Thema: Rust en stilte")).to_be_visible()
    # Saved: throwing the theme away asks nothing, and the undo names it.
    page.get_by_role("button", name="Gooi dit thema weg").click()
    expect(page.get_by_text("Het thema 'Rust en stilte' is weggegooid.")).to_be_visible()
    assert len(dialogs) == 1
    expect(page.locator("#undo-button")).to_have_accessible_name("Maak ongedaan: Thema 'Rust en stilte' weggegooid")
    page.locator("#undo-button").click()
    expect(page.get_by_text("Ongedaan gemaakt: Thema 'Rust en stilte' weggegooid.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Rust en stilte"))).to_be_visible()
    assert_accessible(page, "panel-meeting-09-theme-back")
    assert not page.console_errors


def test_staff_put_a_rejected_quote_back_and_an_edited_quote_text_is_not_left_behind(
        app, world, keys, new_page):
    petra, staf = new_page(), new_page()
    log_in(petra, "petra")
    log_in(staf, "staf")
    make_theme_with_cards(petra, world, keys, "Rust", TEXTS[:2])
    for text in TEXTS[:2]:
        petra.locator(f"#card-{keys[text]}").get_by_role("button", name="Stel voor als citaat").click()
        expect(petra.locator(f"#card-{keys[text]}")).to_contain_text("Citaat: Wacht op goedkeuring")
    staf.goto(f"/projects/{world.project_id}/quotes")
    boxes = staf.get_by_label("Tekst van het citaat")
    # Quotes are listed in the random order of their answers: whichever comes first is rejected.
    first_text = boxes.nth(0).input_value()
    assert first_text in TEXTS[:2]
    boxes.nth(1).fill("Het eten is vaak koud.")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    # Deciding on the first quote would leave the edited text of the second behind: ask first.
    staf.once("dialog", dismiss)
    staf.get_by_role("button", name="Wijs af").first.click()
    expect(boxes.nth(1)).to_have_value("Het eten is vaak koud.")
    assert len(dialogs) == 1
    staf.get_by_role("button", name="Keur goed").nth(1).click()
    expect(staf.get_by_text("Het citaat is goedgekeurd.")).to_be_visible()
    staf.get_by_role("button", name="Wijs af").first.click()
    expect(staf.get_by_text("Het citaat is afgewezen. Vergissing?")).to_be_visible()
    assert_accessible(staf, "panel-meeting-10-quote-rejected")
    staf.get_by_role("button", name=f"Zet terug bij voorgesteld: {first_text}").click()
    expect(staf.get_by_text("Het citaat wacht weer op goedkeuring.")).to_be_visible()
    expect(staf.get_by_role("heading", name="Voorgesteld (1)")).to_be_visible()
    assert not staf.console_errors and not petra.console_errors
