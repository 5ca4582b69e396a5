from flask import abort, render_template, request
from flask_babel import gettext as _

from ..access import project_or_abort
from ..interview.forms import SPECIAL_LABELS
from . import bp
from .services import NO_ANSWER, OPEN_ANSWERS_PER_PAGE, open_answer_page, pooled_results


@bp.get("/projects/<int:project_id>/results")
def results(project_id):
    project = project_or_abort(project_id, "panel", "staff")
    results = pooled_results(
        project, {key: str(label) for key, label in SPECIAL_LABELS.items()}, _("Geen antwoord gegeven"),
    )
    return render_template("pool/results.html", project=project, results=results, no_answer=NO_ANSWER)


@bp.get("/projects/<int:project_id>/results/<key>/open-answers")
def open_answers(project_id, key):
    project = project_or_abort(project_id, "panel", "staff")
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    question, texts, total = open_answer_page(project, key, page)
    if question is None or (page > 1 and not texts):
        abort(404)
    pages = max(1, -(-total // OPEN_ANSWERS_PER_PAGE))
    first = (page - 1) * OPEN_ANSWERS_PER_PAGE + 1
    return render_template("pool/open_answers.html", project=project, question=question, texts=texts,
                           total=total, page=page, pages=pages, first=first)
