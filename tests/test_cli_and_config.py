"""Command-line tasks, configuration safety, the health check, database durability settings
and security headers."""
import json
import re
import stat
from html import unescape

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from peerinterview import create_app
from peerinterview.config import (ConfigError, DevelopmentConfig, ProductionConfig, TestConfig,
                                  config_for_environment, finish_config)
from peerinterview.demo import DEMO_PASSWORD, DEMO_PROJECT
from peerinterview.extensions import db
from peerinterview.models import Answer, AuditEvent, Interview, Project, User

from .builders import html_of, plain_text
from .helpers import login


def row_counts(app):
    with app.app_context():
        counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
                  for table in db.metadata.sorted_tables}
        db.session.remove()
    return counts


# --- flask demo ------------------------------------------------------------------------------

def test_demo_creates_a_project_with_40_interviews_that_count(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "De demodata zijn gemaakt." in result.output
    assert "demo-staf / demo-wachtwoord" in result.output
    assert "demo-gemeente / demo-wachtwoord" in result.output
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.name == DEMO_PROJECT))
        assert project is not None
        completed = db.session.scalar(select(func.count()).select_from(Interview).where(
            Interview.project_id == project.id, Interview.status == "completed"))
        # 40 that count, and one entered twice by mistake that staff marked "niet meetellen".
        assert completed == 41
        assert db.session.scalar(select(func.count()).select_from(Interview).where(
            Interview.project_id == project.id, Interview.review_state == "excluded")) == 1
        assert db.session.scalar(select(func.count()).select_from(Answer)) > 200
        assert {u.username for u in db.session.scalars(select(User))} == {"demo-staf", "demo-interviewer", "demo-panel",
                                                                          "demo-gemeente"}
        # demo-staf is the administrator, so every account action works in the demo.
        assert {u.username for u in db.session.scalars(select(User).where(User.is_admin))} == {"demo-staf"}
        db.session.remove()

    for username in ("demo-staf", "demo-interviewer", "demo-panel", "demo-gemeente"):
        client = app.test_client()
        login(client, username, DEMO_PASSWORD)
        assert DEMO_PROJECT in html_of(client.get("/"))
    staff = app.test_client()
    login(staff, "demo-staf", DEMO_PASSWORD)
    with app.app_context():
        project_id = db.session.scalar(select(Project.id).where(Project.name == DEMO_PROJECT))
        db.session.remove()
    assert "41 interviews klaar" in plain_text(staff.get(f"/projects/{project_id}"))
    panel = app.test_client()
    login(panel, "demo-panel", DEMO_PASSWORD)
    results_page = panel.get(f"/projects/{project_id}/results")
    results = plain_text(results_page)
    assert "40 mensen kregen deze vraag." in results
    assert "van de 40 mensen kozen" in results
    assert "40 van de 41 interviews tellen mee." in results
    # The demo questionnaire has pictures: with "Waarvoor komt u hier?" and its four answers, with
    # "Eet u hier wel eens?" and its yes and no, with "Voelt u zich veilig op deze plek?".
    assert html_of(results_page).count('class="pictogram result-picture"') == 6
    assert html_of(results_page).count('<div class="question-picture">') == 2


def test_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    before = row_counts(app)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "De demodata zijn er al. Er is niets veranderd." in result.output
    assert row_counts(app) == before


def test_demo_refuses_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0
    assert "Demodata mag niet in de echte omgeving. Er is niets veranderd." in result.output
    assert all(n == 0 for n in row_counts(app).values())


# --- flask create-staff ----------------------------------------------------------------------

def create_staff(app, username, password="een-lang-wachtwoord", name="Sanne de Boer"):
    return app.test_cli_runner().invoke(
        args=["create-staff", "--username", username, "--name", name, "--password", password])


def test_create_staff_makes_a_staff_account_that_can_log_in(app):
    result = create_staff(app, "Sanne")
    assert result.exit_code == 0, result.output
    assert "Account gemaakt voor Sanne de Boer." in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "sanne"))
        assert user.is_staff and not user.disabled and user.display_name == "Sanne de Boer"
        assert "een-lang-wachtwoord" not in user.password_hash
        db.session.remove()
    client = app.test_client()
    login(client, "sanne", "een-lang-wachtwoord")
    assert 'href="/accounts"' in html_of(client.get("/"))


def test_the_first_staff_account_is_administrator_and_later_ones_only_with_admin(app):
    result = create_staff(app, "sanne")
    assert result.exit_code == 0, result.output
    assert "Sanne de Boer is beheerder, want er was nog geen beheerder." in result.output
    result = create_staff(app, "kees", name="Kees")
    assert result.exit_code == 0 and "beheerder" not in result.output
    result = app.test_cli_runner().invoke(args=["create-staff", "--username", "ria", "--name", "Ria",
                                                "--password", "een-lang-wachtwoord", "--admin"])
    assert result.exit_code == 0, result.output
    assert "Ria is beheerder." in result.output
    with app.app_context():
        admins = {u.username: u.is_admin for u in db.session.scalars(select(User))}
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.create")
                                    .order_by(AuditEvent.id)).all()
        assert [e.detail.get("admin", False) for e in events] == [True, False, True]
        db.session.remove()
    assert admins == {"sanne": True, "kees": False, "ria": True}


