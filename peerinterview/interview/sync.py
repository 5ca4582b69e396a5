"""No answer is ever lost (docs/architecture.md#offline-and-encryption): the project key pair, the
sync endpoint for answers that waited on a tablet, and the service worker.

Crypto, in short (the tablet side is peerinterview/static/js/offline/envelope.js):

* Each project has one key pair, made on first need: ECDH on P-256 (projects made before the
  switch keep their RSA-3072 pair, RSA-OAEP with SHA-256 and MGF1-SHA-256, and its envelopes).
  Tablets get only the public key (SubjectPublicKeyInfo, DER, base64) and its algorithm.
* Per queued answer the tablet encrypts the JSON answer {value, text, special, note} with
  AES-256-GCM, a random 96-bit IV and the additional data
  "<interview id>|<question id>|<changed_at>", so an envelope cannot be moved to another
  question or time. The AES key is fresh per answer:
  - ECDH-P256: the tablet makes a fresh P-256 key pair, ECDH with the project's public key
    gives a shared secret, HKDF-SHA256 (no salt, info "peerinterview answer v2") makes the AES
    key; the envelope carries the fresh public key ("epk", 65 bytes uncompressed). Its private
    half is never kept. Decrypting costs the server far less CPU than with RSA-3072, and the
    envelope is smaller, on a budget of 2 KB per answer (docs/decisions.md#ecdh-envelopes).
  - RSA-OAEP-256 (older projects): a random AES key, wrapped with RSA-OAEP ("wrapped_key").
  The server opens the envelope here.
* The private key is stored as encrypted PKCS#8 PEM (cryptography's BestAvailableEncryption:
  PBES2, AES-256-CBC). Its password is not SECRET_KEY itself but HKDF-SHA256(SECRET_KEY, info
  names the project): SECRET_KEY is already a long random value, so a fast extract-and-expand
  KDF is the right tool, and each project gets its own password. Rotating SECRET_KEY needs the
  old value in SECRET_KEY_FALLBACKS (Flask's list): we try every key there, otherwise answers
  that still wait on a tablet could no longer be read.
"""
import base64
import binascii
import functools
import hashlib
import inspect
import json
import time
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import abort, current_app, g, jsonify, make_response, render_template, request, send_file
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from ..access import may_change_answers, project_or_abort
from ..audit import record
from ..extensions import db
from ..models import SPECIAL_ANSWERS, Answer, Interview, ProjectKey
from ..models.base import utcnow
from ..process_cache import ProcessCache
from ..security.input_guard import has_control_characters
from ..upsert import insert_for_dialect
from ..webperf import lean_headers
from . import bp
from .encoding import MAX_NOTE, MAX_TEXT, value_is_valid
from .services import (LATE_CHANGE_SLACK, TAKES_ANSWERS, frozen_questions_by_id, interview_facts,
                       save_answer)
from .texts import answer_in_words

KEY_BITS = 3072  # the RSA pairs of projects made before ECDH
OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
ECDH_ALG, RSA_ALG = "ECDH-P256", "RSA-OAEP-256"
ECDH_INFO = b"peerinterview answer v2"
MAX_ITEMS = 200
MAX_VALUE = 1_000
# changed_at must be a plausible time: not before the app existed, not far in the future.
EARLIEST = datetime(2020, 1, 1)
FUTURE_SLACK_MS = 24 * 3600 * 1000
STATIC = Path(__file__).resolve().parent.parent / "static"


# ---------------------------------------------------------------------------------------------
# The project key pair

def _password(secret: str | bytes, project_id: int) -> bytes:
    secret = secret.encode() if isinstance(secret, str) else secret
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"peerinterview project key v1 %d" % project_id).derive(secret)
    return base64.urlsafe_b64encode(derived)


def _secrets() -> list:
    return [current_app.config["SECRET_KEY"], *(current_app.config.get("SECRET_KEY_FALLBACKS") or [])]


