"""Live fieldwork progress for project staff: interviews per location, per day and per
interviewer, against targets, with the follow-up flags from debriefs. Counted in the database
(GROUP BY). Staff only: it names interviewers and shows respondent codes of flagged interviews.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ..counting import counts_in_results
from ..extensions import db
from ..models import Interview, Location, User


@dataclass
class Line:
    label: str
    completed: int = 0
    in_progress: int = 0
    withdrawn: int = 0
    follow_up: int = 0
    target: int | None = None

    @property
    def percent_of_target(self) -> int | None:
        if not self.target:
            return None
        return round(100 * self.completed / self.target)

    @property
    def to_go(self) -> int | None:
        return None if self.target is None else max(self.target - self.completed, 0)


@dataclass
class Progress:
    total: Line
    locations: list[Line] = field(default_factory=list)
    days: list[tuple[date, Line]] = field(default_factory=list)
    interviewers: list[Line] = field(default_factory=list)
    follow_ups: list[Interview] = field(default_factory=list)
    locations_target: int | None = None  # the targets of the locations added up


def _counts(project, *group_by):
    # The interviews that count in the results (counting.py), also after the retention run: an
    # interview marked "niet meetellen" does not bring the target closer.
    completed = func.sum(case((counts_in_results(project, erased_too=True), 1), else_=0))
    in_progress = func.sum(case((Interview.status == "in_progress", 1), else_=0))
    withdrawn = func.sum(case((Interview.status == "withdrawn", 1), else_=0))
    follow_up = func.sum(case((Interview.follow_up_needed.is_(True), 1), else_=0))
    return select(*group_by, completed, in_progress, withdrawn, follow_up).group_by(*group_by)


def _line(label, row, target=None) -> Line:
    completed, in_progress, withdrawn, follow_up = (int(n or 0) for n in row[-4:])
    return Line(label, completed, in_progress, withdrawn, follow_up, target)


def _as_date(value) -> date:
    # SQLite's date() gives text, PostgreSQL's a date.
    if isinstance(value, date):
        return value
    return datetime.strptime(str(value)[:10], "%Y-%m-%d").date()


def _hour_of(column):
    """The UTC hour an interview started in, as one GROUP BY key on both databases."""
    if db.engine.dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d %H:00:00", column)
    return func.date_trunc("hour", column)


def _days(project, in_project, days: int, zone: str) -> list[tuple[date, Line]]:
    """The last `days` local days with interviews: an interview at 00:30 in Amsterdam is 23:30 UTC
    the day before, and it belongs to the day it happened. The database counts per UTC hour (few
    rows: interviews happen in a few hours of a few days) and the hours are added up per local
    day here; that is exact for every zone whose offset is whole hours, like Europe/Amsterdam."""
    hour = _hour_of(Interview.started_at)
    tz = ZoneInfo(zone)
    per_day: dict[date, list[int]] = {}
    for row in db.session.execute(_counts(project, hour).where(in_project)).all():
        started = row[0] if isinstance(row[0], datetime) else datetime.strptime(str(row[0])[:19], "%Y-%m-%d %H:%M:%S")
        day = started.replace(tzinfo=timezone.utc).astimezone(tz).date()
        totals = per_day.setdefault(day, [0, 0, 0, 0])
        for i, n in enumerate(row[-4:]):
            totals[i] += int(n or 0)
    return [(day, _line("", (day, *per_day[day]))) for day in sorted(per_day, reverse=True)[:days]]


def fieldwork_progress(project, *, unknown_interviewer: str, days: int = 14, zone: str = "UTC") -> Progress:
    in_project = Interview.project_id == project.id
    total_row = db.session.execute(_counts(project).where(in_project)).one()
    progress = Progress(total=_line("", total_row, project.interview_target))

    by_location = {row[0]: row for row in db.session.execute(
        _counts(project, Interview.location_id).where(in_project)
    ).all()}
    locations = db.session.scalars(
        select(Location).where(Location.project_id == project.id).order_by(Location.name)
    ).all()
    for location in locations:
        row = by_location.get(location.id, (location.id, 0, 0, 0, 0))
        progress.locations.append(_line(location.name, row, location.interview_target))
    targets = [location.interview_target for location in locations if location.interview_target is not None]
    progress.locations_target = sum(targets) if targets else None

    progress.days = _days(project, in_project, days, zone)

    interviewer_rows = db.session.execute(
        _counts(project, Interview.interviewer_id, User.display_name)
        .outerjoin(User, User.id == Interview.interviewer_id)
        .where(in_project)
    ).all()
    progress.interviewers = sorted(
        (_line(row[1] or unknown_interviewer, row) for row in interviewer_rows),
        key=lambda line: line.label.casefold(),
    )

    progress.follow_ups = db.session.scalars(
        select(Interview).where(in_project, Interview.follow_up_needed.is_(True))
        .options(selectinload(Interview.location), selectinload(Interview.interviewer))
        .order_by(Interview.debriefed_at.desc(), Interview.started_at.desc())
    ).all()
    return progress


def set_targets(project, total: int | None, per_location: dict[int, int | None]) -> list[str]:
    """Store the targets; returns the names of what changed (for the logboek)."""
    changed = []
    if project.interview_target != total:
        project.interview_target = total
        changed.append("project")
    for location in project.locations:
        if location.id in per_location and location.interview_target != per_location[location.id]:
            location.interview_target = per_location[location.id]
            changed.append(f"location:{location.id}")
    db.session.flush()
    return changed
