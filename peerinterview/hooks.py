"""Every request hook of the app, registered here and nowhere else, in the order they run.

Flask runs `before_request` hooks in the order they were registered and `after_request` hooks in
the reverse order. The extensions register their own hooks in their `init_app` (create_app calls
those first): before the view Flask-WTF checks the CSRF token and Flask-Talisman redirects to
HTTPS; after it Flask-Compress compresses, Flask-Talisman adds the security headers and
Flask-Login renews its remember cookie. `tests/test_request_hooks.py` checks the whole order, so a
hook added elsewhere or in another place fails there. docs/architecture.md#request-hooks-in-order
says the same in prose.
"""
from flask import Flask, g, request
from flask_login import login_required

from . import webperf
from .security.input_guard import refuse_control_characters
from .security.routes import staff_must_enrol
from .security.sessions import enforce_session_timeouts

# Public endpoints: everything else needs a login (each view then checks the role).
PUBLIC_ENDPOINTS = {"static", "accounts.login", "accounts.set_language", "healthz",
                    "interview.service_worker", "interview.offline_page",
                    "accounts.privacy", "accounts.accessibility",
                    "security.verify_code", "security.card_login", "followup.public_page"}


def require_login():
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    # login_required answers with the login redirect (or 401 plus HX-Redirect for htmx: create_app's
    # unauthorized handler).
    return login_required(lambda: None)()


def answers_are_never_cached() -> None:
    """Every page and fragment of the interview blueprint holds answers or leads to them."""
    if request.blueprint == "interview":
        g.no_store = True


def vary_on_htmx(response):
    response.vary.add("HX-Request")
    if getattr(g, "no_store", False):
        response.headers["Cache-Control"] = "no-store"
    return response


def public_page_headers(response):
    """The public results page (followup/public_routes.py sets g.public_page): no search engine
    lists it, and a link on it tells the next site nothing, not even our host (Flask-Talisman
    sets one Referrer-Policy for the whole app, so this runs after it)."""
    if g.get("public_page"):
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the app's own request hooks, after the extensions have registered theirs."""
    # --- before the view, in this order (after the CSRF check and the HTTPS redirect) ---
    # A login that timed out ends first, so that every later hook and the view see it logged out.
    app.before_request(enforce_session_timeouts)
    # Control characters end the request before any view or form reads the input.
    app.before_request(refuse_control_characters)
    # Staff who must set up a second factor can do only that (the user is known by now).
    app.before_request(staff_must_enrol)
    # Everything but the public pages needs a login; after the timeout check, which may log out.
    app.before_request(require_login)
    # WTForms' messages from memory instead of from disk, for every request that builds a form.
    app.before_request(webperf.wtforms_translations_once)
    # Interview pages are never cached (a view may say otherwise: the service worker's script).
    app.before_request(answers_are_never_cached)

    # --- after the view; registered in reverse, so listed here in the reverse of running ---
    # Runs before Flask-Compress: Vary and Cache-Control for every response.
    app.after_request(vary_on_htmx)
    # Registered last, so it runs first: a static file gets its compressed copy from memory,
    # and Flask-Compress then leaves a response that has a Content-Encoding alone.
    app.after_request(webperf.cache_and_compress_static)
    # Put at the front of the list, so it runs after every other hook, Flask-Talisman's too
    # (which adds the headers it takes off an htmx fragment, the sync's JSON reply, a static script
    # or style sheet).
    app.after_request_funcs.setdefault(None, []).insert(0, webperf.lean_fragment_headers)
    # The very last: the public results page's own privacy headers win over Flask-Talisman's.
    app.after_request_funcs[None].insert(0, public_page_headers)
