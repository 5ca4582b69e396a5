"""A spoken answer in Chromium with a fake microphone: recorded while the network is down,
encrypted before it is kept on the tablet (the banner counts it), the page reloaded offline, then
back online: the server holds exactly one recording, and it opens with the project's private key.
A recording the server refuses for good leaves the tablet and the banner says why. Staff then
listen (at another speed) and type what was said: it is the question's open answer."""
import json

import pytest
from playwright.sync_api import Error as PlaywrightError, expect
from sqlalchemy import select

from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of
from peerinterview.extensions import db
from peerinterview.interview.spoken import open_recording
from peerinterview.models import RECORDING_CONSENT_VERSION, Answer, Interview, SpokenChunk, SpokenRecording
from peerinterview.projects.services import add_location, create_project
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT, TABLET
from tests.browser.helpers import assert_accessible
from tests.browser.test_offline import (DUMP_STORAGE, WithoutOfflineNoise, log_in, wait_until_key_kept,
                                        wait_until_kept_offline)
from tests.builders import make_interview
from tests.helpers import make_user_now

FAKE_MICROPHONE = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture
def microphone_page(browser, live_server):
    """A tablet page in a Chromium of its own that has a fake microphone (a steady beep)."""
    own = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MICROPHONE,
                                      headless=True)
    context = own.new_context(viewport=TABLET, locale="nl-NL", base_url=live_server,
                              permissions=["microphone"])
    context.set_default_timeout(STEP_TIMEOUT)
    page = context.new_page()
    page.console_errors = WithoutOfflineNoise()
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()
    own.close()


def spoken_project(app):
    with app.app_context():
        staff = make_user_now("sanne", staff=True)
        project = create_project(by=staff, name="Onderzoek inloop", research_question="Wat vinden bezoekers?",
                                 consent_text="Meedoen is vrijwillig.")
        add_location(project, "De Haven", by=staff)
        make_user_now("iris", project=project, roles={"interviewer"}, by=staff)
        version = questionnaire_of(project).draft
        add_question(version, kind="open", text="Wat kan beter?", allow_spoken=True, by=staff)
        freeze_version(version, by=staff)
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id


def recordings(app, interview_id):
    with app.app_context():
        found = db.session.scalars(select(SpokenRecording).where(SpokenRecording.interview_id == interview_id)).all()
        result = [(r.completed_at is not None, r.mime, r.duration_ms,
                   open_recording(r, db.session.get(Interview, interview_id).project_id)
                   if r.completed_at else b"") for r in found]
        chunks = db.session.scalar(select(db.func.count()).select_from(SpokenChunk))
        db.session.remove()
    return result, chunks


def wait_for_a_complete_recording(app, interview_id, page):
    """Poll the database through the page (Playwright handles the page's events meanwhile)."""
    for _ in range(100):
        found, chunks = recordings(app, interview_id)
        if found and found[0][0]:
            break
        page.wait_for_timeout(100)
    return found, chunks


def kept_chunks(page):
    return [e for e in page.evaluate(DUMP_STORAGE)["idb"] if e.startswith("spoken:")]


def wait_until_no_chunk_waits(page):
    """Back online, the offline copy of the page reloads itself (the real page): read on."""
    for _ in range(100):
        try:
            if kept_chunks(page) == ["spoken:[]"]:
                return
        except PlaywrightError:
            pass
        page.wait_for_timeout(100)
    raise AssertionError(kept_chunks(page))


def record_offline(app, page, interview_id, spoken):
    """The network drops; the person answers by speaking; the tablet keeps it encrypted."""
    page.context.set_offline(True)
    page.get_by_role("button", name="Opnemen", exact=True).click()
    status = spoken.locator("[data-spoken-status]")
    expect(status).to_have_text("Opname loopt: 0:01")  # the clock runs
    assert_accessible(page, "spoken-answer-recording-tablet")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "spoken-answer-recording-phone")
    page.set_viewport_size(TABLET)
    page.get_by_role("button", name="Opname stoppen").click()
    expect(status).to_have_text("De opname staat veilig op de tablet. Nog niet verstuurd.")
    expect(spoken.locator("audio")).to_be_visible()  # played back from memory
    expect(page.locator("#offline-status")).to_contain_text("Opnames nog niet verstuurd: 1.")
    faster = spoken.get_by_role("button", name="Snelheid 1,5×")
    faster.click()
    expect(faster).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.getElementById('spoken-audio').playbackRate") == 1.5
    expect(page.get_by_role("button", name="Opnieuw opnemen")).to_be_visible()
    assert_accessible(page, "spoken-answer-recorded-tablet")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "spoken-answer-recorded-phone")
    page.set_viewport_size(TABLET)

    # Kept encrypted: only ciphertext and non-secret facts, no audio in the clear.
    dump = page.evaluate(DUMP_STORAGE)
    kept = [entry for entry in dump["idb"] if entry.startswith("spoken:")]
    assert kept and kept[0] != "spoken:[]"
    assert "webm" not in kept[0].replace("audio/webm", "")  # the container's own bytes never show
    assert recordings(app, interview_id) == ([], 0)


