"""The report: texts people write, the method section, the panel's themes, and the appendix
built on the pooled results (small groups already hidden there)."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ..audit import record
from ..counting import counts_in_results
from ..extensions import db
from ..merge import fingerprint, merge
from ..models import Answer, Interview, ReportText
from ..models.panel import (
    DIALOGUE_QUESTIONS,
    Coding,
    Finding,
    Quote,
    Recommendation,
    RecommendationVote,
    Theme,
)
from ..models.base import utcnow
from ..open_answer_gate import panel_may_read
from ..pool.disclosure import LOCATION, MarginPlan, margin_plan
from ..pool.services import NO_ANSWER, pooled_results

TEXT_FIELDS = ("title", "question", "summary", "method_notes", "respondent_summary", "easy_read")
# The one-pager shows the answers most people gave to at most this many questions.
SUMMARY_HIGHLIGHTS = 3


def report_texts(project) -> ReportText:
    """The project's report texts; a new, unsaved one when nobody wrote any yet."""
    texts = db.session.get(ReportText, project.id)
    if texts is None:
        texts = ReportText(project_id=project.id, title="", question="", summary="", method_notes="",
                           respondent_summary="", easy_read="")
    return texts


def easy_read_blocks(text: str) -> list[list[str]]:
    """The easy-read text as blocks of lines: one idea a line, a blank line between blocks."""
    blocks, current = [], []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def report_fingerprint(texts: ReportText) -> str:
    """The texts as a page showed them (merge.py): the edit form sends it back, so a save can
    tell what someone else changed in the meantime."""
    return fingerprint({name: getattr(texts, name) for name in TEXT_FIELDS}, TEXT_FIELDS)


def merge_report_texts(project, seen: str | None, values: dict) -> tuple[dict, dict]:
    """What a save may write, and what it may not: (texts to write, {name: the stored text}).

    Staff and panel both may edit the report, also at the same time. A text this writer left as
    the page showed it is not written, so it cannot undo the other's change; a text both changed
    is a conflict, and then nothing is written (merge.py)."""
    texts = report_texts(project)
    stored = {name: getattr(texts, name) for name in TEXT_FIELDS}
    merged = merge(seen, TEXT_FIELDS, values, stored)
    if merged is None:
        return dict(values), {}
    take_theirs, conflicts = merged
    to_write = {name: value for name, value in values.items() if name not in take_theirs | conflicts}
    return to_write, {name: stored[name] or "" for name in conflicts}


def save_report_texts(project, *, by, **values) -> list[str]:
    """Store the texts; returns the names of the fields that changed (logged, never the words)."""
    unknown = set(values) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"not a report text: {sorted(unknown)}")
    texts = report_texts(project)
    changed = []
    for name, value in values.items():
        value = (value or "").strip()
        if getattr(texts, name) != value:
            setattr(texts, name, value)
            changed.append(name)
    if changed:
        texts.updated_by_id = getattr(by, "id", None)
        db.session.add(texts)
        db.session.flush()
        record("report.texts_update", user=by, project_id=project.id, obj=project, fields=changed)
    return changed


@dataclass
class Method:
    interviews: int
    first: datetime | None
    last: datetime | None
    # (location name, count or None when hidden); count is None for all when too few in total
    locations: list[tuple[str, int | None]]
    interviewers: int  # distinct people who held interviews (first or second interviewer)
    in_pairs: int  # interviews held by two interviewers
    versions: int  # frozen questionnaire versions used
    min_group_size: int


