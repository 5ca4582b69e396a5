"""Wat is er met onze adviezen gedaan? The municipality's answer to each recommendation, the
agreements that came of it and what happened since.

Project staff enter and change everything; the project's panel members and interviewers read
it. The municipality's own account (the role "municipality") reads it too, and enters or
changes only the municipality's answer, through the same form as staff. A recommendation the
panel took away (or of a theme that is gone) is not shown, and its follow-up cannot be changed
until it is put back. Every change is a plain form (POST, then a redirect); an invalid form
comes back with 422, a change based on an outdated page with 409."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can, project_or_abort
from ..audit import record
from ..downloads import pdf_response
from ..errors import Refused
from ..extensions import db
from ..localize import local_today
from ..models.panel import DIALOGUE_QUESTIONS
from ..panel.services import (
    approved_quotes,
    findings_of,
    ranked_recommendations,
    sees_theme_locations,
    theme_overview,
)
from ..vocabulary import (
    AGREEMENT_STATUS_LABELS,
    DIALOGUE_LABELS,
    EVALUATION_SCORE_LABELS,
    PRIORITY_LABELS,
    VERDICT_LABELS,
)
from . import bp
from .forms import (
    AgreementForm,
    AnswerForm,
    DeleteAgreementForm,
    DeleteMilestoneForm,
    EvaluationForm,
    MilestoneForm,
    StatusForm,
)
from .history import in_words
from .news import mark_seen
from .pdf import follow_up_pdf, pdf_filename
from .services import (
    SUGGESTED_EVALUATION_AFTER,
    add_agreement,
    add_evaluation,
    add_milestone,
    agreements_of,
    answer_of,
    change_agreement,
    delete_agreement,
    delete_milestone,
    due_evaluations,
    evaluation_due,
    history_of,
    live_recommendation,
    project_agreement,
    project_follow_up,
    project_milestone,
    save_answer,
    set_status,
    story_events,
)

READERS = ("staff", "panel", "interviewer", "municipality")
CHANGERS = ("staff",)
# The answer is the municipality's own: its account writes it, or staff write it down for them.
# Agreements, milestones and the panel's evaluation stay with staff and the panel: the
# municipality tells staff what happened, so one place keeps the timeline.
ANSWERERS = ("staff", "municipality")
# The panel judges its agreements together; staff may fill it in for them during the meeting.
EVALUATORS = ("staff", "panel")
# Who may download the follow-up report: the same people as the report itself, and the
# municipality it is written for.
REPORT_ROLES = ("staff", "panel", "municipality")
# Who sees how many people mentioned a theme (small groups hidden as on the panel's pages).
COUNT_ROLES = ("staff", "panel", "municipality")


def _recommendation_or_404(project, recommendation_id):
    recommendation = live_recommendation(project.id, recommendation_id)
    if recommendation is None:
        abort(404)
    return recommendation


def _agreement_or_404(project, agreement_id):
    agreement = project_agreement(project.id, agreement_id)
    if agreement is None:
        abort(404)
    return agreement


def _seen(project) -> None:
    """Opening a follow-up page: what changed before now is no longer new for this user."""
    mark_seen(current_user, project.id)
    db.session.commit()


def _labels() -> dict:
    return {"verdicts": VERDICT_LABELS, "statuses": AGREEMENT_STATUS_LABELS, "scores": EVALUATION_SCORE_LABELS}


@bp.get("/projects/<int:project_id>/follow-up")
def index(project_id):
    project = project_or_abort(project_id, *READERS)
    g.no_store = True
    record("followup.view", user=current_user, project_id=project.id, operation="read")
    mark_seen(current_user, project.id)
    db.session.commit()
    return render_template("followup/index.html", project=project, items=project_follow_up(project.id),
                           may_change=can(project.id, *CHANGERS), may_report=can(project.id, *REPORT_ROLES),
                           due=due_evaluations(project.id, local_today()) if can(project.id, *EVALUATORS) else [],
                           **_labels())


# ---------------------------------------------------------------------------------------------
# One recommendation: where it came from, the answer, its agreements and the history

def _votes_of(project, recommendation):
    ranked = ranked_recommendations(project.id, recommendation.theme_id)
    return next((item for item in ranked if item.recommendation.id == recommendation.id), None)


def _origin(project, recommendation) -> dict:
    """Where the recommendation came from: its theme (people counted with small groups hidden,
    as on every page), the panel's notes, the approved quotes of the theme and the votes."""
    theme = recommendation.theme
    findings = findings_of(theme.id)
    # Counts of people only for those who see them on the panel's pages already, and for the
    # municipality, which gets the same counts in the follow-up report: an interviewer who is not
    # on the panel knows the answers of their own interviews, and the small-group rule does not
    # weigh that knowledge against the theme's counts.
    sees_counts = can(project.id, *COUNT_ROLES)
    return {
        "theme": theme, "theme_summary": theme_overview(
            project, [theme], by_location=sees_theme_locations(current_user.roles_in(project.id)))[0]
        if sees_counts else None,
        "findings": [(DIALOGUE_LABELS[q], findings[q].text) for q in DIALOGUE_QUESTIONS
                     if q in findings and (findings[q].text or "").strip()],
        "quotes": approved_quotes(project.id, theme.id), "votes": _votes_of(project, recommendation),
        "priorities": PRIORITY_LABELS,
    }


