"""Co-design: proposals as cards with comments and votes, the facilitator's view, the
per-question history, and the builder's editing aids (duplicate, delete with undo).

Designers and the project's staff may do all of it; everyone else is refused (access.py)."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...access import project_or_abort
from ...errors import Refused
from ...extensions import db, htmx
from ...models import Proposal, Question, QuestionChange
from ...plainlanguage import check
from ...vocabulary import B1_FLAG_KINDS, B1_LABELS
from .. import bp
from ..builder.forms import (
    QUESTION_KIND_LABELS,
    ConfirmForm,
    choice_lines,
)
from ..builder.services import questionnaire_of
from .forms import CommentForm, ProposalForm, RejectForm, VoteForm
from .labels import ACTION_LABELS, FIELD_LABELS, STATUS_LABELS
from .services import (
    ORDERS,
    NotOpenError,
    add_comment,
    adopt_proposal,
    cast_vote,
    create_proposal,
    delete_with_undo,
    deleted_questions,
    duplicate_question,
    facilitator_items,
    history_of,
    proposals_of,
    reject_proposal,
    restorable,
    restore_question,
)

EDITORS = ("staff", "designer")
# The parts of a proposal page that htmx fetches again while it is open (by their element id).
LIVE_PARTS = {"stemstand": "design/codesign/_proposal_votes.html",
              "reactiestand": "design/codesign/_proposal_comments.html"}


def _labels():
    return {"action_labels": ACTION_LABELS, "field_labels": FIELD_LABELS, "status_labels": STATUS_LABELS,
            "kind_labels": dict(QUESTION_KIND_LABELS), "b1_labels": B1_LABELS, "b1_kinds": B1_FLAG_KINDS}


def _context(project, **extra) -> dict:
    return {"project": project, "roles": current_user.roles_in(project.id), "confirm_form": ConfirmForm(),
            **_labels(), **extra}


def _builder_url(project, **kwargs):
    return url_for("design.questionnaire", project_id=project.id, **kwargs)


def _draft_question_by_key(project, question_key) -> tuple:
    questionnaire = questionnaire_of(project)
    draft = questionnaire.draft
    if draft is None:
        abort(409)
    question = next((q for q in draft.questions if q.key == question_key), None)
    if question is None:
        abort(404)
    return draft, question


def _refused(error: Refused, back: str):
    """A rule the user broke: nothing of the attempt is kept, its message is shown where the
    user was."""
    db.session.rollback()
    flash(str(error), "error")
    return redirect(back, 303)


# ---------------------------------------------------------------------------------------------
# The builder's editing aids

@bp.post("/projects/<int:project_id>/questionnaire/draft/<draft_key>/duplicate")
def duplicate_question_view(project_id, draft_key):
    project = project_or_abort(project_id, *EDITORS)
    _draft, question = _draft_question_by_key(project, draft_key)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        copy = duplicate_question(question, by=current_user)
    except Refused as error:
        return _refused(error, _builder_url(project, _anchor=f"vraag-{question.id}"))
    db.session.commit()
    flash(_("De kopie staat nu onder de vraag."), "success")
    return redirect(_builder_url(project, _anchor=f"vraag-{copy.id}"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/draft/<draft_key>/delete")
def delete_question_with_undo(project_id, draft_key):
    """Delete, then show "Vraag verwijderd. Ongedaan maken" in the builder (the `verwijderd`
    argument names the history entry that can put it back)."""
    project = project_or_abort(project_id, *EDITORS)
    _draft, question = _draft_question_by_key(project, draft_key)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change = delete_with_undo(question, by=current_user)
    except Refused as error:
        return _refused(error, _builder_url(project, _anchor=f"vraag-{question.id}"))
    db.session.commit()
    return redirect(_builder_url(project, verwijderd=change.id, _anchor="vragen"), 303)


def _change_or_abort(project, change_id) -> QuestionChange:
    change = db.session.get(QuestionChange, change_id)
    if change is None or change.questionnaire_id != questionnaire_of(project).id or change.action != "deleted":
        abort(404)
    return change


@bp.post("/projects/<int:project_id>/questionnaire/deleted/<int:change_id>/restore")
def restore_question_view(project_id, change_id):
    project = project_or_abort(project_id, *EDITORS)
    change = _change_or_abort(project, change_id)
    draft = questionnaire_of(project).draft
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if draft is None:
        abort(409)
    try:
        question, skipped = restore_question(change, draft, by=current_user)
    except Refused as error:
        return _refused(error, _builder_url(project, _anchor="vragen"))
    db.session.commit()
    if skipped:
        flash(_("Een voorwaarde kon niet terug. De vraag van die voorwaarde is weg."), "error")
    return redirect(_builder_url(project, teruggezet=question.key, _anchor=f"vraag-{question.id}"), 303)


@bp.context_processor
def builder_helpers():
    """For the builder page (design/questionnaire.html includes design/codesign/_*.html)."""

    def deleted_for_undo(project, draft):
        change_id = request.args.get("verwijderd", type=int)
        if not change_id or draft is None:
            return None
        change = db.session.get(QuestionChange, change_id)
        if change is None or change.questionnaire_id != draft.questionnaire_id or not restorable(change, draft):
            return None
        return change

    def restored_question(draft):
        key = request.args.get("teruggezet")
        if not key or draft is None:
            return None
        return next((q for q in draft.questions if q.key == key), None)

    def open_proposal_count(project):
        return db.session.query(Proposal).filter_by(project_id=project.id, status="open").count()

    return {"deleted_for_undo": deleted_for_undo, "restored_question": restored_question,
            "open_proposal_count": open_proposal_count, "deleted_questions": deleted_questions}


@bp.get("/projects/<int:project_id>/questionnaire/history/<history_key>")
def question_history(project_id, history_key):
    project = project_or_abort(project_id, *EDITORS)
    questionnaire = questionnaire_of(project)
    entries = history_of(questionnaire.id, history_key)
    current = None
    for version in reversed(questionnaire.versions):
        current = next((q for q in version.questions if q.key == history_key), None)
        if current is not None:
            break
    if current is None and not entries:
        abort(404)
    draft = questionnaire.draft
    undo = entries[0] if entries and restorable(entries[0], draft) else None
    return render_template("design/codesign/history.html", **_context(
        project, question_key=history_key, entries=entries, current=current, undo=undo,
        draft=draft, text=current.text if current is not None else (entries[0].snapshot or {}).get("question", {}).get("text", ""),
    ))


# ---------------------------------------------------------------------------------------------
# Proposals

def _proposal_or_abort(project, proposal_id) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.project_id != project.id:
        abort(404)
    return proposal


def _current_questions(project) -> list[Question]:
    questionnaire = questionnaire_of(project)
    version = questionnaire.draft or questionnaire.latest_frozen
    return list(version.questions) if version is not None else []


@bp.get("/projects/<int:project_id>/proposals")
def proposals(project_id):
    project = project_or_abort(project_id, *EDITORS)
    everything = proposals_of(project.id)
    groups = [(status, [p for p in everything if p.status == status]) for status in ("open", "adopted", "rejected")]
    return render_template("design/codesign/proposals.html", **_context(
        project, groups=groups, reports={p.id: check(p.text) for p in everything},
        questions={q.key: q for q in _current_questions(project)},
    ))


@bp.route("/projects/<int:project_id>/proposals/new", methods=["GET", "POST"])
def new_proposal(project_id):
    project = project_or_abort(project_id, *EDITORS)
    questions = _current_questions(project)
    form = ProposalForm(questions=questions)
    if not form.is_submitted():
        wanted = request.args.get("vraag")
        if wanted and any(q.key == wanted for q in questions):
            form.kind.data = "rewording"
            form.question_key.data = wanted
            form.text.data = next(q.text for q in questions if q.key == wanted)
    if form.check.data or not form.is_submitted():
        return _render_new_proposal(project, form, questions)
    if not form.validate():
        return _render_new_proposal(project, form, questions, 422)
    question = next((q for q in questions if q.key == form.question_key.data), None)
    proposal = create_proposal(
        project, kind=form.kind.data, text=form.text.data, by=current_user,
        question=question if form.kind.data == "rewording" else None,
        question_kind=form.question_kind.data, choice_labels=choice_lines(form.choices.data),
        explanation=form.explanation.data,
    )
    db.session.commit()
    flash(_("Uw voorstel staat erbij. De anderen kunnen nu reageren en stemmen."), "success")
    return redirect(url_for("design.proposal", project_id=project.id, proposal_id=proposal.id), 303)


def _render_new_proposal(project, form, questions, status=200):
    text = (form.text.data or "").strip()
    return render_template("design/codesign/new_proposal.html", **_context(
        project, form=form, questions=questions, advice={"text": check(text)} if text else {},
    )), status


def _render_proposal(project, proposal, status=200, **forms):
    questions = {q.key: q for q in _current_questions(project)}
    return render_template("design/codesign/proposal.html", **_context(
        project, proposal=proposal, question=questions.get(proposal.question_key),
        report=check(proposal.text), old_report=check(proposal.old_text) if proposal.old_text else None,
        my_vote=proposal.vote_of(current_user),
        comment_form=forms.get("comment_form") or CommentForm(),
        vote_form=forms.get("vote_form") or VoteForm(),
        reject_form=forms.get("reject_form") or RejectForm(),
        any_errors=any(form.errors for form in forms.values()),
        poll_seconds=current_app.config.get("CODESIGN_POLL_SECONDS", 15),
        draft=questionnaire_of(project).draft,
    )), status


@bp.get("/projects/<int:project_id>/proposals/<int:proposal_id>")
def proposal(project_id, proposal_id):
    project = project_or_abort(project_id, *EDITORS)
    proposal = _proposal_or_abort(project, proposal_id)
    part = LIVE_PARTS.get(request.headers.get("HX-Target", "")) if htmx and not htmx.boosted else None
    if part:
        # The page asks for news (every few seconds): only the votes or the comments, and no
        # flash message is used up by it.
        return render_template(part, **_context(
            project, proposal=proposal, my_vote=proposal.vote_of(current_user),
            poll_seconds=current_app.config.get("CODESIGN_POLL_SECONDS", 15),
        ))
    return _render_proposal(project, proposal)


@bp.post("/projects/<int:project_id>/proposals/<int:proposal_id>/comments")
def comment_proposal(project_id, proposal_id):
    project = project_or_abort(project_id, *EDITORS)
    proposal = _proposal_or_abort(project, proposal_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _render_proposal(project, proposal, 422, comment_form=form)
    add_comment(proposal, form.comment.data, by=current_user)
    db.session.commit()
    flash(_("Uw reactie staat erbij."), "success")
    return redirect(url_for("design.proposal", project_id=project.id, proposal_id=proposal.id, _anchor="reacties"), 303)


@bp.post("/projects/<int:project_id>/proposals/<int:proposal_id>/vote")
def vote_proposal(project_id, proposal_id):
    project = project_or_abort(project_id, *EDITORS)
    proposal = _proposal_or_abort(project, proposal_id)
    form = VoteForm()
    if not form.validate_on_submit():
        return _render_proposal(project, proposal, 422, vote_form=form)
    try:
        cast_vote(proposal, form.vote.data == "for", by=current_user)
    except NotOpenError:
        abort(409)
    db.session.commit()
    flash(_("U stemde voor.") if form.vote.data == "for" else _("U stemde tegen."), "success")
    return redirect(url_for("design.proposal", project_id=project.id, proposal_id=proposal.id, _anchor="stemmen"), 303)


@bp.post("/projects/<int:project_id>/proposals/<int:proposal_id>/adopt")
def adopt_proposal_view(project_id, proposal_id):
    project = project_or_abort(project_id, *EDITORS)
    proposal = _proposal_or_abort(project, proposal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if proposal.status != "open":
        abort(409)
    try:
        question = adopt_proposal(proposal, questionnaire_of(project).draft, by=current_user)
    except Refused as error:
        return _refused(error, url_for("design.proposal", project_id=project.id, proposal_id=proposal.id))
    db.session.commit()
    flash(_("Het voorstel staat nu in de vragenlijst."), "success")
    return redirect(_builder_url(project, _anchor=f"vraag-{question.id}"), 303)


@bp.post("/projects/<int:project_id>/proposals/<int:proposal_id>/reject")
def reject_proposal_view(project_id, proposal_id):
    project = project_or_abort(project_id, *EDITORS)
    proposal = _proposal_or_abort(project, proposal_id)
    if proposal.status != "open":
        abort(409)
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_proposal(project, proposal, 422, reject_form=form)
    reject_proposal(proposal, form.reason.data, by=current_user)
    db.session.commit()
    flash(_("U heeft het voorstel afgewezen."), "success")
    return redirect(url_for("design.proposals", project_id=project.id), 303)


# ---------------------------------------------------------------------------------------------
# The facilitator's view

@bp.get("/projects/<int:project_id>/questionnaire/discussion")
def facilitator(project_id):
    project = project_or_abort(project_id, *EDITORS)
    order = request.args.get("volgorde", "discussion")
    if order not in ORDERS:
        order = "discussion"
    questionnaire = questionnaire_of(project)
    version = questionnaire.draft or questionnaire.latest_frozen
    return render_template("design/codesign/facilitator.html", **_context(
        project, order=order, items=facilitator_items(project.id, version, order), version=version,
    ))
