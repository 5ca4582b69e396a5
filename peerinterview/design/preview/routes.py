"""Preview one question exactly as the interviewer sees it: the interview's own screen and
form, in any language of the project, with nothing stored (no Interview, no Answer)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ...access import project_or_abort
from ...extensions import db, htmx
from ...interview import texts
from ...interview.flow import PracticeFlow
from ...interview.forms import answer_form_for
from ...localize import speaks
from ...models import Question
from ...vocabulary import LANGUAGE_NAMES, SPECIAL_LABELS
from .. import bp
from ..builder.services import questionnaire_of

EDITORS = ("staff", "designer")


class PreviewFlow:
    """What interview/question.html needs of a flow; the buttons walk through the previews."""

    practice = False
    preview = True

    def __init__(self, project, version, language):
        self.project = project
        self.version = version
        self.language = language
        self.respondent_code = None

    def question_url(self, number: int) -> str:
        question = self.version.questions[number - 1]
        return url_for("design.preview_question", project_id=self.project.id, preview_question_id=question.id,
                       lang=self.language)

    def overview_url(self) -> str:
        return url_for("design.questionnaire", project_id=self.project.id)


def _section_start(version, question):
    return next((q for q in reversed(version.questions[:question.position]) if q.section_title), None)


@bp.route("/projects/<int:project_id>/questionnaire/preview/<int:preview_question_id>", methods=["GET", "POST"])
@speaks(lambda view_args: request.args.get("lang"))  # the whole screen in the language previewed
def preview_question(project_id, preview_question_id):
    """Any question of the project, of the draft or of a frozen version."""
    project = project_or_abort(project_id, *EDITORS)
    question = db.session.get(Question, preview_question_id)
    if question is None or question.version.questionnaire.project_id != project.id:
        abort(404)
    languages = list(project.languages or ["nl"])
    language = request.args.get("lang", "nl")
    if language not in languages:
        language = "nl"
    version = question.version
    flow = PreviewFlow(project, version, language)
    number = question.position
    total = len(version.questions)
    form = answer_form_for(question, language)
    context = dict(
        flow=flow, practice=True, interview=None, question=question, number=number, project=project,
        special_labels=SPECIAL_LABELS, texts=texts, lang=language,
        section_start=_section_start(version, question),
        choice_words={c.value: texts.choice_label(c, texts.question_language(question, language))
                      for c in question.choices},
        shown_number=question.number, total=sum(1 for q in version.questions if q.is_answered),
        progress_value=sum(1 for q in version.questions if q.is_answered and q.position < number),
        has_previous=number > 1, has_next=number < total,
        preview_languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
        roles=current_user.roles_in(project.id),
    )
    status = 200
    if form.is_submitted():
        action = form.action.data or "next"
        if action in ("next", "previous") and form.validate():
            # Nothing is stored; the buttons go to the previous or next question's preview.
            target = number + (1 if action == "next" else -1)
            return redirect(flow.question_url(target) if 1 <= target <= total else flow.overview_url(), 303)
        if not form.validate():
            status = 422
        if action == "save" and htmx and not htmx.boosted:
            return render_block("interview/question.html", "save_status", saved=False, failed=status == 422,
                                **context), status
    return render_template("design/preview.html", form=form, saved=False, failed=False, **context), status


@bp.post("/projects/<int:project_id>/questionnaire/practice")
def practice_draft(project_id):
    """"Proefinterview": the whole list as it is now (the draft, or else the newest version) on
    the interview screens in practice mode: skip logic, checks and overview, nothing stored."""
    project = project_or_abort(project_id, *EDITORS)
    questionnaire = questionnaire_of(project)
    version = questionnaire.draft or questionnaire.latest_frozen
    if version is None or not version.questions:
        flash(_("Er zijn nog geen vragen. Maak eerst een vraag."), "error")
        return redirect(url_for("design.questionnaire", project_id=project.id), 303)
    language = request.form.get("language", "nl")
    if language not in (project.languages or ["nl"]):
        language = "nl"
    flow = PracticeFlow.start(project, version, code=_("PROEF"), language=language)
    return redirect(flow.question_url(1), 303)
