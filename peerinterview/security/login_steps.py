"""The steps of logging in that come after a right password, shared by the login form
(accounts/) and the code step (security/routes.py): the code step for staff with a second
factor, a fresh session, and the notices about what someone else changed on the account."""
import time

from flask import flash, redirect, session, url_for

from ..audit import record
from ..extensions import db
from ..models import User
from . import notices, two_factor


def fresh_session() -> None:
    """Nothing from before the login carries over (the session id rotates), except the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def show_account_notices(user: User) -> None:
    """Right after logging in: what someone else changed on this account since the last login,
    shown once on the first page (the caller commits)."""
    shown = notices.take_unseen(user)
    for notice in shown:
        flash(notices.notice_text(notice), "info")
    if shown:
        flash(notices.closing_text(user), "info")


# --- the code step ---------------------------------------------------------------------------
def needs_code_at_login(user: User) -> bool:
    return two_factor.is_enrolled(user)


def start_code_step(user: User, next_url: str | None):
    """Called by the login view once the password was right: ask for the code before logging in."""
    fresh_session()
    session["second_factor"] = {"user": user.get_id(), "since": int(time.time()), "next": (next_url or "")[:500]}
    record("login.password_ok", user=user)
    db.session.commit()
    return redirect(url_for("security.verify_code"), 303)
