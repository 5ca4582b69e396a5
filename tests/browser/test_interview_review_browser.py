"""The review before pooling in Chromium at tablet size, with axe on every page: staff mark one
interview "klopt iets niet", its interviewer reads the note, changes an answer with a reason and
answers; staff see the change, exclude another interview with a reason, the results say how
many interviews count, and the staff's list filters by review state."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.builders import make_completed
from tests.helpers import PASSWORD


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def _staff_mark_something_wrong(staff, interview_id):
    staff.goto(f"/interviews/{interview_id}/answers")
    expect(staff.get_by_role("heading", level=2, name="Nakijken")).to_be_visible()
    # A note is needed for "klopt iets niet": the error summary says so first.
    staff.get_by_label("Klopt iets niet. De interviewer kijkt het na.").check()
    staff.get_by_role("button", name="Opslaan").click()
    expect(staff.locator(".error-summary")).to_contain_text("Schrijf wat er niet klopt.")
    expect(staff).to_have_title(re.compile("^Fout: "))
    assert_accessible(staff, "interview-review-01-error")
    staff.get_by_label("Uitleg").fill("Bij vraag 1 staat 'Elke dag'. Klopt dat wel?")
    staff.get_by_role("button", name="Opslaan").click()
    expect(staff.get_by_text("Opgeslagen: Klopt iets niet.")).to_be_visible()


def _interviewer_corrects_and_answers(anna, world):
    """The note on her own interview, a changed answer with its reason, a reply."""
    anna.goto(f"/projects/{world.project_id}/interviews")
    row = anna.get_by_role("row").filter(has_text="Klopt iets niet")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="Antwoorden").click()
    expect(anna.locator("#review-note")).to_contain_text("Bij vraag 1 staat 'Elke dag'. Klopt dat wel?")
    assert_accessible(anna, "interview-review-02-interviewer")
    anna.get_by_role("link", name="Verander dit antwoord").first.click()
    expect(anna.get_by_role("heading", level=1, name="Antwoord veranderen")).to_be_visible()
    anna.get_by_label("Soms").check()
    anna.get_by_role("button", name="Antwoord veranderen").click()
    expect(anna.locator(".error-summary")).to_contain_text("Schrijf waarom je dit antwoord verandert.")
    assert_accessible(anna, "interview-review-03-change")
    anna.get_by_label("Waarom verander je dit antwoord?").fill("Ik had per ongeluk het verkeerde antwoord gekozen.")
    anna.get_by_role("button", name="Antwoord veranderen").click()
    expect(anna.get_by_text("Het antwoord is veranderd.")).to_be_visible()
    anna.get_by_label("Jouw antwoord").fill("Het moest 'Soms' zijn. Ik heb het veranderd.")
    anna.get_by_role("button", name="Antwoord sturen").click()
    expect(anna.get_by_text("Je antwoord is opgeslagen. De begeleider ziet het.")).to_be_visible()


def _staff_filter_the_list(staff, world):
    """The staff's interview list by review state: plain links with a count each."""
    staff.goto(f"/projects/{world.project_id}/interviews")
    staff.get_by_role("link", name="Niet meetellen (1)").click()
    expect(staff.get_by_role("link", name="Niet meetellen (1)")).to_have_attribute("aria-current", "true")
    expect(staff.locator("#all-interviews ~ table tbody tr")).to_have_count(1)
    expect(staff.get_by_role("link", name="Goedgekeurd (1)")).to_be_visible()
    expect(staff.get_by_role("link", name="Nog niet nagekeken (5)")).to_be_visible()
    assert_accessible(staff, "interview-review-07-list-filter")


def test_mark_answer_correct_exclude_and_the_results_say_how_many_count(app, world, new_page):
    ids = make_completed(app, world.project_id, "anna",
                         [{"q1": "1", "q2": "4", "q3": f"Meer rust, zegt persoon {n}."} for n in range(7)])
    staff = new_page()
    log_in(staff, "staf")
    _staff_mark_something_wrong(staff, ids[0])
    anna = new_page()
    log_in(anna, "anna")
    _interviewer_corrects_and_answers(anna, world)

    # Staff see the change (old, new, who, why) and the reply; they approve it.
    staff.reload()
    changes = staff.locator("table.answer-changes")
    expect(changes).to_contain_text("Elke dag")
    expect(changes).to_contain_text("Soms")
    expect(changes).to_contain_text("Ik had per ongeluk het verkeerde antwoord gekozen.")
    expect(staff.locator(".review-history")).to_contain_text("Het moest 'Soms' zijn. Ik heb het veranderd.")
    assert_accessible(staff, "interview-review-04-staff")
    staff.get_by_label("Goedgekeurd. Het interview telt mee.").check()
    staff.get_by_role("button", name="Opslaan").click()
    expect(staff.get_by_text("Opgeslagen: Goedgekeurd.")).to_be_visible()

    # Another interview does not count, with the reason.
    staff.goto(f"/interviews/{ids[1]}/answers")
    staff.get_by_label("Niet meetellen. De antwoorden tellen niet mee.").check()
    staff.get_by_label("Uitleg").fill("Dit interview is twee keer ingevoerd.")
    staff.get_by_role("button", name="Opslaan").click()
    expect(staff.get_by_text("Opgeslagen: Niet meetellen.")).to_be_visible()

    # The results say it, and the link shows staff why.
    staff.goto(f"/projects/{world.project_id}/results")
    expect(staff.locator("#counted-words")).to_contain_text("6 van de 7 interviews tellen mee.")
    expect(staff.get_by_text("Meer rust, zegt persoon 1.")).to_have_count(0)
    assert_accessible(staff, "interview-review-05-results")
    staff.get_by_role("link", name="Waarom tellen niet alle interviews mee?").click()
    section = staff.locator("#niet-meetellen")
    expect(section).to_contain_text("Dit interview is twee keer ingevoerd.")
    assert_accessible(staff, "interview-review-06-not-counted")
    _staff_filter_the_list(staff, world)
    # On a phone: the staff page with its history and the table of changes.
    staff.set_viewport_size({"width": 390, "height": 844})
    staff.goto(f"/interviews/{ids[0]}/answers")
    expect(staff.locator("table.answer-changes")).to_contain_text("Soms")
    assert_accessible(staff, "interview-review-08-phone")
    assert staff.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
