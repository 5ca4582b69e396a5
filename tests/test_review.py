"""The review of a completed interview before pooling: who may review (and who may not), the
history of every step, the interviewer's answer and corrections with their reasons."""
import pytest
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import AuditEvent, Interview, Project
from peerinterview.models.review import AnswerChange, InterviewReview

from .builders import answers_of, html_of, hidden_value, interview_row, make_interview, plain_text


def _completed(app, world, username="anna", **answers):
    return make_interview(app, world.project_id, username, completed=True,
                          answers=answers or {"q1": "1", "q2": "4", "q3": "Meer rust."})


def _review(post, interview_id, state, note="", seen=None, client=None):
    if seen is None:
        seen = hidden_value(client.get(f"/interviews/{interview_id}/answers"), "seen")
    return post(f"/interviews/{interview_id}/review", {"state": state, "note": note, "seen": seen})


def _history(app, interview_id):
    with app.app_context():
        rows = [(r.kind, r.old_state, r.new_state, r.note, r.user.username if r.user else None)
                for r in db.session.scalars(select(InterviewReview).where(InterviewReview.interview_id == interview_id)
                                            .order_by(InterviewReview.id))]
        db.session.remove()
    return rows


def _set_project(app, world, **values):
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        for name, value in values.items():
            setattr(project, name, value)
        db.session.commit()
        db.session.remove()


def test_staff_mark_an_interview_and_every_step_is_kept_and_logged(app, world, login_as):
    interview_id = _completed(app, world)
    client, post = login_as("staf")
    page = client.get(f"/interviews/{interview_id}/answers")
    assert "Nog niet nagekeken" in plain_text(page)
    response = _review(post, interview_id, "approved", client=client)
    assert response.status_code == 303
    assert "Goedgekeurd" in plain_text(client.get(response.headers["Location"]))
    response = _review(post, interview_id, "issue", note="Vraag 2 lijkt verkeerd gekozen.", client=client)
    assert response.status_code == 303
    assert interview_row(app, interview_id).review_state == "issue"
    assert _history(app, interview_id) == [
        ("review", "none", "approved", None, "staf"),
        ("review", "approved", "issue", "Vraag 2 lijkt verkeerd gekozen.", "staf"),
    ]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.review")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.detail["old"], e.detail["new"], e.object_id) for e in events] == [
            ("none", "approved", interview_id), ("approved", "issue", interview_id)]
        assert all("verkeerd" not in str(e.detail) for e in events)  # never the note in the logboek
        db.session.remove()
    text = plain_text(client.get(f"/interviews/{interview_id}/answers"))
    assert "van Nog niet nagekeken naar Goedgekeurd" in text
    assert "Vraag 2 lijkt verkeerd gekozen." in text


@pytest.mark.parametrize("state, message", [("issue", "Schrijf wat er niet klopt."),
                                            ("excluded", "Schrijf waarom het interview niet meetelt.")])
def test_a_note_is_required_for_issue_and_excluded(app, world, login_as, state, message):
    interview_id = _completed(app, world)
    client, post = login_as("staf")
    response = _review(post, interview_id, state, note="   ", client=client)
    assert response.status_code == 422
    assert "Fout:" in html_of(response).split("</title>")[0]
    assert message in plain_text(response)
    assert interview_row(app, interview_id).review_state == "none"
    assert _history(app, interview_id) == []


def test_a_stale_form_does_not_overwrite_a_decision_made_meanwhile(app, world, login_as):
    interview_id = _completed(app, world)
    staff, post_staff = login_as("staf")
    seen = hidden_value(staff.get(f"/interviews/{interview_id}/answers"), "seen")
    assert _review(post_staff, interview_id, "excluded", note="Dubbel afgenomen.", seen=seen).status_code == 303
    # The same page, opened before that decision, now says "goedgekeurd".
    response = _review(post_staff, interview_id, "approved", seen=seen)
    assert response.status_code == 422
    assert "Iemand anders heeft dit interview net nagekeken." in plain_text(response)
    assert interview_row(app, interview_id).review_state == "excluded"
    assert len(_history(app, interview_id)) == 1


def test_who_may_not_review(app, world, login_as, make_user):
    interview_id = _completed(app, world)
    make_user("gemeente", project_id=world.project_id, roles=("municipality",))
    for name in ("petra", "dirk", "andere-staf", "bram", "anna", "gemeente"):
        client, post = login_as(name)
        response = post(f"/interviews/{interview_id}/review", {"state": "excluded", "note": "Weg ermee.", "seen": "0"})
        assert response.status_code == 403, name
    assert interview_row(app, interview_id).review_state == "none"
    anonymous = app.test_client()
    response = anonymous.post(f"/interviews/{interview_id}/review", data={"state": "approved", "seen": "0"})
    assert response.status_code in (302, 303, 400, 401, 403)
    assert interview_row(app, interview_id).review_state == "none"


