"""Taking an interview over HTTP: consent and start, one question per page, idempotent saves,
htmx autosave fragments, required answers, special answers, the overview and finishing."""
import uuid
from datetime import timedelta

import pytest

from peerinterview.extensions import db
from peerinterview.interview.services import save_answer
from peerinterview.models import Answer, Interview, Location, Question
from peerinterview.models.base import utcnow

from .builders import (count_rows, hidden_value, html_of, interview_row, location_of,
                       plain_text, title_of)
from .helpers import csrf_token

HTMX = {"HX-Request": "true"}
HTMX_BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


def question_url(interview_id, number):
    return f"/interviews/{interview_id}/questions/{number}"


def stored(app, interview_id):
    """[(question position, value, text, special)] of the stored answer rows."""
    with app.app_context():
        rows = db.session.execute(
            db.select(Question.position, Answer.value, Answer.text, Answer.special)
            .join(Answer, Answer.question_id == Question.id)
            .where(Answer.interview_id == interview_id).order_by(Question.position)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


# --- starting --------------------------------------------------------------------------------

def test_start_page_shows_consent_text_and_a_code(world, anna):
    client, _post = anna
    response = client.get(f"/projects/{world.project_id}/interviews/new")
    assert response.status_code == 200
    html = html_of(response)
    assert "Meedoen is vrijwillig." in html
    assert "Schrijf nooit een naam op. De code is genoeg." in html
    uuid.UUID(hidden_value(response, "interview_id"))
    code = hidden_value(response, "respondent_code")
    assert f'<strong class="code">{code}</strong>' in html
    assert response.headers["Cache-Control"] == "no-store"


def test_start_without_consent_is_refused(app, world, anna):
    client, post = anna
    page = client.get(f"/projects/{world.project_id}/interviews/new")
    response = post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": hidden_value(page, "interview_id"), "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
        "location_id": str(world.location_ids[0]),
    })
    assert response.status_code == 422
    assert "Vraag eerst toestemming. Zonder toestemming kan het interview niet beginnen." in html_of(response)
    assert title_of(response).startswith("Fout: Nieuw interview")
    assert count_rows(app, Interview) == 0


def test_start_without_location_is_refused(app, world, anna):
    client, post = anna
    page = client.get(f"/projects/{world.project_id}/interviews/new")
    response = post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": hidden_value(page, "interview_id"), "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
        "consent": "y", "consent_data": "y", "language": "nl",
    })
    assert response.status_code == 422
    assert "Kies waar het interview is." in html_of(response)
    # The same code stays on the page, so the interviewer need not write a new one down.
    assert hidden_value(response, "respondent_code") == hidden_value(page, "respondent_code")
    assert count_rows(app, Interview) == 0


def test_start_with_nothing_names_both_problems(app, world, anna):
    _client, post = anna
    response = post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": str(uuid.uuid4()), "respondent_code": "ABCDE",
    })
    assert response.status_code == 422
    assert "Vraag eerst toestemming" in html_of(response)
    assert "Kies waar het interview is." in html_of(response)
    assert count_rows(app, Interview) == 0


def test_start_is_idempotent_on_the_posted_uuid(app, world, anna):
    client, post = anna
    interview_id = str(uuid.uuid4())
    pages = [client.get(f"/projects/{world.project_id}/interviews/new") for _ in range(2)]
    responses = [post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": interview_id, "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"), "location_id": str(world.location_ids[0]),
        "consent": "y", "consent_data": "y", "language": "nl",
    }) for page in pages]
    for response in responses:
        assert response.status_code == 303
        assert location_of(response) == question_url(interview_id, 1)
    assert count_rows(app, Interview) == 1
    interview = interview_row(app, interview_id)
    assert interview.respondent_code == hidden_value(pages[0], "respondent_code")  # the first start wins
    assert interview.status == "in_progress"
    assert interview.consent_version == 1
    assert interview.consent_given_at is not None
    assert interview.version_id == world.version_id


