"""Pooled results: counted in the database (GROUP BY), suppressed by stats/."""
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Answer, Interview, Question, QuestionnaireVersion
from ..stats import Cell, suppress_small_groups

NO_ANSWER = "_no_answer"
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
    counts: dict[str, dict[tuple, int]] = {}
    not_asked: dict[str, int] = {}
    for key, value, special, was_asked, n in db.session.execute(
        select(Question.key, Answer.value, Answer.special, Answer.asked, func.count())
        .join(Answer, Answer.question_id == Question.id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id))
        .where(Answer.asked.is_(False) | Answer.value.is_not(None) | Answer.special.is_not(None)
               | Answer.text.is_not(None))
        .group_by(Question.key, Answer.value, Answer.special, Answer.asked)
    ).all():
        if was_asked:
            counts.setdefault(key, {})[(value, special)] = n
        else:
            not_asked[key] = not_asked.get(key, 0) + n

    # A small "niet gevraagd" group would reveal a hidden cell of the question that decided it
    # (through the difference of totals); such people stay in "geen antwoord" instead.
    not_asked = {key: n for key, n in not_asked.items() if n >= project.min_group_size}
    for key, n in not_asked.items():
        asked[key] = asked.get(key, 0) - n

    results = []
    for key in sorted(questions_by_key, key=lambda k: (order[k][1], order[k][0])):
        question = questions_by_key[key]
        total = asked.get(key, 0)
        result = QuestionResult(question=question, asked=total, not_asked=not_asked.get(key, 0))
        if question.kind == "open":
            result.shown = total >= project.min_group_size
            if result.shown:
                result.open_count = counts.get(key, {}).get((None, None), 0)
                result.open_answers = _first_open_answers(project.id, question_ids[key])
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


def _first_open_answers(project_id: int, question_ids: list[int]) -> list[str]:
    # Ordered along ix_answer_question_id_id, so the database reads the index in order and
    # stops after the first few, instead of sorting all of a question's answers.
    return list(db.session.scalars(
        select(Answer.text).join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project_id), Answer.question_id.in_(question_ids), Answer.text.is_not(None),
               Answer.asked.is_(True))
        .order_by(Answer.question_id, Answer.id).limit(OPEN_ANSWERS_ON_RESULTS)
    ))


def open_answer_page(project, key: str, page: int) -> tuple[Question | None, list[str], int]:
    """One page of the open answers to the question with this key (pooled over versions).

    Returns the newest wording of the question, the texts on this page and the total count;
    nothing when the question was asked of fewer people than the project's minimum group.
    """
    question = db.session.scalars(
        select(Question).join(QuestionnaireVersion, QuestionnaireVersion.id == Question.version_id)
        .where(QuestionnaireVersion.questionnaire.has(project_id=project.id),
               QuestionnaireVersion.frozen_at.is_not(None), Question.key == key, Question.kind == "open")
        .order_by(QuestionnaireVersion.number.desc()).limit(1)
    ).first()
    if question is None:
        return None, [], 0
    asked = db.session.scalar(
        select(func.count(Interview.id)).join(Question, Question.version_id == Interview.version_id)
        .where(_completed(project.id), Question.key == key)
    ) - db.session.scalar(
        select(func.count()).select_from(Answer).join(Question, Question.id == Answer.question_id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id), Question.key == key, Answer.asked.is_(False))
    )
    if asked < project.min_group_size:
        return question, [], 0
    base = (select(Answer.text).join(Question, Question.id == Answer.question_id)
            .join(Interview, Interview.id == Answer.interview_id)
            .where(_completed(project.id), Question.key == key, Answer.text.is_not(None),
                   Answer.asked.is_(True)))
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    texts = db.session.scalars(
        base.order_by(Answer.id).offset((page - 1) * OPEN_ANSWERS_PER_PAGE).limit(OPEN_ANSWERS_PER_PAGE)
    ).all()
    return question, list(texts), total
