"""The whole loop after the interviews, in one walk through Chromium, by the people who do it: the
panel writes a recommendation; the municipality's own account gives its answer; staff enter
the agreement and what happened; the panel member is told what is new and is reminded to look back, and does so; staff
put the results online; a visitor without a login opens the page through its QR code; the link
stops working when it expires and when staff take it back. Each step has its own, closer test
(test_followup_browser, test_public_page_browser, test_process_browser); this one checks that
they fit together."""
from datetime import timedelta
from urllib.parse import urlparse

from playwright.sync_api import expect
from sqlalchemy import select, update

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.followup.public_routes import qr_code
from peerinterview.localize import local_today
from peerinterview.models import Project, PublicLink
from peerinterview.models.panel import Recommendation
from tests.browser.helpers import assert_accessible
from tests.browser.test_followup_browser import log_in
from tests.helpers import PASSWORD, make_user_now
from tests.test_followup import _theme_with_cards

QUOTE = "Ik wil een stille kamer."
ADVICE = "Zet na tien uur de muziek uit."
AGREEMENT = "Na tien uur gaat de muziek in de huiskamer uit."
NEW = "Nieuw sinds uw laatste bezoek"


def _panel_writes_the_recommendation(new_page, app, project_id, theme_id):
    petra = new_page()
    log_in(petra, "petra")
    petra.goto(f"/projects/{project_id}/themes/{theme_id}/discuss")
    petra.get_by_label("Nieuwe aanbeveling").fill(ADVICE)
    petra.get_by_role("button", name="Aanbeveling toevoegen").click()
    expect(petra.locator("main")).to_contain_text(ADVICE)
    with app.app_context():
        rec_id = db.session.scalar(select(Recommendation.id).where(Recommendation.text == ADVICE))
        db.session.remove()
    return petra, rec_id


def _the_municipality_answers(app, new_page, project_id):
    """The municipality's own account: its start page lists the advice it still has to answer."""
    with app.app_context():
        make_user_now("gemma", project=db.session.get(Project, project_id), roles={"municipality"},
                      by=find_user("staf"))
        db.session.remove()
    gemma = new_page()
    gemma.goto("/login")
    gemma.get_by_label("Gebruikersnaam").fill("gemma")
    gemma.get_by_label("Wachtwoord").fill(PASSWORD)
    gemma.get_by_role("button", name="Inloggen").click()
    expect(gemma.get_by_role("heading", level=1, name="Adviezen van het panel")).to_be_visible()
    card = gemma.locator("li.card[id^=advies-]", has_text=ADVICE)
    expect(card).to_contain_text("Uw antwoord: nog niet gegeven.")
    card.get_by_role("link", name="Antwoord geven").click()
    gemma.get_by_label("Ja, dat gaan we doen").check()
    gemma.get_by_label("Wie gaf het antwoord?").fill("Gemeente Utrecht")
    gemma.get_by_label("Waarom? In hun eigen woorden").fill("Slapen is belangrijk.")
    gemma.get_by_role("button", name="Antwoord opslaan").click()
    expect(gemma.get_by_text("Het antwoord van de gemeente is opgeslagen.")).to_be_visible()
    gemma.goto("/")
    expect(gemma.locator("li.card[id^=advies-]", has_text=ADVICE)).to_contain_text("Uw antwoord: Ja, dat gaan we doen. Gegeven op")


def _staff_record_the_agreement(new_page, project_id, rec_id, today):
    staf = new_page()
    log_in(staf, "staf")
    staf.goto(f"/projects/{project_id}/follow-up/{rec_id}")
    # The history says who wrote the answer down: the municipality's own account.
    expect(staf.locator("#history")).to_contain_text("Door Gemma, op")
    staf.get_by_text("Nieuwe afspraak").click()
    staf.get_by_label("Wat gaan ze precies doen?").fill(AGREEMENT)
    staf.get_by_label("Welke organisatie doet het?").fill("Stichting De Haven")
    # The panel looks back today (normally half a year on: the form suggests that).
    staf.get_by_label("Wanneer kijken we samen of het gelukt is? (mag leeg blijven)").fill(today.isoformat())
    staf.get_by_role("button", name="Afspraak opslaan").click()
    expect(staf.get_by_role("heading", level=1, name="Afspraak")).to_be_visible()
    staf.get_by_label("Wanneer gebeurde het?").fill((today - timedelta(days=1)).isoformat())
    staf.get_by_role("textbox", name="Wat is er gebeurd?").fill("Het hangt op een bord bij de deur.")
    staf.get_by_role("button", name="Zet erbij").click()
    expect(staf.locator("#milestones")).to_contain_text("Het hangt op een bord bij de deur.")
    return staf


