"""INSERT … ON CONFLICT for the two databases we support: never check-then-insert, which lets two
requests both insert (docs/decisions.md#upserts-never-check-then-insert)."""
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db


def insert_for_dialect(model):
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"unsupported database: {name}")
