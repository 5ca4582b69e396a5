"""The people of a project: who is in it with which roles, adding someone (an account that exists
or a new one) and changing a person's roles. Project staff only."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import may_manage, project_or_abort, visible_accounts
from ..accounts.services import create_user, set_membership
from ..extensions import db
from ..models import User
from ..models.accounts import mixes_municipality
from . import bp
from .forms import CLIENT_ROLE_CHOICES, MUNICIPALITY_ALONE, MemberForm, MemberRolesForm, NewMemberAccountForm
from .services import last_staff_would_leave, removed_roles

def _loss_sentences(user: User, roles: set[str]) -> list[str]:
    """What the person can no longer do once these roles go: said before it happens."""
    name = user.display_name
    sentences = {
        "interviewer": _("%(name)s kan dan geen interviews meer doen.", name=name),
        "panel": _("%(name)s kan dan niet meer meepraten in het panel.", name=name),
        "designer": _("%(name)s kan dan niet meer meedenken over de vragenlijst.", name=name),
        "staff": _("%(name)s kan dit onderzoek dan niet meer begeleiden.", name=name),
        "municipality": _("%(name)s kan dan geen antwoord van de gemeente meer geven.", name=name),
    }
    return [sentences[role] for role in ("interviewer", "panel", "designer", "municipality", "staff")
            if role in roles]


def _people_to_add(project, *, members_too=False):
    """Accounts this staff member may see (their own projects' people and the accounts they made),
    without the people in this project already (unless `members_too`). Offering everyone would
    list the people of other projects."""
    actor = current_user._get_current_object()
    members = set() if members_too else {m.user_id for m in project.memberships}
    return [p for p in visible_accounts(actor, enabled_only=True) if p.id not in members]


def _member_or_404(project, user_id) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.membership_in(project.id) is None:
        abort(404)
    return user


def _render_members(project, *, add_form=None, new_form=None, status=200):
    add_form = add_form or MemberForm()
    new_form = new_form or NewMemberAccountForm(prefix="nieuw")
    _fill_person_choices(add_form, project)
    actor = current_user._get_current_object()
    member_rows = sorted(project.memberships, key=lambda m: m.user.display_name.casefold())
    return render_template(
        "projects/members.html", project=project, form=add_form, new_form=new_form, memberships=member_rows,
        manageable={m.user_id for m in member_rows if may_manage(actor, m.user)},
    ), status


def _fill_person_choices(form, project, *, members_too=False):
    form.user_id.choices = [(0, _("Kies een persoon"))] + [
        (p.id, f"{p.display_name} ({p.username})") for p in _people_to_add(project, members_too=members_too)
    ]


def _save_roles(project, user, roles, form, *, back_url):
    """Give `user` these roles. Roles that go away are named first and need a confirmation;
    the last begeleider of a project cannot go. Returns a response, or None when the form has
    errors to show."""
    if "staff" in roles and not user.is_staff:
        form.roles.errors.append(_("Alleen een account van de staf kan begeleider zijn."))
        return None
    if mixes_municipality(roles):
        form.roles.errors.append(str(MUNICIPALITY_ALONE))
        return None
    if "municipality" in roles and user.is_staff:
        form.roles.errors.append(_("Een account van de staf kan niet de rol Gemeente krijgen. "
                                   "Maak voor de gemeente een eigen account."))
        return None
    if last_staff_would_leave(project, user, roles):
        form.roles.errors.append(_("Er moet minstens één begeleider in dit onderzoek blijven. "
                                   "Maak eerst iemand anders begeleider."))
        return None
    going = removed_roles(user, project.id, roles)
    if going and form.confirmed.data != "ja":
        return render_template(
            "projects/member_confirm.html", project=project, person=user, form=form, roles=roles,
            going=going, losses=_loss_sentences(user, going), leaves=not roles, back_url=back_url,
        )
    set_membership(user=user, project_id=project.id, roles=roles, by=current_user._get_current_object())
    db.session.commit()
    if not roles:
        flash(_("%(name)s doet niet meer mee aan dit onderzoek.", name=user.display_name), "success")
    else:
        flash(_("De rollen van %(name)s zijn opgeslagen.", name=user.display_name), "success")
    if user.id == current_user.id and "staff" not in roles:
        return redirect(url_for("projects.index"), 303)  # no longer staff here: this page is closed now
    return redirect(url_for("projects.members", project_id=project.id, _anchor=f"persoon-{user.id}"), 303)


@bp.route("/projects/<int:project_id>/members", methods=["GET", "POST"])
def members(project_id):
    """The list, and adding someone who has an account already."""
    project = project_or_abort(project_id, "staff")
    form = MemberForm()
    # Someone already in the project may be chosen again (a second tab, an old page): adding
    # then only adds roles, it never takes one away.
    _fill_person_choices(form, project, members_too=True)
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        if user is None:
            form.user_id.errors.append(_("Kies een persoon."))
        else:
            roles = set(form.roles.data) | user.roles_in(project.id)
            response = _save_roles(project, user, roles, form,
                                   back_url=url_for("projects.members", project_id=project.id))
            if response is not None:
                return response
    return _render_members(project, add_form=form, status=422 if form.errors else 200)


@bp.post("/projects/<int:project_id>/members/new")
def new_member(project_id):
    """A new client account, made here and put in this project with its roles at once."""
    project = project_or_abort(project_id, "staff")
    form = NewMemberAccountForm(prefix="nieuw")
    if form.validate_on_submit():
        actor = current_user._get_current_object()
        user = create_user(username=form.username.data, display_name=form.display_name.data,
                           password=form.password.data, created_by=actor)
        set_membership(user=user, project_id=project.id, roles=set(form.roles.data), by=actor)
        db.session.commit()
        flash(_("Account gemaakt voor %(name)s. %(name)s doet nu mee aan dit onderzoek. "
                "Geef de gebruikersnaam en het wachtwoord persoonlijk door, of maak een inlogkaart.",
                name=user.display_name), "success")
        return redirect(url_for("projects.members", project_id=project.id, _anchor=f"persoon-{user.id}"), 303)
    return _render_members(project, new_form=form, status=422)


@bp.route("/projects/<int:project_id>/members/<int:user_id>", methods=["GET", "POST"])
def member_roles(project_id, user_id):
    """One person's roles, with the roles they have now ticked."""
    project = project_or_abort(project_id, "staff")
    user = _member_or_404(project, user_id)
    form = MemberRolesForm()
    if not user.is_staff:
        form.roles.choices = CLIENT_ROLE_CHOICES
    else:  # the municipality's role is for its own guest account, never for staff
        form.roles.choices = [choice for choice in form.roles.choices if choice[0] != "municipality"]
    if not form.is_submitted():
        form.roles.data = sorted(user.roles_in(project.id))
    if form.validate_on_submit():
        response = _save_roles(project, user, set(form.roles.data), form,
                               back_url=url_for("projects.member_roles", project_id=project.id, user_id=user.id))
        if response is not None:
            return response
    return render_template("projects/member_roles.html", project=project, person=user, form=form), \
        422 if form.errors else 200
