"""Spoken answers over HTTP: the separate consent for recordings at the start, the upload of
encrypted chunks (limits, exactly once, access), and the erasure of recordings with the answers.

The chunks are made here in Python as the tablet makes them with WebCrypto (see test_sync.py's
envelope): AES-256-GCM with an ECDH-P256 (HKDF-SHA256) key, bound by the additional data
"recording|<interview>|<question>|<recording>|<index>|<total>|<duration ms>|<mime>"."""
import base64
import io
import json
import os
import re
import uuid
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.interview import spoken
from peerinterview.interview.services import stop_interview, withdraw_interview
from peerinterview.models import Answer, AuditEvent, Interview, Project, Question, SpokenChunk, SpokenRecording
from peerinterview.security.erasure import erase_respondent
from peerinterview.security.retention import erase_leftovers, leftovers, purge_project

from .builders import count_rows, hidden_value, html_of, location_of, plain_text
from .helpers import csrf_token
from .test_design import add, add_three, question_ids
from .test_design_builder import edit_data, edit_url
from .test_transfer import exported, transfer_url, upload, upload_xlsform

MIME = "audio/webm;codecs=opus"


def chunk(key, interview_id, question_id, recording_id, index, total, audio, *, duration_ms=4000, mime=MIME):
    """One encrypted chunk as the tablet sends it; `key` is the reply of /interview-key."""
    public = serialization.load_der_public_key(base64.b64decode(key["spki"]))
    fresh = ec.generate_private_key(ec.SECP256R1())
    aes_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"peerinterview answer v2").derive(fresh.exchange(ec.ECDH(), public))
    point = fresh.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    iv = os.urandom(12)
    aad = f"recording|{interview_id}|{question_id}|{recording_id}|{index}|{total}|{duration_ms}|{mime}".encode()
    return {"recording_id": recording_id, "question_id": question_id, "index": index, "total": total,
            "duration_ms": duration_ms, "mime": mime, "epk": base64.b64encode(point).decode(),
            "iv": base64.b64encode(iv).decode(),
            "ciphertext": base64.b64encode(AESGCM(aes_key).encrypt(iv, audio, aad)).decode()}


@pytest.fixture
def spoken_world(app, world):
    """The world's open question may be answered by speaking (the designer's switch)."""
    with app.app_context():
        db.session.get(Question, world.question_ids[2]).allow_spoken = True
        db.session.commit()
    return world


def start(client, post, world, *, recording: bool):
    page = client.get(f"/projects/{world.project_id}/interviews/new")
    assert page.status_code == 200
    interview_id = hidden_value(page, "interview_id")
    form = {"interview_id": interview_id, "respondent_code": hidden_value(page, "respondent_code"),
            "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
            "location_id": str(world.location_ids[0]), "consent": "y", "consent_data": "y", "language": "nl",
            "consent_method": "interviewer_tablet"}
    if recording:
        form["consent_recording"] = "y"
    response = post(f"/projects/{world.project_id}/interviews/new", form)
    assert response.status_code == 303, html_of(response)[:800]
    assert location_of(response) == f"/interviews/{interview_id}/questions/1"
    return interview_id


class Tablet:
    def __init__(self, client, project_id):
        self.client = client
        self.token = csrf_token(client, "/")
        self.key = client.get(f"/projects/{project_id}/interview-key").get_json()

    def send(self, interview_id, body):
        return self.client.post(f"/interviews/{interview_id}/recordings", json=body,
                                headers={"X-CSRFToken": self.token})

    def record(self, interview_id, question_id, pieces, recording_id=None, **kwargs):
        """Send every chunk of one recording; returns the last reply."""
        recording_id = recording_id or str(uuid.uuid4())
        reply = None
        for index, audio in enumerate(pieces):
            reply = self.send(interview_id, chunk(self.key, interview_id, question_id, recording_id, index,
                                                  len(pieces), audio, **kwargs))
            assert reply.status_code == 200, reply.get_data(as_text=True)
        return reply


@pytest.fixture
def consented(spoken_world, anna):
    """(tablet, interview id): anna's interview in which the person agreed to recordings."""
    client, post = anna
    interview_id = start(client, post, spoken_world, recording=True)
    return Tablet(client, spoken_world.project_id), interview_id


def stored_audio(app, interview_id):
    """Every complete recording of the interview, decrypted as staff would hear it."""
    with app.app_context():
        recordings = db.session.scalars(select(SpokenRecording).where(SpokenRecording.interview_id == interview_id)
                                        .order_by(SpokenRecording.id)).all()
        audio = [spoken.open_recording(r, db.session.get(Interview, interview_id).project_id) for r in recordings]
        db.session.remove()
    return audio


# --- the designer's switch ------------------------------------------------------------------

def _allow_spoken(app, question_id):
    with app.app_context():
        value = db.session.get(Question, question_id).allow_spoken
        db.session.remove()
    return value


