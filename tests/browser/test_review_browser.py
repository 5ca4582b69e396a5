"""The check of open answers in Chromium at tablet size, with axe on every page: staff release
every answer without details in one go (after a confirmation), remove the details from a flagged
answer and release it, and hold another back with a reason; the panel then reads only those."""
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.builders import make_completed
from tests.helpers import PASSWORD

CLEAN = ["Meer rust in de avond.", "Het eten is koud.", "Langer open in het weekend.", "De koffie is lekker."]
NAMED = "Mijn begeleider Jan de Vries belt me op 06-12345678."
HELD = "Ik ben de enige vrouw die daar slaapt."


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def test_staff_release_in_bulk_redact_one_release_it_and_hold_one_back(app, world, new_page):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q3": text} for text in CLEAN + [NAMED, HELD]],
                   released=False)
    page = new_page()
    log_in(page, "staf")
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("link", name="6 antwoorden wachten op controle.").click()
    expect(page.get_by_role("heading", level=1, name="Open antwoorden controleren")).to_be_visible()
    expect(page.locator(".review-count")).to_contain_text("6 antwoorden wachten op controle.")
    expect(page.locator("mark.identifying")).to_have_count(2)
    assert_accessible(page, "review-01-queue")

    # Everything without details, after seeing how many.
    page.get_by_role("link", name="Alles zonder herkenbare details vrijgeven (5)").click()
    expect(page.get_by_role("heading", level=1, name="Alles zonder herkenbare details vrijgeven")).to_be_visible()
    expect(page.get_by_text("U geeft 5 antwoorden vrij.")).to_be_visible()
    assert_accessible(page, "review-02-confirm")
    page.get_by_role("button", name="Ja, geef 5 antwoorden vrij").click()
    expect(page.get_by_text("5 antwoorden zijn vrijgegeven. Het panel kan ze nu lezen.")).to_be_visible()
    expect(page.locator(".review-count")).to_contain_text("1 antwoord wacht op controle.")

    # The flagged one: remove the details, then release it.
    page.get_by_role("link", name="Alleen met herkenbare details (1)").click()
    expect(page.get_by_role("link", name="Alleen met herkenbare details (1)")).to_have_attribute("aria-current", "true")
    item = page.locator(".review-item").filter(has_text="Jan de Vries")
    item.get_by_role("button", name="2 details weghalen").click()
    expect(page.get_by_text("De details zijn weggehaald uit dit antwoord.")).to_be_visible()
    item = page.locator(".review-item").filter(has_text="Mijn begeleider [naam] belt me op [telefoonnummer].")
    expect(item).to_be_visible()
    expect(page.get_by_role("link", name="Met en zonder herkenbare details (1)")).to_have_attribute("aria-current", "true")
    assert_accessible(page, "review-03-redacted")
    item.get_by_role("button", name="Vrijgeven").click()
    expect(page.get_by_text("Het antwoord is vrijgegeven. Het panel kan het nu lezen.")).to_be_visible()
    expect(page.locator(".review-count")).to_contain_text("0 antwoorden wachten op controle.")

    # One that the scanner did not flag but staff hold back: a reason is needed.
    page.get_by_role("link", name="Vrijgegeven (6)").click()
    expect(page.get_by_role("link", name="Vrijgegeven (6)")).to_have_attribute("aria-current", "true")
    item = page.locator(".review-item").filter(has_text=HELD)
    item.get_by_text("Toch niet vrijgeven").click()
    item.get_by_role("button", name="Niet vrijgeven").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Schrijf op waarom u dit antwoord niet vrijgeeft.")
    expect(page).to_have_title("Fout: Open antwoorden controleren – PeerInterview")
    assert_accessible(page, "review-04-hold-error")
    summary.get_by_role("link", name="Schrijf op waarom u dit antwoord niet vrijgeeft.").click()
    item = page.locator(".review-item").filter(has_text=HELD)
    reason = item.get_by_label("Waarom geeft u dit antwoord niet vrij?")
    expect(reason).to_be_focused()
    reason.fill("Te herkenbaar.")
    item.get_by_role("button", name="Niet vrijgeven").click()
    expect(page.get_by_text("Het antwoord is niet vrijgegeven. Het panel ziet het niet.")).to_be_visible()
    page.get_by_role("link", name="Niet vrijgegeven (1)").click()
    expect(page.get_by_role("link", name="Niet vrijgegeven (1)")).to_have_attribute("aria-current", "true")
    expect(page.get_by_text("Reden: Te herkenbaar.")).to_be_visible()
    assert_accessible(page, "review-05-held")

    panel = new_page()
    log_in(panel, "petra")
    panel.goto(f"/projects/{world.project_id}/themes")
    expect(panel.get_by_role("link", name="Alle kaarten (5)")).to_be_visible()
    expect(panel.get_by_text("Mijn begeleider [naam] belt me op [telefoonnummer].")).to_be_visible()
    expect(panel.get_by_text(HELD)).to_have_count(0)
    expect(panel.get_by_text("Jan de Vries")).to_have_count(0)
    assert_accessible(panel, "review-06-panel-board")
