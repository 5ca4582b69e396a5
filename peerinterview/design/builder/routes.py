from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ...access import project_or_abort
from ...errors import Refused
from ...extensions import db, htmx
from ...models import Condition, Question
from ...interview.texts import untranslated_texts, word_span
from ...merge import fingerprint, merge
from ...plainlanguage import check
from ...vocabulary import B1_FLAG_KINDS, B1_LABELS, LANGUAGE_NAMES
from .. import bp
from .forms import (
    QUESTION_KIND_LABELS,
    AdviceForm,
    ConditionForm,
    ConfirmForm,
    MoveForm,
    QuestionForm,
    WordExplanationForm,
    WordRemoveForm,
    choice_lines,
    edit_question_form,
)
from .services import (
    EDITABLE_FIELDS,
    LIST_KINDS,
    VALUES_MESSAGE,
    add_condition,
    add_question,
    delete_condition,
    delete_question,
    freeze_version,
    missing_translations,
    move_question,
    new_draft,
    questionnaire_of,
    update_question,
)

EDITORS = ("staff", "designer")
ADVICE_FIELDS = ("text", "help_text")


def _is_fragment_request() -> bool:
    # Boosted links and forms send HX-Request too; they want the whole page
    # (docs/decisions.md#boosted-requests-get-whole-pages).
    return bool(htmx) and not htmx.boosted


def _advice_for(form) -> dict:
    """The B1 report of each text field that has text in it; advice only, never a gate."""
    return {name: check(form[name].data) for name in ADVICE_FIELDS if (form[name].data or "").strip()}


def _b1_context() -> dict:
    return {"b1_labels": B1_LABELS, "b1_kinds": B1_FLAG_KINDS}


def _draft_question_or_abort(project, question_id) -> Question:
    question = db.session.get(Question, question_id)
    draft = questionnaire_of(project).draft
    if question is None or draft is None or question.version_id != draft.id:
        abort(404)
    return question


def _render_editor(project, form=None, status=200, advice=None, added=None):
    questionnaire = questionnaire_of(project)
    version = questionnaire.draft or questionnaire.latest_frozen
    form = form or QuestionForm()
    return render_template(
        "design/questionnaire.html", project=project, questionnaire=questionnaire,
        added=added, added_number=(version.questions.index(added) + 1) if added else None,
        draft=questionnaire.draft, frozen=questionnaire.latest_frozen,
        form=form, confirm_form=ConfirmForm(),
        roles=current_user.roles_in(project.id), kind_labels=dict(QUESTION_KIND_LABELS),
        advice=advice if advice is not None else _advice_for(form),
        question_reports={q.id: check(q.text) for q in version.questions} if version else {},
        missing={q.id: missing_translations(q, project.languages) for q in version.questions} if version else {},
        language_names=LANGUAGE_NAMES, **_b1_context(),
    ), status


@bp.get("/projects/<int:project_id>/questionnaire")
def questionnaire(project_id):
    project = project_or_abort(project_id, *EDITORS)
    form = QuestionForm()
    # Back at the form after adding a question: the same kind again, and what was added.
    if request.args.get("soort") in dict(QUESTION_KIND_LABELS):
        form.kind.data = request.args["soort"]
    draft = questionnaire_of(project).draft
    added = db.session.get(Question, request.args.get("toegevoegd", type=int) or 0)
    if added is not None and (draft is None or added.version_id != draft.id):
        added = None
    return _render_editor(project, form, added=added)