def start_form(page, interview_id, world, language="nl"):
    """What the start page posts when every box is ticked."""
    return {"interview_id": interview_id, "respondent_code": hidden_value(page, "respondent_code"),
            "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
            "location_id": str(world.location_ids[0]), "consent": "y", "consent_data": "y", "language": language}


def test_a_boosted_start_answers_with_the_first_question_and_its_own_address(app, world, anna):
    """The tablet's start (htmx) gets the first question at once instead of a redirect (one round
    trip less); the address bar and the history get the question's GET address, so a reload asks
    for the question, never the start again. A double tap still makes one interview."""
    client, post = anna
    start = f"/projects/{world.project_id}/interviews/new"
    page = client.get(start)
    interview_id = hidden_value(page, "interview_id")
    replies = [post(start, start_form(page, interview_id, world), headers=HTMX_BOOSTED) for _ in range(2)]
    for reply in replies:
        assert reply.status_code == 200
        assert reply.headers["HX-Push-Url"] == question_url(interview_id, 1)
        assert title_of(reply) == "Vraag 1 van 3 – PeerInterview"
        html = html_of(reply)
        assert '<h1 class="question-heading" tabindex="-1" lang="nl" data-read>Hoe vaak komt u hier?</h1>' in html
        # The answer form posts to the question, and the offline code knows the interview.
        assert f'action="{question_url(interview_id, 1)}"' in html
        assert f'data-interview-id="{interview_id}"' in html
        assert f'data-question-id="{world.question_ids[0]}"' in html
        assert "checked" not in html.split('class="question-form')[1].split("</form>")[0]
    assert count_rows(app, Interview) == 1
    interview = interview_row(app, interview_id)
    assert interview.status == "in_progress" and interview.consent_given_at is not None  # consent before any question
    # The address it pushed is the question's own page.
    again = client.get(replies[0].headers["HX-Push-Url"])
    assert again.status_code == 200 and title_of(again) == "Vraag 1 van 3 – PeerInterview"
    assert count_rows(app, Interview) == 1


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain-form", "htmx-not-boosted"])
def test_a_start_without_a_boosted_request_is_still_303_to_the_question(app, world, anna, headers):
    client, post = anna
    start = f"/projects/{world.project_id}/interviews/new"
    page = client.get(start)
    interview_id = hidden_value(page, "interview_id")
    response = post(start, start_form(page, interview_id, world), headers=headers)
    assert response.status_code == 303
    assert location_of(response) == question_url(interview_id, 1)
    assert "HX-Push-Url" not in response.headers
    assert count_rows(app, Interview) == 1


def test_a_boosted_start_shows_the_first_question_in_the_interviews_language(app, world, anna):
    client, post = anna
    start = f"/projects/{world.project_id}/interviews/new"
    page = client.get(start)
    interview_id = hidden_value(page, "interview_id")
    reply = post(start, start_form(page, interview_id, world, language="en"), headers=HTMX_BOOSTED)
    assert reply.status_code == 200
    html = html_of(reply)
    assert html.startswith("<!doctype html>\n<html lang=\"en\">") or '<html lang="en">' in html
    assert title_of(reply) == "Question 1 of 3 – PeerInterview"
    # The page of its own language hides the language switch, as the question's GET does.
    assert 'name="lang"' not in html
    assert html_of(client.get(question_url(interview_id, 1))).count('name="lang"') == 0


def test_a_boosted_start_sent_again_after_the_stop_goes_to_the_end(app, world, anna):
    """A start sent again for an interview that is no longer in progress shows no question."""
    client, post = anna
    start = f"/projects/{world.project_id}/interviews/new"
    page = client.get(start)
    interview_id = hidden_value(page, "interview_id")
    assert post(start, start_form(page, interview_id, world), headers=HTMX_BOOSTED).status_code == 200
    assert post(f"/interviews/{interview_id}/stop", {"keep_answers": "erase"}).status_code == 303
    again = post(start, start_form(page, interview_id, world), headers=HTMX_BOOSTED)
    assert again.status_code == 303
    assert "HX-Push-Url" not in again.headers
    assert location_of(client.get(location_of(again))) == f"/interviews/{interview_id}/done"


