"""Baseline (a) of bench/answer_save.py: a bare WSGI handler that does the one upsert an answer
save needs, and nothing else (no Flask, no session, no login, no CSRF, no template).

Run by gunicorn with the same gunicorn.conf.py as the app: `gunicorn bench.baseline_wsgi:app`.
The database comes from DATABASE_URL; the SQLite pragmas (WAL, synchronous=FULL, busy timeout)
come from the same connect event as the app's (peerinterview/extensions.py), and the statement
is the same INSERT … ON CONFLICT DO UPDATE as interview/services.py:save_answer.

POST /save with a form body: interview=<uuid>&question=<id>&value=<choice>  ->  200 "Opgeslagen"
"""
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine
from sqlalchemy.dialects import postgresql, sqlite

import peerinterview.extensions  # noqa: F401  (the SQLite durability pragmas on connect)
from peerinterview.models import Answer

OK_BODY = b'<span class="save-ok">Opgeslagen</span>'


def make_engine(url: str):
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url)  # the pool Flask-SQLAlchemy makes for the app, too


def upsert(connection, interview_id: str, question_id: int, value: str | None, text: str | None) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    values = {"value": value, "text": text, "special": None, "changed_at": now, "saved_at": now}
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(Answer.__table__).values(interview_id=interview_id, question_id=question_id, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["interview_id", "question_id"],
        set_={name: getattr(stmt.excluded, name) for name in values},
        where=Answer.__table__.c.changed_at <= stmt.excluded.changed_at,
    )
    connection.execute(stmt)


engine = make_engine(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None


def app(environ, start_response):
    if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != "/save":
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"not found"]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
    try:
        with engine.begin() as connection:
            upsert(connection, form["interview"], int(form["question"]), form.get("value"), form.get("text"))
    except Exception:  # noqa: BLE001  (the bench counts a 500 as an error)
        start_response("500 Internal Server Error", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"error"]
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(OK_BODY)))])
    return [OK_BODY]
