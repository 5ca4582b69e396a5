"""The review of a completed interview before pooling, and the interviewer's answer to it.

Who may review: the project's staff, and (when the project allows it) an interviewer of the
project who did not take this interview. Nobody reviews an interview they took themselves.
Every change of state is kept (InterviewReview) and logged; which interviews count in the
results follows from the state and the project's rule (counting.py).

While an interview is "klopt iets niet" its interviewer may answer the note and correct answers;
every correction keeps the old and the new answer, who, when and why (AnswerChange).
"""
from sqlalchemy import func, select, update

from ..audit import record
from ..counting import counts_in_results
from ..errors import Refused
from ..extensions import db
from ..models import Answer, Interview, Question
from ..models.base import utcnow
from ..models.review import AnswerChange, InterviewReview
from .services import answers_by_question, mark_not_asked, visible_questions

# The review states that need a note: the interviewer has to know what is wrong, and a reader
# of the results why an interview does not count.
NEEDS_NOTE = ("issue", "excluded")


def took_part(interview: Interview, user) -> bool:
    return user.id in (interview.interviewer_id, interview.second_interviewer_id)


def may_review(interview: Interview, user) -> bool:
    """Staff of the project, or another interviewer when the project allows it; never someone
    who took the interview. (Only a completed interview is reviewed: see is_reviewable.)"""
    if not user.is_authenticated or took_part(interview, user):
        return False
    roles = user.roles_in(interview.project_id)
    if "staff" in roles:
        return True
    return bool(interview.project.second_interviewer_may_review and "interviewer" in roles)


def is_reviewable(interview: Interview) -> bool:
    return interview.status == "completed"


def waits_for_interviewer(interview: Interview) -> bool:
    """"Klopt iets niet": its interviewer may answer and correct answers (may_change_answers)."""
    return interview.status == "completed" and interview.review_state == "issue"


def review_history(interview: Interview) -> list[InterviewReview]:
    return list(db.session.scalars(
        select(InterviewReview).where(InterviewReview.interview_id == interview.id).order_by(InterviewReview.id)))


def last_review_id(interview: Interview) -> int:
    return db.session.scalar(select(func.coalesce(func.max(InterviewReview.id), 0))
                             .where(InterviewReview.interview_id == interview.id))


def latest_note(interview: Interview) -> InterviewReview | None:
    """The note of the step that set the current state (the one the interviewer must see)."""
    return db.session.scalars(
        select(InterviewReview).where(InterviewReview.interview_id == interview.id, InterviewReview.kind == "review")
        .order_by(InterviewReview.id.desc()).limit(1)).first()


