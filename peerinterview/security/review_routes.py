"""Staff check open answers before the panel reads them: the queue with its filters, removing
identifying details, releasing one answer or every answer without details, holding one back."""
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..access import project_or_abort
from ..audit import record
from ..extensions import db
from ..models.base import utcnow
from . import bp, review
from .data_routes import KIND_LABELS
from .forms import BulkReleaseForm, HoldForm, RedactForm, ReleaseForm

# The filters in the address bar, in Dutch: ?toon=vrijgegeven&alleen=gevonden
SHOW_PARAMS = {"wacht": "pending", "vrijgegeven": "released", "tegengehouden": "held", "alle": "all"}
PARAM_OF = {state: param for param, state in SHOW_PARAMS.items()}


def _filters():
    show = SHOW_PARAMS.get(request.args.get("toon", "wacht"))
    if show is None:
        abort(404)
    page = request.args.get("page", 1, type=int)
    if page < 1 or page > 1_000_000:
        abort(404)
    return show, request.args.get("alleen") == "gevonden", page


def _queue_args(show: str, only_found: bool, page: int = 1) -> dict:
    args = {"toon": PARAM_OF[show]}
    if only_found:
        args["alleen"] = "gevonden"
    if page > 1:
        args["page"] = page
    return args


def _back_to_queue(project, anchor=None):
    """The queue as it was (filters and page) when the form was sent."""
    show, only_found, page = _filters()
    return redirect(url_for("security.identifying_details", project_id=project.id,
                            **_queue_args(show, only_found, page), _anchor=anchor), 303)


def _queue(project, *, hold_forms=None, status=200):
    show, only_found, page = _filters()
    if request.method == "GET":
        # Only a page that is read scans (and stores what it found): a refused form changes nothing.
        review.scan(project)
    counts = review.queue_counts(project)
    # A page past the end (the last answers on it were just released) shows the last page.
    queue = review.queue_page(project, show=show, only_found=only_found, page=page)
    hold_forms = hold_forms or {}
    for item in queue.items:
        hold_forms.setdefault(item.answer.id, HoldForm(prefix=f"hold-{item.answer.id}", formdata=None,
                                                       seen=review.fingerprint(item.answer)))
    error_form = next((form for form in hold_forms.values() if form.errors), None)
    record("open_answers.read", user=current_user, project_id=project.id, page=queue.page,
           texts=len(queue.items))
    db.session.commit()
    g.no_store = True
    return render_template(
        "security/identifying.html", project=project, queue=queue, counts=counts, show=show,
        only_found=only_found, args=_queue_args(show, only_found), param_of=PARAM_OF.get, kind_labels=KIND_LABELS,
        fingerprint=review.fingerprint, redact_form=RedactForm(), release_form=ReleaseForm(),
        hold_forms=hold_forms, error_form=error_form, unflagged=counts.pending - counts.pending_found,
    ), status


@bp.get("/projects/<int:project_id>/herkenbare-details")
def identifying_details(project_id):
    """The check of open answers: what waits, what was released or held back; likely identifying
    details marked."""
    project = project_or_abort(project_id, "staff")
    return _queue(project)


def _queue_answer_or_404(project, answer_id):
    answer = review.queue_answer(project, answer_id)
    if answer is None:
        abort(404)
    return answer


def _changed_meanwhile():
    flash(_("Dit antwoord is net veranderd. Lees het opnieuw en kies dan."), "error")


