"""Sorting "ieder apart" in Chromium at tablet size (one member on a phone): staff start a round
of a chosen size for three members; two panel members in two browser contexts sort the same
cards page by page, each seeing only their own choices and how far they are; the third never
comes back, so staff close the round early after a confirmation page; the comparison shows the
agreement figure, who did not finish and where they differ, and the panel decides one card onto
the board. axe-core on every page."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import Answer, Question
from peerinterview.models.panel import Theme
from tests.browser.helpers import assert_accessible
from tests.browser.test_panel_browser import TEXTS, card, log_in
from tests.builders import make_interview
from tests.helpers import card_key_of


def five_cards_and_two_themes(app, world) -> dict:
    """Five completed interviews with an open answer, and the themes Rust and Eten: {text: key}."""
    for text in TEXTS[:5]:
        make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": text}, completed=True,
                       location_id=world.location_ids[0])
    with app.app_context():
        keys = {a.text: card_key_of(a) for a in db.session.scalars(
            select(Answer).join(Question).where(Question.kind == "open"))}
        db.session.add_all([Theme(project_id=world.project_id, name=n) for n in ("Rust", "Eten")])
        db.session.commit()
        db.session.remove()
    return keys


def start_round(staf, world) -> str:
    """staf starts a round on all five cards for petra, sam and kees; the round's address."""
    staf.goto(f"/projects/{world.project_id}/rounds")
    staf.goto(f"/projects/{world.project_id}/rounds")
    # Only one person: the error summary, in B1.
    staf.get_by_label("Alle kaarten (5)").check()
    staf.get_by_role("checkbox", name="Petra", exact=True).check()
    staf.get_by_role("button", name="Begin de ronde").click()
    expect(staf.locator("[data-error-summary]")).to_contain_text("Kies twee mensen of meer.")
    staf.get_by_label("Alle kaarten (5)").check()
    staf.get_by_role("checkbox", name="Petra", exact=True).check()
    staf.get_by_role("checkbox", name="Sam", exact=True).check()
    staf.get_by_role("checkbox", name="Kees", exact=True).check()
    expect(staf.get_by_label("Hoeveel kaarten?")).to_have_value("40")
    staf.get_by_label("Hoeveel kaarten?").fill("5")
    staf.get_by_role("button", name="Begin de ronde").click()
    expect(staf.get_by_text("Ieder sorteert nu apart.")).to_be_visible()
    return staf.url


def texts_in_board_order(app, world) -> list[str]:
    """The cards' texts in the board's order (random: by the answers' references), which is the
    order of a round's pages."""
    from peerinterview.panel.services import project_cards

    with app.app_context():
        texts = [c.text for c in project_cards(world.project_id)]
        db.session.remove()
    return texts


def sort_on_the_next_page(petra, keys, last):
    """Two cards sorted on the first of two pages; the last cards are on the next page, and a
    sort there comes back to that page."""
    expect(petra.get_by_text("2 van de 5 kaarten gesorteerd")).to_be_visible()
    expect(petra.get_by_text("Pagina 1 van 2")).to_be_visible()
    petra.get_by_role("link", name="Volgende pagina").click()
    card(petra, keys, last).get_by_role("button", name="Zet in Rust").click()
    expect(card(petra, keys, last)).to_contain_text("Jij koos: Rust")
    expect(petra.get_by_text("3 van de 5 kaarten gesorteerd")).to_be_visible()
    expect(petra.get_by_text("Pagina 2 van 2")).to_be_visible()
    card(petra, keys, last).get_by_role("button", name="Haal uit Rust").click()
    expect(petra.get_by_text("2 van de 5 kaarten gesorteerd")).to_be_visible()


def close_early(staf, round_url):
    """Kees never comes back: staff close the round after a confirmation page."""
    staf.goto(round_url)
    staf.get_by_role("link", name="Sluit de ronde af").click()
    expect(staf.get_by_role("heading", name="Ronde nu afsluiten?")).to_be_visible()
    assert_accessible(staf, "rounds-03-close")
    # A list of who had finished that was tampered with: the page again, with the error summary.
    staf.locator('input[name="finished"]').evaluate("(input) => { input.value = '1,x'; }")
    staf.get_by_role("button", name="Ja, sluit de ronde af").click()
    expect(staf.locator("[data-error-summary]")).to_be_focused()
    expect(staf.locator("[data-error-summary]")).to_contain_text("We weten niet meer wie er klaar was.")
    for width, height in ((390, 844), (820, 1180)):
        staf.set_viewport_size({"width": width, "height": height})
        assert_accessible(staf, f"rounds-03-close-error-{width}")
    staf.get_by_role("link", name="We weten niet meer wie er klaar was.", exact=False).click()
    expect(staf.locator("#finished")).to_be_focused()
    staf.get_by_role("button", name="Ja, sluit de ronde af").click()
    expect(staf.get_by_text("De ronde is afgesloten.")).to_be_visible()
    expect(staf.get_by_text("Kees was nog niet klaar. Die keuzes tellen niet mee.")).to_be_visible()


