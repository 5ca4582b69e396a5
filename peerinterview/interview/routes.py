import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..access import interview_or_abort, project_or_abort
from ..audit import record
from ..design.builder.services import questionnaire_of
from ..extensions import db, htmx
from ..localize import speaking, speaks
from ..models import Interview, Location, Membership, Question, User
from .codes import code_for_start, offer_code, offer_is_valid
from .flow import PracticeFlow, RealFlow
from ..vocabulary import DEBRIEF_MOOD_LABELS, LANGUAGE_NAMES, REVIEW_STATE_LABELS, SPECIAL_LABELS
from . import autosave, bp, review_routes, texts
from .locale import practice_screen_language
from .review import interviews_to_review, not_counted, review_counts, staff_interviews
from .forms import (STOP_REASON_LABELS, CloseLeftOpenForm, TranscriptForm,
                    ConfirmFinishForm, DebriefForm, FollowUpDoneForm, FollowUpForm, StartInterviewForm, StopForm,
                    WithdrawForm, answer_form_for, answer_from_form, form_data_from_answer)
from .services import (TAKES_ANSWERS, TAKES_DEBRIEF, asks_recording, find_by_respondent_code,
                       first_unanswered, follow_ups, is_answered, left_open,
                       missing_required, new_respondent_code, reopen_follow_up, resolve_follow_up, save_answer, save_debrief, set_follow_up, start_interview, stop_interview, visible_questions,
                       withdraw_interview)
from .spoken import finished_recording
from .sync import blank_offline_copy, is_offline_copy_request


def _is_fragment_request() -> bool:
    # Boosted links and forms send HX-Request too; they want the whole page
    # (docs/decisions.md#boosted-requests-get-whole-pages).
    return bool(htmx) and not htmx.boosted


def _is_autosave() -> bool:
    return request.method == "POST" and request.form.get("action") == "save" and _is_fragment_request()


# --- the project's interviews ----------------------------------------------------------------

@bp.get("/projects/<int:project_id>/interviews")
def index(project_id):
    project = project_or_abort(project_id, "interviewer", "staff")
    return _render_index(project)


# The review filter of the staff list, in the address bar in Dutch: ?nakijken=goedgekeurd
REVIEW_FILTERS = {"nog-niet": "none", "goedgekeurd": "approved", "klopt-iets-niet": "issue",
                  "niet-meetellen": "excluded"}


def _staff_list(project) -> dict:
    """The staff's list of interviews: filtered by review state, counted per state, in pages."""
    param = request.args.get("nakijken") or None
    if param is not None and param not in REVIEW_FILTERS:
        abort(404)
    state = REVIEW_FILTERS.get(param)
    interviews, page, pages = staff_interviews(project, state=state, page=request.args.get("page", 1, type=int))
    open_follow_ups, done_follow_ups = follow_ups(project.id)
    return dict(open_follow_ups=open_follow_ups, done_follow_ups=done_follow_ups,
                left_open=left_open(project.id), follow_up_form=FollowUpDoneForm(), new_close_form=CloseLeftOpenForm,
                not_counted=not_counted(project), interviews=interviews, page=page, pages=pages,
                review_filter=param, review_filters=REVIEW_FILTERS, review_counts=review_counts(project),
                all_count=db.session.scalar(select(func.count()).select_from(Interview)
                                            .where(Interview.project_id == project.id)))


def _render_index(project, withdraw_form=None, status=200, close_form=None):
    roles = current_user.roles_in(project.id)
    if "staff" in roles:
        lists = _staff_list(project)
        lists["close_form"] = close_form
    else:
        lists = {"interviews": db.session.scalars(
            select(Interview).where(Interview.project_id == project.id, Interview.interviewer_id == current_user.id)
            .order_by(Interview.started_at.desc())).all()}
    interviews = lists["interviews"]
    resume_urls = {
        interview.id: _resume_url(interview) for interview in interviews
        if interview.status == "in_progress" and interview.interviewer_id == current_user.id
    }
    return render_template(
        "interview/index.html", project=project, roles=roles,
        review_labels=REVIEW_STATE_LABELS, to_review=interviews_to_review(project, current_user, roles),
        version=questionnaire_of(project).latest_frozen, resume_urls=resume_urls,
        withdraw_form=withdraw_form or WithdrawForm(), mood_labels=DEBRIEF_MOOD_LABELS,
        stop_labels=dict(STOP_REASON_LABELS), **lists,
    ), status


