"""The staff check between a saved open text and the panel.

An open answer (Answer.text) or a follow-up note (Answer.note) may hold a name, an address or a
phone number. With Project.review_open_answers on (the default) the panel reads it only after
staff released it (security/review.py); with it off, everything that staff did not hold back.
Every query that gives the panel open-answer text, or counts built on it, filters with
`panel_may_read`.
"""
from sqlalchemy import ColumnElement, select

from .extensions import db
from .models import Answer, Project


def panel_may_read(project: Project | int) -> ColumnElement[bool]:
    """Whether the panel may read an answer's open text and note (and count it); `project` is
    the answer's project or its id."""
    if not isinstance(project, Project):
        project = db.session.get(Project, project)
    if project is None or project.review_open_answers:
        return Answer.review == "released"
    return Answer.review != "held"


def readable_answer_ids(project, answer_ids) -> set[int]:
    """Those of `answer_ids` whose texts the panel may read."""
    ids = sorted(set(answer_ids))
    readable: set[int] = set()
    for start in range(0, len(ids), 5000):  # a database takes only so many parameters in one IN
        readable.update(db.session.scalars(
            select(Answer.id).where(Answer.id.in_(ids[start:start + 5000]), panel_may_read(project))))
    return readable

