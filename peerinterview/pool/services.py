"""Pooled results: counted in the database (GROUP BY), small groups hidden by the plan in disclosure.py."""
from dataclasses import dataclass, field

from sqlalchemy import Integer, Numeric, cast, func, select

from ..counting import counts_in_results
from ..extensions import db
from ..models import Answer, Interview, Question, QuestionnaireVersion
from ..open_answer_gate import panel_may_read
from ..stats import Cell, NumberSummary, number_summary_or_none
from .disclosure import (  # noqa: F401
    CHOSE_ANY,
    GAVE_NUMBER,
    GAVE_TEXT,
    NO_ANSWER,
    NOT_ASKED,
    SPECIAL,
    TICKED,
    MarginPlan,
    margin_plan,
    option_var,
    question_var,
)

# The results page shows the first few open answers per question; the rest are a page away.
OPEN_ANSWERS_ON_RESULTS = 25
OPEN_ANSWERS_PER_PAGE = 50


@dataclass
class QuestionResult:
    """One question's answers, as every page shows them (small groups hidden by the plan)."""

    question: Question  # as worded in the newest version that has this key
    total: int  # completed interviews
    # Completed interviews that were asked this question, and that were not (skip logic, or a
    # version without it); None when that number is hidden.
    asked: int | None
    not_asked: int | None = 0
    cells: list[Cell] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    shown: bool = True  # enough interviews to show anything
    open_answers: list[str] = field(default_factory=list)
    open_count: int = 0
    # Number questions: count, smallest, largest, average and middle value; None when hidden.
    number: NumberSummary | None = None

    @property
    def base(self) -> int:
        """What the percentages are of: the people asked when that number is shown, else everybody."""
        return self.asked if self.asked is not None else self.total


def _completed(project):
    """The interviews that count (counting.py), of a project or its id."""
    return counts_in_results(project)


def pooled_results(project, special_labels: dict[str, str], no_answer_label: str,
                   plan: MarginPlan | None = None) -> list[QuestionResult]:
    """Per question key, pooled over every frozen version that holds the key."""
    plan = plan or margin_plan(project)
    structure = plan.structure
    kinds = {info.kind for info in structure.questions.values()}
    numbers = _number_summaries(project.id) if "number" in kinds and plan.shown else {}
    # The first open answers of every open question, in one query (PostgreSQL).
    question_ids = _question_ids_per_key(project.id)
    first_open = _first_open_answers_per_key(project, {
        key: question_ids.get(key, []) for key, info in structure.questions.items()
        if info.kind == "open" and plan.shown
    })
    results = []
    for key, info in structure.questions.items():
        margin = plan.margin(question_var(key))
        not_asked = margin.count(NOT_ASKED)
        result = QuestionResult(question=info.question, total=plan.total,
                                asked=None if not_asked is None else plan.total - not_asked,
                                not_asked=not_asked, shown=plan.shown)
        base = result.base
        labels = {value: (info.question.choice_label(value) or value) for value in info.values}
        labels.update({SPECIAL + k: v for k, v in special_labels.items()})
        labels[NO_ANSWER] = no_answer_label
        rest = [_cell(margin, c, base) for c in margin.counts if c.startswith(SPECIAL) or c == NO_ANSWER]
        if info.kind == "multi":
            options = [_cell(plan.margin(option_var(key, value)), TICKED, base, key=value) for value in info.values]
            result.cells = options + rest
        elif info.kind == "number":
            gave = _cell(margin, GAVE_NUMBER, base)
            result.cells = [gave] + rest
            labels[GAVE_NUMBER] = ""
            result.number = number_summary_or_none(numbers.get(key), project.min_group_size,
                                                   given_hidden=gave.hidden) if plan.shown else None
        elif info.kind == "open":
            result.cells = rest
            result.open_count = margin.counts[GAVE_TEXT] if plan.shown else 0
            result.open_answers = first_open.get(key, []) if plan.shown else []
        else:
            result.cells = [_cell(margin, value, base) for value in info.values] + rest
        result.labels = labels
        results.append(result)
    return results


def _cell(margin, category: str, base: int, key: str | None = None) -> Cell:
    n = margin.count(category)
    if n is None:
        return Cell(key or category, None, None)
    return Cell(key or category, n, round(100 * n / base) if base else 0)


def _question_ids_per_key(project_id: int) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for key, question_id in db.session.execute(
        select(Question.key, Question.id).join(QuestionnaireVersion, QuestionnaireVersion.id == Question.version_id)
        .where(QuestionnaireVersion.frozen_at.is_not(None),
               QuestionnaireVersion.questionnaire.has(project_id=project_id))
        .order_by(Question.id)
    ).all():
        ids.setdefault(key, []).append(question_id)
    return ids


