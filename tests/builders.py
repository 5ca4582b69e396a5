"""Builders for the HTTP tests: interviews through HTTP (as a tablet would) or through the
services (for result data), and small readers of the HTML the tests get back.

The service builders take the `app` and open their own app context, so no context (and no
cached login in `g`) leaks into the HTTP requests of a test."""
import html
import re
import uuid
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select, update

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import questionnaire_of
from peerinterview.extensions import db
from peerinterview.interview.services import (complete_interview, new_respondent_code, save_answer,
                                              start_interview)
from peerinterview.models import Answer, Interview, Location, Project, QuestionnaireVersion

SPECIAL = "special:"


# ---------------------------------------------------------------------------------------------
# Reading responses

def html_of(response) -> str:
    return response.get_data(as_text=True)


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", html_of(response), re.S)
    assert match, html_of(response)[:500]
    return " ".join(match.group(1).split())


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', html_of(response))
    assert match, html_of(response)[:300]
    return match.group(1)


def hidden_value(response, name) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html_of(response))
    assert match, f"no hidden field {name}: {html_of(response)[:1500]}"
    return match.group(1)


def location_of(response) -> str:
    assert response.status_code in (301, 302, 303, 307, 308), response.status_code
    return response.headers["Location"]


def login_redirect_target(response) -> str | None:
    """The `next` of a redirect to the login page, or None if it is not one."""
    if response.status_code not in (302, 303):
        return None
    parts = urlsplit(response.headers["Location"])
    if parts.path != "/login":
        return None
    return parse_qs(parts.query).get("next", [None])[0]


