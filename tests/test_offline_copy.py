"""The blank offline copy, over HTTP: the service worker asks for a page of an interview with the
header X-PeerInterview-Offline-Copy: 1 and keeps it in Cache Storage, which is not encrypted. The
server renders that copy without anything of the answers given so far, marks it (data-offline-copy,
and the reply's header X-PeerInterview-Offline-Copy: blank), and the header lets nobody see more
than without it."""
import re

import pytest

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import add_question, freeze_version, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Project

from .builders import html_of, location_of, plain_text, start_interview_http

OFFLINE_COPY = {"X-PeerInterview-Offline-Copy": "1"}

SECRET_TEXT = "Mijn buurman Kees Zonnebloem slaat mij"
SECRET_NOTE = "Toelichting over Kersenboomstraat 12"
SECRET_NUMBER = "93"


@pytest.fixture
def every_kind(app, world):
    """Version 2 of the world's questionnaire with every kind of answer:
    1 single (with a follow-up note), 2 scale5, 3 open, 4 multi, 5 number, 6 yes/no.
    Returns {position: question id}."""
    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, world.project_id)
        draft = new_draft(questionnaire_of(project), by=staff)
        draft.questions[0].follow_up = True
        add_question(draft, kind="multi", text="Wat eet u graag?", choice_labels=["Brood", "Soep", "Fruit"], by=staff)
        add_question(draft, kind="number", text="Hoe oud bent u?", min_value=16, max_value=110, by=staff)
        add_question(draft, kind="yesno", text="Komt u morgen weer?", by=staff)
        freeze_version(draft, by=staff)
        db.session.commit()
        ids = {q.position: q.id for q in draft.questions}
        assert [q.kind for q in draft.questions] == ["single", "scale5", "open", "multi", "number", "yesno"]
        db.session.remove()
    return ids


@pytest.fixture
def anna(world, login_as):
    return login_as("anna")


@pytest.fixture
def answered(world, every_kind, anna):
    """Anna's interview with every question answered (one with "Wil ik niet zeggen")."""
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    given = [
        {"answer": "2", "note": SECRET_NOTE},
        {"answer": "4"},
        {"text": SECRET_TEXT},
        {"answer": ["1", "3"]},
        {"number": SECRET_NUMBER},
        {"answer": "special:refuse"},
    ]
    for number, data in enumerate(given, 1):
        response = post(q_url(interview_id, number), {**data, "action": "next"})
        assert response.status_code == 303, html_of(response)[:1500]
    return interview_id


def q_url(interview_id, number):
    return f"/interviews/{interview_id}/questions/{number}"


def assert_blank_copy(response):
    assert response.status_code == 200
    assert response.headers["X-PeerInterview-Offline-Copy"] == "blank"
    assert response.headers["Cache-Control"] == "no-store"  # as every other page
    page = html_of(response)
    assert re.search(r"<body[^>]*>\s*<div hidden data-offline-copy></div>", page)
    for secret in (SECRET_TEXT, SECRET_NOTE, "Kees", "Kersenboom"):
        assert secret not in page, secret
    assert "checked" not in page and "selected" not in page
    assert f'value="{SECRET_NUMBER}"' not in page
    assert 'class="save-ok"' not in page
    return page


def test_every_question_as_an_offline_copy_shows_none_of_its_answer(every_kind, anna, answered):
    client, _post = anna
    for number in range(1, 7):
        page = assert_blank_copy(client.get(q_url(answered, number), headers=OFFLINE_COPY))
        for name in ("text", "note"):
            field = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
            assert field is None or field.group(1).strip() == "", (number, name)
        number_field = re.search(r'<input[^>]*name="number"[^>]*>', page)
        assert number_field is None or not re.search(r'value="[^"]', number_field.group(0))
        assert re.search(r'<div id="save-status"[^>]*>\s*</div>', page), number
    # The follow-up note of question 1 is there, empty.
    assert re.search(r'<textarea[^>]*name="note"[^>]*>\s*</textarea>', html_of(client.get(q_url(answered, 1),
                                                                                          headers=OFFLINE_COPY)))


def test_the_same_pages_without_the_header_still_show_the_answers(every_kind, anna, answered):
    client, _post = anna
    first = client.get(q_url(answered, 1))
    assert "X-PeerInterview-Offline-Copy" not in first.headers
    assert "data-offline-copy" not in html_of(first)
    assert "checked" in html_of(first) and SECRET_NOTE in html_of(first)
    assert "Opgeslagen" in plain_text(first)
    assert re.search(rf'<input[^>]*name="number"[^>]*value="{SECRET_NUMBER}"', html_of(client.get(q_url(answered, 5))))
    assert SECRET_TEXT in html_of(client.get(q_url(answered, 3)))
    overview = client.get(f"/interviews/{answered}/overview")
    assert SECRET_TEXT in html_of(overview) and SECRET_NOTE in html_of(overview)
    assert "Wil ik niet zeggen" in plain_text(overview)


