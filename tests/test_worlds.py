"""The common worlds come back from a snapshot (tests/worlds.py): a test that changes its world
must leave nothing behind for the next test, and the world put back must be the one built, with
the same ids and the same next ids."""
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import Project, User

from . import worlds
from .conftest import empty_the_database
from .helpers import make_user_now

CHANGED_NAME = "Veranderd door een test"


def _change_the_world(app, world) -> int:
    """Renames the project, removes dirk's account, adds an account; the new account's id."""
    with app.app_context():
        db.session.get(Project, world.project_id).name = CHANGED_NAME
        db.session.delete(find_user("dirk"))
        db.session.commit()
        new_id = make_user_now("indringer").id
        db.session.remove()
    return new_id


def _assert_the_world_as_built(app, world) -> None:
    with app.app_context():
        assert db.session.get(Project, world.project_id).name == "Onderzoek dagopvang"
        usernames = set(db.session.scalars(select(User.username)))
        assert usernames == {"staf", "anna", "bram", "petra", "dirk", "andere-staf"}
        db.session.remove()


def test_a_changed_world_is_put_back_as_built_with_the_same_next_ids(app):
    first = worlds.common_world(app)
    ids = (first.project_id, first.other_project_id, first.version_id, list(first.question_ids),
           list(first.location_ids))
    new_id = _change_the_world(app, first)
    first.project_id = -1  # the test's copy of the world's values is its own too
    empty_the_database(app)

    again = worlds.common_world(app)
    _assert_the_world_as_built(app, again)
    if not worlds.ENABLED:  # built anew: PostgreSQL's sequences went on counting
        return
    assert "world" in worlds._SNAPSHOTS
    assert (again.project_id, again.other_project_id, again.version_id, again.question_ids,
            again.location_ids) == ids
    # The next row gets the id it got after the build: the sequences went back too.
    with app.app_context():
        assert make_user_now("indringer").id == new_id
        db.session.remove()


def test_a_test_that_changes_the_world(app, world):
    _change_the_world(app, world)
    world.location_ids.clear()


def test_the_next_test_sees_the_original_world(app, world):
    _assert_the_world_as_built(app, world)
    assert len(world.location_ids) == 2


def test_a_world_is_built_as_before_when_the_database_is_not_empty(app):
    with app.app_context():
        make_user_now("eerder")
        db.session.remove()
    world = worlds.common_world(app)
    with app.app_context():
        assert find_user("eerder") is not None
        assert db.session.get(Project, world.project_id).name == "Onderzoek dagopvang"
        db.session.remove()


def test_a_world_on_the_world_comes_back_only_when_nothing_was_written_in_between(app):
    builds = []

    def build_on_the_world():
        builds.append(1)
        with app.app_context():
            user_id = make_user_now("bovenop").id
            db.session.remove()
        return {"user_id": user_id}

    worlds.common_world(app)
    first = worlds.world_from_snapshot(app, "test-on-the-world", build_on_the_world, on="world")
    empty_the_database(app)

    worlds.common_world(app)
    again = worlds.world_from_snapshot(app, "test-on-the-world", build_on_the_world, on="world")
    assert again == first
    with app.app_context():
        assert find_user("bovenop").id == first["user_id"]
        usernames = set(db.session.scalars(select(User.username)))
        assert usernames == {"staf", "anna", "bram", "petra", "dirk", "andere-staf", "bovenop"}
        db.session.remove()
    assert len(builds) == (1 if worlds.ENABLED else 2)
    empty_the_database(app)

    # Something written after the world was put back: its snapshot would lose it, so build.
    worlds.common_world(app)
    with app.app_context():
        make_user_now("tussendoor")
        db.session.remove()
    worlds.world_from_snapshot(app, "test-on-the-world", build_on_the_world, on="world")
    with app.app_context():
        assert find_user("tussendoor") is not None and find_user("bovenop") is not None
        db.session.remove()
    assert len(builds) == (2 if worlds.ENABLED else 3)