def project_key(project_id: int) -> ProjectKey:
    """The project's key pair, made the first time it is needed (safe when two requests race)."""
    key = db.session.get(ProjectKey, project_id)
    if key is not None:
        return key
    private = ec.generate_private_key(ec.SECP256R1())
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_password(current_app.config["SECRET_KEY"], project_id)),
    ).decode()
    stmt = insert_for_dialect(ProjectKey).values(
        project_id=project_id, public_key_pem=public_pem, private_key_pem=private_pem, created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["project_id"])
    db.session.execute(stmt)
    db.session.commit()
    return db.session.get(ProjectKey, project_id)


def public_key_der(key: ProjectKey) -> bytes:
    public = serialization.load_pem_public_key(key.public_key_pem.encode())
    return public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: ProjectKey) -> str:
    return _key_id_of_pem(key.public_key_pem)


# Every interview page names its project's key id (interview_key_id): parsed once per key and
# process, not on every page.
@functools.lru_cache(maxsize=256)
def _key_id_of_pem(pem: str) -> str:
    public = serialization.load_pem_public_key(pem.encode())
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


@bp.app_template_global()
def interview_key_id(project_id: int) -> str:
    """The id of the project's public key as /interview-key gives it, for an interview page
    (templates/interview/_offline.html), or "" while the project has none yet (the tablet then
    asks /interview-key, which makes it). The tablet keeps the key it was given: a page that
    names that key needs no request for it, and a page that names another one (the key was made
    again) makes the tablet ask for the new one (static/js/offline/envelope.js)."""
    key = db.session.get(ProjectKey, project_id)
    return key_id(key) if key is not None else ""


def key_algorithm(key: ProjectKey) -> str:
    public = serialization.load_pem_public_key(key.public_key_pem.encode())
    return ECDH_ALG if isinstance(public, ec.EllipticCurvePublicKey) else RSA_ALG


# Reading a private key costs CPU that a sync should not pay for every answer: the PEM is
# decrypted under a key that PBKDF2 derives from its password, and an older project's RSA key is
# checked in full each time cryptography loads it, by far the largest part
# (bench/README.md#figures-behind-the-code).
# Each worker keeps the keys it has read, by the PEM and the secrets it was read with (a new key
# or a rotated SECRET_KEY is read again). The process holds SECRET_KEY anyway, which opens them.
_PRIVATE_KEYS = ProcessCache("project_private_keys", limit=256)


def private_key(key: ProjectKey):
    secrets = _secrets()
    digest = hashlib.sha256("\0".join([key.private_key_pem, str(key.project_id),
                                        *(s.decode() if isinstance(s, bytes) else s for s in secrets)])
                            .encode()).hexdigest()
    return _PRIVATE_KEYS.get(digest, lambda: _read_private_key(key, secrets))


def _read_private_key(key: ProjectKey, secrets: list):
    for secret in secrets:
        try:
            return serialization.load_pem_private_key(key.private_key_pem.encode(), _password(secret, key.project_id))
        except ValueError:
            continue
    raise RuntimeError("The project key cannot be read with SECRET_KEY or SECRET_KEY_FALLBACKS.")


def _server_time_ms() -> int:
    return int(time.time() * 1000)


