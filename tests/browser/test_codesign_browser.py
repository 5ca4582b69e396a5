"""Co-design in Chromium at tablet size: two designers, each in their own browser
context, make a question together: propose, see the B1 advice change as they type, comment, vote,
adopt; a rewording, the facilitator's view, the history, delete with undo (htmx, in place) and a
rejected proposal. axe-core (target-size on) on every co-design page and state."""
import pytest
from playwright.sync_api import expect

from peerinterview.design.builder.services import add_question, questionnaire_of
from peerinterview.extensions import db
from peerinterview.projects.services import create_project
from tests.browser.helpers import assert_accessible
from tests.browser.test_thin_path import log_in
from tests.helpers import make_user_now

HARD = "Indien u gebruikmaakt van de dagbesteding, welke activiteiten prefereert u dan?"
EASY = "Wat doet u graag bij de dagbesteding?"
OLD = "Indien u klachten heeft over de gemeentelijke voorzieningen, welke zijn dat dan?"


@pytest.fixture
def fast_polling(app):
    """The proposal page asks for news every second (15 s in the app), so the test need not wait."""
    app.config["CODESIGN_POLL_SECONDS"] = 1
    yield
    app.config.pop("CODESIGN_POLL_SECONDS", None)


@pytest.mark.every_database  # two people (and their pages' polling) at once
def test_two_designers_co_design_a_question(app, new_page, fast_polling):
    with app.app_context():
        staff = make_user_now("bea", staff=True)
        project = create_project(by=staff, name="Dagbesteding De Linde", research_question="Wat vinden bezoekers?",
                                 consent_text="Meedoen mag.")
        make_user_now("dina", project=project, roles={"designer"}, by=staff)
        make_user_now("daan", project=project, roles={"designer"}, by=staff)
        draft = questionnaire_of(project).draft
        add_question(draft, kind="open", text=OLD, by=staff)
        add_question(draft, kind="yesno", text="Komt u hier graag?", by=staff)
        db.session.commit()
        project_id = project.id
        db.session.remove()
    base = f"/projects/{project_id}"
    dina, daan = new_page(), new_page()
    log_in(dina, "dina")
    log_in(daan, "daan")

    # Dina proposes a new question; the B1 advice changes as she types.
    dina.goto(f"{base}/proposals")
    expect(dina.get_by_role("heading", name="0 open voorstellen")).to_be_visible()
    assert_accessible(dina, "codesign-01-proposals-empty")
    dina.get_by_role("link", name="Iets voorstellen").click()
    expect(dina.get_by_role("heading", level=1, name="Iets voorstellen")).to_be_visible()
    assert_accessible(dina, "codesign-02-new-proposal")
    dina.get_by_label("Een nieuwe vraag").check()
    dina.get_by_label("Eén antwoord kiezen uit een lijst").check()
    advice = dina.locator("#text-advice")
    expect(advice).to_have_attribute("aria-live", "polite")
    dina.get_by_label("Uw voorstel voor de vraag").press_sequentially(HARD[:30])
    dina.get_by_label("Uw voorstel voor de vraag").fill(HARD)
    expect(advice).to_contain_text("Moeilijk woord uit brieven")
    expect(advice).to_contain_text("Indien")
    assert_accessible(dina, "codesign-03-advice-hard")
    dina.get_by_label("Uw voorstel voor de vraag").fill(EASY)
    expect(advice).to_contain_text("Taal: makkelijk")
    expect(advice).to_contain_text("Geen tips. Goed zo!")
    expect(advice).not_to_contain_text("Indien")
    dina.get_by_label("Antwoorden om uit te kiezen").fill("Koken\nWandelen\nKaarten")
    dina.get_by_label("Waarom stelt u dit voor?").fill("Dan weten we wat mensen missen.")
    dina.get_by_role("button", name="Voorstel plaatsen").click()
    expect(dina.get_by_role("heading", level=1, name="Voorstel: een nieuwe vraag")).to_be_visible()
    expect(dina.get_by_text("Uw voorstel staat erbij.")).to_be_visible()
    assert_accessible(dina, "codesign-04-proposal")
    new_proposal_url = dina.url

    # Daan, in his own browser, finds it, comments and votes for it.
    daan.goto(f"{base}/proposals")
    expect(daan.get_by_role("heading", name="1 open voorstel")).to_be_visible()
    daan.get_by_role("link", name=EASY).click()
    expect(daan.get_by_text("Dan weten we wat mensen missen.")).to_be_visible()
    daan.get_by_label("Uw reactie").fill("Goed! Zet 'Muziek' er ook bij?")
    daan.get_by_role("button", name="Reactie plaatsen").click()
    expect(daan.get_by_text("Uw reactie staat erbij.")).to_be_visible()
    daan.get_by_role("button", name="Ik ben voor").click()
    expect(daan.get_by_text("U stemde voor. U kunt uw stem nog veranderen.")).to_be_visible()
    expect(daan.get_by_role("button", name="Ik ben voor")).to_have_attribute("aria-pressed", "true")
    assert_accessible(daan, "codesign-05-commented-and-voted")

    # Dina, still on her proposal, sees his comment and vote come in without reloading; she
    # votes against, and changes her mind.
    expect(dina.get_by_text("Goed! Zet 'Muziek' er ook bij?")).to_be_visible()
    expect(dina.get_by_role("heading", name="1 reactie")).to_be_visible()
    assert dina.url == new_proposal_url
    expect(dina.locator(".vote-count")).to_have_text("1 stem voor · 0 stemmen tegen · 1 reactie")
    dina.get_by_role("button", name="Ik ben tegen").click()
    expect(dina.locator(".vote-count")).to_contain_text("1 stem voor · 1 stem tegen")
    dina.get_by_role("button", name="Ik ben voor").click()
    expect(dina.locator(".vote-count")).to_contain_text("2 stemmen voor · 0 stemmen tegen")

    # Daan proposes other words for an existing question, from the builder.
    daan.goto(f"{base}/questionnaire")
    daan.locator(".question-list > li").first.get_by_role("link", name="Andere woorden voorstellen").click()
    expect(daan.get_by_label("Andere woorden voor een vraag die er al is")).to_be_checked()
    field = daan.get_by_label("Uw voorstel voor de vraag")
    expect(field).to_have_value(OLD)
    expect(daan.locator("#text-advice")).to_contain_text("Schrijf 'Als' in plaats van 'Indien'.")
    assert_accessible(daan, "codesign-06-rewording")
    field.fill("Heeft u klachten? Welke?")
    expect(daan.locator("#text-advice")).to_contain_text("Geen tips. Goed zo!")
    daan.get_by_role("button", name="Voorstel plaatsen").click()
    expect(daan.get_by_role("heading", level=1, name="Voorstel: andere woorden")).to_be_visible()
    rewording_url = daan.url

    # The facilitator's view, both orders.
    dina.goto(f"{base}/questionnaire/discussion")
    items = dina.locator(".facilitator-list > li")
    expect(items.first).to_contain_text(EASY)  # most discussed: 1 comment and 2 votes
    assert_accessible(dina, "codesign-07-facilitator-discussion")
    dina.get_by_role("link", name="Moeilijkste taal eerst").click()
    expect(dina.get_by_role("link", name="Moeilijkste taal eerst")).to_have_attribute("aria-current", "page")
    expect(items.first).to_contain_text("Indien u klachten heeft")
    expect(items.first).to_contain_text("Open voorstel: Heeft u klachten? Welke?")
    assert_accessible(dina, "codesign-08-facilitator-b1")

    # Both are adopted into the draft: Daan takes Dina's new question, Dina Daan's words.
    daan.goto(new_proposal_url)
    daan.get_by_role("button", name="Overnemen in de vragenlijst").click()
    expect(daan.get_by_text("Het voorstel staat nu in de vragenlijst.")).to_be_visible()
    expect(daan.locator(".question-list > li").nth(2)).to_contain_text(EASY)
    expect(daan.locator(".question-list > li").nth(2)).to_contain_text("Kaarten")
    dina.goto(rewording_url)
    dina.get_by_role("button", name="Overnemen in de vragenlijst").click()
    expect(dina.locator(".question-list > li").first).to_contain_text("Heeft u klachten? Welke?")
    assert_accessible(dina, "codesign-09-builder-after-adopting")

    # The history of the reworded question says who changed what.
    dina.locator(".question-list > li").first.get_by_role("link", name="Geschiedenis").click()
    expect(dina.get_by_role("heading", level=1, name="Geschiedenis van een vraag")).to_be_visible()
    latest = dina.locator(".history-list > li").first
    expect(latest).to_contain_text("Voorstel overgenomen")
    expect(latest).to_contain_text("door Dina")
    expect(latest).to_contain_text(f"Eerst: {OLD}")
    expect(latest).to_contain_text("Nu: Heeft u klachten? Welke?")
    assert_accessible(dina, "codesign-10-history")

    # Delete with undo, in place (htmx): focus goes to the offer, undo puts it back.
    dina.goto(f"{base}/questionnaire")
    second = dina.locator(".question-list > li").nth(1)
    expect(second).to_contain_text("Komt u hier graag?")
    second.get_by_role("button", name="Verwijderen").click()
    undo = dina.locator("#ongedaan-maken")
    expect(undo).to_contain_text("Vraag verwijderd.")
    expect(undo).to_be_focused()
    expect(dina.get_by_role("heading", name="2 vragen")).to_be_visible()
    assert dina.url.endswith(f"{base}/questionnaire")  # no page load: the list was swapped
    assert_accessible(dina, "codesign-11-deleted-undo")
    undo.get_by_role("button", name="Ongedaan maken").click()
    expect(dina.locator("#teruggezet")).to_contain_text("De vraag staat er weer: Komt u hier graag?")
    expect(dina.locator("#teruggezet")).to_be_focused()
    expect(dina.locator(".question-list > li").nth(1)).to_contain_text("Komt u hier graag?")
    expect(dina.get_by_role("heading", name="3 vragen")).to_be_visible()
    assert_accessible(dina, "codesign-12-restored")

    # Deleted earlier and the page left: the builder still offers to put it back.
    dina.locator(".question-list > li").nth(1).get_by_role("button", name="Verwijderen").click()
    expect(dina.locator("#ongedaan-maken")).to_be_focused()
    dina.goto(f"{base}/questionnaire")
    expect(dina.get_by_role("heading", name="2 vragen")).to_be_visible()
    dina.get_by_text("1 verwijderde vraag terugzetten").click()
    assert_accessible(dina, "codesign-13-deleted-list")
    dina.locator(".deleted-questions").get_by_role("button", name="Terugzetten").click()
    expect(dina.locator("#teruggezet")).to_contain_text("De vraag staat er weer: Komt u hier graag?")
    expect(dina.get_by_role("heading", name="3 vragen")).to_be_visible()

    # A proposal that is turned down keeps its reason for everyone to read.
    daan.goto(f"{base}/proposals/new")
    daan.get_by_label("Een nieuwe vraag").check()
    daan.get_by_label("Open vraag").check()
    daan.get_by_label("Uw voorstel voor de vraag").fill("Wat is uw adres?")
    daan.get_by_role("button", name="Voorstel plaatsen").click()
    expect(daan.get_by_role("heading", level=1, name="Voorstel: een nieuwe vraag")).to_be_visible()
    daan.get_by_role("button", name="Voorstel afwijzen").click()
    expect(daan.get_by_role("alert")).to_contain_text("Schrijf op waarom u het afwijst.")
    assert_accessible(daan, "codesign-14-reject-error")
    daan.get_by_label("Waarom wijst u dit voorstel af?").fill("Een adres vragen we niet: dat is privé.")
    daan.get_by_role("button", name="Voorstel afwijzen").click()
    expect(daan.get_by_text("U heeft het voorstel afgewezen.")).to_be_visible()
    expect(daan.get_by_role("heading", name="1 voorstel afgewezen")).to_be_visible()
    expect(daan.get_by_text("Reden: Een adres vragen we niet: dat is privé.")).to_be_visible()
    expect(daan.get_by_role("heading", name="2 voorstellen overgenomen")).to_be_visible()
    assert_accessible(daan, "codesign-15-proposals-all")
