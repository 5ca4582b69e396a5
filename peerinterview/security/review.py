"""The staff check of open answers before the panel reads them (see open_answer_gate.py).

An answer's open text and follow-up note are checked together: staff release them, hold them back
with a reason, or first remove the details the scanner marks (privacy/identifying.py) and then
release them. What was released goes back to "pending" when the text or note changes (the answer
upsert in interview/services.py does that in the same statement as the write).

The queue holds the texts that can reach the panel: those of interviews in progress or completed, of
questions that were asked, unless the interview's review says it does not count ("niet
meetellen", counting.may_still_count): its texts never reach the panel, so checking them would be
wasted work. Finding details takes too long per text to do on every page for a large
project (bench/README.md#figures-behind-the-code), so each text is scanned once after every change
and the number found is kept (Answer.identifying_found); the filters and the bulk release then work
in SQL over all of the project's answers.

Services flush, never commit; the acting user is passed in explicitly.
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, literal_column, or_, select, update

from ..audit import record
from ..counting import counts_in_results, may_still_count
from ..extensions import db
from ..models import Answer, Interview, Question, SpokenRecording
from ..models.base import utcnow
from ..models.review import AnswerChange
from ..open_answer_gate import panel_may_read, redaction_digest, with_digest
from ..privacy.identifying import count_by_kind, find_identifying

QUEUE_PER_PAGE = 25
SHOW = ("pending", "released", "held", "all")
# What replaces a detail when staff remove it. Answers are Dutch content, so these are Dutch.
REDACTED = {"name": "[naam]", "phone": "[telefoonnummer]", "email": "[e-mailadres]",
            "address": "[adres]", "place": "[plaats]"}
_SCAN_BATCH = 500


def _has_text():
    # The first two lines are the condition of the partial index ix_answer_waiting, word for word.
    return and_(or_(Answer.text.is_not(None), Answer.note.is_not(None)),
                or_(Answer.text != "", Answer.note != ""))


def _reachable(project, *, counted_only: bool = False):
    """The answers whose texts could reach the panel: asked, in an interview that is (or will
    be) completed and may count. Those of interviews in progress are there too, so staff can
    remove a detail before the interview ends. With `counted_only`: those of the completed
    interviews that count now."""
    rule = counts_in_results(project) if counted_only else may_still_count(project)
    interviews = select(Interview.id).where(rule)
    return and_(Answer.interview_id.in_(interviews), Answer.asked.is_(True), _has_text())


def fingerprint(answer) -> str:
    """What staff saw of an answer: a release or hold-back of a text that changed since is refused."""
    seen = f"{answer.text or ''}\0{answer.note or ''}".encode()
    return hashlib.sha256(seen).hexdigest()[:32]


# --- counts ------------------------------------------------------------------------------------

def waiting_count(project, *, counted_only: bool = False) -> int:
    """The answers with an open text or note that wait for the check."""
    return db.session.scalar(select(func.count()).select_from(Answer)
                             .where(_reachable(project, counted_only=counted_only), Answer.review == "pending"))


def panel_waiting_count(project) -> int:
    """What the panel is told waits: one total for the project's completed interviews that
    count (per question it could be one person), and nothing when the check is off."""
    return waiting_count(project, counted_only=True) if project.review_open_answers else 0


def untyped_recordings_count(project) -> int:
    """The spoken answers of the project's counted interviews that nobody typed out yet (no
    open text for that question). One total for the project, like the waiting count: the panel
    learns that answers are missing, never whose or to which question, and never hears them."""
    typed = select(Answer.id).where(Answer.interview_id == SpokenRecording.interview_id,
                                    Answer.question_id == SpokenRecording.question_id,
                                    Answer.text.is_not(None), Answer.text != "")
    interviews = select(Interview.id).where(counts_in_results(project))
    return db.session.scalar(select(func.count()).select_from(SpokenRecording).where(
        SpokenRecording.interview_id.in_(interviews), SpokenRecording.completed_at.is_not(None),
        ~typed.exists()))


@dataclass
class QueueCounts:
    pending: int = 0
    pending_found: int = 0
    released: int = 0
    released_found: int = 0
    held: int = 0
    held_found: int = 0

    def of(self, show: str, only_found: bool) -> int:
        if show == "all":
            return sum(getattr(self, s + ("_found" if only_found else "")) for s in SHOW[:3])
        return getattr(self, show + ("_found" if only_found else ""))


def queue_counts(project) -> QueueCounts:
    counts = QueueCounts()
    # A literal 0, not a bound one: PostgreSQL must see the same expression in SELECT and GROUP BY.
    found_any = Answer.identifying_found > literal_column("0")
    for state, found, n in db.session.execute(
        select(Answer.review, found_any, func.count()).where(_reachable(project)).group_by(Answer.review, found_any)
    ):
        setattr(counts, state, getattr(counts, state) + n)
        if found:
            setattr(counts, state + "_found", getattr(counts, state + "_found") + n)
    return counts


# --- scanning for identifying details ----------------------------------------------------------

def scan(project) -> int:
    """Count the details in every text of the project not scanned since its last change. A count
    is stored only if the text is still the one scanned. Returns how many texts were scanned."""
    rows = db.session.execute(
        select(Answer.id, Answer.text, Answer.note)
        .where(_reachable(project), Answer.identifying_found.is_(None)).order_by(Answer.id)
    ).all()
    table = Answer.__table__
    statement = (update(table).where(table.c.id == bindparam("b_id"),
                                     table.c.text.is_not_distinct_from(bindparam("b_text")),
                                     table.c.note.is_not_distinct_from(bindparam("b_note")))
                 .values(identifying_found=bindparam("b_found")))
    for start in range(0, len(rows), _SCAN_BATCH):
        batch = [{"b_id": row.id, "b_text": row.text, "b_note": row.note,
                  "b_found": len(find_identifying(row.text or "")) + len(find_identifying(row.note or ""))}
                 for row in rows[start:start + _SCAN_BATCH]]
        db.session.execute(statement, batch)
    return len(rows)


# --- the queue ---------------------------------------------------------------------------------

@dataclass
class QueueItem:
    answer: Answer
    question: str
    parts: list  # (part, text, findings) for the text and the note that are there


@dataclass
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    pages: int


def queue_page(project, *, show: str, only_found: bool, page: int) -> QueuePage:
    """One page of the queue, oldest first, filtered by state and (over every answer of the
    project, not per page) by whether details were found. Call scan() first."""
    query = select(Answer, Question.text).join(Question, Question.id == Answer.question_id) \
        .where(_reachable(project))
    if show != "all":
        query = query.where(Answer.review == show)
    if only_found:
        query = query.where(Answer.identifying_found > 0)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // QUEUE_PER_PAGE))
    page = min(max(page, 1), pages)
    items = []
    for answer, question_text in db.session.execute(
        query.order_by(Answer.id).offset((page - 1) * QUEUE_PER_PAGE).limit(QUEUE_PER_PAGE)
    ).all():
        parts = [(part, getattr(answer, part), find_identifying(getattr(answer, part)))
                 for part in ("text", "note") if getattr(answer, part)]
        items.append(QueueItem(answer, question_text, parts))
    return QueuePage(items, total, page, pages)


def queue_page_of(project, answer_id: int, show: str) -> int:
    """The page of the unfiltered list `show` that holds this answer."""
    query = select(func.count()).select_from(Answer).where(_reachable(project), Answer.id < answer_id)
    if show != "all":
        query = query.where(Answer.review == show)
    return db.session.scalar(query) // QUEUE_PER_PAGE + 1


def queue_answer(project, answer_id: int) -> Answer | None:
    """The answer, if its texts are in this project's queue."""
    return db.session.scalars(select(Answer).where(Answer.id == answer_id, _reachable(project))).first()


