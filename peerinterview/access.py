"""Access decisions, made on the server for every route (DESIGN.md §2)."""
from functools import wraps

from flask import abort
from flask_login import current_user

from .extensions import db
from .models import Interview, Project


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
