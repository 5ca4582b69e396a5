"""The process as part of the result: when each user last opened a project's follow-up (so the
start page can tell what is new), the panel's meetings with how many panel members came, and
the volunteers' own appreciation of taking part."""
from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

MARKS = tuple(range(1, 11))  # the appreciation's mark, as at school: 1 to 10
# The average mark is shown only from this many answers on: fewer marks would say too much
# about the few who gave them.
MIN_APPRECIATIONS = 5


class FollowUpSeen(db.Model):
    """When a user last opened the follow-up pages of a project: changes after it are new."""

    __tablename__ = "follow_up_seen"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class PanelMeeting(db.Model):
    """One meeting of the panel: opened and closed by the facilitator, who may fill in how many
    panel members were there (a number, never who)."""

    __tablename__ = "panel_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    attendees: Mapped[int | None]


class AppreciationRound(db.Model):
    """Staff switched the volunteers' appreciation question on for this project (one row per
    project; no row: not asked)."""

    __tablename__ = "appreciation_round"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Appreciation(db.Model):
    """One volunteer's answer (or their "not now, thanks"): a mark and what they valued. The
    user is kept only so they can change it and are not asked again; no page shows who. When
    the account goes, the answer stays, without anyone behind it."""

    __tablename__ = "appreciation"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    mark: Mapped[int | None]  # 1–10; None: dismissed without answering
    valued: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
