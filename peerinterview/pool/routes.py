from flask import render_template
from flask_babel import gettext as _

from ..access import project_or_abort
from ..interview.forms import SPECIAL_LABELS
from . import bp
from .services import NO_ANSWER, pooled_results


@bp.get("/projects/<int:project_id>/results")
def results(project_id):
    project = project_or_abort(project_id, "panel", "staff")
    results = pooled_results(
        project, {key: str(label) for key, label in SPECIAL_LABELS.items()}, _("Geen antwoord gegeven"),
    )
    return render_template("pool/results.html", project=project, results=results, no_answer=NO_ANSWER)