def method_summary(project, plan: MarginPlan | None = None) -> Method:
    # Also after the retention run (status "erased"): the method of the report stays true.
    completed = counts_in_results(project, erased_too=True)
    n, first, last = db.session.execute(
        select(func.count(), func.min(Interview.started_at), func.max(Interview.completed_at)).where(completed)
    ).one()
    # The same location counts, hidden the same way, as every other page (pool/disclosure.py).
    plan = plan or margin_plan(project)
    per_location = plan.margin(LOCATION)
    names = plan.structure.location_names
    first_ids = set(db.session.scalars(select(Interview.interviewer_id).where(completed)).all())
    second_ids = set(db.session.scalars(select(Interview.second_interviewer_id).where(completed)).all())
    in_pairs = db.session.scalar(
        select(func.count()).where(completed, Interview.second_interviewer_id.is_not(None))
    )
    versions = db.session.scalar(
        select(func.count(func.distinct(Interview.version_id))).where(completed)
    )
    return Method(
        interviews=n, first=first, last=last or first,
        locations=[(names[key], per_location.count(key)) for key in plan.structure.location_ids
                   if per_location.count(key) != 0] if plan.total else [],
        interviewers=len((first_ids | second_ids) - {None}), in_pairs=in_pairs or 0,
        versions=versions or 0, min_group_size=project.min_group_size,
    )


# ---------------------------------------------------------------------------------------------
# The panel's work: themes, findings, approved quotes, recommendations by priority

@dataclass
class RankedRecommendation:
    text: str
    score: int
    votes: dict[int, int]  # priority (3, 2, 1) -> number of votes

    @property
    def priority(self) -> int | None:
        """The average priority people gave, rounded (3, 2 or 1); None without votes."""
        voters = sum(self.votes.values())
        if not voters:
            return None
        return min(3, max(1, int(self.score / voters + 0.5)))


@dataclass
class ThemeSection:
    name: str
    findings: list[tuple[str, str]]  # (dialogue question, text), in the panel's order
    quotes: list[str]  # approved wording only
    recommendations: list[RankedRecommendation] = field(default_factory=list)


def theme_sections(project) -> list[ThemeSection]:
    """Per live theme that is not empty: what the panel found, its approved quotes, its
    recommendations ranked by the sum of the priorities people gave (3 heel belangrijk … 1
    minder belangrijk)."""
    themes = db.session.scalars(
        select(Theme).where(Theme.project_id == project.id, Theme.deleted_at.is_(None))
        .order_by(Theme.created_at, Theme.id)
    ).all()
    if not themes:
        return []
    theme_ids = [t.id for t in themes]
    findings = _findings_by_theme(theme_ids)
    quotes = _approved_quotes_by_theme(project, theme_ids)
    recommendations = _recommendations_by_theme(theme_ids)
    with_cards = _themes_with_readable_cards(project, theme_ids)
    sections = []
    for theme in themes:
        # A theme with no card the panel may read and nothing written about it is left out: an
        # empty pile tells the reader nothing.
        if theme.id not in with_cards and not (findings.get(theme.id) or quotes.get(theme.id)
                                               or recommendations.get(theme.id)):
            continue
        ranked = sorted(recommendations.get(theme.id, []), key=lambda r: (-(r.priority or 0), -r.score))
        sections.append(ThemeSection(
            name=theme.name,
            findings=[(q, findings[theme.id][q]) for q in DIALOGUE_QUESTIONS if q in findings.get(theme.id, {})],
            quotes=quotes.get(theme.id, []), recommendations=ranked,
        ))
    return sections


def _findings_by_theme(theme_ids: list[int]) -> dict[int, dict[str, str]]:
    """Per theme: the panel's written answer to each dialogue question (empty ones left out)."""
    findings: dict[int, dict[str, str]] = {}
    for finding in db.session.scalars(select(Finding).where(Finding.theme_id.in_(theme_ids))):
        if finding.text and finding.text.strip():
            findings.setdefault(finding.theme_id, {})[finding.question] = finding.text.strip()
    return findings