@pytest.mark.parametrize("user", ["staf", "dirk"])
def test_the_designer_lets_an_open_question_be_spoken_and_only_an_open_one(app, draft_project, login_as, user):
    client, post = login_as(user)
    add_three(post, draft_project)
    single, _scale, open_question = question_ids(app, draft_project)
    assert 'name="allow_spoken"' in html_of(client.get(edit_url(draft_project, open_question)))
    assert 'name="allow_spoken"' not in html_of(client.get(edit_url(draft_project, single)))
    response = post(edit_url(draft_project, open_question), {"text": "Wat kan beter?", "allow_spoken": "y"})
    assert response.status_code == 303
    assert _allow_spoken(app, open_question) is True
    # Sent for a list question anyway (a forged form): not stored.
    response = post(edit_url(draft_project, single), edit_data(allow_spoken="y"))
    assert response.status_code == 303
    assert _allow_spoken(app, single) is False
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "question.update")
                                   .order_by(AuditEvent.id)).first()
        assert event.detail["changed"]["allow_spoken"] == [False, True]


def test_a_new_draft_keeps_the_switch(app, spoken_world):
    with app.app_context():
        project = db.session.get(Project, spoken_world.project_id)
        draft = new_draft(questionnaire_of(project), by=find_user("staf"))
        db.session.flush()
        assert [q.allow_spoken for q in draft.questions] == [False, False, True]
        db.session.rollback()


def test_the_panel_cannot_switch_it_on(app, draft_project, login_as):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    open_question = question_ids(app, draft_project)[2]
    _client, petra_post = login_as("petra")
    assert petra_post(edit_url(draft_project, open_question),
                      {"text": "Wat kan beter?", "allow_spoken": "y"}).status_code == 403
    assert _allow_spoken(app, open_question) is False


def test_the_add_question_form_has_the_switch_too(app, draft_project, login_as):
    client, post = login_as("dirk")
    page = html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    assert 'name="allow_spoken"' in page and 'data-kinds="open"' in page
    assert add(post, draft_project, kind="open", text="Wat kan beter?", allow_spoken="y").status_code == 303
    assert add(post, draft_project, kind="single", text="Hoe vaak komt u hier?", choices="Elke dag\nSoms",
               allow_spoken="y").status_code == 303  # a forged form: a list answer is never spoken
    assert add(post, draft_project, kind="open", text="Wat gaat goed?").status_code == 303
    open_question, single, typed_only = question_ids(app, draft_project)
    assert [_allow_spoken(app, q) for q in (open_question, single, typed_only)] == [True, False, False]


def _questions_spoken(app, project_id, number):
    with app.app_context():
        versions = questionnaire_of(db.session.get(Project, project_id)).versions
        result = [(q.kind, q.allow_spoken) for q in next(v for v in versions if v.number == number).questions]
        db.session.remove()
    return result


SPOKEN_THIRD = [("single", False), ("scale5", False), ("open", True)]


def test_the_switch_travels_with_the_json_file_and_the_copy(app, spoken_world, draft_project, login_as):
    client, post = login_as("dirk")
    document = json.loads(exported(client, spoken_world.project_id, 1))
    assert [q["allow_spoken"] for q in document["questions"]] == [False, False, True]
    assert upload(post, draft_project, json.dumps(document).encode(), "lijst.json").status_code == 303
    assert _questions_spoken(app, draft_project, 1) == SPOKEN_THIRD
    # A copy from another project of the same designer keeps it too.
    with app.app_context():
        version_id = questionnaire_of(db.session.get(Project, spoken_world.project_id)).versions[0].id
        db.session.remove()
    response = post(transfer_url(draft_project, "copy"), {"source": str(version_id), "copy_mode": "replace"})
    assert response.status_code == 303
    assert _questions_spoken(app, draft_project, 1) == SPOKEN_THIRD
    # An older file without the field, and a list question that claims it: typed only.
    for question in document["questions"]:
        question.pop("allow_spoken")
    assert upload(post, draft_project, json.dumps(document).encode(), "oud.json").status_code == 303
    assert [spoken for _kind, spoken in _questions_spoken(app, draft_project, 1)] == [False, False, False]
    document["questions"][0]["allow_spoken"] = True
    assert upload(post, draft_project, json.dumps(document).encode(), "lijst.json").status_code == 303
    assert _questions_spoken(app, draft_project, 1)[0] == ("single", False)
    document["questions"][2]["allow_spoken"] = "ja"
    response = upload(post, draft_project, json.dumps(document).encode(), "fout.json")
    assert response.status_code == 422 and "allow_spoken" in html_of(response)


def test_the_xlsform_leaves_the_switch_out_and_still_works(app, spoken_world, draft_project, login_as):
    client, post = login_as("dirk")
    sheet = exported(client, spoken_world.project_id, 1, "xlsx")
    assert upload_xlsform(post, draft_project, sheet, "lijst.xlsx").status_code == 303
    assert _questions_spoken(app, draft_project, 1) == [("single", False), ("scale5", False), ("open", False)]


# --- the consent -------------------------------------------------------------------------------

def test_no_recording_consent_is_asked_when_no_question_may_be_spoken(world, anna):
    client, _post = anna
    page = html_of(client.get(f"/projects/{world.project_id}/interviews/new"))
    assert 'name="consent_recording"' not in page


