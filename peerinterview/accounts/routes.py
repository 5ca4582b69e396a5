from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..access import staff_required
from ..audit import record
from ..extensions import db
from ..models import User
from ..safe_redirect import local_path_or
from . import bp
from .forms import LanguageForm, LoginForm, LogoutForm, NewUserForm
from .services import authenticate, create_user, end_all_sessions


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            # A fresh session at login: nothing from before the login carries over.
            lang = session.get("lang")
            session.clear()
            if lang and not user.locale:
                user.locale = lang
            login_user(user)
            session.permanent = True
            record("login", user=user)
            db.session.commit()
            return redirect(local_path_or(form.next.data, url_for("projects.index")), 303)
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
    people = db.session.scalars(select(User).order_by(User.display_name)).all()
    return render_template("accounts/users.html", users=people)


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