def test_a_boosted_start_is_refused_to_others(app, world, anna, login_as, client):
    """Another interviewer sending anna's interview id, an interviewer of another project, and a
    logged-out visitor get no question page."""
    anna_client, anna_post = anna
    start = f"/projects/{world.project_id}/interviews/new"
    page = anna_client.get(start)
    interview_id = hidden_value(page, "interview_id")
    assert anna_post(start, start_form(page, interview_id, world), headers=HTMX_BOOSTED).status_code == 200
    bram_client, bram_post = login_as("bram")
    bram_page = bram_client.get(start)
    stolen = bram_post(start, start_form(bram_page, interview_id, world), headers=HTMX_BOOSTED)
    assert stolen.status_code == 403
    assert "Hoe vaak komt u hier?" not in html_of(stolen)
    other = bram_post(f"/projects/{world.other_project_id}/interviews/new",
                      start_form(bram_page, str(uuid.uuid4()), world), headers=HTMX_BOOSTED)
    assert other.status_code == 403
    assert "HX-Push-Url" not in other.headers
    token = csrf_token(client, "/login")  # a token of its own, so only the login check stops it
    anonymous = client.post(start, data={**start_form(page, str(uuid.uuid4()), world), "csrf_token": token},
                            headers=HTMX_BOOSTED)
    assert anonymous.status_code == 302
    assert location_of(anonymous).startswith("/login?next=")
    assert "HX-Push-Url" not in anonymous.headers and "Hoe vaak komt u hier?" not in html_of(anonymous)
    assert count_rows(app, Interview) == 1


def test_start_with_a_location_of_another_project_is_refused(app, world, anna):
    with app.app_context():
        other = Location(project_id=world.other_project_id, name="Elders")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
        db.session.remove()
    _client, post = anna
    response = post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": str(uuid.uuid4()), "respondent_code": "ABCDE", "location_id": str(other_id), "consent": "y", "consent_data": "y", "language": "nl",
    })
    # The radio list only holds this project's locations, so the form refuses the value.
    assert response.status_code == 422
    assert "Ongeldige keuze." in html_of(response)
    assert count_rows(app, Interview) == 0


def test_start_with_a_bad_interview_id_is_refused(app, world, anna):
    _client, post = anna
    response = post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": "not-a-uuid", "respondent_code": "ABCDE", "location_id": str(world.location_ids[0]),
        "consent": "y", "consent_data": "y", "language": "nl",
    })
    assert response.status_code == 422
    assert count_rows(app, Interview) == 0


def test_start_waits_for_a_frozen_questionnaire(app, world, login_as, make_user):
    from peerinterview.accounts.services import find_user, set_membership
    from peerinterview.projects.services import add_location, create_project

    with app.app_context():
        staff = find_user("staf")
        project = create_project(by=staff, name="Nog niet klaar", research_question="?", consent_text="Ja.")
        add_location(project, "Hier", by=staff)
        set_membership(user=find_user("anna"), project_id=project.id, roles={"interviewer"}, by=staff)
        db.session.commit()
        project_id = project.id
        db.session.remove()
    client, _post = login_as("anna")
    response = client.get(f"/projects/{project_id}/interviews/new")
    assert response.status_code == 409
    assert "De vragenlijst is nog niet vastgezet. Vraag het aan de begeleider." in html_of(response)
    listing = client.get(f"/projects/{project_id}/interviews")
    assert "U kunt nog niet beginnen." in html_of(listing)
    assert f"/projects/{project_id}/interviews/new" not in html_of(listing)


