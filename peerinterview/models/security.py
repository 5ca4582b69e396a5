"""Second factor for staff, login cards for clients, and what a project keeps after its
retention date."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class TwoFactor(db.Model):
    """A user's TOTP secret (encrypted with a key derived from SECRET_KEY). Until the first code
    is confirmed, `confirmed_at` is empty and the login does not ask for a code."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(Text)
    confirmed_at: Mapped[datetime | None]
    # The time step of the last accepted code: the same code is never accepted twice.
    last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(db.Model):
    """One-time codes for a lost phone, stored as SHA-256 of a long random code."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginCard(db.Model):
    """A printed card with a QR code: the URL carries a long random token, stored here hashed."""

    __tablename__ = "login_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class RetainedResult(db.Model):
    """The pooled counts of one question, frozen when the project's raw answers were erased at
    its retention date (small groups already hidden, as on the results page)."""

    __tablename__ = "retained_result"
    __table_args__ = (Index("ix_retained_result_project_position", "project_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_key: Mapped[str] = mapped_column(String(40))
    question_text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    asked: Mapped[int | None]  # None: hidden (it would give away a small group)
    shown: Mapped[bool]
    # [{"label": …, "count": n or None (hidden), "percent": p or None}], in the page's order;
    # for open questions: [{"label": "open answers", "count": n}]
    cells: Mapped[list] = mapped_column(JSON, default=list)
    frozen_at: Mapped[datetime] = mapped_column(default=utcnow)


class RetainedQuote(db.Model):
    """An approved quote (its approved, redacted wording) kept after the raw answers are gone."""

    __tablename__ = "retained_quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    themes: Mapped[list] = mapped_column(JSON, default=list)  # names of the themes it was in
    approved_at: Mapped[datetime | None]
    frozen_at: Mapped[datetime] = mapped_column(default=utcnow)
