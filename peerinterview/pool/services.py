"""Pooled results: counted in the database (GROUP BY), suppressed by stats/."""
from dataclasses import dataclass, field

from sqlalchemy import Integer, Numeric, case, cast, func, literal, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Answer, Choice, Interview, Question, QuestionnaireVersion
from ..open_answer_gate import panel_may_read
from ..stats import (
    Cell,
    NumberSummary,
    number_summary_or_none,
    suppress_multiple_choice,
    suppress_small_groups,
)

NO_ANSWER = "_no_answer"
# Number questions: the people who gave a number (their count is in QuestionResult.number).
GAVE_NUMBER = "_number"
# Multiple choice: the people who ticked one or more answers (used for suppression only).
CHOSE_ANY = "_chose_any"
# The results page shows the first few open answers per question; the rest are a page away.
OPEN_ANSWERS_ON_RESULTS = 25
OPEN_ANSWERS_PER_PAGE = 50


@dataclass
class QuestionResult:
    question: Question  # as worded in the newest version that has this key
    asked: int  # completed interviews that were asked this question (skip logic applied)
    not_asked: int = 0  # completed interviews whose skip logic hid it ("niet gevraagd")
    cells: list[Cell] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    shown: bool = True
    open_answers: list[str] = field(default_factory=list)
    open_count: int = 0
    # Number questions: count, smallest, largest, average and middle value; None when hidden.
    number: NumberSummary | None = None


def _completed(project_id):
    return (Interview.project_id == project_id) & (Interview.status == "completed")


def pooled_results(project, special_labels: dict[str, str], no_answer_label: str) -> list[QuestionResult]:
    """Per question key, pooled over every frozen version that holds the key."""
    questions_by_key: dict[str, Question] = {}
    order: dict[str, tuple[int, int]] = {}
    versions = db.session.scalars(
        select(QuestionnaireVersion).join(QuestionnaireVersion.questionnaire)
        .where(QuestionnaireVersion.frozen_at.is_not(None))
        .where(QuestionnaireVersion.questionnaire.has(project_id=project.id))
        .order_by(QuestionnaireVersion.number)
        .options(selectinload(QuestionnaireVersion.questions).selectinload(Question.choices))
    ).all()
    for version in versions:
        for q in version.questions:
            questions_by_key[q.key] = q  # newest wording wins
            order[q.key] = (version.number, q.position)

    # How many completed interviews were asked each key: count per version, then add up.
    per_version = dict(db.session.execute(
        select(Interview.version_id, func.count()).where(_completed(project.id)).group_by(Interview.version_id)
    ).all())
    asked: dict[str, int] = {}
    question_ids: dict[str, list[int]] = {}
    for version in versions:
        for q in version.questions:
            asked[q.key] = asked.get(q.key, 0) + per_version.get(version.id, 0)
            question_ids.setdefault(q.key, []).append(q.id)

    # One GROUP BY for every question; for open questions the (None, None) group counts texts.
    # Rows with asked = False are the questions skip logic hid ("niet gevraagd"), counted apart.
    # The open texts are counted as the panel may read them (open_answer_gate.py): a count of all
    # texts next to the ones shown would tell how many wait for the check, question by question.
    counts: dict[str, dict[tuple, int]] = {}
    readable_texts: dict[str, int] = {}
    not_asked: dict[str, int] = {}
    readable = func.coalesce(func.sum(case((panel_may_read(project), 1), else_=0)), 0)
    for key, value, special, was_asked, n, n_readable in db.session.execute(
        select(Question.key, Answer.value, Answer.special, Answer.asked, func.count(), readable)
        .join(Answer, Answer.question_id == Question.id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id))
        .where(Answer.asked.is_(False) | Answer.value.is_not(None) | Answer.special.is_not(None)
               | Answer.text.is_not(None))
        .group_by(Question.key, Answer.value, Answer.special, Answer.asked)
    ).all():
        if was_asked:
            counts.setdefault(key, {})[(value, special)] = n
            if value is None and special is None:
                readable_texts[key] = n_readable
        else:
            not_asked[key] = not_asked.get(key, 0) + n

    # A small "niet gevraagd" group would reveal a hidden cell of the question that decided it
    # (through the difference of totals); such people stay in "geen antwoord" instead.
    not_asked = {key: n for key, n in not_asked.items() if n >= project.min_group_size}
    for key, n in not_asked.items():
        asked[key] = asked.get(key, 0) - n

    kinds = {key: question.kind for key, question in questions_by_key.items()}
    multi_counts = _multiple_choice_counts(project.id) if "multi" in kinds.values() else {}
    numbers = _number_summaries(project.id) if "number" in kinds.values() else {}

    # The first open answers of every open question shown, in one query (PostgreSQL).
    first_open = _first_open_answers_per_key(project, {
        key: question_ids[key] for key, question in questions_by_key.items()
        if question.kind == "open" and asked.get(key, 0) >= project.min_group_size
    })
    results = []
    for key in sorted(questions_by_key, key=lambda k: (order[k][1], order[k][0])):
        question = questions_by_key[key]
        if question.kind == "info":  # an information screen has no answers
            continue
        total = asked.get(key, 0)
        result = QuestionResult(question=question, asked=total, not_asked=not_asked.get(key, 0))
        if question.kind == "multi":
            _fill_multiple_choice(result, counts.get(key, {}), multi_counts.get(key, {}), special_labels,
                                  no_answer_label, project.min_group_size)
            results.append(result)
            continue
        if question.kind == "number":
            _fill_number(result, counts.get(key, {}), numbers.get(key), special_labels, no_answer_label,
                         project.min_group_size)
            results.append(result)
            continue
        if question.kind == "open":
            result.shown = total >= project.min_group_size
            if result.shown:
                result.open_count = readable_texts.get(key, 0)
                result.open_answers = first_open.get(key, [])
            results.append(result)
            continue
        per_value = counts.get(key, {})
        ordered: dict[str, int] = {}
        labels: dict[str, str] = {}
        for choice in question.choices:
            ordered[choice.value] = per_value.get((choice.value, None), 0)
            labels[choice.value] = choice.label
        # Values of choices that a newer version dropped still count, under their old value.
        for (value, special), n in per_value.items():
            if value is not None and value not in ordered:
                ordered[value] = n
                labels[value] = value
        for special, label in special_labels.items():
            ordered["special:" + special] = per_value.get((None, special), 0)
            labels["special:" + special] = label
        ordered[NO_ANSWER] = max(total - sum(per_value.values()), 0)
        labels[NO_ANSWER] = no_answer_label
        result.cells, result.shown = suppress_small_groups(ordered, total, project.min_group_size)
        result.labels = labels
        results.append(result)
    return results