def _panel_is_told_and_looks_back(petra):
    petra.goto("/")
    news = petra.locator("main")
    expect(news).to_contain_text(NEW)
    expect(news).to_contain_text("De gemeente heeft geantwoord: Ja, dat gaan we doen")
    expect(news).to_contain_text("Het hangt op een bord bij de deur.")
    reminder = f"Tijd om samen terug te kijken: {AGREEMENT}"
    assert_accessible(petra, "loop-01-start-page")
    petra.get_by_role("link", name=reminder).click()
    expect(petra.get_by_role("heading", level=1, name="Is het gelukt?")).to_be_visible()
    petra.get_by_label("Goed", exact=True).check()
    petra.get_by_label("Wat is er veranderd voor cliënten?").fill("Mensen slapen beter.")
    petra.get_by_label("Hoeveel mensen van het panel deden mee?").fill("6")
    petra.get_by_role("button", name="Opslaan").click()
    expect(petra.locator("#evaluations")).to_contain_text("Mensen slapen beter.")
    # Opening the agreement made everything seen; looking back was the last thing to do.
    petra.goto("/")
    expect(petra.locator("main")).not_to_contain_text(NEW)
    expect(petra.get_by_text(reminder)).to_have_count(0)


def _staff_publish(staf, project_id):
    staf.goto(f"/projects/{project_id}/public-page")
    staf.get_by_label(QUOTE).check()
    staf.get_by_role("button", name="Keuze opslaan").click()
    expect(staf.get_by_text("Opgeslagen. Kijk hieronder wat iedereen ziet.")).to_be_visible()
    staf.get_by_label("Ik snap het. Iedereen met deze link kan deze pagina zien.").check()
    staf.get_by_role("button", name="Zet de pagina online").click()
    expect(staf.get_by_text("De pagina staat online. Deel de link of print de poster.")).to_be_visible()
    staf.get_by_role("link", name="Poster met QR-code").click()
    # The QR code on the poster is the code of the link printed under it.
    url = staf.locator(".poster-url").inner_text().strip()
    assert staf.locator(".poster-qr").get_attribute("src") == qr_code(url)
    return urlparse(url).path


def _visitor_reads(new_page, path):
    visitor = new_page()
    visitor.goto(path)
    main = visitor.locator("main")
    for text in (ADVICE, "Ja, dat gaan we doen", AGREEMENT, "Het hangt op een bord bij de deur.", QUOTE):
        expect(main).to_contain_text(text)
    assert visitor.context.cookies() == []
    assert_accessible(visitor, "loop-02-public-page")
    return visitor


def _link_does_not_work(visitor):
    visitor.reload()
    expect(visitor.get_by_role("heading", level=1, name="Deze link werkt niet (meer).")).to_be_visible()
    expect(visitor.locator("main")).not_to_contain_text(ADVICE)
    # The browser logs the page's own 404 status as an error: expected here, nothing else is.
    visitor.console_errors[:] = [e for e in visitor.console_errors if "status of 404" not in e]


def test_from_the_panels_recommendation_to_the_public_page_and_back_to_the_panel(app, world, new_page):
    _theme_with_cards(app, world, [QUOTE, "Het is te druk."], approve=(QUOTE,))
    with app.app_context(), app.test_request_context():
        theme_id = db.session.scalar(select(Recommendation.theme_id))
        today = local_today()
        db.session.remove()
    petra, rec_id = _panel_writes_the_recommendation(new_page, app, world.project_id, theme_id)
    _the_municipality_answers(app, new_page, world.project_id)
    staf = _staff_record_the_agreement(new_page, world.project_id, rec_id, today)
    _panel_is_told_and_looks_back(petra)

    path = _staff_publish(staf, world.project_id)
    visitor = _visitor_reads(new_page, path)
    # The last day of the link has passed: it no longer works.
    with app.app_context():
        db.session.execute(update(PublicLink).values(expires_on=today - timedelta(days=1)))
        db.session.commit()
        db.session.remove()
    _link_does_not_work(visitor)

    # A new link works; taken back, it does not.
    path = _staff_publish(staf, world.project_id)
    visitor.goto(path)
    expect(visitor.locator("main")).to_contain_text(ADVICE)
    staf.goto(f"/projects/{world.project_id}/public-page")
    staf.get_by_role("button", name="Link intrekken").click()
    expect(staf.locator("#link")).to_contain_text("Er is nu geen link.")
    _link_does_not_work(visitor)