def test_the_start_asks_the_recording_consent_when_a_question_may_be_spoken(spoken_world, anna):
    client, _post = anna
    page = html_of(client.get(f"/projects/{spoken_world.project_id}/interviews/new"))
    assert 'name="consent_recording"' in page
    assert "De persoon vindt het goed dat we een antwoord opnemen." in page


def test_the_recording_consent_is_kept_with_its_version_and_logged(app, spoken_world, anna):
    client, post = anna
    with_consent = start(client, post, spoken_world, recording=True)
    without = start(client, post, spoken_world, recording=False)
    with app.app_context():
        assert db.session.get(Interview, with_consent).recording_consent_version == 1
        assert db.session.get(Interview, without).recording_consent_version is None
        events = {e.object_id: e.detail for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "interview.start"))}
        assert events[with_consent]["recording_consent_version"] == 1
        assert "recording_consent_version" not in events[without]


def test_a_recording_consent_sent_without_a_spoken_question_is_not_kept(app, world, anna):
    """A forged form field cannot give consent to something the questionnaire never asks."""
    client, post = anna
    interview_id = start(client, post, world, recording=True)
    with app.app_context():
        assert db.session.get(Interview, interview_id).recording_consent_version is None


def test_without_the_recording_consent_nothing_is_stored(app, spoken_world, anna):
    client, post = anna
    interview_id = start(client, post, spoken_world, recording=False)
    tablet = Tablet(client, spoken_world.project_id)
    body = chunk(tablet.key, interview_id, spoken_world.question_ids[2], str(uuid.uuid4()), 0, 1, b"audio")
    assert tablet.send(interview_id, body).status_code == 403
    assert count_rows(app, SpokenRecording) == 0


# --- the question screen ------------------------------------------------------------------------

def test_the_record_button_shows_only_after_the_consent_and_on_a_spoken_question(spoken_world, anna):
    client, post = anna
    with_consent = start(client, post, spoken_world, recording=True)
    without = start(client, post, spoken_world, recording=False)
    page = html_of(client.get(f"/interviews/{with_consent}/questions/3"))
    assert 'id="spoken"' in page and f'data-upload-url="/interviews/{with_consent}/recordings"' in page
    # The recorder is its own bundle, loaded by the offline code only on such a page.
    assert re.search(r'data-recorder-url="/static/build/spoken\.min\.js\?v=[0-9a-f]{12}"', page)
    assert "spoken.min.js\" defer" not in page and "<script src=\"/static/build/spoken" not in page
    assert 'id="spoken"' not in html_of(client.get(f"/interviews/{with_consent}/questions/1"))
    assert 'id="spoken"' not in html_of(client.get(f"/interviews/{without}/questions/3"))


def test_practice_has_no_record_button(spoken_world, anna):
    """Practice stores nothing, so it records nothing either, even with the consent ticked."""
    client, post = anna
    url = f"/projects/{spoken_world.project_id}/practice"
    page = client.get(url)
    response = post(url, {"interview_id": hidden_value(page, "interview_id"),
                          "respondent_code": hidden_value(page, "respondent_code"),
                          "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
                          "location_id": str(spoken_world.location_ids[0]), "consent": "y", "consent_data": "y",
                          "consent_recording": "y", "language": "nl", "consent_method": "interviewer_tablet"})
    assert response.status_code == 303
    screen = client.get(f"{url}/questions/3")
    assert screen.status_code == 200 and "Wat kan beter?" in html_of(screen)
    assert 'id="spoken"' not in html_of(screen)


# --- the upload ----------------------------------------------------------------------------------

def test_a_chunked_recording_is_stored_encrypted_and_opens_again(app, consented, spoken_world):
    tablet, interview_id = consented
    audio = [os.urandom(1000), os.urandom(1000), b"the end"]
    reply = tablet.record(interview_id, spoken_world.question_ids[2], audio)
    assert reply.get_json()["complete"] is True and reply.get_json()["received"] == 3
    assert stored_audio(app, interview_id) == [b"".join(audio)]
    with app.app_context():
        for stored in db.session.scalars(select(SpokenChunk)):
            assert b"the end" not in stored.ciphertext  # kept as received: encrypted
        assert db.session.scalar(select(SpokenRecording)).completed_at is not None
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.recording_stored")).all()
        assert len(events) == 1


def test_a_retried_chunk_and_a_double_send_store_one_recording(app, consented, spoken_world):
    tablet, interview_id = consented
    question_id, recording_id = spoken_world.question_ids[2], str(uuid.uuid4())
    first = chunk(tablet.key, interview_id, question_id, recording_id, 0, 2, b"one ")
    assert tablet.send(interview_id, first).get_json()["received"] == 1
    assert tablet.send(interview_id, first).get_json()["received"] == 1  # the reply was lost: sent again
    # The tablet encrypts again after a reload: another envelope of the same chunk changes nothing.
    again = chunk(tablet.key, interview_id, question_id, recording_id, 0, 2, b"one ")
    assert tablet.send(interview_id, again).get_json()["received"] == 1
    tablet.record(interview_id, question_id, [b"one ", b"two"], recording_id=recording_id)
    tablet.record(interview_id, question_id, [b"one ", b"two"], recording_id=recording_id)
    assert count_rows(app, SpokenRecording) == 1
    assert count_rows(app, SpokenChunk) == 2
    assert stored_audio(app, interview_id) == [b"one two"]
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "interview.recording_stored")) == 1


