"""No answer is ever lost, over HTTP: the project key pair, the sync endpoint for encrypted
answers that waited on a tablet (exactly once, the newest change winning), and /sw.js.

The envelopes are made here in Python exactly as peerinterview/static/js/offline/envelope.js makes them
with WebCrypto: AES-256-GCM per answer (96-bit IV, additional data
"<interview>|<question>|<changed_at>") with a key agreed by ECDH on P-256 with a fresh key pair
(HKDF-SHA256), or, for a project made before ECDH, a random key wrapped with RSA-OAEP-SHA-256."""
import base64
import json
import os
import re
import time
import uuid
from datetime import datetime, timezone

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete

from peerinterview.extensions import db
from peerinterview.models import Answer, AuditEvent, Interview, ProjectKey

from .builders import answers_of, count_rows, start_interview_http
from .helpers import csrf_token

OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def now_ms():
    return int(time.time() * 1000)


def envelope(key, interview_id, question_id, changed_at, answer, *, item_id=None, aad=None):
    """`key` is the reply of /projects/<id>/interview-key: {"alg", "spki", …}."""
    public = serialization.load_der_public_key(base64.b64decode(key["spki"]))
    iv = os.urandom(12)
    if key["alg"] == "ECDH-P256":
        fresh = ec.generate_private_key(ec.SECP256R1())
        aes_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"peerinterview answer v2").derive(fresh.exchange(ec.ECDH(), public))
        point = fresh.public_key().public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint)
        opener = {"epk": base64.b64encode(point).decode()}
    else:
        aes_key = os.urandom(32)
        opener = {"wrapped_key": base64.b64encode(public.encrypt(aes_key, OAEP)).decode()}
    aad = aad if aad is not None else f"{interview_id}|{question_id}|{changed_at}".encode()
    ciphertext = AESGCM(aes_key).encrypt(iv, json.dumps(answer).encode(), aad)
    return {
        "id": item_id or str(uuid.uuid4()), "question_id": question_id, "changed_at": changed_at, **opener,
        "iv": base64.b64encode(iv).decode(), "ciphertext": base64.b64encode(ciphertext).decode(),
    }


def answer(value=None, text=None, special=None, **extra):
    return {"value": value, "text": text, "special": special, **extra}


class Tablet:
    """A logged-in interviewer's tablet: fetches the public key and posts batches."""

    def __init__(self, client, project_id):
        self.client = client
        self.token = csrf_token(client, "/")
        key = client.get(f"/projects/{project_id}/interview-key")
        assert key.status_code == 200, key.get_data(as_text=True)[:300]
        self.key = key.get_json()

    def sync(self, interview_id, items, token=True):
        headers = {"X-CSRFToken": self.token} if token else {}
        return self.client.post(f"/interviews/{interview_id}/sync", json={"items": items}, headers=headers)

    def envelope(self, *args, **kwargs):
        return envelope(self.key, *args, **kwargs)


@pytest.fixture
def tablet(world, anna, interview_id):
    return Tablet(anna[0], world.project_id)


def rows(app, interview_id):
    return [(a.question_id, a.value, a.text, a.special) for a in answers_of(app, interview_id)]


# --- the key pair ----------------------------------------------------------------------------

def test_interviewer_gets_the_public_key_and_it_stays_the_same(app, world, anna):
    client, _post = anna
    first = client.get(f"/projects/{world.project_id}/interview-key")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    body = first.get_json()
    assert body["alg"] == "ECDH-P256"
    public = serialization.load_der_public_key(base64.b64decode(body["spki"]))
    assert isinstance(public.curve, ec.SECP256R1)
    assert abs(body["server_time"] - now_ms()) < 60_000
    assert client.get(f"/projects/{world.project_id}/interview-key").get_json()["key_id"] == body["key_id"]
    assert count_rows(app, ProjectKey) == 1
    with app.app_context():
        stored = db.session.get(ProjectKey, world.project_id)
        # The private key is never stored in the clear.
        assert stored.private_key_pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        with pytest.raises(TypeError):
            serialization.load_pem_private_key(stored.private_key_pem.encode(), None)
        db.session.remove()


def key_facts(html):
    """(data-key-url, data-key-id) of a page's #offline-status, None where it has none."""
    found = [re.search(rf'data-{name}="([^"]*)"', html) for name in ("key-url", "key-id")]
    return tuple(match.group(1) if match else None for match in found)