# --- deciding ----------------------------------------------------------------------------------

def _decide(answer: Answer, *, seen: str, state: str, reason: str | None, by) -> bool:
    """Set the answer's state if its text and note are still what staff saw."""
    if seen != fingerprint(answer):
        return False
    table = Answer.__table__
    changed = db.session.execute(
        update(table).where(table.c.id == answer.id, table.c.text.is_not_distinct_from(answer.text),
                            table.c.note.is_not_distinct_from(answer.note))
        .values(review=state, reviewed_at=utcnow(), reviewed_by_id=by.id, review_reason=reason)
    ).rowcount
    db.session.expire(answer)
    return changed == 1


def release(answer: Answer, *, seen: str, by, project_id: int) -> bool:
    """Let the panel read this answer's text and note. False: they changed since staff read them."""
    if not _decide(answer, seen=seen, state="released", reason=None, by=by):
        return False
    record("answer.release", user=by, project_id=project_id, obj=answer)
    return True


def hold(answer: Answer, *, seen: str, reason: str, by, project_id: int) -> bool:
    """Keep this answer's text and note from the panel ("niet vrijgeven"), with a reason for staff."""
    if not _decide(answer, seen=seen, state="held", reason=reason.strip(), by=by):
        return False
    # The logboek holds no content: not the reason either.
    record("answer.hold", user=by, project_id=project_id, obj=answer)
    return True