def _history(recommendation, agreements):
    return in_words(history_of(recommendation.id), {a.id: a for a in agreements})


def _recommendation_page(project, recommendation, *, answer_form=None, agreement_form=None, status=200):
    answer = answer_of(recommendation.id)
    agreements = agreements_of(recommendation.id)
    may_change = can(project.id, *CHANGERS)
    may_answer = can(project.id, *ANSWERERS)
    if may_answer and answer_form is None:
        answer_form = AnswerForm(formdata=None, obj=answer, answered_by=answer.organisation if answer else project.commissioner,
                                 version=answer.version if answer else 0, answered_on=local_today())
    if may_change and agreement_form is None:
        agreement_form = AgreementForm(formdata=None, agreed_on=local_today(),
                                       evaluate_on=local_today() + SUGGESTED_EVALUATION_AFTER)
    error_form = next((f for f in (answer_form, agreement_form) if f is not None and f.errors), None)
    return render_template(
        "followup/recommendation.html", project=project, recommendation=recommendation, answer=answer,
        agreements=agreements, history=_history(recommendation, agreements), may_change=may_change,
        may_answer=may_answer, answer_form=answer_form, agreement_form=agreement_form, error_form=error_form,
        **_origin(project, recommendation), **_labels()), status


@bp.get("/projects/<int:project_id>/follow-up/<int:recommendation_id>")
def recommendation(project_id, recommendation_id):
    project = project_or_abort(project_id, *READERS)
    g.no_store = True
    recommendation = _recommendation_or_404(project, recommendation_id)
    _seen(project)
    return _recommendation_page(project, recommendation)