def test_interview_pages_name_the_key_the_tablet_may_keep(app, world, anna, interview_id):
    """The start page and every page of the interview name the project's key (its id), so the
    tablet uses the key it kept without asking for it on each page; when the key is made again,
    the pages name the new one and the tablet asks for that."""
    client, _post = anna
    key_url = f"/projects/{world.project_id}/interview-key"
    pages = [f"/projects/{world.project_id}/interviews/new", f"/interviews/{interview_id}/questions/1",
             f"/interviews/{interview_id}/questions/2", f"/interviews/{interview_id}/overview"]
    # No key yet: the pages name none, and the tablet asks /interview-key (which makes it).
    for page in pages:
        assert key_facts(client.get(page).get_data(as_text=True)) == (key_url, "")
    first = client.get(key_url).get_json()["key_id"]
    for page in pages:
        assert key_facts(client.get(page).get_data(as_text=True)) == (key_url, first)
    # The key made again (a new pair): every page names the new one.
    with app.app_context():
        db.session.execute(delete(ProjectKey).where(ProjectKey.project_id == world.project_id))
        db.session.commit()
        db.session.remove()
    second = client.get(key_url).get_json()["key_id"]
    assert second != first
    for page in pages:
        assert key_facts(client.get(page).get_data(as_text=True)) == (key_url, second)
    # Practice stores nothing and needs no key.
    practice = client.get(f"/projects/{world.project_id}/practice").get_data(as_text=True)
    assert key_facts(practice) == (None, None)


@pytest.mark.parametrize("username", ["petra", "dirk", "staf", "andere-staf"])
def test_only_interviewers_of_the_project_get_the_key(world, login_as, username):
    client, _post = login_as(username)
    assert client.get(f"/projects/{world.project_id}/interview-key").status_code == 403


def test_key_needs_a_login(world, client):
    response = client.get(f"/projects/{world.project_id}/interview-key")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_private_key_is_readable_after_a_secret_key_rotation(app, world):
    from peerinterview.interview.sync import private_key, project_key

    with app.app_context():
        key = project_key(world.project_id)
        old_secret, old_fallbacks = app.config["SECRET_KEY"], app.config.get("SECRET_KEY_FALLBACKS")
        try:
            app.config["SECRET_KEY"] = "a-new-secret-key-after-rotation-0123456789"
            with pytest.raises(RuntimeError):
                private_key(key)
            app.config["SECRET_KEY_FALLBACKS"] = [old_secret]
            assert isinstance(private_key(key).curve, ec.SECP256R1)
        finally:
            app.config["SECRET_KEY"] = old_secret
            app.config["SECRET_KEY_FALLBACKS"] = old_fallbacks
        db.session.remove()


