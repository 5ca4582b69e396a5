"""Session timeouts and the reverse proxy.

Idle timeout: no request for SESSION_IDLE_TIMEOUT (default 2 hours) ends the login.
Absolute timeout: SESSION_ABSOLUTE_TIMEOUT (default 12 hours, a long day of interviews) after
logging in, the login ends whatever happens. Both timestamps live in the signed session cookie,
so an old copy of the cookie fails the same checks. They never cost an interviewer an answer:
an autosave after the timeout gets 401 (htmx) or a redirect to the login page, and the tablet
keeps the answer in its encrypted queue until someone logs in again (static/js/offline/).

Behind a reverse proxy (nginx, a load balancer) set TRUSTED_PROXIES to the number of proxies in
front of the app: X-Forwarded-For/-Proto/-Host from exactly that many hops are believed
(werkzeug's ProxyFix), so the logboek records the client's IP address and cookies stay Secure.
With 0 (the default) the headers are ignored: nobody can fake an IP address by sending them.
"""
import time

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_in
from werkzeug.middleware.proxy_fix import ProxyFix

from ..audit import record
from ..extensions import db
from . import bp

# Refresh "last seen" at most every five minutes, so most responses (autosaves above all, on a
# budget of 2 KB per answer) need no new cookie. The idle timeout is two hours; five minutes less is
# fine.
SEEN_RESOLUTION = 300


@bp.record_once
def _trust_proxies(state) -> None:
    proxies = int(state.app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        state.app.wsgi_app = ProxyFix(state.app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


@user_logged_in.connect
def _stamp_login(_sender, **_extra) -> None:
    """Every way of logging in (password, code, card) starts the clocks here."""
    session["login_at"] = session["seen_at"] = int(time.time())


def enforce_session_timeouts():
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = int(time.time())
    login_at, seen_at = session.get("login_at"), session.get("seen_at")
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        session["login_at"] = session["seen_at"] = now  # the first request after logging in
        return
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    if now - login_at > absolute or now - seen_at > idle:
        reason = "absolute" if now - login_at > absolute else "idle"
        record("logout.timeout", user=current_user, reason=reason)
        db.session.commit()
        logout_user()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        if reason == "idle":
            flash(_("U was een tijd niet actief. Daarom bent u uitgelogd."), "info")
        else:
            flash(_("U was lang ingelogd. Daarom bent u uitgelogd."), "info")
        return  # the login check that follows sends the request to the login page
    if now - seen_at >= SEEN_RESOLUTION:
        session["seen_at"] = now
    return
