import uuid

from flask import abort, g, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from ..access import interview_or_abort, project_or_abort
from ..design.services import questionnaire_of
from ..extensions import db, htmx
from ..models import Interview, Location
from . import bp
from .forms import (SPECIAL_LABELS, ConfirmFinishForm, StartInterviewForm, answer_form_for,
                    answer_from_form, form_data_from_answer)
from .services import (answers_by_question, complete_interview, missing_required,
                       new_respondent_code, save_answer, start_interview)


@bp.before_request
def answers_are_never_cached():
    g.no_store = True


def _is_fragment_request() -> bool:
    # Boosted links and forms send HX-Request too; they want the whole page (PITFALLS.md).
    return bool(htmx) and not htmx.boosted


@bp.get("/projects/<int:project_id>/interviews")
def index(project_id):
    project = project_or_abort(project_id, "interviewer", "staff")
    roles = current_user.roles_in(project.id)
    query = select(Interview).where(Interview.project_id == project.id, Interview.status != "withdrawn")
    if "staff" not in roles:
        query = query.where(Interview.interviewer_id == current_user.id)
    interviews = db.session.scalars(query.order_by(Interview.started_at.desc())).all()
    return render_template(
        "interview/index.html", project=project, interviews=interviews, roles=roles,
        version=questionnaire_of(project).latest_frozen,
    )


@bp.route("/projects/<int:project_id>/interviews/new", methods=["GET", "POST"])
def start(project_id):
    project = project_or_abort(project_id, "interviewer")
    version = questionnaire_of(project).latest_frozen
    if version is None or not project.locations:
        return render_template("interview/not_ready.html", project=project, version=version), 409
    form = StartInterviewForm()
    form.location_id.choices = [(loc.id, loc.name) for loc in project.locations]
    if not form.is_submitted():
        # Made before the first save, so a repeated start (double tap) creates one interview.
        form.interview_id.data = str(uuid.uuid4())
        form.respondent_code.data = new_respondent_code(project.id)
    if form.validate_on_submit():
        # The form only offers this project's locations, so the choice is one of them.
        location = db.session.get(Location, form.location_id.data)
        existing = db.session.get(Interview, form.interview_id.data)
        if existing is not None and existing.interviewer_id != current_user.id:
            abort(403)
        interview = start_interview(
            interview_id=form.interview_id.data, project=project, version=version, location=location,
            interviewer=current_user, respondent_code=form.respondent_code.data,
            language=str(get_locale()),
        )
        db.session.commit()
        return redirect(url_for("interview.question", interview_id=interview.id, number=1), 303)
    return render_template("interview/start.html", project=project, form=form), 422 if form.errors else 200


def _question_at(interview, number):
    questions = interview.version.questions
    if not 1 <= number <= len(questions):
        abort(404)
    return questions[number - 1], len(questions)


@bp.route("/interviews/<interview_id>/questions/<int:number>", methods=["GET", "POST"])
def question(interview_id, number):
    interview = interview_or_abort(interview_id)
    if interview.status != "in_progress":
        return redirect(url_for("interview.done", interview_id=interview.id), 303)
    question, total = _question_at(interview, number)
    answer = answers_by_question(interview).get(question.id)
    form = answer_form_for(question, data=form_data_from_answer(answer))
    context = dict(interview=interview, question=question, number=number, total=total,
                   project=interview.project, special_labels=SPECIAL_LABELS)
    saved_before = answer is not None

    if form.is_submitted():
        action = form.action.data or "next"
        if not form.validate():
            return _render_question(form, context, status=422, action=action)
        given = answer_from_form(form)
        answered = any(given.values())
        if action == "next" and question.required and not answered:
            message = (_("Kies een antwoord.") if question.has_choices
                       else _("Typ het antwoord, of kies 'Weet ik niet' of 'Wil ik niet zeggen'."))
            (form.answer if question.has_choices else form.text).errors.append(message)
            return _render_question(form, context, status=422, action=action)
        if answered or answer is not None:
            save_answer(interview, question, **given)
            db.session.commit()
        if action == "save":
            if _is_fragment_request():
                return render_block("interview/question.html", "save_status", saved=answered, failed=False, **context)
            return redirect(url_for("interview.question", interview_id=interview.id, number=number), 303)
        if action == "previous" and number > 1:
            return redirect(url_for("interview.question", interview_id=interview.id, number=number - 1), 303)
        if number < total:
            return redirect(url_for("interview.question", interview_id=interview.id, number=number + 1), 303)
        return redirect(url_for("interview.overview", interview_id=interview.id), 303)
    return _render_question(form, context, saved=saved_before)


def _render_question(form, context, *, status=200, action=None, saved=False):
    if action == "save" and _is_fragment_request():
        return render_block("interview/question.html", "save_status", saved=False, failed=True, **context), status
    return render_template("interview/question.html", form=form, saved=saved, failed=False, **context), status


@bp.route("/interviews/<interview_id>/overview", methods=["GET", "POST"])
def overview(interview_id):
    interview = interview_or_abort(interview_id)
    if interview.status != "in_progress":
        return redirect(url_for("interview.done", interview_id=interview.id), 303)
    form = ConfirmFinishForm()
    missing = []
    if form.validate_on_submit():
        missing = missing_required(interview)
        if not missing:
            complete_interview(interview, by=current_user)
            db.session.commit()
            return redirect(url_for("interview.done", interview_id=interview.id), 303)
    return render_template(
        "interview/overview.html", interview=interview, answers=answers_by_question(interview),
        form=form, missing=missing, special_labels=SPECIAL_LABELS,
    ), 422 if missing else 200


@bp.get("/interviews/<interview_id>/done")
def done(interview_id):
    interview = interview_or_abort(interview_id)
    return render_template("interview/done.html", interview=interview)
