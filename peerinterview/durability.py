"""Durability first: the app checks the database settings when it starts
(docs/decisions.md#durability-checked-at-start).

SQLite must run in WAL mode with synchronous=FULL and a busy timeout of at least 5 s (set on
every connection in extensions.py); PostgreSQL must keep fsync and synchronous_commit on. An
acknowledged answer must survive a power cut.

Production refuses to start when a setting is wrong; development and tests log a warning. A
database that cannot be reached at start is logged, not fatal: /healthz reports it, and the
app works as soon as the database is back.
"""
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .config import ConfigError

MIN_BUSY_TIMEOUT_MS = 5000


def read_settings(connection) -> dict:
    """The durability settings of one live connection, by name."""
    name = connection.dialect.name
    if name == "sqlite":
        return {pragma: connection.execute(text(f"PRAGMA {pragma}")).scalar()
                for pragma in ("journal_mode", "synchronous", "busy_timeout")}
    if name == "postgresql":
        return {setting: connection.execute(text(f"SHOW {setting}")).scalar()
                for setting in ("fsync", "synchronous_commit")}
    return {}


def durability_problems(dialect: str, settings: dict) -> list[str]:
    """What is wrong with `settings` (from read_settings); an empty list when all is well."""
    problems = []
    if dialect == "sqlite":
        if str(settings.get("journal_mode", "")).lower() != "wal":
            problems.append(f"SQLite journal_mode is {settings.get('journal_mode')!r}, not 'wal'")
        if settings.get("synchronous") != 2:
            problems.append(f"SQLite synchronous is {settings.get('synchronous')!r}, not 2 (FULL)")
        if (settings.get("busy_timeout") or 0) < MIN_BUSY_TIMEOUT_MS:
            problems.append(f"SQLite busy_timeout is {settings.get('busy_timeout')!r} ms, "
                            f"less than {MIN_BUSY_TIMEOUT_MS}")
    elif dialect == "postgresql":
        if settings.get("fsync") != "on":
            problems.append(f"PostgreSQL fsync is {settings.get('fsync')!r}, not 'on'")
        # 'local', 'remote_write', 'remote_apply' and 'on' all wait for the local flush.
        if settings.get("synchronous_commit") == "off":
            problems.append("PostgreSQL synchronous_commit is 'off': acknowledged answers can be lost")
    else:
        problems.append(f"unsupported database: {dialect}")
    return problems


def check_database_durability(app, db) -> list[str]:
    """Run at start (create_app). Returns the problems found; raises ConfigError in production."""
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                dialect = connection.dialect.name
                settings = read_settings(connection)
        except SQLAlchemyError as error:
            app.logger.warning("database not reachable at start, durability not checked: %s",
                               type(error).__name__)
            return []
        finally:
            # No pooled connection may cross a fork (gunicorn --preload): start empty.
            db.engine.dispose()
    problems = durability_problems(dialect, settings)
    if problems and app.config.get("ENV_NAME") == "production":
        raise ConfigError("The database is not durable: " + "; ".join(problems))
    for problem in problems:
        app.logger.warning("database not durable: %s", problem)
    return problems
