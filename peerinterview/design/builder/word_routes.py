"""Hard words explained: add, change and remove the explanation of a word in a draft question."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...errors import Refused
from ...extensions import db
from .. import bp
from .explanations import remove_word_explanation, set_word_explanation
from .forms import WordRemoveForm
from .routes import _editable_question_or_abort, _edit_form, _render_edit, _word_form


def _back_to_words(project, question):
    return redirect(url_for("design.edit_question", project_id=project.id, question_id=question.id,
                            _anchor="uitleg-woorden"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/words")
def save_word_explanation(project_id, question_id):
    project, question = _editable_question_or_abort(project_id, question_id)
    word_form = _word_form(project, question)
    if not word_form.validate_on_submit():
        return _render_edit(project, question, _edit_form(project, question, formdata=None), 422,
                            word_form=word_form)
    try:
        outcome = set_word_explanation(question, word_form.language.data, word_form.word.data,
                                       word_form.explanation.data, by=current_user)
    except Refused as error:
        db.session.rollback()
        word_form.word.errors = [str(error)]
        return _render_edit(project, question, _edit_form(project, question, formdata=None), 422,
                            word_form=word_form)
    db.session.commit()
    flash(_("De uitleg is toegevoegd.") if outcome == "added" else _("De uitleg is aangepast."), "success")
    return _back_to_words(project, question)


@bp.post("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/words/remove")
def remove_word_explanation_view(project_id, question_id):
    project, question = _editable_question_or_abort(project_id, question_id)
    form = WordRemoveForm()
    if form.validate_on_submit() and remove_word_explanation(question, form.language.data, form.word.data,
                                                             by=current_user):
        db.session.commit()
        flash(_("De uitleg is weggehaald."), "success")
    return _back_to_words(project, question)
