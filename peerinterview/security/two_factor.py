"""Second factor for staff: TOTP (any authenticator app) plus one-time recovery codes.

The TOTP secret is stored encrypted (AES-GCM, key = HKDF-SHA256 of SECRET_KEY, so a copy of the
database alone gives no codes; SECRET_KEY_FALLBACKS keep working after a key rotation). A code
is accepted once: the time step of the last accepted code is kept. Recovery codes are long
random strings, stored as SHA-256 (they are not guessable, so a slow hash adds nothing), and
each works once. No Flask request objects here.
"""
import base64
import hashlib
import hmac
import os
import secrets
import time

import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, select

from ..audit import record
from ..extensions import db
from ..models import RecoveryCode, TwoFactor, User
from ..models.base import utcnow
from .notices import notify

ISSUER = "PeerInterview"
RECOVERY_CODES = 10
# Letters and digits that cannot be mistaken for each other when typed from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_INFO = b"peerinterview totp secret v1"
_ENROLMENT_INFO = b"peerinterview totp enrolment v1"  # a separate key for deriving secrets


# --- the secret at rest ----------------------------------------------------------------------
def _key(secret_key: str | bytes, info: bytes = _INFO) -> bytes:
    secret_key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret_key)


def _keys() -> list[bytes]:
    config = current_app.config
    return [_key(k) for k in (config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or []))]


def encrypt_secret(secret: str, user_id: int) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_keys()[0]).encrypt(nonce, secret.encode(), b"user:%d" % user_id)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt_secret(stored: str, user_id: int) -> str:
    raw = base64.urlsafe_b64decode(stored.encode())
    for key in _keys():
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], b"user:%d" % user_id).decode()
        except InvalidTag:
            continue
    raise RuntimeError("The TOTP secret cannot be read with SECRET_KEY or SECRET_KEY_FALLBACKS.")


# --- state -----------------------------------------------------------------------------------
def two_factor_of(user: User) -> TwoFactor | None:
    return db.session.get(TwoFactor, user.id)


def is_enrolled(user: User) -> bool:
    state = two_factor_of(user)
    return state is not None and state.confirmed_at is not None


def enrolment_secret(user: User) -> str:
    """The secret offered while enrolling. Derived from SECRET_KEY and the user's session
    version, so showing the QR code stores nothing (a GET changes nothing); it is stored,
    encrypted, once the first code confirms it. Logging out gives a new one."""
    message = b"totp enrolment %d %d" % (user.id, user.session_version)
    digest = hmac.new(_key(current_app.config["SECRET_KEY"], _ENROLMENT_INFO), message, hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()  # 160 bits, 32 characters (RFC 4226)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows img-src data:, not inline SVG styles)."""
    return segno.make(text, error="m").svg_data_uri(scale=6, border=4, dark="#000", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace() and ch != "-").lower()


def _check_totp(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step the code belongs to (this one, or one step either side), or None."""
    code = _normalise_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    step = int(now // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.at(candidate * totp.interval), code):
            return candidate
    return None


def confirm_enrolment(user: User, code: str, now: float | None = None) -> list[str] | None:
    """The first code from the app confirms the secret; returns the new recovery codes."""
    if is_enrolled(user):
        return None
    secret = enrolment_secret(user)
    step = _check_totp(secret, code, now)
    if step is None:
        return None
    state = two_factor_of(user)
    if state is None:
        state = TwoFactor(user_id=user.id)
        db.session.add(state)
    state.secret_encrypted = encrypt_secret(secret, user.id)
    state.confirmed_at = utcnow()
    state.last_step = step
    codes = new_recovery_codes(user)
    record("two_factor.enrol", user=user, obj=user)
    return codes


def verify(user: User, code: str, now: float | None = None) -> str | None:
    """At login: "totp" or "recovery" when the code is right (each code once), else None."""
    state = two_factor_of(user)
    if state is None or state.confirmed_at is None:
        return None
    step = _check_totp(decrypt_secret(state.secret_encrypted, user.id), code, now)
    if step is not None:
        if state.last_step is not None and step <= state.last_step:
            return None  # this code (or an older one) was used already
        state.last_step = step
        return "totp"
    if _use_recovery_code(user, code):
        return "recovery"
    return None


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (shown once); the old ones stop working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(raw)))
    db.session.flush()
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    normalised = _normalise_code(code)
    if len(normalised) != 12:
        return False
    found = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_recovery(normalised),
        RecoveryCode.used_at.is_(None)))
    if found is None:
        return False
    found.used_at = utcnow()
    return True


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def reset(user: User, *, by: User) -> None:
    """An administrator resets a lost phone: the user enrols again at the next login."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    user.session_version += 1  # end their sessions: the next login asks for a new app
    record("two_factor.reset", user=by, obj=user, on_behalf_of=user)
    notify(user, "two_factor_reset", by=by)
