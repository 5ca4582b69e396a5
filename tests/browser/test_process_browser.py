"""Told when it changes, and the volunteers' appreciation, in Chromium at tablet size and by
keyboard: a panel member sees "Nieuw sinds uw laatste bezoek" on her start page, opens what
changed, and it is gone; she answers the appreciation question (a mistake first), and it is gone
from her start page too. Staff see the answer counted, without her name. axe-core on every page."""
from datetime import date

from playwright.sync_api import expect

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.followup.services import save_answer
from peerinterview.models import Project
from peerinterview.models.panel import Recommendation, Theme
from peerinterview.process.services import set_round
from tests.browser.helpers import assert_accessible
from tests.browser.test_followup_browser import log_in

NEW = "Nieuw sinds uw laatste bezoek"


def _an_answer_and_the_question_switched_on(app, project_id):
    with app.test_request_context():
        staff = find_user("staf")
        theme = Theme(project_id=project_id, name="Rust", created_by_id=staff.id)
        db.session.add(theme)
        db.session.flush()
        recommendation = Recommendation(theme_id=theme.id, text="Maak een stille kamer.", created_by_id=staff.id)
        db.session.add(recommendation)
        db.session.flush()
        save_answer(recommendation, verdict="accepted", organisation="Gemeente Utrecht", reasons="Rust is goed.",
                    answered_on=date(2026, 3, 1), version=0, by=staff)
        set_round(db.session.get(Project, project_id), open_=True, by=staff)
        db.session.commit()
        db.session.remove()


def _follow_the_news(petra):
    news = petra.get_by_role("region", name=NEW)
    expect(news).to_contain_text("De gemeente heeft geantwoord: Ja, dat gaan we doen")
    expect(news).to_contain_text("Maak een stille kamer.")
    assert_accessible(petra, "process-01-start-news")
    # By keyboard: to the link, Enter.
    news.get_by_role("link", name="De gemeente heeft geantwoord").focus()
    petra.keyboard.press("Enter")
    expect(petra.get_by_role("heading", level=1, name="Advies")).to_be_visible()
    petra.goto("/")
    expect(petra.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()
    expect(petra.get_by_text(NEW)).to_have_count(0)


def _answer_the_appreciation(petra):
    ask = petra.get_by_role("region", name="Wat vond je van het meedoen?")
    expect(ask).to_contain_text("Je naam staat er niet bij.")
    ask.get_by_role("link", name="Vragen beantwoorden").focus()
    petra.keyboard.press("Enter")
    expect(petra.get_by_role("heading", level=1, name="Wat vond je van het meedoen?")).to_be_visible()
    assert_accessible(petra, "process-02-appreciation")
    # A mistake first: no mark. The error summary says what to do, in B1.
    petra.get_by_role("button", name="Antwoord opslaan").focus()
    petra.keyboard.press("Enter")
    expect(petra.locator("[data-error-summary]")).to_contain_text("Kies een cijfer van 1 tot 10.")
    assert_accessible(petra, "process-03-appreciation-error")
    # The marks by keyboard: on the first one, then the arrow keys move along the group.
    petra.get_by_label("1", exact=True).focus()
    petra.keyboard.press("Space")
    for _step in range(7):
        petra.keyboard.press("ArrowRight")
    expect(petra.get_by_label("8", exact=True)).to_be_checked()
    petra.keyboard.press("Tab")
    petra.keyboard.type("Dat we samen praatten.")
    expect(petra.get_by_label("Wat vond je goed? (één zin)")).to_have_value("Dat we samen praatten.")
    petra.keyboard.press("Tab")
    expect(petra.get_by_role("button", name="Antwoord opslaan")).to_be_focused()
    petra.keyboard.press("Enter")
    expect(petra.get_by_text("Dank je wel! Je antwoord is opgeslagen.")).to_be_visible()
    expect(petra.get_by_role("region", name="Wat vond je van het meedoen?")).to_have_count(0)
    assert_accessible(petra, "process-04-start-after")


def test_a_panel_member_follows_what_is_new_and_gives_her_mark(app, world, new_page):
    _an_answer_and_the_question_switched_on(app, world.project_id)
    petra = new_page()
    log_in(petra, "petra")
    _follow_the_news(petra)
    _answer_the_appreciation(petra)
    staf = new_page()
    log_in(staf, "staf")
    staf.goto(f"/projects/{world.project_id}")
    section = staf.locator("section", has=staf.get_by_role("heading", name="Wie deed er mee?"))
    expect(section).to_contain_text("Gemiddeld cijfer: nog te weinig antwoorden.")
    expect(section).to_contain_text("Dat we samen praatten.")
    expect(section).not_to_contain_text("Petra")
    assert_accessible(staf, "process-05-project-page")
