from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, select

from ..access import project_or_abort, staff_required, visible_accounts
from ..accounts.services import set_membership
from ..extensions import db
from ..models import Interview, Membership, Project, User
from ..models.interviews import was_completed
from ..security.review import waiting_count
from . import bp
from .forms import DEFAULT_CONSENT_TEXT, LocationForm, MemberForm, ProjectForm
from .services import add_location, create_project, location_exists, update_project

PROJECT_FIELDS = ("name", "research_question", "commissioner", "min_group_size", "review_open_answers",
                  "retention_date", "consent_text", "consent_text_en")


@bp.get("/")
def index():
    projects = db.session.scalars(
        select(Project).join(Membership).where(Membership.user_id == current_user.id).order_by(Project.name)
    ).all()
    return render_template("projects/index.html", projects=projects)


@bp.route("/projects/new", methods=["GET", "POST"])
@staff_required
def new():
    form = ProjectForm()
    if not form.is_submitted():
        form.consent_text.data = str(DEFAULT_CONSENT_TEXT)
    if form.validate_on_submit():
        project = create_project(by=current_user, **{f: getattr(form, f).data for f in PROJECT_FIELDS})
        db.session.commit()
        flash(_("Het onderzoek is gemaakt. Voeg nu locaties en mensen toe."), "success")
        return redirect(url_for("projects.show", project_id=project.id), 303)
    return render_template("projects/new.html", form=form), 422 if form.errors else 200


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
        "projects/show.html", project=project, counts=counts, roles=roles, location_form=location_form,
        waiting=waiting_count(project) if "staff" in roles else 0,
    ), status


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
def edit(project_id):
    project = project_or_abort(project_id, "staff")
    form = ProjectForm(obj=project)
    if not form.is_submitted():
        form.consent_text_en.data = project.consent_text_in("en")
    if form.validate_on_submit():
        update_project(project, by=current_user, **{f: getattr(form, f).data for f in PROJECT_FIELDS})
        db.session.commit()
        flash(_("De gegevens zijn opgeslagen."), "success")
        return redirect(url_for("projects.show", project_id=project.id), 303)
    return render_template("projects/edit.html", project=project, form=form), 422 if form.errors else 200


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


@bp.route("/projects/<int:project_id>/members", methods=["GET", "POST"])
def members(project_id):
    project = project_or_abort(project_id, "staff")
    form = MemberForm()
    # Only people this staff member may see: those of their own projects and the accounts they
    # made. Offering everyone would list the people of other projects.
    people = visible_accounts(current_user._get_current_object(), enabled_only=True)
    form.user_id.choices = [(0, _("Kies een persoon"))] + [
        (p.id, f"{p.display_name} ({p.username})") for p in people
    ]
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        roles = set(form.roles.data)
        if user is None:
            form.user_id.errors.append(_("Kies een persoon."))
        elif "staff" in roles and not user.is_staff:
            form.roles.errors.append(_("Alleen een account van de staf kan begeleider zijn."))
        else:
            set_membership(user=user, project_id=project.id, roles=roles, by=current_user)
            db.session.commit()
            flash(_("De rollen van %(name)s zijn opgeslagen.", name=user.display_name), "success")
            return redirect(url_for("projects.members", project_id=project.id), 303)
    member_rows = sorted(project.memberships, key=lambda m: m.user.display_name.casefold())
    return render_template(
        "projects/members.html", project=project, form=form, memberships=member_rows
    ), 422 if form.errors else 200
