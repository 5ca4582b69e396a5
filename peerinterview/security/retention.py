"""Retention: after a project's retention date its raw data is erased (`flask purge-expired`,
run daily; see README).

Erased: every answer (choices, open texts, follow-up notes), the interviewers' debrief notes and
mood, the respondent codes, the panel's undo history (it can hold card texts), and with the
answers every card sorting (coding) and quote that pointed at them.
Kept: the project and its questionnaire; the interview records without content (date, location,
status, consent version and time), so "n" and the method stay true; the report texts; the
panel's themes, findings and recommendations; and, frozen just before erasing,
 - RetainedResult: per question the pooled counts as the results page showed them (groups
   smaller than the project's minimum already hidden), or for an open question how many
   answered it;
 - RetainedQuote: the approved wording of every approved quote, with its theme names.
The run is written to the logboek (counts only). No Flask request objects here.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, or_, select, update

from ..audit import record
from ..extensions import db
from ..models import (
    Answer,
    Coding,
    Interview,
    PanelAction,
    Project,
    Quote,
    RetainedQuote,
    RetainedResult,
    SpokenRecording,
    Theme,
)
from ..models.base import utcnow
from ..interview.services import erase_recordings, erase_review_texts
from ..open_answer_gate import panel_may_read


@dataclass
class PurgeReport:
    project_id: int
    project_name: str
    answers: int
    interviews: int
    results: int
    quotes: int


def expired_projects(today: date) -> list[Project]:
    """Projects whose retention date has passed (the date itself is the last day kept)."""
    return list(db.session.scalars(
        select(Project).where(Project.retention_date.is_not(None), Project.retention_date < today,
                              Project.erased_at.is_(None)).order_by(Project.id)))


def freeze_results(project: Project, special_labels: dict[str, str], no_answer_label: str,
                   open_label: str, not_asked_label: str) -> int:
    from ..pool.services import pooled_results

    db.session.execute(delete(RetainedResult).where(RetainedResult.project_id == project.id))
    results = pooled_results(project, special_labels, no_answer_label)
    for position, result in enumerate(results, start=1):
        question = result.question
        if question.kind == "open":
            cells = [{"label": open_label, "count": result.open_count if result.shown else None,
                      "percent": None}]
        else:
            cells = [{"label": result.labels.get(cell.key, cell.key), "count": cell.count,
                      "percent": cell.percent} for cell in result.cells]
            if result.not_asked is None or result.not_asked:
                cells.append({"label": not_asked_label, "count": result.not_asked, "percent": None})
        db.session.add(RetainedResult(
            project_id=project.id, position=position, question_key=question.key,
            question_text=question.text, kind=question.kind, asked=result.asked, shown=result.shown,
            cells=cells,
        ))
    return len(results)


def freeze_quotes(project: Project) -> int:
    # The quotes the report shows: approved, of an answer the panel may read. Kept (and shown
    # to the panel later) in the order of the answers' random references, as the panel's pages.
    quotes = db.session.scalars(
        select(Quote).join(Answer, Answer.id == Quote.answer_id)
        .where(Quote.project_id == project.id, Quote.status == "approved", Quote.text.is_not(None),
               panel_may_read(project)).order_by(Answer.ref, Quote.part)).all()
    for quote in quotes:
        themes = db.session.scalars(
            select(Theme.name).join(Coding, Coding.theme_id == Theme.id)
            .where(Coding.answer_id == quote.answer_id, Coding.part == quote.part, Theme.deleted_at.is_(None))
            .order_by(Theme.name)).all()
        db.session.add(RetainedQuote(project_id=project.id, text=quote.text, themes=list(themes),
                                     approved_at=quote.decided_at))
    return len(quotes)


def purge_project(project: Project, *, special_labels: dict[str, str], no_answer_label: str,
                  open_label: str, not_asked_label: str) -> PurgeReport:
    results = freeze_results(project, special_labels, no_answer_label, open_label, not_asked_label)
    quotes = freeze_quotes(project)
    answers, interviews = _erase_raw_data(project)
    project.erased_at = utcnow()
    record("project.purge", project_id=project.id, obj=project, answers=answers, interviews=interviews,
           results_kept=results, quotes_kept=quotes, retention_date=project.retention_date.isoformat())
    db.session.flush()
    db.session.expire_all()
    return PurgeReport(project.id, project.name, answers, interviews, results, quotes)


def _erase_raw_data(project: Project) -> tuple[int, int]:
    """Erase the answers, codings, quotes, undo history, debriefs and respondent codes of the
    project; returns (answers erased, interviews emptied). Every interview that still took
    answers is "erased" from the first statement on: no write path stores anything in it any more
    (interview/services.py checks the status in the statement that writes)."""
    statuses = update(Interview).where(Interview.project_id == project.id,
                                       Interview.status.in_(("in_progress", "completed"))).values(status="erased")
    db.session.execute(statuses.execution_options(synchronize_session=False))
    interview_ids = select(Interview.id).where(Interview.project_id == project.id).scalar_subquery()
    # Codings and quotes point at answers (ON DELETE CASCADE); delete them explicitly too, so the
    # result does not depend on the database enforcing foreign keys.
    answer_ids = select(Answer.id).where(Answer.interview_id.in_(interview_ids)).scalar_subquery()
    db.session.execute(delete(Coding).where(Coding.answer_id.in_(answer_ids)))
    db.session.execute(delete(Quote).where(Quote.project_id == project.id))
    erase_review_texts(Interview.project_id == project.id)
    answers = db.session.execute(delete(Answer).where(Answer.interview_id.in_(interview_ids))).rowcount
    erase_recordings(interview_ids)
    db.session.execute(delete(PanelAction).where(PanelAction.project_id == project.id))
    interviews = db.session.execute(
        update(Interview).where(Interview.project_id == project.id)
        .values(debrief_text=None, debrief_mood=None, follow_up_needed=False, respondent_code="")
        .execution_options(synchronize_session=False)
    ).rowcount
    return answers, interviews


def leftovers(project: Project) -> dict[str, int]:
    """What an erased project holds that the retention run erases: answers, quotes, debriefs,
    respondent codes, interviews that still take answers. Counts only. (The panel's undo history
    goes with them, but on its own it is no leftover: the panel may still work on its themes.)"""
    in_project = Interview.project_id == project.id
    interview_ids = select(Interview.id).where(in_project).scalar_subquery()
    count = lambda query: db.session.scalar(select(func.count()).select_from(query.subquery()))  # noqa: E731
    found = {
        "answers": count(select(Answer.id).where(Answer.interview_id.in_(interview_ids))),
        "quotes": count(select(Quote.id).where(Quote.project_id == project.id)),
        "recordings": count(select(SpokenRecording.id).where(SpokenRecording.interview_id.in_(interview_ids))),
        "interviews": count(select(Interview.id).where(in_project, or_(
            Interview.status.in_(("in_progress", "completed")), Interview.respondent_code != "",
            Interview.debrief_text.is_not(None), Interview.debrief_mood.is_not(None),
            Interview.follow_up_needed.is_(True)))),
    }
    return {name: n for name, n in found.items() if n}


def erase_leftovers(project: Project) -> dict[str, int]:
    """For a project erased before: erase whatever came back since (an answer a tablet sent
    later, before writes checked for an erased project). The frozen results stay as they were.
    Returns what was found (empty: nothing)."""
    found = leftovers(project)
    if found:
        _erase_raw_data(project)
        record("project.purge_leftovers", project_id=project.id, obj=project, **found)
        db.session.flush()
        db.session.expire_all()
    return found


def purge_expired(today: date, **labels) -> list[PurgeReport]:
    """Erase every project past its retention date, and anything left in projects erased before;
    the caller commits (once per project)."""
    reports = []
    for project in expired_projects(today):
        reports.append(purge_project(project, **labels))
        db.session.commit()
    cleaned = []
    for project in db.session.scalars(select(Project).where(Project.erased_at.is_not(None))
                                      .order_by(Project.id)).all():
        if erase_leftovers(project):
            cleaned.append(project.id)
        db.session.commit()
    extra = {"leftovers": cleaned} if cleaned else {}
    record("retention.run", today=today.isoformat(), projects=[r.project_id for r in reports], **extra)
    db.session.commit()
    return reports
