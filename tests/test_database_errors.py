"""A database error in the middle of a request (SQLite locked for more than 10 s, a PostgreSQL
connection that drops) gives the B1 error page in the user's language, for a normal request and
for an htmx request: the error page itself must not fail on the broken transaction."""
import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from peerinterview.extensions import db
from peerinterview.models import Project, User

from .builders import html_lang, html_of, plain_text

HTMX = {"HX-Request": "true"}


@pytest.fixture
def locked_database(app, monkeypatch):
    """Every UPDATE of a project fails inside the session's flush, as a database that stays
    locked does. The app runs as in production: the error goes to the error page, not to pytest."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    failures = []

    def fail(_conn, _cursor, statement, params, _context, _executemany):
        if statement.lstrip().upper().startswith("UPDATE PROJECT"):
            failures.append(statement)
            raise OperationalError(statement, params, Exception("database is locked"))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", fail)
    yield failures
    event.remove(engine, "before_cursor_execute", fail)


def edit_project(post, world, headers=None):
    return post(f"/projects/{world.project_id}/edit", {
        "name": "Een nieuwe naam", "research_question": "Wat vinden bezoekers?", "min_group_size": "5",
        "consent_text": "Meedoen is vrijwillig.",
    }, headers=headers or {})


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_database_error_in_a_flush_gives_the_b1_error_page(app, world, login_as, locked_database, headers):
    _client, post = login_as("staf")
    response = edit_project(post, world, headers)
    assert locked_database, "the flush did not reach the database"
    assert response.status_code == 500
    text = plain_text(response)
    assert "Er ging iets mis" in text
    assert "Er ging bij ons iets mis. Probeer het over een paar minuten opnieuw." in text
    assert html_lang(response) == "nl"
    assert "Internal Server Error" not in html_of(response)
    with app.app_context():
        assert db.session.get(Project, world.project_id).name == "Onderzoek dagopvang"
        db.session.remove()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_the_error_page_after_a_database_error_speaks_the_users_language(app, world, login_as, locked_database,
                                                                         headers):
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "staf").values(locale="en"))
        db.session.commit()
        db.session.remove()
    _client, post = login_as("staf")
    response = edit_project(post, world, headers)
    assert response.status_code == 500
    assert "Something went wrong on our side. Try again in a few minutes." in plain_text(response)
    assert html_lang(response) == "en"


def test_the_next_request_works_again(app, world, login_as, locked_database):
    client, post = login_as("staf")
    assert edit_project(post, world).status_code == 500
    # The session of the failed request was rolled back and given back: the next one is fine.
    response = client.get(f"/projects/{world.project_id}")
    assert response.status_code == 200
    assert "Onderzoek dagopvang" in plain_text(response)


def test_the_error_page_comes_even_when_the_database_stops_answering(app, world, login_as, monkeypatch, caplog):
    """After the failed write not even a read works (the connection is gone): the page then
    goes without the user's account, still in plain Dutch."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    broken = []

    def fail(_conn, _cursor, statement, params, _context, _executemany):
        if broken or statement.lstrip().upper().startswith("UPDATE PROJECT"):
            broken.append(statement)
            raise OperationalError(statement, params, Exception("server closed the connection unexpectedly"))

    _client, post = login_as("staf")
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", fail)
    try:
        response = edit_project(post, world)
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert len(broken) > 1  # the page tried to read the user again, and could not
    assert "error page without the user's account" in caplog.text
    assert response.status_code == 500
    assert "Er ging bij ons iets mis. Probeer het over een paar minuten opnieuw." in plain_text(response)
    assert html_lang(response) == "nl"
