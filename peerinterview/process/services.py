"""Who took part, as numbers: the co-design, the interviews (a range per interviewer, never one
person's number), the panel's meetings; and the volunteers' appreciation (a mark 1–10 and one
sentence), shown as the method's sources do: the average mark and what they valued.

Services flush, never commit; the acting user is passed in explicitly."""
from dataclasses import dataclass, field

from flask_babel import format_decimal
from sqlalchemy import func, or_, select, union

from ..audit import record
from ..counting import counts_in_results
from ..extensions import db
from ..models import (
    Interview,
    Membership,
    Proposal,
    ProposalComment,
    ProposalVote,
    QuestionChange,
    Questionnaire,
    User,
)
from ..models.base import utcnow
from ..models.process import MIN_APPRECIATIONS, Appreciation, AppreciationRound, PanelMeeting
from ..upsert import insert_for_dialect

# Who is a volunteer of a project: a client who designs, interviews or sits on the panel.
VOLUNTEER_ROLES = ("designer", "interviewer", "panel")


@dataclass
class Participation:
    codesigners: int  # people (not staff) who proposed, commented on, voted for or wrote a question
    interviews: int  # finished interviews
    interviewers: int  # interviewers who finished at least one
    fewest: int | None  # the range of interviews per interviewer; None with fewer than two interviewers
    most: int | None
    panel_members: int
    meetings: int
    counted_meetings: int  # meetings where the facilitator filled in how many came
    attendance_low: int | None
    attendance_high: int | None
    attendance_total: int


def _not_staff(user_ids, project_id: int):
    """Of these user ids, those who are not staff (of the app, or of this project)."""
    staff = select(Membership.user_id).where(Membership.project_id == project_id, Membership.is_staff)
    return (select(func.count(func.distinct(User.id))).where(User.id.in_(user_ids), User.is_staff.is_(False),
                                                            User.id.not_in(staff)))


def codesigners(project_id: int) -> int:
    proposals = select(Proposal.id).where(Proposal.project_id == project_id)
    people = union(
        select(Proposal.created_by_id.label("user_id")).where(Proposal.project_id == project_id),
        select(ProposalComment.user_id).where(ProposalComment.proposal_id.in_(proposals)),
        select(ProposalVote.user_id).where(ProposalVote.proposal_id.in_(proposals)),
        select(QuestionChange.user_id).join(Questionnaire, Questionnaire.id == QuestionChange.questionnaire_id)
        .where(Questionnaire.project_id == project_id),
    ).subquery()
    return db.session.scalar(_not_staff(select(people.c.user_id).where(people.c.user_id.is_not(None)), project_id))


def _interview_range(project_id: int) -> tuple[int, int, int | None, int | None]:
    per_person = [n for (n,) in db.session.execute(
        select(func.count()).select_from(Interview)
        .where(counts_in_results(project_id, erased_too=True), Interview.interviewer_id.is_not(None))
        .group_by(Interview.interviewer_id))]
    total = db.session.scalar(select(func.count()).select_from(Interview)
                              .where(counts_in_results(project_id, erased_too=True)))
    if len(per_person) < 2:  # one interviewer's range would be their own number
        return total, len(per_person), None, None
    return total, len(per_person), min(per_person), max(per_person)


def participation(project) -> Participation:
    total, interviewers, fewest, most = _interview_range(project.id)
    meetings = list(db.session.scalars(select(PanelMeeting).where(PanelMeeting.project_id == project.id)))
    counted = [m.attendees for m in meetings if m.attendees is not None]
    panel_members = db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.project_id == project.id, Membership.is_panel, Membership.is_staff.is_(False)))
    return Participation(
        codesigners=codesigners(project.id), interviews=total, interviewers=interviewers, fewest=fewest, most=most,
        panel_members=panel_members, meetings=len(meetings), counted_meetings=len(counted),
        attendance_low=min(counted) if counted else None, attendance_high=max(counted) if counted else None,
        attendance_total=sum(counted))


# ---------------------------------------------------------------------------------------------
# The volunteers' appreciation

def is_volunteer(user, project_id: int) -> bool:
    roles = user.roles_in(project_id)
    return "staff" not in roles and bool(roles & set(VOLUNTEER_ROLES))


def round_of(project_id: int) -> AppreciationRound | None:
    return db.session.get(AppreciationRound, project_id)


def set_round(project, *, open_: bool, by) -> None:
    """Staff switch the question on (or off again: answers given stay)."""
    current = round_of(project.id)
    if open_ and current is None:
        db.session.add(AppreciationRound(project_id=project.id, opened_at=utcnow(), opened_by_id=by.id))
    elif not open_ and current is not None:
        db.session.delete(current)
    else:
        return
    db.session.flush()
    record("process.appreciation_round", user=by, project_id=project.id, switched_on=open_)


def appreciation_of(user, project_id: int) -> Appreciation | None:
    return db.session.scalars(select(Appreciation).where(Appreciation.project_id == project_id,
                                                         Appreciation.user_id == user.id)).first()


def _store(user, project_id: int, mark: int | None, valued: str) -> None:
    values = {"mark": mark, "valued": valued, "answered_at": utcnow()}
    stmt = insert_for_dialect(Appreciation).values(project_id=project_id, user_id=user.id, **values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["project_id", "user_id"], set_=values))


def save_appreciation(user, project_id: int, *, mark: int, valued: str) -> None:
    """One answer per volunteer: answering again changes it."""
    if mark not in range(1, 11):
        raise ValueError(f"mark out of range: {mark}")
    _store(user, project_id, mark, (valued or "").strip())
    record("process.appreciation_save", user=user, project_id=project_id)


def dismiss_appreciation(user, project_id: int) -> None:
    """Not now, thanks: the question is no longer shown. An answer given before stays."""
    if appreciation_of(user, project_id) is None:
        _store(user, project_id, None, "")
        record("process.appreciation_dismiss", user=user, project_id=project_id)


def open_questions_for(user) -> list:
    """The projects whose appreciation question this user still has to answer (or dismiss)."""
    answered = select(Appreciation.project_id).where(Appreciation.user_id == user.id)
    memberships = db.session.scalars(
        select(Membership).join(AppreciationRound, AppreciationRound.project_id == Membership.project_id)
        .where(Membership.user_id == user.id, Membership.is_staff.is_(False),
               or_(Membership.is_designer, Membership.is_interviewer, Membership.is_panel),
               Membership.project_id.not_in(answered))).all()
    return sorted((m.project for m in memberships), key=lambda p: p.name)


@dataclass
class AppreciationSummary:
    asked: bool
    answers: int
    average: float | None  # None: fewer than MIN_APPRECIATIONS answers
    valued: list[str] = field(default_factory=list)  # in alphabetical order, never in answer order
    needed: int = MIN_APPRECIATIONS

    @property
    def average_text(self) -> str:
        """The average as the reader's language writes it (8,4 in Dutch)."""
        return format_decimal(self.average, format="0.0") if self.average is not None else ""


def appreciation_summary(project_id: int) -> AppreciationSummary:
    rows = db.session.execute(select(Appreciation.mark, Appreciation.valued).where(
        Appreciation.project_id == project_id, Appreciation.mark.is_not(None))).all()
    marks = [mark for mark, _valued in rows]
    average = round(sum(marks) / len(marks), 1) if len(marks) >= MIN_APPRECIATIONS else None
    sentences = sorted({v.strip() for _mark, v in rows if v and v.strip()}, key=str.casefold)
    return AppreciationSummary(asked=round_of(project_id) is not None, answers=len(marks), average=average,
                               valued=sentences)