# --- answering -------------------------------------------------------------------------------

def test_question_page_is_one_question_with_its_heading(interview_id, anna):
    client, _post = anna
    response = client.get(question_url(interview_id, 1))
    assert response.status_code == 200
    html = html_of(response)
    assert title_of(response) == "Vraag 1 van 3 – PeerInterview"
    assert '<h1 class="question-heading" tabindex="-1" lang="nl" data-read>Hoe vaak komt u hier?</h1>' in html
    for label in ("Elke dag", "Soms", "Bijna nooit"):  # questionnaire content, marked Dutch
        assert f"<span lang=\"nl\" data-read>{label}</span>" in html
    for label in ("Weet ik niet", "Wil ik niet zeggen"):  # UI text, in the UI language
        assert f"<span>{label}</span>" in html
    assert "Hoe voelt u zich hier?" not in html
    assert "Vorige" not in html  # nothing before the first question


def test_next_with_a_choice_saves_one_answer_and_goes_on(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 1), {"answer": "2", "action": "next"})
    assert response.status_code == 303
    assert location_of(response) == question_url(interview_id, 2)
    assert stored(app, interview_id) == [(1, "2", None, None)]


def test_the_same_post_five_times_is_still_one_answer(app, interview_id, anna):
    _client, post = anna
    for _ in range(5):
        response = post(question_url(interview_id, 1), {"answer": "2", "action": "next"})
        assert response.status_code == 303
    assert count_rows(app, Answer, Answer.interview_id == interview_id) == 1
    assert stored(app, interview_id) == [(1, "2", None, None)]


def test_changing_an_answer_updates_the_one_row(app, interview_id, anna):
    client, post = anna
    post(question_url(interview_id, 1), {"answer": "2", "action": "next"})
    post(question_url(interview_id, 1), {"answer": "3", "action": "next"})
    assert stored(app, interview_id) == [(1, "3", None, None)]
    page = html_of(client.get(question_url(interview_id, 1)))
    assert 'checked id="answer-2" name="answer" type="radio" value="3"' in page
    assert '<span class="save-ok">Opgeslagen</span>' in page


def test_htmx_autosave_returns_only_the_status_fragment(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 1), {"answer": "1", "action": "save"}, headers=HTMX)
    assert response.status_code == 200
    body = html_of(response)
    assert "Opgeslagen" in body
    assert "<html" not in body and "<h1" not in body and "<form" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "no-store"
    assert stored(app, interview_id) == [(1, "1", None, None)]


@pytest.mark.parametrize("headers", [HTMX_BOOSTED, {}], ids=["boosted", "plain-form"])
def test_save_without_a_fragment_request_redirects_to_the_page(app, interview_id, anna, headers):
    _client, post = anna
    response = post(question_url(interview_id, 1), {"answer": "1", "action": "save"}, headers=headers)
    assert response.status_code == 303
    assert location_of(response) == question_url(interview_id, 1)
    assert stored(app, interview_id) == [(1, "1", None, None)]


def test_htmx_autosave_of_an_invalid_value_says_not_saved(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 1), {"answer": "99", "action": "save"}, headers=HTMX)
    assert response.status_code == 422
    body = html_of(response)
    assert "Niet opgeslagen." in body
    assert "Opgeslagen" not in body.replace("Niet opgeslagen", "")
    assert "<html" not in body
    assert stored(app, interview_id) == []


def test_invalid_choice_without_htmx_rerenders_the_page(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 1), {"answer": "99", "action": "next"})
    assert response.status_code == 422
    assert "Kies een van de antwoorden." in html_of(response)
    assert title_of(response).startswith("Fout: Vraag 1 van 3")
    assert stored(app, interview_id) == []


def test_required_question_without_answer_is_422(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 1), {"action": "next"})
    assert response.status_code == 422
    html = html_of(response)
    assert "Kies een antwoord." in html
    assert title_of(response).startswith("Fout:")
    assert 'data-error-summary' in html
    assert 'aria-describedby="answer-error"' in html
    assert stored(app, interview_id) == []


