"""The interview's own language: its screens speak the language chosen at the start.

The interview blueprint says so for every view with an `interview_id` in its URL
(`bp.page_language`); the practice screens and the question preview say it per view with
`localize.speaks(...)`.
"""
from flask_login import current_user

from .flow import practice_language
from .services import interview_facts


def own_interview_language(view_args: dict) -> str | None:
    """The language of the interview in the URL, for the interviewer who holds it; any other
    reader (staff reading the answers) keeps their own language."""
    if "interview_id" not in view_args:
        return None
    interview = interview_facts(str(view_args["interview_id"]))  # the language never changes
    if interview is not None and current_user.is_authenticated and interview.interviewer_id == current_user.id:
        return interview.language
    return None


def practice_screen_language(view_args: dict) -> str | None:
    """The language chosen at the start of this project's practice interview."""
    return practice_language(view_args.get("project_id"))
