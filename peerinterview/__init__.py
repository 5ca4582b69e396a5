"""PeerInterview: client-led peer interviewing for Dutch social care."""
import json
import os

from flask import Flask, g, has_request_context, jsonify, make_response, render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .config import PROJECT_ROOT, config_for_environment, finish_config
from .extensions import babel, csrf, db, htmx, login_manager, migrate, talisman
from .security.throttle import failures
from .vocabulary import UI_LANGUAGES

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    # A spoken answer is played back on the tablet from memory (a blob: URL made by the page
    # itself) before it is sent; staff listen to recordings from this server.
    "media-src": "'self' blob:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

# htmx under a strict CSP (docs/decisions.md#htmx-under-a-strict-csp): no eval, no script tags
# in swaps, no inline styles; 422 (invalid form) is swapped so the error summary appears.
HTMX_CONFIG = {
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "selfRequestsOnly": True,
    "scrollIntoViewOnBoost": False,
    "historyCacheSize": 0,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "422", "swap": True},
        # Too many failed logins: the B1 page must replace the login form, not vanish.
        {"code": "429", "swap": True},
        {"code": "[45]..", "swap": False, "error": True},
    ],
}


def create_app(config=None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=os.environ.get("PEERINTERVIEW_INSTANCE", str(PROJECT_ROOT / "instance")),
    )
    app.config.from_object(config_for_environment() if config is None else config)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    finish_config(app)

    _init_extensions(app)
    _register_blueprints(app)

    from .cli import register_cli

    register_cli(app)
    _register_template_helpers(app)
    _register_error_pages(app)
    app.add_url_rule("/healthz", "healthz", _healthz)

    from . import hooks, webperf
    from .durability import check_database_durability

    webperf.init_app(app)  # compression, versioned and cached static files (tablets on weak wifi)
    hooks.init_app(app)  # after every extension's init_app: the order of all hooks is set there
    check_database_durability(app, db)  # WAL + synchronous=FULL / fsync + synchronous_commit
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    from . import localize

    localize.init_app(app)  # dates in local time for the reader's language; B1 advice in English
    htmx.init_app(app)
    failures.init_app(app)  # failed logins and codes (security/throttle.py)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
    )


def _register_blueprints(app: Flask) -> None:
    from . import models  # noqa: F401  (register tables with SQLAlchemy)
    from .accounts import bp as accounts_bp
    from .accounts.services import load_user
    from .design import bp as design_bp
    from .followup import bp as followup_bp
    from .interview import bp as interview_bp
    from .panel import bp as panel_bp
    from .pool import bp as pool_bp
    from .process import bp as process_bp
    from .projects import bp as projects_bp
    from .report import bp as report_bp
    from .security import bp as security_bp

    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    for blueprint in (accounts_bp, projects_bp, design_bp, interview_bp, pool_bp, report_bp, panel_bp,
                      followup_bp, process_bp, security_bp):
        app.register_blueprint(blueprint)


def _healthz():
    """For the load balancer or a monitor: is the app up, and can it reach its database?"""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # the health check reports, it does not crash
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", database=database), status


def select_locale() -> str:
    languages = UI_LANGUAGES
    if not has_request_context():
        return "nl"  # CLI tasks speak the source language
    from .localize import page_language

    if language := page_language(languages):  # an interview screen speaks the interview's language
        return language
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or "nl"


def _unauthorized():
    """Not logged in: to the login page, and back here afterwards.

    An htmx fragment request (an autosave) cannot show a login page inside the status line;
    it gets 401 plus HX-Redirect, so the whole page goes to the login form.
    """
    from urllib.parse import urlsplit

    from flask import current_app, flash, redirect, url_for

    if htmx and not htmx.boosted:
        current = urlsplit(request.headers.get("HX-Current-URL", "")).path or request.path
        response = jsonify(error="login required")
        response.status_code = 401
        response.headers["HX-Redirect"] = url_for("accounts.login", next=current)
        return response
    from .kept_texts import page_sent_from, typed_texts

    # A POST gets here only with a valid CSRF token (checked before any other hook): the form is
    # one of our pages, sent by the person whose login just ended.
    texts = typed_texts(trusted=current_app.config.get("WTF_CSRF_ENABLED", True))
    if texts:
        # The login ended while this was typed: a redirect would drop it. The page shows it, to
        # copy and put back after logging in again on the page the form was on.
        back = page_sent_from() or request.path
        response = make_response(render_template(
            "errors/kept_texts.html", code=401, title=_("U bent uitgelogd"),
            message=_("U was uitgelogd. Daarom is wat u stuurde niet opgeslagen."),
            texts=texts, login_url=url_for("accounts.login", next=back)), 401)
        response.headers["Cache-Control"] = "no-store"
        return response
    flash(_("Log eerst in. Daarna gaat u verder waar u was."), "info")
    return redirect(url_for("accounts.login", next=request.full_path if request.query_string else request.path))


