from datetime import datetime, timezone

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ..access import project_or_abort
from ..audit import record
from ..counting import tally
from ..extensions import db, htmx
from ..security.review import panel_waiting_count, untyped_recordings_count
from ..vocabulary import DEBRIEF_MOOD_LABELS, SPECIAL_LABELS
from . import bp
from .breakdown import (BREAKDOWN_KINDS, BY_LOCATION, NOT_ASKED, ONE_ANSWER_KINDS, breakdown_questions,
                        build_breakdown)
from .charts import chart_words, result_chart
from .forms import location_fields, targets_form_for
from .progress import fieldwork_progress, set_targets
from .services import NO_ANSWER, OPEN_ANSWERS_PER_PAGE, open_answer_page, pooled_results
from .summary import clearest_results

# Open answers shown at once under their question; the rest of the first page's answers sit
# behind "Toon nog …", all of them on the question's own page.
OPEN_ANSWERS_AT_ONCE = 3


@bp.get("/projects/<int:project_id>/results")
def results(project_id):
    project = project_or_abort(project_id, "panel", "staff")
    results = pooled_results(
        project, {key: str(label) for key, label in SPECIAL_LABELS.items()}, _("Geen antwoord gegeven"),
    )
    words = chart_words()
    charts = {result.question.key: _chart_of(result, words) for result in results
              if result.shown and result.cells and result.question.kind in CHART_KINDS}
    return render_template("pool/results.html", project=project, results=results, no_answer=NO_ANSWER,
                           clearest=clearest_results(results), open_preview=OPEN_ANSWERS_AT_ONCE,
                           charts=charts, chart_words=words, breakdown_kinds=BREAKDOWN_KINDS,
                           waiting=panel_waiting_count(project), tally=tally(project),
                           untyped=untyped_recordings_count(project))


# Every kind with answers to choose from; for multiple choice a bar is the people who ticked it.
CHART_KINDS = ONE_ANSWER_KINDS + ("multi",)


def _chart_of(result, words):
    return result_chart(result, words)


@bp.get("/projects/<int:project_id>/results/<key>/open-answers")
def open_answers(project_id, key):
    project = project_or_abort(project_id, "panel", "staff")
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    question, texts, total, shown = open_answer_page(project, key, page)
    if question is None or (page > 1 and not texts):
        abort(404)
    pages = max(1, -(-total // OPEN_ANSWERS_PER_PAGE))
    first = (page - 1) * OPEN_ANSWERS_PER_PAGE + 1
    return render_template("pool/open_answers.html", project=project, question=question, texts=texts,
                           total=total, page=page, pages=pages, first=first, shown=shown,
                           waiting=panel_waiting_count(project),
                           untyped=untyped_recordings_count(project))


# --- breakdown --------------------------------------------------------------------------------

@bp.get("/projects/<int:project_id>/results/<question_key>/breakdown")
def breakdown(project_id, question_key):
    key = question_key
    project = project_or_abort(project_id, "panel", "staff")
    questions = breakdown_questions(project)
    by_key = {question.key: question for question in questions}
    question = by_key.get(key)
    if question is None:
        abort(404)
    by = request.args.get("by", BY_LOCATION)
    groupings = {q.key: q for q in questions if q.kind in ONE_ANSWER_KINDS and q.key != key}
    if by != BY_LOCATION and by not in groupings:
        abort(404)
    result = build_breakdown(
        project, question, by, groupings.get(by),
        {k: str(label) for k, label in SPECIAL_LABELS.items()},
        {NO_ANSWER: _("Geen antwoord gegeven"), NOT_ASKED: _("Kreeg de vraag niet")},
    )
    return render_template("pool/breakdown.html", project=project, breakdown=result,
                           others=list(groupings.values()),
                           by=by, no_answer=NO_ANSWER)


# --- fieldwork progress (staff) --------------------------------------------------------------

def _is_fragment_request() -> bool:
    # Boosted links send HX-Request too; they want the whole page
    # (docs/decisions.md#boosted-requests-get-whole-pages).
    return bool(htmx) and not htmx.boosted


@bp.get("/projects/<int:project_id>/progress")
def progress(project_id):
    project = project_or_abort(project_id, "staff")
    g.no_store = True
    fragment = _is_fragment_request()
    if not fragment:
        # Names of interviewers and codes of flagged interviews: a read of personal data.
        # (The polls that refresh the page are not logged one by one.)
        record("progress.viewed", user=current_user, project_id=project.id, obj=project)
        db.session.commit()
    context = {"project": project, "progress": fieldwork_progress(project, unknown_interviewer=_("Onbekend"),
                                                                     zone=str(get_timezone())),
               "updated_at": datetime.now(timezone.utc), "mood_labels": DEBRIEF_MOOD_LABELS,
               "tally": tally(project, erased_too=True)}
    if fragment:
        return render_block("pool/progress.html", "live", **context)
    return render_template("pool/progress.html", **context)


@bp.route("/projects/<int:project_id>/progress/targets", methods=["GET", "POST"])
def targets(project_id):
    project = project_or_abort(project_id, "staff")
    form = targets_form_for(project)
    if form.validate_on_submit():
        changed = set_targets(project, form.total.data, {
            location.id: field.data for location, field in location_fields(form, project)
        })
        if changed:
            record("progress.targets_changed", user=current_user, project_id=project.id, obj=project,
                   changed=changed)
        db.session.commit()
        flash(_("De doelen zijn opgeslagen."), "success")
        return redirect(url_for("pool.progress", project_id=project.id), 303)
    return render_template("pool/targets.html", project=project, form=form,
                           location_fields=location_fields(form, project)), 422 if form.errors else 200
