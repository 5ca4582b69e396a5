"""The follow-up report as PDF, for the municipality: per recommendation where it came from,
the answer, the agreements with their status and progress, what happened and the panel's
evaluations. Made like the report (report/pdf.py): WeasyPrint, A4, tagged, the report's fonts.

People are counted through the small-group code (theme_overview), so a small group stays hidden
here as on the panel's pages; quotes are only the approved ones."""

from flask import render_template

from ..downloads import project_slug
from ..localize import local_today
from ..panel.services import approved_quotes, theme_overview
from ..report.pdf import html_to_pdf
from ..vocabulary import (
    AGREEMENT_STATUS_LABELS,
    EVALUATION_SCORE_LABELS,
    VERDICT_LABELS,
)
from .services import project_follow_up


def pdf_filename(project) -> str:
    return f"wat-is-er-met-de-adviezen-gedaan-{project_slug(project)}.pdf"


def follow_up_context(project, *, sees_counts: bool, by_location: bool = True) -> dict:
    """`by_location`: the reader may see a theme's people per location (panel/services.py:
    sees_theme_locations); the people shown are decided the same way as on their pages."""
    items = project_follow_up(project.id)
    themes = list({item.recommendation.theme.id: item.recommendation.theme for item in items}.values())
    summaries = ({s.theme.id: s for s in theme_overview(project, themes, by_location=by_location)}
                 if sees_counts and themes else {})
    quotes = {theme.id: (approved_quotes(project.id, theme.id) or [None])[0] for theme in themes}
    return {"project": project, "items": items, "summaries": summaries, "quotes": quotes, "today": local_today(),
            "verdicts": VERDICT_LABELS, "statuses": AGREEMENT_STATUS_LABELS, "scores": EVALUATION_SCORE_LABELS}


def follow_up_pdf(project, *, sees_counts: bool = True, by_location: bool = True) -> bytes:
    """Raises OSError when the Pango library is missing (as report/pdf.py does)."""
    return html_to_pdf(render_template("followup/report_pdf.html", pdf=True,
                                       **follow_up_context(project, sees_counts=sees_counts,
                                                           by_location=by_location)))
