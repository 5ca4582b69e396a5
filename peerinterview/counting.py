"""Which interviews count in the results: the one place that decides it.

A completed interview counts unless its review says otherwise (models/review.py). The project's
rule (Project.count_rule) is either "everything but 'niet meetellen'" (the default) or "only
'goedgekeurd'". Every query that pools answers, counts interviews for a result, or shows cards,
themes, the report or an export filters with `counts_in_results`, so that every page tells the
same numbers, and the small-group rule works on those numbers.
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
    if erased_too:
        finished = and_(Interview.completed_at.is_not(None),
                        or_(Interview.status == "completed", Interview.status == "erased"))
    else:
        finished = Interview.status == "completed"
    return and_(Interview.project_id == project.id, finished, _rule(project))


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
