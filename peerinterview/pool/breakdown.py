"""Breakdown of one choice question by location, or by the answer to another choice question.

Counted in the database in one GROUP BY; small cells and small groups hidden by
stats.suppress_table, so that no number, total or difference on this page or the results page
reveals a group smaller than the project's minimum.
"""
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import aliased, selectinload

from ..extensions import db
from ..models import Answer, Choice, Interview, Location, Question, QuestionnaireVersion
from ..stats import suppress_multiple_choice, suppress_small_groups
from ..stats.suppression import SuppressedTable, suppress_table
from .services import CHOSE_ANY, NO_ANSWER

BY_LOCATION = "location"
NOT_ASKED = "_not_asked"
# Kinds with one answer per person: every person is in exactly one cell of a breakdown, so
# these can also split the people into groups.
ONE_ANSWER_KINDS = ("single", "scale3", "scale5", "yesno")
# Multiple choice can be broken down (per answer: the people in the group who ticked it), but
# cannot make the groups: one person would be in several.
BREAKDOWN_KINDS = ONE_ANSWER_KINDS + ("multi",)
TICKED, NOT_TICKED = "ticked", "not_ticked"


@dataclass
class Breakdown:
    question: Question
    by: str  # BY_LOCATION or the key of the other question
    by_question: Question | None
    columns: list[str]
    column_labels: dict[str, str]
    rows: list[str]
    row_labels: dict[str, str]
    table: SuppressedTable
    column_totals: dict[str, int | None]  # as on the results page (None: hidden there)

    def apart(self, key: str) -> bool:
        return _is_apart(key)

    @property
    def multi(self) -> bool:
        return self.question.kind == "multi"


def breakdown_questions(project) -> list[Question]:
    """The newest wording of every question that can be broken down, in questionnaire order."""
    versions = db.session.scalars(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.frozen_at.is_not(None),
               QuestionnaireVersion.questionnaire.has(project_id=project.id))
        .order_by(QuestionnaireVersion.number)
        .options(selectinload(QuestionnaireVersion.questions).selectinload(Question.choices))
    ).all()
    newest: dict[str, Question] = {}
    order: dict[str, tuple[int, int]] = {}
    for version in versions:
        for question in version.questions:
            newest[question.key] = question
            order[question.key] = (question.position, version.number)
    return [newest[key] for key in sorted(newest, key=lambda k: order[k]) if newest[key].kind in BREAKDOWN_KINDS]


def _answer_key(value, special) -> str:
    if special:
        return "special:" + special
    return value if value is not None else NO_ANSWER


def build_breakdown(project, question: Question, by: str, by_question: Question | None,
                    special_labels: dict[str, str], labels: dict[str, str]) -> Breakdown:
    """`labels` names the groups that are not answers: NO_ANSWER, NOT_ASKED."""
    qa, a = aliased(Question), aliased(Answer)
    qb, b = aliased(Question), aliased(Answer)
    dims = (Interview.location_id,) if by_question is None else (qb.id, b.value, b.special, b.asked)

    def grouped(statement):
        statement = statement.select_from(Interview).join(
            qa, and_(qa.version_id == Interview.version_id, qa.key == question.key))
        return statement

    def by_group(statement):
        if by_question is not None:
            statement = (statement
                         .outerjoin(qb, and_(qb.version_id == Interview.version_id, qb.key == by_question.key))
                         .outerjoin(b, and_(b.interview_id == Interview.id, b.question_id == qb.id)))
        return statement.where(Interview.project_id == project.id, Interview.status == "completed")

    def group_of(dim) -> str:
        if by_question is None:
            return str(dim[0])
        b_question_id, b_value, b_special, b_asked = dim
        return NOT_ASKED if b_question_id is None or b_asked is False else _answer_key(b_value, b_special)

    statement = by_group(grouped(select(*dims, a.value, a.special, a.asked, func.count()))
                         .outerjoin(a, and_(a.interview_id == Interview.id, a.question_id == qa.id)))
    raw = db.session.execute(statement.group_by(*dims, a.value, a.special, a.asked)).all()

    # As on the results page: people that skip logic did not ask count apart, unless they are
    # so few that they stay in "geen antwoord".
    not_asked = sum(row[-1] for row in raw if row[-2] is False)
    drop_not_asked = not_asked >= project.min_group_size

    multi = question.kind == "multi"
    table: dict[str, dict[str, int]] = {}
    for row in raw:
        *dim, value, special, asked, n = row
        if asked is False and drop_not_asked:
            continue
        column = NO_ANSWER if asked is False else _answer_key(value, special)
        if multi and column not in (NO_ANSWER,) and not column.startswith("special:"):
            column = CHOSE_ANY
        cells = table.setdefault(group_of(dim), {})
        cells[column] = cells.get(column, 0) + n

    ticked: dict[str, dict[str, int]] = {}
    if multi:
        # Per answer, the people in each group who ticked it: ",1,3," contains ",3,".
        wrapped = literal(",") + a.value + literal(",")
        statement = by_group(grouped(select(*dims, Choice.value, func.count()))
                             .join(a, and_(a.interview_id == Interview.id, a.question_id == qa.id))
                             .join(Choice, Choice.question_id == qa.id)
                             .where(a.asked.is_(True), a.value.is_not(None),
                                    wrapped.contains(literal(",") + Choice.value + literal(","),
                                                     autoescape=False)))
        for *dim, value, n in db.session.execute(statement.group_by(*dims, Choice.value)).all():
            per_group = ticked.setdefault(value, {})
            group = group_of(dim)
            per_group[group] = per_group.get(group, 0) + n

    if multi:
        columns, column_labels = _ordered(question, set(ticked), special_labels)
        columns.remove(NO_ANSWER)
        columns = [c for c in columns if not c.startswith("special:")]
        rest = [CHOSE_ANY] + ["special:" + special for special in special_labels] + [NO_ANSWER]
        column_labels.update({"special:" + k: v for k, v in special_labels.items()})
    else:
        columns, column_labels = _ordered(question, {c for cells in table.values() for c in cells}, special_labels)
        rest = []
    column_labels[NO_ANSWER] = labels[NO_ANSWER]
    if by_question is None:
        locations = db.session.scalars(
            select(Location).where(Location.project_id == project.id).order_by(Location.name)
        ).all()
        rows = [str(location.id) for location in locations]
        row_labels = {str(location.id): location.name for location in locations}
    else:
        rows, row_labels = _ordered(by_question, set(table), special_labels)
        row_labels[NO_ANSWER] = labels[NO_ANSWER]
        if NOT_ASKED in table:
            rows.append(NOT_ASKED)
            row_labels[NOT_ASKED] = labels[NOT_ASKED]
    full = {row: table.get(row, {}) for row in rows}
    if multi:
        suppressed, column_totals = _multiple_choice_tables(full, rows, columns, rest, ticked, project.min_group_size)
        columns = columns + rest[1:]
    else:
        suppressed, column_totals = _suppressed(full, columns, project.min_group_size)
    # "Weet ik niet", "wil ik niet zeggen" and no answer only take room when somebody gave them.
    columns = [c for c in columns if not (_is_apart(c) and column_totals.get(c) == 0)]
    return Breakdown(question=question, by=by, by_question=by_question, columns=columns,
                     column_labels=column_labels, rows=rows, row_labels=row_labels, table=suppressed,
                     column_totals=column_totals)


