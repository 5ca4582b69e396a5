"""Accounts: password hashing, authentication, session revocation. No Flask request objects."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from ..audit import record
from ..errors import Refused
from ..extensions import db
from ..models import Membership, User
from ..models.accounts import mixes_municipality
from ..security.notices import notify

_strong_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 defaults
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher() -> PasswordHasher:
    return _fast_hasher if current_app.config.get("ARGON2_FAST") else _strong_hasher


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def authenticate(username: str, password: str) -> User | None:
    """The user if the password is right and the account is enabled."""
    user = find_user(username)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal which names exist.
        try:
            _hasher().verify(_hasher().hash("timing-equaliser"), password + "x")
        except VerificationError:
            pass
        return None
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user if user.is_active else None


# Memberships in the same query: nearly every page asks for the user's roles. Built once, not per
# request: with its loader option made and its cache key worked out on every request, this query
# was the biggest single cost of an autosave under load (bench/README.md#figures-behind-the-code).
_USER_WITH_MEMBERSHIPS = select(User).where(User.id == bindparam("user_id")).options(joinedload(User.memberships))


def load_user(session_user_id: str) -> User | None:
    """Flask-Login loader: the id carries the session version, so old sessions stop working."""
    try:
        user_id, version = (int(part) for part in session_user_id.split(":"))
    except (ValueError, AttributeError):
        return None
    user = db.session.execute(_USER_WITH_MEMBERSHIPS, {"user_id": user_id}).unique().scalar_one_or_none()
    if user is None or user.session_version != version or not user.is_active:
        return None
    return user


def end_all_sessions(user: User) -> None:
    user.session_version += 1


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(user: User, password: str, *, by: User | None) -> None:
    """A new password ends every session of the user: they log in again with it."""
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    record("user.password_change" if by is user else "user.password_reset", user=by, obj=user)
    notify(user, "password_reset", by=by)


class LastAdministrator(Refused):
    """The change would leave no administrator who can log in."""


def _other_active_admins(user: User) -> int:
    # Locked (PostgreSQL): two administrators taking the role from each other at the same
    # moment must not both see "one other left". SQLite writes one transaction at a time.
    others = db.session.scalars(
        select(User.id).where(User.is_admin.is_(True), User.disabled.is_(False), User.id != user.id)
        .with_for_update()).all()
    return len(others)


def _keep_an_admin(user: User) -> None:
    if user.is_admin and not user.disabled and _other_active_admins(user) == 0:
        raise LastAdministrator(_("%(name)s is de enige beheerder. Maak eerst iemand anders beheerder.",
                                  name=user.display_name))


def set_disabled(user: User, disabled: bool, *, by: User | None) -> None:
    """Disabling ends every session of the user at once (load_user refuses the old ones)."""
    if by is not None and by.id == user.id and disabled:
        raise ValueError("staff cannot disable their own account")
    if disabled:
        _keep_an_admin(user)
    changed = user.disabled != disabled
    user.disabled = disabled
    if disabled:
        end_all_sessions(user)
    record("user.disable" if disabled else "user.enable", user=by, obj=user)
    if changed:
        notify(user, "disabled" if disabled else "enabled", by=by)


def set_admin(user: User, admin: bool, *, by: User | None) -> None:
    """Give or take the administrator role (staff accounts only; one administrator always stays)."""
    if admin and not user.is_staff:
        raise ValueError("only staff accounts can be administrators")
    if user.is_admin == admin:
        return
    if not admin:
        _keep_an_admin(user)
    user.is_admin = admin
    record("user.admin_grant" if admin else "user.admin_revoke", user=by, obj=user)
    notify(user, "admin_grant" if admin else "admin_revoke", by=by)


def active_admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.is_admin.is_(True), User.disabled.is_(False)))


def create_user(*, username: str, display_name: str, password: str, is_staff: bool = False,
                is_admin: bool = False, created_by: User | None = None) -> User:
    if is_admin and not is_staff:
        raise ValueError("only staff accounts can be administrators")
    user = User(
        username=normalise_username(username),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        is_staff=is_staff,
        is_admin=is_admin,
        created_by_id=getattr(created_by, "id", None),
    )
    db.session.add(user)
    db.session.flush()
    record("user.create", user=created_by, obj=user, staff=is_staff, **({"admin": True} if is_admin else {}))
    return user


def username_taken(username: str) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.username == normalise_username(username))
    ) > 0


def set_membership(*, user: User, project_id: int, roles: set[str], by: User) -> Membership | None:
    """Give a user these roles in a project; no roles removes the membership."""
    if "staff" in roles and not user.is_staff:
        raise ValueError("only staff accounts can be staff of a project")
    if mixes_municipality(roles) or ("municipality" in roles and user.is_staff):
        raise ValueError("the municipality's role goes alone, on an account that is not staff")
    membership = user.membership_in(project_id)
    if not roles:
        if membership is not None:
            db.session.delete(membership)
            user.memberships.remove(membership)
        record("membership.remove", user=by, project_id=project_id, member=user.id)
        db.session.flush()
        return None
    if membership is None:
        membership = Membership(user=user, project_id=project_id)
        db.session.add(membership)
    membership.roles = roles
    db.session.flush()
    record("membership.set", user=by, project_id=project_id, member=user.id, roles=sorted(roles))
    return membership
