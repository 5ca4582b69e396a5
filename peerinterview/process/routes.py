"""The volunteers' appreciation: staff switch the question on for a project; then each volunteer
(designer, interviewer, panel member who is not staff) sees it on their start page until they
answer or dismiss it. An answer can be changed; nobody else ever sees whose answer it is."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import project_or_abort
from ..extensions import db
from . import bp
from .forms import AppreciationForm, DismissForm, RoundForm
from .services import (
    VOLUNTEER_ROLES,
    appreciation_of,
    dismiss_appreciation,
    is_volunteer,
    round_of,
    save_appreciation,
    set_round,
)


def _volunteer_project_or_abort(project_id):
    """The project, for a volunteer of it while the question is switched on."""
    project = project_or_abort(project_id, *VOLUNTEER_ROLES)
    if not is_volunteer(current_user, project.id):
        abort(403)
    if round_of(project.id) is None:
        abort(404)
    return project


@bp.route("/projects/<int:project_id>/appreciation", methods=["GET", "POST"])
def appreciation(project_id):
    project = _volunteer_project_or_abort(project_id)
    stored = appreciation_of(current_user, project.id)
    form = AppreciationForm()
    if not form.is_submitted() and stored is not None and stored.mark is not None:
        form.mark.data, form.valued.data = str(stored.mark), stored.valued
    if form.validate_on_submit():
        save_appreciation(current_user, project.id, mark=int(form.mark.data), valued=form.valued.data or "")
        db.session.commit()
        flash(_("Dank je wel! Je antwoord is opgeslagen. Je naam staat er niet bij."), "success")
        return redirect(url_for("projects.index"), 303)
    return render_template("process/appreciation.html", project=project, form=form, dismiss_form=DismissForm(),
                           answered=stored is not None and stored.mark is not None), 422 if form.errors else 200


@bp.post("/projects/<int:project_id>/appreciation/dismiss")
def dismiss(project_id):
    project = _volunteer_project_or_abort(project_id)
    if DismissForm().validate_on_submit():
        dismiss_appreciation(current_user, project.id)
        db.session.commit()
        flash(_("Goed. We vragen het niet meer."), "success")
    return redirect(url_for("projects.index"), 303)


@bp.post("/projects/<int:project_id>/appreciation/round")
def switch_round(project_id):
    project = project_or_abort(project_id, "staff")
    form = RoundForm()
    if form.validate_on_submit() and form.switch_on.data in ("ja", "nee"):
        set_round(project, open_=form.switch_on.data == "ja", by=current_user)
        db.session.commit()
        flash(_("De vrijwilligers zien de vraag nu op hun startpagina.") if form.switch_on.data == "ja"
              else _("De vraag staat uit. Antwoorden die er al zijn, blijven."), "success")
    return redirect(url_for("projects.show", project_id=project.id, _anchor="meedoen"), 303)