def test_record_again_keeps_only_the_newest_complete_recording(app, consented, spoken_world):
    tablet, interview_id = consented
    question_id = spoken_world.question_ids[2]
    tablet.record(interview_id, question_id, [b"first try"])
    # The second one is still on its way: the first one stays until it is complete.
    second = str(uuid.uuid4())
    tablet.send(interview_id, chunk(tablet.key, interview_id, question_id, second, 0, 2, b"second "))
    assert count_rows(app, SpokenRecording) == 2
    tablet.record(interview_id, question_id, [b"second ", b"try"], recording_id=second)
    assert stored_audio(app, interview_id) == [b"second try"]


def test_a_recording_id_cannot_be_reused_for_another_recording(app, consented, spoken_world):
    tablet, interview_id = consented
    question_id, recording_id = spoken_world.question_ids[2], str(uuid.uuid4())
    tablet.send(interview_id, chunk(tablet.key, interview_id, question_id, recording_id, 0, 2, b"a"))
    other = chunk(tablet.key, interview_id, question_id, recording_id, 1, 3, b"b")
    assert tablet.send(interview_id, other).status_code == 409
    assert count_rows(app, SpokenChunk) == 1


def test_limits_of_time_and_size(app, consented, spoken_world):
    tablet, interview_id = consented
    question_id = spoken_world.question_ids[2]
    too_long = chunk(tablet.key, interview_id, question_id, str(uuid.uuid4()), 0, 1, b"a",
                     duration_ms=spoken.MAX_DURATION_MS + 1)
    assert tablet.send(interview_id, too_long).status_code == 400
    too_big = chunk(tablet.key, interview_id, question_id, str(uuid.uuid4()), 0, 1,
                    b"x" * (spoken.MAX_CHUNK_BYTES + 1))
    assert tablet.send(interview_id, too_big).status_code == 413
    too_many = chunk(tablet.key, interview_id, question_id, str(uuid.uuid4()), 0, spoken.MAX_CHUNKS + 1, b"a")
    assert tablet.send(interview_id, too_many).status_code == 400
    # Exactly at the limits: taken.
    at_limit = chunk(tablet.key, interview_id, question_id, str(uuid.uuid4()), 0, 1,
                     b"x" * spoken.MAX_CHUNK_BYTES, duration_ms=spoken.MAX_DURATION_MS)
    assert tablet.send(interview_id, at_limit).status_code == 200
    assert count_rows(app, SpokenChunk) == 1


def _tampered(tablet, interview_id, world):
    question_id = world.question_ids[2]
    good = chunk(tablet.key, interview_id, question_id, str(uuid.uuid4()), 0, 2, b"audio")
    yield {**good, "index": 1}  # moved to another place in the recording
    yield {**good, "duration_ms": 9000}  # a longer recording claimed
    yield {**good, "mime": "audio/ogg"}
    yield {**good, "question_id": world.question_ids[0]}  # a question that is not spoken
    yield {**good, "ciphertext": base64.b64encode(b"\0" * 40).decode()}
    yield {**good, "iv": base64.b64encode(b"short").decode()}
    yield {**good, "mime": "text/html"}
    yield {**good, "recording_id": ""}
    yield {**good, "index": "0"}
    yield {k: v for k, v in good.items() if k != "epk"}
    yield [good]  # not an object


def test_tampered_or_malformed_chunks_are_refused_and_nothing_is_stored(app, consented, spoken_world):
    tablet, interview_id = consented
    for body in _tampered(tablet, interview_id, spoken_world):
        assert tablet.send(interview_id, body).status_code == 400, body
    assert count_rows(app, SpokenRecording) == 0


def test_a_chunk_of_another_interview_does_not_open_here(app, consented, spoken_world, anna):
    tablet, interview_id = consented
    client, post = anna
    other = start(client, post, spoken_world, recording=True)
    body = chunk(tablet.key, other, spoken_world.question_ids[2], str(uuid.uuid4()), 0, 1, b"audio")
    assert tablet.send(interview_id, body).status_code == 400
    assert count_rows(app, SpokenRecording) == 0


@pytest.mark.parametrize("username", ["bram", "petra", "dirk", "staf", "andere-staf"])
def test_nobody_else_can_upload_into_the_interview(app, consented, spoken_world, login_as, username):
    tablet, interview_id = consented
    client, _post = login_as(username)
    body = chunk(tablet.key, interview_id, spoken_world.question_ids[2], str(uuid.uuid4()), 0, 1, b"audio")
    response = client.post(f"/interviews/{interview_id}/recordings", json=body,
                           headers={"X-CSRFToken": csrf_token(client, "/")})
    assert response.status_code == 403
    assert count_rows(app, SpokenRecording) == 0


