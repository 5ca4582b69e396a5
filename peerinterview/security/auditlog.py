"""Reading the logboek for staff: filters, paging and the scope a staff member may see.
Nobody changes or deletes entries through the app: there is no route for it."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

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
    (accounts, logins)."""
    return list(db.session.scalars(
        select(Membership.project_id).where(Membership.user_id == user.id, Membership.is_staff.is_(True))))


def parse_object(text: str) -> tuple[str, str]:
    """"interview" or "user:12" -> (type, id)."""
    kind, _, ident = (text or "").strip().partition(":")
    return kind.strip().lower(), ident.strip()


def search(viewer: User, filters: AuditFilters, page: int = 1):
    """(rows, total): rows are (event, username, on_behalf_of_username)."""
    actor = aliased(User)
    principal = aliased(User)
    query = (select(AuditEvent, actor.username, principal.username)
             .outerjoin(actor, actor.id == AuditEvent.user_id)
             .outerjoin(principal, principal.id == AuditEvent.on_behalf_of_id))
    projects = visible_project_ids(viewer)
    query = query.where(or_(AuditEvent.project_id.is_(None), AuditEvent.project_id.in_(projects)))
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
        query = query.where(AuditEvent.at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to and filters.date_to < date.max:
        query = query.where(AuditEvent.at < datetime.combine(filters.date_to + timedelta(days=1), time.min))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    ).all()
    return rows, total
