import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, and_, false, or_, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

# Stored apart from a blank answer: "weet ik niet" and "wil ik niet zeggen".
SPECIAL_ANSWERS = ("dont_know", "refuse")
# "erased": the retention run (security/retention.py) erased its content; the record stays.
# "stopped": stopped before the end, and the person wanted the answers erased. Stopped with the
# answers kept, an interview is "completed" (its answers count like any other) with stopped_at.
INTERVIEW_STATUSES = ("in_progress", "completed", "withdrawn", "erased", "stopped")
# Why an interview stopped early (optional): the person wanted to, was tired, something else,
# or staff closed an interview that was left open.
STOP_REASONS = ("wants_to_stop", "tired", "other", "left_open")
# Where an answer's open text and follow-up note stand in the staff check before the panel reads
# them (Project.review_open_answers): waiting, released by staff, or held back by staff.
REVIEW_STATES = ("pending", "released", "held")
# The text of the consent for recordings is the app's own (translated like every text); a change
# of its meaning raises this number, and each interview keeps the number it was given under.
RECORDING_CONSENT_VERSION = 1


class Interview(db.Model):
    __table_args__ = (
        Index("ix_interview_project_status", "project_id", "status"),
        # Erasure and withdrawal find one respondent by this code: it names exactly one
        # interview of the project. The retention run empties the codes (""): those are no code.
        Index("uq_interview_project_id_respondent_code", "project_id", "respondent_code", unique=True,
              sqlite_where=text("respondent_code <> ''"), postgresql_where=text("respondent_code <> ''")),
    )

    # A UUID made before the first save, so every save can be repeated safely.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    interviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    # A short code made by the server (interview/services.py), never a name: the only
    # identifier of a respondent. Empty once the retention run has erased it.
    respondent_code: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(5), default="nl")
    consent_version: Mapped[int]
    # Both confirmations (taking part; use of the answers, which may be about health) are
    # given before the interview can start; this is when, and how.
    consent_given_at: Mapped[datetime]
    consent_method: Mapped[str] = mapped_column(
        String(30), default="interviewer_tablet", server_default="interviewer_tablet"
    )
    # The version of the separate consent for recordings (RECORDING_CONSENT_VERSION) the person
    # gave at the start; None: no recording may be made or stored.
    recording_consent_version: Mapped[int | None]
    second_interviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    # The interviewer's short debrief after the interview; staff see follow-up flags.
    debrief_mood: Mapped[str | None] = mapped_column(String(20))
    debrief_text: Mapped[str | None] = mapped_column(Text)
    follow_up_needed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The aftercare flag is a safety signal: when it was set (newest first for staff), and
    # which staff member dealt with it, when.
    follow_up_flagged_at: Mapped[datetime | None]
    follow_up_done_at: Mapped[datetime | None]
    follow_up_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    debriefed_at: Mapped[datetime | None]
    # Stopped before the end (by the interviewer, or closed by staff when left open).
    stopped_at: Mapped[datetime | None]
    stop_reason: Mapped[str | None] = mapped_column(String(20))  # one of STOP_REASONS, or None
    stopped_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Withdrawn at the respondent's request: the answers are erased, this record stays.
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The review before pooling (models/review.py): one of INTERVIEW_REVIEW_STATES. Whether it
    # counts in the results is decided by counting.py, with the project's rule.
    review_state: Mapped[str] = mapped_column(String(20), default="none", server_default="none")

    project: Mapped["Project"] = relationship()  # noqa: F821
    version: Mapped["QuestionnaireVersion"] = relationship()  # noqa: F821
    location: Mapped["Location"] = relationship()  # noqa: F821
    interviewer: Mapped["User | None"] = relationship(foreign_keys=[interviewer_id])  # noqa: F821
    second_interviewer: Mapped["User | None"] = relationship(foreign_keys=[second_interviewer_id])  # noqa: F821
    follow_up_done_by: Mapped["User | None"] = relationship(foreign_keys=[follow_up_done_by_id])  # noqa: F821
    stopped_by: Mapped["User | None"] = relationship(foreign_keys=[stopped_by_id])  # noqa: F821
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", passive_deletes=True
    )


