"""The public results page of a project: a long random link that staff make, may let expire and
may take back, and the approved quotes staff chose to show on it.

The link is found by the sha256 of its token (an indexed, unique column), so a lookup compares
hashes in the database, not the token in Python. The token itself is kept too, so staff can show
the link and its QR code again (docs/decisions.md#public-results-page-link). Deleting the project
deletes its links and choices with it.
"""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class PublicLink(db.Model):
    """One link to the public page. At most one per project works at a time: making a new one
    takes the old one back."""

    __tablename__ = "public_link"
    __table_args__ = (Index("ix_public_link_project", "project_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token, hex
    token: Mapped[str] = mapped_column(String(100))  # to show the link and QR code to staff again
    expires_on: Mapped[date | None] = mapped_column(Date)  # the last day it works (local date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    # How often the page was opened through this link. Nothing else about a visit is kept.
    visits: Mapped[int] = mapped_column(default=0)


class PublicQuote(db.Model):
    """An approved quote staff chose to show on the public page too. It holds the quote's
    version of that moment: when the quote is decided again (un-approved, re-worded, reopened)
    its version moves on and it is no longer public until staff choose it again. An erased
    answer takes its quote, and with it this row, away (ON DELETE CASCADE)."""

    __tablename__ = "public_quote"
    __table_args__ = (UniqueConstraint("quote_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"))
    quote_version: Mapped[int]
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)
