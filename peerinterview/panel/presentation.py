"""The slides of the presentation mode: a start slide, one per question result, one per theme
and the recommendations in order of priority. A slide is named by a key ("q:<question key>",
"t:<theme id>"), so adding a theme during the meeting does not move the slide being shown.

While the facilitator has a meeting open, the slides are that meeting's agenda: the chosen
questions and themes only. Themes without cards and without anything written are left out."""
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..pool.services import NO_ANSWER, pooled_results
from ..vocabulary import SPECIAL_LABELS
from .meeting import meeting_agenda
from .services import (
    approved_quotes,
    findings_of,
    live_themes,
    ranked_recommendations,
    theme_card_counts,
    theme_overview,
)

START = "start"
RECOMMENDATIONS = "recommendations"


@dataclass
class Slide:
    kind: str  # start, question, theme, recommendations
    title: str
    data: dict = field(default_factory=dict)


def _results(project):
    return pooled_results(project, {key: str(label) for key, label in SPECIAL_LABELS.items()},
                          _("Geen antwoord gegeven"))


def themes_to_show(project) -> list:
    """The live themes worth a slide or an agenda line: with cards, or with something written."""
    themes = live_themes(project.id)
    cards = theme_card_counts(project, [t.id for t in themes])
    written = {t.id for t in themes if any((f.text or "").strip() for f in t.findings)}
    written |= {item.recommendation.theme_id for item in ranked_recommendations(project.id)}
    return [t for t in themes if cards.get(t.id) or t.id in written]


def question_choices(project) -> list[tuple[str, str]]:
    """(key, text) of the questions that have a result slide."""
    return [(result.question.key, result.question.text) for result in _results(project)]


def slide_titles(project) -> list[tuple[str, str]]:
    """(key, title) of every slide, in order: today's agenda while a meeting is open."""
    agenda = meeting_agenda(project.id)
    questions = question_choices(project)
    themes = themes_to_show(project)
    if agenda is not None:
        questions = [(key, text) for key, text in questions if key in set(agenda.get("questions", []))]
        themes = [t for t in themes if t.id in set(agenda.get("themes", []))]
    slides = [(START, project.name)]
    slides += [(f"q:{key}", _("Vraag: %(text)s", text=text)) for key, text in questions]
    slides += [(f"t:{theme.id}", _("Thema: %(name)s", name=theme.name)) for theme in themes]
    slides.append((RECOMMENDATIONS, _("Aanbevelingen")))
    return slides


def slide_keys(project) -> list[str]:
    return [key for key, _title in slide_titles(project)]


def slide_content(project, key: str) -> Slide:
    if key.startswith("q:"):
        result = next((r for r in _results(project) if r.question.key == key[2:]), None)
        if result is not None:
            return Slide("question", result.question.text, {"result": result, "no_answer": NO_ANSWER})
    if key.startswith("t:") and key[2:].isdigit():
        theme = next((t for t in live_themes(project.id) if t.id == int(key[2:])), None)
        if theme is not None:
            return Slide("theme", theme.name, {
                # The slides are shown to the whole panel, also from the facilitator's screen.
                "summary": theme_overview(project, [theme], by_location=False)[0],
                "findings": findings_of(theme.id),
                "quotes": approved_quotes(project.id, theme.id),
                "ranked": ranked_recommendations(project.id, theme.id),
            })
    if key == RECOMMENDATIONS:
        themes = {t.id: t.name for t in live_themes(project.id)}
        return Slide("recommendations", _("Aanbevelingen"), {
            "ranked": ranked_recommendations(project.id), "theme_names": themes})
    return Slide("start", project.name, {"question": project.research_question})