def _resume_url(interview) -> str:
    """The first unanswered question that is shown, or the overview if all are answered."""
    flow = RealFlow(interview)
    question = first_unanswered(flow.version, flow.rows())
    return flow.question_url(question.position) if question else flow.overview_url()


# --- starting: consent first -----------------------------------------------------------------

def _start_form(project) -> StartInterviewForm:
    form = StartInterviewForm()
    form.location_id.choices = [(loc.id, loc.name) for loc in project.open_locations]
    others = db.session.scalars(
        select(User).join(Membership).where(
            Membership.project_id == project.id, Membership.is_interviewer.is_(True),
            User.id != current_user.id, User.disabled.is_(False),
        ).order_by(User.display_name)
    ).all()
    form.second_interviewer_id.choices = [(0, _("Geen tweede interviewer"))] + [(u.id, u.display_name) for u in others]
    if not form.is_submitted():
        # Made before the first save, so a repeated start (double tap) creates one interview.
        form.interview_id.data = str(uuid.uuid4())
        form.language.data = str(get_locale())
    return form


def _render_start(project, form, *, practice: bool):
    """The start page, with the code the start will use: a new one, or (after an invalid form)
    the one it showed before, unless that was not offered by us (then it is never shown)."""
    if not offer_is_valid(project.id, form.respondent_code.data, form.respondent_code_seal.data):
        form.respondent_code.data, form.respondent_code_seal.data = offer_code(project.id)
    # Before the interview starts, the start page says which texts each language still misses.
    version = questionnaire_of(project).latest_frozen
    missing = {code: texts.untranslated_texts(project, version, code)
               for code, _name in form.language.choices if code != texts.SOURCE_LANGUAGE}
    return render_template("interview/start.html", project=project, form=form, practice=practice,
                           missing=missing, asks_recording=version is not None and asks_recording(version.id), chosen_language=form.language.data or "nl",
                           language_names=LANGUAGE_NAMES), \
        422 if form.errors else 200


def _ready_version_or_none(project):
    version = questionnaire_of(project).latest_frozen
    return version if version is not None and project.open_locations else None


def _start_screen(project_id, begin, *, practice: bool):
    """The start page of a real or a practice interview, consent first. Once the form is valid,
    `begin(project, version, form)` starts it and answers with (or redirects to) its first screen."""
    project = project_or_abort(project_id, "interviewer")
    version = _ready_version_or_none(project)
    # After the retention run nothing is stored, so no real interview starts; practice stores nothing.
    if version is None or (not practice and project.erased_at is not None):
        return _not_ready(project)
    form = _start_form(project)
    if form.validate_on_submit():
        return begin(project, version, form)
    return _render_start(project, form, practice=practice)


@bp.route("/projects/<int:project_id>/interviews/new", methods=["GET", "POST"])
def start(project_id):
    return _start_screen(project_id, _begin_interview, practice=False)


def _begin_interview(project, version, form):
    # The form only offers this project's locations and interviewers.
    location = db.session.get(Location, form.location_id.data)
    second = db.session.get(User, form.second_interviewer_id.data) if form.second_interviewer_id.data else None
    existing = db.session.get(Interview, form.interview_id.data)
    if existing is not None and existing.interviewer_id != current_user.id:
        abort(403)
    if existing is None:
        interview = _start_with_a_free_code(project, form, version=version, location=location, second=second)
    else:  # the same start sent again (double tap, or a resend after a lost reply)
        interview = existing
    return _first_screen(interview)


def _first_screen(interview):
    """The reply to a start: the interview's first question.

    Without JavaScript, 303 to it (Post/Redirect/Get). A boosted start (htmx, the tablet's
    usual way) gets the question page itself, which saves a slow tablet the round trip of the
    redirect (bench/README.md#a-slow-tablet-on-bad-wifi), with the question's own address for
    the history (`HX-Push-Url`): a reload or "back" then asks for that address with GET and
    never sends the start again. The page is the same one the GET shows, in the interview's
    language. Only for an interview in progress: any other (a start sent again after the
    interview was stopped) goes the usual way, where the question's GET decides."""
    url = url_for("interview.question", interview_id=interview.id, number=1)
    if not htmx.boosted or interview.status != "in_progress":
        return redirect(url, 303)
    flow = RealFlow(interview)
    rows = flow.rows()
    visible = visible_questions(flow.version, rows)
    if not visible:
        return redirect(url, 303)
    question = visible[0]  # the first one shown (the GET of number 1 redirects to it)
    row = rows.get(question.id)
    # formdata=None: the request's body is the start form, not an answer.
    form = answer_form_for(question, flow.language, formdata=None, data=form_data_from_answer(row, question))
    context = _question_context(flow, question, question.position, visible)
    context["back_to_overview"] = False
    with speaking(flow.language):
        body, status = _render_question(form, context, saved=is_answered(row))
    return body, status, {"HX-Push-Url": flow.question_url(question.position)}


