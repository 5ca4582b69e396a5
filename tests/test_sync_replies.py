"""What /sync and the htmx autosave answer, and what they refuse:

- late syncs: a completed interview takes a tablet's answers only for changes made before it
  was finished (with five minutes of clock slack), and the logboek notes every late sync;
- a change that lost to a newer one says so (both replies), with the answer that stays;
- hardening: JSON nested too deeply (in the body or in an envelope) is a 400 with a JSON error,
  and control characters in decrypted fields are refused as in every form."""
import base64
import json
import os
from datetime import timezone

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.interview.services import save_answer
from peerinterview.models import Answer, AuditEvent, Interview, Question
from peerinterview.models.base import utcnow

from .builders import answers_of, count_rows, html_of, interview_row, plain_text
from .test_sync import Tablet, answer, now_ms

HTMX = {"HX-Request": "true"}
MINUTE = 60_000


@pytest.fixture
def tablet(world, anna, interview_id):
    return Tablet(anna[0], world.project_id)


@pytest.fixture
def finished(app, world, anna, interview_id, tablet):
    """The interview answered (q1 and q3; q2 is optional) and finished; returns the time it was
    finished, in milliseconds as the tablet counts."""
    _client, post = anna
    assert post(f"/interviews/{interview_id}/questions/1", {"answer": "2", "action": "next"}).status_code == 303
    assert post(f"/interviews/{interview_id}/questions/3", {"text": "Meer rust.", "action": "next"}).status_code == 303
    assert post(f"/interviews/{interview_id}/overview").status_code == 303
    completed_at = interview_row(app, interview_id).completed_at
    return int(completed_at.replace(tzinfo=timezone.utc).timestamp() * 1000)


def late_syncs(app):
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.late_sync")
                                    .order_by(AuditEvent.id)).all()
        found = [(e.object_id, e.user_id is not None, e.detail) for e in events]
        db.session.remove()
    return found


# --- late syncs ----------------------------------------------------------------------------

def test_a_change_made_before_the_finish_is_stored_and_logged(app, world, tablet, interview_id, finished):
    q2 = world.question_ids[1]
    item = tablet.envelope(interview_id, q2, finished - 2 * MINUTE, answer(value="4"))
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 200
    body = response.get_json()
    assert body["acked"] == [item["id"]] and "late" not in body and "newer" not in body
    assert [(a.question_id, a.value) for a in answers_of(app, interview_id) if a.question_id == q2] == [(q2, "4")]
    assert late_syncs(app) == [(interview_id, True, {"stored": 1, "refused": 0, "older": 0})]


def test_a_change_a_little_after_the_finish_is_within_the_clock_slack(app, world, tablet, interview_id, finished):
    q2 = world.question_ids[1]
    item = tablet.envelope(interview_id, q2, finished + 3 * MINUTE, answer(value="5"))
    assert tablet.sync(interview_id, [item]).get_json()["acked"] == [item["id"]]
    assert [a.value for a in answers_of(app, interview_id) if a.question_id == q2] == ["5"]


def test_a_change_made_after_the_finish_is_refused_and_the_tablet_forgets_it(app, world, tablet, interview_id,
                                                                               finished):
    q1, q2, _q3 = world.question_ids
    before = tablet.envelope(interview_id, q2, finished - MINUTE, answer(value="3"))
    after = tablet.envelope(interview_id, q1, finished + 10 * MINUTE, answer(value="3"))
    response = tablet.sync(interview_id, [before, after])
    assert response.status_code == 200
    body = response.get_json()
    # Both may go from the tablet (nothing changes by sending them again); one came too late.
    assert body["acked"] == [before["id"], after["id"]]
    assert body["late"] == [after["id"]] and "newer" not in body
    assert {a.question_id: a.value for a in answers_of(app, interview_id)} == {q1: "2", q2: "3", world.question_ids[2]: None}
    # The logboek: counts only, never an answer.
    assert late_syncs(app) == [(interview_id, True, {"stored": 1, "refused": 1, "older": 0})]


def test_an_interview_in_progress_logs_no_late_sync(app, world, tablet, interview_id):
    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="1"))
    assert tablet.sync(interview_id, [item]).status_code == 200
    assert late_syncs(app) == []


# --- a change that lost to a newer one -----------------------------------------------------

def store_newer(app, interview_id, question_id, **given):
    """A newer change is stored already: a tablet whose clock ran an hour ahead sent it."""
    from datetime import timedelta

    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        save_answer(interview, db.session.get(Question, question_id), changed_at=utcnow() + timedelta(hours=1), **given)
        db.session.commit()
        db.session.remove()


def test_an_autosave_that_lost_to_a_newer_answer_says_so_and_shows_it(app, world, anna, interview_id):
    _client, post = anna
    store_newer(app, interview_id, world.question_ids[0], value="3")
    response = post(f"/interviews/{interview_id}/questions/1", {"answer": "1", "action": "save"}, headers=HTMX)
    assert response.status_code == 200
    text = plain_text(response)
    assert "Er is al een nieuwer antwoord opgeslagen. Dat antwoord blijft staan." in text
    assert "Opgeslagen antwoord: Bijna nooit" in text
    assert 'class="save-ok"' not in html_of(response)
    assert [a.value for a in answers_of(app, interview_id)] == ["3"]


