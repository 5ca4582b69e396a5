"""The staff check between a saved open text and the panel.

An open answer (Answer.text) or a follow-up note (Answer.note) may hold a name, an address or a
phone number. With Project.review_open_answers on (the default) the panel reads it only after
staff released it (security/review.py); with it off, everything that staff did not hold back.
Every query that gives the panel open-answer text, or counts built on it, filters with
`panel_may_read`.

A redaction must also survive a resend: a tablet that never heard the server's answer sends the
original text again. The redaction keeps a digest of each text it replaced, keyed with
SECRET_KEY (a plain hash of "Bel Sandra op 06…" can be guessed from the redacted text); the
answer upsert keeps the redacted text when a write brings back a text with one of those digests.
"""
import hashlib
import hmac

from flask import current_app
from sqlalchemy import ColumnElement, select
from sqlalchemy.sql.expression import true

from .extensions import db
from .models import Answer, Project

# A write of no text at all must never match a stored digest (hex digits and spaces only).
NO_TEXT_DIGEST = "-"
# Digests kept per answer: a few redactions of later changes, never an ever-growing list.
KEPT_DIGESTS = 8


def panel_may_read(project: Project | int) -> ColumnElement[bool]:
    """Whether the panel may read an answer's open text and note (and count it); `project` is
    the answer's project or its id."""
    if not isinstance(project, Project):
        project = db.session.get(Project, project)
    if project is None or project.review_open_answers:
        return Answer.review == "released"
    return Answer.review != "held"


def readable_answer_ids(project, answer_ids) -> set[int]:
    """Those of `answer_ids` whose texts the panel may read."""
    ids = sorted(set(answer_ids))
    readable: set[int] = set()
    for start in range(0, len(ids), 5000):  # a database takes only so many parameters in one IN
        readable.update(db.session.scalars(
            select(Answer.id).where(Answer.id.in_(ids[start:start + 5000]), panel_may_read(project))))
    return readable


def _digest_key(secret) -> bytes:
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, b"peerinterview redaction digest v1", hashlib.sha256).digest()


def _secrets() -> list:
    return [current_app.config["SECRET_KEY"], *(current_app.config.get("SECRET_KEY_FALLBACKS") or [])]


def _digest(secret, part: str, value: str) -> str:
    message = f"{part}\0{value.strip()}".encode()
    return hmac.new(_digest_key(secret), message, hashlib.sha256).hexdigest()


def redaction_digest(part: str, value: str) -> str:
    """The digest a redaction stores for the text it replaced (with the current SECRET_KEY)."""
    return _digest(_secrets()[0], part, value)


def incoming_digests(part: str, value: str | None) -> list[str]:
    """The digests of a text that is being written, one per key in SECRET_KEY and
    SECRET_KEY_FALLBACKS: a resend after a key rotation still matches an older redaction."""
    if not value or not value.strip():
        return [NO_TEXT_DIGEST] * len(_secrets())
    return [_digest(secret, part, value) for secret in _secrets()]


def with_digest(stored: str | None, digest: str) -> str:
    kept = [d for d in (stored or "").split() if d != digest][-(KEPT_DIGESTS - 1):]
    return " ".join([*kept, digest])


def redacted_before(digests_column, params: list) -> ColumnElement[bool]:
    """SQL: one of the bound digests `params` is among the stored digests."""
    condition = None
    for param in params:
        match = digests_column.contains(param, autoescape=False)
        condition = match if condition is None else condition | match
    return condition if condition is not None else ~true()
