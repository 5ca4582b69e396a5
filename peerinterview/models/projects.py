from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

PHASES = ("prepare", "design", "interview", "discuss", "report", "closed")


class Project(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    research_question: Mapped[str] = mapped_column(Text, default="")
    commissioner: Mapped[str] = mapped_column(String(200), default="")
    phase: Mapped[str] = mapped_column(String(20), default="prepare")
    # Groups smaller than this are hidden in every result (docs/architecture.md#the-small-group-rule).
    min_group_size: Mapped[int] = mapped_column(default=5)
    # Open answers and follow-up notes reach the panel only after staff released them (the safe
    # default, also for projects made before this setting existed).
    review_open_answers: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Which completed interviews count in the results (models/review.py COUNT_RULES): all but
    # those marked "niet meetellen", or only the approved ones.
    count_rule: Mapped[str] = mapped_column(String(20), default="not_excluded", server_default="not_excluded")
    # A volunteer who did not take an interview may review it (never their own).
    second_interviewer_may_review: Mapped[bool] = mapped_column(default=False, server_default=false())
    retention_date: Mapped[date | None]
    # When `flask purge-expired` erased the raw answers (after the retention date); see
    # security/retention.py for what is kept.
    erased_at: Mapped[datetime | None]
    consent_text: Mapped[str] = mapped_column(Text, default="")
    consent_version: Mapped[int] = mapped_column(default=1)
    # The consent text in other languages ({"en": "…"}); Dutch (consent_text) is the source.
    consent_translations: Mapped[dict] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql"), default=dict, server_default="{}"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Fieldwork target: how many completed interviews the project aims for (progress page).
    interview_target: Mapped[int | None]
    # Languages the questions are written in; "nl" is the source, the others are translations.
    languages: Mapped[list] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql"), default=lambda: ["nl", "en"],
        server_default='["nl", "en"]'
    )

    def consent_text_in(self, language: str) -> str:
        """The consent text translated into `language`, or "" when there is none."""
        if language == "nl":
            return self.consent_text or ""
        return ((self.consent_translations or {}).get(language) or "").strip()

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="project", cascade="all, delete-orphan"
    )
    locations: Mapped[list["Location"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Location.name"
    )

    @property
    def open_locations(self) -> list["Location"]:
        """The locations new interviews may use (archived ones stay on their old interviews)."""
        return [location for location in self.locations if location.archived_at is None]


class Location(db.Model):
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Fieldwork target for this location (progress page); None: no target set.
    interview_target: Mapped[int | None]
    # Archived: no longer offered for new interviews; interviews held there keep it.
    archived_at: Mapped[datetime | None]

    project: Mapped[Project] = relationship(back_populates="locations")


class ProjectKey(db.Model):
    """The project's key pair for answers that wait on a tablet (docs/decisions.md#ecdh-envelopes).

    Tablets get only the public key and encrypt queued answers with it; the private key never
    leaves the server and is stored encrypted with a key derived from the app's SECRET_KEY.
    """

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    private_key_pem: Mapped[str] = mapped_column(Text)  # PKCS#8, encrypted
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