@bp.post("/projects/<int:project_id>/herkenbare-details/<int:text_answer_id>")
def redact_answer(project_id, text_answer_id):
    """Replace every detail the scanner marks in one open text by "[naam]", "[adres]" …"""
    project = project_or_abort(project_id, "staff")
    answer = _queue_answer_or_404(project, text_answer_id)
    form = RedactForm()
    if not form.validate_on_submit():
        flash(_("Dat ging niet goed. Probeer het opnieuw."), "error")
        return _back_to_queue(project)
    details = review.redact(answer, form.part.data, by=current_user, project_id=project.id)
    db.session.commit()
    if details is None:
        _changed_meanwhile()
    elif details:
        flash(_("De details zijn weggehaald uit dit antwoord. Geef het nu vrij als het goed is."), "success")
    # Back to the answer, so staff can release it next: without the filter on details found,
    # which it may have left now.
    show, _only_found, _page = _filters()
    page = review.queue_page_of(project, text_answer_id, show)
    return redirect(url_for("security.identifying_details", project_id=project.id, **_queue_args(show, False, page),
                            _anchor=f"answer-{text_answer_id}-{form.part.data}"), 303)


@bp.post("/projects/<int:project_id>/herkenbare-details/<int:text_answer_id>/vrijgeven")
def release_answer(project_id, text_answer_id):
    project = project_or_abort(project_id, "staff")
    answer = _queue_answer_or_404(project, text_answer_id)
    form = ReleaseForm()
    if not form.validate_on_submit():
        flash(_("Dat ging niet goed. Probeer het opnieuw."), "error")
        return _back_to_queue(project)
    released = review.release(answer, seen=form.seen.data, by=current_user, project_id=project.id)
    db.session.commit()
    if not released:
        _changed_meanwhile()
        return _back_to_queue(project, anchor=f"answer-{text_answer_id}")
    flash(_("Het antwoord is vrijgegeven. Het panel kan het nu lezen."), "success")
    return _back_to_queue(project)


@bp.post("/projects/<int:project_id>/herkenbare-details/<int:text_answer_id>/niet-vrijgeven")
def hold_answer(project_id, text_answer_id):
    project = project_or_abort(project_id, "staff")
    answer = _queue_answer_or_404(project, text_answer_id)
    form = HoldForm(prefix=f"hold-{answer.id}")
    if not form.validate_on_submit():
        return _queue(project, hold_forms={answer.id: form}, status=422)
    held = review.hold(answer, seen=form.seen.data, reason=form.reason.data, by=current_user,
                       project_id=project.id)
    db.session.commit()
    if not held:
        _changed_meanwhile()
        return _back_to_queue(project, anchor=f"answer-{text_answer_id}")
    flash(_("Het antwoord is niet vrijgegeven. Het panel ziet het niet."), "success")
    return _back_to_queue(project)


@bp.route("/projects/<int:project_id>/herkenbare-details/alles-vrijgeven", methods=["GET", "POST"])
def release_unflagged(project_id):
    """Release every waiting answer in which no detail was found: first the count, then a button."""
    project = project_or_abort(project_id, "staff")
    form = BulkReleaseForm()
    if form.validate_on_submit():
        until = _parse_until(form.until.data)
        if until is not None:
            released = review.release_unflagged(project, until=until, by=current_user)
            db.session.commit()
            flash(ngettext("%(num)d antwoord is vrijgegeven. Het panel kan het nu lezen.",
                           "%(num)d antwoorden zijn vrijgegeven. Het panel kan ze nu lezen.", released), "success")
            return redirect(url_for("security.identifying_details", project_id=project.id), 303)
    if form.is_submitted():
        # Only a hidden field that was tampered with or lost gets here: count again, ask again.
        flash(_("Dat ging niet goed. Probeer het opnieuw."), "error")
        return redirect(url_for("security.release_unflagged", project_id=project.id), 303)
    review.scan(project)
    until = utcnow()
    count = review.unflagged_waiting(project, until=until)
    db.session.commit()
    g.no_store = True
    form = BulkReleaseForm(formdata=None, until=until.isoformat())
    return render_template("security/release_confirm.html", project=project, form=form, count=count)


def _parse_until(value: str) -> datetime | None:
    try:
        until = datetime.fromisoformat(value)
    except ValueError:
        return None
    return until if until.tzinfo is None and until <= utcnow() else None