def _start_with_a_free_code(project, form, *, version, location, second):
    """Start the interview with the code the start page showed, or with a new one if that code is
    not ours or is taken (then the interviewer is told the new code)."""
    for _attempt in range(5):
        code, replaced = code_for_start(project.id, form.respondent_code.data, form.respondent_code_seal.data)
        try:
            interview = start_interview(
                interview_id=form.interview_id.data, project=project, version=version, location=location,
                interviewer=current_user, respondent_code=code, language=form.language.data,
                second_interviewer=second, consent_method=form.consent_method.data,
                recording_consent=bool(form.consent_recording.data) and asks_recording(version.id),
            )
            db.session.commit()
        except IntegrityError:
            # Another start took the same code at the same moment (the unique index said so).
            db.session.rollback()
            form.respondent_code_seal.data = None
            continue
        if replaced and interview.respondent_code == code:
            flash(_("Dit interview heeft een andere code gekregen: %(code)s. Geef de persoon deze code.",
                    code=code), "info")
        return interview
    raise RuntimeError("no free respondent code after five tries")


def _not_ready(project):
    version = questionnaire_of(project).latest_frozen
    return render_template("interview/not_ready.html", project=project, version=version), 409


# --- asking, one question per screen (real and practice) -------------------------------------

def _ask(flow, number):
    questions = flow.version.questions
    if not 1 <= number <= len(questions):
        abort(404)
    question = questions[number - 1]
    if request.method == "GET" and is_offline_copy_request():
        return _blank_question(flow, question, number)
    # The htmx autosave of a practice screen answers with the save status only: it needs no
    # skip logic and no progress, and only this question's row (less work per save).
    saving = _is_autosave()
    rows = flow.rows(question) if saving else flow.rows()
    visible = [question] if saving else visible_questions(flow.version, rows)
    if question not in visible and request.method == "GET":
        # Skipped by an earlier answer (an old link, or the browser's back button).
        return redirect(_next_url(flow, visible, question.position), 303)
    row = rows.get(question.id)
    form = answer_form_for(question, flow.language, data=form_data_from_answer(row, question))
    context = _question_context(flow, question, number, visible)
    back_to_overview = request.args.get("overview") == "1" or form.overview.data == "1"
    context["back_to_overview"] = back_to_overview

    if not form.is_submitted():
        return _render_question(form, context, saved=is_answered(row) and not flow.practice)
    action = form.action.data or "next"
    form.settle_both(row)
    if not form.validate():
        return _render_question(form, context, status=422, action=action)
    given = answer_from_form(form)
    answered = any(given.values())
    if action == "next" and question.required and question.is_answered and not answered:
        field, message = _required_message(form, question)
        field.errors.append(message)
        return _render_question(form, context, status=422, action=action)
    note = {"note": form.note.data} if hasattr(form, "note") else {}
    if question.is_answered and (answered or row is not None or note.get("note")):
        flow.save(question, given, **note)
    if action == "save":
        if _is_fragment_request():
            return render_block("interview/question.html", "save_status", saved=answered or bool(note.get("note")),
                                failed=False, **context)
        return redirect(flow.question_url(number), 303)
    return _move_on(flow, question, action, shown_before=visible, back_to_overview=back_to_overview)


def _move_on(flow, question, action, *, shown_before, back_to_overview):
    """Where "Volgende" or "Vorige" goes after the answer is stored. The answer just given may
    show or hide later questions: walk the list as it is now."""
    rows = flow.rows()
    visible = visible_questions(flow.version, rows)
    back = "?overview=1" if back_to_overview else ""
    if action == "previous":
        earlier = [q for q in visible if q.position < question.position]
        return redirect(flow.question_url(earlier[-1].position if earlier else question.position) + back, 303)
    if back_to_overview:
        # A change made from the overview goes back to it; first to a question the change
        # brought in (skip logic) that has no answer yet.
        brought_in = [q for q in visible if q not in shown_before and q.is_answered
                      and q.position > question.position and not is_answered(rows.get(q.id))]
        if brought_in:
            return redirect(flow.question_url(brought_in[0].position) + back, 303)
        return redirect(flow.overview_url(), 303)
    return redirect(_next_url(flow, visible, question.position), 303)


