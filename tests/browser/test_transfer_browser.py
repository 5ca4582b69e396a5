"""Importing a questionnaire in Chromium at tablet size (versions): a starter list, a bad
file with its list of problems (nothing changes), a real XLSForm shown first and then stopped
(nothing changes), then our own XLSForm: preview, "Overnemen"; axe on every state."""
import json
from pathlib import Path

from playwright.sync_api import expect

from peerinterview.extensions import db
from peerinterview.projects.services import create_project
from tests.browser.helpers import assert_accessible
from tests.browser.test_thin_path import log_in
from tests.helpers import make_user_now


def test_designer_starts_from_a_starter_and_imports_files(app, page, tmp_path):
    with app.app_context():
        staff = make_user_now("bo", staff=True)
        project = create_project(by=staff, name="Wonen aan de Dijk", research_question="Hoe wonen bewoners?",
                                 consent_text="Meedoen mag.")
        make_user_now("daan", project=project, roles={"designer"}, by=staff)
        project_id = project.id
        db.session.remove()

    log_in(page, "daan")
    page.goto(f"/projects/{project_id}/questionnaire")
    page.get_by_role("link", name="Vragen ophalen of downloaden").click()
    expect(page.get_by_role("heading", name="Vragenlijst overzetten", level=1)).to_be_visible()
    assert_accessible(page, "transfer-01-empty")

    # A starter list into the empty draft.
    page.get_by_label("Beschermd wonen").check()
    page.get_by_role("button", name="Voorbeeldlijst gebruiken").click()
    expect(page.get_by_text("13 vragen staan nu in versie 1.")).to_be_visible()
    expect(page.locator(".question-text").filter(has_text="Hoe fijn vindt u het om hier te wonen?")).to_be_visible()

    # A bad file: a list of problems, focus on it, and the draft keeps its 13 questions.
    bad = tmp_path / "kapot.json"
    bad.write_text(json.dumps({"format": "peerinterview-questionnaire", "questions": [
        {"key": "q1", "kind": "slider", "text": "Hoe gaat het?"},
        {"key": "q1", "kind": "open", "text": ""},
    ]}), encoding="utf-8")
    page.get_by_role("link", name="Vragen ophalen of downloaden").click()
    reading = page.get_by_role("region", name="Een bestand inlezen")
    reading.get_by_label("Bestand", exact=True).set_input_files(str(bad))
    reading.get_by_label("Haal de vragen die er nu staan weg").check()
    page.get_by_role("button", name="Bestand inlezen").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Er is niets veranderd")
    expect(summary).to_contain_text("De soort vraag slider kennen we niet.")
    expect(summary).to_contain_text("De sleutel q1 staat ook bij vraag 1.")
    expect(summary).to_contain_text("De vraag heeft geen Nederlandse tekst.")
    expect(page.get_by_text("Daar staan nu 13 vragen.")).to_be_visible()
    assert page.title().startswith("Fout:")
    assert_accessible(page, "transfer-02-problems")

    stop_after_the_preview_of_a_real_form(page, reading)

    # Download the list as XLSForm, and read it back in: a preview, then the same 13 questions.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSForm (Excel) versie 1").click()
    sheet = tmp_path / "lijst.xlsx"
    download_info.value.save_as(str(sheet))
    reading.get_by_label("Bestand", exact=True).set_input_files(str(sheet))
    reading.get_by_label("Haal de vragen die er nu staan weg").check()
    page.get_by_role("button", name="Bestand inlezen").click()
    expect(page.get_by_role("heading", name="Dit nemen we over (13 vragen)")).to_be_visible()
    expect(page.get_by_role("heading", name="Dit laten we weg (0), en waarom")).to_be_visible()
    page.get_by_role("button", name="Overnemen").click()
    expect(page.get_by_text("13 vragen staan nu in versie 1.")).to_be_visible()
    assert_accessible(page, "transfer-04-imported")


def stop_after_the_preview_of_a_real_form(page, reading):
    """A real ODK form with texts without a language: the preview asks which language, lists
    what comes over and what is left out, on a tablet and on a phone; "Stoppen" changes nothing."""
    sample = Path(__file__).parents[1] / "data" / "xlsform-samples" / "tests_example_xls_or_other.xlsx"
    reading.get_by_label("Bestand", exact=True).set_input_files(str(sample))
    page.get_by_role("button", name="Bestand inlezen").click()
    expect(page.get_by_role("heading", name="Kijk eerst wat we overnemen", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Dit nemen we over (2 vragen)")).to_be_visible()
    expect(page.get_by_text("Het antwoord 'Anders' heeft nu een vak om uit te leggen wat.")).to_be_visible()
    expect(page.get_by_role("group", name="In welke taal zijn de teksten van dit formulier?")).to_be_visible()
    assert_accessible(page, "transfer-03-preview")
    page.set_viewport_size({"width": 390, "height": 844})  # and on a phone
    assert_accessible(page, "transfer-03-preview-phone")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.get_by_role("link", name="Stoppen, niets overnemen").click()
    expect(page.get_by_text("Daar staan nu 13 vragen.")).to_be_visible()