def test_upload_needs_a_login_and_the_csrf_token(app, consented, spoken_world, client):
    tablet, interview_id = consented
    body = chunk(tablet.key, interview_id, spoken_world.question_ids[2], str(uuid.uuid4()), 0, 1, b"audio")
    assert tablet.client.post(f"/interviews/{interview_id}/recordings", json=body).status_code == 400
    response = client.post(f"/interviews/{interview_id}/recordings", json=body)
    assert response.status_code in (302, 400, 401)
    assert count_rows(app, SpokenRecording) == 0


def test_a_withdrawn_interview_takes_no_recording(app, consented, spoken_world):
    tablet, interview_id = consented
    with app.app_context():
        withdraw_interview(db.session.get(Interview, interview_id), by=find_user("staf"))
        db.session.commit()
    body = chunk(tablet.key, interview_id, spoken_world.question_ids[2], str(uuid.uuid4()), 0, 1, b"audio")
    assert tablet.send(interview_id, body).status_code == 410
    assert count_rows(app, SpokenRecording) == 0


# --- erasure -------------------------------------------------------------------------------------

def _one_recording(app, consented, world):
    tablet, interview_id = consented
    tablet.record(interview_id, world.question_ids[2], [b"one ", b"two"])
    assert count_rows(app, SpokenRecording) == 1 and count_rows(app, SpokenChunk) == 2
    return interview_id


def test_withdrawal_erases_the_recordings(app, consented, spoken_world):
    interview_id = _one_recording(app, consented, spoken_world)
    with app.app_context():
        withdraw_interview(db.session.get(Interview, interview_id), by=find_user("staf"))
        db.session.commit()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interview.withdraw"))
        assert event.detail["recordings_erased"] == 1
    assert count_rows(app, SpokenRecording) == 0 and count_rows(app, SpokenChunk) == 0


def test_a_stop_that_erases_the_answers_erases_the_recordings(app, consented, spoken_world):
    interview_id = _one_recording(app, consented, spoken_world)
    with app.app_context():
        assert stop_interview(db.session.get(Interview, interview_id), by=find_user("anna"),
                              reason="wants_to_stop", keep_answers=False)
        db.session.commit()
    assert count_rows(app, SpokenRecording) == 0 and count_rows(app, SpokenChunk) == 0


def test_erasure_by_respondent_code_erases_the_recordings(app, consented, spoken_world):
    interview_id = _one_recording(app, consented, spoken_world)
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        project, code = interview.project, interview.respondent_code
        erase_respondent(project, code, by=find_user("staf"))
        db.session.commit()
    assert count_rows(app, SpokenRecording) == 0 and count_rows(app, SpokenChunk) == 0


def test_the_retention_run_erases_the_recordings(app, consented, spoken_world):
    _one_recording(app, consented, spoken_world)
    with app.app_context():
        project = db.session.get(Project, spoken_world.project_id)
        assert leftovers(project)["recordings"] == 1
        project.retention_date = date.today()
        purge_project(project, special_labels={}, no_answer_label="-", open_label="open", not_asked_label="-")
        db.session.commit()
        assert "recordings" not in leftovers(db.session.get(Project, spoken_world.project_id))
        assert erase_leftovers(db.session.get(Project, spoken_world.project_id)) == {}
    assert count_rows(app, SpokenRecording) == 0 and count_rows(app, SpokenChunk) == 0


# --- listening -----------------------------------------------------------------------------------

def test_the_interviewer_and_staff_hear_the_recording_and_it_is_logged(app, consented, spoken_world, login_as):
    tablet, interview_id = consented
    tablet.record(interview_id, spoken_world.question_ids[2], [b"\x1a\x45\xdf\xa3 one ", b"two"])
    with app.app_context():
        recording_id = db.session.scalar(select(SpokenRecording.id))
    url = f"/interviews/{interview_id}/recordings/{recording_id}/audio"
    staff, _post = login_as("staf")
    page = html_of(staff.get(f"/interviews/{interview_id}/answers"))
    assert f'src="{url}"' in page
    for client in (tablet.client, staff):
        response = client.get(url)
        assert response.status_code == 200
        assert response.data == b"\x1a\x45\xdf\xa3 one two"
        assert response.headers["Content-Type"] == MIME and response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.recording_listen")).all()
        assert len(events) == 2 and "one" not in str(events[0].detail)


@pytest.mark.parametrize("username", ["bram", "petra", "dirk", "andere-staf"])
def test_nobody_else_hears_it(app, consented, spoken_world, login_as, username):
    tablet, interview_id = consented
    tablet.record(interview_id, spoken_world.question_ids[2], [b"audio"])
    with app.app_context():
        recording_id = db.session.scalar(select(SpokenRecording.id))
    client, _post = login_as(username)
    assert client.get(f"/interviews/{interview_id}/recordings/{recording_id}/audio").status_code == 403