def _required_message(form, question):
    """The field to mark and the B1 message when a required question got no answer."""
    specials = bool(form.special.choices) if hasattr(form, "special") else False
    if question.kind == "multi":
        return form.answer, (_("Vink een of meer antwoorden aan. Of kies een knop hieronder.") if specials
                             else _("Vink een of meer antwoorden aan."))
    if question.has_choices:
        return form.answer, _("Kies een antwoord.")
    if question.kind == "number":
        return form.number, (_("Typ een getal. Of kies een knop hieronder.") if specials else _("Typ een getal."))
    return form.text, (_("Typ het antwoord. Of kies 'Weet ik niet' of 'Wil ik niet zeggen'.") if specials
                       else _("Typ het antwoord."))


def _next_url(flow, visible, position) -> str:
    later = next((q for q in visible if q.position > position), None)
    return flow.question_url(later.position) if later else flow.overview_url()


def _blank_question(flow, question, number):
    """The service worker's copy of a question screen, kept for offline use
    (docs/architecture.md#the-service-worker): the screen as it is before any answer, because
    Cache Storage is not encrypted. Nothing of the stored answer is in it: an empty form, no save
    status, no flash message. Every question counts as shown, also one that skip logic hides
    now: offline, the tablet cannot ask which questions to skip and goes on by number."""
    context = _question_context(flow, question, number, flow.version.questions)
    form = answer_form_for(question, flow.language)
    return blank_offline_copy(render_template(
        "interview/question.html", form=form, saved=False, failed=False, back_to_overview=False,
        offline_copy=True, **context))


def _question_context(flow, question, number, visible) -> dict:
    """What a question screen shows besides its form: the question, its words, the progress."""
    context = dict(flow=flow, practice=flow.practice, interview=getattr(flow, "interview", None),
                   question=question, number=number, project=flow.project, special_labels=SPECIAL_LABELS,
                   texts=texts, lang=flow.language, section_start=_section_start(flow.version, question),
                   choice_words={c.value: texts.choice_label(c, texts.question_language(question, flow.language))
                                 for c in question.choices})
    _add_progress(context, visible, question)
    return context


def _add_progress(context, visible, question):
    # One numbering everywhere (Question.number): a question keeps its number whatever skip
    # logic shows; an information screen is no question and gets none.
    answerable = [q for q in question.version.questions if q.is_answered]
    done_before = sum(1 for q in answerable if q.position < question.position)
    context.update(
        shown_number=question.number, total=len(answerable), progress_value=done_before,
        has_previous=any(q.position < question.position for q in visible),
        has_next=any(q.position > question.position for q in visible),
    )


def _render_question(form, context, *, status=200, action=None, saved=False):
    if action == "save" and _is_fragment_request():
        return autosave.refused(form, context["question"]), status
    return render_template("interview/question.html", form=form, saved=saved, failed=False, **context), status


def _overview_context(flow, visible, answers) -> dict:
    return dict(flow=flow, interview=getattr(flow, "interview", None), project=flow.project,
                questions=[q for q in visible if q.is_answered], sections=_sections(visible),
                answers=answers, special_labels=SPECIAL_LABELS, texts=texts, lang=flow.language)


def _section_start(version, question):
    """The question that starts the section `question` is in (itself, maybe), or None."""
    return next((q for q in reversed(version.questions[:question.position]) if q.section_title), None)


def _sections(visible) -> list[tuple]:
    """The shown questions that take an answer, grouped under their section: [(the question
    that starts the section or None, [questions])]. A section may start with an information screen."""
    groups: list[tuple] = []
    for question in visible:
        if question.section_title or not groups:
            groups.append((question if question.section_title else None, []))
        if question.is_answered:
            groups[-1][1].append(question)
    return [(start, questions) for start, questions in groups if questions]


@bp.route("/interviews/<interview_id>/questions/<int:number>", methods=["GET", "POST"])
def question(interview_id, number):
    if _is_autosave():
        # A page rendered before the autosave had its own URL (open on a tablet during an
        # update) still sends its autosaves here: they get the same answer as there.
        return autosave.save(interview_id, number)
    interview = interview_or_abort(interview_id)
    if interview.status != "in_progress":
        return redirect(url_for("interview.done", interview_id=interview.id), 303)
    return _ask(RealFlow(interview), number)


