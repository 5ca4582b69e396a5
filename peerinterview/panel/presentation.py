"""The slides of the presentation mode: a start slide, one per question result, one per theme
and the recommendations in order of priority. A slide is named by a key ("q:<question key>",
"t:<theme id>"), so adding a theme during the meeting does not move the slide being shown."""
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..interview.forms import SPECIAL_LABELS
from ..pool.services import NO_ANSWER, pooled_results
from .services import (
    approved_quotes,
    findings_of,
    live_themes,
    ranked_recommendations,
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


def slide_titles(project) -> list[tuple[str, str]]:
    """(key, title) of every slide, in order."""
    slides = [(START, project.name)]
    slides += [(f"q:{result.question.key}", _("Vraag: %(text)s", text=result.question.text))
               for result in _results(project)]
    slides += [(f"t:{theme.id}", _("Thema: %(name)s", name=theme.name)) for theme in live_themes(project.id)]
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
                "summary": theme_overview(project, [theme])[0],
                "findings": findings_of(theme.id),
                "quotes": approved_quotes(project.id, theme.id),
                "ranked": ranked_recommendations(project.id, theme.id),
            })
    if key == RECOMMENDATIONS:
        themes = {t.id: t.name for t in live_themes(project.id)}
        return Slide("recommendations", _("Aanbevelingen"), {
            "ranked": ranked_recommendations(project.id), "theme_names": themes})
    return Slide("start", project.name, {"question": project.research_question})