def test_an_unfinished_or_foreign_recording_is_not_found(app, consented, spoken_world, anna):
    tablet, interview_id = consented
    client, post = anna
    other = start(client, post, spoken_world, recording=True)
    tablet.send(interview_id, chunk(tablet.key, interview_id, spoken_world.question_ids[2], "half", 0, 2, b"a"))
    tablet.record(other, spoken_world.question_ids[2], [b"audio"])
    with app.app_context():
        half = db.session.scalar(select(SpokenRecording.id).where(SpokenRecording.client_id == "half"))
        foreign = db.session.scalar(select(SpokenRecording.id).where(SpokenRecording.interview_id == other))
    assert client.get(f"/interviews/{interview_id}/recordings/{half}/audio").status_code == 404
    assert client.get(f"/interviews/{interview_id}/recordings/{foreign}/audio").status_code == 404


# --- the transcript ------------------------------------------------------------------------------

def _recorded(app, consented, world):
    tablet, interview_id = consented
    tablet.record(interview_id, world.question_ids[2], [b"audio"])
    with app.app_context():
        recording_id = db.session.scalar(select(SpokenRecording.id))
    return interview_id, f"/interviews/{interview_id}/recordings/{recording_id}/transcript"


def test_staff_type_the_transcript_and_it_waits_for_the_check(app, consented, spoken_world, login_as):
    interview_id, url = _recorded(app, consented, spoken_world)
    staff, post = login_as("staf")
    assert f'action="{url}"' in html_of(staff.get(f"/interviews/{interview_id}/answers"))
    response = post(url, {"text": "  De koffie is te slap.  "})
    assert response.status_code == 303 and location_of(response) == f"/interviews/{interview_id}/answers"
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.interview_id == interview_id,
                                                        Answer.question_id == spoken_world.question_ids[2]))
        assert (answer.text, answer.review) == ("De koffie is te slap.", "pending")  # the open-answer gate
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interview.transcript"))
        assert "koffie" not in str(event.detail)
    assert "De koffie is te slap." in html_of(staff.get(f"/interviews/{interview_id}/answers"))


def test_a_text_typed_later_on_the_tablet_stays(app, consented, spoken_world, login_as):
    interview_id, url = _recorded(app, consented, spoken_world)
    tablet, _interview = consented
    anna_post = tablet.client.post
    response = anna_post(f"/interviews/{interview_id}/questions/3",
                         data={"csrf_token": tablet.token, "text": "Getypt na de opname", "action": "next"})
    assert response.status_code == 303
    _staff, post = login_as("staf")
    # Not stored, and not lost either: 409, the typed transcript still in its box, with the reason.
    refused = post(url, {"text": "Uit de opname"})
    assert refused.status_code == 409
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*Uit de opname</textarea>', html_of(refused))
    assert "Er staat al een nieuwer antwoord" in plain_text(refused)
    with app.app_context():
        texts = db.session.scalars(select(Answer.text).where(Answer.interview_id == interview_id)).all()
    assert "Getypt na de opname" in texts and "Uit de opname" not in texts


def test_an_empty_transcript_is_422_with_the_error_summary(app, consented, spoken_world, login_as):
    interview_id, url = _recorded(app, consented, spoken_world)
    _staff, post = login_as("staf")
    response = post(url, {"text": "   "})
    assert response.status_code == 422
    assert "Typ eerst wat de persoon zegt." in html_of(response) and "error-summary" in html_of(response)
    assert count_rows(app, Answer, Answer.interview_id == interview_id, Answer.text.is_not(None)) == 0


@pytest.mark.parametrize("username", ["anna", "bram", "petra", "andere-staf"])
def test_only_project_staff_type_a_transcript(app, consented, spoken_world, login_as, username):
    interview_id, url = _recorded(app, consented, spoken_world)
    _client, post = login_as(username)
    assert post(url, {"text": "Iets"}).status_code == 403
    assert count_rows(app, Answer, Answer.interview_id == interview_id, Answer.text.is_not(None)) == 0


def test_a_recording_that_arrived_after_the_finish_is_transcribed_too(app, consented, spoken_world, login_as):
    """The tablet was offline at the end: the recording came in an hour after the finish."""
    interview_id, url = _recorded(app, consented, spoken_world)
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        interview.status = "completed"
        interview.completed_at = db.session.scalar(select(SpokenRecording.created_at)) - timedelta(hours=1)
        db.session.commit()
    _staff, post = login_as("staf")
    assert post(url, {"text": "Later uitgetypt"}).status_code == 303
    with app.app_context():
        assert "Later uitgetypt" in db.session.scalars(select(Answer.text).where(Answer.interview_id == interview_id)).all()


# --- the panel -----------------------------------------------------------------------------------

def _complete(app, interview_id):
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        interview.status = "completed"
        interview.completed_at = interview.started_at + timedelta(minutes=20)
        db.session.commit()


UNTYPED = "1 ingesproken antwoord is nog niet uitgetypt."


