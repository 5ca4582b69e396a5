"""The interview's own language: its screens speak the language chosen at the start."""
from flask import g, request
from flask_login import current_user

from ..vocabulary import UI_LANGUAGES as LANGUAGES
from .flow import practice_language
from .services import interview_facts


def interview_language() -> str | None:
    """The language of the interview this request is about, or None for any other page.

    Set for /interviews/<id>/… (the interviewer's own interview), for the practice screens
    after the start, and for the preview of a question (?lang=). The header then hides the language switch: it would not change these pages.
    """
    args = request.view_args or {}
    endpoint = request.endpoint or ""
    language = None
    if "interview_id" in args and endpoint.startswith("interview."):
        interview = interview_facts(str(args["interview_id"]))  # the language never changes
        if (interview is not None and current_user.is_authenticated
                and interview.interviewer_id == current_user.id):
            language = interview.language
    elif endpoint.startswith("interview.practice_") and endpoint != "interview.practice_start":
        language = practice_language(args.get("project_id"))
    elif endpoint == "design.preview_question":
        # The preview of a question in a language shows the whole screen in that language.
        language = request.args.get("lang")
    if language in LANGUAGES:
        g.interview_language = language
        return language
    return None
