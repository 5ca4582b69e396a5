"""Question types: the preview of one question as the interviewer sees it, and the
"Proefinterview" of the whole draft. Staff and designers of the project only. The walk's POST
(only a CSRF token) is "Volgende" without an answer: a redirect to the next question's preview,
nothing stored; the Proefinterview starts a practice run (in the session, nothing stored)."""
from .roles import EDITORS

ACCESS = {
    "design.preview_question": {"GET": EDITORS, "POST": EDITORS},
    "design.practice_draft": {"POST": EDITORS},
}


def url_values(app, world) -> dict:
    # A question of the world's frozen version 1: the walk deletes draft questions, never these.
    return {"preview_question_id": world.question_ids[0]}
