"""Interviews and answers. Every save is an idempotent upsert: a tablet may send the same answer
more than once (docs/decisions.md#upserts-never-check-then-insert)."""
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from sqlalchemy import String, bindparam, case, delete, literal, null, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, selectinload

from ..audit import record
from ..extensions import db
from ..models import (RECORDING_CONSENT_VERSION, Answer, Condition, Interview, Question, SpokenChunk,
                      SpokenRecording)
from ..models.interviews import STOP_REASONS, new_answer_ref
from ..models.base import utcnow
from ..models.review import AnswerChange, InterviewReview
from ..open_answer_gate import incoming_digests, redacted_before
from ..process_cache import ProcessCache
from ..upsert import insert_for_dialect
from .encoding import chosen_values
from .frozen import FrozenQuestion

# No 0/O, 1/I/L: a code is read aloud and copied by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5
CODE_PATTERN = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
CONSENT_METHODS = ("interviewer_tablet", "respondent_tablet")
DEBRIEF_MOODS = ("good", "mixed", "hard")
# A change on a tablet may reach the server after the interview was finished (the tablet was
# offline): stored if it was made before the finish, give or take this much clock difference.
LATE_CHANGE_SLACK = timedelta(minutes=5)
_UNCHANGED = object()


def new_respondent_code(project_id: int) -> str:
    """A short readable code, unique within the project. Never a name."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not respondent_code_taken(project_id, code):
            return code


def respondent_code_taken(project_id: int, code: str) -> bool:
    return db.session.scalar(
        select(Interview.id).where(Interview.project_id == project_id, Interview.respondent_code == code)
    ) is not None


def is_respondent_code(code) -> bool:
    """A code as new_respondent_code makes them."""
    return isinstance(code, str) and CODE_PATTERN.fullmatch(code) is not None


def normalized_code(code: str | None) -> str:
    """What a person types for a code: any case, maybe with spaces or a dash (K7M-2Q)."""
    return re.sub(r"[\s-]+", "", code or "").upper()


def start_interview(*, interview_id: str, project, version, location, interviewer,
                    respondent_code: str, language: str, second_interviewer=None,
                    consent_method: str = "interviewer_tablet", recording_consent: bool = False) -> Interview:
    """Create the interview once; a repeated start with the same UUID returns the same one.

    The respondent code must be one new_respondent_code made, free in the project (a code taken
    meanwhile raises IntegrityError from the unique index: the caller makes a new one).
    `recording_consent`: the person agreed to recorded answers (only asked when the version has a
    question that may be answered by speaking)."""
    if consent_method not in CONSENT_METHODS:
        raise ValueError(f"unknown consent method: {consent_method}")
    if not is_respondent_code(respondent_code):
        raise ValueError("not a respondent code")
    now = utcnow()
    stmt = insert_for_dialect(Interview).values(
        id=interview_id, project_id=project.id, version_id=version.id, location_id=location.id,
        interviewer_id=interviewer.id, respondent_code=respondent_code, language=language,
        consent_version=project.consent_version, consent_given_at=now, consent_method=consent_method,
        second_interviewer_id=getattr(second_interviewer, "id", None), status="in_progress",
        started_at=now, recording_consent_version=RECORDING_CONSENT_VERSION if recording_consent else None,
    ).on_conflict_do_nothing(index_elements=["id"]).returning(Interview.id)
    # RETURNING says whether this call inserted the row (rowcount is not reliable for
    # ORM-enabled inserts on every driver).
    created = db.session.execute(stmt).first() is not None
    interview = db.session.get(Interview, interview_id)
    if created:
        record("interview.start", user=interviewer, project_id=project.id, obj=interview,
               consent_version=project.consent_version, consent_method=consent_method,
               **({"recording_consent_version": interview.recording_consent_version} if recording_consent else {}))
    return interview


# An answer is written only while its interview takes answers: checked by the database in the
# same statement as the write, so a withdrawal or an erasure at the same moment never leaves an
# answer behind. A completed interview still takes the late answers of an offline tablet (the
# sync), but only changes made before it was finished (LATE_CHANGE_SLACK); the autosave writes
# only into an interview in progress. A withdrawn or erased interview takes nothing.
TAKES_ANSWERS = ("in_progress", "completed")


@dataclass(frozen=True, slots=True)
class InterviewFacts:
    """What never changes about an interview once it has started: kept per process for the
    autosave, which then needs no query for the interview (docs/decisions.md#per-process-caches).
    Its status does change: the write checks that itself (save_answer)."""
    id: str
    project_id: int
    version_id: int
    interviewer_id: int
    language: str


# Keyed by the interview's UUID, never given to another interview. An erased interview's facts may
# stay here: every write checks in the database that the interview (still) takes answers.
_INTERVIEW_FACTS = ProcessCache("interview_facts", limit=20000)


def interview_facts(interview_id: str) -> InterviewFacts | None:
    def read():
        row = db.session.execute(
            select(Interview.id, Interview.project_id, Interview.version_id, Interview.interviewer_id,
                   Interview.language).where(Interview.id == interview_id)).first()
        return InterviewFacts(*row) if row is not None else None

    return _INTERVIEW_FACTS.get(interview_id, read)


def save_answer(interview: Interview | InterviewFacts, question: Question, *, value: str | None = None,
                text: str | None = None, special: str | None = None, changed_at: datetime | None = None,
                note=_UNCHANGED, at_once: bool = False, while_status: tuple[str, ...] = TAKES_ANSWERS) -> bool:
    """Upsert on (interview, question). A replay of an older change never overwrites a newer one.

    All three None stores an explicit "cleared" row, so a later replay of an old value loses too.
    `note` (the follow-up text) is only written when it is passed. The row is written only while
    the interview's status is one of `while_status` (a withdrawn interview takes no answers any
    more), checked by the database in the same statement; an information screen never has an
    answer. Returns whether a row was written: False for those cases and for an older change.
    With `at_once` the answer is stored and committed by itself (see _write); else it is part of
    the session's transaction and the caller commits.
    """
    if not question.is_answered:  # an information screen has no answer
        return False
    changed_at = changed_at or utcnow()
    now = utcnow()
    values = {"value": value, "text": text, "special": special, "changed_at": changed_at, "saved_at": now}
    if note is not _UNCHANGED:
        values["note"] = (note or "").strip() or None
    # A resend of a text that staff redacted keeps the redacted text (open_answer_gate.py).
    text_digests = incoming_digests("text", text)
    digests = {f"text_digest_{i}": d for i, d in enumerate(text_digests)}
    if "note" in values:
        digests.update({f"note_digest_{i}": d for i, d in enumerate(incoming_digests("note", values["note"]))})
    dialect = db.session.get_bind().dialect.name
    written = _write(_upsert_statement(dialect, tuple(values), tuple(while_status), len(text_digests)),
                     {"interview_id": interview.id, "question_id": question.id, "ref": new_answer_ref(),
                      **_interview_params(interview, changed_at), **values, **digests}, at_once=at_once)
    _forget_loaded_answers(interview)
    return written > 0


def clear_answer(interview: Interview | InterviewFacts, question: Question, *, note: bool = False,
                 at_once: bool = False, while_status: tuple[str, ...] = TAKES_ANSWERS) -> bool:
    """Empty the stored answer to `question` (and its follow-up note if `note`), if there is
    one; make no row if there is none. Like save_answer, it never undoes a newer change and
    writes only while the interview takes answers. Returns whether a row was emptied."""
    if not question.is_answered:
        return False
    now = utcnow()
    # Less text than before: what was checked stays checked, but the details found are counted again.
    values = {"value": None, "text": None, "special": None, "changed_at": now, "saved_at": now,
              "identifying_found": None}
    if note:
        values["note"] = None
    dialect = db.session.get_bind().dialect.name
    statement = (update(Answer.__table__)
                 .where(Answer.interview_id == interview.id, Answer.question_id == question.id,
                        Answer.changed_at <= now, _takes_answers(dialect, tuple(while_status)).exists())
                 .values(**values))
    written = _write(statement, _interview_params(interview, now), at_once=at_once)
    _forget_loaded_answers(interview)
    return written > 0


def _forget_loaded_answers(interview) -> None:
    if isinstance(interview, Interview):
        db.session.expire(interview, ["answers"])


def _write(statement, params: dict, *, at_once: bool) -> int:
    """Run one answer write in the session's transaction, or `at_once`: as a transaction of its
    own, on a pooled connection in autocommit mode (the session's transaction may hold other
    changes that must wait for the caller's commit). One statement is atomic, and as durable as a
    commit (synchronous=FULL, fsync). The autosave needs neither: its session has no transaction
    at all (interview/autosave.py), so the statement commits by itself. Returns the number of rows
    written."""
    if not at_once:
        db.session.flush()  # the statement checks the interview's status: the session's own changes count
        return db.session.execute(statement, params).rowcount
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return connection.execute(statement, params).rowcount


def _interview_params(interview, changed_at: datetime) -> dict:
    """The bound parameters of _takes_answers for a change made at `changed_at`."""
    return {"live_interview": interview.id, "completed_after": changed_at - LATE_CHANGE_SLACK}


def _takes_answers(dialect: str, statuses: tuple[str, ...]):
    """The interview (bound as :live_interview), if its status is one of `statuses` and, when it
    is completed, it was completed after the change (bound as :completed_after, the change's time
    minus the slack). PostgreSQL locks its row for the statement (FOR SHARE): a withdrawal or an
    erasure, which changes the status before it erases the answers, waits for this write or this
    write waits for it and then sees the new status."""
    interview = Interview.__table__
    completed_after = bindparam("completed_after", type_=interview.c.completed_at.type)
    query = select(interview.c.id).where(
        interview.c.id == bindparam("live_interview"), interview.c.status.in_(statuses),
        or_(interview.c.status != "completed", interview.c.completed_at >= completed_after))
    return query.with_for_update(read=True) if dialect == "postgresql" else query


_UPSERT_STATEMENTS = ProcessCache("answer_upserts", limit=256)  # (dialect, columns, statuses, keys) -> statement


def _upsert_statement(dialect: str, columns: tuple[str, ...], statuses: tuple[str, ...], keys: int = 1):
    """The upsert of one answer for these columns, made once per process: see _make_upsert."""
    return _UPSERT_STATEMENTS.get((dialect, columns, statuses, keys),
                                  lambda: _make_upsert(dialect, columns, statuses, keys))


def _make_upsert(dialect: str, columns: tuple[str, ...], statuses: tuple[str, ...], keys: int):
    """INSERT … SELECT … WHERE the interview takes answers ON CONFLICT DO UPDATE, for one answer,
    with bound parameters: made once per process and set of columns, not per save (building it
    per save was measurable: bench/README.md#figures-behind-the-code).

    On an update, a text or note that staff redacted before (its digest, bound as
    text_digest_<n> / note_digest_<n> for each of `keys` secret keys) keeps the redacted text;
    a text or note that really changes sends the answer back to the staff check."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Answer.__table__
    # A new row gets its random reference from the caller (:ref), one per save: a default made
    # once for this cached statement would give every answer the same one.
    names = ("interview_id", "question_id", "ref", *columns)
    # Typed parameters: PostgreSQL cannot tell the type of a bare parameter in a SELECT list.
    row = select(*(bindparam(name, type_=table.c[name].type) for name in names)) \
        .where(_takes_answers(dialect, statuses).exists())
    stmt = insert(table).from_select(names, row)
    set_ = {name: stmt.excluded[name] for name in columns}
    unchanged = true()
    for part in ("text", "note"):
        if part not in columns:
            continue
        params = [bindparam(f"{part}_digest_{i}", type_=String()) for i in range(keys)]
        set_[part] = case((redacted_before(table.c.redacted_digests, params), table.c[part]),
                          else_=stmt.excluded[part])
        unchanged = unchanged & set_[part].is_not_distinct_from(table.c[part])
    set_["review"] = case((unchanged, table.c.review), else_=literal("pending"))
    for name in ("reviewed_at", "reviewed_by_id", "review_reason", "identifying_found"):
        set_[name] = case((unchanged, table.c[name]), else_=null())
    return stmt.on_conflict_do_update(
        index_elements=["interview_id", "question_id"],
        set_=set_,
        where=table.c.changed_at <= stmt.excluded.changed_at,
    ).execution_options(preserve_rowcount=True)  # an INSERT's row count is not kept otherwise


def question_at(version_id: int, number: int) -> Question | None:
    """The `number`th question (from 1) of a version, with its choices, without the others."""
    if number < 1:
        return None
    return db.session.scalars(
        select(Question).where(Question.version_id == version_id)
        .order_by(Question.position).offset(number - 1).limit(1)
        .options(joinedload(Question.choices))
    ).unique().first()


# A frozen version never changes (design/builder/services.py refuses every edit), so each worker process
# keeps immutable copies of the questions it has read (frozen.FrozenQuestion) for the autosave and
# the sync: they are most of the traffic and then need no query for the question. The key is the
# version's id: the app never deletes a frozen version, so its id is never given to another one
# (SQLite gives the highest id again only after a delete: the tests, which empty every table, call
# process_cache.clear_all between tests).
_FROZEN_QUESTIONS = ProcessCache("frozen_questions", limit=5000)  # (version id, number) -> FrozenQuestion
_FROZEN_VERSIONS = ProcessCache("frozen_versions", limit=500)  # version id -> {question id: FrozenQuestion}


def frozen_questions_by_id(version_id: int) -> MappingProxyType:
    """Every question of a frozen version (an interview's) by id, as FrozenQuestions: read once
    per process, like frozen_question_at (the encrypted sync checks each answer against it)."""
    def read():
        questions = db.session.scalars(select(Question).where(Question.version_id == version_id)
                                       .options(selectinload(Question.choices))).all()
        return MappingProxyType({question.id: FrozenQuestion.of(question) for question in questions})

    return _FROZEN_VERSIONS.get(version_id, read)


def erase_recordings(interview_ids) -> int:
    """Delete the recordings of these interviews (ids, or a subquery of ids), chunks first, so
    the erasure does not depend on the database enforcing foreign keys. Returns how many."""
    recording_ids = select(SpokenRecording.id).where(SpokenRecording.interview_id.in_(interview_ids))
    db.session.execute(delete(SpokenChunk).where(SpokenChunk.recording_id.in_(recording_ids.scalar_subquery())))
    return db.session.execute(delete(SpokenRecording).where(SpokenRecording.interview_id.in_(interview_ids))
                              .execution_options(synchronize_session=False)).rowcount


def asks_recording(version_id: int) -> bool:
    """True when a question of the version may be answered by speaking: then the start asks the
    separate consent for recordings."""
    return any(question.allow_spoken for question in frozen_questions_by_id(version_id).values())


def frozen_question_at(version_id: int, number: int) -> FrozenQuestion | None:
    """Like question_at, for a frozen version (an interview's), kept per process."""
    def read():
        question = question_at(version_id, number)
        return FrozenQuestion.of(question) if question is not None else None

    return _FROZEN_QUESTIONS.get((version_id, number), read)


def is_answered(answer) -> bool:
    return answer is not None and bool(answer.value or answer.text or answer.special)


def answer_rows(interview: Interview, question: Question | None = None) -> dict[int, Answer]:
    """Every stored row, also a cleared one or one with only a note (only `question`'s if given)."""
    query = select(Answer).where(Answer.interview_id == interview.id)
    if question is not None:
        query = query.where(Answer.question_id == question.id)
    return {a.question_id: a for a in db.session.scalars(query)}


def answers_by_question(interview: Interview) -> dict[int, Answer]:
    return {qid: a for qid, a in answer_rows(interview).items() if is_answered(a)}


def conditions_by_question(version) -> dict[int, list[Condition]]:
    rows = db.session.scalars(
        select(Condition).join(Question, Condition.question_id == Question.id)
        .where(Question.version_id == version.id).order_by(Condition.id)
    )
    grouped: dict[int, list[Condition]] = {}
    for condition in rows:
        grouped.setdefault(condition.question_id, []).append(condition)
    return grouped


def visible_questions(version, answers) -> list[Question]:
    """The questions of `version` that are asked, given `answers` (question id → answer).

    A question with conditions is shown only if, for every condition, the answer to the source
    question is one of its values, and the source question is itself shown. Answers to
    questions that are hidden now are kept, but they do not count.
    """
    conditions = conditions_by_question(version)
    by_id = {question.id: question for question in version.questions}
    shown: list[Question] = []
    shown_ids: set[int] = set()
    for question in version.questions:
        holds = all(
            condition.source_question_id in shown_ids
            and condition_holds(condition, by_id[condition.source_question_id],
                                getattr(answers.get(condition.source_question_id), "value", None))
            for condition in conditions.get(question.id, [])
        )
        if holds:
            shown.append(question)
            shown_ids.add(question.id)
    return shown


def condition_holds(condition: Condition, source: Question, value: str | None) -> bool:
    """The answer `value` to the source question is one of the condition's values; for a
    multiple-choice source: any of the chosen values is."""
    allowed = {str(v) for v in condition.values}
    return any(v in allowed for v in chosen_values(source, value))


def missing_required(version, answers) -> list[Question]:
    """Required questions that are shown but not answered."""
    return [q for q in visible_questions(version, answers)
            if q.required and q.is_answered and not is_answered(answers.get(q.id))]


def first_unanswered(version, answers) -> Question | None:
    """Where to resume: the first shown question without an answer (None: all answered)."""
    return next((q for q in visible_questions(version, answers)
                 if q.is_answered and not is_answered(answers.get(q.id))), None)


def complete_interview(interview: Interview, *, by) -> bool:
    """Finish the interview, if it is still in progress: checked in the same statement as the
    change, so a withdrawal or the retention run a moment earlier is never undone. Returns
    whether this call finished it."""
    if interview.status == "completed":
        return False
    db.session.flush()
    finished = db.session.execute(
        update(Interview).where(Interview.id == interview.id, Interview.status == "in_progress")
        .values(status="completed", completed_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(interview)
    if not finished:
        return False
    mark_not_asked(interview)
    db.session.flush()
    record("interview.complete", user=by, project_id=interview.project_id, obj=interview)
    return True


def mark_not_asked(interview: Interview) -> None:
    """Record which questions skip logic hid in the finished interview ("niet gevraagd"), so
    results count them apart. An answer kept from before stays in the row but does not count."""
    shown = {q.id for q in visible_questions(interview.version, answers_by_question(interview))}
    now = utcnow()
    for question in interview.version.questions:
        if question.id in shown or not question.is_answered:  # an information screen has no row
            continue
        stmt = insert_for_dialect(Answer).values(
            interview_id=interview.id, question_id=question.id, asked=False, changed_at=now, saved_at=now,
        )
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=["interview_id", "question_id"], set_={"asked": False},
        ))


# The debrief (and its aftercare flag) is written after the interview ended: finished, or
# stopped early (then the flag matters most).
TAKES_DEBRIEF = ("completed", "stopped")


def _follow_up_values(interview: Interview, needed: bool) -> dict:
    """The flag's columns: a flag that is newly set is new for staff (not dealt with yet)."""
    needed = bool(needed)
    if needed == bool(interview.follow_up_needed):
        return {"follow_up_needed": needed}
    if needed:
        return {"follow_up_needed": True, "follow_up_flagged_at": utcnow(),
                "follow_up_done_at": None, "follow_up_done_by_id": None}
    return {"follow_up_needed": False, "follow_up_flagged_at": None,
            "follow_up_done_at": None, "follow_up_done_by_id": None}


def _write_after_interview(interview: Interview, values: dict) -> bool:
    """Write `values` while the interview is finished or stopped, checked in the same statement:
    a withdrawal or the retention run a moment earlier erased the debrief, and it must not come back."""
    db.session.flush()
    written = db.session.execute(
        update(Interview).where(Interview.id == interview.id, Interview.status.in_(TAKES_DEBRIEF)).values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(interview)
    return bool(written)


def save_debrief(interview: Interview, *, mood: str | None, text: str | None, follow_up_needed: bool, by) -> bool:
    """The interviewer's short debrief after the interview. Staff see the follow-up flag.

    `mood` may be None when only the flag is saved on the way out. Returns whether it was written."""
    if mood is not None and mood not in DEBRIEF_MOODS:
        raise ValueError(f"unknown mood: {mood}")
    values = {"debrief_text": (text or "").strip() or None, "debriefed_at": utcnow(),
              **_follow_up_values(interview, follow_up_needed)}
    if mood is not None:
        values["debrief_mood"] = mood
    if not _write_after_interview(interview, values):
        return False
    # The logboek holds no content: not the mood, not the text.
    record("interview.debrief", user=by, project_id=interview.project_id, obj=interview,
           follow_up_needed=bool(follow_up_needed))
    return True


def set_follow_up(interview: Interview, *, needed: bool, by) -> bool:
    """The aftercare flag alone, saved the moment it is ticked (or unticked). Returns whether
    it was written (not for an interview that is in progress, withdrawn or erased)."""
    values = _follow_up_values(interview, needed)
    changed = len(values) > 1
    if not _write_after_interview(interview, values):
        return False
    if changed:
        record("interview.follow_up", user=by, project_id=interview.project_id, obj=interview,
               follow_up_needed=bool(needed))
    return True


def resolve_follow_up(interview: Interview, *, by) -> bool:
    """Staff dealt with the aftercare: who and when are kept (the flag stays visible, as dealt with)."""
    if not interview.follow_up_needed or interview.follow_up_done_at is not None:
        return False
    interview.follow_up_done_at = utcnow()
    interview.follow_up_done_by_id = by.id
    db.session.flush()
    record("interview.follow_up_done", user=by, project_id=interview.project_id, obj=interview)
    return True


def reopen_follow_up(interview: Interview, *, by) -> bool:
    """Marked as dealt with by mistake: open again."""
    if not interview.follow_up_needed or interview.follow_up_done_at is None:
        return False
    interview.follow_up_done_at = None
    interview.follow_up_done_by_id = None
    db.session.flush()
    record("interview.follow_up_reopen", user=by, project_id=interview.project_id, obj=interview)
    return True


def follow_ups(project_id: int) -> tuple[list[Interview], list[Interview]]:
    """The interviews that need aftercare: (not dealt with yet, newest flag first;
    dealt with, most recent first)."""
    flagged = db.session.scalars(
        select(Interview).where(Interview.project_id == project_id, Interview.follow_up_needed.is_(True))
        .options(joinedload(Interview.follow_up_done_by), joinedload(Interview.location))
    ).all()
    oldest = datetime.min
    open_ = sorted((i for i in flagged if i.follow_up_done_at is None),
                   key=lambda i: i.follow_up_flagged_at or i.debriefed_at or oldest, reverse=True)
    done = sorted((i for i in flagged if i.follow_up_done_at is not None),
                  key=lambda i: i.follow_up_done_at, reverse=True)
    return open_, done


# --- stopping early ------------------------------------------------------------------------------

# An interview without a new answer for this long is "left open": staff see it and close it.
LEFT_OPEN_AFTER = timedelta(hours=12)


def stop_interview(interview: Interview, *, by, reason: str | None, keep_answers: bool) -> bool:
    """Stop an interview in progress before the end, as the person wishes: the answers given so
    far are kept (the interview then counts as finished, with the stop noted) or erased (status
    "stopped", like a withdrawal). Checked in the same statement as the change, so a finish,
    withdrawal or erasure a moment earlier is never undone. Returns whether this call stopped it."""
    if reason is not None and reason not in STOP_REASONS:
        raise ValueError(f"unknown stop reason: {reason}")
    now = utcnow()
    values = {"stopped_at": now, "stop_reason": reason, "stopped_by_id": by.id}
    if keep_answers:
        values.update(status="completed", completed_at=now)
    else:
        values.update(status="stopped", debrief_text=None)
    db.session.flush()
    stopped = db.session.execute(
        update(Interview).where(Interview.id == interview.id, Interview.status == "in_progress")
        .values(**values).execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(interview)
    if not stopped:
        return False
    erased = 0
    if keep_answers:
        mark_not_asked(interview)
    else:
        # The status first (above): from then on no answer is written any more; then the erasure.
        erased = db.session.execute(delete(Answer).where(Answer.interview_id == interview.id)).rowcount
        erase_recordings([interview.id])
        db.session.expire(interview, ["answers"])
    db.session.flush()
    record("interview.stop", user=by, project_id=interview.project_id, obj=interview,
           reason=reason, answers_kept=keep_answers, answers_erased=erased)
    return True


def left_open(project_id: int, *, now: datetime | None = None) -> list[tuple[Interview, datetime]]:
    """Interviews still in progress without any activity for LEFT_OPEN_AFTER: (interview, last
    activity), oldest first."""
    now = now or utcnow()
    last_answer = (select(Answer.interview_id, db.func.max(Answer.saved_at).label("last"))
                   .group_by(Answer.interview_id).subquery())
    rows = db.session.execute(
        select(Interview, last_answer.c.last)
        .outerjoin(last_answer, last_answer.c.interview_id == Interview.id)
        .where(Interview.project_id == project_id, Interview.status == "in_progress")
        .options(joinedload(Interview.location), joinedload(Interview.interviewer))
    ).all()
    stale = [(interview, max(interview.started_at, last or interview.started_at)) for interview, last in rows]
    return sorted(((i, at) for i, at in stale if now - at >= LEFT_OPEN_AFTER), key=lambda pair: pair[1])


def find_by_respondent_code(project, code: str) -> Interview | None:
    code = normalized_code(code)
    if not code:  # an erased interview's code is empty: it is no code
        return None
    return db.session.scalar(
        select(Interview).where(Interview.project_id == project.id, Interview.respondent_code == code)
    )


def withdraw_interview(interview: Interview, *, by) -> int:
    """At the respondent's request: erase the answers (and the debrief note), keep the record.

    Returns how many answers were erased. The logboek says who and when, never what.
    """
    if interview.status == "withdrawn":
        return 0
    # The status first: from this statement on no answer is written any more (save_answer checks
    # it in its own statement; on PostgreSQL a write under way finishes first), then the erasure.
    interview.status = "withdrawn"
    interview.withdrawn_at = utcnow()
    interview.withdrawn_by_id = by.id
    interview.debrief_text = None
    db.session.flush()
    erase_review_texts(Interview.id == interview.id)
    erased = db.session.execute(delete(Answer).where(Answer.interview_id == interview.id)).rowcount
    recordings = erase_recordings([interview.id])
    db.session.expire(interview, ["answers"])
    record("interview.withdraw", user=by, project_id=interview.project_id, obj=interview, answers_erased=erased,
           **({"recordings_erased": recordings} if recordings else {}))
    return erased


def erase_review_texts(which) -> None:
    """With the answers of the interviews `which` selects (an SQL condition on Interview) go what
    people wrote about them: the history of changed answers (old and new texts, reasons) and the
    notes of their review (they may quote an answer). Who reviewed, when and the states stay.
    Deleted explicitly, so it does not depend on the database enforcing foreign keys."""
    ids = select(Interview.id).where(which).scalar_subquery()
    db.session.execute(delete(AnswerChange).where(AnswerChange.interview_id.in_(ids)))
    db.session.execute(update(InterviewReview).where(InterviewReview.interview_id.in_(ids), InterviewReview.note.is_not(None))
                       .values(note=None).execution_options(synchronize_session=False))
