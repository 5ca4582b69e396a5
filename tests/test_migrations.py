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
