"""Configuration from environment variables.

`PEERINTERVIEW_ENV` is `development` (default) or `production`. Production refuses to start
without a real SECRET_KEY; development makes one and keeps it in the instance folder so that
sessions survive a restart of the dev server.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


class Config:
    ENV_NAME = os.environ.get("PEERINTERVIEW_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Old keys after a rotation: sessions signed with them and project keys encrypted with them
    # still work (Flask 3.1 reads this list too).
    SECRET_KEY_FALLBACKS = [key for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if key]
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in instance/
    # Connections kept open per process: an autosave uses two at once (its reads, and its write
    # in autocommit mode), so keep enough for every gunicorn thread; a connection opened and
    # closed per request costs more than the save (bench/README.md#figures-behind-the-code).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": int(os.environ.get("DB_POOL_SIZE", "10")), "max_overflow": 20}

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    # A CSRF token lives as long as the login session, not one hour: an interview of 70
    # minutes must never fail at the last answer (Flask-WTF's default limit is 3600 s).
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Long enough for a whole day of interviews at a day centre; logout ends it on the server.
    # The absolute and idle timeouts (SESSION_ABSOLUTE_TIMEOUT, SESSION_IDLE_TIMEOUT) are below.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    MAX_CONTENT_LENGTH = 1 * 1024 * 1024
    # Failed logins per username + IP address (security/throttle.py). Only failures count, and the
    # window moves on: the real user can try again after 15 minutes, it is never a lock-out.
    # memory:// holds the counts per process; set RATELIMIT_STORAGE_URI=redis://host:6379/0
    # when more than one worker process serves the app (production refuses memory:// then, see
    # check_failure_counts_are_shared).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Only for benchmarks on one machine, where logins are not what is measured.
    RATELIMIT_PER_PROCESS_ACCEPTED = os.environ.get("RATELIMIT_PER_PROCESS_ACCEPTED", "0") == "1"
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "10 per 15 minutes")
    FORCE_HTTPS = os.environ.get("FORCE_HTTPS", "1") == "1"
    TESTING = False
    # Staff must set up a second factor (TOTP, security/) before they can work. On in
    # production; off in development and tests unless STAFF_TOTP_REQUIRED=1. Staff who set one
    # up are always asked for a code, whatever this says.
    STAFF_TOTP_REQUIRED = os.environ.get("STAFF_TOTP_REQUIRED", "1") == "1"
    # Wrong codes per account, and unknown or revoked login cards per IP address.
    CODE_FAILURE_LIMIT = os.environ.get("CODE_FAILURE_LIMIT", "5 per 15 minutes")
    CARD_FAILURE_LIMIT = os.environ.get("CARD_FAILURE_LIMIT", "20 per 15 minutes")
    # Session timeouts (security/sessions.py): no request for this long ends the login, and so
    # does this long after logging in. Unsent interview answers wait on the tablet meanwhile.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "120")))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are believed.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    FORCE_HTTPS = False
    STAFF_TOTP_REQUIRED = os.environ.get("STAFF_TOTP_REQUIRED", "0") == "1"


class ProductionConfig(Config):
    ENV_NAME = "production"


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    SESSION_COOKIE_SECURE = False
    FORCE_HTTPS = False
    WTF_CSRF_ENABLED = True
    ARGON2_FAST = True  # cheap hashing parameters: tests log in hundreds of times
    STAFF_TOTP_REQUIRED = False  # tests that need it switch it on (tests/test_two_factor.py)


def config_for_environment():
    name = os.environ.get("PEERINTERVIEW_ENV", "development")
    if name == "production":
        return ProductionConfig
    if name == "development":
        return DevelopmentConfig
    raise ConfigError(f"PEERINTERVIEW_ENV must be 'development' or 'production', not {name!r}")


def finish_config(app):
    """Fill in what depends on the instance folder and check production safety."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'peerinterview.sqlite'}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://") or uri.startswith("postgres://"):
        # psycopg 3 is the driver we ship; plain URLs from hosting panels mean psycopg2.
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]

    if app.config["ENV_NAME"] == "production":
        key = app.config.get("SECRET_KEY") or ""
        if len(key) < 32 or key in {"dev", "change-me", "secret"}:
            raise ConfigError("Production needs SECRET_KEY: a random value of at least 32 characters.")
        check_failure_counts_are_shared(app.config, worker_processes())
    elif not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()


def worker_processes() -> int:
    """How many processes serve the app, as the server says: gunicorn.conf.py puts its final
    worker count (after command-line options) in PEERINTERVIEW_WORKER_PROCESSES before it starts
    them. Without it (flask run, one process) it is 1."""
    try:
        return max(1, int(os.environ.get("PEERINTERVIEW_WORKER_PROCESSES", "1")))
    except ValueError:
        return 1


def check_failure_counts_are_shared(config, workers: int) -> None:
    """Failed logins and codes must be counted in one place. With memory:// each worker process
    keeps its own counts, so N workers allow up to N times the limit
    (bench/README.md#figures-behind-the-code)."""
    uri = config["RATELIMIT_STORAGE_URI"]
    if uri.startswith("memory://") and workers > 1 and not config.get("RATELIMIT_PER_PROCESS_ACCEPTED"):
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI={uri} counts failed logins per process, and {workers} worker processes "
            "serve the app: each would allow the whole limit. Set RATELIMIT_STORAGE_URI=redis://host:6379/0 "
            "(counts shared by all workers and hosts), or run one worker (GUNICORN_WORKERS=1).")