def _is_apart(key: str) -> bool:
    return key.startswith("special:") or key in (NO_ANSWER, NOT_ASKED)


def _suppressed(full, columns, min_size):
    # The results page shows these per answer; the breakdown hides what that page hides.
    column_totals = {c: sum(cells.get(c, 0) for cells in full.values()) for c in columns}
    overall, _shown = suppress_small_groups(column_totals, sum(column_totals.values()), min_size)
    hidden_columns = {cell.key for cell in overall if cell.hidden}
    return suppress_table(full, columns, min_size, hidden_columns), {cell.key: cell.count for cell in overall}


def _multiple_choice_tables(full, rows, options, rest, ticked, min_size):
    """Multiple choice: the split into ticked something / "weet ik niet" / … / no answer is one
    table; then per answer, ticked / not ticked per group is a table of its own. Each is
    suppressed like a one-answer question, with the same groups hidden (same group sizes)."""
    partition, rest_totals = _suppressed(full, rest, min_size)
    total = partition.total
    chose_any_hidden = rest_totals.get(CHOSE_ANY) is None
    overall_ticked = {value: sum(ticked.get(value, {}).values()) for value in options}
    overall = {cell.key: cell for cell in suppress_multiple_choice(
        overall_ticked, total, min_size, answered_hidden=chose_any_hidden)}
    counts = {key: n for key, n in partition.counts.items() if key[1] != CHOSE_ANY}
    for value in options:
        per_group = ticked.get(value, {})
        table = {row: {TICKED: per_group.get(row, 0),
                       NOT_TICKED: sum(full[row].values()) - per_group.get(row, 0)} for row in rows}
        hidden = {TICKED, NOT_TICKED} if overall[value].hidden else set()
        option_table = suppress_table(table, [TICKED, NOT_TICKED], min_size, hidden)
        for row in rows:
            counts[(row, value)] = option_table.counts[(row, TICKED)]
    merged = SuppressedTable(rows=rows, columns=options + rest[1:], counts=counts,
                             row_totals=partition.row_totals, total=total, shown=partition.shown,
                             hidden_rows=partition.hidden_rows, hidden_columns=partition.hidden_columns)
    column_totals = {value: overall[value].count for value in options}
    column_totals.update({key: n for key, n in rest_totals.items() if key != CHOSE_ANY})
    return merged, column_totals


def _ordered(question: Question, seen: set[str], special_labels: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Choices in order, values of dropped choices that were given, the special answers, no answer."""
    keys = [choice.value for choice in question.choices]
    labels = {choice.value: choice.label for choice in question.choices}
    for key in sorted(seen):
        if key not in labels and not key.startswith("special:") and key not in (NO_ANSWER, NOT_ASKED):
            keys.append(key)
            labels[key] = key
    for special, label in special_labels.items():
        keys.append("special:" + special)
        labels["special:" + special] = label
    keys.append(NO_ANSWER)
    return keys, labels
