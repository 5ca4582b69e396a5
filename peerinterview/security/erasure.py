"""Erasure at a respondent's request (AVG art. 17), found by their respondent code.

Unlike withdrawal (answers erased, the record kept), erasure removes everything: the answers,
the cards sorted from them and quotes of them, the debrief, and the interview record with its
consent record. The logboek keeps that it happened, by whom and when: never the content, and
not the respondent code. No Flask request objects here."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from ..audit import record
from ..extensions import db
from ..interview.services import erase_recordings, erase_review_texts, find_by_respondent_code
from ..models import Answer, Coding, Interview, PanelAction, Project, Quote


@dataclass
class ErasurePreview:
    interview_id: str
    started_at: datetime
    location: str
    status: str
    answers: int


def preview(project: Project, code: str) -> ErasurePreview | None:
    interview = find_by_respondent_code(project, code)
    if interview is None:
        return None
    answers = db.session.scalar(select(func.count()).select_from(Answer).where(Answer.interview_id == interview.id))
    return ErasurePreview(interview.id, interview.started_at, interview.location.name, interview.status, answers)


def erase_respondent(project: Project, code: str, *, by) -> int | None:
    """Erase the interview with this code; returns how many answers went, None if not found."""
    interview = find_by_respondent_code(project, code)
    if interview is None:
        return None
    # Locked first (PostgreSQL; SQLite has one writer at a time anyway): an autosave under way
    # finishes before the erasure, a later one waits and then finds no interview (save_answer).
    db.session.execute(select(Interview.id).where(Interview.id == interview.id).with_for_update())
    answer_ids = select(Answer.id).where(Answer.interview_id == interview.id).scalar_subquery()
    db.session.execute(delete(Coding).where(Coding.answer_id.in_(answer_ids)))
    db.session.execute(delete(Quote).where(Quote.answer_id.in_(answer_ids)))
    erase_review_texts(Interview.id == interview.id)
    answers = db.session.execute(delete(Answer).where(Answer.interview_id == interview.id)).rowcount
    erase_recordings([interview.id])
    # The undo history of the panel can hold the texts of cards: it goes for the whole project
    # (undo is a convenience, the sorting itself stays).
    db.session.execute(delete(PanelAction).where(PanelAction.project_id == project.id))
    interview_id = interview.id
    db.session.execute(delete(Interview).where(Interview.id == interview_id))
    db.session.expire_all()
    record("interview.erase", user=by, project_id=project.id, interview=interview_id, answers_erased=answers)
    db.session.flush()
    return answers
