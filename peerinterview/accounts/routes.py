from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..access import account_or_abort, admin_required, may_manage, staff_required, visible_accounts
from ..audit import record
from ..errors import Refused
from ..extensions import db
from ..pictograms import OPENMOJI_VERSION
from ..safe_redirect import local_path_or
from ..security.login_steps import needs_code_at_login, show_account_notices, start_code_step
from ..security.throttle import attempt, forget
from . import bp
from .forms import (AccountActionForm, ChangePasswordForm, LanguageForm, LoginForm, LogoutForm, NewUserForm,
                    SetPasswordForm)
from .services import (active_admin_count, authenticate, create_user, end_all_sessions,
                       normalise_username, password_matches, set_admin, set_disabled, set_password)


def _failure_key(username: str) -> str:
    """Failed logins count per username and IP address: someone guessing from elsewhere does not
    lock the real user out, and one address cannot keep guessing at one account."""
    return f"login-failed/{normalise_username(username)[:80]}/{request.remote_addr or '-'}"


def _attempt_allowed(username: str) -> bool:
    """Counts this login attempt before the password is checked (security/throttle.py)."""
    return attempt("LOGIN_FAILURE_LIMIT", _failure_key(username))


def _forget_failures(username: str) -> None:
    forget("LOGIN_FAILURE_LIMIT", _failure_key(username))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        if not _attempt_allowed(form.username.data):
            # Counted and checked before the password, so guessing on stops here (also many
            # guesses at once); a 429 with a B1 page.
            record("login.throttled", username=form.username.data[:80])
            db.session.commit()
            abort(429)
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            if needs_code_at_login(user):  # staff with a second factor: the code step first
                _forget_failures(form.username.data)
                return start_code_step(user, form.next.data)
            # A fresh session at login: nothing from before the login carries over.
            lang = session.get("lang")
            session.clear()
            if lang and not user.locale:
                user.locale = lang
            login_user(user)
            session.permanent = True
            _forget_failures(form.username.data)
            record("login", user=user)
            show_account_notices(user)
            db.session.commit()
            return redirect(local_path_or(form.next.data, url_for("projects.index")), 303)
        # The attempt was counted before the check; a right password wiped the count above.
        record("login.failed", username=form.username.data[:80])
        db.session.commit()
        form.password.errors.append(_("Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar. Probeer het opnieuw."))
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        end_all_sessions(user)
        record("logout", user=user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("accounts.login"), 303)


@bp.post("/taal")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return redirect(local_path_or(form.next.data, url_for("projects.index")), 303)


@bp.get("/accounts")
@staff_required
def users():
    """The accounts of the projects this staff member leads (administrators: every account)."""
    actor = current_user._get_current_object()
    people = visible_accounts(actor)
    return render_template("accounts/users.html", users=people, action_form=AccountActionForm(),
                           manageable={p.id for p in people if may_manage(actor, p)},
                           last_admin=active_admin_count() <= 1)


@bp.route("/accounts/new", methods=["GET", "POST"])
@staff_required
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        user = create_user(
            username=form.username.data, display_name=form.display_name.data,
            password=form.password.data, is_staff=form.is_staff.data, created_by=current_user,
        )
        db.session.commit()
        flash(_("Account gemaakt voor %(name)s.", name=user.display_name), "success")
        return redirect(url_for("accounts.users"), 303)
    return render_template("accounts/new_user.html", form=form), 422 if form.errors else 200


@bp.route("/wachtwoord", methods=["GET", "POST"])
def change_password():
    """The logged-in user changes their password; afterwards every session ends, this one too."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not password_matches(user, form.current_password.data):
            form.current_password.errors.append(
                _("Dit is niet uw huidige wachtwoord. Vul het wachtwoord in waarmee u net inlogde."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Dit is uw huidige wachtwoord. Kies een ander wachtwoord."))
        else:
            set_password(user, form.new_password.data, by=user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Uw wachtwoord is veranderd. Log opnieuw in met uw nieuwe wachtwoord."), "success")
            return redirect(url_for("accounts.login"), 303)
    return render_template("accounts/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/accounts/<int:user_id>/password", methods=["GET", "POST"])
@staff_required
def set_user_password(user_id):
    """Staff gives another account a new password (for a forgotten password)."""
    user = account_or_abort(user_id, own_allowed=True)
    if user.id == current_user.id:
        return redirect(url_for("accounts.change_password"), 303)
    form = SetPasswordForm()
    if form.validate_on_submit():
        set_password(user, form.password.data, by=current_user._get_current_object())
        db.session.commit()
        flash(_("%(name)s heeft een nieuw wachtwoord. Geef het persoonlijk door.", name=user.display_name),
              "success")
        return redirect(url_for("accounts.users"), 303)
    return render_template("accounts/set_password.html", form=form, user=user), 422 if form.errors else 200


@bp.post("/accounts/<int:user_id>/disable")
@staff_required
def disable_user(user_id):
    user = account_or_abort(user_id, own_allowed=True)
    if AccountActionForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("U kunt uw eigen account niet uitzetten. Vraag dit aan een beheerder."), "error")
        else:
            try:
                set_disabled(user, True, by=current_user._get_current_object())
            except Refused as refused:
                db.session.rollback()
                flash(refused.message, "error")
            else:
                db.session.commit()
                flash(_("Het account van %(name)s staat uit. %(name)s kan niet meer inloggen.",
                        name=user.display_name), "success")
    return redirect(url_for("accounts.users"), 303)


@bp.post("/accounts/<int:user_id>/enable")
@staff_required
def enable_user(user_id):
    user = account_or_abort(user_id)
    if AccountActionForm().validate_on_submit():
        set_disabled(user, False, by=current_user._get_current_object())
        db.session.commit()
        flash(_("Het account van %(name)s staat weer aan. %(name)s kan weer inloggen.", name=user.display_name),
              "success")
    return redirect(url_for("accounts.users"), 303)


@bp.post("/accounts/<int:user_id>/beheerder")
@admin_required
def grant_admin(user_id):
    """An administrator makes another staff member administrator too."""
    user = account_or_abort(user_id)
    if AccountActionForm().validate_on_submit():
        if not user.is_staff or user.disabled:
            flash(_("Alleen een begeleider met een account dat aan staat kan beheerder worden."), "error")
        else:
            set_admin(user, True, by=current_user._get_current_object())
            db.session.commit()
            flash(_("%(name)s is nu beheerder.", name=user.display_name), "success")
    return redirect(url_for("accounts.users"), 303)


@bp.post("/accounts/<int:user_id>/beheerder/uit")
@admin_required
def revoke_admin(user_id):
    """An administrator takes the role away, also their own; one administrator always stays."""
    user = account_or_abort(user_id, own_allowed=True)
    if AccountActionForm().validate_on_submit():
        try:
            set_admin(user, False, by=current_user._get_current_object())
        except Refused as refused:
            db.session.rollback()
            flash(refused.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s is geen beheerder meer.", name=user.display_name), "success")
    return redirect(url_for("accounts.users"), 303)


@bp.get("/privacy")
def privacy():
    return render_template("accounts/privacy.html")


@bp.get("/toegankelijkheid")
def accessibility():
    return render_template("accounts/accessibility.html", openmoji_version=OPENMOJI_VERSION)
