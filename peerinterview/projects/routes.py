from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, select

from ..access import project_or_abort, staff_required
from ..extensions import db
from ..followup.news import news_for, next_date
from ..followup.services import due_evaluations, project_follow_up
from ..localize import local_today
from ..merge import fingerprint, merge
from ..process.pages import project_page_context, start_page_context
from ..refi_qda.codebook import CodebookError
from ..models import Interview, Location, Membership, Project
from ..models.interviews import was_completed
from ..panel.codebook_import import CODEBOOK_ERRORS, codebook_from_upload, has_upload
from ..panel.services import import_codebook
from ..security.review import waiting_count
from ..vocabulary import AGREEMENT_STATUS_LABELS, COUNT_RULE_LABELS, VERDICT_LABELS
from . import bp
from .checklist import project_checklist
from .forms import (
    DEFAULT_CONSENT_TEXT,
    ArchiveLocationForm,
    LocationEditForm,
    LocationForm,
    NewProjectForm,
    ProjectForm,
)
from .services import (add_location, create_project, location_exists, rename_location, set_location_archived,
                       update_project)

PROJECT_FIELDS = ("name", "research_question", "commissioner", "min_group_size", "review_open_answers",
                  "count_rule", "second_interviewer_may_review", "retention_date", "consent_text", "consent_text_en")


@bp.get("/")
def index():
    projects = db.session.scalars(
        select(Project).join(Membership).where(Membership.user_id == current_user.id).order_by(Project.name)
    ).all()
    # The panel is reminded to look back on its agreements together; staff see the same list.
    today = local_today()
    reminders = {project.id: due_evaluations(project.id, today) for project in projects
                 if {"staff", "panel"} & set(current_user.roles_in(project.id))}
    # The municipality's account starts with what it came for: each recommendation, its own
    # answer (or that it still has to give one) and the state of the agreements.
    to_answer = {project.id: project_follow_up(project.id) for project in projects
                 if "municipality" in current_user.roles_in(project.id)}
    return render_template("projects/index.html", projects=projects, news=news_for(current_user),
                           reminders=reminders, to_answer=to_answer, verdicts=VERDICT_LABELS,
                           statuses=AGREEMENT_STATUS_LABELS, **start_page_context(current_user))


@bp.route("/projects/new", methods=["GET", "POST"])
@staff_required
def new():
    form = NewProjectForm()
    if not form.is_submitted():
        form.consent_text.data = str(DEFAULT_CONSENT_TEXT)
    if form.validate_on_submit():
        codes = _codebook_or_error(form)
        if codes is not None:
            project = create_project(by=current_user, **{f: getattr(form, f).data for f in PROJECT_FIELDS})
            if codes:
                import_codebook(project, codes, by=current_user)
            db.session.commit()
            flash(_("Het onderzoek is gemaakt. Voeg nu locaties en mensen toe."), "success")
            return redirect(url_for("projects.show", project_id=project.id), 303)
    return render_template("projects/new.html", form=form), 422 if form.errors else 200


def _codebook_or_error(form):
    """The codes of the chosen codebook ([] when none was chosen); None with the field's error
    when the file cannot be used: the project is then not made either."""
    if not has_upload(form.codebook.data):
        return []
    try:
        return codebook_from_upload(form.codebook.data)
    except CodebookError as error:
        form.codebook.errors = [CODEBOOK_ERRORS[error.reason]]
        return None


@bp.get("/projects/<int:project_id>")
def show(project_id):
    project = project_or_abort(project_id, "staff", "designer", "interviewer", "panel")
    return _render_show(project, LocationForm())


def _render_show(project, location_form, status=200):
    # An interview that was finished counts as finished, also after the retention run erased it.
    shown_status = case((was_completed(), "completed"), else_=Interview.status)
    counts = dict(db.session.execute(
        select(shown_status, func.count()).where(Interview.project_id == project.id).group_by(shown_status)
    ).all())
    roles = current_user.roles_in(project.id)
    return render_template(
        "projects/show.html", project=project, counts=counts, count_rule_labels=COUNT_RULE_LABELS, roles=roles, location_form=location_form,
        waiting=waiting_count(project) if "staff" in roles else 0,
        checklist=project_checklist(project) if "staff" in roles else [], archive_form=ArchiveLocationForm(),
        next_agreement=next_date(project.id, local_today()) if roles & {"staff", "panel", "interviewer"} else None,
        **project_page_context(project, roles),
    ), status


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
def edit(project_id):
    project = project_or_abort(project_id, "staff")
    form = ProjectForm(obj=project)
    if not form.is_submitted():
        form.consent_text_en.data = project.consent_text_in("en")
        form.seen.data = fingerprint(_project_values(project), PROJECT_FIELDS)
    others = {}
    if form.validate_on_submit():
        others = _merge_with_stored(project, form)
        if not others:
            update_project(project, by=current_user, **{f: getattr(form, f).data for f in PROJECT_FIELDS})
            db.session.commit()
            flash(_("De gegevens zijn opgeslagen."), "success")
            return redirect(url_for("projects.show", project_id=project.id), 303)
    status = 409 if others else 422 if form.errors else 200
    return render_template("projects/edit.html", project=project, form=form, others=others), status


