"""The review of a completed interview before its answers are pooled, and the history of every
change to an answer after the interview was finished.

Staff (and, when the project allows, a second interviewer who did not take it) mark a completed
interview "goedgekeurd", "klopt iets niet" (with a note to the interviewer, who may answer and
correct answers) or "niet meetellen" (with a reason). Which interviews count in the results is
decided in one place: peerinterview/counting.py.

Both histories hold what people wrote about an interview, so they go with its answers: an
answer's changes are deleted with the answer (withdrawal, erasure, the retention run), and the
notes of a review are emptied there too (security/retention.py, security/erasure.py).
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

# Interview.review_state: not reviewed yet, approved, something is wrong, does not count.
INTERVIEW_REVIEW_STATES = ("none", "approved", "issue", "excluded")
# Project.count_rule: which completed interviews count in every result.
COUNT_RULES = ("not_excluded", "approved_only")
# InterviewReview.kind: a reviewer set a state, or the interviewer answered a note.
REVIEW_EVENT_KINDS = ("review", "reply")
# AnswerChange.kind: the interviewer corrected it after "klopt iets niet", or staff redacted it.
ANSWER_CHANGE_KINDS = ("interviewer", "redaction")


class InterviewReview(db.Model):
    """One step in an interview's review: who, when, the state before and after, and the note
    (to the interviewer, the reason for not counting, or the interviewer's reply)."""

    __tablename__ = "interview_review"
    __table_args__ = (Index("ix_interview_review_interview", "interview_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(10), default="review")  # one of REVIEW_EVENT_KINDS
    old_state: Mapped[str] = mapped_column(String(20))  # one of INTERVIEW_REVIEW_STATES
    new_state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    user: Mapped["User | None"] = relationship()  # noqa: F821


class AnswerChange(db.Model):
    """One change to an answer after its interview was finished: the old and the new answer,
    who changed it, when and why."""

    __tablename__ = "answer_change"
    __table_args__ = (Index("ix_answer_change_interview", "interview_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(12), default="interviewer")  # one of ANSWER_CHANGE_KINDS
    old_value: Mapped[str | None] = mapped_column(String(64))
    old_text: Mapped[str | None] = mapped_column(Text)
    old_special: Mapped[str | None] = mapped_column(String(16))
    new_value: Mapped[str | None] = mapped_column(String(64))
    new_text: Mapped[str | None] = mapped_column(Text)
    new_special: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)

    user: Mapped["User | None"] = relationship()  # noqa: F821
    question: Mapped["Question"] = relationship()  # noqa: F821
