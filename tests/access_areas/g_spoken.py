"""Spoken answers: encrypted recordings go only into one's own interview, and only after the
person agreed to recordings (set here on the walk's interview, whose open question may be
answered by speaking). The walk posts a form, not JSON: the upload runs and refuses it with 400.
A complete recording is heard by the interviewer who took it and the project's staff, like the
raw answers."""
import os
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from peerinterview.extensions import db
from peerinterview.interview.spoken import recording_aad
from peerinterview.interview.sync import project_key
from peerinterview.models import RECORDING_CONSENT_VERSION, Interview, Question, SpokenChunk, SpokenRecording
from peerinterview.models.base import utcnow
from peerinterview.process_cache import clear_all

from .roles import ANNA_ONLY

ACCESS = {
    "interview.upload_recording": {"POST": ANNA_ONLY},
    "interview.recording_audio": {"GET": frozenset({"anna", "staf"})},
    # Staff type what was said (the walk posts no text: 422).
    "interview.transcript": {"POST": frozenset({"staf"})},
}
ALLOWED_STATUSES_OF = {"interview.upload_recording": {400}, "interview.transcript": {422}}


def sealed_chunk(public_key, aad: bytes, audio: bytes) -> dict:
    """A chunk sealed as the tablet seals it (ECDH-P256, HKDF-SHA256, AES-256-GCM)."""
    fresh = ec.generate_private_key(ec.SECP256R1())
    aes_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"peerinterview answer v2").derive(fresh.exchange(ec.ECDH(), public_key))
    iv = os.urandom(12)
    opener = fresh.public_key().public_bytes(serialization.Encoding.X962,
                                             serialization.PublicFormat.UncompressedPoint)
    return {"iv": iv, "opener": opener, "ciphertext": AESGCM(aes_key).encrypt(iv, audio, aad)}


def url_values(app, world) -> dict:
    with app.app_context():
        db.session.get(Question, world.question_ids[2]).allow_spoken = True
        interview = db.session.get(Interview, world.interview_id)
        interview.recording_consent_version = RECORDING_CONSENT_VERSION
        public = serialization.load_pem_public_key(project_key(world.project_id).public_key_pem.encode())
        recording = SpokenRecording(interview_id=interview.id, question_id=world.question_ids[2],
                                    client_id=str(uuid.uuid4()), chunks_total=1, duration_ms=2000,
                                    mime="audio/webm", completed_at=utcnow())
        db.session.add(recording)
        db.session.flush()
        aad = recording_aad(interview.id, recording.question_id, recording.client_id, 0, 1, 2000, "audio/webm")
        db.session.add(SpokenChunk(recording_id=recording.id, position=0,
                                   **sealed_chunk(public, aad, b"\x1a\x45\xdf\xa3 audio")))
        db.session.commit()
        recording_id = recording.id
        clear_all()  # the frozen questions were read before the switch
        db.session.remove()
    return {"recording_id": recording_id}
