"""Samen bespreken in Chromium at tablet size: two panel members in two browser contexts sort
the same cards at once and each sees the other's change; then a finding, a recommendation and
votes; staff approve a quote and present, the panel follows. axe-core on every page."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import Answer, Question
from tests.browser.helpers import assert_accessible
from tests.builders import make_interview
from tests.helpers import PASSWORD, card_key_of

TEXTS = ["Meer rust in de avond.", "Het eten is koud.", "Langer open in het weekend.",
         "Bel Jan op 06-12345678 als er plek is.", "De koffie is lekker.", "Een stille kamer graag."]


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def card(page, keys, text):
    return page.locator(f"#card-{keys[text]}")


@pytest.mark.every_database  # two people change the same board at once
def test_two_panel_members_sort_the_same_cards_at_once(app, world, make_user, new_page):
    make_user("piet", project_id=world.project_id, roles={"panel"})
    for i, text in enumerate(TEXTS):
        make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": text}, completed=True,
                       location_id=world.location_ids[0 if i < 5 else 1])
    with app.app_context():
        keys = {a.text: card_key_of(a) for a in db.session.scalars(
            select(Answer).join(Question).where(Question.kind == "open"))}
        db.session.remove()
    board = f"/projects/{world.project_id}/themes"

    petra, piet = new_page(), new_page()
    log_in(petra, "petra")
    log_in(piet, "piet")
    petra.goto(f"/projects/{world.project_id}")
    petra.get_by_role("link", name="Samen bespreken").click()
    expect(petra.get_by_role("heading", level=1, name="Thema's maken")).to_be_visible()
    assert_accessible(petra, "panel-01-board-empty")
    piet.goto(board)

    # An empty name: the error summary, in B1.
    petra.get_by_role("button", name="Maak thema").click()
    expect(petra.locator("[data-error-summary]")).to_contain_text("Vul een naam voor het thema in.")
    petra.get_by_label("Naam van het nieuwe thema").fill("Rust")
    petra.get_by_role("button", name="Maak thema").click()
    expect(petra.get_by_text("Je werkt nu aan het thema: Rust.")).to_be_visible()
    # A new theme shows the cards without a theme; a sorted card leaves that list. Show all.
    petra.get_by_role("link", name="Alle kaarten (6)").click()
    expect(petra.get_by_role("link", name="Alle kaarten (6)")).to_have_attribute("aria-current", "true")

    # Piet sees the new theme without reloading, and picks it.
    expect(piet.get_by_role("link", name=re.compile("^Rust"))).to_be_visible(timeout=10_000)
    piet.get_by_role("link", name=re.compile("^Rust")).click()
    expect(piet.get_by_text("Je werkt nu aan het thema: Rust.")).to_be_visible()

    # Both tap at the same time: the same card, and each another card.
    card(petra, keys, TEXTS[0]).get_by_role("button", name="Zet in Rust").click()
    card(piet, keys, TEXTS[0]).get_by_role("button", name="Zet in Rust").click()
    card(piet, keys, TEXTS[5]).get_by_role("button", name="Zet in Rust").click()
    card(petra, keys, TEXTS[2]).get_by_role("button", name="Zet in Rust").click()
    expect(card(petra, keys, TEXTS[2])).to_contain_text("In: Rust")
    # htmx swapped only the board: the focus stays on the card's button, the message is announced.
    expect(card(petra, keys, TEXTS[2]).get_by_role("button", name="Haal uit Rust")).to_be_focused()
    expect(petra.locator("#flash")).to_contain_text("De kaart staat nu in 'Rust'.")
    # Each sees the other's change within a few seconds.
    expect(card(petra, keys, TEXTS[5])).to_contain_text("In: Rust", timeout=10_000)
    expect(card(piet, keys, TEXTS[2])).to_contain_text("In: Rust", timeout=10_000)
    expect(piet.locator("#board-status")).to_have_text("Iemand anders heeft iets veranderd. De kaarten zijn bijgewerkt.")
    expect(card(piet, keys, TEXTS[0])).to_contain_text("In: Rust")
    expect(card(petra, keys, TEXTS[0]).get_by_role("button", name="Haal uit Rust")).to_be_visible()
    assert_accessible(petra, "panel-02-board-sorted")

    # Piet puts one more card in, and proposes it as a quote.
    card(piet, keys, TEXTS[3]).get_by_role("button", name="Zet in Rust").click()
    expect(card(piet, keys, TEXTS[3])).to_contain_text("In: Rust")
    card(piet, keys, TEXTS[3]).get_by_role("button", name="Stel voor als citaat").click()
    expect(card(piet, keys, TEXTS[3])).to_contain_text("Citaat: Wacht op goedkeuring")
    piet.get_by_role("link", name="Citaten").click()
    expect(piet.get_by_text("Wacht op goedkeuring door de begeleider.")).to_be_visible()
    assert_accessible(piet, "panel-03-quotes-panel-member")

    # The theme page: counts, breakdown with small groups hidden.
    petra.get_by_role("link", name="Kaarten en naam: Rust").click()
    expect(petra.get_by_role("heading", level=1, name="Thema: Rust")).to_be_visible()
    expect(petra.get_by_text("4 kaarten. Aantal mensen: niet getoond.")).to_be_visible()
    # The panel never reads people per location of a theme: adding one card would tell where its
    # writer was interviewed (staff read them; tests/test_panel_attacks.py).
    expect(petra.get_by_text("Per locatie", exact=False)).to_have_count(0)
    assert_accessible(petra, "panel-03-theme")

    # A finding, a recommendation and votes.
    petra.get_by_role("link", name="Bespreek dit thema").click()
    expect(petra.get_by_role("heading", level=1, name="Bespreken: Rust")).to_be_visible()
    assert_accessible(petra, "panel-04-discuss")
    petra.get_by_role("textbox", name="Herkennen we dit?").fill("Ja. 's Avonds is het te druk.")
    expect(petra.locator("#finding-recognise-state")).to_have_text("Opgeslagen")
    expect(petra.get_by_role("textbox", name="Herkennen we dit?")).to_have_value("Ja. 's Avonds is het te druk.")
    petra.get_by_label("Nieuwe aanbeveling").fill("Maak een stille kamer.")
    petra.get_by_role("button", name="Aanbeveling toevoegen").click()
    expect(petra.get_by_text("De aanbeveling is toegevoegd.")).to_be_visible()
    petra.get_by_role("button", name="Heel belangrijk").click()
    expect(petra.get_by_text("Je stem is opgeslagen: Heel belangrijk.")).to_be_visible()
    assert_accessible(petra, "panel-05-discuss-voted")

    piet.get_by_role("link", name="Aanbevelingen", exact=True).click()
    expect(piet.locator(".recommendation-text", has_text="Maak een stille kamer.")).to_be_visible()
    piet.get_by_role("button", name="Belangrijk", exact=True).click()
    expect(piet.get_by_text("5 punten")).to_be_visible()
    assert_accessible(piet, "panel-06-recommendations")

    # Staff approve the quote (the phone number is highlighted) and present; Piet follows.
    staf = new_page()
    log_in(staf, "staf")
    staf.goto(f"/projects/{world.project_id}/quotes")
    expect(staf.locator("mark.identifying").first).to_be_visible()
    assert_accessible(staf, "panel-07-quotes-review")
    staf.get_by_role("button", name="Haal gekleurde stukjes weg").click()
    expect(staf.get_by_label("Tekst van het citaat")).to_have_value(re.compile(r"\[telefoonnummer\]"))
    staf.get_by_role("button", name="Keur goed").click()
    expect(staf.get_by_text("Het citaat is goedgekeurd.")).to_be_visible()
    assert_accessible(staf, "panel-08-quotes-approved")

    piet.get_by_role("link", name="Presenteren").click()
    expect(piet.get_by_text("Deel 1 van 6")).to_be_visible()
    assert_accessible(piet, "panel-09-present-follow")
    staf.get_by_role("link", name="Presenteren").click()
    for number in range(2, 6):  # start, three questions, then the theme
        staf.get_by_role("button", name="Volgende").click()
        expect(staf.get_by_text(f"Deel {number} van 6")).to_be_visible()
    expect(staf.get_by_text("Deel 5 van 6")).to_be_visible()
    assert_accessible(staf, "panel-10-present-facilitator")
    expect(piet.get_by_role("heading", name="Rust")).to_be_visible(timeout=10_000)
    expect(piet.locator("#slide")).to_contain_text("[telefoonnummer]")
    expect(piet.locator("#slide")).not_to_contain_text("06-12345678")
    expect(piet.locator("#slide")).to_contain_text("Ja. 's Avonds is het te druk.")
    assert not petra.console_errors and not piet.console_errors


def test_sorting_works_without_javascript(app, world, new_page):
    for i, text in enumerate(TEXTS):
        make_interview(app, world.project_id, "anna", answers={"q3": text}, completed=True)
    page = new_page(java_script_enabled=False)
    log_in(page, "petra")
    page.goto(f"/projects/{world.project_id}/themes")
    page.get_by_label("Naam van het nieuwe thema").fill("Eten")
    page.get_by_role("button", name="Maak thema").click()
    expect(page.get_by_text("Je werkt nu aan het thema: Eten.")).to_be_visible()
    page.locator(".sort-card", has_text=TEXTS[1]).get_by_role("button", name="Zet in Eten").click()
    expect(page.get_by_text("De kaart staat nu in 'Eten'.")).to_be_visible()
    page.get_by_role("link", name="In Eten (1)").click()
    expect(page.locator(".sort-card", has_text=TEXTS[1])).to_contain_text("In: Eten")
    page.locator(".sort-card", has_text=TEXTS[1]).get_by_role("button", name="Stel voor als citaat").click()
    expect(page.get_by_text("De kaart is voorgesteld als citaat.")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Maak ongedaan")).click()
    expect(page.get_by_text("Ongedaan gemaakt: Kaart in 'Eten' gezet: “Het eten is koud.”.")).to_be_visible()
    page.get_by_role("link", name="Citaten").click()
    expect(page.get_by_text("Wacht op goedkeuring door de begeleider.")).to_be_visible()
    # (axe needs JavaScript: the same pages are checked in the test above.)


def test_a_quote_decided_in_another_tab_meanwhile_says_so_and_keeps_the_wording(app, world, login_as, new_page):
    """Staff redact a quote's wording while another tab of staff rejects it and puts it back.
    "Keur goed" answers 409 with the page of now: it replaces this page (it is not swallowed,
    leaving a button that seems to do nothing), says what happened, and the wording typed here
    is still in the box; one more press approves it."""
    make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": TEXTS[3]}, completed=True,
                   location_id=world.location_ids[0])
    _petra, petra_post = login_as("petra")
    with app.app_context():
        key = card_key_of(db.session.scalar(select(Answer).join(Question).where(Question.kind == "open")))
        db.session.remove()
    assert petra_post(f"/projects/{world.project_id}/quotes", {"card": key}).status_code == 303
    staf = new_page()
    log_in(staf, "staf")
    staf.goto(f"/projects/{world.project_id}/quotes")
    wording = "Bel Jan op [nummer] als er plek is."
    staf.get_by_role("textbox").first.fill(wording)
    # The other tab: reject, then put it back.
    other = new_page()
    log_in(other, "staf")
    other.goto(f"/projects/{world.project_id}/quotes")
    other.get_by_role("button", name="Wijs af").click()
    other.get_by_role("button", name=re.compile("Zet terug bij voorgesteld")).click()
    expect(other.get_by_text("Het citaat wacht weer op goedkeuring.")).to_be_visible()

    staf.get_by_role("button", name="Keur goed").click()
    expect(staf.get_by_role("alert")).to_contain_text("Iemand anders heeft dit citaat net beoordeeld.")
    expect(staf.get_by_role("textbox").first).to_have_value(wording)
    assert not staf.console_errors, staf.console_errors  # the 409 itself is expected (conftest)
    staf.get_by_role("button", name="Keur goed").click()
    expect(staf.get_by_text("Het citaat is goedgekeurd.")).to_be_visible()
    expect(staf.locator("blockquote.quote")).to_have_text(wording)