def test_a_project_made_before_ecdh_keeps_its_rsa_key(app, world, anna, interview_id):
    """Tablets may still hold the RSA public key and answers sealed with it: such a project
    keeps its RSA-3072 pair and its envelopes are opened as before."""
    from peerinterview.interview.sync import _password

    private = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    with app.app_context():
        db.session.add(ProjectKey(
            project_id=world.project_id,
            public_key_pem=private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
            private_key_pem=private.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(_password(app.config["SECRET_KEY"], world.project_id))).decode(),
        ))
        db.session.commit()
        db.session.remove()
    tablet = Tablet(anna[0], world.project_id)
    assert tablet.key["alg"] == "RSA-OAEP-256"
    q1 = world.question_ids[0]
    item = tablet.envelope(interview_id, q1, now_ms(), answer(value="2"))
    assert "wrapped_key" in item and "epk" not in item
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 200 and response.get_json()["acked"] == [item["id"]]
    assert rows(app, interview_id) == [(q1, "2", None, None)]
    # An ECDH envelope does not open with an RSA key.
    ecdh = envelope({**tablet.key, "alg": "ECDH-P256", "spki": base64.b64encode(
        ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()},
        interview_id, q1, now_ms(), answer(value="1"))
    assert tablet.sync(interview_id, [ecdh]).status_code == 400
    assert rows(app, interview_id) == [(q1, "2", None, None)]


# --- sync: decrypt and store -----------------------------------------------------------------

def test_sync_decrypts_and_stores_every_kind_of_answer(app, world, tablet, interview_id):
    q1, q2, q3 = world.question_ids
    t = now_ms()
    items = [
        tablet.envelope(interview_id, q1, t, answer(value="2")),
        tablet.envelope(interview_id, q2, t + 1, answer(special="dont_know")),
        tablet.envelope(interview_id, q3, t + 2, answer(text="Langer open in het weekend.")),
    ]
    response = tablet.sync(interview_id, items)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["acked"] == [item["id"] for item in items]
    assert response.headers["Cache-Control"] == "no-store"
    assert rows(app, interview_id) == [
        (q1, "2", None, None), (q2, None, None, "dont_know"), (q3, None, "Langer open in het weekend.", None),
    ]
    # changed_at is the tablet's time of the change (milliseconds), not the time of arrival.
    stored = answers_of(app, interview_id)
    assert stored[0].changed_at == datetime.fromtimestamp(t / 1000, timezone.utc).replace(tzinfo=None)


def test_each_worker_reads_the_private_key_once(app, world, tablet, interview_id, monkeypatch):
    """Reading the key costs CPU (PBKDF2 for the PEM; an older project's RSA key is checked in full
    on every load): it must not happen for every answer (docs/decisions.md#per-process-caches). The
    reply goes without the headers only a page needs (fetch() reads it)."""
    from cryptography.hazmat.primitives import serialization as real

    from peerinterview.interview import sync as sync_module

    q1, q2, _q3 = world.question_ids
    assert tablet.sync(interview_id, [tablet.envelope(interview_id, q1, now_ms(), answer(value="1"))]).status_code == 200
    reads = []
    original = real.load_pem_private_key
    monkeypatch.setattr(sync_module.serialization, "load_pem_private_key",
                        lambda *args, **kwargs: reads.append(1) or original(*args, **kwargs))
    for n in range(3):
        response = tablet.sync(interview_id, [tablet.envelope(interview_id, q2, now_ms() + n, answer(value="2"))])
        assert response.status_code == 200
    assert reads == []
    for name in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
        assert name not in response.headers, name
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert rows(app, interview_id) == [(q1, "1", None, None), (q2, "2", None, None)]


def test_the_follow_up_note_is_stored_when_sent(app, world, tablet, interview_id):
    q1 = world.question_ids[0]
    assert tablet.sync(interview_id, [tablet.envelope(interview_id, q1, now_ms(),
                                                      answer(value="1", note="Ze was moe."))]).status_code == 200
    assert answers_of(app, interview_id)[0].note == "Ze was moe."


def test_a_note_longer_than_the_form_allows_is_refused_by_the_sync_too(app, world, tablet, interview_id):
    """The form takes a follow-up note of at most 2000 characters; a crafted envelope gets no more."""
    q1 = world.question_ids[0]
    longest = tablet.envelope(interview_id, q1, now_ms(), answer(value="1", note="a" * 2000))
    assert tablet.sync(interview_id, [longest]).status_code == 200
    too_long = tablet.envelope(interview_id, q1, now_ms() + 1, answer(value="1", note="b" * 2001))
    response = tablet.sync(interview_id, [too_long])
    assert response.status_code == 400
    assert response.get_json()["error"] == "item 0: answer.note invalid"
    assert answers_of(app, interview_id)[0].note == "a" * 2000


def test_a_replay_stores_nothing_twice(app, world, tablet, interview_id):
    q1 = world.question_ids[0]
    item = tablet.envelope(interview_id, q1, now_ms(), answer(value="3"))
    for _ in range(3):  # the tablet never heard the answer, and sends it again
        response = tablet.sync(interview_id, [item])
        assert response.status_code == 200
        assert response.get_json()["acked"] == [item["id"]]
    assert count_rows(app, Answer, Answer.interview_id == interview_id) == 1
    assert rows(app, interview_id) == [(q1, "3", None, None)]


def test_an_older_change_never_wins(app, world, tablet, interview_id):
    q1 = world.question_ids[0]
    t = now_ms()
    newer = tablet.envelope(interview_id, q1, t, answer(value="1"))
    older = tablet.envelope(interview_id, q1, t - 5000, answer(value="3"))
    assert tablet.sync(interview_id, [newer]).status_code == 200
    response = tablet.sync(interview_id, [older])
    assert response.status_code == 200
    assert response.get_json()["acked"] == [older["id"]]  # accepted, so the tablet forgets it
    assert rows(app, interview_id) == [(q1, "1", None, None)]
    # In one batch, in any order, the newest change wins too.
    t2 = t + 10_000
    batch = [tablet.envelope(interview_id, q1, t2 + 1, answer(value="2")),
             tablet.envelope(interview_id, q1, t2, answer(value="3"))]
    assert tablet.sync(interview_id, batch).status_code == 200
    assert rows(app, interview_id) == [(q1, "2", None, None)]


def test_a_cleared_answer_is_a_change_too(app, world, tablet, interview_id):
    q3 = world.question_ids[2]
    t = now_ms()
    tablet.sync(interview_id, [tablet.envelope(interview_id, q3, t, answer(text="Eerst dit."))])
    tablet.sync(interview_id, [tablet.envelope(interview_id, q3, t + 1, answer())])
    assert rows(app, interview_id) == [(q3, None, None, None)]


def test_an_empty_batch_is_fine(tablet, interview_id):
    response = tablet.sync(interview_id, [])
    assert response.status_code == 200 and response.get_json()["acked"] == []


# --- sync: refused ---------------------------------------------------------------------------

def _bad_items(tablet, interview_id, world):
    q1, q2, q3 = world.question_ids
    t = now_ms()
    good = tablet.envelope(interview_id, q1, t, answer(value="1"))
    tampered = dict(good, ciphertext=base64.b64encode(b"x" * 40).decode())
    moved = dict(good, question_id=q2)  # the additional data binds the envelope to q1
    later = dict(good, changed_at=t + 1)
    return {
        "tampered ciphertext": tampered,
        "moved to another question": moved,
        "changed time": later,
        "no id": {k: v for k, v in good.items() if k != "id"},
        "changed_at as text": dict(good, changed_at=str(t)),
        "changed_at far in the future": tablet.envelope(interview_id, q1, t + 10 * 24 * 3600 * 1000, answer(value="1")),
        "changed_at before 2020": tablet.envelope(interview_id, q1, 1_000_000, answer(value="1")),
        "not base64": dict(good, iv="***"),
        "short iv": dict(good, iv=base64.b64encode(b"123").decode()),
        "fresh key of another size": dict(good, epk=base64.b64encode(b"\x04" + b"1" * 32).decode()),
        "fresh key not on the curve": dict(good, epk=base64.b64encode(b"\x04" + b"1" * 64).decode()),
        "no fresh key": {k: v for k, v in good.items() if k != "epk"},
        "unknown question": tablet.envelope(interview_id, 999_999, t, answer(value="1")),
        "not a choice": tablet.envelope(interview_id, q1, t, answer(value="99")),
        "text on a choice question": tablet.envelope(interview_id, q1, t, answer(text="Hallo")),
        "unknown special": tablet.envelope(interview_id, q3, t, answer(special="later")),
        "two answers at once": tablet.envelope(interview_id, q3, t, answer(text="Ja", special="refuse")),
        "answer not an object": tablet.envelope(interview_id, q1, t, ["1"]),
        "value not a string": tablet.envelope(interview_id, q1, t, answer(value=1)),
        "item not an object": "hallo",
        "question_id as bool": dict(good, question_id=True),
    }


def test_malformed_envelopes_are_refused_with_400_and_nothing_is_stored(app, world, tablet, interview_id):
    q1 = world.question_ids[0]
    good = tablet.envelope(interview_id, q1, now_ms(), answer(value="2"))
    for name, bad in _bad_items(tablet, interview_id, world).items():
        # The good item comes first: the whole batch is refused, so the tablet keeps it all.
        response = tablet.sync(interview_id, [good, bad])
        assert response.status_code == 400, (name, response.status_code)
        assert response.is_json and "error" in response.get_json(), name
        assert count_rows(app, Answer, Answer.interview_id == interview_id) == 0, name


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"items": {}}', b'{"items": "x"}', b"null"])
def test_a_body_that_is_not_a_batch_is_refused(tablet, interview_id, body):
    response = tablet.client.post(f"/interviews/{interview_id}/sync", data=body,
                                  headers={"X-CSRFToken": tablet.token, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_sync_needs_the_csrf_token(app, world, tablet, interview_id):
    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="1"))
    assert tablet.sync(interview_id, [item], token=False).status_code == 400
    assert count_rows(app, Answer) == 0


