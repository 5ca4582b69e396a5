"""Spoken answers (docs/architecture.md#spoken-answers): the upload of a recording that waited
on a tablet, and opening it again when staff or the panel listen.

The tablet encrypts the recorded audio exactly like a waiting answer (interview/sync.py): per
chunk AES-256-GCM with a fresh key only the project's private key opens (ECDH-P256, or RSA-OAEP
for an older project), never in the clear in the browser. A recording is cut into chunks so one
request stays small; each chunk is bound by its additional data

    "recording|<interview id>|<question id>|<recording id>|<index>|<total>|<duration ms>|<mime>"

to its place, so no chunk can be moved to another recording, question or position, and the
length and format the tablet names cannot be changed on the way.

The server checks that every chunk opens (and throws the plain audio away at once), then keeps
the ciphertext as received. The tablet names each recording (a UUID) before it sends it: a
chunk sent again, or the whole recording sent twice, stores one recording.
"""
import base64
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import abort, make_response, request
from flask_login import current_user
from sqlalchemy import delete, func, select

from ..access import interview_or_abort, may_change_answers
from ..audit import record
from ..extensions import db
from ..models import Interview, SpokenChunk, SpokenRecording
from ..models.base import utcnow
from ..security.input_guard import has_control_characters
from ..upsert import insert_for_dialect
from . import bp
from .services import TAKES_ANSWERS, frozen_questions_by_id, interview_facts
from .sync import Malformed, _answer_key, _b64, _gone, _is_item_id, _reply, private_key, project_key

# Three minutes and 3 MB at most: long enough for a story, small enough for a tablet's queue
# and the server's memory. A chunk is at most 256 KiB of audio (plus the 16-byte GCM tag).
MAX_DURATION_MS = 3 * 60 * 1000
MAX_RECORDING_BYTES = 3 * 1024 * 1024
MAX_CHUNK_BYTES = 256 * 1024
MAX_CHUNKS = MAX_RECORDING_BYTES // MAX_CHUNK_BYTES
GCM_TAG = 16
# What MediaRecorder makes in the browsers the tablets use, with or without its codecs.
MIME = re.compile(r"audio/(webm|ogg|mp4)(;\s?codecs=[a-z0-9.]{1,20})?\Z")


@bp.app_template_global()
def spoken_limits() -> dict:
    """The limits the tablet keeps to before it sends (templates/interview/_spoken.html)."""
    return {"max_ms": MAX_DURATION_MS, "max_bytes": MAX_RECORDING_BYTES, "chunk_bytes": MAX_CHUNK_BYTES}


class TooLarge(ValueError):
    pass


class NotSpeakable(Malformed):
    pass


class TooLong(Malformed):
    """Longer than 3 minutes or more chunks than 3 MB take: malformed (400), and never taken."""


def _refuse(reason: str, message: str, status: int):
    """A refusal for good: sent again, the chunk would be refused again. `refused` tells the tablet
    to drop the whole recording and say why ("too-large", "no-consent", "not-speakable",
    "conflict", "malformed"); a reply without it (a login or CSRF page, a server error) keeps the
    recording waiting on the tablet."""
    db.session.rollback()
    return _reply({"error": message, "refused": reason}, status)


def _int(body, name, low, high) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Malformed(f"{name} must be a whole number from {low} to {high}")
    return value


def recording_aad(interview_id, question_id, recording_id, index, total, duration_ms, mime) -> bytes:
    return f"recording|{interview_id}|{question_id}|{recording_id}|{index}|{total}|{duration_ms}|{mime}".encode()