def test_two_members_sort_apart_compare_and_decide(app, world, make_user, new_page, monkeypatch):
    # Three cards a page, so five cards make two pages.
    monkeypatch.setattr("peerinterview.panel.round_routes.SORT_PER_PAGE", 3)
    monkeypatch.setattr("peerinterview.panel.round_routes.COMPARE_PER_PAGE", 3)
    make_user("sam", project_id=world.project_id, roles={"panel"})
    make_user("kees", project_id=world.project_id, roles={"panel"})
    keys = five_cards_and_two_themes(app, world)
    # The first two cards of the first page, and the last card (on the second page).
    first, second, *_rest, last = texts_in_board_order(app, world)
    staf = new_page()
    log_in(staf, "staf")
    round_url = start_round(staf, world)

    petra, sam = new_page(), new_page()
    sam.set_viewport_size({"width": 390, "height": 844})  # sam sorts on a phone
    log_in(petra, "petra")
    log_in(sam, "sam")
    petra.goto(f"/projects/{world.project_id}/rounds")
    assert_accessible(petra, "rounds-01-list")
    petra.get_by_role("link", name="Alle kaarten (5)").click()
    sam.goto(round_url)
    card(petra, keys, first).get_by_role("button", name="Zet in Rust").click()
    card(petra, keys, second).get_by_role("button", name="Zet in Eten").click()
    card(sam, keys, first).get_by_role("button", name="Zet in Rust").click()
    card(sam, keys, second).get_by_role("button", name="Zet in Rust").click()
    expect(card(petra, keys, second)).to_contain_text("Jij koos: Eten")
    assert_accessible(petra, "rounds-02-sorting")
    sort_on_the_next_page(petra, keys, last)
    # Sam sees only his own choice.
    sam.reload()
    assert_accessible(sam, "rounds-02-sorting-phone")
    expect(card(sam, keys, second).locator(".card-themes")).to_have_text(re.compile(r"^\s*Jij koos: Rust\s*$"))

    petra.get_by_role("button", name="Ik ben klaar").click()
    expect(petra.get_by_text("Sam: nog bezig")).to_be_visible()
    expect(petra.get_by_text("Jij koos")).to_have_count(0)
    sam.get_by_role("button", name="Ik ben klaar").click()
    expect(sam.get_by_text("Kees: nog bezig")).to_be_visible()

    close_early(staf, round_url)
    sam.reload()
    expect(sam.get_by_text("Jullie waren het bij 4 van de 5 kaarten eens.")).to_be_visible()
    expect(sam.get_by_text("Wie sorteerde: Petra, Sam")).to_be_visible()
    differ = sam.locator(f"#card-{keys[second]}")
    expect(differ).to_contain_text("Petra koos: Eten, Sam koos: Rust")
    expect(sam.locator(f"#card-{keys[first]}")).to_contain_text("Jullie kozen allebei: Rust")
    assert_accessible(sam, "rounds-04-compare")

    # Staff see Krippendorff's alpha too; the panel decides the card they differ on.
    staf.goto(round_url)
    expect(staf.get_by_text(re.compile("Krippendorffs alfa: 0,"))).to_be_visible()
    differ.get_by_role("checkbox", name="Eten", exact=True).check()
    differ.get_by_role("checkbox", name="Rust", exact=True).check()
    differ.get_by_role("button", name="Kies dit samen").click()
    expect(sam.get_by_text("Jullie keuze staat op het bord: Eten, Rust.")).to_be_visible()
    expect(sam.locator(f"#card-{keys[second]}")).to_contain_text("Samen gekozen: Eten, Rust.")
    sam.goto(f"/projects/{world.project_id}/themes")
    expect(card(sam, keys, second)).to_contain_text(re.compile(r"In:\s+Rust\s+Eten"))
