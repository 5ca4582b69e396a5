"""A redaction is never undone by a resend: the tablet that never heard the server's answer sends
the same encrypted envelope again (or the htmx autosave posts the same text again), and the text
staff redacted stays redacted. A really newer change by the interviewer is taken, and waits for
the check again."""
import time

from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.interview.services import save_answer
from peerinterview.models import Answer, Interview
from peerinterview.security import review

from .builders import html_of, start_interview_http
from .flow_builders import make_skip_version
from .test_open_answer_gate import release, seen_of, state_of
from .test_sync import Tablet, answer

HTMX = {"HX-Request": "true"}
ORIGINAL = "Bel Sandra op 06-12345678."
REDACTED = "Bel [naam] op [telefoonnummer]."


def the_answer(app, interview_id, question_id) -> int:
    with app.app_context():
        answer_id = db.session.scalars(select(Answer.id).where(
            Answer.interview_id == interview_id, Answer.question_id == question_id)).one()
        db.session.remove()
    return answer_id


def redact(post, world, answer_id, part="text"):
    response = post(f"/projects/{world.project_id}/herkenbare-details/{answer_id}", {"part": part})
    assert response.status_code == 303


def test_a_resent_envelope_never_undoes_a_redaction(app, world, login_as):
    anna, anna_post = login_as("anna")
    interview_id = start_interview_http(anna, anna_post, world.project_id, world.location_ids[0])
    tablet = Tablet(anna, world.project_id)
    q3 = world.question_ids[2]
    changed = int(time.time() * 1000)
    item = tablet.envelope(interview_id, q3, changed, answer(text=ORIGINAL))
    assert tablet.sync(interview_id, [item]).get_json()["acked"] == [item["id"]]
    answer_id = the_answer(app, interview_id, q3)
    staff, staff_post = login_as("staf")
    redact(staff_post, world, answer_id)
    assert state_of(app, answer_id) == ("pending", REDACTED, None)

    # The acknowledgement got lost: the same envelope comes again, and is acknowledged again.
    assert tablet.sync(interview_id, [item]).get_json()["acked"] == [item["id"]]
    assert state_of(app, answer_id) == ("pending", REDACTED, None)
    # The same answer queued again from a page that was gone: a new envelope, a later time.
    again = tablet.envelope(interview_id, q3, changed + 500, answer(text=ORIGINAL))
    assert tablet.sync(interview_id, [again]).status_code == 200
    assert state_of(app, answer_id) == ("pending", REDACTED, None)

    assert release(staff_post, world, answer_id, seen_of(staff, world, answer_id)).status_code == 303
    assert tablet.sync(interview_id, [item, again]).status_code == 200
    assert state_of(app, answer_id) == ("released", REDACTED, None)

    # A really newer change is taken, and waits for the check again.
    newer = tablet.envelope(interview_id, q3, changed + 1000, answer(text="Het is nu beter."))
    assert tablet.sync(interview_id, [newer]).status_code == 200
    assert state_of(app, answer_id) == ("pending", "Het is nu beter.", None)
    # And an old envelope of the redacted text still cannot come back over it.
    assert tablet.sync(interview_id, [item]).status_code == 200
    assert state_of(app, answer_id) == ("pending", "Het is nu beter.", None)


def test_a_repeated_htmx_autosave_never_undoes_a_redaction(app, world, login_as):
    anna, anna_post = login_as("anna")
    interview_id = start_interview_http(anna, anna_post, world.project_id, world.location_ids[0])
    url = f"/interviews/{interview_id}/questions/3"
    assert anna_post(url, {"text": ORIGINAL, "action": "save"}, headers=HTMX).status_code == 200
    answer_id = the_answer(app, interview_id, world.question_ids[2])
    staff, staff_post = login_as("staf")
    redact(staff_post, world, answer_id)

    # The same autosave again (the tablet never saw "Opgeslagen"), and the plain form's "Volgende".
    response = anna_post(url, {"text": ORIGINAL, "action": "save"}, headers=HTMX)
    assert response.status_code == 200 and "Opgeslagen" in html_of(response)
    assert state_of(app, answer_id) == ("pending", REDACTED, None)
    assert anna_post(url, {"text": ORIGINAL, "action": "next"}).status_code == 303
    assert state_of(app, answer_id) == ("pending", REDACTED, None)
    # The interviewer sees the redacted text on the question page from now on.
    assert REDACTED in html_of(anna.get(url))

    assert release(staff_post, world, answer_id, seen_of(staff, world, answer_id)).status_code == 303
    assert anna_post(url, {"text": ORIGINAL, "action": "save"}, headers=HTMX).status_code == 200
    assert state_of(app, answer_id) == ("released", REDACTED, None)
    assert anna_post(url, {"text": "Iets anders.", "action": "save"}, headers=HTMX).status_code == 200
    assert state_of(app, answer_id) == ("pending", "Iets anders.", None)


def test_a_redacted_follow_up_note_survives_a_resend(app, world, login_as):
    ids = make_skip_version(app, world.project_id)
    anna, anna_post = login_as("anna")
    interview_id = start_interview_http(anna, anna_post, world.project_id, world.location_ids[0])
    url = f"/interviews/{interview_id}/questions/1"
    note = "Ik kom met mijn buurman Piet de Boer."
    assert anna_post(url, {"answer": "2", "note": note, "action": "save"}, headers=HTMX).status_code == 200
    answer_id = the_answer(app, interview_id, ids[1])
    _staff, staff_post = login_as("staf")
    redact(staff_post, world, answer_id, part="note")
    _state, _text, redacted_note = state_of(app, answer_id)
    assert "Piet" not in redacted_note and "[naam]" in redacted_note

    assert anna_post(url, {"answer": "2", "note": note, "action": "save"}, headers=HTMX).status_code == 200
    assert state_of(app, answer_id) == ("pending", None, redacted_note)
    # Another choice with the old note still in the box: the choice changes, the note stays redacted.
    assert anna_post(url, {"answer": "1", "note": note, "action": "save"}, headers=HTMX).status_code == 200
    with app.app_context():
        stored = db.session.get(Answer, answer_id)
        assert (stored.value, stored.note) == ("1", redacted_note)
        db.session.remove()


def test_a_redaction_survives_a_resend_after_the_secret_key_changed(app, world):
    """SECRET_KEY_FALLBACKS holds the old key while tablets may still send old answers."""
    from .builders import make_interview

    interview_id = make_interview(app, world.project_id, "anna", answers={"q3": ORIGINAL}, released=False)
    old_key, old_fallbacks = app.config["SECRET_KEY"], app.config.get("SECRET_KEY_FALLBACKS")
    try:
        with app.app_context():
            project = db.session.get(Interview, interview_id).project
            answer_row = db.session.scalars(select(Answer).where(Answer.interview_id == interview_id)).one()
            assert review.redact(answer_row, "text", by=find_user("staf"), project_id=project.id)
            db.session.commit()
            app.config["SECRET_KEY"] = "een-nieuwe-sleutel-" + "x" * 40
            app.config["SECRET_KEY_FALLBACKS"] = [old_key]
            interview = db.session.get(Interview, interview_id)
            question = next(q for q in interview.version.questions if q.kind == "open")
            assert save_answer(interview, question, text=ORIGINAL)
            db.session.commit()
            assert db.session.get(Answer, answer_row.id).text == REDACTED
            db.session.remove()
    finally:
        app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = old_key, old_fallbacks
