"""Which interviews count in the results: the one place that decides it.

A completed interview counts unless its review says otherwise (models/review.py). The project's
rule (Project.count_rule) is either "everything but 'niet meetellen'" (the default) or "only
'goedgekeurd'". Every query that pools answers, counts interviews for a result, or shows cards,
themes, the report or an export filters with `counts_in_results`, so that every page tells the
same numbers, and the small-group rule works on those numbers. Work that only pays off if an
interview counts (the staff check of open texts) follows `may_still_count`.
"""
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from .extensions import db
from .models import Interview, Project


def _rule(project: Project) -> ColumnElement[bool]:
    if project.count_rule == "approved_only":
        return Interview.review_state == "approved"
    return Interview.review_state != "excluded"


def counts_in_results(project: Project | int, *, erased_too: bool = False) -> ColumnElement[bool]:
    """SQL: the interview is one of `project`'s completed interviews that count under its rule.
    With `erased_too`, also those whose content the retention run erased since (the number of
    interviews and the method stay true after the retention date)."""
    if not isinstance(project, Project):
        project = db.session.get(Project, project)
    return and_(Interview.project_id == project.id, _finished(erased_too), _rule(project))


def _finished(erased_too: bool) -> ColumnElement[bool]:
    if erased_too:
        return and_(Interview.completed_at.is_not(None),
                    or_(Interview.status == "completed", Interview.status == "erased"))
    return Interview.status == "completed"


def completed_interviews(project: Project | int) -> ColumnElement[bool]:
    """SQL: every completed interview of `project`, whether it counts or not. Only for an export
    that says per interview whether it counts."""
    project_id = project.id if isinstance(project, Project) else project
    return and_(Interview.project_id == project_id, _finished(False))


def may_still_count(project: Project | int) -> ColumnElement[bool]:
    """SQL: the interview is one of `project`'s interviews in progress or completed that count
    now or may still count once reviewed: everything but "niet meetellen". (Under the rule "only
    'goedgekeurd'" an interview not reviewed yet may still be approved.) Work on interviews that
    will never count, such as the staff check of their open texts, is wasted."""
    project_id = project.id if isinstance(project, Project) else project
    return and_(Interview.project_id == project_id, Interview.status.in_(("in_progress", "completed")),
                Interview.review_state != "excluded")


@dataclass(frozen=True)
class Tally:
    """How many completed interviews count, out of how many, and how many are excluded."""
    counted: int
    completed: int

    @property
    def all_count(self) -> bool:
        return self.counted == self.completed


def tally(project: Project, *, erased_too: bool = False) -> Tally:
    """The counted and the completed interviews of `project` (for "38 van de 40 tellen mee")."""
    everything = counts_in_results(project, erased_too=erased_too)
    finished = everything.clauses[1]
    counted, completed = db.session.execute(
        select(func.coalesce(func.sum(case((everything, 1), else_=0)), 0), func.count())
        .where(Interview.project_id == project.id, finished)).one()
    return Tally(int(counted), int(completed))
