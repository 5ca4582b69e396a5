"""The htmx autosave's own endpoint (interview/autosave.py): POST
/interviews/<id>/questions/<n>/answer. The question screen sends every change there; the reply is
the save status only. It runs without a transaction: the answer's one statement commits by itself,
on the connection the request holds already."""
import re
from pathlib import Path

import pytest
from sqlalchemy import event, select, update

from peerinterview.extensions import db
from peerinterview.models import Answer, Interview

from .builders import html_of

HTMX = {"HX-Request": "true"}


def autosave_url(interview_id, number):
    return f"/interviews/{interview_id}/questions/{number}/answer"


def stored(app, interview_id):
    with app.app_context():
        return [(a.question_id, a.value, a.text, a.special) for a in db.session.scalars(
            select(Answer).where(Answer.interview_id == interview_id).order_by(Answer.question_id))]


def test_every_answer_field_of_a_real_interview_saves_to_the_autosave_endpoint(interview_id, anna):
    client, _post = anna
    for number, fields in ((1, 1), (3, 1)):
        page = html_of(client.get(f"/interviews/{interview_id}/questions/{number}"))
        targets = re.findall(r'hx-post="([^"]+)"', page)
        # The answer and the "Weet ik niet" / "Wil ik niet zeggen" buttons, nothing else.
        assert targets and set(targets) == {autosave_url(interview_id, number)}, targets
        assert page.count('hx-target="#save-status"') == len(targets)
        # Without JavaScript the form still posts to the screen itself.
        assert f'<form method="post" action="/interviews/{interview_id}/questions/{number}"' in page


def test_practice_saves_on_its_own_screen(world, login_as):
    client, post = login_as("anna")
    page = client.get(f"/projects/{world.project_id}/practice")
    code = re.search(r'name="respondent_code"[^>]*value="([^"]+)"', html_of(page)).group(1)
    seal = re.search(r'name="respondent_code_seal"[^>]*value="([^"]+)"', html_of(page)).group(1)
    started = post(f"/projects/{world.project_id}/practice", {
        "interview_id": "00000000-0000-4000-8000-000000000000", "respondent_code": code,
        "respondent_code_seal": seal, "location_id": str(world.location_ids[0]), "consent": "y",
        "consent_data": "y", "language": "nl", "consent_method": "interviewer_tablet"})
    assert started.status_code == 303
    page = html_of(client.get(f"/projects/{world.project_id}/practice/questions/1"))
    assert set(re.findall(r'hx-post="([^"]+)"', page)) == {f"/projects/{world.project_id}/practice/questions/1"}


def test_the_autosave_stores_the_answer_and_answers_with_the_status_only(app, world, interview_id, anna):
    _client, post = anna
    response = post(autosave_url(interview_id, 1), {"answer": "2", "action": "save"}, headers=HTMX)
    assert response.status_code == 200
    body = html_of(response)
    assert body == '<span class="save-ok">Opgeslagen</span>'
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    assert "Content-Security-Policy" not in response.headers  # a fragment: no document headers
    assert stored(app, interview_id) == [(world.question_ids[0], "2", None, None)]
    # Emptied again: the row is cleared, and the status no longer says "Opgeslagen".
    response = post(autosave_url(interview_id, 3), {"text": "", "action": "save"}, headers=HTMX)
    assert response.status_code == 200 and "Opgeslagen" not in html_of(response)