def _special_and_no_answer(per_value: dict, total: int, special_labels, no_answer_label):
    ordered: dict[str, int] = {}
    labels: dict[str, str] = {}
    for special, label in special_labels.items():
        ordered["special:" + special] = per_value.get((None, special), 0)
        labels["special:" + special] = label
    ordered[NO_ANSWER] = max(total - sum(per_value.values()), 0)
    labels[NO_ANSWER] = no_answer_label
    return ordered, labels


def _fill_multiple_choice(result: QuestionResult, per_value: dict, per_choice: dict[str, int],
                          special_labels, no_answer_label, min_size: int) -> None:
    """Per answer: how many of the people asked ticked it (one person may tick several);
    then "Weet ik niet", "Wil ik niet zeggen" and no answer, which do split the people asked."""
    total = result.asked
    chose_any = sum(n for (value, _special), n in per_value.items() if value is not None)
    rest, rest_labels = _special_and_no_answer(per_value, total, special_labels, no_answer_label)
    partition, result.shown = suppress_small_groups({CHOSE_ANY: chose_any, **rest}, total, min_size)
    answered_hidden = partition[0].hidden
    option_counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for choice in result.question.choices:
        option_counts[choice.value] = per_choice.get(choice.value, 0)
        labels[choice.value] = choice.label
    for value, n in per_choice.items():  # answers a newer version dropped still count
        if value not in option_counts:
            option_counts[value] = n
            labels[value] = value
    options = suppress_multiple_choice(option_counts, total, min_size, answered_hidden=answered_hidden)
    result.cells = options + partition[1:]
    result.labels = {**labels, **rest_labels}


def _fill_number(result: QuestionResult, per_value: dict, summary: NumberSummary | None,
                 special_labels, no_answer_label, min_size: int) -> None:
    """How many gave a number (with its summary), "Weet ik niet", "Wil ik niet zeggen", no answer."""
    total = result.asked
    gave = sum(n for (value, _special), n in per_value.items() if value is not None)
    rest, rest_labels = _special_and_no_answer(per_value, total, special_labels, no_answer_label)
    cells, result.shown = suppress_small_groups({GAVE_NUMBER: gave, **rest}, total, min_size)
    result.cells = cells
    result.labels = {GAVE_NUMBER: "", **rest_labels}
    result.number = number_summary_or_none(summary, min_size, given_hidden=cells[0].hidden) if result.shown else None