@bp.route("/interviews/<interview_id>/overview", methods=["GET", "POST"])
def overview(interview_id):
    interview = interview_or_abort(interview_id)
    if interview.status != "in_progress":
        return redirect(url_for("interview.done", interview_id=interview.id), 303)
    return _overview(RealFlow(interview))


def _overview(flow):
    """The answers so far, and finishing (real and practice): finishing waits until every
    required question that is shown has an answer."""
    if request.method == "GET" and is_offline_copy_request():
        return _blank_overview(flow)
    form = ConfirmFinishForm()
    rows = flow.rows()
    context = _overview_context(flow, visible_questions(flow.version, rows),
                                {qid: row for qid, row in rows.items() if is_answered(row) or row.note})
    missing = []
    if form.validate_on_submit():
        missing = missing_required(flow.version, rows)
        if not missing:
            flow.finish(by=current_user)
            return redirect(flow.done_url(), 303)
    return render_template("interview/overview.html", form=form, missing=missing, **context), \
        422 if missing else 200


def _blank_overview(flow):
    """The service worker's copy of the overview (see _blank_question): every question that takes
    an answer, each with an empty answer cell that the offline code marks when an answer waits on the
    tablet."""
    context = _overview_context(flow, flow.version.questions, {})
    return blank_offline_copy(render_template("interview/overview.html", form=ConfirmFinishForm(), missing=[],
                                              offline_copy=True, **context))


# --- after the interview: thank you, and the interviewer's debrief ----------------------------

def _debrief_form(interview) -> DebriefForm:
    if request.method == "POST":
        return DebriefForm()
    return DebriefForm(data={"mood": interview.debrief_mood, "text": interview.debrief_text,
                             "follow_up_needed": interview.follow_up_needed})


@bp.get("/interviews/<interview_id>/done")
def done(interview_id):
    interview = interview_or_abort(interview_id)
    return render_template("interview/done.html", interview=interview, project=interview.project,
                           form=_debrief_form(interview), practice=False)


@bp.post("/interviews/<interview_id>/follow-up")
def follow_up(interview_id):
    """The aftercare flag, saved as it is ticked: a safety signal is never left unsaved on the page."""
    interview = interview_or_abort(interview_id)
    form = FollowUpForm()
    if not form.validate_on_submit():
        abort(400)
    needed = bool(form.follow_up_needed.data)
    saved = set_follow_up(interview, needed=needed, by=current_user)
    db.session.commit()
    if _is_fragment_request():
        # The status says whether it was saved (not for an interview that is not finished or stopped).
        return render_template("interview/_follow_up_status.html", saved=saved, needed=needed)
    if saved:
        flash(_("Opgeslagen: er is nazorg nodig. De begeleider ziet dit.") if needed
              else _("Opgeslagen: er is geen nazorg nodig."), "success")
    return redirect(url_for("interview.done", interview_id=interview.id), 303)


@bp.get("/interviews/<interview_id>/answers")
def answers(interview_id):
    """One interview's raw answers, read-only: for the interviewer who took it, the project's
    staff and a reviewer (docs/architecture.md#roles-and-what-each-can-see), with its review.
    Every reading is logged, never the content."""
    interview = review_routes.readable_interview_or_abort(interview_id)
    record("interview.read", user=current_user, project_id=interview.project_id, obj=interview)
    db.session.commit()
    return review_routes.render_answers(interview)


@bp.post("/interviews/<interview_id>/debrief")
def debrief(interview_id):
    interview = interview_or_abort(interview_id)
    if interview.status not in TAKES_DEBRIEF:
        return redirect(url_for("interview.done", interview_id=interview.id), 303)
    form = _debrief_form(interview)
    if not form.validate_on_submit():
        return render_template("interview/done.html", interview=interview, project=interview.project,
                               form=form, practice=False), 422
    then = form.then.data
    filled_in = bool(form.mood.data or (form.text.data or "").strip()
                     or bool(form.follow_up_needed.data) != bool(interview.follow_up_needed))
    saved = False
    if not then or filled_in:
        saved = save_debrief(interview, mood=form.mood.data or None, text=form.text.data,
                             follow_up_needed=form.follow_up_needed.data, by=current_user)
        db.session.commit()
    if saved:  # else withdrawn or erased a moment ago: the page says so
        flash(_("Dank u wel. Uw terugblik is opgeslagen."), "success")
    if then == "new":
        return redirect(url_for("interview.start", project_id=interview.project_id), 303)
    if then == "list":
        return redirect(url_for("interview.index", project_id=interview.project_id), 303)
    # Back to the thank-you page: it, and this message, are in the interview's language.
    return redirect(url_for("interview.done", interview_id=interview.id), 303)