@bp.post("/projects/<int:project_id>/questionnaire/questions")
def add_question_view(project_id):
    project = project_or_abort(project_id, *EDITORS)
    draft = questionnaire_of(project).draft
    if draft is None:
        abort(409)
    form = QuestionForm()
    if form.check.data or form.show_kind.data:  # without JavaScript: advice or fields, nothing saved
        return _render_editor(project, form)
    if not form.validate_on_submit():
        return _render_editor(project, form, 422)
    question = add_question(
        draft, kind=form.kind.data, text=form.text.data, help_text=form.help_text.data,
        required=form.required.data, choice_labels=choice_lines(form.choices.data),
        follow_up=form.follow_up.data, allow_spoken=form.allow_spoken.data,
        allow_dont_know=form.allow_dont_know.data, allow_refuse=form.allow_refuse.data,
        section_title=form.section_title.data, by=current_user, **form.number_range(),
    )
    db.session.commit()
    flash(_("De vraag is toegevoegd."), "success")
    # Back to the form, not to the top of the list: the next question is added in the same place.
    return redirect(url_for("design.questionnaire", project_id=project.id, soort=question.kind,
                            toegevoegd=question.id, _anchor="nieuwe-vraag"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/delete")
def delete_question_view(project_id, question_id):
    project = project_or_abort(project_id, *EDITORS)
    question = _draft_question_or_abort(project, question_id)
    if ConfirmForm().validate_on_submit():
        try:
            delete_question(question, by=current_user)
        except Refused as error:
            flash(str(error), "error")
            return redirect(url_for("design.questionnaire", project_id=project.id, _anchor=f"vraag-{question.id}"), 303)
        db.session.commit()
        flash(_("De vraag is verwijderd."), "success")
    return redirect(url_for("design.questionnaire", project_id=project.id, _anchor="vragen"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/move")
def move_question_view(project_id, question_id):
    project = project_or_abort(project_id, *EDITORS)
    question = _draft_question_or_abort(project, question_id)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            move_question(question, form.direction.data, by=current_user)
        except Refused as error:
            flash(str(error), "error")
        else:
            db.session.commit()
    return redirect(url_for("design.questionnaire", project_id=project.id, _anchor=f"vraag-{question.id}"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/freeze")
def freeze(project_id):
    project = project_or_abort(project_id, "staff")
    draft = questionnaire_of(project).draft
    if draft is None:
        abort(409)
    form = ConfirmForm()
    if form.validate_on_submit():
        if not draft.questions:
            flash(_("Voeg eerst minstens één vraag toe."), "error")
        elif form.confirmed.data != "yes":
            # Ask first, and say which texts are not translated yet.
            languages = [code for code in (project.languages or ["nl"]) if code != "nl"]
            return render_template(
                "design/freeze_confirm.html", project=project, draft=draft, form=form,
                missing=[(code, untranslated_texts(project, draft, code)) for code in languages],
                language_names=LANGUAGE_NAMES)
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


@bp.post("/projects/<int:project_id>/questionnaire/advice")
def b1_advice(project_id):
    """Live B1 advice under a text field (htmx, as the designer types). Without htmx, or for a
    boosted request, the whole questionnaire page with the text and its advice."""
    project = project_or_abort(project_id, *EDITORS)
    form = AdviceForm()
    if not form.validate_on_submit():
        return "", 422
    if _is_fragment_request():
        name = form.advice_for.data
        return render_block("design/questionnaire.html", f"{name}_advice", advice=_advice_for(form),
                            explain_url=_explain_url(project, form.explain_question.data) if name == "text" else None,
                            **_b1_context())
    return _render_editor(project, QuestionForm())


def _explain_url(project, question_id) -> str | None:
    """Where "Uitleg toevoegen" leads: the edit page of a question of this project's draft."""
    question = db.session.get(Question, question_id) if question_id else None
    draft = questionnaire_of(project).draft
    if question is None or draft is None or question.version_id != draft.id:
        return None
    return url_for("design.edit_question", project_id=project.id, question_id=question.id)


def _editable_question_or_abort(project_id, question_id):
    """The project (for editors) and a question of its draft; 409 if the question is frozen."""
    project = project_or_abort(project_id, *EDITORS)
    question = db.session.get(Question, question_id)
    if question is None or question.version.questionnaire.project_id != project.id:
        abort(404)
    if question.version.is_frozen:
        abort(409)
    return project, question


def _condition_sources(question) -> list[Question]:
    return [q for q in question.version.questions if q.position < question.position and q.has_choices]


def _edit_form(project, question, **kwargs):
    """The edit form, filled from the question (a POST fills it from what was sent)."""
    data = _stored_values(project, question)
    data["seen"] = fingerprint(data, sorted(data))
    return edit_question_form(question, project.languages, data=data, **kwargs)


def _stored_values(project, question) -> dict:
    """The question's editable values as its edit form shows them, by field name."""
    data = {name: getattr(question, name) for name in EDITABLE_FIELDS if name != "translations"}
    data["choices"] = "\n".join(c.label for c in question.choices) if question.kind in LIST_KINDS else ""
    for language in project.languages:
        texts = (question.translations or {}).get(language) or {}
        data[f"text_{language}"] = texts.get("text", "")
        data[f"help_text_{language}"] = texts.get("help_text", "")
        data[f"section_title_{language}"] = texts.get("section_title", "")
        data[f"choices_{language}"] = "\n".join(c.label_in(language) for c in question.choices).rstrip("\n")
    return data


def _merge_with_stored(project, question, form) -> dict:
    """Someone else may have saved this question since this page opened. Fields changed only
    there take what is stored now (a save here must not undo them); fields changed both here
    and there stay as typed here, with the stored value beside them: {name: stored value}."""
    stored = _stored_values(project, question)
    names = sorted(stored)  # as _edit_form made the fingerprint; a value without a field stays
    merged = merge(form.seen.data, names,
                   {name: form[name].data if name in form else stored[name] for name in names}, stored)
    if merged is None:
        return {}
    take_theirs, conflicts = merged
    for name in take_theirs & set(form._fields):
        form[name].data = stored[name]
    if conflicts:
        form.seen.data = fingerprint(stored, sorted(stored))  # saving again is a choice made here
        for name in conflicts:
            form[name].errors = [_("Iemand anders heeft dit net ook veranderd. Uw tekst is nog niet "
                                   "opgeslagen: die staat hier. Wat er nu staat, ziet u bovenaan.")]
    return {name: stored[name] for name in conflicts}


def _word_form(project, question, **kwargs) -> WordExplanationForm:
    """The "Wat betekent dit?" form; a link from the B1 advice (?woord=...&taal=...) fills in the word."""
    form = WordExplanationForm(languages=project.languages or (), **kwargs)
    if not form.is_submitted() and request.args.get("woord"):
        form.word.data = request.args["woord"][:60]
        language = request.args.get("taal", "nl")
        form.language.data = language if language in dict(form.language.choices) else "nl"
        entry = next((e for e in question.explanations_in(form.language.data)
                      if e["word"].casefold() == form.word.data.casefold()), None)
        form.explanation.data = entry["explanation"] if entry else ""
    return form


def _explained_words(project, question) -> list[dict]:
    """Every explained word with its language, whether the question still holds it, and the B1
    advice on its explanation (advice only)."""
    return [{"language": language, "word": entry["word"], "explanation": entry["explanation"],
             "in_text": word_span(question.text_in(language), entry["word"]) is not None,
             "report": check(entry["explanation"]) if language == "nl" else None}
            for language in dict.fromkeys(["nl", *(project.languages or ())])
            for entry in question.explanations_in(language)]


def _render_edit(project, question, form, status=200, condition_form=None, word_form=None, others=None):
    return render_template(
        "design/edit_question.html", project=project, question=question, form=form, others=others or {},
        condition_form=condition_form or ConditionForm(), confirm_form=ConfirmForm(),
        word_form=word_form or _word_form(project, question, formdata=None),
        word_remove_form=WordRemoveForm(), explained=_explained_words(project, question),
        sources=_condition_sources(question), kind_labels=dict(QUESTION_KIND_LABELS),
        advice=_advice_for(form), language_names=LANGUAGE_NAMES,
        missing=missing_translations(question, project.languages), **_b1_context(),
    ), status


@bp.route("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(project_id, question_id):
    project, question = _editable_question_or_abort(project_id, question_id)
    form = _edit_form(project, question)
    if not form.is_submitted() and _is_fragment_request():
        # "Aanpassen" in the list with JavaScript: the form opens in place of the question. Its
        # ids get a prefix (the names stay): the list page also has the "Vraag toevoegen" form.
        for f in form:
            if f.type != "CSRFTokenField":
                f.id = f.label.field_id = f"edit-{question.id}-{f.id}"
        return render_block(
            "design/edit_question.html", "edit_form", project=project, question=question, form=form, inline=True,
            advice=_advice_for(form), language_names=LANGUAGE_NAMES,
            missing=missing_translations(question, project.languages), **_b1_context(),
        )
    if form.check.data or not form.is_submitted():
        return _render_edit(project, question, form)
    if not form.validate():
        return _render_edit(project, question, form, 422)
    others = _merge_with_stored(project, question, form)
    if others:
        return _render_edit(project, question, form, 409, others=others)
    try:
        changed = update_question(
            question, by=current_user,
            choice_labels=choice_lines(form.choices.data) if question.kind in LIST_KINDS else None,
            choice_translations=form.choice_translations() if question.kind in LIST_KINDS else None,
            translations={**(question.translations or {}), **form.translations()},
            **{name: form[name].data for name in EDITABLE_FIELDS if name not in ("translations", "min_value", "max_value")},
            **form.number_range(),
        )
    except Refused as error:
        form.choices.errors = [str(error)]
        db.session.rollback()
        return _render_edit(project, question, form, 422)
    db.session.commit()
    flash(_("De vraag is aangepast.") if changed else _("Er was niets veranderd."), "success")
    return redirect(url_for("design.questionnaire", project_id=project.id, _anchor=f"vraag-{question.id}"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/questions/<int:question_id>/conditions")
def add_condition_view(project_id, question_id):
    project, question = _editable_question_or_abort(project_id, question_id)
    # Which questions may be a source is the service's rule (add_condition), not the form's.
    condition_form = ConditionForm()
    form = _edit_form(project, question, formdata=None)
    if not condition_form.validate_on_submit():
        return _render_edit(project, question, form, 422, condition_form)
    source = db.session.get(Question, condition_form.source.data) if condition_form.source.data else None
    if source is None or source.version_id != question.version_id:
        condition_form.source.errors = [_("Kies een vraag die eerder in de vragenlijst staat.")]
        return _render_edit(project, question, form, 422, condition_form)
    try:
        add_condition(question, source, condition_form.values.data or [], by=current_user)
    except Refused as error:
        db.session.rollback()
        about_answers = str(error) == str(VALUES_MESSAGE)
        (condition_form.values if about_answers else condition_form.source).errors = [str(error)]
        return _render_edit(project, db.session.get(Question, question.id), form, 422, condition_form)
    db.session.commit()
    flash(_("De voorwaarde is toegevoegd."), "success")
    return redirect(url_for("design.edit_question", project_id=project.id, question_id=question.id,
                            _anchor="voorwaarden"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/conditions/<int:condition_id>/delete")
def delete_condition_view(project_id, condition_id):
    project = project_or_abort(project_id, *EDITORS)
    condition = db.session.get(Condition, condition_id)
    if condition is None:
        abort(404)
    project, question = _editable_question_or_abort(project.id, condition.question_id)
    if ConfirmForm().validate_on_submit():
        delete_condition(condition, by=current_user)
        db.session.commit()
        flash(_("De voorwaarde is weggehaald."), "success")
    return redirect(url_for("design.edit_question", project_id=project.id, question_id=question.id,
                            _anchor="voorwaarden"), 303)
