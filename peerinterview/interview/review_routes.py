"""The review of a completed interview on its answers page: staff (or another interviewer)
decide whether it counts; its interviewer answers "klopt iets niet" and corrects answers."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import may_change_answers
from ..audit import record
from ..errors import Refused
from ..extensions import db
from ..models import Interview
from ..vocabulary import DEBRIEF_MOOD_LABELS, REVIEW_STATE_LABELS, SPECIAL_LABELS
from . import bp, texts
from .forms import (ReviewForm, ReviewReplyForm, TranscriptForm, answer_from_form, change_answer_form_class,
                    form_data_from_answer)
from .review import (answer_changes, change_answer, is_reviewable, last_review_id, latest_note, may_review,
                     reply_to_review, review_history, set_review, waits_for_interviewer)
from .services import answer_rows, is_answered, visible_questions
from .spoken import complete_recordings


def readable_interview_or_abort(interview_id: str) -> Interview:
    """An interview's raw answers: for its interviewer, the project's staff, and a reviewer."""
    interview = db.session.get(Interview, interview_id)
    if interview is None:
        abort(404)
    roles = current_user.roles_in(interview.project_id)
    # A reviewer who is not staff reads only what they may review: a completed interview.
    if may_change_answers(interview) or "staff" in roles or (is_reviewable(interview)
                                                            and may_review(interview, current_user)):
        return interview
    abort(403)


def render_answers(interview, *, review_form=None, reply_form=None, transcript_form=None, form_for=None,
                   status=200):
    """The answers page; a form that was refused (422) shows with its errors (`form_for`: the
    recording whose transcript form it is)."""
    rows = answer_rows(interview)
    shown = {q.id for q in visible_questions(interview.version, {k: a for k, a in rows.items() if is_answered(a)})}
    reviewer = is_reviewable(interview) and may_review(interview, current_user)
    answering = waits_for_interviewer(interview) and may_change_answers(interview)
    if reviewer and review_form is None:
        review_form = ReviewForm(data={"state": interview.review_state, "seen": last_review_id(interview)})
    if answering and reply_form is None:
        reply_form = ReviewReplyForm()
    return render_template(
        "interview/answers.html", interview=interview, rows=rows, shown=shown, special_labels=SPECIAL_LABELS,
        mood_labels=DEBRIEF_MOOD_LABELS, texts=texts, review_labels=REVIEW_STATE_LABELS,
        review_form=review_form if reviewer else None, reply_form=reply_form if answering else None,
        history=review_history(interview), changes=answer_changes(interview), note=latest_note(interview),
        may_correct=answering, recordings=complete_recordings(interview.id),
        may_transcribe="staff" in current_user.roles_in(interview.project_id),
        transcript_form=transcript_form or TranscriptForm(formdata=None), form_for=form_for,
    ), status


@bp.post("/interviews/<interview_id>/review")
def review(interview_id):
    interview = readable_interview_or_abort(interview_id)
    if not may_review(interview, current_user):
        abort(403)
    if not is_reviewable(interview):
        flash(_("Dit interview is niet klaar. Je kunt het nog niet nakijken."), "info")
        return redirect(url_for("interview.answers", interview_id=interview.id), 303)
    form = ReviewForm()
    if not form.validate_on_submit():
        return render_answers(interview, review_form=form, status=422)
    try:
        set_review(interview, state=form.state.data, note=form.note.data, seen=int(form.seen.data), by=current_user)
    except Refused:
        db.session.rollback()
        # Another reviewer, or the interviewer's answer, came in after this page was opened.
        form.state.errors.append(_("Er is net iets veranderd bij dit interview. Kijk wat er nu staat en kies opnieuw."))
        form.seen.data = last_review_id(interview)
        return render_answers(interview, review_form=form, status=422)
    db.session.commit()
    flash(_("Opgeslagen: %(state)s.", state=REVIEW_STATE_LABELS[interview.review_state]), "success")
    return redirect(url_for("interview.answers", interview_id=interview.id), 303)


def _waiting_for_me_or_redirect(interview_id):
    """The interview, if the current user took it and it is "klopt iets niet"; a redirect to its
    answers when it is not (any more): staff may have approved it meanwhile."""
    interview = db.session.get(Interview, interview_id)
    if interview is None:
        abort(404)
    if not may_change_answers(interview):
        abort(403)
    if not waits_for_interviewer(interview):
        flash(_("Er is nu niets na te kijken. Je kunt niets meer veranderen."), "info")
        return redirect(url_for("interview.answers", interview_id=interview.id), 303)
    return interview


@bp.post("/interviews/<interview_id>/review/reply")
def review_reply(interview_id):
    interview = _waiting_for_me_or_redirect(interview_id)
    if not isinstance(interview, Interview):
        return interview
    form = ReviewReplyForm()
    if not form.validate_on_submit():
        return render_answers(interview, reply_form=form, status=422)
    reply_to_review(interview, text=form.reply.data, by=current_user)
    db.session.commit()
    flash(_("Je antwoord is opgeslagen. De begeleider ziet het."), "success")
    return redirect(url_for("interview.answers", interview_id=interview.id), 303)


@bp.route("/interviews/<interview_id>/answers/<int:question_id>/change", methods=["GET", "POST"])
def change(interview_id, question_id):
    """Correct one answer while the interview is "klopt iets niet", with the reason."""
    interview = _waiting_for_me_or_redirect(interview_id)
    if not isinstance(interview, Interview):
        return interview
    question = next((q for q in interview.version.questions if q.id == question_id and q.is_answered), None)
    if question is None:
        abort(404)
    row = answer_rows(interview, question).get(question.id)
    form = change_answer_form_class(question)(data=form_data_from_answer(row, question))
    if form.is_submitted():
        form.settle_both(row)
    if form.validate_on_submit():
        note = form.note.data if hasattr(form, "note") else None
        changed = change_answer(interview, question, given=answer_from_form(form), note=note,
                                reason=form.reason.data, by=current_user)
        db.session.commit()
        flash(_("Het antwoord is veranderd.") if changed else _("Het antwoord was al zo. Er is niets veranderd."),
              "success" if changed else "info")
        return redirect(url_for("interview.answers", interview_id=interview.id), 303)
    record("interview.read", user=current_user, project_id=interview.project_id, obj=interview)
    db.session.commit()
    return render_template("interview/change_answer.html", interview=interview, question=question, form=form,
                           row=row, special_labels=SPECIAL_LABELS, texts=texts), 422 if form.errors else 200