def test_an_interview_still_in_progress_is_not_reviewed(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1"})
    client, post = login_as("staf")
    response = post(f"/interviews/{interview_id}/review", {"state": "approved", "seen": "0"})
    assert response.status_code == 303
    assert "Dit interview is niet klaar." in plain_text(client.get(response.headers["Location"]))
    assert interview_row(app, interview_id).review_state == "none" and _history(app, interview_id) == []


def test_the_second_interviewer_reviews_only_when_the_project_allows_and_never_their_own(app, world, login_as):
    annas = _completed(app, world, "anna")
    brams = _completed(app, world, "bram")
    bram, post = login_as("bram")
    assert bram.get(f"/interviews/{annas}/answers").status_code == 403
    _set_project(app, world, second_interviewer_may_review=True)
    page = bram.get(f"/interviews/{annas}/answers")
    assert page.status_code == 200 and "Wat vind je van dit interview?" in plain_text(page)
    assert _review(post, annas, "approved", client=bram).status_code == 303
    assert interview_row(app, annas).review_state == "approved"
    # His own interview: he reads its answers, but never reviews it.
    own = bram.get(f"/interviews/{brams}/answers")
    assert own.status_code == 200 and "Wat vind je van dit interview?" not in plain_text(own)
    assert post(f"/interviews/{brams}/review", {"state": "approved", "seen": "0"}).status_code == 403
    # Nor as the second interviewer of anna's next interview.
    with app.app_context():
        second = db.session.get(Interview, _completed(app, world, "anna"))
        second.second_interviewer_id = db.session.scalar(
            select(Interview.interviewer_id).where(Interview.id == brams))
        db.session.commit()
        second_id = second.id
        db.session.remove()
    assert post(f"/interviews/{second_id}/review", {"state": "approved", "seen": "0"}).status_code == 403


def test_staff_who_took_the_interview_do_not_review_it(app, world, login_as):
    with app.app_context():
        from peerinterview.accounts.services import find_user, set_membership

        set_membership(user=find_user("staf"), project_id=world.project_id, roles={"interviewer"},
                       by=find_user("staf"))
        db.session.commit()
        db.session.remove()
    own = _completed(app, world, "staf")
    client, post = login_as("staf")
    assert post(f"/interviews/{own}/review", {"state": "approved", "seen": "0"}).status_code == 403


def test_the_interviewer_sees_the_note_answers_and_corrects_an_answer_with_a_reason(app, world, login_as):
    interview_id = _completed(app, world)
    staff, post_staff = login_as("staf")
    _review(post_staff, interview_id, "issue", note="Klopt vraag 1 wel?", client=staff)
    anna, post = login_as("anna")
    page = anna.get(f"/interviews/{interview_id}/answers")
    text = plain_text(page)
    assert "Klopt iets niet" in text and "Klopt vraag 1 wel?" in text
    q1 = world.question_ids[0]
    change_url = f"/interviews/{interview_id}/answers/{q1}/change"
    assert change_url in html_of(page)
    # The reason is required.
    response = post(change_url, {"answer": "3", "reason": ""})
    assert response.status_code == 422
    assert "Schrijf waarom je dit antwoord verandert." in plain_text(response)
    assert next(a for a in answers_of(app, interview_id) if a.question_id == q1).value == "1"
    response = post(change_url, {"answer": "3", "reason": "Verkeerd aangetikt."})
    assert response.status_code == 303
    assert next(a for a in answers_of(app, interview_id) if a.question_id == q1).value == "3"
    response = post(f"/interviews/{interview_id}/review/reply", {"reply": "Ik heb vraag 1 verbeterd."})
    assert response.status_code == 303
    assert _history(app, interview_id)[-1] == ("reply", "issue", "issue", "Ik heb vraag 1 verbeterd.", "anna")
    with app.app_context():
        change = db.session.scalars(select(AnswerChange)).one()
        assert (change.old_value, change.new_value, change.reason, change.user.username, change.kind) == (
            "1", "3", "Verkeerd aangetikt.", "anna", "interviewer")
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == interview_id)).all()
        assert "interview.answer_change" in actions and "interview.review_reply" in actions
        db.session.remove()
    # Staff see the change (old, new, who, why) and the reply.
    text = plain_text(staff.get(f"/interviews/{interview_id}/answers"))
    assert "Veranderde antwoorden" in text
    assert "Elke dag" in text and "Bijna nooit" in text and "Verkeerd aangetikt." in text
    assert "Ik heb vraag 1 verbeterd." in text


