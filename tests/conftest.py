"""Shared fixtures: one app per test session, a clean database per test, login helpers and
factories. The database is SQLite (a file) unless TEST_DATABASE_URL points at PostgreSQL.

Safe for pytest-xdist (`-n 2`): every worker process has its own instance folder (so its own
SQLite file) and, on PostgreSQL, its own database next to the one TEST_DATABASE_URL names."""
import atexit
import gc
import gettext
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The SQLite file lives in memory-backed storage where there is some (Linux's /dev/shm): the
# settings stay as in production (WAL, synchronous=FULL), only the flush to disk after every
# commit is free, and the tests commit thousands of times.
_MEMORY = Path("/dev/shm")
_instance = tempfile.mkdtemp(prefix="peerinterview-test-",
                             dir=_MEMORY if _MEMORY.is_dir() and os.access(_MEMORY, os.W_OK) else None)
atexit.register(shutil.rmtree, _instance, ignore_errors=True)
os.environ["PEERINTERVIEW_INSTANCE"] = _instance

from peerinterview import create_app  # noqa: E402
from peerinterview.config import TestConfig  # noqa: E402
from peerinterview.extensions import db  # noqa: E402
from peerinterview.security.throttle import failures  # noqa: E402
from peerinterview.process_cache import clear_all as clear_process_caches  # noqa: E402

from .builders import start_interview_http  # noqa: E402
from .helpers import Poster, login, make_user_now  # noqa: E402
from .worlds import common_world, world_from_snapshot  # noqa: E402

# Fixtures several test modules share, kept in modules of their own.
pytest_plugins = ["tests.fixtures_followup"]

gc.set_threshold(50_000, 50, 100)  # see pytest_collection_finish
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def pytest_collection_finish(session):
    """Python's cycle collector walks every live object again and again, and a test process holds
    many that live as long as it does (the app, its templates, the imported modules, the collected
    tests). Moved out of its reach once collected, and with a less eager first generation, the
    same tests take about a tenth less CPU time. Nothing is kept longer: unreachable cycles are still
    collected."""
    gc.freeze()


def pytest_sessionstart(session):
    """Without compiled catalogues (.mo) every English page shows Dutch, and a handful of tests
    fail far from the cause; say so once, before any test runs."""
    if problem := translation_problem():
        pytest.exit(f"{problem}\nCompile them first: pybabel compile -d translations "
                    "(./scripts/test does this).", returncode=pytest.ExitCode.USAGE_ERROR)


def translation_problem() -> str | None:
    """Why the compiled catalogues cannot be used as they are, or None: a .mo file is missing,
    or it gives other texts than its messages.po (compiled before the last change)."""
    from babel.messages.pofile import read_po

    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            return f"The compiled translations are missing: {mo_path.relative_to(TRANSLATIONS.parent)}."
        with po_path.open("rb") as po_file, mo_path.open("rb") as mo_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
            compiled = gettext.GNUTranslations(mo_file)
        for message in list(catalog)[1:]:
            if message.fuzzy:
                continue
            if message.pluralizable:
                # An empty plural form falls back to the msgid (singular for form 0).
                forms = [text or message.id[min(index, 1)] for index, text in enumerate(message.string)]
                expected = [forms[min(compiled.plural(count), len(forms) - 1)] for count in (1, 2)]
                got = [compiled.ngettext(message.id[0], message.id[1], count) for count in (1, 2)]
            else:
                expected, got = message.string or message.id, compiled.gettext(message.id)
            if got != expected:
                return (f"The compiled translations are out of date: {mo_path.relative_to(TRANSLATIONS.parent)} "
                        f"gives {got!r} for {message.id!r}, messages.po says {expected!r}.")
    return None


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked the browser tests
def pytest_collection_modifyitems(items):
    """Tests that do not depend on the database run once, on SQLite: on PostgreSQL they would
    only repeat themselves (and make CI longer). Those are the tests marked
    `database_independent`, and every test that never asks for the app: only the `app` fixture
    opens the test database (the apps other tests make have a database of their own)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="the same on every database: runs on SQLite")
    for item in items:
        if item.get_closest_marker("database_independent") or not asks_for_the_app(item):
            item.add_marker(skip)


def asks_for_the_app(item) -> bool:
    """Whether the test asks for the `app` fixture, itself or through the fixtures it uses. The
    autouse clean-up (`clean_database`) does not count: it only empties the database."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return True
    wanted = list(info.argnames)
    for marker in item.iter_markers("usefixtures"):
        wanted.extend(marker.args)
    seen = set()
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        for fixturedef in info.name2fixturedefs.get(name, ()):
            wanted.extend(fixturedef.argnames)
    return "app" in seen


def worker_database(url: str, worker: str) -> str:
    """This xdist worker's own PostgreSQL database ("<name>_gw0"), made if it is not there yet.
    The workers empty their tables after every test, so they cannot share one."""
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    mine = base.set(database=f"{base.database}_{worker}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                       {"name": mine.database})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{mine.database}"'))
    finally:
        engine.dispose()
    return mine.render_as_string(hide_password=False)


def drop_worker_database(url: str, worker: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{base.database}_{worker}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def app():
    config = type("SessionTestConfig", (TestConfig,), {})
    shared_url = config.SQLALCHEMY_DATABASE_URI
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not shared_url:
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(_instance) / 'test.sqlite'}"
    elif worker:
        config.SQLALCHEMY_DATABASE_URI = worker_database(shared_url, worker)
    app = create_app(config)
    with app.app_context():
        from flask_migrate import downgrade, upgrade

        # The schema comes from the migrations, as in production; start from empty.
        try:
            downgrade(revision="base")
        except Exception:
            db.session.rollback()
        upgrade()
    gc.freeze()  # the app and its caches live as long as the test process
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if shared_url and worker:
        drop_worker_database(shared_url, worker)


@pytest.fixture(autouse=True)
def clean_database(app):
    yield
    empty_the_database(app)


def empty_the_database(app):
    """What the clean-up after every test does."""
    failures.reset()  # failed-login counts (memory storage) must not carry over between tests
    # Emptied tables give ids again (SQLite): what is kept per process (frozen questions, an
    # interview's facts, …) must go too.
    clear_process_caches()
    with app.app_context():
        db.session.rollback()
        _back_to_the_newest_schema()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


def _back_to_the_newest_schema():
    """A migration test that failed halfway may leave an older schema behind; every later test
    would then fail for that one reason. One small query per test finds it."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    try:
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        db.session.rollback()
        current = None
    if current != _newest_revision():
        db.session.remove()
        upgrade()


def _newest_revision():
    global _NEWEST
    if _NEWEST is None:
        from alembic.script import ScriptDirectory
        from flask import current_app

        config = current_app.extensions["migrate"].migrate.get_config()
        _NEWEST = ScriptDirectory.from_config(config).get_current_head()
    return _NEWEST


_NEWEST = None


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(app):
    """login_as("name") -> (client, post): a logged-in client and a CSRF-aware POST helper."""

    def _login_as(username):
        client = app.test_client()
        login(client, username)
        return client, Poster(client)

    return _login_as


@pytest.fixture
def make_user(app):
    """make_user(name, staff=…, admin=…, project_id=…, roles=…) -> username. Its own app context, so
    that no context (and no cached login in `g`) leaks into the HTTP requests of the test."""

    def make(username, *, staff=False, admin=False, project_id=None, roles=()):
        with app.app_context():
            from peerinterview.models import Project

            project = db.session.get(Project, project_id) if project_id else None
            make_user_now(username, staff=staff, admin=admin, project=project, roles=roles)
            db.session.remove()
        return username

    return make


@pytest.fixture
def world(app):
    """A project with the usual people (see build_world): built once per process, then put back
    from a snapshot (tests/worlds.py)."""
    return common_world(app)


@pytest.fixture
def anna(world, login_as):
    """(client, post) of anna, an interviewer of the world's project."""
    return login_as("anna")


@pytest.fixture
def interview_id(world, anna):
    """An interview anna started at the world's first location (its questions unanswered)."""
    client, post = anna
    return start_interview_http(client, post, world.project_id, world.location_ids[0])


@pytest.fixture
def draft_project(app, world):
    """A second project of `staf` with an empty draft; dirk is its designer. Built once per
    process, then put back from a snapshot (tests/worlds.py)."""
    from peerinterview.accounts.services import find_user, set_membership
    from peerinterview.projects.services import create_project

    def build():
        with app.app_context():
            staff = find_user("staf")
            project = create_project(by=staff, name="Nieuwe vragenlijst", research_question="Wat vinden bewoners?",
                                     consent_text="Meedoen mag.")
            set_membership(user=find_user("dirk"), project_id=project.id, roles={"designer"}, by=staff)
            db.session.commit()
            project_id = project.id
            db.session.remove()
        return project_id

    return world_from_snapshot(app, "draft_project", build, on="world")