def set_review(interview: Interview, *, state: str, note: str | None, seen: int, by) -> InterviewReview:
    """Set the review state. `seen` is the last history step the reviewer saw: when someone
    else reviewed since, nothing changes (Refused), so nobody overwrites a decision unseen."""
    if seen != last_review_id(interview):
        raise Refused("stale")
    note = (note or "").strip() or None
    if state in NEEDS_NOTE and not note:
        raise Refused("note")
    old = interview.review_state
    # Only when the state still is what the reviewer saw (two reviewers at the same moment).
    changed = db.session.execute(
        update(Interview).where(Interview.id == interview.id, Interview.review_state == old)
        .values(review_state=state).execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise Refused("stale")
    interview.review_state = state
    step = InterviewReview(interview_id=interview.id, user_id=by.id, kind="review", old_state=old,
                           new_state=state, note=note, at=utcnow())
    db.session.add(step)
    db.session.flush()
    # The logboek names the states, never the note (it may quote an answer).
    record("interview.review", user=by, project_id=interview.project_id, obj=interview, old=old, new=state)
    return step


def reply_to_review(interview: Interview, *, text: str, by) -> InterviewReview:
    state = interview.review_state
    step = InterviewReview(interview_id=interview.id, user_id=by.id, kind="reply", old_state=state,
                           new_state=state, note=text.strip(), at=utcnow())
    db.session.add(step)
    db.session.flush()
    record("interview.review_reply", user=by, project_id=interview.project_id, obj=interview)
    return step


def _same(answer: Answer | None, given: dict, note) -> bool:
    if answer is None:
        return not any(given.values()) and not note
    same_note = note is None or (note or "").strip() == (answer.note or "")
    return (answer.value, answer.text, answer.special) == (given["value"], given["text"], given["special"]) \
        and same_note


def _write_correction(interview: Interview, question: Question, answer: Answer | None, given: dict,
                      note) -> Answer:
    """Store the corrected answer. Not through the tablet's upsert: that one refuses a change made
    well after the interview was finished (a late tablet must not undo it), which this is."""
    now = utcnow()
    if answer is None:
        answer = Answer(interview_id=interview.id, question_id=question.id, asked=True)
        db.session.add(answer)
    text_changed = given["text"] != answer.text or (note is not None and (note or None) != answer.note)
    answer.value, answer.text, answer.special = given["value"], given["text"], given["special"]
    if note is not None:
        answer.note = note or None
    answer.changed_at = answer.saved_at = now
    if text_changed:  # a new text goes back to the staff check before the panel reads it
        answer.review, answer.reviewed_at, answer.reviewed_by_id = "pending", None, None
        answer.review_reason, answer.identifying_found = None, None
    db.session.flush()
    _refresh_asked(interview)
    return answer


def _refresh_asked(interview: Interview) -> None:
    """A corrected answer may show or hide later questions: mark them as asked or not again."""
    shown = {q.id for q in visible_questions(interview.version, answers_by_question(interview))}
    if shown:
        db.session.execute(update(Answer).where(Answer.interview_id == interview.id, Answer.question_id.in_(shown))
                           .values(asked=True).execution_options(synchronize_session="fetch"))
    mark_not_asked(interview)
    db.session.flush()


def change_answer(interview: Interview, question: Question, *, given: dict, note, reason: str, by,
                  kind: str = "interviewer") -> AnswerChange | None:
    """Change one answer of a completed interview and keep the change: the old and the new
    answer, who, when and why. None when nothing changed. `note` None leaves the note alone."""
    answer = db.session.scalars(select(Answer).where(Answer.interview_id == interview.id,
                                                     Answer.question_id == question.id)).first()
    note = None if note is None else (note or "").strip()
    if _same(answer, given, note):
        return None
    old = {"value": answer.value, "text": answer.text, "special": answer.special} if answer else {}
    answer = _write_correction(interview, question, answer, given, note)
    change = AnswerChange(
        answer_id=answer.id, interview_id=interview.id, question_id=question.id, user_id=by.id, kind=kind,
        old_value=old.get("value"), old_text=old.get("text"), old_special=old.get("special"),
        new_value=given["value"], new_text=given["text"], new_special=given["special"],
        reason=reason.strip(), at=utcnow())
    db.session.add(change)
    db.session.flush()
    # Which question, never the answer: the logboek holds no answer content.
    record("interview.answer_change", user=by, project_id=interview.project_id, obj=interview,
           question=question.key, kind=kind)
    return change


def answer_changes(interview: Interview) -> list[AnswerChange]:
    return list(db.session.scalars(
        select(AnswerChange).where(AnswerChange.interview_id == interview.id).order_by(AnswerChange.id)))


def review_counts(project) -> dict[str, int]:
    """How many completed interviews are in each review state."""
    return dict(db.session.execute(
        select(Interview.review_state, func.count()).where(Interview.project_id == project.id,
                                                           Interview.status == "completed")
        .group_by(Interview.review_state)).all())


STAFF_LIST_PER_PAGE = 50
REVIEW_STATES = ("none", "approved", "issue", "excluded")


def staff_interviews(project, *, state: str | None, page: int) -> tuple[list[Interview], int, int]:
    """One page of the project's interviews for staff, newest first: all of them, or the
    completed ones in one review state. (interviews, page, pages); a page past the end gives the
    last page."""
    query = select(Interview).where(Interview.project_id == project.id)
    if state is not None:
        query = query.where(Interview.status == "completed", Interview.review_state == state)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // STAFF_LIST_PER_PAGE))
    page = min(max(page, 1), pages)
    interviews = db.session.scalars(query.order_by(Interview.started_at.desc(), Interview.id.desc())
                                    .offset((page - 1) * STAFF_LIST_PER_PAGE).limit(STAFF_LIST_PER_PAGE)).all()
    return list(interviews), page, pages


def interviews_to_review(project, user, roles) -> list[Interview]:
    """For an interviewer who may review (not staff: they see every interview): the completed
    interviews of others that nobody reviewed yet, or that wait for a decision."""
    if "staff" in roles or "interviewer" not in roles or not project.second_interviewer_may_review:
        return []
    others = ((Interview.interviewer_id.is_(None) | (Interview.interviewer_id != user.id))
              & (Interview.second_interviewer_id.is_(None) | (Interview.second_interviewer_id != user.id)))
    return list(db.session.scalars(
        select(Interview).where(Interview.project_id == project.id, Interview.status == "completed",
                                Interview.review_state.in_(("none", "issue")), others)
        .order_by(Interview.completed_at)))


def not_counted(project) -> list[tuple[Interview, str | None]]:
    """The completed interviews that do not count under the project's rule, each with the note of
    the review step that set its state (the reason for "niet meetellen")."""
    interviews = list(db.session.scalars(
        select(Interview).where(Interview.project_id == project.id, Interview.status == "completed",
                                ~counts_in_results(project))
        .order_by(Interview.completed_at)))
    notes = {}
    if interviews:
        last = (select(func.max(InterviewReview.id))
                .where(InterviewReview.interview_id.in_([i.id for i in interviews]), InterviewReview.kind == "review")
                .group_by(InterviewReview.interview_id))
        notes = dict(db.session.execute(select(InterviewReview.interview_id, InterviewReview.note)
                                        .where(InterviewReview.id.in_(last))).all())
    return [(interview, notes.get(interview.id)) for interview in interviews]