def unflagged_waiting(project, *, until: datetime) -> int:
    """How many waiting answers without any detail found release_unflagged would release."""
    return db.session.scalar(select(func.count()).select_from(Answer).where(*_unflagged(project, until)))


def _unflagged(project, until: datetime):
    # Checked on the row that is updated (not only in a subquery), so a text that changes at the
    # same moment is never released: its change set it back to "pending" and unscanned.
    return (_reachable(project), Answer.review == "pending", Answer.identifying_found == 0,
            Answer.saved_at <= until)


def release_unflagged(project, *, until: datetime, by) -> int:
    """Release every waiting answer in which the scanner found nothing, saved no later than
    `until` (when staff saw the count they confirmed). Returns how many were released."""
    table = Answer.__table__
    ids = select(Answer.id).where(*_unflagged(project, until))
    released = db.session.execute(
        update(table).where(table.c.id.in_(ids), table.c.review == "pending", table.c.identifying_found == 0,
                            table.c.saved_at <= until)
        .values(review="released", reviewed_at=utcnow(), reviewed_by_id=by.id, review_reason=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    record("answers.release_unflagged", user=by, project_id=project.id, obj=project, answers=released)
    return released


# --- redacting -----------------------------------------------------------------------------------

def redact(answer: Answer, part: str, *, by, project_id: int) -> dict[str, int] | None:
    """Replace every detail the scanner marks in the answer's text or note by "[naam]", "[adres]" …

    The replaced text's digest is kept, so a tablet that sends the original again (it never heard
    the server's answer) cannot bring it back. The state stays as it was: a waiting answer still
    needs its release. Returns the details removed per kind ({} when none were found), or None when
    the text changed since it was read."""
    text = getattr(answer, part) or ""
    findings = find_identifying(text)
    if not findings:
        return {}
    redacted = text
    for finding in reversed(findings):
        redacted = redacted[:finding.start] + REDACTED[finding.kind] + redacted[finding.end:]
    table = Answer.__table__
    changed = db.session.execute(
        update(table).where(table.c.id == answer.id, table.c[part] == text,
                            table.c.redacted_digests.is_not_distinct_from(answer.redacted_digests))
        .values({part: redacted, "redacted_digests": with_digest(answer.redacted_digests,
                                                                  redaction_digest(part, text)),
                 "identifying_found": None, "saved_at": utcnow()})
    ).rowcount
    db.session.expire(answer)
    if changed != 1:
        return None
    details = count_by_kind(findings)
    record("answer.redact", user=by, project_id=project_id, obj=answer, part=part, details=details)
    _keep_redaction(answer, part, redacted, details, by)
    return details


def _keep_redaction(answer: Answer, part: str, redacted: str, details: dict[str, int], by) -> None:
    """A redaction after the interview was finished goes into the answer's history: who, when,
    what kinds of detail, and the new text. Not the old text: keeping it would keep exactly the
    name or phone number the redaction removed."""
    finished = db.session.scalar(select(Interview.status).where(Interview.id == answer.interview_id))
    if finished != "completed":
        return
    db.session.add(AnswerChange(
        answer_id=answer.id, interview_id=answer.interview_id, question_id=answer.question_id, user_id=by.id,
        kind="redaction", new_value=answer.value, new_special=answer.special,
        new_text=redacted if part == "text" else answer.text,
        reason=f"{part}: " + ", ".join(sorted(details)), at=utcnow()))
    db.session.flush()


# --- what the panel may read -----------------------------------------------------------------------

def panel_may_read_answer(project, answer_id: int) -> bool:
    return db.session.scalar(select(func.count()).select_from(Answer)
                             .where(Answer.id == answer_id, panel_may_read(project))) == 1

