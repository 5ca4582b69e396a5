"""The public results page in Chromium: staff read the warning and the preview, choose the
public quote, must tick the warning, publish, open the QR poster; a visitor without a login
opens the link (no cookie, nothing from elsewhere, read-aloud shown; also without JavaScript);
staff take the link back and the visitor then gets the "does not work" page. axe-core and the
CSP watch on every page."""
from datetime import date
from urllib.parse import urlparse

from playwright.sync_api import expect

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.followup.services import add_agreement, add_milestone, save_answer, set_status
from peerinterview.models.panel import Recommendation
from tests.browser.helpers import assert_accessible
from tests.browser.test_followup_browser import log_in
from tests.test_followup import _theme_with_cards

QUOTE = "Ik wil een stille kamer."
SECRET = "Mijn buurman drinkt te veel."


def _answer_and_agreement(app, rec_id):
    """The municipality's answer and one agreement, halfway, with a milestone (entering them in
    the browser is test_followup_browser's part)."""
    with app.test_request_context():
        staff = find_user("staf")
        recommendation = db.session.get(Recommendation, rec_id)
        save_answer(recommendation, verdict="accepted", organisation="Gemeente Utrecht", reasons="Rust is goed.",
                    answered_on=date(2026, 3, 1), version=0, by=staff)
        agreement = add_agreement(recommendation, what="Een stille kamer in De Haven.", agreed_on=date(2026, 3, 15),
                                  organisation="Stichting De Haven", by=staff)
        set_status(agreement, status="halfway", progress=None, version=agreement.version, by=staff)
        add_milestone(agreement, happened_on=date(2026, 4, 15), text="De kamer is geverfd.", by=staff)
        db.session.commit()
        db.session.remove()


def _staff_publish(new_page, project_id):
    staf = new_page()
    log_in(staf, "staf")
    staf.goto(f"/projects/{project_id}/follow-up")
    staf.get_by_role("link", name="Openbare pagina voor iedereen").click()
    expect(staf.get_by_role("heading", level=1, name="Openbare pagina")).to_be_visible()
    expect(staf.locator("#public-warning")).to_contain_text("Iedereen met deze link kan dit zien.")
    expect(staf.locator("#preview")).to_contain_text("Maak een stille kamer.")
    expect(staf.locator("#preview")).not_to_contain_text(QUOTE)
    assert_accessible(staf, "public-01-settings")

    staf.get_by_label(QUOTE).check()
    staf.get_by_role("button", name="Keuze opslaan").click()
    expect(staf.locator("#preview")).to_contain_text(QUOTE)

    # Publishing without the tick: the error summary, and nothing is online.
    staf.get_by_role("button", name="Zet de pagina online").click()
    expect(staf.locator("[data-error-summary]")).to_contain_text("Zet een vinkje als je de waarschuwing gelezen hebt.")
    assert_accessible(staf, "public-02-warning-not-ticked")
    staf.get_by_label("Ik snap het. Iedereen met deze link kan deze pagina zien.").check()
    staf.get_by_role("button", name="Zet de pagina online").click()
    expect(staf.get_by_text("De pagina staat online. Deel de link of print de poster.")).to_be_visible()
    assert_accessible(staf, "public-03-online")
    url = staf.locator(".public-url a").get_attribute("href")

    staf.get_by_role("link", name="Poster met QR-code").click()
    expect(staf.locator(".poster-qr")).to_be_visible()
    expect(staf.locator(".poster")).to_contain_text("Scan de code met je telefoon")
    assert_accessible(staf, "public-04-poster")
    return staf, urlparse(url).path


def _visitor_reads(new_page, live_server, path):
    visitor = new_page()
    outside = []  # every request that does not go to this server
    visitor.on("request", lambda request: not request.url.startswith(live_server + "/") and outside.append(request.url))
    visitor.goto(path)
    expect(visitor.get_by_role("heading", level=1, name="Wat is er met onze adviezen gedaan?")).to_be_visible()
    main = visitor.locator("main")
    for text in ("Dit hebben we gehoord", "Maak een stille kamer.", "Ja, dat gaan we doen", "Half klaar",
                 "De kamer is geverfd.", QUOTE):
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text(SECRET)
    expect(visitor.get_by_role("button", name="Voorlezen")).to_be_visible()
    assert visitor.context.cookies() == []
    assert outside == []
    assert_accessible(visitor, "public-05-visitor")
    visitor.set_viewport_size({"width": 390, "height": 844})  # phone-first: on a phone too
    assert_accessible(visitor, "public-05b-visitor-phone")
    visitor.set_viewport_size({"width": 820, "height": 1180})

    without_js = new_page(java_script_enabled=False)
    without_js.goto(path)
    expect(without_js.locator("main")).to_contain_text(QUOTE)
    return visitor


def test_staff_publish_a_visitor_reads_and_after_revoking_the_link_does_not_work(app, world, new_page, live_server):
    rec = _theme_with_cards(app, world, [QUOTE, SECRET], approve=(QUOTE,))
    _answer_and_agreement(app, rec)
    staf_page, path = _staff_publish(new_page, world.project_id)
    visitor = _visitor_reads(new_page, live_server, path)

    staf_page.goto(f"/projects/{world.project_id}/public-page")
    expect(staf_page.locator("#link")).to_contain_text("De pagina is 2 keer bekeken.")
    staf_page.get_by_role("button", name="Link intrekken").click()
    expect(staf_page.get_by_text("De link werkt niet meer.", exact=False).first).to_be_visible()
    expect(staf_page.locator("#link")).to_contain_text("Er is nu geen link.")

    visitor.reload()
    expect(visitor.get_by_role("heading", level=1, name="Deze link werkt niet (meer).")).to_be_visible()
    expect(visitor.locator("main")).not_to_contain_text("Maak een stille kamer.")
    # The browser logs the page's own 404 status as an error: expected here, nothing else is.
    visitor.console_errors[:] = [e for e in visitor.console_errors if "status of 404" not in e]
    assert_accessible(visitor, "public-06-link-gone")