def _project_values(project) -> dict:
    """The settings as the edit form shows them, by field name."""
    stored = ProjectForm(formdata=None, obj=project)
    stored.consent_text_en.data = project.consent_text_in("en")
    return {name: stored[name].data for name in PROJECT_FIELDS}


def _merge_with_stored(project, form) -> dict:
    """Another staff member may have saved since this page opened: a field changed only there
    takes what is stored now; a field changed here and there stays as typed here, with the
    stored value beside it ({name: stored value}); nothing is saved then."""
    stored = _project_values(project)
    merged = merge(form.seen.data, PROJECT_FIELDS, {name: form[name].data for name in PROJECT_FIELDS}, stored)
    if merged is None:
        return {}
    take_theirs, conflicts = merged
    for name in take_theirs:
        form[name].data = stored[name]
    if conflicts:
        form.seen.data = fingerprint(stored, PROJECT_FIELDS)  # saving again is a choice made here
        for name in conflicts:
            form[name].errors = [_("Iemand anders heeft dit net ook veranderd. Uw tekst is nog niet "
                                   "opgeslagen: die staat hier. Wat er nu staat, ziet u bovenaan.")]
    return {name: stored[name] for name in conflicts}


@bp.post("/projects/<int:project_id>/locations")
def add_location_view(project_id):
    project = project_or_abort(project_id, "staff")
    form = LocationForm()
    if form.validate_on_submit():
        if location_exists(project, form.name.data):
            form.name.errors.append(_("Deze locatie bestaat al in dit onderzoek."))
        else:
            add_location(project, form.name.data, by=current_user)
            db.session.commit()
            flash(_("Locatie %(name)s is toegevoegd.", name=form.name.data.strip()), "success")
            return redirect(url_for("projects.show", project_id=project.id, _anchor="locaties"), 303)
    return _render_show(project, form, 422)


def _location_or_404(project, location_id) -> Location:
    location = db.session.get(Location, location_id)
    if location is None or location.project_id != project.id:
        abort(404)
    return location


@bp.route("/projects/<int:project_id>/locations/<int:location_id>", methods=["GET", "POST"])
def edit_location(project_id, location_id):
    """A new name for a location; interviews held there show the new name too."""
    project = project_or_abort(project_id, "staff")
    location = _location_or_404(project, location_id)
    form = LocationEditForm(obj=location)
    if form.validate_on_submit():
        if location_exists(project, form.name.data, other_than=location):
            form.name.errors.append(_("Deze locatie bestaat al in dit onderzoek."))
        else:
            rename_location(location, form.name.data, by=current_user)
            db.session.commit()
            flash(_("De locatie heet nu %(name)s.", name=location.name), "success")
            return redirect(url_for("projects.show", project_id=project.id, _anchor="locaties"), 303)
    used = db.session.scalar(select(func.count()).select_from(Interview).where(Interview.location_id == location.id))
    return render_template("projects/edit_location.html", project=project, location=location, form=form,
                           used=used, button_form=ArchiveLocationForm()), 422 if form.errors else 200


@bp.post("/projects/<int:project_id>/locations/<int:location_id>/archive")
def archive_location(project_id, location_id):
    """Archive (or bring back) a location. Nothing is deleted, so it needs no question first:
    the same list offers to bring it back."""
    project = project_or_abort(project_id, "staff")
    location = _location_or_404(project, location_id)
    form = ArchiveLocationForm()
    if form.validate_on_submit() and form.archived.data in ("ja", "nee"):
        archived = form.archived.data == "ja"
        set_location_archived(location, archived, by=current_user)
        db.session.commit()
        if archived:
            flash(_("Locatie %(name)s is gearchiveerd. Nieuwe interviews kunnen deze locatie niet meer kiezen. "
                    "Oude interviews houden hem.", name=location.name), "success")
        else:
            flash(_("Locatie %(name)s is terug. Nieuwe interviews kunnen hem weer kiezen.", name=location.name),
                  "success")
    return redirect(url_for("projects.show", project_id=project.id, _anchor="locaties"), 303)
