"""The interview flow over HTTP: the start screen with two consents, a second
interviewer and the interview language; skip logic and the follow-up note; the debrief and
the interviewer's list; practice that stores nothing; withdrawal at the respondent's request."""

import threading

import pytest
from sqlalchemy import func, select, update

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import FrozenVersionError, add_condition, questionnaire_of
from peerinterview.errors import Refused
from peerinterview.extensions import db
from peerinterview.interview.services import interview_facts, save_answer, visible_questions, withdraw_interview
from peerinterview.models import Answer, AuditEvent, Interview, Membership, Project, Question

from .builders import (answers_of, count_rows, hidden_value, html_lang, html_of, interview_row,
                       location_of, make_interview, plain_text, start_interview_http, title_of)
from .flow_builders import make_skip_version

HTMX = {"HX-Request": "true"}


@pytest.fixture
def skip_ids(app, world):
    return make_skip_version(app, world.project_id)


def start_url(world):
    return f"/projects/{world.project_id}/interviews/new"


def q(interview_id, number):
    return f"/interviews/{interview_id}/questions/{number}"


def start_data(page, world, **overrides):
    data = {"interview_id": hidden_value(page, "interview_id"), "respondent_code": hidden_value(page, "respondent_code"),
            "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
            "location_id": str(world.location_ids[0]), "second_interviewer_id": "0", "language": "nl",
            "consent": "y", "consent_data": "y", "consent_method": "interviewer_tablet"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def user_id(app, username):
    with app.app_context():
        uid = find_user(username).id
        db.session.remove()
    return uid


def all_row_counts(app):
    with app.app_context():
        counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
                  for table in db.metadata.sorted_tables}
        db.session.remove()
    return counts


# --- the start screen ------------------------------------------------------------------------

def test_start_screen_offers_second_interviewer_language_and_two_consents(app, world, anna):
    client, _post = anna
    response = client.get(start_url(world))
    html = html_of(response)
    assert response.status_code == 200
    assert "Tweede interviewer (mag leeg blijven)" in html
    assert f'<option value="{user_id(app, "bram")}">Bram</option>' in html
    assert ">Anna</option>" not in html  # not oneself
    assert ">Petra</option>" not in html  # not an interviewer of this project
    assert "In welke taal is het interview?" in html
    assert '<input checked id="language-0" name="language" required type="radio" value="nl">' in html
    assert "De persoon doet mee aan het interview." in html
    assert "De persoon vindt het goed dat we de antwoorden gebruiken voor dit onderzoek." in html
    assert "Stoppen mag altijd." in html
    # Read aloud stays hidden until JavaScript finds a Dutch voice.
    assert 'class="button button-secondary read-aloud" hidden' in html
    assert 'data-read-aloud="#consent-read" data-read-lang="nl"' in html
    assert '<p data-read>Meedoen is vrijwillig.</p>' in html


@pytest.mark.parametrize("missing, message", [
    ("consent", "Vraag eerst toestemming. Zonder toestemming kan het interview niet beginnen."),
    ("consent_data", "Vraag of we de antwoorden mogen gebruiken. Zet dan het vinkje."),
])
def test_each_consent_is_required(app, world, anna, missing, message):
    client, post = anna
    page = client.get(start_url(world))
    response = post(start_url(world), start_data(page, world, **{missing: None}))
    assert response.status_code == 422
    assert title_of(response).startswith("Fout: Nieuw interview")
    assert message in html_of(response)
    assert f'href="#{missing}"' in html_of(response)  # the summary links to the checkbox
    assert count_rows(app, Interview) == 0


def test_without_both_consents_both_errors_show(app, world, anna):
    client, post = anna
    page = client.get(start_url(world))
    response = post(start_url(world), start_data(page, world, consent=None, consent_data=None))
    assert response.status_code == 422
    assert "Vraag eerst toestemming." in html_of(response)
    assert "Vraag of we de antwoorden mogen gebruiken." in html_of(response)
    assert count_rows(app, Interview) == 0