def was_completed():
    """SQL condition: the interview was finished, also when the retention run has erased its
    content since (so the number of interviews and the method stay true)."""
    return and_(Interview.completed_at.is_not(None), or_(Interview.status == "completed",
                                                         Interview.status == "erased"))


_WAITING = text("review = 'pending' AND (text IS NOT NULL OR note IS NOT NULL)")


ANSWER_REF_LENGTH = 16


def new_answer_ref() -> str:
    """A random, meaningless reference for an answer (16 hex digits)."""
    return secrets.token_hex(ANSWER_REF_LENGTH // 2)


class Answer(db.Model):
    """One per interview × question, written by an idempotent upsert (interviews/services.py)."""

    __table_args__ = (
        UniqueConstraint("interview_id", "question_id"),
        # Per-question counts over many answers: much faster with it on SQLite
        # (bench/README.md#figures-behind-the-code).
        Index("ix_answer_question_value", "question_id", "value"),
        # The open answers of a question in the order the panel reads them (by the random
        # reference), a page at a time, without sorting them all.
        Index("ix_answer_question_ref", "question_id", "ref"),
        # The open texts that wait for the staff check: few, counted on every project page.
        Index("ix_answer_waiting", "interview_id", sqlite_where=_WAITING, postgresql_where=_WAITING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the panel's pages call the answer (a card's key) and the order they show answers in.
    # Random: the ids of one interview's answers are neighbours, so ids, or an order by id,
    # would tell which texts one person wrote.
    ref: Mapped[str] = mapped_column(String(ANSWER_REF_LENGTH), default=new_answer_ref, unique=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    value: Mapped[str | None] = mapped_column(String(64))  # the chosen Choice.value
    text: Mapped[str | None] = mapped_column(Text)  # open answer
    special: Mapped[str | None] = mapped_column(String(16))  # one of SPECIAL_ANSWERS
    note: Mapped[str | None] = mapped_column(Text)  # "wil je daar iets over vertellen?"
    # False: when the interview was finished, skip logic hid this question ("niet gevraagd").
    # An answer given before an earlier answer changed is kept, but it does not count.
    asked: Mapped[bool] = mapped_column(default=True, server_default=true())
    # When the answer was given (on the tablet); a replay of an older value never wins.
    changed_at: Mapped[datetime]
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The staff check of the open text and the note (one of REVIEW_STATES). A write that changes
    # either of them puts the answer back to "pending" (interview/services.py).
    review: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Why staff held the answer back ("niet vrijgeven"); staff-only.
    review_reason: Mapped[str | None] = mapped_column(Text)
    # How many likely identifying details the scanner found in the text and the note; None: not
    # scanned since the last change (security/review.py scans on demand).
    identifying_found: Mapped[int | None]
    # Keyed digests of the texts staff redacted (open_answer_gate.py), space separated: a resend
    # of a redacted text never brings it back.
    redacted_digests: Mapped[str | None] = mapped_column(Text)

    interview: Mapped[Interview] = relationship(back_populates="answers")
    question: Mapped["Question"] = relationship()  # noqa: F821


class SpokenRecording(db.Model):
    """A spoken answer to an open question, as the tablet sent it: encrypted chunks
    (SpokenChunk), stored as received and opened only when staff or the panel listen.

    One per (interview, question, client_id): the tablet names a recording before it sends it,
    so a retried chunk or a double send stores one recording. Complete when every chunk is in."""

    __table_args__ = (UniqueConstraint("interview_id", "question_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    chunks_total: Mapped[int]
    duration_ms: Mapped[int]
    mime: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    chunks: Mapped[list["SpokenChunk"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SpokenChunk.position")


class SpokenChunk(db.Model):
    """One encrypted piece of a recording: AES-256-GCM under a key only the project's private key
    opens ("opener": the tablet's fresh ECDH public key, or an RSA-wrapped key)."""

    recording_id: Mapped[int] = mapped_column(ForeignKey("spoken_recording.id", ondelete="CASCADE"),
                                              primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    iv: Mapped[bytes] = mapped_column(LargeBinary)
    opener: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