@bp.get("/projects/<int:project_id>/interview-key")
def public_key(project_id):
    """The public key the tablet encrypts waiting answers with. Interviewers of the project only."""
    project = project_or_abort(project_id, "interviewer")
    key = project_key(project.id)
    # The CSRF token of this session: a page kept offline may carry the token of an older login.
    response = jsonify(
        alg=key_algorithm(key), key_id=key_id(key), spki=base64.b64encode(public_key_der(key)).decode(),
        server_time=_server_time_ms(), csrf_token=generate_csrf(),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Sync: a batch of encrypted answers, stored exactly once, the newest change winning

class Malformed(ValueError):
    pass


def _b64(item, name) -> bytes:
    value = item.get(name)
    if not isinstance(value, str) or not value:
        raise Malformed(f"{name} missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Malformed(f"{name} is not base64") from None


def _optional_str(answer, name, limit):
    value = answer.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise Malformed(f"answer.{name} invalid")
    if has_control_characters(value):  # as in every form field (security/input_guard.py)
        raise Malformed(f"answer.{name} has a control character")
    return value


def _open(item, interview, questions, secret_key):
    """Check and decrypt one envelope; returns (question, answer dict, changed_at)."""
    if not isinstance(item, dict):
        raise Malformed("item is not an object")
    if not _is_item_id(item.get("id")):
        raise Malformed("id missing")
    question_id = item.get("question_id")
    if isinstance(question_id, bool) or not isinstance(question_id, int) or question_id not in questions:
        raise Malformed("question_id is not a question of this interview")
    changed_ms = item.get("changed_at")
    changed_at = _changed_at(changed_ms)
    answer = _decrypt(item, secret_key, aad=f"{interview.id}|{question_id}|{changed_ms}".encode())
    question = questions[question_id]
    return question, _checked_answer(question, answer), changed_at


def _changed_at(changed_ms) -> datetime:
    """When the tablet says the answer changed (milliseconds since 1970), as naive UTC; never
    in the future beyond the allowed clock drift, never before the app existed."""
    if isinstance(changed_ms, bool) or not isinstance(changed_ms, int):
        raise Malformed("changed_at must be milliseconds since 1970")
    if changed_ms > _server_time_ms() + FUTURE_SLACK_MS:
        raise Malformed("changed_at is in the future")
    try:
        changed_at = datetime.fromtimestamp(changed_ms / 1000, tz=timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        raise Malformed("changed_at out of range") from None
    if changed_at < EARLIEST:
        raise Malformed("changed_at out of range")
    return changed_at


def _decrypt(item, secret_key, *, aad: bytes) -> dict:
    """The envelope's answer object, decrypted with AES-GCM; the associated data binds it to its
    interview, question and time, so it cannot be replayed onto another."""
    iv, ciphertext = _b64(item, "iv"), _b64(item, "ciphertext")
    if len(iv) != 12:
        raise Malformed("iv must be 12 bytes")
    try:
        aes_key = _answer_key(item, secret_key)
        plain = AESGCM(aes_key).decrypt(iv, ciphertext, aad)
        answer = json.loads(plain.decode("utf-8"))
    except Malformed:
        raise
    except (ValueError, InvalidTag, UnicodeDecodeError):
        raise Malformed("envelope cannot be decrypted") from None
    except RecursionError:  # JSON nested deeper than Python's parser goes
        raise Malformed("answer nested too deeply") from None
    if not isinstance(answer, dict):
        raise Malformed("answer is not an object")
    return answer


def _checked_answer(question, answer: dict) -> dict | None:
    """The decrypted answer as save_answer takes it, if it is a possible answer to the question
    (None for an information screen, which takes none)."""
    # A multiple-choice answer joins its values ("1,3"): longer than one value may be.
    value = _optional_str(answer, "value", MAX_VALUE)
    text = _optional_str(answer, "text", MAX_TEXT)
    special = _optional_str(answer, "special", 16)
    note = _optional_str(answer, "note", MAX_NOTE)
    if not question.is_answered:
        # An information screen never has an answer; an empty one is harmless and is dropped.
        if any(x is not None for x in (value, text, special, note)):
            raise Malformed("answer on an information screen")
        return None
    if value is not None and not question.has_choices and question.kind != "number":
        raise Malformed("value on an open question")
    if not value_is_valid(question, value):
        raise Malformed("value is not a possible answer to this question")
    if text is not None and question.kind != "open":
        raise Malformed("text on a question without free text")
    if special is not None and (special not in SPECIAL_ANSWERS
                                or (special == "dont_know" and not question.allow_dont_know)
                                or (special == "refuse" and not question.allow_refuse)):
        raise Malformed("special answer not allowed here")
    if sum(x is not None for x in (value, text, special)) > 1:
        raise Malformed("more than one answer")
    given = {"value": value, "text": text, "special": special}
    if "note" in answer:  # only a page with a follow-up field sends one
        given["note"] = note
    return given


def _answer_key(item, secret_key) -> bytes:
    """The envelope's AES-256 key: from the tablet's fresh public key (ECDH) or unwrapped (RSA)."""
    if isinstance(secret_key, ec.EllipticCurvePrivateKey):
        point = _b64(item, "epk")
        if len(point) != 65:
            raise Malformed("epk must be an uncompressed P-256 point")
        fresh = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)  # checks the point
        shared = secret_key.exchange(ec.ECDH(), fresh)
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=ECDH_INFO).derive(shared)
    aes_key = secret_key.decrypt(_b64(item, "wrapped_key"), OAEP)
    if len(aes_key) != 32:
        raise Malformed("wrapped key is not an AES-256 key")
    return aes_key


def _is_item_id(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64 and not has_control_characters(value)


def _bad(message):
    response = jsonify(error=message)
    response.status_code = 400
    return response


def _reply(body: dict, status: int = 200):
    response = jsonify(**body, server_time=_server_time_ms())
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    lean_headers()  # fetch() reads this JSON; it is never a page (docs/decisions.md#light-on-the-wire)
    return response


def _gone(items, stored=None):
    """410: the interview was withdrawn or erased, or is no more (erased by code). Nothing of it
    is stored any more, ever: the tablet forgets these answers (static/js/offline/sync.js) and says why. The
    logboek notes it for an interview that still exists (counts only)."""
    db.session.rollback()
    ids = [item["id"] for item in items if isinstance(item, dict) and _is_item_id(item.get("id"))]
    if stored is not None:
        record("interview.sync_discarded", user=current_user, project_id=stored.project_id, obj=stored,
               items=len(ids), status=stored.status)
        db.session.commit()
    return _reply({"error": "this interview takes no answers any more", "gone": True, "acked": ids}, 410)


def _read_batch():
    """The request's {"items": [...]}, or None."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than Python's JSON parser goes: not a batch either
        return None
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return None
    return body["items"]


# save_answer may learn to store the follow-up note (interview/services.py); pass it only then.
_SAVE_TAKES_NOTE = "note" in inspect.signature(save_answer).parameters


@bp.post("/interviews/<interview_id>/sync")
def sync(interview_id):
    """{"items": [envelope, ...]} -> {"acked": [item ids], "newer": [...], "late": [...], "stored": {...}}.

    A batch is checked and decrypted completely before anything is stored: one malformed
    envelope answers 400 and stores nothing, so the tablet keeps every item. A replay (the
    tablet never heard our answer) stores nothing twice: save_answer is an upsert on
    (interview, question) where an older change never wins.

    "acked" lists every item the tablet may forget: nothing changes by sending it again. Of
    those, "newer" were not stored because a newer change of the answer is stored already
    ("stored" gives that answer in words, per item), and "late" were not stored because the
    change was made after the interview was finished (LATE_CHANGE_SLACK). An interview that is
    withdrawn, erased or no more answers 410 (see _gone).
    """
    items = _read_batch()
    interview = interview_facts(interview_id)  # what never changes about it; kept per process, no query
    if interview is None:
        return _gone(items or [])
    if not may_change_answers(interview):
        abort(403)
    if items is None:
        return _bad('send JSON: {"items": [...]}')
    if len(items) > MAX_ITEMS:
        return _bad(f"at most {MAX_ITEMS} items per batch")
    questions = frozen_questions_by_id(interview.version_id)  # an interview's version is frozen
    secret_key = private_key(project_key(interview.project_id)) if items else None
    try:
        opened = _open_all(items, interview, questions, secret_key)
    except Malformed as error:
        return _bad(str(error))
    if not opened:
        return _reply({"acked": []})

    # Each write checks in the database that the interview still takes this answer (in progress,
    # or completed after the change); this read only says what to tell the tablet.
    state = db.session.get(Interview, interview.id)
    if state is None or state.status not in TAKES_ANSWERS:
        return _gone(items, state)
    completed_at = state.completed_at if state.status == "completed" else None
    not_written = _store(interview, opened)
    reply = {"acked": [item_id for item_id, *_ in opened]}
    if not_written:
        db.session.expire(state)
        state = db.session.get(Interview, interview.id)
        if state is None or state.status not in TAKES_ANSWERS:  # withdrawn or erased meanwhile
            return _gone(items, state)
        completed_at = state.completed_at if state.status == "completed" else completed_at
        reply.update(_not_written(interview, not_written, completed_at))
    answers = sum(1 for _id, _question, answer, _at in opened if answer is not None)
    if completed_at is not None and answers:
        # A tablet that was offline sent answers after the interview was finished: logged,
        # counts only (stored; refused as made after the finish; older than the stored ones).
        late, older = len(reply.get("late", ())), len(reply.get("newer", ()))
        record("interview.late_sync", user=current_user, project_id=interview.project_id, obj=state,
               stored=answers - len(not_written), refused=late, older=older)
    db.session.commit()
    return _reply(reply)


def _open_all(items, interview, questions, secret_key) -> list:
    """Every envelope of the batch checked and decrypted: [(item id, question, answer,
    changed_at)]. The first malformed one stops the batch (Malformed, naming the item)."""
    opened = []
    for index, item in enumerate(items):
        try:
            question, given, changed_at = _open(item, interview, questions, secret_key)
        except Malformed as error:
            # Never the answer itself in the log: only what was wrong with the envelope.
            current_app.logger.warning("sync refused for interview %s, item %d: %s", interview.id, index, error)
            raise Malformed(f"item {index}: {error}") from None
        opened.append((item["id"], question, given, changed_at))
    return opened


def _store(interview, opened) -> list:
    """Store every opened answer; returns [(item id, question, changed_at)] of those not written
    (the interview no longer takes them, or a newer change is stored)."""
    not_written = []
    for item_id, question, answer, changed_at in opened:
        if answer is None:  # an information screen: acknowledged, nothing to store
            continue
        if not _SAVE_TAKES_NOTE:
            answer.pop("note", None)
        if not save_answer(interview, question, changed_at=changed_at, **answer):
            not_written.append((item_id, question, changed_at))
    return not_written


def _not_written(interview, not_written, completed_at) -> dict:
    """Why each of these answers was not stored: made after the finish ("late"), or older than
    the stored change ("newer", with the stored answer in words for the interviewer)."""
    late, newer, stored = [], [], {}
    rows = {row.question_id: row for row in db.session.scalars(
        select(Answer).where(Answer.interview_id == interview.id,
                             Answer.question_id.in_({question.id for _id, question, _t in not_written})))}
    for item_id, question, changed_at in not_written:
        if completed_at is not None and changed_at > completed_at + LATE_CHANGE_SLACK:
            late.append(item_id)
            continue
        newer.append(item_id)
        stored[item_id] = answer_in_words(question, rows.get(question.id), interview.language)
    return {key: value for key, value in (("late", late), ("newer", newer), ("stored", stored)) if value}


# ---------------------------------------------------------------------------------------------
# The service worker and the offline page

OFFLINE_COPY_HEADER = "X-PeerInterview-Offline-Copy"
# The reply's value of that header: the page is rendered blank, with no answer in it. The service
# worker keeps no page without it, so a page that shows answers never rests in Cache Storage.
BLANK_COPY = "blank"


def is_offline_copy_request() -> bool:
    """The service worker fetches the pages of an interview to keep them for offline use."""
    return request.headers.get(OFFLINE_COPY_HEADER) == "1"


def blank_offline_copy(html: str):
    """The reply with a page rendered blank for the service worker's cache."""
    response = make_response(html)
    response.headers[OFFLINE_COPY_HEADER] = BLANK_COPY
    return response


@bp.get("/sw.js")
def service_worker():
    """Served from the root, so its scope covers /interviews/ (a worker under /static/ could
    only control /static/)."""
    g.no_store = False
    response = send_file(STATIC / "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline_page():
    """Shown by the service worker for a page that is not on the tablet while offline."""
    return render_template("interview/offline.html")

