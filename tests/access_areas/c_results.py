"""Access to the results the panel reads: the breakdown of a question is for the panel
and project staff; the live fieldwork progress and its targets are for project staff only
(they name interviewers and show the codes of interviews that need follow-up)."""
from .roles import PANEL, PROJECT_STAFF

ACCESS = {
    "pool.breakdown": {"GET": PANEL},
    "pool.progress": {"GET": PROJECT_STAFF},
    # The walk posts an empty targets form: every field is optional, so it saves (303).
    "pool.targets": {"GET": PROJECT_STAFF, "POST": PROJECT_STAFF},
}


def url_values(app, world):
    return {"question_key": "q1"}