def test_an_emptied_open_answer_that_lost_shows_the_stored_text(app, world, anna, interview_id):
    _client, post = anna
    store_newer(app, interview_id, world.question_ids[2], text="Langer open <b>in</b> het weekend.")
    response = post(f"/interviews/{interview_id}/questions/3", {"text": "", "action": "save"}, headers=HTMX)
    assert "Er is al een nieuwer antwoord opgeslagen." in plain_text(response)
    assert "Langer open &lt;b&gt;in&lt;/b&gt; het weekend." in html_of(response)  # escaped, never markup
    assert [a.text for a in answers_of(app, interview_id)] == ["Langer open <b>in</b> het weekend."]


def test_a_synced_change_that_lost_to_a_newer_answer_is_named_in_the_reply(app, world, tablet, interview_id):
    q1 = world.question_ids[0]
    store_newer(app, interview_id, q1, special="dont_know")
    item = tablet.envelope(interview_id, q1, now_ms(), answer(value="1"))
    body = tablet.sync(interview_id, [item]).get_json()
    assert body["acked"] == [item["id"]]
    assert body["newer"] == [item["id"]] and body["stored"] == {item["id"]: "Weet ik niet"}
    assert "late" not in body
    assert [(a.value, a.special) for a in answers_of(app, interview_id)] == [(None, "dont_know")]


def test_a_replay_of_the_stored_change_is_no_loss(app, world, tablet, interview_id):
    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="2"))
    assert tablet.sync(interview_id, [item]).status_code == 200
    body = tablet.sync(interview_id, [item]).get_json()  # the reply got lost: sent again
    assert body["acked"] == [item["id"]] and "newer" not in body


# --- hardening -----------------------------------------------------------------------------

def sealed(key, interview_id, question_id, changed_at, plaintext: bytes):
    """An envelope around any plaintext (the tablet always sends an object; an attacker need not)."""
    public = serialization.load_der_public_key(base64.b64decode(key["spki"]))
    fresh = ec.generate_private_key(ec.SECP256R1())
    aes_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"peerinterview answer v2").derive(fresh.exchange(ec.ECDH(), public))
    iv = os.urandom(12)
    point = fresh.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    ciphertext = AESGCM(aes_key).encrypt(iv, plaintext, f"{interview_id}|{question_id}|{changed_at}".encode())
    return {"id": "deep-1", "question_id": question_id, "changed_at": changed_at,
            "epk": base64.b64encode(point).decode(), "iv": base64.b64encode(iv).decode(),
            "ciphertext": base64.b64encode(ciphertext).decode()}


@pytest.mark.parametrize("body", [
    '{"items": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "[" * 200_000,
    '{"items": [{"id": "a", "x": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}]}",
], ids=["nested items", "unclosed", "nested in an item"])
def test_json_nested_too_deeply_is_a_400_with_a_json_error(app, tablet, interview_id, body):
    response = tablet.client.post(f"/interviews/{interview_id}/sync", data=body,
                                  headers={"X-CSRFToken": tablet.token, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]
    assert count_rows(app, Answer) == 0


def test_an_envelope_with_json_nested_too_deeply_is_a_400(app, world, tablet, interview_id):
    plaintext = ("[" * 100_000 + "]" * 100_000).encode()
    item = sealed(tablet.key, interview_id, world.question_ids[0], now_ms(), plaintext)
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 400
    assert response.get_json()["error"] == "item 0: answer nested too deeply"
    assert count_rows(app, Answer) == 0


@pytest.mark.parametrize("field,given", [
    ("text", answer(text="Hallo\x00daar")),
    ("text", answer(text="Bel \x1b[31m nu")),
    ("text", answer(text="Regel\x0bregel")),
    ("note", answer(value="1", note="Ze zei\x07 iets")),
    ("special", answer(special="dont_know\x00")),
], ids=["NUL", "escape", "vertical tab", "bell in a note", "NUL in a special"])
def test_control_characters_in_a_decrypted_field_are_refused(app, world, tablet, interview_id, field, given):
    from .test_sync import envelope

    question = world.question_ids[0] if field == "note" else world.question_ids[2]
    if field == "note":
        with app.app_context():
            db.session.get(Question, question).follow_up = True
            db.session.commit()
            db.session.remove()
    item = envelope(tablet.key, interview_id, question, now_ms(), given)
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 400
    assert response.get_json()["error"] == f"item 0: answer.{field} has a control character"
    assert count_rows(app, Answer) == 0


def test_tabs_and_line_breaks_in_a_decrypted_text_are_fine(app, world, tablet, interview_id):
    item = tablet.envelope(interview_id, world.question_ids[2], now_ms(), answer(text="Eén\tTwee\r\nDrie"))
    assert tablet.sync(interview_id, [item]).status_code == 200
    assert [a.text for a in answers_of(app, interview_id)] == ["Eén\tTwee\r\nDrie"]


def test_an_item_id_with_a_control_character_is_refused(app, world, tablet, interview_id):
    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="1"), item_id="id\x00")
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 400
    assert count_rows(app, Answer) == 0
    assert json.dumps(response.get_json())  # a JSON error, not a page