def test_start_stores_consent_second_interviewer_and_language(app, world, anna):
    client, post = anna
    page = client.get(start_url(world))
    bram = user_id(app, "bram")
    response = post(start_url(world), start_data(page, world, second_interviewer_id=str(bram), language="en",
                                                 consent_method="respondent_tablet"))
    assert response.status_code == 303
    interview = interview_row(app, hidden_value(page, "interview_id"))
    assert interview.second_interviewer_id == bram
    assert interview.language == "en"
    assert interview.consent_method == "respondent_tablet"
    assert interview.consent_version == 1
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interview.start"))
        assert event.detail == {"consent_version": 1, "consent_method": "respondent_tablet"}
        db.session.remove()


def test_second_interviewer_must_be_an_interviewer_of_the_project(app, world, anna):
    client, post = anna
    page = client.get(start_url(world))
    response = post(start_url(world), start_data(page, world, second_interviewer_id=str(user_id(app, "petra"))))
    assert response.status_code == 422
    assert count_rows(app, Interview) == 0


def test_an_english_interview_shows_its_screens_in_english(app, world, anna, login_as):
    client, post = anna
    page = client.get(start_url(world))
    interview_id = hidden_value(page, "interview_id")
    assert post(start_url(world), start_data(page, world, language="en")).status_code == 303
    response = client.get(q(interview_id, 1))
    assert html_lang(response) == "en"
    text = plain_text(response)
    assert "Question 1 of 3" in text and "You can always stop." in text
    # The questionnaire stays Dutch content, marked as such.
    assert '<h1 class="question-heading" tabindex="-1" lang="nl" data-read>Hoe vaak komt u hier?</h1>' in html_of(response)
    assert "Don't know" in text
    # No language switch here: it would not change the interview's language.
    assert 'name="lang"' not in html_of(response)
    assert html_lang(client.get(f"/interviews/{interview_id}/overview")) == "en"
    # Other pages keep the interviewer's own language.
    assert html_lang(client.get(start_url(world))) == "nl"
    assert 'name="lang"' in html_of(client.get(start_url(world)))
    # Someone else who may not see the interview gets the refusal in their own language.
    bram, _ = login_as("bram")
    refused = bram.get(q(interview_id, 1))
    assert refused.status_code == 403 and html_lang(refused) == "nl"


# --- skip logic ------------------------------------------------------------------------------

def test_visible_questions_applies_conditions_and_nesting(app, world, skip_ids):
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        version = questionnaire_of(project).latest_frozen

        class A:  # an answer as the service sees it
            def __init__(self, value):
                self.value = value

        def shown(answers):
            return [question.position for question in visible_questions(version, answers)]

        assert shown({}) == [1, 4]
        assert shown({skip_ids[1]: A("3")}) == [1, 4]
        assert shown({skip_ids[1]: A("1")}) == [1, 2, 4]
        assert shown({skip_ids[1]: A("2"), skip_ids[2]: A("2")}) == [1, 2, 3, 4]
        assert shown({skip_ids[1]: A("1"), skip_ids[2]: A("5")}) == [1, 2, 4]
        # The source of 3 is hidden, so 3 is hidden too, whatever was answered to 2 before.
        assert shown({skip_ids[1]: A("3"), skip_ids[2]: A("1")}) == [1, 4]
        assert shown({skip_ids[1]: A(None)}) == [1, 4]  # "weet ik niet" shows nothing extra
        db.session.remove()