@pytest.mark.parametrize("username", ["bram", "staf", "petra"])
def test_someone_else_cannot_sync_into_the_interview(app, world, tablet, interview_id, login_as, username):
    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="1"))
    client, _post = login_as(username)
    response = client.post(f"/interviews/{interview_id}/sync", json={"items": [item]},
                           headers={"X-CSRFToken": csrf_token(client, "/")})
    assert response.status_code == 403
    assert count_rows(app, Answer) == 0


def test_unknown_interview_is_gone(tablet):
    """An interview that is no more (erased by respondent code) cannot be told from one that
    never was: both are gone for good, so the tablet may forget what it holds for it."""
    response = tablet.sync(str(uuid.uuid4()), [])
    assert response.status_code == 410
    assert response.get_json()["gone"] is True and response.get_json()["acked"] == []


def test_expired_login_sends_to_the_login_page_and_keeps_nothing(app, world, tablet, interview_id, client):
    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="1"))
    response = client.post(f"/interviews/{interview_id}/sync", json={"items": [item]})
    assert response.status_code in (302, 400)
    assert count_rows(app, Answer) == 0


def test_answers_for_a_withdrawn_interview_are_gone_and_not_stored(app, world, tablet, interview_id):
    """The respondent asked us to erase the answers: 410, with every item acknowledged (so the
    tablet forgets them and says why), and nothing stored."""
    with app.app_context():
        db.session.get(Interview, interview_id).status = "withdrawn"
        db.session.commit()
        db.session.remove()
    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="1"))
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 410
    assert response.get_json()["gone"] is True and response.get_json()["acked"] == [item["id"]]
    assert count_rows(app, Answer) == 0
    assert count_rows(app, AuditEvent, AuditEvent.action == "interview.sync_discarded") == 1


