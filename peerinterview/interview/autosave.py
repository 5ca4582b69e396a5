"""The htmx autosave of one answer in a real interview: most of the app's traffic, so it has its
own endpoint and a short path (see docs/architecture.md#the-autosave).

A change to an answer posts the question's form here (`hx-post`, target `#save-status`); the
reply is only the save status ("Opgeslagen"), or the form's messages (422). The path reads no
interview (what never changes about it is kept per process), no other question, no project and
no other answer; skip logic and progress wait for the next screen. Practice keeps its answers in
the session and saves on its own question URL (routes._ask); without JavaScript the answer goes
with "Volgende" or "Vorige" (the whole form, to the question screen).
"""
from flask import abort, current_app, flash, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..access import may_change_answers
from ..extensions import db
from ..models import Interview
from . import bp, texts
from .forms import SPECIAL_LABELS, answer_form_for, answer_from_form
from .services import answer_rows, clear_answer, frozen_question_at, interview_facts, save_answer


@bp.post("/interviews/<interview_id>/questions/<int:number>/answer", endpoint="autosave")
def save(interview_id, number):
    """Store the answer to question `number` if the interview is in progress; reply with the
    save status. The CSRF token was checked before the view (CSRFProtect, X-CSRFToken)."""
    _without_transaction()
    interview = interview_facts(interview_id)
    if interview is None:
        return _gone(None)
    if not may_change_answers(interview):
        abort(403)
    question = frozen_question_at(interview.version_id, number)  # an interview's version is frozen
    if question is None:
        abort(404)
    form = answer_form_for(question, interview.language, meta={"csrf": False})
    if form.has_both():  # rare with JavaScript, which clears the other part itself
        form.settle_both(answer_rows(interview, question).get(question.id))
    if not form.validate():
        return refused(form, question), 422
    given = answer_from_form(form)
    note = {"note": form.note.data} if hasattr(form, "note") else {}
    answered = any(given.values()) or bool(note.get("note"))
    if not question.is_answered:  # an information screen takes no answer
        return _save_status(saved=False)
    # One statement each, which checks the interview's status itself: without a transaction
    # around it, it commits at once (see _without_transaction).
    if answered:
        written = save_answer(interview, question, **given, **note, while_status=("in_progress",))
    else:
        # Emptied: clear a stored answer (and its note), but make no empty row for it.
        written = clear_answer(interview, question, note=bool(note), while_status=("in_progress",))
    if not written:
        return _not_written(interview, question)
    return _save_status(saved=answered)


@bp.app_template_global()
def autosave_attributes(url: str, trigger: str = "change") -> dict:
    """The htmx attributes of an answer field that saves itself (interview/question.html): on
    `trigger`, post the question's form to `url` and put the reply in the save status. The
    `action` tells a practice screen, which saves on its own URL, that this is an autosave."""
    return {"hx-post": url, "hx-trigger": trigger, "hx-target": "#save-status", "hx-swap": "innerHTML",
            "hx-vals": '{"action": "save"}', "hx-push-url": "false"}


def _without_transaction() -> None:
    """End the read transaction Flask-Login's user query began, and go on with the session's
    connection in autocommit mode: every statement of the autosave is then a transaction of its
    own, and the answer's write, one statement, takes the database's write lock only for that
    statement (SQLite locks the whole database for a write) on the connection the request holds
    already. See docs/decisions.md#autocommit-autosave."""
    session = db.session()
    if session.in_transaction():
        session.expire_on_commit = False  # the user stays loaded; this session ends with the request
        session.commit()  # reads only: nothing to write
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def _not_written(interview, question):
    """Nothing written: the interview is gone or no longer in progress (then its screens make way
    for the closing one, as on any other request), or nothing was there to clear, or a newer
    change of this answer is stored already (an offline tablet's clock ahead)."""
    status = db.session.scalar(select(Interview.status).where(Interview.id == interview.id))
    if status is None:
        return _gone(interview.project_id)
    if status != "in_progress":
        # htmx follows HX-Redirect whatever the status; a 303 would put the closing page
        # inside the save status.
        response = current_app.make_response((_save_status(saved=False), 409))
        response.headers["HX-Redirect"] = url_for("interview.done", interview_id=interview.id)
        return response
    stored = answer_rows(interview, question).get(question.id)
    if stored is not None:
        # Say what is true: the newer answer stays, and which one it is.
        return render_template("interview/_save_status.html", saved=False, failed=False, practice=False,
                               newer=True, answer=stored, question=question, lang=interview.language,
                               texts=texts, special_labels=SPECIAL_LABELS)
    return _save_status(saved=False)


def refused(form, question) -> str:
    """The save status of an answer the server refused, with each message at its field too."""
    return render_template("interview/_autosave_refused.html", form=form, question=question)


def _gone(project_id):
    """The interview was erased (security/erasure.py): nothing is stored any more. The whole
    page goes to the list of interviews (or the start page), with a message that says so."""
    flash(_("Dit interview is gewist. Wat u nu invult, bewaren we niet."), "info")
    target = url_for("interview.index", project_id=project_id) if project_id else url_for("projects.index")
    response = current_app.make_response(("", 410))
    response.headers["HX-Redirect"] = target
    return response


def _save_status(*, saved: bool) -> str:
    return render_template("interview/_save_status.html", saved=saved, failed=False, practice=False)
