"""Interviews and answers. Every save is an idempotent upsert (DESIGN.md §5)."""
import secrets
from datetime import datetime

from sqlalchemy import select

from ..audit import record
from ..extensions import db
from ..models import Answer, Interview, Question
from ..models.base import utcnow
from ..upsert import insert_for_dialect

# No 0/O, 1/I/L: a code is read aloud and copied by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5


def new_respondent_code(project_id: int) -> str:
    """A short readable code, unique within the project. Never a name."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        exists = db.session.scalar(
            select(Interview.id).where(Interview.project_id == project_id, Interview.respondent_code == code)
        )
        if exists is None:
            return code


def start_interview(*, interview_id: str, project, version, location, interviewer,
                    respondent_code: str, language: str) -> Interview:
    """Create the interview once; a repeated start with the same UUID returns the same one."""
    now = utcnow()
    stmt = insert_for_dialect(Interview).values(
        id=interview_id, project_id=project.id, version_id=version.id, location_id=location.id,
        interviewer_id=interviewer.id, respondent_code=respondent_code, language=language,
        consent_version=project.consent_version, consent_given_at=now, status="in_progress",
        started_at=now,
    ).on_conflict_do_nothing(index_elements=["id"])
    created = db.session.execute(stmt).rowcount == 1
    interview = db.session.get(Interview, interview_id)
    if created:
        record("interview.start", user=interviewer, project_id=project.id, obj=interview,
               consent_version=project.consent_version)
    return interview


def save_answer(interview: Interview, question: Question, *, value: str | None = None,
                text: str | None = None, special: str | None = None,
                changed_at: datetime | None = None) -> None:
    """Upsert on (interview, question). A replay of an older change never overwrites a newer one.

    All three None stores an explicit "cleared" row, so a later replay of an old value loses too.
    """
    changed_at = changed_at or utcnow()
    now = utcnow()
    values = {"value": value, "text": text, "special": special, "changed_at": changed_at, "saved_at": now}
    stmt = insert_for_dialect(Answer).values(interview_id=interview.id, question_id=question.id, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["interview_id", "question_id"],
        set_={name: getattr(stmt.excluded, name) for name in values},
        where=Answer.changed_at <= stmt.excluded.changed_at,
    )
    db.session.execute(stmt)
    db.session.expire(interview, ["answers"])


def answers_by_question(interview: Interview) -> dict[int, Answer]:
    rows = db.session.scalars(select(Answer).where(Answer.interview_id == interview.id))
    return {a.question_id: a for a in rows if a.value or a.text or a.special}


def missing_required(interview: Interview) -> list[Question]:
    answered = answers_by_question(interview)
    return [q for q in interview.version.questions if q.required and q.id not in answered]


def complete_interview(interview: Interview, *, by) -> None:
    if interview.status == "completed":
        return
    interview.status = "completed"
    interview.completed_at = utcnow()
    db.session.flush()
    record("interview.complete", user=by, project_id=interview.project_id, obj=interview)