def _multiple_choice_counts(project_id: int) -> dict[str, dict[str, int]]:
    """{key: {choice value: people who ticked it}}, counted in the database: an answer "1,3"
    holds value "3" when ",1,3," contains ",3,"."""
    wrapped = literal(",") + Answer.value + literal(",")
    counts: dict[str, dict[str, int]] = {}
    for key, value, n in db.session.execute(
        select(Question.key, Choice.value, func.count(Answer.id))
        .join(Answer, Answer.question_id == Question.id)
        .join(Interview, Interview.id == Answer.interview_id)
        .join(Choice, Choice.question_id == Question.id)
        .where(_completed(project_id), Question.kind == "multi", Answer.asked.is_(True),
               Answer.value.is_not(None), wrapped.contains(literal(",") + Choice.value + literal(","), autoescape=False))
        .group_by(Question.key, Choice.value)
    ).all():
        counts.setdefault(key, {})[value] = n
    return counts


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
    """{key: its first few open answers the panel may read}. On PostgreSQL one LATERAL query
    reads, per question, the first rows of ix_answer_question_id_id; with a constant question id
    the planner walks the primary key instead and filters (5 ms a question at 10,000 interviews,
    0.1 ms this way)."""
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
        select(Answer.question_id, Answer.id, Answer.text).join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project_id), Answer.question_id == questions.c.id, Answer.text.is_not(None),
               Answer.asked.is_(True), panel_may_read(project))
        .order_by(Answer.id).limit(OPEN_ANSWERS_ON_RESULTS)
        .lateral("first")
    )
    texts: dict[str, list[str]] = {}
    for question_id, _id, text in db.session.execute(
        select(first.c.question_id, first.c.id, first.c.text).select_from(questions).join(first, true())
        .order_by(first.c.question_id, first.c.id)
    ).all():
        per_key = texts.setdefault(key_of[question_id], [])
        if len(per_key) < OPEN_ANSWERS_ON_RESULTS:
            per_key.append(text)
    return texts


def _first_open_answers(project, question_ids: list[int]) -> list[str]:
    # Ordered along ix_answer_question_id_id, so the database reads the index in order and
    # stops after the first few, instead of sorting all of a question's answers.
    return list(db.session.scalars(
        select(Answer.text).join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id), Answer.question_id.in_(question_ids), Answer.text.is_not(None),
               Answer.asked.is_(True), panel_may_read(project))
        .order_by(Answer.question_id, Answer.id).limit(OPEN_ANSWERS_ON_RESULTS)
    ))


def open_answer_page(project, key: str, page: int) -> tuple[Question | None, list[str], int, bool]:
    """One page of the open answers to the question with this key (pooled over versions) that
    the panel may read (open_answer_gate.py).

    Returns the newest wording of the question, the texts on this page, the total count and
    whether the question was asked of enough people (the project's minimum group) to show any.
    """
    question = db.session.scalars(
        select(Question).join(QuestionnaireVersion, QuestionnaireVersion.id == Question.version_id)
        .where(QuestionnaireVersion.questionnaire.has(project_id=project.id),
               QuestionnaireVersion.frozen_at.is_not(None), Question.key == key, Question.kind == "open")
        .order_by(QuestionnaireVersion.number.desc()).limit(1)
    ).first()
    if question is None:
        return None, [], 0, False
    asked = db.session.scalar(
        select(func.count(Interview.id)).join(Question, Question.version_id == Interview.version_id)
        .where(_completed(project.id), Question.key == key)
    ) - db.session.scalar(
        select(func.count()).select_from(Answer).join(Question, Question.id == Answer.question_id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id), Question.key == key, Answer.asked.is_(False))
    )
    if asked < project.min_group_size:
        return question, [], 0, False
    base = (select(Answer.text).join(Question, Question.id == Answer.question_id)
            .join(Interview, Interview.id == Answer.interview_id)
            .where(_completed(project.id), Question.key == key, Answer.text.is_not(None),
                   Answer.asked.is_(True), panel_may_read(project)))
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    texts = db.session.scalars(
        base.order_by(Answer.id).offset((page - 1) * OPEN_ANSWERS_PER_PAGE).limit(OPEN_ANSWERS_PER_PAGE)
    ).all()
    return question, list(texts), total, True