def _read_chunk(body, interview_id, questions) -> dict:
    """The upload's fields, checked (not yet decrypted)."""
    if not isinstance(body, dict):
        raise Malformed("send a JSON object")
    if not _is_item_id(body.get("recording_id")):
        raise Malformed("recording_id missing")
    question_id = body.get("question_id")
    if isinstance(question_id, bool) or not isinstance(question_id, int) or question_id not in questions \
            or not questions[question_id].allow_spoken:
        raise NotSpeakable("question_id is not a question of this interview that may be answered by speaking")
    mime = body.get("mime")
    if not isinstance(mime, str) or not MIME.match(mime) or has_control_characters(mime):
        raise Malformed("mime is not an audio format we take")
    for name, limit in (("total", MAX_CHUNKS), ("duration_ms", MAX_DURATION_MS)):
        if isinstance(body.get(name), int) and body[name] > limit:
            raise TooLong(f"{name} is over the limit of {limit}")
    total = _int(body, "total", 1, MAX_CHUNKS)
    chunk = {"recording_id": body["recording_id"], "question_id": question_id, "mime": mime, "total": total,
             "index": _int(body, "index", 0, total - 1), "duration_ms": _int(body, "duration_ms", 1, MAX_DURATION_MS)}
    chunk["iv"], chunk["ciphertext"] = _b64(body, "iv"), _b64(body, "ciphertext")
    if len(chunk["iv"]) != 12:
        raise Malformed("iv must be 12 bytes")
    if len(chunk["ciphertext"]) > MAX_CHUNK_BYTES + GCM_TAG:
        raise TooLarge(f"a chunk holds at most {MAX_CHUNK_BYTES} bytes")
    chunk["opener"] = _b64(body, "epk" if "epk" in body else "wrapped_key")
    chunk["aad"] = recording_aad(interview_id, question_id, chunk["recording_id"], chunk["index"], total,
                                 chunk["duration_ms"], mime)
    return chunk


def _opener_item(opener: bytes, secret_key) -> dict:
    """The opener as sync.py's key derivation reads it from an envelope."""
    name = "epk" if isinstance(secret_key, ec.EllipticCurvePrivateKey) else "wrapped_key"
    return {name: base64.b64encode(opener).decode()}


def _open_chunk(iv, opener, ciphertext, aad, secret_key) -> bytes:
    try:
        return AESGCM(_answer_key(_opener_item(opener, secret_key), secret_key)).decrypt(iv, ciphertext, aad)
    except Malformed:
        raise
    except (ValueError, InvalidTag):
        raise Malformed("chunk cannot be decrypted") from None


@bp.post("/interviews/<interview_id>/recordings")
def upload_recording(interview_id):
    """One encrypted chunk of a recording -> {"received": n, "total": t, "complete": bool}.

    Only the interviewer of the interview, while it takes answers, after the person agreed to
    recordings, for a question that may be answered by speaking. 400: malformed, not
    decryptable or not a spoken question (nothing stored); 403 with `refused`: no consent for
    recordings; 409: the recording id was used for another recording; 413: over the size limit;
    410: the interview takes no answers any more (withdrawn, erased)."""
    interview = interview_facts(interview_id)
    if interview is None:
        return _gone([])
    if not may_change_answers(interview):
        abort(403)
    state = db.session.get(Interview, interview.id)
    if state is None or state.status not in TAKES_ANSWERS:
        return _gone([], state)
    if state.recording_consent_version is None:  # the tablet shows no record button either
        return _refuse("no-consent", "the person did not agree to recordings", 403)
    try:
        chunk = _read_chunk(request.get_json(silent=True), interview.id, frozen_questions_by_id(interview.version_id))
        _open_chunk(chunk["iv"], chunk["opener"], chunk["ciphertext"], chunk["aad"],
                    private_key(project_key(interview.project_id)))  # checked, then forgotten
    except TooLarge as error:
        return _refuse("too-large", str(error), 413)
    except TooLong as error:
        return _refuse("too-large", str(error), 400)
    except NotSpeakable as error:
        return _refuse("not-speakable", str(error), 400)
    except Malformed as error:
        return _refuse("malformed", str(error), 400)
    return _store_chunk(state, chunk)


def _store_chunk(state, chunk):
    recording = _recording_for(state, chunk)
    if recording is None:
        return _refuse("conflict", "this recording id belongs to another recording", 409)
    others = db.session.scalar(select(func.coalesce(func.sum(func.length(SpokenChunk.ciphertext)), 0))
                               .where(SpokenChunk.recording_id == recording.id,
                                      SpokenChunk.position != chunk["index"]))
    if others + len(chunk["ciphertext"]) > MAX_RECORDING_BYTES + MAX_CHUNKS * GCM_TAG:
        return _refuse("too-large", f"a recording holds at most {MAX_RECORDING_BYTES} bytes", 413)
    db.session.execute(insert_for_dialect(SpokenChunk).values(
        recording_id=recording.id, position=chunk["index"], iv=chunk["iv"], opener=chunk["opener"],
        ciphertext=chunk["ciphertext"]).on_conflict_do_nothing(index_elements=["recording_id", "position"]))
    received = db.session.scalar(select(func.count()).select_from(SpokenChunk)
                                 .where(SpokenChunk.recording_id == recording.id))
    if received == recording.chunks_total and recording.completed_at is None:
        _complete(state, recording)
    db.session.commit()
    return _reply({"received": received, "total": recording.chunks_total,
                   "complete": received == recording.chunks_total})


