from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import project_or_abort
from ..extensions import db
from ..models import Question
from . import bp
from .forms import QUESTION_KIND_LABELS, ConfirmForm, MoveForm, QuestionForm, choice_lines
from .services import (add_question, delete_question, freeze_version, move_question, new_draft,
                       questionnaire_of)

EDITORS = ("staff", "designer")


def _draft_question_or_abort(project, question_id) -> Question:
    question = db.session.get(Question, question_id)
    draft = questionnaire_of(project).draft
    if question is None or draft is None or question.version_id != draft.id:
        abort(404)
    return question


def _render_editor(project, form=None, status=200):
    questionnaire = questionnaire_of(project)
    return render_template(
        "design/questionnaire.html", project=project, questionnaire=questionnaire,
        draft=questionnaire.draft, frozen=questionnaire.latest_frozen,
        form=form or QuestionForm(), confirm_form=ConfirmForm(),
        roles=current_user.roles_in(project.id), kind_labels=dict(QUESTION_KIND_LABELS),
    ), status


@bp.get("/projects/<int:project_id>/questionnaire")
def questionnaire(project_id):
    project = project_or_abort(project_id, *EDITORS)
    return _render_editor(project)


@bp.post("/projects/<int:project_id>/questionnaire/questions")
def add_question_view(project_id):
    project = project_or_abort(project_id, *EDITORS)
    draft = questionnaire_of(project).draft
    if draft is None:
        abort(409)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _render_editor(project, form, 422)
    add_question(
        draft, kind=form.kind.data, text=form.text.data, help_text=form.help_text.data,
        required=form.required.data, choice_labels=choice_lines(form.choices.data), by=current_user,
    )
    db.session.commit()
    flash(_("De vraag is toegevoegd."), "success")
    return redirect(url_for("design.questionnaire", project_id=project.id, _anchor="vragen"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/delete")
def delete_question_view(project_id, question_id):
    project = project_or_abort(project_id, *EDITORS)
    question = _draft_question_or_abort(project, question_id)
    if ConfirmForm().validate_on_submit():
        delete_question(question, by=current_user)
        db.session.commit()
        flash(_("De vraag is verwijderd."), "success")
    return redirect(url_for("design.questionnaire", project_id=project.id, _anchor="vragen"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/move")
def move_question_view(project_id, question_id):
    project = project_or_abort(project_id, *EDITORS)
    question = _draft_question_or_abort(project, question_id)
    form = MoveForm()
    if form.validate_on_submit():
        move_question(question, form.direction.data, by=current_user)
        db.session.commit()
    return redirect(url_for("design.questionnaire", project_id=project.id, _anchor=f"vraag-{question.id}"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/freeze")
def freeze(project_id):
    project = project_or_abort(project_id, "staff")
    draft = questionnaire_of(project).draft
    if draft is None:
        abort(409)
    if ConfirmForm().validate_on_submit():
        if not draft.questions:
            flash(_("Voeg eerst minstens één vraag toe."), "error")
        else:
            freeze_version(draft, by=current_user)
            db.session.commit()
            flash(_("Versie %(number)s is vastgezet. Interviewers kunnen nu beginnen.", number=draft.number), "success")
    return redirect(url_for("design.questionnaire", project_id=project.id), 303)


@bp.post("/projects/<int:project_id>/questionnaire/new-draft")
def new_draft_view(project_id):
    project = project_or_abort(project_id, *EDITORS)
    if ConfirmForm().validate_on_submit():
        draft = new_draft(questionnaire_of(project), by=current_user)
        db.session.commit()
        flash(_("U kunt nu versie %(number)s aanpassen. Interviews houden hun eigen versie.", number=draft.number), "success")
    return redirect(url_for("design.questionnaire", project_id=project.id), 303)
