"""Pooled results: counted in the database (GROUP BY), suppressed by stats/."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..models import Answer, Interview, Question, QuestionnaireVersion
from ..stats import Cell, suppress_small_groups

NO_ANSWER = "_no_answer"


@dataclass
class QuestionResult:
    question: Question  # as worded in the newest version that has this key
    asked: int  # completed interviews whose version holds this question
    cells: list[Cell] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    shown: bool = True
    open_answers: list[str] = field(default_factory=list)


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
    ).all()
    for version in versions:
        for q in version.questions:
            questions_by_key[q.key] = q  # newest wording wins
            order[q.key] = (version.number, q.position)

    asked = dict(db.session.execute(
        select(Question.key, func.count(Interview.id))
        .join(Interview, Interview.version_id == Question.version_id)
        .where(_completed(project.id))
        .group_by(Question.key)
    ).all())

    counts: dict[str, dict[tuple, int]] = {}
    for key, value, special, n in db.session.execute(
        select(Question.key, Answer.value, Answer.special, func.count())
        .join(Answer, Answer.question_id == Question.id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id), Question.kind != "open")
        .where((Answer.value.is_not(None)) | (Answer.special.is_not(None)))
        .group_by(Question.key, Answer.value, Answer.special)
    ).all():
        counts.setdefault(key, {})[(value, special)] = n

    open_texts: dict[str, list[str]] = {}
    for key, text in db.session.execute(
        select(Question.key, Answer.text)
        .join(Answer, Answer.question_id == Question.id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id), Question.kind == "open", Answer.text.is_not(None))
        .order_by(Answer.id)
    ).all():
        open_texts.setdefault(key, []).append(text)

    results = []
    for key in sorted(questions_by_key, key=lambda k: (order[k][1], order[k][0])):
        question = questions_by_key[key]
        total = asked.get(key, 0)
        result = QuestionResult(question=question, asked=total)
        if question.kind == "open":
            result.open_answers = open_texts.get(key, [])
            result.shown = total >= project.min_group_size
            if not result.shown:
                result.open_answers = []
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
