"""Worlds built once per test process and put back from a snapshot for every later test.

Building the common worlds through the services (`world`, the access matrix's `matrix_world`)
costs a tenth of a second per test, and thousands of tests ask for one. So the first test in a
process that asks for a world into an empty database builds it, and the database's state right
after is kept; every later test that asks for it into an empty database gets that state back:
the same rows with the same ids, and no state shared with an earlier test (the clean-up after
each test still empties every table and every per-process cache).

- SQLite: the whole database file is copied with sqlite3's backup API into a database in memory,
  and copied back the same way into the test's database (every connection of the app's engine
  sees the new state: it is the same file).
- PostgreSQL: every non-empty table is kept as `COPY … TO STDOUT` text and put back with one
  `COPY … FROM STDIN` per table; the sequences are set back to where the build left them, so
  that the next row made in the test gets the id it would get after a fresh build.

When the database is not empty (another fixture made rows first), the world is built as before.
`TEST_WORLD_SNAPSHOTS=0` turns the snapshots off: every world is built anew, as before."""
import copy
import os
import sqlite3

from sqlalchemy import event, func, literal, select, union_all

from peerinterview.extensions import db

from .helpers import build_world

ENABLED = os.environ.get("TEST_WORLD_SNAPSHOTS", "1") != "0"

# key -> (snapshot of the database, the value build() gave), for this process and its database.
_SNAPSHOTS: dict = {}


def world_from_snapshot(app, key: str, build, *, on: str | None = None):
    """build()'s value, with the database as build() left it. build() makes its own app contexts
    (an outer one would leak `g`, like the cached login, into the HTTP requests it makes).

    `on`: the key of the world build() builds on (a fixture that asks for `world` and adds to
    it). Its snapshot is used only when nothing was written to the database since that world
    was put there (or built): else build() runs as before."""
    if not ENABLED:
        return build()
    with app.app_context():
        _count_the_writes(db.engine)
        if on is None:
            fresh = _database_is_empty()
        else:
            fresh = _STATE["world"] == (on, _STATE["writes"])
        if fresh and key in _SNAPSHOTS:
            snapshot, value = _SNAPSHOTS[key]
            if on is not None:
                _empty_postgresql_tables_of(_SNAPSHOTS[on][0])
            _restore(snapshot)
            db.session.remove()
            _STATE["world"] = (key, _STATE["writes"])
            return copy.deepcopy(value)
        db.session.remove()
    value = build()
    if fresh:
        with app.app_context():
            _SNAPSHOTS[key] = (_capture(), copy.deepcopy(value))
            db.session.remove()
        _STATE["world"] = (key, _STATE["writes"])
    return value


# Which world was put into the database last, and how many statements that may write had run
# through the app's engine then; the number of such statements so far.
_STATE = {"world": None, "writes": 0}
_COUNTED_ENGINES: set = set()


def _count_the_writes(engine) -> None:
    if id(engine) in _COUNTED_ENGINES:
        return
    _COUNTED_ENGINES.add(id(engine))

    @event.listens_for(engine, "before_cursor_execute")
    def count(_connection, _cursor, statement, *_args):
        if not statement.lstrip()[:6].upper().startswith("SELECT"):
            _STATE["writes"] += 1


def _empty_postgresql_tables_of(snapshot) -> None:
    """Before a world that builds on another is put back: on PostgreSQL the other one's rows go
    first (on SQLite the whole file is replaced)."""
    if isinstance(snapshot, sqlite3.Connection):
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        for name, _data in reversed(snapshot["tables"]):
            cursor.execute(f"DELETE FROM {name}")
        raw.driver_connection.commit()
    finally:
        raw.close()


def common_world(app):
    """build_world() (tests/helpers.py), from its snapshot after the first time."""

    def build():
        with app.app_context():
            return build_world()

    return world_from_snapshot(app, "world", build)


def _database_is_empty() -> bool:
    tables = db.metadata.sorted_tables
    counts = union_all(*(select(literal(table.name), func.count()).select_from(table) for table in tables))
    return not any(count for _name, count in db.session.execute(counts))


def _capture():
    if db.engine.dialect.name == "sqlite":
        raw = db.engine.raw_connection()
        try:
            snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            raw.driver_connection.backup(snapshot)
        finally:
            raw.close()
        return snapshot
    return _capture_postgresql()


def _restore(snapshot) -> None:
    if isinstance(snapshot, sqlite3.Connection):
        raw = db.engine.raw_connection()
        try:
            snapshot.backup(raw.driver_connection)
        finally:
            raw.close()
        return
    _restore_postgresql(snapshot)


def _capture_postgresql():
    quote = db.engine.dialect.identifier_preparer.quote
    tables = []
    raw = db.engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        for table in db.metadata.sorted_tables:
            name = quote(table.name)
            with cursor.copy(f"COPY {name} TO STDOUT") as copy_out:
                data = b"".join(bytes(chunk) for chunk in copy_out)
            if data:
                tables.append((name, data))
        cursor.execute("SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
                       "WHERE schemaname = current_schema()")
        sequences = cursor.fetchall()
        raw.driver_connection.rollback()
    finally:
        raw.close()
    return {"tables": tables, "sequences": sequences}


def _restore_postgresql(snapshot) -> None:
    raw = db.engine.raw_connection()
    try:
        connection = raw.driver_connection
        cursor = connection.cursor()
        for name, data in snapshot["tables"]:  # in the order of the foreign keys
            with cursor.copy(f"COPY {name} FROM STDIN") as copy_in:
                copy_in.write(data)
        if snapshot["sequences"]:
            # One statement for all: a sequence never used gets back to "next value is 1".
            calls, values = [], []
            for name, last_value in snapshot["sequences"]:
                calls.append("setval(%s::regclass, %s, %s)")
                values += [name, last_value or 1, last_value is not None]
            cursor.execute("SELECT " + ", ".join(calls), values)
        connection.commit()
    finally:
        raw.close()

