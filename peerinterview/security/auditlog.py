"""Reading the logboek for staff: filters, paging and the scope a staff member may see.
Nobody changes or deletes entries through the app: there is no route for it."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import aliased

from ..access import visible_accounts_query
from ..extensions import db
from ..models import AuditEvent, Membership, User

PER_PAGE = 50


@dataclass
class AuditFilters:
    username: str = ""
    operation: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    project_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def visible_project_ids(user: User) -> list[int]:
    """Staff see the entries of the projects they are staff of, plus those of no project
    (accounts, logins) about the people they may see (see visible_scope)."""
    return list(db.session.scalars(
        select(Membership.project_id).where(Membership.user_id == user.id, Membership.is_staff.is_(True))))


def visible_scope(viewer: User):
    """The entries `viewer` may read. Of the entries without a project (logins, account changes),
    project staff see only those about people of their own projects, so the logboek does not list
    the people of other projects either; administrators see all of those."""
    in_my_projects = AuditEvent.project_id.in_(visible_project_ids(viewer))
    if viewer.is_admin:
        return or_(in_my_projects, AuditEvent.project_id.is_(None))
    people = visible_accounts_query(viewer).with_only_columns(User.id)
    people_as_text = visible_accounts_query(viewer).with_only_columns(cast(User.id, String))
    about_user = AuditEvent.object_type == "user"
    return or_(in_my_projects, and_(
        AuditEvent.project_id.is_(None),
        # Everyone it names is someone the viewer may see, and it names someone.
        or_(AuditEvent.user_id.is_(None), AuditEvent.user_id.in_(people)),
        or_(AuditEvent.on_behalf_of_id.is_(None), AuditEvent.on_behalf_of_id.in_(people)),
        or_(~about_user, AuditEvent.object_id.in_(people_as_text)),
        or_(AuditEvent.user_id.is_not(None), AuditEvent.on_behalf_of_id.is_not(None), about_user),
    ))


def parse_object(text: str) -> tuple[str, str]:
    """"interview" or "user:12" -> (type, id)."""
    kind, _, ident = (text or "").strip().partition(":")
    return kind.strip().lower(), ident.strip()


def _start_of_day(day: date, zone: str) -> datetime:
    """Midnight of `day` in `zone` as naive UTC, the way AuditEvent.at is stored."""
    local = datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))
    try:
        return local.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:  # 1 January of the year 1 lies before the first moment UTC can hold
        return datetime.min


def search(viewer: User, filters: AuditFilters, page: int = 1, zone: str = "UTC"):
    """(rows, total): rows are (event, username, on_behalf_of_username).

    zone: the time zone the reader's dates are in (the logboek shows local time, so "from 1
    March" starts at midnight there, not at midnight UTC)."""
    actor = aliased(User)
    principal = aliased(User)
    query = (select(AuditEvent, actor.username, principal.username)
             .outerjoin(actor, actor.id == AuditEvent.user_id)
             .outerjoin(principal, principal.id == AuditEvent.on_behalf_of_id))
    query = query.where(visible_scope(viewer))
    if filters.username:
        query = query.where(func.lower(actor.username) == filters.username.strip().lower())
    if filters.operation:
        query = query.where(AuditEvent.operation == filters.operation)
    if filters.action:
        query = query.where(AuditEvent.action.startswith(filters.action.strip(), autoescape=True))
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.project_id:
        query = query.where(AuditEvent.project_id == filters.project_id)
    if filters.date_from:
        query = query.where(AuditEvent.at >= _start_of_day(filters.date_from, zone))
    if filters.date_to and filters.date_to < date.max:
        query = query.where(AuditEvent.at < _start_of_day(filters.date_to + timedelta(days=1), zone))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    ).all()
    return rows, total
