"""Logging in safely: the code step for staff with a second factor, enrolling an authenticator
app, recovery codes, and login cards for clients."""
import time

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user

from ..access import account_or_abort, staff_required
from ..audit import record
from ..extensions import db
from ..models import LoginCard, User
from ..safe_redirect import local_path_or
from . import bp, cards, two_factor
from .forms import ButtonForm, CardLoginForm, CodeForm, EnrolForm
from .login_steps import fresh_session, show_account_notices
from .throttle import attempt, forget, give_back

# How long the code step may take after the password was right.
CODE_STEP_SECONDS = 10 * 60
# Pages a staff member without a second factor may still use when it is required.
ENROLMENT_EXEMPT = {
    None, "static", "healthz", "accounts.login", "accounts.logout", "accounts.set_language",
    "accounts.privacy", "accounts.accessibility", "interview.service_worker", "interview.offline_page",
    "security.two_factor", "security.verify_code", "security.card_login",
}


def _no_store() -> None:
    g.no_store = True  # secrets, codes and tokens never sit in a browser or proxy cache


# --- the code step ---------------------------------------------------------------------------
def _pending_user() -> tuple[User | None, dict]:
    pending = session.get("second_factor")
    if not isinstance(pending, dict):
        return None, {}
    try:
        user_id, version = (int(part) for part in str(pending.get("user", "")).split(":"))
        since = int(pending.get("since", 0))
    except (TypeError, ValueError):
        return None, {}
    if time.time() - since > CODE_STEP_SECONDS:
        return None, {}
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.is_active:
        return None, {}
    return user, pending


def _too_many_page(message: str):
    return render_template("errors/error.html", code=429, title=_("Even wachten"), message=message), 429


@bp.route("/login/code", methods=["GET", "POST"])
def verify_code():
    user, pending = _pending_user()
    if user is None:
        session.pop("second_factor", None)
        flash(_("Log opnieuw in. Het inloggen duurde te lang."), "info")
        return redirect(url_for("accounts.login"), 303)
    _no_store()
    form = CodeForm()
    key = f"code-failed/{user.id}"
    if form.validate_on_submit():
        # Counted before the code is checked (security/throttle.py); a right code wipes the count.
        if not attempt("CODE_FAILURE_LIMIT", key):
            record("login.code_throttled", user=user)
            db.session.commit()
            return _too_many_page(_("U vulde te vaak een verkeerde code in. Wacht 15 minuten en probeer het opnieuw."))
        method = two_factor.verify(user, form.code.data)
        if method is not None:
            forget("CODE_FAILURE_LIMIT", key)
            fresh_session()
            login_user(user)
            session.permanent = True
            record("login", user=user, method=method)
            show_account_notices(user)
            if method == "recovery":
                left = two_factor.recovery_codes_left(user)
                flash(ngettext("U gebruikte een herstelcode. U heeft nog %(num)d herstelcode.",
                               "U gebruikte een herstelcode. U heeft nog %(num)d herstelcodes.", left), "info")
            db.session.commit()
            return redirect(local_path_or(pending.get("next"), url_for("projects.index")), 303)
        record("login.code_failed", user=user)
        db.session.commit()
        form.code.errors.append(_("Deze code klopt niet. Kijk in de app en probeer het opnieuw."))
    return render_template("security/verify_code.html", form=form), 422 if form.errors else 200


@bp.before_app_request
def staff_must_enrol():
    """When required (production), staff without a second factor can only set one up."""
    if not current_app.config.get("STAFF_TOTP_REQUIRED") or request.endpoint in ENROLMENT_EXEMPT:
        return None
    if current_user.is_authenticated and current_user.is_staff and not two_factor.is_enrolled(current_user):
        if request.method == "GET":
            flash(_("Stel eerst de tweestapsverificatie in. Dat is verplicht voor begeleiders."), "info")
        return redirect(url_for("security.two_factor"), 303)
    return None


# --- enrolling an authenticator app ------------------------------------------------------------
@bp.route("/account/tweestaps", methods=["GET", "POST"], endpoint="two_factor")
@staff_required
def two_factor_view():
    user = current_user._get_current_object()
    _no_store()
    if two_factor.is_enrolled(user):
        return render_template("security/two_factor_status.html", state=two_factor.two_factor_of(user),
                               left=two_factor.recovery_codes_left(user), form=CodeForm())
    secret = two_factor.enrolment_secret(user)
    form = EnrolForm()
    key = f"enrol-failed/{user.id}"
    if form.validate_on_submit():
        if not attempt("CODE_FAILURE_LIMIT", key):
            form.code.errors.append(_("U vulde te vaak een verkeerde code in. Wacht 15 minuten en probeer het opnieuw."))
        else:
            codes = two_factor.confirm_enrolment(user, form.code.data)
            if codes is not None:
                forget("CODE_FAILURE_LIMIT", key)
                db.session.commit()
                return render_template("security/recovery_codes.html", codes=codes, first=True)
            form.code.errors.append(_("Deze code klopt niet. Kijk in de app en probeer het opnieuw."))
    return render_template(
        "security/enrol.html", form=form, secret=two_factor.grouped(secret),
        qr=two_factor.qr_data_uri(two_factor.provisioning_uri(user, secret)),
    ), 422 if form.errors else 200


