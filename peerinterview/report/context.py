"""What the report's templates need, for the web page and the PDF alike (report/show.html,
report/pdf.html, the one-pager): the report itself, its charts and the labels of the panel's
words."""
from flask_babel import gettext as _

from ..counting import tally
from ..pool.charts import chart_words, result_chart
from ..pool.services import GAVE_NUMBER, NO_ANSWER
from ..process.services import appreciation_summary, participation
from ..vocabulary import DIALOGUE_LABELS, NO_VOTES_LABEL, PRIORITY_LABELS, SPECIAL_LABELS
from .services import build_report, highlights


def _special_labels():
    return {key: str(label) for key, label in SPECIAL_LABELS.items()}


def chart_of(result, words):
    """The results page's bar chart (pool/charts.py) of one question, for the appendix."""
    return result_chart(result, words, {GAVE_NUMBER: _("Gaf een getal")})


def report_context(project) -> dict:
    report = build_report(project, _special_labels(), _("Geen antwoord gegeven"))
    words = chart_words()
    charts = {result.question.key: chart_of(result, words) for result in report.results
              if result.shown and result.cells and result.question.kind != "open"}
    return {"project": project, "report": report, "no_answer": NO_ANSWER, "charts": charts, "chart_words": words,
            "dialogue_labels": DIALOGUE_LABELS, "priority_labels": {**PRIORITY_LABELS, None: NO_VOTES_LABEL},
            "participation": participation(project), "appreciation": appreciation_summary(project.id),
            "tally": tally(project, erased_too=True)}


def summary_context(project) -> dict:
    context = report_context(project)
    report = context["report"]
    recommendations = [r for theme in report.themes for r in theme.recommendations]
    recommendations.sort(key=lambda r: (-(r.priority or 0), -r.score))
    quotes = [quote for theme in report.themes for quote in theme.quotes[:1]]
    # One page: the few things that matter most.
    context.update(highlights=highlights(report), top_recommendations=recommendations[:3], quotes=quotes[:2],
                   themes=[theme.name for theme in report.themes][:6])
    return context