# --- stopping early ---------------------------------------------------------------------------

@bp.route("/interviews/<interview_id>/stop", methods=["GET", "POST"])
def stop(interview_id):
    """"Stoppen mag altijd": stop with an optional reason; the person decides whether the
    answers so far are kept or erased."""
    interview = interview_or_abort(interview_id)
    if interview.status != "in_progress":
        return redirect(url_for("interview.done", interview_id=interview.id), 303)
    form = StopForm()
    if form.validate_on_submit():
        keep = form.keep_answers.data == "keep"
        stop_interview(interview, by=current_user, reason=form.reason.data or None, keep_answers=keep)
        db.session.commit()
        return redirect(url_for("interview.done", interview_id=interview.id), 303)
    # The question the stop was opened from ("Terug naar het interview"), also after an error.
    back = request.args.get("back", type=int)
    if not (back and 1 <= back <= len(interview.version.questions)):
        back = None
    back_url = (url_for("interview.question", interview_id=interview.id, number=back) if back
                else url_for("interview.overview", interview_id=interview.id))
    return render_template("interview/stop.html", interview=interview, project=interview.project, form=form,
                           back_url=back_url, action=url_for("interview.stop", interview_id=interview.id, back=back)), \
        422 if form.errors else 200


# --- aftercare and interviews left open (staff) -----------------------------------------------

def _staff_interview(project, interview_id):
    interview = db.session.get(Interview, interview_id or "")
    if interview is None or interview.project_id != project.id:
        abort(404)
    return interview


@bp.post("/projects/<int:project_id>/interviews/follow-up")
def follow_up_done(project_id):
    project = project_or_abort(project_id, "staff")
    form = FollowUpDoneForm()
    if not form.validate_on_submit():
        abort(400)
    interview = _staff_interview(project, form.interview_id.data)
    if form.action.data == "reopen":
        changed = reopen_follow_up(interview, by=current_user)
        message = _("De nazorg voor %(code)s staat weer open.", code=interview.respondent_code)
    else:
        changed = resolve_follow_up(interview, by=current_user)
        message = _("De nazorg voor %(code)s is afgehandeld.", code=interview.respondent_code)
    db.session.commit()
    if changed:
        flash(message, "success")
    return redirect(url_for("interview.index", project_id=project.id) + "#nazorg", 303)


@bp.post("/projects/<int:project_id>/interviews/close")
def close_left_open(project_id):
    project = project_or_abort(project_id, "staff")
    form = CloseLeftOpenForm()
    if not form.validate_on_submit():
        return _render_index(project, status=422, close_form=form)
    interview = _staff_interview(project, form.interview_id.data)
    if interview.id not in {i.id for i, _at in left_open(project.id)}:
        # Only an interview left open: one in use now is the interviewer's to stop.
        flash(_("Dit interview is nog in gebruik of al gesloten."), "info")
        return redirect(url_for("interview.index", project_id=project.id), 303)
    keep = form.keep_answers.data == "keep"
    stop_interview(interview, by=current_user, reason="left_open", keep_answers=keep)
    db.session.commit()
    flash(_("Het interview met code %(code)s is gesloten.", code=interview.respondent_code), "success")
    return redirect(url_for("interview.index", project_id=project.id), 303)


# --- withdrawal at the respondent's request (staff) ------------------------------------------

@bp.post("/projects/<int:project_id>/interviews/withdraw")
def withdraw(project_id):
    project = project_or_abort(project_id, "staff")
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_index(project, form, 422)
    interview = find_by_respondent_code(project, form.respondent_code.data)
    if interview is None:
        form.respondent_code.errors.append(_("Er is geen interview met deze code. Controleer de code."))
        return _render_index(project, form, 422)
    if interview.status == "withdrawn":
        form.respondent_code.errors.append(_("Dit interview is al ingetrokken."))
        return _render_index(project, form, 422)
    if form.confirm.data != "yes":
        # Step 2: say what will happen, and ask once more.
        form.respondent_code.data = interview.respondent_code
        return render_template("interview/withdraw_confirm.html", project=project, interview=interview, form=form)
    withdraw_interview(interview, by=current_user)
    db.session.commit()
    flash(_("Het interview met code %(code)s is ingetrokken. De antwoorden zijn gewist.",
            code=interview.respondent_code), "success")
    return redirect(url_for("interview.index", project_id=project.id), 303)