@bp.post("/projects/<int:project_id>/follow-up/<int:recommendation_id>/answer")
def save_answer_view(project_id, recommendation_id):
    project = project_or_abort(project_id, *ANSWERERS)
    recommendation = _recommendation_or_404(project, recommendation_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _recommendation_page(project, recommendation, answer_form=form, status=422)
    try:
        save_answer(recommendation, verdict=form.verdict.data, organisation=form.answered_by.data,
                    reasons=form.reasons.data, answered_on=form.answered_on.data, version=form.version.data or 0,
                    by=current_user)
    except Refused as refused:
        db.session.rollback()
        stored = answer_of(recommendation.id)
        form.version.data = stored.version if stored else 0  # saving again replaces what is there now
        form.verdict.errors = [refused.message]
        return _recommendation_page(project, recommendation, answer_form=form, status=409)
    db.session.commit()
    flash(_("Het antwoord van de gemeente is opgeslagen."), "success")
    return redirect(url_for("followup.recommendation", project_id=project.id, recommendation_id=recommendation.id,
                            _anchor="answer"), 303)


def _agreement_values(form) -> dict:
    return {name: getattr(form, name).data
            for name in ("what", "agreed_on", "organisation", "person", "due_on", "place", "evaluate_on")}


@bp.post("/projects/<int:project_id>/follow-up/<int:recommendation_id>/agreements")
def add_agreement_view(project_id, recommendation_id):
    project = project_or_abort(project_id, *CHANGERS)
    recommendation = _recommendation_or_404(project, recommendation_id)
    form = AgreementForm()
    if not form.validate_on_submit():
        return _recommendation_page(project, recommendation, agreement_form=form, status=422)
    agreement = add_agreement(recommendation, **_agreement_values(form), by=current_user)
    db.session.commit()
    flash(_("De afspraak is opgeslagen. Zet hier wat er gebeurt."), "success")
    return redirect(url_for("followup.agreement", project_id=project.id, agreement_id=agreement.id), 303)


@bp.get("/projects/<int:project_id>/follow-up/<int:recommendation_id>/story")
def story(project_id, recommendation_id):
    """The story of one recommendation, in order: where it came from, what the panel decided,
    what the municipality answered, what happened since. Printable on one page, readable aloud."""
    project = project_or_abort(project_id, *READERS)
    g.no_store = True
    recommendation = _recommendation_or_404(project, recommendation_id)
    origin = _origin(project, recommendation)
    return render_template("followup/story.html", project=project, recommendation=recommendation,
                           answer=answer_of(recommendation.id), agreements=agreements_of(recommendation.id),
                           events=story_events(recommendation), quote=(origin["quotes"] or [None])[0],
                           **origin, **_labels())


# ---------------------------------------------------------------------------------------------
# One agreement: its details, status and progress, and the milestones

def _agreement_page(project, agreement, *, edit_form=None, status_form=None, milestone_form=None, status=200):
    may_change = can(project.id, *CHANGERS)
    if may_change:
        edit_form = edit_form or AgreementForm(formdata=None, obj=agreement)
        status_form = status_form or StatusForm(formdata=None, status=agreement.status, version=agreement.version)
        milestone_form = milestone_form or MilestoneForm(formdata=None)
    recommendation = agreement.recommendation
    agreements = agreements_of(recommendation.id)
    error_form = next((f for f in (edit_form, status_form, milestone_form) if f is not None and f.errors), None)
    return render_template(
        "followup/agreement.html", project=project, agreement=agreement, recommendation=recommendation,
        answer=answer_of(recommendation.id), may_change=may_change, edit_form=edit_form, status_form=status_form,
        milestone_form=milestone_form, delete_form=DeleteMilestoneForm(), error_form=error_form,
        delete_agreement_form=DeleteAgreementForm(formdata=None, version=agreement.version),
        may_evaluate=can(project.id, *EVALUATORS), evaluation_is_due=evaluation_due(agreement, local_today()),
        history=[c for c in _history(recommendation, agreements) if c.agreement_id == agreement.id],
        **_origin(project, recommendation), **_labels()), status


@bp.get("/projects/<int:project_id>/agreements/<int:agreement_id>")
def agreement(project_id, agreement_id):
    project = project_or_abort(project_id, *READERS)
    g.no_store = True
    agreement = _agreement_or_404(project, agreement_id)
    _seen(project)
    return _agreement_page(project, agreement)


def _back_to(agreement, anchor=None):
    return redirect(url_for("followup.agreement", project_id=agreement.recommendation.theme.project_id,
                            agreement_id=agreement.id, _anchor=anchor), 303)


@bp.post("/projects/<int:project_id>/agreements/<int:agreement_id>")
def change_agreement_view(project_id, agreement_id):
    project = project_or_abort(project_id, *CHANGERS)
    agreement = _agreement_or_404(project, agreement_id)
    form = AgreementForm()
    if not form.validate_on_submit():
        return _agreement_page(project, agreement, edit_form=form, status=422)
    try:
        change_agreement(agreement, **_agreement_values(form), version=form.version.data or 0, by=current_user)
    except Refused as refused:
        db.session.rollback()
        form.version.data = agreement.version
        form.what.errors = [refused.message]
        return _agreement_page(project, agreement, edit_form=form, status=409)
    db.session.commit()
    flash(_("De afspraak is veranderd."), "success")
    return _back_to(agreement)


@bp.post("/projects/<int:project_id>/agreements/<int:agreement_id>/status")
def set_status_view(project_id, agreement_id):
    project = project_or_abort(project_id, *CHANGERS)
    agreement = _agreement_or_404(project, agreement_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _agreement_page(project, agreement, status_form=form, status=422)
    try:
        set_status(agreement, status=form.status.data, progress=form.progress.data, version=form.version.data,
                   by=current_user)
    except Refused as refused:
        db.session.rollback()
        form.version.data = agreement.version
        form.status.errors = [refused.message]
        return _agreement_page(project, agreement, status_form=form, status=409)
    db.session.commit()
    flash(_("Opgeslagen: %(status)s, %(percent)d%% klaar.", status=AGREEMENT_STATUS_LABELS[agreement.status],
            percent=agreement.progress), "success")
    return _back_to(agreement, "status")


@bp.post("/projects/<int:project_id>/agreements/<int:agreement_id>/delete")
def delete_agreement_view(project_id, agreement_id):
    """An agreement made by mistake goes, with its milestones; the history keeps what it said."""
    project = project_or_abort(project_id, *CHANGERS)
    agreement = _agreement_or_404(project, agreement_id)
    recommendation_id = agreement.recommendation_id
    form = DeleteAgreementForm()
    if not form.validate_on_submit():
        return _back_to(agreement, "delete")
    try:
        delete_agreement(agreement, version=form.version.data, by=current_user)
    except Refused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return _back_to(agreement, "delete")
    db.session.commit()
    flash(_("De afspraak is weggehaald. Bij 'Wat is er veranderd' staat wat er stond."), "success")
    return redirect(url_for("followup.recommendation", project_id=project.id, recommendation_id=recommendation_id,
                            _anchor="history"), 303)


@bp.post("/projects/<int:project_id>/agreements/<int:agreement_id>/milestones")
def add_milestone_view(project_id, agreement_id):
    project = project_or_abort(project_id, *CHANGERS)
    agreement = _agreement_or_404(project, agreement_id)
    form = MilestoneForm()
    if not form.validate_on_submit():
        return _agreement_page(project, agreement, milestone_form=form, status=422)
    add_milestone(agreement, happened_on=form.happened_on.data, text=form.text.data, by=current_user)
    db.session.commit()
    flash(_("Opgeslagen. Het staat nu bij: Wat is er gebeurd."), "success")
    return _back_to(agreement, "milestones")


@bp.post("/projects/<int:project_id>/milestones/<int:milestone_id>/delete")
def delete_milestone_view(project_id, milestone_id):
    project = project_or_abort(project_id, *CHANGERS)
    milestone = project_milestone(project.id, milestone_id)
    if milestone is None:
        abort(404)
    agreement = milestone.agreement
    if DeleteMilestoneForm().validate_on_submit():
        delete_milestone(milestone, by=current_user)
        db.session.commit()
        flash(_("De gebeurtenis is weggehaald. Bij 'Wat is er veranderd' staat wat er stond."), "success")
    return _back_to(agreement, "milestones")


# ---------------------------------------------------------------------------------------------
# Looking back together: the panel's evaluation of an agreement

def _evaluation_page(project, agreement, form, status=200):
    return render_template("followup/evaluation.html", project=project, agreement=agreement,
                           recommendation=agreement.recommendation, form=form, error_form=form if form.errors else None,
                           is_due=evaluation_due(agreement, local_today()), **_labels()), status


@bp.get("/projects/<int:project_id>/agreements/<int:agreement_id>/evaluation")
def evaluation(project_id, agreement_id):
    project = project_or_abort(project_id, *EVALUATORS)
    g.no_store = True
    agreement = _agreement_or_404(project, agreement_id)
    form = EvaluationForm(formdata=None, version=agreement.version, evaluated_on=local_today())
    return _evaluation_page(project, agreement, form)


@bp.post("/projects/<int:project_id>/agreements/<int:agreement_id>/evaluation")
def add_evaluation_view(project_id, agreement_id):
    project = project_or_abort(project_id, *EVALUATORS)
    agreement = _agreement_or_404(project, agreement_id)
    form = EvaluationForm()
    if not form.validate_on_submit():
        return _evaluation_page(project, agreement, form, status=422)
    try:
        add_evaluation(agreement, evaluated_on=form.evaluated_on.data, score=form.score.data,
                       what_changed=form.what_changed.data, still_to_do=form.still_to_do.data,
                       participants=form.participants.data, version=form.version.data, by=current_user)
    except Refused as refused:
        db.session.rollback()
        form.version.data = agreement.version
        form.score.errors = [refused.message]
        return _evaluation_page(project, agreement, form, status=409)
    db.session.commit()
    flash(_("Opgeslagen. Het staat nu in het verhaal van dit advies."), "success")
    return _back_to(agreement, "evaluations")


@bp.get("/projects/<int:project_id>/follow-up/report.pdf")
def report_pdf(project_id):
    """The follow-up report for the municipality: per recommendation the answer, the agreements
    with status and progress, the milestones and the panel's evaluations. A B1 page (503) when
    this computer cannot make PDFs, as for the report."""
    project = project_or_abort(project_id, *REPORT_ROLES)
    by_location = sees_theme_locations(current_user.roles_in(project.id))
    return pdf_response(project, lambda p: follow_up_pdf(p, sees_counts=True, by_location=by_location),
                        "followup.report_pdf", pdf_filename(project))