def test_the_panel_reads_that_a_recording_is_not_typed_out_yet_and_never_hears_it(app, consented, spoken_world,
                                                                                    login_as):
    """The panel reads what staff released and hears nothing: a voice cannot be redacted."""
    interview_id, transcript_url = _recorded(app, consented, spoken_world)
    audio_url = transcript_url.replace("/transcript", "/audio")
    petra, _post = login_as("petra")
    pages = [f"/projects/{spoken_world.project_id}/themes", f"/projects/{spoken_world.project_id}/results"]
    for url in pages:  # an interview in progress is not the panel's yet
        assert UNTYPED not in html_of(petra.get(url))
    _complete(app, interview_id)
    for url in pages:
        page = html_of(petra.get(url))
        assert UNTYPED in page and "/recordings/" not in page and "<audio" not in page
    assert petra.get(audio_url).status_code == 403
    _staff, staff_post = login_as("staf")
    assert staff_post(transcript_url, {"text": "De koffie is te slap."}).status_code == 303
    with app.app_context():  # staff released the typed text in the open-answer check
        db.session.execute(Answer.__table__.update().where(Answer.interview_id == interview_id)
                           .values(review="released"))
        db.session.commit()
    for url in pages:
        assert "nog niet uitgetypt" not in html_of(petra.get(url))
    assert petra.get(audio_url).status_code == 403  # released text, still no voice
    assert staff_post(transcript_url.replace("/transcript", "/audio"), {}).status_code in (403, 405)


def test_every_player_has_speed_buttons(app, consented, spoken_world, login_as):
    interview_id, transcript_url = _recorded(app, consented, spoken_world)
    recording_id = transcript_url.split("/")[-2]
    staff, _post = login_as("staf")
    page = html_of(staff.get(f"/interviews/{interview_id}/answers"))
    assert f'id="recording-{recording_id}"' in page and f'data-speed-for="recording-{recording_id}"' in page
    for speed in ("0.75", "1", "1.25", "1.5"):
        assert f'data-speed="{speed}"' in page
    tablet, _interview = consented
    question = html_of(tablet.client.get(f"/interviews/{interview_id}/questions/3"))
    assert 'data-speed-for="spoken-audio"' in question and 'id="spoken-audio"' in question


# --- a refusal for good ----------------------------------------------------------------------------

def _refusal(response):
    assert response.headers["Content-Type"].startswith("application/json"), response.get_data(as_text=True)[:200]
    return response.status_code, response.get_json()["refused"]


def test_a_refusal_for_good_says_why_so_the_tablet_drops_the_whole_recording(app, consented, spoken_world, anna):
    """The tablet drops a recording (and stops sending its later chunks) only on a reply that
    names a reason (static/js/offline/spoken.js); each refusal here would come again if sent again."""
    tablet, interview_id = consented
    question_id = spoken_world.question_ids[2]
    send = lambda index=0, total=1, audio=b"a", recording=None, question=question_id, **kw: tablet.send(  # noqa: E731
        interview_id, chunk(tablet.key, interview_id, question, recording or str(uuid.uuid4()), index, total, audio,
                            **kw))
    assert _refusal(send(duration_ms=spoken.MAX_DURATION_MS + 1)) == (400, "too-large")
    assert _refusal(send(total=spoken.MAX_CHUNKS + 1)) == (400, "too-large")
    assert _refusal(send(audio=b"x" * (spoken.MAX_CHUNK_BYTES + 1))) == (413, "too-large")
    assert _refusal(send(question=spoken_world.question_ids[0])) == (400, "not-speakable")
    same = str(uuid.uuid4())
    assert send(0, 2, recording=same).status_code == 200
    assert _refusal(send(1, 3, recording=same)) == (409, "conflict")
    body = chunk(tablet.key, interview_id, question_id, str(uuid.uuid4()), 0, 1, b"a")
    assert _refusal(tablet.send(interview_id, {**body, "ciphertext": base64.b64encode(b"\0" * 40).decode()})) \
        == (400, "malformed")
    client, post = anna
    no_consent = start(client, post, spoken_world, recording=False)
    body = chunk(tablet.key, no_consent, question_id, str(uuid.uuid4()), 0, 1, b"a")
    assert _refusal(tablet.send(no_consent, body)) == (403, "no-consent")
    assert count_rows(app, SpokenChunk) == 1  # only the first chunk of `same`


def test_a_lost_login_or_access_is_no_refusal_for_good(app, consented, spoken_world, login_as):
    """Another person logged in on the tablet, or an old CSRF token: the recording stays waiting."""
    tablet, interview_id = consented
    body = chunk(tablet.key, interview_id, spoken_world.question_ids[2], str(uuid.uuid4()), 0, 1, b"audio")
    stale = tablet.client.post(f"/interviews/{interview_id}/recordings", json=body,
                               headers={"X-CSRFToken": "old"})
    assert stale.status_code == 400 and not stale.headers["Content-Type"].startswith("application/json")
    bram, _post = login_as("bram")
    other = bram.post(f"/interviews/{interview_id}/recordings", json=body, headers={"X-CSRFToken": csrf_token(bram, "/")})
    assert other.status_code == 403 and "refused" not in (other.get_json(silent=True) or {})


# --- the demo ------------------------------------------------------------------------------------