def test_record_offline_reload_and_send_once(app, microphone_page):
    page = microphone_page
    project_id = spoken_project(app)
    interview_id = make_interview(app, project_id, "iris")
    with app.app_context():
        db.session.get(Interview, interview_id).recording_consent_version = RECORDING_CONSENT_VERSION
        db.session.commit()
        db.session.remove()
    log_in(page)
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_kept_offline(page, interview_id)
    wait_until_key_kept(page)
    spoken = page.locator("#spoken")
    expect(spoken).to_be_visible()
    assert_accessible(page, "spoken-answer")

    record_offline(app, page, interview_id, spoken)

    # Reloaded while still offline: the recording still waits.
    page.reload()
    expect(spoken.locator("[data-spoken-status]")).to_have_text(
        "Er wacht een opname op internet. De tablet verstuurt hem vanzelf.")
    expect(page.locator("#offline-status")).to_contain_text("Opnames nog niet verstuurd: 1.")

    # Back online (the browser says so itself): sent, stored once, and it opens.
    page.context.set_offline(False)
    found, chunks = wait_for_a_complete_recording(app, interview_id, page)
    assert len(found) == 1 and found[0][0], found
    _complete, mime, duration_ms, audio = found[0]
    assert mime.startswith("audio/") and 900 <= duration_ms <= 180_000
    assert audio[:4] == b"\x1a\x45\xdf\xa3" or audio[4:8] == b"ftyp" or audio[:4] == b"OggS"
    # The tablet forgets the chunks once they were stored: the next page sends nothing again.
    wait_until_no_chunk_waits(page)
    page.goto(f"/interviews/{interview_id}/questions/1")
    expect(spoken).to_be_visible()
    expect(spoken.locator("[data-spoken-status]")).to_have_text("")
    assert recordings(app, interview_id)[1] == chunks
    kept = [e for e in page.evaluate(DUMP_STORAGE)["idb"] if e.startswith("spoken:")]
    assert kept == ["spoken:[]"]
    expect(page.locator("#offline-status")).not_to_contain_text("Opnames")

    assert not page.console_errors, page.console_errors

    refused_for_good(page, spoken)
    assert recordings(app, interview_id)[1] == chunks  # the first recording stays the answer
    assert [e for e in page.console_errors if "status of 413" not in e] == []
    page.console_errors.clear()  # the refusal's own 413 was expected

    staff_type_what_was_said(page, project_id, interview_id)
    with app.app_context():
        texts = db.session.scalars(select(Answer.text).where(Answer.interview_id == interview_id)).all()
        db.session.remove()
    assert texts == ["Meer koffie graag."]


def refused_for_good(page, spoken):
    """Record again; the server refuses it (too long): nothing of it stays on the tablet."""
    def refuse(route):
        route.fulfill(status=413, content_type="application/json",
                      body=json.dumps({"error": "too large", "refused": "too-large"}))
    page.route("**/recordings", refuse)
    page.get_by_role("button", name="Opnemen", exact=True).click()
    page.get_by_role("button", name="Opname stoppen").click()
    expect(page.locator("#offline-status")).to_contain_text(
        "Een opname is niet verstuurd. Hij was te lang. De tablet heeft hem gewist.")
    expect(spoken.locator("audio")).to_be_hidden()
    assert [e for e in page.evaluate(DUMP_STORAGE)["idb"] if e.startswith("spoken:")] == ["spoken:[]"]
    page.unroute("**/recordings")


def staff_type_what_was_said(page, project_id, interview_id):
    page.context.clear_cookies()
    log_in(page, "sanne")
    page.goto(f"/interviews/{interview_id}/answers")
    audio = page.locator("audio[id^='recording-']")
    expect(audio).to_be_visible()
    slower = page.get_by_role("button", name="Snelheid 0,75×")
    slower.click()
    assert page.evaluate("document.querySelector(\"audio[id^='recording-']\").playbackRate") == 0.75
    assert_accessible(page, "spoken-answer-staff")
    page.get_by_label("Typ wat de persoon zegt").fill("Meer koffie graag.")
    page.get_by_role("button", name="Tekst opslaan").click()
    expect(page.get_by_text("De uitgetypte tekst is opgeslagen.")).to_be_visible()
    expect(page.locator("dd").filter(has_text="Meer koffie graag.")).to_be_visible()
    # It is an open answer now: it waits in the staff check like any typed one.
    page.goto(f"/projects/{project_id}/herkenbare-details")
    expect(page.get_by_text("Meer koffie graag.")).to_be_visible()
