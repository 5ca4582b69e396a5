"""After the panel: what the municipality answered to each recommendation, the agreements
("afspraken") that came of it, what happened since, and a history of every change.

Everything hangs off a Recommendation, and so off its theme and project: deleting the project
(or the theme) deletes the follow-up with it. A recommendation the panel took away keeps its
follow-up stored, but no page shows it while it is away.
"""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

# The municipality's answer to a recommendation (RecommendationAnswer.verdict), in form order.
VERDICTS = ("accepted", "partly", "declined", "thinking")
# Where an agreement stands (Agreement.status), in form order.
AGREEMENT_STATUSES = ("not_started", "started", "halfway", "done", "stopped")
# The progress (in %) a status gives unless staff type another one. A stopped agreement keeps
# the progress it had: what was done stays done.
DEFAULT_PROGRESS = {"not_started": 0, "started": 25, "halfway": 50, "done": 100, "stopped": None}
# What a history entry is about (FollowUpChange.kind).
CHANGE_KINDS = ("answer", "agreement_add", "agreement_change", "status", "milestone_add", "milestone_delete",
                "agreement_delete", "evaluation")
# "Is het gedaan zoals afgesproken?": the five points of the interviews' smiley scale (1 saddest).
EVALUATION_SCORES = (1, 2, 3, 4, 5)


class RecommendationAnswer(db.Model):
    """The answer of the municipality (or care provider) to one recommendation: one per
    recommendation, changed in place (the history keeps what it said before)."""

    __tablename__ = "recommendation_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"),
                                                   unique=True)
    verdict: Mapped[str] = mapped_column(String(12))  # one of VERDICTS
    organisation: Mapped[str] = mapped_column(String(200))  # who answered, as they call themselves
    reasons: Mapped[str] = mapped_column(Text, default="")  # in their own words
    answered_on: Mapped[date] = mapped_column(Date)
    # Raised on every change: a change based on an older answer is refused (optimistic check).
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Agreement(db.Model):
    """What someone agreed to do about a recommendation: what, who, by when, where, and how far
    it is (a status with a progress that staff may set to another percentage)."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"),
                                                   index=True)
    what: Mapped[str] = mapped_column(Text)
    agreed_on: Mapped[date] = mapped_column(Date)  # when it was agreed (staff may enter it later)
    organisation: Mapped[str] = mapped_column(String(200))
    person: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    # When the panel looks back together to judge it (optional). From that day on the panel is
    # reminded until an evaluation for this date is saved; a later date asks for another one.
    evaluate_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="not_started")  # one of AGREEMENT_STATUSES
    progress: Mapped[int] = mapped_column(default=0)  # 0–100
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    recommendation: Mapped["Recommendation"] = relationship()  # noqa: F821
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: (Milestone.happened_on, Milestone.id),
    )
    evaluations: Mapped[list["Evaluation"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: (Evaluation.evaluated_on, Evaluation.id),
    )


class Milestone(db.Model):
    """Something that happened for an agreement, on a date ("Wat is er gebeurd")."""

    __tablename__ = "agreement_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="milestones")


class Evaluation(db.Model):
    """The panel's judgement of an agreement, made together in a meeting: done as agreed (on the
    smiley scale), what changed for clients, what still has to happen, and how many panel members
    took part (a number, never names). Kept for good; an agreement may have several."""

    __tablename__ = "agreement_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    # The evaluation date it answers (the agreement's evaluate_on when it was saved; None when
    # the panel looked back without a date being set).
    planned_on: Mapped[date | None] = mapped_column(Date)
    evaluated_on: Mapped[date] = mapped_column(Date)
    score: Mapped[int] = mapped_column()  # one of EVALUATION_SCORES
    what_changed: Mapped[str] = mapped_column(Text)
    still_to_do: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[int] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="evaluations")


class FollowUpChange(db.Model):
    """One change to the follow-up of a recommendation ("Wat is er veranderd"): who, when, what
    kind, and the changed fields before and after (JSON, dates as ISO text). It names the
    agreement it was about, if any; the entry stays when that agreement is gone."""

    __tablename__ = "follow_up_change"
    __table_args__ = (Index("ix_follow_up_change_recommendation", "recommendation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # one of CHANGE_KINDS
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)

    user: Mapped["User | None"] = relationship()  # noqa: F821