@bp.post("/account/tweestaps/herstelcodes")
@staff_required
def new_recovery_codes():
    """New recovery codes (the old ones stop working); a current code from the app is asked."""
    user = current_user._get_current_object()
    if not two_factor.is_enrolled(user):
        return redirect(url_for("security.two_factor"), 303)
    _no_store()
    form = CodeForm()
    key = f"code-failed/{user.id}"
    if form.validate_on_submit():
        if not attempt("CODE_FAILURE_LIMIT", key):
            form.code.errors.append(_("U vulde te vaak een verkeerde code in. Wacht 15 minuten en probeer het opnieuw."))
        elif two_factor.verify(user, form.code.data) == "totp":
            give_back("CODE_FAILURE_LIMIT", key)
            codes = two_factor.new_recovery_codes(user)
            record("two_factor.recovery_codes", user=user, obj=user)
            db.session.commit()
            return render_template("security/recovery_codes.html", codes=codes, first=False)
        else:
            db.session.commit()  # a used recovery code stays used
            form.code.errors.append(_("Deze code klopt niet. Vul de 6 cijfers uit de app in."))
    return render_template("security/two_factor_status.html", state=two_factor.two_factor_of(user),
                           left=two_factor.recovery_codes_left(user), form=form), 422


@bp.post("/accounts/<int:user_id>/tweestaps/reset")
@staff_required
def reset_two_factor(user_id):
    """Lost phone: an administrator removes the second factor; the user sets it up again."""
    user = account_or_abort(user_id, own_allowed=True)
    if ButtonForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("Vraag een andere beheerder om dit te doen."), "error")
        elif two_factor.two_factor_of(user) is None:
            flash(_("%(name)s heeft geen tweestapsverificatie.", name=user.display_name), "info")
        else:
            two_factor.reset(user, by=current_user._get_current_object())
            db.session.commit()
            flash(_("De tweestapsverificatie van %(name)s is uit. Bij de volgende keer inloggen stelt "
                    "%(name)s een nieuwe app in.", name=user.display_name), "success")
    return redirect(url_for("accounts.users"), 303)


# --- login cards ------------------------------------------------------------------------------
@bp.route("/accounts/<int:user_id>/inlogkaarten", methods=["GET", "POST"])
@staff_required
def login_cards(user_id):
    user = account_or_abort(user_id)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        if user.is_staff:
            flash(_("Begeleiders loggen in met wachtwoord en code. Zij krijgen geen inlogkaart."), "error")
            return redirect(url_for("security.login_cards", user_id=user.id), 303)
        card, token = cards.create_card(user, by=current_user._get_current_object())
        db.session.commit()
        _no_store()
        url = url_for("security.card_login", card_token=token, _external=True)
        return render_template("security/card_print.html", user=user, card=card, url=url,
                               qr=two_factor.qr_data_uri(url))
    if request.method == "POST":
        return redirect(url_for("security.login_cards", user_id=user.id), 303)
    return render_template("security/login_cards.html", user=user, cards=cards.cards_of(user), form=form)


@bp.post("/accounts/<int:user_id>/inlogkaarten/<int:login_card_id>/intrekken")
@staff_required
def revoke_login_card(user_id, login_card_id):
    user = account_or_abort(user_id)
    card = db.session.get(LoginCard, login_card_id)
    if card is None or card.user_id != user.id:
        abort(404)
    if ButtonForm().validate_on_submit():
        cards.revoke(card, by=current_user._get_current_object())
        db.session.commit()
        flash(_("De inlogkaart werkt niet meer. Maak een nieuwe kaart als dat nodig is."), "success")
    return redirect(url_for("security.login_cards", user_id=user.id), 303)


@bp.route("/kaart/<card_token>", methods=["GET", "POST"])
def card_login(card_token):
    """The URL in the QR code of a login card: one tap logs the client in."""
    _no_store()
    key = f"card-failed/{request.remote_addr or '-'}"
    # Counted before the card is looked up; a card that works takes its attempt back, so a day
    # centre where many clients log in from one address is never held up by it.
    if not attempt("CARD_FAILURE_LIMIT", key):
        return _too_many_page(_("Er ging te vaak iets mis met een inlogkaart. Wacht 15 minuten en probeer het opnieuw."))
    card = cards.card_for_token(card_token)
    if not cards.usable(card):
        if request.method == "POST":
            record("login.card_refused", card=getattr(card, "id", None))
            db.session.commit()
        return render_template("security/card_invalid.html"), 404
    give_back("CARD_FAILURE_LIMIT", key)
    user = card.user
    if current_user.is_authenticated:
        if current_user.id == user.id:
            return redirect(url_for("projects.index"), 303)
        # A shared tablet: the person still logged in logs out first (unsent answers stay safe).
        return render_template("security/card_login.html", user=user, form=None,
                               other=current_user), 409 if request.method == "POST" else 200
    form = CardLoginForm()
    if form.validate_on_submit():
        fresh_session()
        login_user(user)
        session.permanent = True
        cards.mark_used(card)
        record("login", user=user, obj=card, method="card")
        show_account_notices(user)
        db.session.commit()
        return redirect(url_for("projects.index"), 303)
    return render_template("security/card_login.html", user=user, form=form, other=None), \
        400 if request.method == "POST" else 200
