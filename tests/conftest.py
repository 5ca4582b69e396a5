"""Shared fixtures: one app per test session, a clean database per test, login helpers and
factories. The database is SQLite (a file) unless TEST_DATABASE_URL points at PostgreSQL."""
import os
import tempfile
from pathlib import Path

import pytest

_instance = tempfile.mkdtemp(prefix="peerinterview-test-")
os.environ["PEERINTERVIEW_INSTANCE"] = _instance

from peerinterview import create_app  # noqa: E402
from peerinterview.config import TestConfig  # noqa: E402
from peerinterview.extensions import db  # noqa: E402
from peerinterview.security.throttle import failures  # noqa: E402
from peerinterview.process_cache import clear_all as clear_process_caches  # noqa: E402

from .helpers import Poster, build_world, login, make_user_now  # noqa: E402

def pytest_collection_modifyitems(items):
    """Tests that do not depend on the database run once, on SQLite: on PostgreSQL they would
    only repeat themselves (and make CI longer)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="the same on every database: runs on SQLite")
    for item in items:
        if item.get_closest_marker("database_independent"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def app():
    config = type("SessionTestConfig", (TestConfig,), {})
    if not config.SQLALCHEMY_DATABASE_URI:
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(_instance) / 'test.sqlite'}"
    app = create_app(config)
    with app.app_context():
        from flask_migrate import downgrade, upgrade

        # The schema comes from the migrations, as in production; start from empty.
        try:
            downgrade(revision="base")
        except Exception:
            db.session.rollback()
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(app):
    yield
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
    with app.app_context():
        return build_world()


@pytest.fixture
def draft_project(app, world):
    """A second project of `staf` with an empty draft; dirk is its designer."""
    from peerinterview.accounts.services import find_user, set_membership
    from peerinterview.projects.services import create_project

    with app.app_context():
        staff = find_user("staf")
        project = create_project(by=staff, name="Nieuwe vragenlijst", research_question="Wat vinden bewoners?",
                                 consent_text="Meedoen mag.")
        set_membership(user=find_user("dirk"), project_id=project.id, roles={"designer"}, by=staff)
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id