def test_answers_for_an_erased_interview_are_refused_as_gone(app, world, tablet, interview_id):
    """The process has seen the interview before (its fixed facts are kept): the write still
    checks that it exists."""
    q1, q2, _q3 = world.question_ids
    assert tablet.sync(interview_id, [tablet.envelope(interview_id, q1, now_ms(), answer(value="1"))]).status_code == 200
    with app.app_context():
        db.session.execute(delete(Answer).where(Answer.interview_id == interview_id))
        db.session.execute(delete(Interview).where(Interview.id == interview_id))
        db.session.commit()
        db.session.remove()
    item = tablet.envelope(interview_id, q2, now_ms(), answer(value="2"))
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 410
    assert response.get_json()["gone"] is True and response.get_json()["acked"] == [item["id"]]
    assert count_rows(app, Answer) == 0


# --- the service worker ----------------------------------------------------------------------

def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "self.addEventListener" in response.get_data(as_text=True)


def test_offline_page_is_public_and_plain(client):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "Geen internet" in response.get_data(as_text=True)


def test_question_page_carries_what_the_tablet_needs(world, anna, interview_id):
    client, _post = anna
    html = client.get(f"/interviews/{interview_id}/questions/2").get_data(as_text=True)
    assert f'data-sync-url="/interviews/{interview_id}/sync"' in html
    assert f'data-key-url="/projects/{world.project_id}/interview-key"' in html
    assert f'data-question-id="{world.question_ids[1]}"' in html
    assert 'data-number="2"' in html
    assert "Nog niet verstuurd: {n}" in html
    # The interview's bundle, with the offline code in it (scripts/build_assets.py).
    assert "/static/build/interview.min.js" in html


def test_the_service_worker_may_keep_a_copy_of_a_question_that_skip_logic_hides(app, world, login_as):
    from .flow_builders import make_skip_version

    make_skip_version(app, world.project_id)  # question 2 is asked only after "Elke dag" or "Soms"
    client, post = login_as("anna")
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    hidden = f"/interviews/{interview_id}/questions/2"
    assert client.get(hidden).status_code == 303  # a person is sent on
    copy = client.get(hidden, headers={"X-PeerInterview-Offline-Copy": "1"})
    assert copy.status_code == 200  # the tablet keeps it for offline use
    assert "Hoe voelt u zich hier?" in copy.get_data(as_text=True)
    assert copy.headers["Cache-Control"] == "no-store"


def test_a_batch_that_is_too_long_is_refused(app, world, tablet, interview_id):
    from peerinterview.interview.sync import MAX_ITEMS

    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="1"))
    response = tablet.sync(interview_id, [item] * (MAX_ITEMS + 1))
    assert response.status_code == 400
    assert count_rows(app, Answer) == 0