def _number_summaries(project_id: int) -> dict[str, NumberSummary]:
    """{key: count, min, max, average (and median) of the numbers given}, in the database."""
    number = cast(Answer.value, Integer)
    base = (select(Question.key).join(Answer, Answer.question_id == Question.id)
            .join(Interview, Interview.id == Answer.interview_id)
            .where(_completed(project_id), Question.kind == "number", Answer.asked.is_(True),
                   Answer.value.is_not(None)))
    postgres = db.session.get_bind().dialect.name == "postgresql"
    columns = [func.count(), func.min(number), func.max(number), func.avg(cast(number, Numeric))]
    if postgres:
        columns.append(func.percentile_cont(0.5).within_group(number))
    summaries = {}
    for key, n, low, high, mean, *median in db.session.execute(
        base.add_columns(*columns).group_by(Question.key)
    ).all():
        summaries[key] = NumberSummary(count=n, minimum=int(low), maximum=int(high), mean=float(mean),
                                       median=float(median[0]) if median else _median(base, key, n))
    return summaries


def _median(base, key: str, n: int) -> float | None:
    """The middle value without percentile_cont (SQLite): the one or two values in the middle,
    read in order by the database."""
    if not n:
        return None
    number = cast(Answer.value, Integer)
    middle = db.session.scalars(
        base.with_only_columns(number).where(Question.key == key).order_by(number)
        .offset((n - 1) // 2).limit(2 if n % 2 == 0 else 1)
    ).all()
    return sum(middle) / len(middle) if middle else None


def _first_open_answers_per_key(project, ids_per_key: dict[str, list[int]]) -> dict[str, list[str]]:
    """{key: its first few open answers the panel may read}, in the order of the answers' random
    references (an order by id would line up one person's answers to several questions). On
    PostgreSQL one LATERAL query reads, per question, the first rows of ix_answer_question_ref;
    with a constant question id
    the planner walks the primary key instead and filters, many times slower on a big project
    (bench/README.md#figures-behind-the-code)."""
    if not ids_per_key:
        return {}
    project_id = project.id
    if db.session.get_bind().dialect.name != "postgresql":
        return {key: _first_open_answers(project, ids) for key, ids in ids_per_key.items()}
    from sqlalchemy import Integer, true
    from sqlalchemy.dialects.postgresql import ARRAY, array

    key_of = {question_id: key for key, ids in ids_per_key.items() for question_id in ids}
    questions = func.unnest(array(sorted(key_of), type_=ARRAY(Integer))).table_valued("id").render_derived()
    first = (
        select(Answer.question_id, Answer.ref, Answer.text).join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project_id), Answer.question_id == questions.c.id, Answer.text.is_not(None),
               Answer.asked.is_(True), panel_may_read(project))
        .order_by(Answer.ref).limit(OPEN_ANSWERS_ON_RESULTS)
        .lateral("first")
    )
    texts: dict[str, list[str]] = {}
    for question_id, _ref, text in db.session.execute(
        select(first.c.question_id, first.c.ref, first.c.text).select_from(questions).join(first, true())
        .order_by(first.c.question_id, first.c.ref)
    ).all():
        per_key = texts.setdefault(key_of[question_id], [])
        if len(per_key) < OPEN_ANSWERS_ON_RESULTS:
            per_key.append(text)
    return texts


def _first_open_answers(project, question_ids: list[int]) -> list[str]:
    # Ordered along ix_answer_question_ref, so the database reads the index in order and
    # stops after the first few, instead of sorting all of a question's answers.
    return list(db.session.scalars(
        select(Answer.text).join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id), Answer.question_id.in_(question_ids), Answer.text.is_not(None),
               Answer.asked.is_(True), panel_may_read(project))
        .order_by(Answer.question_id, Answer.ref).limit(OPEN_ANSWERS_ON_RESULTS)
    ))


def open_answer_page(project, key: str, page: int) -> tuple[Question | None, list[str], int, bool]:
    """One page of the open answers to the question with this key (pooled over versions) that
    the panel may read (open_answer_gate.py).

    Returns the newest wording of the question, the texts on this page, the total count and
    whether any may be shown: not while fewer interviews are complete than the project's minimum
    group (as the card board, which shows every open answer it may with its question).
    """
    question = db.session.scalars(
        select(Question).join(QuestionnaireVersion, QuestionnaireVersion.id == Question.version_id)
        .where(QuestionnaireVersion.questionnaire.has(project_id=project.id),
               QuestionnaireVersion.frozen_at.is_not(None), Question.key == key, Question.kind == "open")
        .order_by(QuestionnaireVersion.number.desc()).limit(1)
    ).first()
    if question is None:
        return None, [], 0, False
    completed = db.session.scalar(select(func.count(Interview.id)).where(_completed(project.id)))
    if completed < project.min_group_size:
        return question, [], 0, False
    base = (select(Answer.text).join(Question, Question.id == Answer.question_id)
            .join(Interview, Interview.id == Answer.interview_id)
            .where(_completed(project.id), Question.key == key, Answer.text.is_not(None),
                   Answer.asked.is_(True), panel_may_read(project)))
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    texts = db.session.scalars(
        base.order_by(Answer.ref).offset((page - 1) * OPEN_ANSWERS_PER_PAGE).limit(OPEN_ANSWERS_PER_PAGE)
    ).all()
    return question, list(texts), total, True