def test_numbers_stay_while_next_previous_walk_only_shown_questions(app, world, skip_ids, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    # One numbering everywhere: a question keeps its number whatever skip logic shows.
    assert "Vraag 1 van 4" in plain_text(client.get(q(interview_id, 1)))
    # "Bijna nooit": 2 and 3 are skipped.
    response = post(q(interview_id, 1), {"answer": "3", "action": "next"})
    assert location_of(response) == q(interview_id, 4)
    page = client.get(q(interview_id, 4))
    assert "Vraag 4 van 4" in plain_text(page) and "Naar het overzicht" in html_of(page)
    assert location_of(post(q(interview_id, 4), {"action": "previous"})) == q(interview_id, 1)
    # Change the answer: question 2 appears, with its own number.
    response = post(q(interview_id, 1), {"answer": "1", "action": "next"})
    assert location_of(response) == q(interview_id, 2)
    page = client.get(q(interview_id, 2))
    assert "Vraag 2 van 4" in plain_text(page)
    assert "Hoe voelt u zich hier?" in html_of(page)
    response = post(q(interview_id, 2), {"answer": "2", "action": "next"})
    assert location_of(response) == q(interview_id, 3)
    assert "Vraag 3 van 4" in plain_text(client.get(q(interview_id, 3)))
    assert location_of(post(q(interview_id, 3), {"action": "previous"})) == q(interview_id, 2)


def test_a_skipped_question_redirects_to_the_next_shown_one(world, skip_ids, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(interview_id, 1), {"answer": "3", "action": "next"})
    assert location_of(client.get(q(interview_id, 2))) == q(interview_id, 4)
    assert location_of(client.get(q(interview_id, 3))) == q(interview_id, 4)


def test_answers_to_hidden_questions_are_kept_but_not_shown_or_missing(app, world, skip_ids, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(interview_id, 1), {"answer": "1", "action": "next"})
    post(q(interview_id, 2), {"answer": "2", "action": "next"})
    post(q(interview_id, 3), {"text": "Meer rust", "action": "next"})
    # Back to 1, and now "Bijna nooit": 2 and 3 are no longer asked.
    post(q(interview_id, 1), {"answer": "3", "action": "next"})
    stored = {a.question_id: (a.value, a.text) for a in answers_of(app, interview_id)}
    assert stored[skip_ids[2]] == ("2", None) and stored[skip_ids[3]] == (None, "Meer rust")
    overview = client.get(f"/interviews/{interview_id}/overview")
    text = plain_text(overview)
    assert "1. Hoe vaak komt u hier? Bijna nooit" in text
    assert "4. Wilt u nog iets zeggen? Geen antwoord" in text  # its own number, also after skipping
    assert "Hoe voelt u zich hier?" not in text and "Meer rust" not in text
    assert html_of(overview).count("Veranderen<span") == 2
    assert f'href="{q(interview_id, 4)}?overview=1"' in html_of(overview)
    # Question 2 is required, but not asked: finishing works.
    assert location_of(post(f"/interviews/{interview_id}/overview")) == f"/interviews/{interview_id}/done"


def test_finishing_needs_the_required_questions_that_are_shown(app, world, skip_ids, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(interview_id, 1), {"answer": "2", "action": "next"})
    response = post(f"/interviews/{interview_id}/overview")
    assert response.status_code == 422
    assert "Beantwoord deze vraag: Hoe voelt u zich hier?" in html_of(response)
    # The link opens the question, and "Volgende" there goes back to the overview.
    assert f'href="{q(interview_id, 2)}?overview=1"' in html_of(response)
    assert interview_row(app, interview_id).status == "in_progress"


# --- the follow-up note ----------------------------------------------------------------------

def test_follow_up_note_is_offered_saved_and_shown(app, world, skip_ids, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    page = html_of(client.get(q(interview_id, 1)))
    assert '<label class="label" for="note">Uitleg bij het antwoord</label>' in page
    assert "Dit mag leeg blijven." in page
    response = post(q(interview_id, 1), {"answer": "3", "note": "  Ik woon ver weg. ", "action": "next"})
    assert response.status_code == 303
    [answer] = answers_of(app, interview_id)
    assert (answer.value, answer.note) == ("3", "Ik woon ver weg.")
    assert "Ik woon ver weg.</textarea>" in html_of(client.get(q(interview_id, 1)))
    assert "Uitleg: Ik woon ver weg." in plain_text(client.get(f"/interviews/{interview_id}/overview"))


def test_follow_up_note_autosaves_with_htmx(app, world, skip_ids, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    response = post(q(interview_id, 1), {"answer": "2", "note": "Soms kom ik met een vriend.", "action": "save"},
                    headers=HTMX)
    assert response.status_code == 200 and "Opgeslagen" in html_of(response)
    [answer] = answers_of(app, interview_id)
    assert answer.note == "Soms kom ik met een vriend."
    # Clearing the note clears it; the choice stays.
    post(q(interview_id, 1), {"answer": "2", "note": "", "action": "save"}, headers=HTMX)
    [answer] = answers_of(app, interview_id)
    assert (answer.value, answer.note) == ("2", None)


def test_no_note_box_without_follow_up(world, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    assert 'name="note"' not in html_of(client.get(q(interview_id, 1)))


def test_a_save_without_a_note_keeps_the_note(app, world, skip_ids, anna):
    """An offline replay of only the choice must not wipe the note."""
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(interview_id, 1), {"answer": "2", "note": "Een toelichting", "action": "save"})
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        save_answer(interview, db.session.get(Question, skip_ids[1]), value="1")
        db.session.commit()
        db.session.remove()
    [answer] = answers_of(app, interview_id)
    assert (answer.value, answer.note) == ("1", "Een toelichting")


# --- add_condition: the rules the builder's editor builds on ---------------------------------

def test_add_condition_refuses_what_cannot_work(app, world):
    from peerinterview.design.builder.services import add_question, new_draft

    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, world.project_id)
        draft = new_draft(questionnaire_of(project), by=staff)
        q1, q2, q3 = draft.questions
        q4 = add_question(draft, kind="single", text="Nog een vraag?", choice_labels=["Ja", "Nee"], by=staff)
        with pytest.raises(Refused, match="eerder in de vragenlijst"):
            add_condition(q1, q4, ["1"])  # the source comes later
        with pytest.raises(Refused, match="eerder in de vragenlijst"):
            add_condition(q1, q1, ["1"])
        with pytest.raises(Refused, match="antwoorden om uit te kiezen"):
            add_condition(q4, q3, ["1"])  # an open question has no choices
        with pytest.raises(Refused, match="een of meer antwoorden van die vraag"):
            add_condition(q4, q1, ["9"])
        with pytest.raises(Refused, match="een of meer antwoorden van die vraag"):
            add_condition(q4, q1, [])
        frozen_q1 = questionnaire_of(project).latest_frozen.questions[0]
        with pytest.raises(Refused, match="eerder in de vragenlijst"):
            add_condition(q4, frozen_q1, ["1"])  # another version
        with pytest.raises(FrozenVersionError):
            add_condition(questionnaire_of(project).latest_frozen.questions[1], frozen_q1, ["1"])
        condition = add_condition(q4, q2, [5, "4"])
        assert condition.values == ["5", "4"]
        db.session.rollback()
        db.session.remove()


# --- after the interview ---------------------------------------------------------------------

def finished_interview(client, post, world, answer="1"):
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(interview_id, 1), {"answer": answer, "action": "next"})
    assert location_of(post(f"/interviews/{interview_id}/overview")) == f"/interviews/{interview_id}/done"
    return interview_id


def test_thank_you_screen_says_what_happens_next_and_asks_for_a_debrief(app, world, anna):
    client, post = anna
    interview_id = finished_interview(client, post, world)
    done = client.get(f"/interviews/{interview_id}/done")
    text = plain_text(done)
    assert "Wat gebeurt er nu?" in text
    assert f"Geef dan de code {interview_row(app, interview_id).respondent_code} aan de begeleider." in text
    assert "Hoe ging het interview?" in text and "Wisselend" in text
    assert "Er is nazorg nodig." in text
    assert "Stoppen mag altijd." in text


def test_debrief_needs_a_mood(app, world, anna):
    client, post = anna
    interview_id = finished_interview(client, post, world)
    response = post(f"/interviews/{interview_id}/debrief", {"text": "Rustig gesprek"})
    assert response.status_code == 422
    assert title_of(response).startswith("Fout: Dank u wel")
    assert "Kies hoe het interview ging." in html_of(response)
    assert "Rustig gesprek</textarea>" in html_of(response)  # nothing typed is lost
    assert interview_row(app, interview_id).debriefed_at is None


def test_debrief_is_stored_and_staff_see_the_follow_up_flag(app, world, anna, login_as):
    client, post = anna
    interview_id = finished_interview(client, post, world)
    response = post(f"/interviews/{interview_id}/debrief",
                    {"mood": "hard", "text": "De persoon werd verdrietig.", "follow_up_needed": "y"})
    assert location_of(response) == f"/interviews/{interview_id}/done"
    done = plain_text(client.get(location_of(response)))
    assert "Uw terugblik is opgeslagen." in done and "U heeft dit al ingevuld." in done
    interview = interview_row(app, interview_id)
    assert (interview.debrief_mood, interview.debrief_text, interview.follow_up_needed) == (
        "hard", "De persoon werd verdrietig.", True)
    assert interview.debriefed_at is not None
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interview.debrief"))
        assert event.detail == {"follow_up_needed": True}  # no mood, no text in the logboek
        db.session.remove()
    staff, _ = login_as("staf")
    listing = plain_text(staff.get(f"/projects/{world.project_id}/interviews"))
    assert "1 interview heeft nazorg nodig." in listing
    assert "Nazorg nodig Moeilijk De persoon werd verdrietig." in listing


def test_debrief_of_an_unfinished_interview_is_not_stored(app, world, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    response = post(f"/interviews/{interview_id}/debrief", {"mood": "good"})
    assert location_of(response) == f"/interviews/{interview_id}/done"
    assert interview_row(app, interview_id).debrief_mood is None


def test_interviewer_list_separates_unfinished_from_finished(app, world, skip_ids, anna):
    client, post = anna
    finished = finished_interview(client, post, world, answer="3")  # "Bijna nooit": 2 is skipped
    unfinished = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(unfinished, 1), {"answer": "1", "action": "next"})
    listing = client.get(f"/projects/{world.project_id}/interviews")
    html = html_of(listing)
    assert "Nog niet klaar" in html and "<h3>Klaar</h3>" in html
    unfinished_part, finished_part = html.split("<h3>Klaar</h3>")
    code = interview_row(app, unfinished).respondent_code
    assert code in unfinished_part and code not in finished_part
    assert interview_row(app, finished).respondent_code in finished_part
    # Resume at the first unanswered question that is shown: 2 (1 is answered "Elke dag").
    assert f'href="{q(unfinished, 2)}"' in unfinished_part
    assert "Nazorg" not in html  # the flag column is for staff


# --- practice: the same screens, nothing stored ----------------------------------------------

def practice_url(world, rest=""):
    return f"/projects/{world.project_id}/practice{rest}"


def test_practice_runs_the_real_questionnaire_and_stores_nothing(app, world, skip_ids, anna):
    client, post = anna
    before = all_row_counts(app)
    page = client.get(practice_url(world))
    assert page.status_code == 200
    assert "Oefenen – we bewaren niets" in html_of(page)
    refused = post(practice_url(world), start_data(page, world, consent_data=None))
    assert refused.status_code == 422  # consent is practised too
    response = post(practice_url(world), start_data(page, world))
    assert location_of(response) == practice_url(world, "/questions/1")
    question = client.get(practice_url(world, "/questions/1"))
    assert "Oefenen – we bewaren niets" in html_of(question)
    assert "Vraag 1 van 4" in plain_text(question)
    assert "Uitleg bij het antwoord" in html_of(question)
    autosave = post(practice_url(world, "/questions/1"), {"answer": "1", "action": "save"}, headers=HTMX)
    assert "Onthouden tot het einde van het oefenen" in html_of(autosave)
    response = post(practice_url(world, "/questions/1"), {"answer": "1", "note": "Oefen-toelichting", "action": "next"})
    assert location_of(response) == practice_url(world, "/questions/2")
    assert "Vraag 2 van 4" in plain_text(client.get(practice_url(world, "/questions/2")))
    assert post(practice_url(world, "/questions/2"), {"action": "next"}).status_code == 422  # required
    post(practice_url(world, "/questions/2"), {"answer": "2", "action": "next"})
    post(practice_url(world, "/questions/3"), {"text": "Oefenantwoord", "action": "next"})
    overview = client.get(practice_url(world, "/overview"))
    text = plain_text(overview)
    assert "Oefenantwoord" in text and "Uitleg: Oefen-toelichting" in text
    response = post(practice_url(world, "/overview"))
    assert location_of(response) == practice_url(world, "/done")
    done = client.get(practice_url(world, "/done"))
    assert "We hebben niets bewaard." in plain_text(done)
    assert all_row_counts(app) == before
    # The practice answers are gone: the questions start again.
    assert location_of(client.get(practice_url(world, "/questions/1"))) == practice_url(world)
    with client.session_transaction() as session:
        assert "answers" not in session.get("practice", {})


def test_practice_in_english(app, world, anna):
    client, post = anna
    page = client.get(practice_url(world))
    post(practice_url(world), start_data(page, world, language="en"))
    response = client.get(practice_url(world, "/questions/1"))
    assert html_lang(response) == "en"
    assert "Practice – nothing is saved" in html_of(response)
    assert "Question 1 of 3" in plain_text(response)


def test_practice_keeps_the_session_cookie_small(world, anna):
    client, post = anna
    page = client.get(practice_url(world))
    post(practice_url(world), start_data(page, world))
    post(practice_url(world, "/questions/3"), {"text": "lang verhaal " * 500, "action": "next"})
    cookie = client.get_cookie("session")
    assert len(cookie.value) < 3000
    assert "lang verhaal" in plain_text(client.get(practice_url(world, "/overview")))


def test_practice_is_offered_on_the_interviews_page(world, anna, login_as):
    client, _post = anna
    assert f'href="{practice_url(world)}"' in html_of(client.get(f"/projects/{world.project_id}/interviews"))
    staff, _ = login_as("staf")
    assert practice_url(world) not in html_of(staff.get(f"/projects/{world.project_id}/interviews"))


# --- withdrawal ------------------------------------------------------------------------------

def withdraw_url(world):
    return f"/projects/{world.project_id}/interviews/withdraw"


def test_staff_withdraw_an_interview_in_two_steps(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", completed=True,
                                  answers={"q1": "1", "q2": "4", "q3": "Geheim verhaal"})
    code = interview_row(app, interview_id).respondent_code
    staff, post = login_as("staf")
    listing = html_of(staff.get(f"/projects/{world.project_id}/interviews"))
    assert "Een interview intrekken" in listing
    confirm = post(withdraw_url(world), {"respondent_code": code.lower()})
    assert confirm.status_code == 200
    assert f"Interview {code} intrekken?" in plain_text(confirm)
    assert "Dit kan niet terug." in plain_text(confirm)
    assert len(answers_of(app, interview_id)) == 3  # nothing happened yet
    response = post(withdraw_url(world), {"respondent_code": code, "confirm": "yes"})
    assert location_of(response) == f"/projects/{world.project_id}/interviews"
    listing = plain_text(staff.get(location_of(response)))
    assert f"Het interview met code {code} is ingetrokken. De antwoorden zijn gewist." in listing
    assert "Ingetrokken" in listing
    assert answers_of(app, interview_id) == []
    interview = interview_row(app, interview_id)
    assert interview.status == "withdrawn"
    assert interview.withdrawn_at is not None
    assert interview.withdrawn_by_id == user_id(app, "staf")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interview.withdraw"))
        assert event.object_id == interview_id
        assert event.detail == {"answers_erased": 3}
        assert "Geheim" not in str(event.detail)
        db.session.remove()


@pytest.mark.parametrize("code, message", [
    ("", "Vul de code van het interview in."),
    ("ZZZZZ", "Er is geen interview met deze code. Controleer de code."),
])
def test_withdraw_with_a_wrong_code_is_422(app, world, login_as, code, message):
    make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    _staff, post = login_as("staf")
    response = post(withdraw_url(world), {"respondent_code": code, "confirm": "yes"})
    assert response.status_code == 422
    assert title_of(response).startswith("Fout: Interviews")
    assert message in html_of(response)
    assert count_rows(app, Answer) == 1


def test_withdraw_twice_says_it_is_already_done(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    code = interview_row(app, interview_id).respondent_code
    _staff, post = login_as("staf")
    assert post(withdraw_url(world), {"respondent_code": code, "confirm": "yes"}).status_code == 303
    response = post(withdraw_url(world), {"respondent_code": code, "confirm": "yes"})
    assert response.status_code == 422
    assert "Dit interview is al ingetrokken." in html_of(response)


def test_a_code_of_another_project_is_not_found(app, world, login_as, make_user):
    interview_id = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    code = interview_row(app, interview_id).respondent_code
    _outsider, post = login_as("andere-staf")
    response = post(f"/projects/{world.other_project_id}/interviews/withdraw", {"respondent_code": code, "confirm": "yes"})
    assert response.status_code == 422
    assert interview_row(app, interview_id).status == "completed"


def test_withdrawn_interviews_leave_the_results_and_take_no_answers(app, world, login_as):
    ids = [make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"}) for _ in range(5)]
    _staff, post = login_as("staf")
    code = interview_row(app, ids[0]).respondent_code
    assert post(withdraw_url(world), {"respondent_code": code, "confirm": "yes"}).status_code == 303
    petra, _ = login_as("petra")
    results = plain_text(petra.get(f"/projects/{world.project_id}/results"))
    assert "5 mensen kregen deze vraag." not in results
    # The interviewer's tablet can no longer add answers to it.
    anna, anna_post = login_as("anna")
    response = anna_post(q(ids[0], 1), {"answer": "2", "action": "next"})
    assert location_of(response) == f"/interviews/{ids[0]}/done"
    with app.app_context():
        interview = db.session.get(Interview, ids[0])
        assert save_answer(interview, db.session.get(Question, world.question_ids[0]), value="2") is False
        db.session.commit()
        db.session.remove()
    assert answers_of(app, ids[0]) == []
    assert "Dit interview is gestopt." in plain_text(anna.get(f"/interviews/{ids[0]}/done"))


def test_an_autosave_stores_nothing_once_the_interview_is_finished_or_withdrawn(app, world, login_as):
    """The autosave reads no interview (its facts are kept per process): its write itself checks
    that the interview is still in progress, also after this process has seen the interview
    before."""
    interview_id = make_interview(app, world.project_id, "anna")
    _anna, post = login_as("anna")
    save = {"answer": "2", "action": "save"}
    assert post(q(interview_id, 1), save, headers=HTMX).status_code == 200
    _staff, staff_post = login_as("staf")
    code = interview_row(app, interview_id).respondent_code
    assert staff_post(withdraw_url(world), {"respondent_code": code, "confirm": "yes"}).status_code == 303
    # htmx follows HX-Redirect (a 303 would put the closing page inside the save status).
    response = post(q(interview_id, 2), save, headers=HTMX)
    assert response.status_code == 409 and response.headers["HX-Redirect"] == f"/interviews/{interview_id}/done"
    assert answers_of(app, interview_id) == []

    finished = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    response = post(q(finished, 1), save, headers=HTMX)
    assert response.status_code == 409 and response.headers["HX-Redirect"] == f"/interviews/{finished}/done"
    assert [a.value for a in answers_of(app, finished)] == ["1"]


def test_an_autosave_checks_access_on_every_request(app, world, login_as):
    """What the process keeps of an interview (who took it, in which project) never stands in for
    the checks: a removed membership, another interviewer, an erased interview."""
    interview_id = make_interview(app, world.project_id, "anna")
    _anna, post = login_as("anna")
    save = {"answer": "2", "action": "save"}
    assert post(q(interview_id, 1), save, headers=HTMX).status_code == 200
    _bram, bram_post = login_as("bram")
    assert bram_post(q(interview_id, 1), {"answer": "1", "action": "save"}, headers=HTMX).status_code == 403
    with app.app_context():
        anna_id = find_user("anna").id
        set_interviewer(anna_id, world.project_id, False)
        db.session.remove()
    assert post(q(interview_id, 1), {"answer": "3", "action": "save"}, headers=HTMX).status_code == 403
    assert [a.value for a in answers_of(app, interview_id)] == ["2"]

    with app.app_context():
        set_interviewer(anna_id, world.project_id, True)
        db.session.remove()
    assert post(q(interview_id, 1), {"answer": "3", "action": "save"}, headers=HTMX).status_code == 200
    _staff, staff_post = login_as("staf")
    code = interview_row(app, interview_id).respondent_code
    erase = staff_post(f"/projects/{world.project_id}/wissen", {"respondent_code": code, "step": "confirm", "confirm": "y"})
    assert erase.status_code == 303
    assert interview_row(app, interview_id) is None
    gone = post(q(interview_id, 1), save, headers=HTMX)
    assert gone.status_code == 410
    assert gone.headers["HX-Redirect"] == f"/projects/{world.project_id}/interviews"
    assert count_rows(app, Answer, Answer.interview_id == interview_id) == 0


def set_interviewer(user_id, project_id, interviewer: bool):
    db.session.execute(update(Membership).where(Membership.user_id == user_id, Membership.project_id == project_id)
                       .values(is_interviewer=interviewer))
    db.session.commit()


def _in_thread(app, work):
    """Run work() in its own app context (its own session and connection) in a thread; returns
    (thread, results list)."""
    results = []

    def run():
        with app.app_context():
            try:
                results.append(work())
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


def test_a_save_during_a_withdrawal_waits_and_then_stores_nothing(app, world):
    """The withdrawal has changed the status and erased the answers, not yet committed, when an
    autosave comes in: the save waits for it and then finds the interview withdrawn."""
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1"})
    with app.app_context():
        question = db.session.get(Question, world.question_ids[1])
        question.choices  # noqa: B018  (loaded before the session goes)
        db.session.expunge_all()
        facts = interview_facts(interview_id)
        withdraw_interview(db.session.get(Interview, interview_id), by=find_user("staf"))
        thread, saved = _in_thread(app, lambda: save_answer(facts, question, value="2", at_once=True,
                                                            while_status=("in_progress",)))
        thread.join(timeout=0.5)
        assert thread.is_alive()  # waiting for the withdrawal
        db.session.commit()
        db.session.remove()
    thread.join(timeout=20)
    assert saved == [False]
    assert answers_of(app, interview_id) == []


def test_a_withdrawal_during_a_save_waits_and_then_erases_that_answer_too(app, world):
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1"})
    saved, go_on = threading.Event(), threading.Event()

    def save_and_hold():
        question = db.session.get(Question, world.question_ids[1])
        written = save_answer(db.session.get(Interview, interview_id), question, value="2")
        saved.set()
        go_on.wait(20)
        db.session.commit()
        return written

    saver, written = _in_thread(app, save_and_hold)
    assert saved.wait(20)

    def withdraw():
        erased = withdraw_interview(db.session.get(Interview, interview_id), by=find_user("staf"))
        db.session.commit()
        return erased

    withdrawer, erased = _in_thread(app, withdraw)
    withdrawer.join(timeout=0.5)
    assert withdrawer.is_alive()  # waiting for the save's transaction
    go_on.set()
    saver.join(timeout=20)
    withdrawer.join(timeout=20)
    assert written == [True] and erased == [2]
    assert answers_of(app, interview_id) == []


def test_interviewers_cannot_withdraw(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    code = interview_row(app, interview_id).respondent_code
    _anna, post = login_as("anna")
    assert post(withdraw_url(world), {"respondent_code": code, "confirm": "yes"}).status_code == 403
    assert "Een interview intrekken" not in html_of(_anna.get(f"/projects/{world.project_id}/interviews"))
    assert interview_row(app, interview_id).status == "completed"