def test_the_demo_has_one_spoken_answer_with_its_transcript_that_staff_can_hear(app):
    from peerinterview.demo import DEMO_PASSWORD, DEMO_PROJECT, SPOKEN_QUESTION
    from peerinterview.interview.spoken_demo import tone

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        project_id = db.session.scalar(select(Project.id).where(Project.name == DEMO_PROJECT))
        spoken_questions = db.session.scalars(select(Question.text).join(Question.version).where(
            Question.allow_spoken.is_(True))).all()
        recording = db.session.scalar(select(SpokenRecording))
        interview = db.session.get(Interview, recording.interview_id)
        transcript = db.session.scalar(select(Answer.text).where(Answer.interview_id == interview.id,
                                                                 Answer.question_id == recording.question_id))
        url = f"/interviews/{interview.id}/recordings/{recording.id}/audio"
        facts = (count_rows(app, SpokenRecording), interview.project_id, interview.recording_consent_version,
                 recording.mime, recording.completed_at is not None)
        db.session.remove()
    assert spoken_questions == [SPOKEN_QUESTION]
    assert facts == (1, project_id, 1, "audio/ogg;codecs=flac", True)
    assert transcript  # the text staff typed from it
    staff = app.test_client()
    staff.post("/login", data={"csrf_token": csrf_token(staff, "/login"), "username": "demo-staf",
                               "password": DEMO_PASSWORD})
    page = html_of(staff.get(f"/interviews/{interview.id}/answers"))
    assert f'src="{url}"' in page and transcript in page
    response = staff.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "audio/ogg;codecs=flac"
    audio = response.data
    assert audio[:4] == b"OggS" and b"fLaC" in audio[:80] and len(audio) == len(tone())


def test_the_demo_tone_is_a_well_formed_ogg_flac_file():
    """Every Ogg page checks out (CRC, sequence, flags) and the FLAC stream says how long it is."""
    import struct

    from peerinterview.interview.spoken_demo import RATE, _crc, tone

    audio, offset, pages = tone(1200), 0, []
    while offset < len(audio):
        assert audio[offset:offset + 4] == b"OggS"
        flags, granule, _serial, sequence, crc, segments = struct.unpack("<BqIIIB", audio[offset + 5:offset + 27])
        length = 27 + segments + sum(audio[offset + 27:offset + 27 + segments])
        page = bytearray(audio[offset:offset + length])
        page[22:26] = b"\0\0\0\0"
        assert _crc(bytes(page), 0x04C11DB7, 32) == crc and sequence == len(pages)
        pages.append((flags, granule, bytes(page[27 + segments:])))
        offset += length
    assert pages[0][0] == 2 and pages[-1][0] == 4 and pages[-1][1] == RATE * 1200 // 1000
    streaminfo = int.from_bytes(pages[0][2][27:35], "big")
    assert streaminfo >> 44 == RATE and streaminfo & (2 ** 36 - 1) == RATE * 1200 // 1000
    for _flags, _granule, frame in pages[2:]:
        assert frame[:2] == b"\xff\xf8" and _crc(frame[:-2], 0x8005, 16) == int.from_bytes(frame[-2:], "big")


# --- the exports ---------------------------------------------------------------------------------

def test_the_exports_carry_the_transcript_never_the_audio(app, consented, spoken_world, login_as, tmp_path):
    from openpyxl import load_workbook

    from .test_exports import download, read_csv, read_sav

    tablet, interview_id = consented
    audio = b"\x1a\x45\xdf\xa3 AUDIO-THAT-MUST-STAY-INSIDE"
    tablet.record(interview_id, spoken_world.question_ids[2], [audio])
    with app.app_context():
        recording_id = db.session.scalar(select(SpokenRecording.id))
        key = db.session.get(Question, spoken_world.question_ids[2]).key
    _complete(app, interview_id)
    staff, post = login_as("staf")
    assert post(f"/interviews/{interview_id}/recordings/{recording_id}/transcript",
                {"text": "Een stille kamer graag."}).status_code == 303
    files = {name: download(staff, spoken_world.project_id, name).data
             for name in ("data.csv", "data.xlsx", "data.sav", "open-answers.csv", "open-answers.xlsx",
                          "codebook.csv")}
    for name, data in files.items():
        assert b"AUDIO-THAT-MUST-STAY-INSIDE" not in data and b"\x1a\x45\xdf\xa3" not in data, name
        assert b"/recordings/" not in data, name
    row = next(r for r in read_csv(files["data.csv"]) if r[key])
    assert row[key] == "Een stille kamer graag."
    assert [r["Tekst"] for r in read_csv(files["open-answers.csv"])] == ["Een stille kamer graag."]
    sheet = load_workbook(io.BytesIO(files["open-answers.xlsx"]))["Open antwoorden"]
    assert "Een stille kamer graag." in [cell.value for row in sheet.iter_rows() for cell in row]
    frame, _meta = read_sav(files["data.sav"], tmp_path)
    assert "Een stille kamer graag." in list(frame[key])
    names = [r["Variabele"] for r in read_csv(files["codebook.csv"])]
    assert not [n for n in names if "record" in n.lower() or "audio" in n.lower() or "opname" in n.lower()]