def test_optional_question_may_be_skipped(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 2), {"action": "next"})
    assert response.status_code == 303
    assert location_of(response) == question_url(interview_id, 3)
    assert stored(app, interview_id) == []  # skipping stores nothing


def test_previous_works_without_answering_a_required_question(app, world, interview_id, anna):
    with app.app_context():
        db.session.get(Question, world.question_ids[1]).required = True
        db.session.commit()
        db.session.remove()
    _client, post = anna
    assert post(question_url(interview_id, 2), {"action": "next"}).status_code == 422
    response = post(question_url(interview_id, 2), {"action": "previous"})
    assert response.status_code == 303
    assert location_of(response) == question_url(interview_id, 1)
    assert stored(app, interview_id) == []


def test_previous_also_saves_a_given_answer(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 2), {"answer": "4", "action": "previous"})
    assert location_of(response) == question_url(interview_id, 1)
    assert stored(app, interview_id) == [(2, "4", None, None)]


def test_special_answer_is_stored_apart_from_a_value(app, interview_id, anna):
    client, post = anna
    response = post(question_url(interview_id, 1), {"answer": "special:dont_know", "action": "next"})
    assert response.status_code == 303  # it counts as an answer to a required question
    assert post(question_url(interview_id, 2), {"answer": "special:refuse", "action": "next"}).status_code == 303
    assert stored(app, interview_id) == [(1, None, None, "dont_know"), (2, None, None, "refuse")]
    assert 'checked id="answer-3" name="answer" type="radio" value="special:dont_know"' in html_of(
        client.get(question_url(interview_id, 1)))


def test_unknown_special_answer_is_refused(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 1), {"answer": "special:maybe", "action": "next"})
    assert response.status_code == 422
    assert stored(app, interview_id) == []


def test_open_answer_is_stored_as_text(app, interview_id, anna):
    client, post = anna
    response = post(question_url(interview_id, 3), {"text": "  Meer rust in de avond.  ", "action": "next"})
    assert response.status_code == 303
    assert location_of(response) == f"/interviews/{interview_id}/overview"
    assert stored(app, interview_id) == [(3, None, "Meer rust in de avond.", None)]
    page = client.get(question_url(interview_id, 3))
    assert "Meer rust in de avond.</textarea>" in html_of(page)
    assert "Naar het overzicht" in html_of(page)


def test_open_question_may_be_answered_with_a_special(app, interview_id, anna):
    _client, post = anna
    assert post(question_url(interview_id, 3), {"special": "special:refuse", "action": "save"}).status_code == 303
    assert stored(app, interview_id) == [(3, None, None, "refuse")]
    # Typed text wins over a special choice in the same post.
    assert post(question_url(interview_id, 3), {"text": "Toch iets", "special": "special:refuse", "action": "save"}).status_code == 303
    assert stored(app, interview_id) == [(3, None, "Toch iets", None)]


def test_open_answer_autosaves_with_htmx(app, interview_id, anna):
    _client, post = anna
    response = post(question_url(interview_id, 3), {"text": "Meer koffie", "action": "save"}, headers=HTMX)
    assert response.status_code == 200
    assert html_of(response).strip() == '<span class="save-ok">Opgeslagen</span>'
    assert stored(app, interview_id) == [(3, None, "Meer koffie", None)]


def test_clearing_an_open_answer_keeps_an_empty_row(app, interview_id, anna):
    client, post = anna
    post(question_url(interview_id, 3), {"text": "Eerst dit", "action": "save"})
    response = post(question_url(interview_id, 3), {"text": "", "action": "save"}, headers=HTMX)
    assert response.status_code == 200
    assert "Opgeslagen" not in html_of(response)
    # A cleared row, so that a late replay of the old text cannot bring it back.
    assert stored(app, interview_id) == [(3, None, None, None)]
    assert "Geen antwoord" in html_of(client.get(f"/interviews/{interview_id}/overview"))