def test_the_autosave_writes_in_one_statement_on_the_request_s_own_connection(app, world, interview_id, anna):
    """The view chooses autocommit itself: the answer's write runs on a connection in autocommit
    mode, and the request never holds two connections at once (no second one for the write)."""
    _client, post = anna
    post(autosave_url(interview_id, 1), {"answer": "1", "action": "save"}, headers=HTMX)  # caches warm
    held, most, writes = [0], [0], []

    def on_checkout(*_args):
        held[0] += 1
        most[0] = max(most[0], held[0])

    def on_checkin(*_args):
        held[0] -= 1

    def on_execute(connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT INTO ANSWER", "UPDATE ANSWER")):
            writes.append(connection.get_execution_options().get("isolation_level"))

    with app.app_context():
        engine = db.engine
    event.listen(engine.pool, "checkout", on_checkout)
    event.listen(engine.pool, "checkin", on_checkin)
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        response = post(autosave_url(interview_id, 1), {"answer": "3", "action": "save"}, headers=HTMX)
    finally:
        event.remove(engine.pool, "checkout", on_checkout)
        event.remove(engine.pool, "checkin", on_checkin)
        event.remove(engine, "before_cursor_execute", on_execute)
    assert response.status_code == 200
    assert writes == ["AUTOCOMMIT"]
    assert most[0] == 1
    assert stored(app, interview_id) == [(world.question_ids[0], "3", None, None)]


def test_an_invalid_answer_is_refused_with_the_message_at_its_field(app, interview_id, anna):
    _client, post = anna
    response = post(autosave_url(interview_id, 1), {"answer": "99", "action": "save"}, headers=HTMX)
    assert response.status_code == 422
    body = html_of(response)
    assert body.startswith('<span class="save-failed">Niet opgeslagen.')
    assert 'id="answer-error"' in body and 'hx-swap-oob="true"' in body
    assert stored(app, interview_id) == []


@pytest.mark.parametrize("who", ["bram", "petra", "staf"])
def test_nobody_but_the_interviewer_saves_into_an_interview(app, interview_id, login_as, who):
    _client, post = login_as(who)
    response = post(autosave_url(interview_id, 1), {"answer": "1", "action": "save"}, headers=HTMX)
    assert response.status_code == 403
    assert stored(app, interview_id) == []


def test_without_a_login_the_page_goes_to_the_login_form(app, world, interview_id, anna):
    client = app.test_client()
    response = client.post(autosave_url(interview_id, 1), data={"answer": "1"}, headers=HTMX)
    # No session, so no CSRF token either: refused before anything else.
    assert response.status_code in (400, 401)
    assert stored(app, interview_id) == []


def test_only_post_and_only_existing_questions(app, interview_id, anna):
    client, post = anna
    assert client.get(autosave_url(interview_id, 1)).status_code == 405
    assert post(autosave_url(interview_id, 9), {"answer": "1"}, headers=HTMX).status_code == 404


def test_a_finished_interview_sends_the_page_to_its_closing_screen(app, interview_id, anna):
    _client, post = anna
    with app.app_context():
        db.session.execute(update(Interview).where(Interview.id == interview_id).values(status="completed"))
        db.session.commit()
    response = post(autosave_url(interview_id, 1), {"answer": "1", "action": "save"}, headers=HTMX)
    assert response.status_code == 409
    assert response.headers["HX-Redirect"] == f"/interviews/{interview_id}/done"
    assert stored(app, interview_id) == []


def test_an_interview_that_is_not_there_sends_the_page_away(app, world, anna):
    _client, post = anna
    response = post(autosave_url("00000000-0000-4000-8000-000000000001", 1), {"answer": "1"}, headers=HTMX)
    assert response.status_code == 410
    assert response.headers["HX-Redirect"] == "/"  # the list of projects


def test_the_screen_s_own_url_still_takes_an_autosave_of_an_older_page(app, world, interview_id, anna):
    """A page rendered before the autosave had its own URL posts to the screen: same answer."""
    _client, post = anna
    response = post(f"/interviews/{interview_id}/questions/1", {"answer": "2", "action": "save"}, headers=HTMX)
    assert response.status_code == 200 and html_of(response) == '<span class="save-ok">Opgeslagen</span>'
    assert stored(app, interview_id) == [(world.question_ids[0], "2", None, None)]


@pytest.mark.database_independent
def test_the_question_screen_takes_its_autosave_attributes_from_one_definition():
    """The bundle of htmx attributes is autosave_attributes() (interview/autosave.py); the
    template writes none itself, so a field cannot drift (another target, no hx-push-url)."""
    template = (Path(__file__).resolve().parent.parent / "templates/interview/question.html").read_text()
    assert re.findall(r"hx-[a-z-]+", template) == []
    assert template.count("autosave_attributes(") == 2  # on a change; while typing


def test_the_save_status_speaks_the_interview_s_language(app, world, login_as):
    """The language comes from the interview (its URL), not from the interviewer's account."""
    client, post = login_as("anna")
    page = client.get(f"/projects/{world.project_id}/interviews/new")
    from .builders import hidden_value
    interview_id = hidden_value(page, "interview_id")
    started = post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": interview_id, "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
        "location_id": str(world.location_ids[0]), "consent": "y", "consent_data": "y", "language": "en",
        "consent_method": "interviewer_tablet"})
    assert started.status_code == 303
    response = post(autosave_url(interview_id, 1), {"answer": "1", "action": "save"}, headers=HTMX)
    assert html_of(response) == '<span class="save-ok">Saved</span>'
    refused = post(autosave_url(interview_id, 1), {"answer": "99", "action": "save"}, headers=HTMX)
    assert refused.status_code == 422 and "Not saved." in html_of(refused)