# --- practice: the same screens, nothing stored -----------------------------------------------

@bp.route("/projects/<int:project_id>/practice", methods=["GET", "POST"])
def practice_start(project_id):
    return _start_screen(project_id, _begin_practice, practice=True)


def _begin_practice(project, version, form):
    # Practice stores nothing: the code is only shown on its screens; one we did not offer is
    # not shown.
    code = form.respondent_code.data
    if not offer_is_valid(project.id, code, form.respondent_code_seal.data):
        code = new_respondent_code(project.id)
    return redirect(PracticeFlow.start(project, version, code=code, language=form.language.data).question_url(1), 303)


@bp.route("/projects/<int:project_id>/practice/questions/<int:number>", methods=["GET", "POST"])
@speaks(practice_screen_language)
def practice_question(project_id, number):
    project = project_or_abort(project_id, *PRACTICE_ROLES)
    flow = PracticeFlow.current(project)
    if flow is None:
        return redirect(_practice_home(project), 303)
    return _ask(flow, number)


@bp.route("/projects/<int:project_id>/practice/overview", methods=["GET", "POST"])
@speaks(practice_screen_language)
def practice_overview(project_id):
    project = project_or_abort(project_id, *PRACTICE_ROLES)
    flow = PracticeFlow.current(project)
    if flow is None:
        return redirect(_practice_home(project), 303)
    return _overview(flow)


@bp.get("/projects/<int:project_id>/practice/done")
@speaks(practice_screen_language)
def practice_done(project_id):
    project = project_or_abort(project_id, *PRACTICE_ROLES)
    return render_template("interview/done.html", interview=None, project=project, form=None, practice=True,
                           practice_by_interviewer="interviewer" in current_user.roles_in(project.id))


# Interviewers practise the frozen list; designers and staff run the draft as a "Proefinterview"
# from the builder (design.practice_draft) on the same screens.
PRACTICE_ROLES = ("interviewer", "designer", "staff")


def _practice_home(project) -> str:
    if "interviewer" in current_user.roles_in(project.id):
        return url_for("interview.practice_start", project_id=project.id)
    return url_for("design.questionnaire", project_id=project.id)


@bp.post("/interviews/<interview_id>/recordings/<int:recording_id>/transcript")
def transcript(interview_id, recording_id):
    """Project staff type what the person said. The text becomes the question's open answer as
    given when it was recorded (a text typed later on the tablet stays), waiting for the staff
    check like any open answer (open_answer_gate.py)."""
    interview = interview_or_abort(interview_id, for_change=False)
    if "staff" not in current_user.roles_in(interview.project_id):
        abort(403)
    recording = finished_recording(interview, recording_id)
    form = TranscriptForm()
    if not form.validate_on_submit():
        return review_routes.render_answers(interview, transcript_form=form, form_for=recording.id, status=422)
    question = db.session.get(Question, recording.question_id)
    # A recording that reached the server after the finish (the tablet was offline) counts as
    # given at the finish: the answer was spoken during the interview.
    given_at = min(recording.created_at, interview.completed_at or recording.created_at)
    stored = save_answer(interview, question, text=form.text.data.strip(), changed_at=given_at,
                         while_status=TAKES_ANSWERS)
    record("interview.transcript", user=current_user, project_id=interview.project_id, obj=interview,
           question_id=question.id, stored=stored)
    db.session.commit()
    if not stored:
        # The typed transcript stays in its box (a redirect would drop it): 409, with the reason.
        form.text.errors = [_("Niet opgeslagen. Er staat al een nieuwer antwoord, of het interview neemt geen "
                              "antwoorden meer aan. Uw tekst staat nog in het vak.")]
        return review_routes.render_answers(interview, transcript_form=form, form_for=recording.id, status=409)
    flash(_("De uitgetypte tekst is opgeslagen. Een begeleider controleert hem voor het panel hem leest."), "success")
    return redirect(url_for("interview.answers", interview_id=interview.id), 303)
