"""Access decisions, made on the server for every route."""
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import and_, exists, or_, select, true
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import Interview, Membership, Project, User


def staff_required(view):
    """Global staff only (creating projects and accounts)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def project_or_abort(project_id: int, *roles: str) -> Project:
    """The project, if the current user holds one of `roles` in it; else 404 or 403."""
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    if not current_user.roles_in(project.id) & set(roles):
        abort(403)
    return project


def can(project_id: int, *roles: str) -> bool:
    return bool(current_user.is_authenticated and current_user.roles_in(project_id) & set(roles))


def interview_or_abort(interview_id: str, *, for_change: bool = True) -> Interview:
    """Raw answers belong to the interviewer who took them (and staff may read them)."""
    interview = db.session.get(Interview, interview_id)
    if interview is None:
        abort(404)
    if may_change_answers(interview):
        return interview
    if not for_change and "staff" in current_user.roles_in(interview.project_id):
        return interview
    abort(403)


def may_change_answers(interview) -> bool:
    """Only the interviewer who took it, while an interviewer in its project, changes an
    interview's answers. `interview` is an Interview or its InterviewFacts."""
    return (interview.interviewer_id == current_user.id
            and "interviewer" in current_user.roles_in(interview.project_id))


# --- accounts ----------------------------------------------------------------------------------
# Which accounts a staff member may see and manage. A new password, a login card or a switched-off
# second factor is a way into an account, and so into everything that account may see. So project
# staff manage only client accounts whose every project is one they are staff of (an interviewer in
# projects A and B is managed by staff of both, or by an administrator), plus the accounts they
# made that are in no project yet. Staff accounts are managed by administrators only. Nobody
# manages their own account here: it has its own pages.

def staff_project_ids(user: User) -> set[int]:
    return {m.project_id for m in user.memberships if m.is_staff}


def may_manage(actor: User, target: User) -> bool:
    if target.id == actor.id or not actor.is_staff or actor.disabled:
        return False
    if actor.is_admin:
        return True
    if target.is_staff or target.is_admin:
        return False
    projects = {m.project_id for m in target.memberships}
    if not projects:
        return target.created_by_id == actor.id
    return projects <= staff_project_ids(actor)


def _visible_condition(actor: User):
    """Accounts in a project where `actor` is staff, the accounts `actor` made that are in no
    project, and `actor` itself. Administrators see every account."""
    if actor.is_admin:
        return true()
    my_projects = select(Membership.project_id).where(Membership.user_id == actor.id,
                                                      Membership.is_staff.is_(True))
    in_my_projects = select(Membership.user_id).where(Membership.project_id.in_(my_projects))
    in_a_project = exists().where(Membership.user_id == User.id)
    return or_(User.id == actor.id, User.id.in_(in_my_projects),
               and_(User.created_by_id == actor.id, ~in_a_project))


def visible_accounts_query(actor: User):
    return select(User).where(_visible_condition(actor))


def visible_accounts(actor: User, *, enabled_only: bool = False) -> list[User]:
    query = visible_accounts_query(actor).options(selectinload(User.memberships))
    if enabled_only:
        query = query.where(User.disabled.is_(False))
    return list(db.session.scalars(query.order_by(User.display_name, User.id)))


def admin_required(view):
    """Administrators only (the administrator role, and every account)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_staff or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def account_or_abort(user_id: int, *, own_allowed: bool = False) -> User:
    """The account, if the current user may manage it (see may_manage); else 404 or 403.
    With own_allowed, the user's own account comes back too (the view sends it elsewhere)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if own_allowed and user.id == current_user.id:
        return user
    if not may_manage(current_user, user):
        abort(403)
    return user
