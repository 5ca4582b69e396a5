"""Pictures with a question and its answers: search the vendored set, pick, take away.

The search is a GET form (works without JavaScript); with htmx the results follow the typing.
Picking is one POST with the chosen picture's code on its button.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ...errors import Refused
from ...extensions import db
from ...pictograms import pictogram, search
from .. import bp
from .forms import PictureForm
from .routes import _editable_question_or_abort, _is_fragment_request
from .services import PICTURE_KINDS, set_picture

QUESTION_TARGET = "vraag"


def _targets(question) -> list[dict]:
    """The places a picture can go: the question, then each answer of a kind that allows one."""
    targets = [{"key": QUESTION_TARGET, "words": question.text, "picture": pictogram(question.picture),
                "is_question": True}]
    if question.kind in PICTURE_KINDS:
        targets += [{"key": str(choice.id), "words": choice.label, "picture": pictogram(choice.picture),
                     "is_question": False} for choice in question.choices]
    return targets


def _context(project, question, form) -> dict:
    targets = _targets(question)
    chosen = next((t for t in targets if t["key"] == (form.target.data or request.args.get("voor"))), None)
    query = (request.args.get("zoek") or "").strip()[:100]
    return {"project": project, "question": question, "form": form, "targets": targets, "chosen": chosen,
            "query": query, "results": search(query) if chosen else [],
            "words_language": "en" if str(get_locale()) == "en" else "nl"}


@bp.get("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/pictures")
def question_pictures(project_id, question_id):
    project, question = _editable_question_or_abort(project_id, question_id)
    context = _context(project, question, PictureForm(formdata=None))
    if _is_fragment_request() and context["chosen"]:
        # Live results while the designer types (htmx): only the list of pictures.
        return render_block("design/pictures.html", "results", live=True, **context)
    return render_template("design/pictures.html", **context)


def _render(project, question, form, status):
    return render_template("design/pictures.html", **_context(project, question, form)), status


def _choice_of(question, target: str):
    if target == QUESTION_TARGET:
        return None
    return next((c for c in question.choices if str(c.id) == target), False)


@bp.post("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/pictures")
def set_question_picture(project_id, question_id):
    project, question = _editable_question_or_abort(project_id, question_id)
    form = PictureForm()
    if not form.validate_on_submit():
        return _render(project, question, form, 422)
    choice = _choice_of(question, form.target.data or "")
    if choice is False:
        form.target.errors = [_("Kies de vraag of een van de antwoorden.")]
        return _render(project, question, form, 422)
    try:
        changed = set_picture(question, choice, (form.picture.data or "").strip(), by=current_user)
    except Refused as error:
        db.session.rollback()
        form.picture.errors = [str(error)]
        return _render(project, db.session.get(type(question), question.id), form, 422)
    db.session.commit()
    if changed:
        flash(_("Het plaatje is gekozen.") if form.picture.data else _("Het plaatje is weggehaald."), "success")
    return redirect(url_for("design.question_pictures", project_id=project.id, question_id=question.id,
                            _anchor=f"plek-{form.target.data}"), 303)