def _approved_quotes_by_theme(project, theme_ids: list[int]) -> dict[int, list[str]]:
    """Only approved quotes leave the panel, in their approved wording (Quote.text), and only of
    answers the panel may read (open_answer_gate.py). A quote belongs to the themes its card is
    sorted into. In the order of the answers' random references, as the panel's pages: the order
    they were proposed in, or the answers' ids, can follow who said them."""
    quotes: dict[int, list[str]] = {}
    for theme_id, text in db.session.execute(
        select(Coding.theme_id, Quote.text)
        .join(Quote, (Quote.answer_id == Coding.answer_id) & (Quote.part == Coding.part))
        .join(Answer, Answer.id == Quote.answer_id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(Coding.theme_id.in_(theme_ids), Quote.project_id == project.id, Quote.status == "approved",
               Quote.text.is_not(None), counts_in_results(project), panel_may_read(project))
        .order_by(Answer.ref, Quote.part)
    ).all():
        if text.strip() and text.strip() not in quotes.get(theme_id, []):
            quotes.setdefault(theme_id, []).append(text.strip())
    return quotes


def _recommendations_by_theme(theme_ids: list[int]) -> dict[int, list[RankedRecommendation]]:
    """Per theme: its live recommendations with the votes per priority and their summed score."""
    votes: dict[int, dict[int, int]] = {}
    for recommendation_id, priority, n in db.session.execute(
        select(RecommendationVote.recommendation_id, RecommendationVote.priority, func.count())
        .join(Recommendation, Recommendation.id == RecommendationVote.recommendation_id)
        .where(Recommendation.theme_id.in_(theme_ids), Recommendation.deleted_at.is_(None))
        .group_by(RecommendationVote.recommendation_id, RecommendationVote.priority)
    ).all():
        votes.setdefault(recommendation_id, {})[priority] = n
    recommendations: dict[int, list[RankedRecommendation]] = {}
    for recommendation in db.session.scalars(
        select(Recommendation).where(Recommendation.theme_id.in_(theme_ids), Recommendation.deleted_at.is_(None))
        .order_by(Recommendation.id)
    ):
        given = votes.get(recommendation.id, {})
        recommendations.setdefault(recommendation.theme_id, []).append(RankedRecommendation(
            text=recommendation.text, score=sum(p * n for p, n in given.items()),
            votes={p: given.get(p, 0) for p in (3, 2, 1)},
        ))
    return recommendations


def _themes_with_readable_cards(project, theme_ids: list[int]) -> set[int]:
    """Themes holding at least one card of a completed interview that the panel may read."""
    return set(db.session.scalars(
        select(Coding.theme_id).join(Answer, Answer.id == Coding.answer_id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(Coding.theme_id.in_(theme_ids), counts_in_results(project), panel_may_read(project))
        .distinct()))


# ---------------------------------------------------------------------------------------------
# Everything the report shows

@dataclass
class Report:
    project: object
    texts: ReportText
    title: str
    question: str
    method: Method
    themes: list[ThemeSection]
    results: list  # pool.services.QuestionResult, small groups hidden
    made_at: datetime

    @property
    def chart_results(self):
        return [r for r in self.results if r.question.kind not in ("open", "info")]


def build_report(project, special_labels: dict[str, str], no_answer_label: str) -> Report:
    texts = report_texts(project)
    plan = margin_plan(project)
    results = [r for r in pooled_results(project, special_labels, no_answer_label, plan=plan)
               if r.question.kind != "info"]
    return Report(
        project=project, texts=texts, title=texts.title or project.name,
        question=texts.question or project.research_question, method=method_summary(project, plan),
        themes=theme_sections(project), results=results, made_at=utcnow(),
    )


@dataclass
class Highlight:
    question: str
    label: str
    count: int
    total: int


def highlights(report: Report, limit: int = SUMMARY_HIGHLIGHTS) -> list[Highlight]:
    """For the respondents' one-pager: the answer most people gave, per choice question, where
    that number is shown (never a hidden cell, never "geen antwoord" or a special answer)."""
    found = []
    for result in report.chart_results:
        if not result.shown or result.question.kind == "number":
            continue
        cells = [c for c in result.cells if not c.hidden and c.count and c.key != NO_ANSWER
                 and not c.key.startswith("special:")]
        if not cells:
            continue
        best = max(cells, key=lambda c: c.count)
        found.append(Highlight(question=result.question.text, label=result.labels[best.key], count=best.count,
                               total=result.base))
        if len(found) >= limit:
            break
    return found