def plain_text(response) -> str:
    """The page text without tags and with single spaces, as a user would read it."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", html_of(response)))
    return " ".join(text.split())


def _cell_text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _table_rows(table_html: str) -> list[tuple[str, list[str]]]:
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table_html, re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if header:
            rows.append((_cell_text(header.group(1)),
                         [_cell_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]))
    return rows


def breakdown_grid(page: str) -> dict[str, list[str]]:
    """The breakdown page read back into one grid, as a group-by-answer table would show it:
    {group: [people, "n (p%)" per answer in page order]} and {"Iedereen": [people, n per answer]};
    a group hidden whole is ["niet getoond"]. The page itself shows one narrow table per answer
    (the groups as rows), or one line for an answer without any number; every cell here is
    read from the page."""
    groups = re.search(r'<table class="table breakdown-table breakdown-groups"[^>]*>(.*?)</table>', page, re.S)
    assert groups, "no group table"
    grid: dict[str, list[str]] = {}
    for label, cells in _table_rows(groups.group(1)):
        grid[label] = ["niet getoond"] if cells == ["niet getoond"] else [cells[0]]
    shown_groups = [label for label, cells in grid.items() if cells != ["niet getoond"] and label != "Iedereen"]
    sections = re.findall(r'<section class="breakdown-part breakdown-answer" data-column="[^"]*"[^>]*>(.*?)</section>',
                          page, re.S)
    for section in sections:
        if "<table" not in section:
            assert "Voor alle groepen: niet getoond." in _cell_text(section), section
            for label in shown_groups + ["Iedereen"]:
                grid[label].append("niet getoond")
            continue
        rows = dict(_table_rows(section))
        for label in shown_groups:
            cells = rows[label]
            grid[label].append("niet getoond" if cells == ["niet getoond"]
                               else cells[0] if cells[1] == "–" else f"{cells[0]} ({cells[1]})")
        grid["Iedereen"].append(rows["Iedereen"][0])
    return grid


# ---------------------------------------------------------------------------------------------
# Interviews through HTTP

def start_interview_http(client, post, project_id, location_id, interview_id=None) -> str:
    """Start an interview as the logged-in interviewer; returns the interview id."""
    page = client.get(f"/projects/{project_id}/interviews/new")
    assert page.status_code == 200, html_of(page)[:500]
    interview_id = interview_id or hidden_value(page, "interview_id")
    response = post(f"/projects/{project_id}/interviews/new", {
        "interview_id": interview_id, "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
        "location_id": str(location_id), "consent": "y", "consent_data": "y", "language": "nl",
        "consent_method": "interviewer_tablet",
    })
    assert response.status_code == 303, html_of(response)[:1500]
    assert location_of(response) == f"/interviews/{interview_id}/questions/1"
    return interview_id


# ---------------------------------------------------------------------------------------------
# Interviews through the services (result data)

def make_interview(app, project_id, username, *, answers=None, completed=False, version_id=None,
                   location_id=None, released=True) -> str:
    """One interview by `username`. `answers` maps a question key ("q1") to a choice value,
    "special:dont_know" / "special:refuse", or (for open questions) the text.

    `released`: staff checked its open texts and released them to the panel (as for result data
    the panel works with); False leaves them waiting for the check, as a new answer does."""
    with app.app_context():
        project = db.session.get(Project, project_id)
        if version_id is None:
            version = questionnaire_of(project).latest_frozen
        else:
            version = db.session.get(QuestionnaireVersion, version_id)
        location = db.session.get(Location, location_id) if location_id else project.locations[0]
        interviewer = find_user(username)
        interview = start_interview(
            interview_id=str(uuid.uuid4()), project=project, version=version, location=location,
            interviewer=interviewer, respondent_code=new_respondent_code(project.id), language="nl",
        )
        by_key = {q.key: q for q in version.questions}
        for key, given in (answers or {}).items():
            question = by_key[key]
            if given.startswith(SPECIAL):
                save_answer(interview, question, special=given[len(SPECIAL):])
            elif question.kind == "open":
                save_answer(interview, question, text=given)
            else:
                save_answer(interview, question, value=given)
        if completed:
            complete_interview(interview, by=interviewer)
        if released:
            db.session.execute(update(Answer).where(Answer.interview_id == interview.id)
                               .values(review="released"))
        db.session.commit()
        interview_id = interview.id
        db.session.remove()
    return interview_id


def make_completed(app, project_id, username, answer_sets, **kwargs) -> list[str]:
    return [make_interview(app, project_id, username, answers=answers, completed=True, **kwargs)
            for answers in answer_sets]


def answers_of(app, interview_id) -> list[Answer]:
    with app.app_context():
        rows = db.session.scalars(
            select(Answer).where(Answer.interview_id == interview_id).order_by(Answer.question_id)
        ).all()
        db.session.expunge_all()
        db.session.remove()
    return rows


def interview_row(app, interview_id) -> Interview | None:
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        if interview is not None:
            db.session.expunge(interview)
        db.session.remove()
    return interview


def count_rows(app, model, *where) -> int:
    from sqlalchemy import func

    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
    return n


def demo_login(app, username: str = "demo-staf"):
    """The demo project (40 completed interviews) in the database, and a client logged in as
    one of its people: (client, project_id)."""
    from peerinterview.demo import DEMO_PASSWORD

    from .helpers import login

    with app.app_context():
        project_id = demo_project()
        db.session.remove()
    client = app.test_client()
    login(client, username, DEMO_PASSWORD)
    return client, project_id


# The rows create_demo() made in an empty database, per table, the first time in this process.
_DEMO_ROWS: dict = {}


def demo_project() -> int:
    """create_demo() in this test's database: its id. It takes seconds (40 interviews through the
    services), so into an empty database the rows it made there before are put back instead:
    the same demo, with no state shared with an earlier test. Call inside an app context."""
    from sqlalchemy import func, literal, union_all

    from peerinterview.demo import create_demo

    tables = db.metadata.sorted_tables
    counts = union_all(*(select(literal(table.name), func.count()).select_from(table) for table in tables))
    empty = not any(count for _name, count in db.session.execute(counts))
    if empty and _DEMO_ROWS:
        for table in tables:
            if rows := _DEMO_ROWS["tables"][table.name]:
                db.session.execute(table.insert(), rows)
        if db.engine.dialect.name == "postgresql":
            _sequences_past_the_restored_ids(tables)
        db.session.commit()
        return _DEMO_ROWS["project_id"]
    project = create_demo()
    db.session.commit()
    if empty:
        _DEMO_ROWS["tables"] = {table.name: [dict(row._mapping) for row in db.session.execute(
            select(table).order_by(*table.primary_key.columns))] for table in tables}
        _DEMO_ROWS["project_id"] = project.id
    return project.id


def _sequences_past_the_restored_ids(tables) -> None:
    """Rows put back with their ids leave PostgreSQL's sequences where they were, which may be
    behind them (test_migrations makes the tables anew)."""
    from sqlalchemy import Integer, text

    for table in tables:
        columns = list(table.primary_key.columns)
        if len(columns) == 1 and isinstance(columns[0].type, Integer):
            name = db.engine.dialect.identifier_preparer.quote(table.name)
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), max({columns[0].name})) FROM {name} "
                f"WHERE pg_get_serial_sequence(:table, :column) IS NOT NULL HAVING max({columns[0].name}) IS NOT NULL"),
                {"table": name, "column": columns[0].name})