def test_question_number_out_of_range_is_404(interview_id, anna):
    client, _post = anna
    assert client.get(question_url(interview_id, 0)).status_code == 404
    assert client.get(question_url(interview_id, 4)).status_code == 404


def test_autosave_after_the_session_ended_asks_for_a_login(app, interview_id, anna, login_as):
    """A fragment request cannot show the login page in the status line: 401 + HX-Redirect."""
    _client, post = anna
    _other, other_post = login_as("anna")
    assert other_post("/logout").status_code == 303  # ends every session of anna
    response = post(question_url(interview_id, 1), {"answer": "1", "action": "save"},
                    headers={**HTMX, "HX-Current-URL": f"http://localhost{question_url(interview_id, 1)}"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/login?next=/interviews/{interview_id}/questions/1"
    assert stored(app, interview_id) == []
    # Without htmx the same post is sent to the login page.
    response = post(question_url(interview_id, 1), {"answer": "1", "action": "next"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# --- durability of saves ---------------------------------------------------------------------

def test_an_older_change_never_overwrites_a_newer_answer(app, world, interview_id):
    now = utcnow()
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        question = db.session.get(Question, world.question_ids[0])
        save_answer(interview, question, value="3", changed_at=now)
        db.session.commit()
        # A replay from the tablet of what was chosen a minute earlier.
        save_answer(interview, question, value="1", changed_at=now - timedelta(minutes=1))
        db.session.commit()
        db.session.remove()
    assert stored(app, interview_id) == [(1, "3", None, None)]
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        question = db.session.get(Question, world.question_ids[0])
        save_answer(interview, question, special="refuse", changed_at=now + timedelta(seconds=1))
        db.session.commit()
        # The same moment again is a replay of the same save: it may be written again.
        save_answer(interview, question, special="refuse", changed_at=now + timedelta(seconds=1))
        db.session.commit()
        db.session.remove()
    assert stored(app, interview_id) == [(1, None, None, "refuse")]
    assert count_rows(app, Answer) == 1


def test_the_last_answer_of_a_long_interview_is_not_refused(app, interview_id, anna, monkeypatch):
    """The CSRF token lives as long as the session, not Flask-WTF's default hour
    (docs/decisions.md#csrf-token-lives-as-long-as-the-session)."""
    _client, post = anna
    assert post(question_url(interview_id, 1), {"answer": "2", "action": "next"}).status_code == 303
    import time

    later = time.time() + 80 * 60  # 80 minutes on, the same page and token
    monkeypatch.setattr(time, "time", lambda: later)
    response = post(question_url(interview_id, 3), {"text": "Het laatste antwoord", "action": "next"})
    assert response.status_code == 303
    assert stored(app, interview_id)[-1] == (3, None, "Het laatste antwoord", None)


# --- overview and finishing ------------------------------------------------------------------

def answer_all(post, interview_id):
    assert post(question_url(interview_id, 1), {"answer": "2", "action": "next"}).status_code == 303
    assert post(question_url(interview_id, 2), {"answer": "special:dont_know", "action": "next"}).status_code == 303
    assert post(question_url(interview_id, 3), {"text": "Meer rust in de avond.", "action": "next"}).status_code == 303


def test_overview_lists_every_answer_in_words(interview_id, anna):
    client, post = anna
    answer_all(post, interview_id)
    response = client.get(f"/interviews/{interview_id}/overview")
    assert response.status_code == 200
    text = plain_text(response)
    assert "1. Hoe vaak komt u hier? Soms" in text
    assert "2. Hoe voelt u zich hier? Weet ik niet" in text
    assert "3. Wat kan beter? Meer rust in de avond." in text
    assert html_of(response).count("Veranderen<span") == 3
    assert f'href="{question_url(interview_id, 2)}?overview=1"' in html_of(response)


def test_finish_marks_the_interview_completed(app, interview_id, anna):
    client, post = anna
    answer_all(post, interview_id)
    response = post(f"/interviews/{interview_id}/overview")
    assert response.status_code == 303
    assert location_of(response) == f"/interviews/{interview_id}/done"
    interview = interview_row(app, interview_id)
    assert interview.status == "completed"
    assert interview.completed_at is not None
    assert interview.completed_at >= interview.started_at
    done = client.get(f"/interviews/{interview_id}/done")
    assert done.status_code == 200
    assert "Dank u wel" in html_of(done)
    assert "Het interview is klaar. Alle antwoorden zijn opgeslagen." in html_of(done)


def test_finish_with_a_required_question_open_is_refused(app, interview_id, anna):
    _client, post = anna
    post(question_url(interview_id, 3), {"text": "Iets", "action": "next"})
    response = post(f"/interviews/{interview_id}/overview")
    assert response.status_code == 422
    assert "Beantwoord deze vraag: Hoe vaak komt u hier?" in html_of(response)
    assert f'href="{question_url(interview_id, 1)}?overview=1"' in html_of(response)
    assert interview_row(app, interview_id).status == "in_progress"


def test_finish_without_csrf_is_refused(app, interview_id, anna):
    client, post = anna
    answer_all(post, interview_id)
    assert client.post(f"/interviews/{interview_id}/overview").status_code == 400
    assert interview_row(app, interview_id).status == "in_progress"


def test_a_completed_interview_cannot_be_changed(app, interview_id, anna):
    client, post = anna
    answer_all(post, interview_id)
    assert post(f"/interviews/{interview_id}/overview").status_code == 303
    first_completed_at = interview_row(app, interview_id).completed_at
    for number in (1, 2, 3):
        response = client.get(question_url(interview_id, number))
        assert response.status_code == 303
        assert location_of(response) == f"/interviews/{interview_id}/done"
    response = post(question_url(interview_id, 1), {"answer": "1", "action": "next"})
    assert response.status_code == 303
    assert location_of(response) == f"/interviews/{interview_id}/done"
    assert location_of(client.get(f"/interviews/{interview_id}/overview")) == f"/interviews/{interview_id}/done"
    assert post(f"/interviews/{interview_id}/overview").status_code == 303
    assert stored(app, interview_id) == [(1, "2", None, None), (2, None, None, "dont_know"),
                                         (3, None, "Meer rust in de avond.", None)]
    assert interview_row(app, interview_id).completed_at == first_completed_at


# --- headers ---------------------------------------------------------------------------------

def test_interview_pages_are_never_cached(world, interview_id, anna):
    client, post = anna
    for path in (question_url(interview_id, 1), f"/interviews/{interview_id}/overview",
                 f"/interviews/{interview_id}/done", f"/projects/{world.project_id}/interviews",
                 f"/projects/{world.project_id}/interviews/new"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    saved = post(question_url(interview_id, 1), {"answer": "1", "action": "next"})
    assert saved.headers["Cache-Control"] == "no-store"


def test_every_response_varies_on_hx_request(world, interview_id, anna):
    client, post = anna
    responses = [
        client.get("/"), client.get(question_url(interview_id, 1)),
        client.get(question_url(interview_id, 1), headers=HTMX),
        post(question_url(interview_id, 1), {"action": "next"}),  # 422
        post(question_url(interview_id, 1), {"answer": "1", "action": "save"}, headers=HTMX),
        client.get("/projects/999999"),  # 404
        client.get("/accounts"),  # 403
        client.post(question_url(interview_id, 1)),  # 400, no CSRF
        client.get("/healthz"), client.get("/static/css/app.css"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 422, 200, 404, 403, 400, 200, 200]
    for response in responses:
        assert "HX-Request" in response.headers.get("Vary", ""), response.request.path
