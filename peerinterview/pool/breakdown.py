"""Breakdown of one choice question by location, or by the answer to another choice question.

The numbers come from the project's plan (disclosure.py): the groups are split as on the
results page, a group the results page hides is hidden here whole, and the table is decided
together with every breakdown linked to it through skip logic. So a breakdown of A by B shows
the same numbers as B by A, and no combination of pages reveals a group smaller than the
project's minimum.
"""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Question, QuestionnaireVersion
from .disclosure import (
    CHOSE_ANY,
    LOCATION,
    NO_ANSWER,
    NOT_ASKED,
    SPECIAL,
    TICKED,
    MarginPlan,
    block_tables,
    margin_plan,
    option_var,
    question_var,
)

BY_LOCATION = "location"
# Kinds with one answer per person: every person is in exactly one cell of a breakdown, so
# these can also split the people into groups.
ONE_ANSWER_KINDS = ("single", "scale3", "scale5", "yesno")
# Multiple choice can be broken down (per answer: the people in the group who ticked it), but
# cannot make the groups: one person would be in several.
BREAKDOWN_KINDS = ONE_ANSWER_KINDS + ("multi",)


@dataclass
class Breakdown:
    question: Question
    by: str  # BY_LOCATION or the key of the other question
    by_question: Question | None
    columns: list[str]
    column_labels: dict[str, str]
    rows: list[str]
    row_labels: dict[str, str]
    table: "BreakdownTable"
    column_totals: dict[str, int | None]  # as on the results page (None: hidden there)

    def apart(self, key: str) -> bool:
        return _is_apart(key)

    @property
    def shown_rows(self) -> list[str]:
        return [row for row in self.rows if self.table.row_totals[row] is not None]

    @property
    def hidden_rows(self) -> list[str]:
        """Groups hidden whole: the page names them once instead of in every answer's table."""
        return [row for row in self.rows if self.table.row_totals[row] is None]

    @property
    def hidden_columns(self) -> list[str]:
        """Answers with no number shown at all (for no group, nor for everybody): the page says so
        in one line instead of a table full of "niet getoond"."""
        return [column for column in self.columns
                if self.column_totals[column] is None
                and all(self.table.counts[(row, column)] is None for row in self.shown_rows)]

    def group_percent(self, row: str) -> int | None:
        """The group's share of everybody (from two shown numbers; None when hidden)."""
        return _percent(self.table.row_totals[row], self.table.total)

    def everybody_percent(self, column: str) -> int | None:
        """The share of everybody who gave this answer, as a group's percentages are of its people."""
        return _percent(self.column_totals[column], self.table.total)

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


@dataclass
class BreakdownTable:
    """What the breakdown page shows: counts per group and answer (None: hidden)."""

    counts: dict[tuple[str, str], int | None]
    row_totals: dict[str, int | None]  # None: the whole group is hidden
    total: int
    shown: bool  # False: fewer interviews than the minimum, nothing is shown

    def percent(self, row: str, column: str) -> int | None:
        n, row_total = self.counts[(row, column)], self.row_totals[row]
        return None if n is None or not row_total else round(100 * n / row_total)


def build_breakdown(project, question: Question, by: str, by_question: Question | None,
                    special_labels: dict[str, str], labels: dict[str, str],
                    plan: MarginPlan | None = None) -> Breakdown:
    """`labels` names the groups that are not answers: NO_ANSWER, NOT_ASKED."""
    plan = plan or margin_plan(project)
    structure = plan.structure
    of_var = question_var(question.key)
    by_var = LOCATION if by_question is None else question_var(by_question.key)
    tables = block_tables(project, plan, by_var, of_var)

    def value(a_var, a_cat, b_var, b_cat):
        if a_var <= b_var:
            return tables[(a_var, b_var)].value(a_cat, b_cat)
        return tables[(b_var, a_var)].value(b_cat, a_cat)

    info = structure.questions[question.key]
    multi = info.kind == "multi"
    by_margin = plan.margin(by_var)
    of_margin = plan.margin(of_var)
    rest = [c for c in structure.categories(of_var) if c.startswith(SPECIAL) or c in (NO_ANSWER, NOT_ASKED)]
    columns = (list(info.values) if multi else [c for c in structure.categories(of_var) if not _is_apart(c)]) + rest
    column_labels = {v: (info.question.choice_label(v) or v) for v in info.values}
    column_labels.update({SPECIAL + k: v for k, v in special_labels.items()})
    column_labels[NO_ANSWER] = labels[NO_ANSWER]
    column_labels[NOT_ASKED] = labels[NOT_ASKED]
    column_totals: dict[str, int | None] = {}
    for column in columns:
        if multi and not _is_apart(column):
            column_totals[column] = plan.margin(option_var(question.key, column)).count(TICKED)
        else:
            column_totals[column] = of_margin.count(column)
    if by_question is None:
        rows = list(structure.location_ids)
        row_labels = dict(structure.location_names)
    else:
        rows = structure.categories(by_var)
        by_info = structure.questions[by_question.key]
        row_labels = {v: (by_info.question.choice_label(v) or v) for v in by_info.values}
        row_labels.update({SPECIAL + k: v for k, v in special_labels.items()})
        row_labels[NO_ANSWER] = labels[NO_ANSWER]
        row_labels[NOT_ASKED] = labels[NOT_ASKED]
        # "Weet ik niet", no answer, not asked: a group only when somebody is in it.
        rows = [r for r in rows if not (_is_apart(r) and by_margin.count(r) == 0)]
    # The same for the answers: a column only when somebody gave it (or it is hidden).
    columns = [c for c in columns if not (_is_apart(c) and column_totals.get(c) == 0)]
    counts: dict[tuple[str, str], int | None] = {}
    for row in rows:
        for column in columns:
            if multi and not _is_apart(column):
                counts[(row, column)] = value(by_var, row, option_var(question.key, column), TICKED)
            else:
                counts[(row, column)] = value(by_var, row, of_var, column)
    table = BreakdownTable(counts=counts, row_totals={row: by_margin.count(row) for row in rows},
                           total=plan.total, shown=plan.shown)
    return Breakdown(question=question, by=by, by_question=by_question, columns=columns,
                     column_labels=column_labels, rows=rows, row_labels=row_labels, table=table,
                     column_totals=column_totals)


def _percent(n: int | None, of: int) -> int | None:
    return None if n is None or not of else round(100 * n / of)


def _is_apart(key: str) -> bool:
    return key.startswith(SPECIAL) or key in (NO_ANSWER, NOT_ASKED, CHOSE_ANY)
