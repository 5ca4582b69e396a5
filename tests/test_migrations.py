"""The schema made by the Alembic migrations is the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from peerinterview.extensions import db


def schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def test_migrated_schema_matches_the_models(app):
    with app.app_context():
        differences = schema_differences()
        db.session.remove()
    assert differences == [], "\n".join(str(d) for d in differences)


def test_migrations_have_a_single_head_at_the_current_revision(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
        heads = ScriptDirectory.from_config(config).get_heads()
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
        db.session.remove()
    assert len(heads) == 1
    assert set(current) == set(heads)


def test_downgrade_to_empty_and_upgrade_again(app):
    """Every migration can be undone; then the schema is built again (ends at head)."""
    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        upgrade()
        differences = schema_differences()
        db.session.remove()
    assert left == set()
    assert differences == []


def test_the_administrator_migration_makes_one_administrator_and_keeps_who_made_which_account(app):
    """An installation from before the administrator role: the oldest staff account that is
    switched on becomes administrator, and the logboek says who made which account."""
    from sqlalchemy import text

    with app.app_context():
        db.session.remove()
        downgrade(revision="0010")
        with db.engine.begin() as connection:
            for user_id, name, staff, disabled in ((1, "oud", True, True), (2, "sanne", True, False),
                                                   (3, "kees", True, False), (4, "anna", False, False)):
                connection.execute(text(
                    'INSERT INTO "user" (id, username, display_name, password_hash, is_staff, disabled, '
                    "session_version, created_at) VALUES (:id, :name, :name, 'x', :staff, :disabled, 1, "
                    "CURRENT_TIMESTAMP)"), {"id": user_id, "name": name, "staff": staff, "disabled": disabled})
            connection.execute(text(
                "INSERT INTO audit_event (at, user_id, action, object_type, object_id, detail) VALUES "
                "(CURRENT_TIMESTAMP, 3, 'user.create', 'user', '4', '{}')"))
            connection.execute(text("INSERT INTO two_factor (user_id, secret_encrypted, created_at) "
                                    "VALUES (2, 'geheim', CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text('SELECT username, is_admin, created_by_id FROM "user" ORDER BY id')).all()
            # Changing the user table kept what points at it (SQLite copies the table to change it).
            kept = (connection.execute(text("SELECT user_id FROM two_factor")).scalars().all(),
                    connection.execute(text("SELECT user_id FROM audit_event")).scalars().all())
        with db.engine.begin() as connection:
            for table in ("two_factor", "audit_event", '"user"'):
                connection.execute(text(f"DELETE FROM {table}"))
        db.session.remove()
    assert [(name, bool(admin), creator) for name, admin, creator in rows] == [
        ("oud", False, None), ("sanne", True, None), ("kees", False, None), ("anna", False, 3)]
    assert kept == ([2], [3])


def test_the_answer_reference_migration_gives_every_answer_its_own_random_reference(app, world):
    """Existing answers get a fresh random reference each (the panel's card keys and order); the
    answers and what points at them (a card in a theme) stay, and the way back drops only the
    reference."""
    import re

    from sqlalchemy import text

    from .builders import make_interview

    ids = [make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": f"Tekst {i}"}, completed=True)
           for i in range(3)]
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO theme (project_id, name, description, version, created_at) "
                                    "VALUES (:p, 'Rust', '', 1, CURRENT_TIMESTAMP)"), {"p": world.project_id})
            connection.execute(text("INSERT INTO coding (theme_id, answer_id, part, added_at) "
                                    "SELECT theme.id, MIN(answer.id), 'text', CURRENT_TIMESTAMP FROM theme, answer "
                                    "WHERE answer.text IS NOT NULL GROUP BY theme.id"))
            before = connection.execute(text("SELECT id, ref FROM answer ORDER BY id")).all()
        db.session.remove()
        downgrade(revision="0031")
        columns = {c["name"] for c in inspect(db.engine).get_columns("answer")}
        upgrade()
        with db.engine.connect() as connection:
            after = connection.execute(text("SELECT id, ref FROM answer ORDER BY id")).all()
            codings = connection.execute(text("SELECT COUNT(*) FROM coding")).scalar()
        db.session.remove()
    assert "ref" not in columns
    assert len(before) == 3 * 2 and len(ids) == 3
    assert [i for i, _ref in after] == [i for i, _ref in before]
    refs = [ref for _id, ref in after]
    assert len(set(refs)) == len(refs) and all(re.fullmatch(r"[0-9a-f]{16}", ref) for ref in refs)
    assert not set(refs) & {ref for _id, ref in before}  # made anew, not kept somewhere
    assert codings == 1
