from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

# Per-project roles. "staff" in a project means: facilitator of that project (only for
# accounts with the global staff flag). "municipality" is a guest account of the municipality (or
# care provider): it reads the recommendations and agreements and writes their answer, nothing
# else, and is never combined with another role in the same project. The others are the client roles.
ROLES = ("staff", "designer", "interviewer", "panel", "municipality")


def mixes_municipality(roles) -> bool:
    """The municipality's role with any other role in one project: refused. An official who is
    also on the panel would see the panel's open answers under the same login, and the history
    could not tell the municipality's answer from the panel's work."""
    return "municipality" in roles and len(set(roles)) > 1


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_staff: Mapped[bool] = mapped_column(default=False)
    # Administrator (only a staff account): may manage every account, also other staff. Project
    # staff manage only the client accounts of their own projects.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    disabled: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(5))
    # Part of the session's user id: raising it ends every session of this user (logout,
    # password change, disabling), because the client-side cookie alone cannot be revoked.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who made the account: until it joins a project, only they (and administrators) manage it.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return not self.disabled

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def membership_in(self, project_id: int) -> "Membership | None":
        return next((m for m in self.memberships if m.project_id == project_id), None)

    @property
    def is_municipality_guest(self) -> bool:
        """A guest account of the municipality: in projects only with the municipality's role."""
        return bool(self.memberships) and all(m.is_municipality for m in self.memberships)

    def roles_in(self, project_id: int) -> set[str]:
        membership = self.membership_in(project_id)
        return membership.roles if membership else set()


class Membership(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    is_staff: Mapped[bool] = mapped_column(default=False)
    is_designer: Mapped[bool] = mapped_column(default=False)
    is_interviewer: Mapped[bool] = mapped_column(default=False)
    is_panel: Mapped[bool] = mapped_column(default=False)
    is_municipality: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped[User] = relationship(back_populates="memberships")
    project: Mapped["Project"] = relationship(back_populates="memberships")  # noqa: F821

    @property
    def roles(self) -> set[str]:
        return {role for role in ROLES if getattr(self, f"is_{role}")}

    @roles.setter
    def roles(self, roles) -> None:
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        for role in ROLES:
            setattr(self, f"is_{role}", role in roles)


class AccountNotice(db.Model):
    """Something another person changed on this account (a new password, the second factor
    switched off …). The owner sees it once, on the first page after their next login."""

    __tablename__ = "account_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The name at the time: the notice still says who it was after that account is renamed or gone.
    by_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None]