def test_create_staff_refuses_a_duplicate(app):
    assert create_staff(app, "sanne").exit_code == 0
    result = create_staff(app, "SANNE", name="Een ander")
    assert result.exit_code != 0
    assert "Deze gebruikersnaam bestaat al. Kies een andere." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        db.session.remove()


def test_create_staff_refuses_a_short_password(app):
    result = create_staff(app, "sanne", password="kort")
    assert result.exit_code != 0
    assert "Gebruik een wachtwoord van minstens 8 tekens." in result.output
    assert row_counts(app)["user"] == 0


# --- configuration ---------------------------------------------------------------------------

@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setenv("PEERINTERVIEW_INSTANCE", str(folder))
    return folder


@pytest.mark.parametrize("key", [None, "", "change-me", "dev", "x" * 31])
def test_production_refuses_to_start_without_a_real_secret_key(instance, key):
    config = type("Production", (ProductionConfig,), {"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(config)
    assert not (instance / "secret_key").exists()  # production never makes its own key


def test_production_accepts_a_long_random_key(tmp_path):
    # finish_config alone: a whole production app would force HTTPS on the shared extensions.
    app = Flask(__name__, instance_path=str(tmp_path))
    app.config.from_object(type("Production", (ProductionConfig,), {
        "SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": "postgres://u:p@db/peer"}))
    finish_config(app)
    assert app.config["SECRET_KEY"] == "k" * 48
    # Hosting panels hand out postgres:// URLs; we ship psycopg 3.
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/peer"
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_development_makes_and_keeps_a_secret_key(instance):
    config = type("Development", (DevelopmentConfig,), {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": None})
    app = create_app(config)
    key_file = instance / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(app.config["SECRET_KEY"]) >= 32
    assert app.config["SECRET_KEY"] == key_file.read_text().strip()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'peerinterview.sqlite'}"
    # A restart keeps the same key, so sessions survive it.
    assert create_app(config).config["SECRET_KEY"] == app.config["SECRET_KEY"]


@pytest.mark.parametrize("name, expected", [("production", ProductionConfig), ("development", DevelopmentConfig)])
def test_environment_chooses_the_config(monkeypatch, name, expected):
    monkeypatch.setenv("PEERINTERVIEW_ENV", name)
    assert config_for_environment() is expected


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("PEERINTERVIEW_ENV", "staging")
    with pytest.raises(ConfigError, match="staging"):
        config_for_environment()


def test_session_settings_are_deliberate():
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY and ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.PERMANENT_SESSION_LIFETIME.total_seconds() == 12 * 3600
    assert TestConfig.WTF_CSRF_ENABLED


# --- health check ----------------------------------------------------------------------------

def test_healthz_reports_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unavailable_database(client, monkeypatch):
    class UnreachableDatabase:
        class session:
            @staticmethod
            def execute(*args, **kwargs):
                raise RuntimeError("database gone")

    import peerinterview

    monkeypatch.setattr(peerinterview, "db", UnreachableDatabase)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}


# --- database durability --------------------------------------------------------------------

def test_sqlite_connections_are_durable(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            db.session.remove()
            pytest.skip("SQLite pragmas; this run uses " + db.engine.dialect.name)
        pragmas = {name: db.session.execute(text(f"PRAGMA {name}")).scalar()
                   for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
        db.session.remove()
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["synchronous"] == 2  # FULL
    assert pragmas["foreign_keys"] == 1
    assert pragmas["busy_timeout"] >= 5000


def test_postgresql_is_durable(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            db.session.remove()
            pytest.skip("PostgreSQL settings; this run uses " + db.engine.dialect.name)
        settings = {name: db.session.execute(text(f"SHOW {name}")).scalar()
                    for name in ("fsync", "synchronous_commit")}
        db.session.remove()
    assert settings == {"fsync": "on", "synchronous_commit": "on"}


def test_foreign_keys_are_enforced(app, world):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(Answer(interview_id="no-such-interview", question_id=world.question_ids[0],
                              value="1", changed_at=db.func.now()))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.remove()


# --- security headers ------------------------------------------------------------------------

def csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("path", ["/login", "/healthz", "/does-not-exist"])
def test_security_headers(client, path):
    response = client.get(path)
    csp = csp_directives(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(world, login_as):
    """Under this CSP inline code would be blocked, so the pages must not need any."""
    client, _ = login_as("staf")
    for path in ("/", f"/projects/{world.project_id}", f"/projects/{world.project_id}/questionnaire",
                 f"/projects/{world.project_id}/results", "/accounts/new", f"/projects/{world.project_id}/members"):
        html = html_of(client.get(path))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert " style=" not in html, path
        assert "javascript:" not in html, path


def test_htmx_is_configured_for_the_strict_csp(client):
    html = html_of(client.get("/login"))
    match = re.search(r'<meta name="htmx-config" content="([^"]+)"', html)
    assert match
    config = json.loads(unescape(match.group(1)))
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["selfRequestsOnly"] is True
    # The CSRF token is not on <body hx-headers>, where every element would inherit it.
    assert "hx-headers" not in html
    assert {"code": "422", "swap": True} in config["responseHandling"]