def test_the_overview_as_an_offline_copy_has_empty_answer_cells(every_kind, anna, answered):
    client, _post = anna
    page = assert_blank_copy(client.get(f"/interviews/{answered}/overview", headers=OFFLINE_COPY))
    cells = re.findall(r"<dd data-answer>(.*?)</dd>", page, re.S)
    assert len(cells) == 6  # every question keeps its cell, for the offline code to mark a waiting answer
    assert all(cell.strip() == "" for cell in cells), cells
    for words in ("Soms", "Goed", "Brood", "Fruit", "Wil ik niet zeggen", "Geen antwoord", "Uitleg:"):
        assert words not in plain_text(client.get(f"/interviews/{answered}/overview", headers=OFFLINE_COPY)), words


def test_the_overview_copy_lists_a_question_that_skip_logic_hides_now(app, world, anna):
    from .flow_builders import make_skip_version

    make_skip_version(app, world.project_id)  # question 2 is asked only after "Elke dag" or "Soms"
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    assert location_of(post(q_url(interview_id, 1), {"answer": "3", "action": "next"})).endswith("/questions/4")
    shown = plain_text(client.get(f"/interviews/{interview_id}/overview"))
    assert "Hoe voelt u zich hier?" not in shown
    copy = client.get(f"/interviews/{interview_id}/overview", headers=OFFLINE_COPY)
    assert copy.headers["X-PeerInterview-Offline-Copy"] == "blank"
    text = plain_text(copy)
    # Offline, the tablet cannot ask which questions to skip: the copy lists them all.
    for question in ("Hoe vaak komt u hier?", "Hoe voelt u zich hier?", "Wat kan beter?", "Wilt u nog iets zeggen?"):
        assert question in text, question
    # The copy of a hidden question offers "Volgende" by number, as the offline code goes on.
    hidden = client.get(q_url(interview_id, 2), headers=OFFLINE_COPY)
    assert hidden.status_code == 200 and "Volgende" in plain_text(hidden)


def test_a_message_waiting_for_the_next_page_is_not_in_the_copy_and_not_lost(anna, answered):
    client, _post = anna
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Dit interview heeft een andere code gekregen: ZX-4711.")]
    assert "ZX-4711" not in assert_blank_copy(client.get(q_url(answered, 2), headers=OFFLINE_COPY))
    assert "ZX-4711" in html_of(client.get(q_url(answered, 2)))


def test_a_practice_screen_as_an_offline_copy_is_blank_too(world, every_kind, anna):
    client, post = anna
    page = client.get(f"/projects/{world.project_id}/practice")
    started = post(f"/projects/{world.project_id}/practice", {
        "interview_id": re.search(r'name="interview_id"[^>]*value="([^"]+)"', html_of(page)).group(1),
        "respondent_code": re.search(r'name="respondent_code"[^>]*value="([^"]+)"', html_of(page)).group(1),
        "respondent_code_seal": re.search(r'name="respondent_code_seal"[^>]*value="([^"]+)"', html_of(page)).group(1),
        "location_id": str(world.location_ids[0]), "consent": "y", "consent_data": "y", "language": "nl",
        "consent_method": "interviewer_tablet"})
    assert started.status_code == 303
    screen = f"/projects/{world.project_id}/practice/questions/3"
    assert post(screen, {"text": SECRET_TEXT, "action": "next"}).status_code == 303
    assert SECRET_TEXT in html_of(client.get(screen))
    assert_blank_copy(client.get(screen, headers=OFFLINE_COPY))
    assert_blank_copy(client.get(f"/projects/{world.project_id}/practice/overview", headers=OFFLINE_COPY))


# --- the header opens nothing ------------------------------------------------------------------

@pytest.mark.parametrize("who", ["bram", "petra", "dirk", "staf", "andere-staf"])
def test_the_header_lets_nobody_else_see_an_interview(login_as, answered, who):
    client, _post = login_as(who)
    for url in (q_url(answered, 3), f"/interviews/{answered}/overview"):
        plain = client.get(url)
        copy = client.get(url, headers=OFFLINE_COPY)
        assert copy.status_code == plain.status_code == 403, (who, url)
        assert "X-PeerInterview-Offline-Copy" not in copy.headers
        assert SECRET_TEXT not in html_of(copy)


def test_the_header_lets_nobody_in_without_logging_in(app, answered):
    client = app.test_client()
    for url in (q_url(answered, 3), f"/interviews/{answered}/overview"):
        plain = client.get(url)
        copy = client.get(url, headers=OFFLINE_COPY)
        assert copy.status_code == plain.status_code
        assert copy.headers.get("Location") == plain.headers.get("Location")
        assert "/login" in location_of(copy)
        assert SECRET_TEXT not in html_of(copy)


def test_a_finished_interview_has_no_copy(anna, answered):
    client, post = anna
    assert post(f"/interviews/{answered}/overview").status_code == 303  # finished
    for url in (q_url(answered, 3), f"/interviews/{answered}/overview"):
        copy = client.get(url, headers=OFFLINE_COPY)
        assert location_of(copy) == f"/interviews/{answered}/done"
        assert "X-PeerInterview-Offline-Copy" not in copy.headers


def test_a_post_with_the_header_is_an_ordinary_post(app, anna, answered):
    """The header only changes what a GET renders: a POST saves and moves on as always."""
    _client, post = anna
    response = post(q_url(answered, 3), {"text": "Nieuw antwoord", "action": "next"}, headers=OFFLINE_COPY)
    assert location_of(response) == q_url(answered, 4)
    assert "X-PeerInterview-Offline-Copy" not in response.headers