def favicon_uri() -> str:
    """static/favicon.svg as a data: URI (the CSP allows img-src data:). In the page it costs
    less than a request of its own: a request's headers alone weigh several times the icon. The
    characters HTML would escape are percent-encoded, so the page carries it as it is."""
    svg = (PROJECT_ROOT / "peerinterview" / "static" / "favicon.svg").read_text(encoding="utf-8").strip()
    for char in '%#<>"\'&':
        svg = svg.replace(char, f"%{ord(char):02X}")
    return "data:image/svg+xml," + svg


def _register_template_helpers(app: Flask) -> None:
    from .pictograms import picture_words, shapes
    from .vocabulary import THEME_COLOUR_NAMES

    # The shapes of a question's or answer's picture, for templates/macros/pictogram.html.
    app.jinja_env.globals["pictogram_shapes"] = shapes
    app.jinja_env.globals["picture_words"] = picture_words
    app.jinja_env.globals["theme_colour_names"] = THEME_COLOUR_NAMES
    app.jinja_env.globals["favicon_uri"] = favicon_uri()

    @app.context_processor
    def template_helpers():
        from .accounts.forms import ROLE_LABELS, LanguageForm, LogoutForm

        return {
            "htmx_config": json.dumps(HTMX_CONFIG),
            "current_locale": str(get_locale()),
            # Questionnaire content is written in Dutch (translations per question come later):
            # marked with lang so a screen reader reads it in the right voice (WCAG 3.1.2).
            "content_lang": "nl",
            # formdata=None: the header forms only render (their own POSTs go elsewhere), and they
            # must not read the request body: on a 413 that read fails again inside the error page.
            "language_form": lambda: LanguageForm(formdata=None),
            "logout_form": lambda: LogoutForm(formdata=None),
            "role_names": ROLE_LABELS,
        }


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: (_l("Er ging iets mis"), _l("Het formulier was niet goed. Ga terug en probeer het opnieuw.")),
        403: (_l("Dit mag u niet zien"), _l("U heeft geen toegang tot deze pagina. Vraag het aan de begeleider als u denkt dat dit niet klopt.")),
        404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet. Controleer het adres of ga naar de startpagina.")),
        409: (_l("Dit kan nu niet"), _l("Er is net iets veranderd. Laad de pagina opnieuw en probeer het nog een keer.")),
        413: (_l("Dit is te groot"), _l("U stuurde te veel tekst of een te groot bestand. Maak het kleiner en probeer het opnieuw.")),
        429: (_l("Even wachten"), _l("U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht 15 minuten en probeer het opnieuw.")),
        500: (_l("Er ging iets mis"), _l("Er ging bij ons iets mis. Probeer het over een paar minuten opnieuw.")),
    }

    def render_error(error):
        code = getattr(error, "code", 500) or 500
        title, message = messages.get(code, messages[500])
        if code >= 500:
            # After a database error (SQLite locked for too long, a dropped connection) the
            # session's transaction is broken: the page, which reads the user and their
            # language, would fail on it again (PendingRollbackError) and the user would get the
            # server's bare English page. Roll back first.
            db.session.rollback()
        try:
            return render_template("errors/error.html", code=code, title=title, message=message), code
        except SQLAlchemyError:
            if code < 500:
                raise
            # The database does not even answer a read: the page without the user's account
            # (their language as far as the session or the browser says it).
            app.logger.exception("error page without the user's account")
            db.session.rollback()
            g._login_user = login_manager.anonymous_user()
            return render_template("errors/error.html", code=code, title=title, message=message), code

    for code in messages:
        app.register_error_handler(code, render_error)

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from .hooks import PUBLIC_ENDPOINTS
        from .kept_texts import page_sent_from, typed_texts

        texts = typed_texts(skip_endpoints=PUBLIC_ENDPOINTS)
        if texts:
            # What was typed on the old page is shown, to copy into the page loaded again.
            response = make_response(render_template(
                "errors/kept_texts.html", code=400, title=_("Probeer het opnieuw"),
                message=_("De pagina was te oud. Wat u stuurde, is niet opgeslagen."), texts=texts,
                back_url=page_sent_from()), 400)
            response.headers["Cache-Control"] = "no-store"
            return response
        return render_template(
            "errors/error.html", code=400, title=_("Probeer het opnieuw"),
            message=_("De pagina was te oud. Laad de pagina opnieuw en probeer het nog een keer."),
        ), 400