def test_an_open_text_changed_after_review_goes_back_to_the_staff_check(app, world, login_as):
    interview_id = _completed(app, world)
    staff, post_staff = login_as("staf")
    _review(post_staff, interview_id, "issue", note="Er staat een naam in vraag 3.", client=staff)
    anna, post = login_as("anna")
    q3 = world.question_ids[2]
    response = post(f"/interviews/{interview_id}/answers/{q3}/change",
                    {"text": "Meer rust in de zaal.", "reason": "Naam weggehaald."})
    assert response.status_code == 303
    answer = next(a for a in answers_of(app, interview_id) if a.question_id == q3)
    assert (answer.text, answer.review) == ("Meer rust in de zaal.", "pending")


def test_corrections_only_while_something_is_wrong_and_only_by_the_interviewer(app, world, login_as):
    interview_id = _completed(app, world)
    q1 = world.question_ids[0]
    url = f"/interviews/{interview_id}/answers/{q1}/change"
    anna, post = login_as("anna")
    # Not reviewed, or approved: no corrections, no reply (back to the answers, with why).
    assert anna.get(url).status_code == 303
    response = post(url, {"answer": "3", "reason": "Zomaar."})
    assert response.status_code == 303
    assert "Er is nu niets na te kijken." in plain_text(anna.get(response.headers["Location"]))
    assert post(f"/interviews/{interview_id}/review/reply", {"reply": "Hallo"}).status_code == 303
    assert _history(app, interview_id) == []
    staff, post_staff = login_as("staf")
    _review(post_staff, interview_id, "issue", note="Kijk vraag 1 na.", client=staff)
    # Staff, another interviewer, panel, other project's staff: none of them corrects.
    for name in ("staf", "bram", "petra", "andere-staf"):
        client, post_other = login_as(name)
        assert post_other(url, {"answer": "3", "reason": "Ik weet het beter."}).status_code == 403, name
        assert post_other(f"/interviews/{interview_id}/review/reply", {"reply": "Ja"}).status_code == 403, name
    # A question of another version is not found.
    assert post(f"/interviews/{interview_id}/answers/999999/change", {"answer": "3", "reason": "x"}).status_code == 404
    assert next(a for a in answers_of(app, interview_id) if a.question_id == q1).value == "1"
    # Once staff approve it, the corrections stop.
    _review(post_staff, interview_id, "approved", client=staff)
    assert post(url, {"answer": "3", "reason": "Toch nog."}).status_code == 303
    assert next(a for a in answers_of(app, interview_id) if a.question_id == q1).value == "1"
    with app.app_context():
        assert db.session.scalar(select(AnswerChange.id)) is None
        db.session.remove()


def test_the_interviewer_does_not_see_the_review_form(app, world, login_as):
    interview_id = _completed(app, world)
    anna, _post = login_as("anna")
    text = plain_text(anna.get(f"/interviews/{interview_id}/answers"))
    assert "Wat vind je van dit interview?" not in text


def test_the_project_settings_hold_the_counting_rule_and_the_second_reviewer(app, world, login_as):
    client, post = login_as("staf")
    page = client.get(f"/projects/{world.project_id}/edit")
    assert page.status_code == 200
    text = plain_text(page)
    assert "Welke interviews tellen mee in de uitkomsten?" in text and "Tweede interviewer mag ook nakijken" in text
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        data = {"name": project.name, "research_question": project.research_question, "commissioner": "",
                "min_group_size": "5", "review_open_answers": "y", "consent_text": project.consent_text,
                "count_rule": "approved_only", "second_interviewer_may_review": "y"}
        db.session.remove()
    response = post(f"/projects/{world.project_id}/edit", data)
    assert response.status_code == 303, plain_text(response)[:800]
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        assert (project.count_rule, project.second_interviewer_may_review) == ("approved_only", True)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "project.count_rule")) is not None
        db.session.remove()
    data["count_rule"] = "everything"
    assert post(f"/projects/{world.project_id}/edit", data).status_code == 422


def test_lists_say_the_review_and_offer_a_second_interviewer_what_to_review(app, world, login_as):
    annas = _completed(app, world, "anna")
    staff, post_staff = login_as("staf")
    _review(post_staff, annas, "issue", note="Kijk vraag 2 na.", client=staff)
    anna, _post = login_as("anna")
    assert "Klopt iets niet" in plain_text(anna.get(f"/projects/{world.project_id}/interviews"))
    bram, _post = login_as("bram")
    assert "Nakijken" not in plain_text(bram.get(f"/projects/{world.project_id}/interviews"))
    _set_project(app, world, second_interviewer_may_review=True)
    page = bram.get(f"/projects/{world.project_id}/interviews")
    assert "Nakijken" in plain_text(page) and f"/interviews/{annas}/answers" in html_of(page)
    # anna's own list never offers her own interviews to review.
    assert "Nakijken" not in plain_text(anna.get(f"/projects/{world.project_id}/interviews"))