def _recording_for(state, chunk):
    """The recording this chunk belongs to, made by its first chunk; None when the tablet's
    recording id already names a recording with another length or format."""
    db.session.execute(insert_for_dialect(SpokenRecording).values(
        interview_id=state.id, question_id=chunk["question_id"], client_id=chunk["recording_id"],
        chunks_total=chunk["total"], duration_ms=chunk["duration_ms"], mime=chunk["mime"], created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["interview_id", "question_id", "client_id"]))
    recording = db.session.scalar(select(SpokenRecording).where(
        SpokenRecording.interview_id == state.id, SpokenRecording.question_id == chunk["question_id"],
        SpokenRecording.client_id == chunk["recording_id"]))
    same = (recording.chunks_total, recording.duration_ms, recording.mime) == \
        (chunk["total"], chunk["duration_ms"], chunk["mime"])
    return recording if same else None


def _complete(state, recording):
    """Every chunk is in. "Record again" on the tablet makes a new recording: the newest complete
    one is the answer, older ones of the same question go."""
    recording.completed_at = utcnow()
    older = select(SpokenRecording.id).where(
        SpokenRecording.interview_id == state.id, SpokenRecording.question_id == recording.question_id,
        SpokenRecording.id != recording.id).scalar_subquery()
    db.session.execute(delete(SpokenChunk).where(SpokenChunk.recording_id.in_(older)))
    replaced = db.session.execute(delete(SpokenRecording).where(
        SpokenRecording.interview_id == state.id, SpokenRecording.question_id == recording.question_id,
        SpokenRecording.id != recording.id).execution_options(synchronize_session=False)).rowcount
    record("interview.recording_stored", user=current_user, project_id=state.project_id, obj=state,
           seconds=round(recording.duration_ms / 1000), replaced=replaced)


def open_recording(recording: SpokenRecording, project_id: int) -> bytes:
    """The audio of a complete recording, decrypted in memory for someone who may listen."""
    if recording.completed_at is None:
        raise ValueError("the recording is not complete")
    secret_key = private_key(project_key(project_id))
    return b"".join(
        _open_chunk(chunk.iv, chunk.opener, chunk.ciphertext,
                    recording_aad(recording.interview_id, recording.question_id, recording.client_id,
                                  chunk.position, recording.chunks_total, recording.duration_ms, recording.mime),
                    secret_key)
        for chunk in recording.chunks)


def complete_recordings(interview_id: str) -> dict:
    """The complete recording of each question of the interview: {question id: SpokenRecording}."""
    found = db.session.scalars(select(SpokenRecording).where(
        SpokenRecording.interview_id == interview_id, SpokenRecording.completed_at.is_not(None))).all()
    return {recording.question_id: recording for recording in found}


def finished_recording(interview, recording_id: int) -> SpokenRecording:
    """A complete recording of this interview, or 404."""
    recording = db.session.get(SpokenRecording, recording_id)
    if recording is None or recording.interview_id != interview.id or recording.completed_at is None:
        abort(404)
    return recording


@bp.get("/interviews/<interview_id>/recordings/<int:recording_id>/audio")
def recording_audio(interview_id, recording_id):
    """A complete recording, decrypted for the interviewer who took it and the project's staff
    (like the raw answers). Every listening is logged, never the content; never cached."""
    interview = interview_or_abort(interview_id, for_change=False)
    recording = finished_recording(interview, recording_id)
    audio = open_recording(recording, interview.project_id)
    record("interview.recording_listen", user=current_user, project_id=interview.project_id, obj=interview,
           question_id=recording.question_id)
    db.session.commit()
    response = make_response(audio)
    response.headers["Content-Type"] = recording.mime
    response.headers["Cache-Control"] = "no-store"
    return response
