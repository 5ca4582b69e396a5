"""After erasure nothing comes back: once the retention run (`purge-expired`) has erased a
project, or a respondent withdrew, no write path stores anything for that interview any more
(htmx autosave, the encrypted sync, plain form posts, finishing, the debrief), the tablet gets
an answer it understands (410: forget these answers), and the next run erases whatever an
earlier version let through."""
from datetime import date

import pytest
from sqlalchemy import select, update

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.interview.services import complete_interview, save_debrief
from peerinterview.models import Answer, AuditEvent, Interview, Project, Question, RetainedResult
from peerinterview.models.base import utcnow
from peerinterview.security import retention

from .builders import answers_of, count_rows, html_of, interview_row, location_of, plain_text, start_interview_http
from .test_sync import Tablet, answer, now_ms

HTMX = {"HX-Request": "true"}
LABELS = {"special_labels": {"dont_know": "Weet ik niet", "refuse": "Wil ik niet zeggen"},
          "no_answer_label": "Geen antwoord gegeven", "open_label": "Open antwoorden",
          "not_asked_label": "Kregen de vraag niet"}
RETENTION = date(2030, 1, 1)
AFTER = date(2030, 1, 2)


def q(interview_id, number):
    return f"/interviews/{interview_id}/questions/{number}"


@pytest.fixture
def fieldwork(app, world, login_as):
    """Anna's tablet with two interviews: one finished (with a debrief), one still going. The
    tablet has synced an answer of each, so this process keeps their fixed facts."""
    client, post = login_as("anna")
    finished = start_interview_http(client, post, world.project_id, world.location_ids[0])
    going = start_interview_http(client, post, world.project_id, world.location_ids[1])
    tablet = Tablet(client, world.project_id)
    q1, q2, q3 = world.question_ids
    for interview_id in (finished, going):
        assert tablet.sync(interview_id, [tablet.envelope(interview_id, q1, now_ms(), answer(value="1"))]).status_code == 200
    assert post(q(finished, 3), {"text": "Meer rust.", "action": "next"}).status_code == 303
    assert post(f"/interviews/{finished}/overview").status_code == 303
    assert post(f"/interviews/{finished}/debrief", {"mood": "good", "text": "Ging goed."}).status_code == 303
    with app.app_context():
        db.session.get(Project, world.project_id).retention_date = RETENTION
        db.session.commit()
        db.session.remove()
    return {"client": client, "post": post, "tablet": tablet, "finished": finished, "going": going}


def purge(app, today=AFTER):
    with app.app_context():
        reports = retention.purge_expired(today, **LABELS)
        db.session.remove()
    return reports


def test_the_retention_run_marks_the_interviews_erased(app, world, fieldwork):
    assert [r.project_id for r in purge(app)] == [world.project_id]
    for key in ("finished", "going"):
        row = interview_row(app, fieldwork[key])
        assert (row.status, row.respondent_code, row.debrief_text) == ("erased", "", None)
        assert answers_of(app, fieldwork[key]) == []
    assert interview_row(app, fieldwork["finished"]).completed_at is not None
    assert interview_row(app, fieldwork["going"]).completed_at is None
    # The number of finished interviews stays true on the project page.
    staff, _ = login_as_staff(app)
    assert "1 interview klaar, 0 nog bezig" in plain_text(staff.get(f"/projects/{world.project_id}"))


def login_as_staff(app):
    from .helpers import Poster, login

    client = app.test_client()
    login(client, "staf")
    return client, Poster(client)


@pytest.mark.parametrize("key", ["finished", "going"])
def test_a_sync_after_the_retention_run_stores_nothing_and_tells_the_tablet(app, world, fieldwork, key):
    purge(app)
    tablet, interview_id = fieldwork["tablet"], fieldwork[key]
    item = tablet.envelope(interview_id, world.question_ids[1], now_ms(), answer(value="2"))
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 410
    assert response.get_json() == {"error": "this interview takes no answers any more", "gone": True,
                                   "acked": [item["id"]], "server_time": response.get_json()["server_time"]}
    assert answers_of(app, interview_id) == []
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.sync_discarded")).one()
        assert (event.object_id, event.detail) == (interview_id, {"items": 1, "status": "erased"})
        db.session.remove()


def test_no_form_stores_anything_after_the_retention_run(app, world, fieldwork):
    purge(app)
    client, post, going, finished = fieldwork["client"], fieldwork["post"], fieldwork["going"], fieldwork["finished"]
    # The htmx autosave: the page goes to the closing screen, nothing is stored.
    response = post(q(going, 2), {"answer": "3", "action": "save"}, headers=HTMX)
    assert response.status_code == 409 and response.headers["HX-Redirect"] == f"/interviews/{going}/done"
    # The plain form (no JavaScript).
    response = post(q(going, 2), {"answer": "3", "action": "next"})
    assert location_of(response) == f"/interviews/{going}/done"
    # Finishing it.
    assert location_of(post(f"/interviews/{going}/overview")) == f"/interviews/{going}/done"
    # The debrief and the follow-up flag of the finished one.
    response = post(f"/interviews/{finished}/debrief", {"mood": "hard", "text": "Zijn broer is ziek.",
                                                       "follow_up_needed": "y"})
    assert location_of(response) == f"/interviews/{finished}/done"
    for interview_id in (going, finished):
        row = interview_row(app, interview_id)
        assert (row.status, row.debrief_text, row.debrief_mood, row.follow_up_needed) == ("erased", None, None, False)
        assert answers_of(app, interview_id) == []
    done = plain_text(client.get(f"/interviews/{going}/done"))
    assert "De antwoorden van dit interview zijn gewist. De bewaartermijn is voorbij." in done
    assert "Gewist" in plain_text(client.get(f"/projects/{world.project_id}/interviews"))
    # No new interview in an erased project either.
    response = client.get(f"/projects/{world.project_id}/interviews/new")
    assert response.status_code == 409
    assert "Dit onderzoek is afgelopen" in plain_text(response)
    assert count_rows(app, Interview) == 2


def test_the_next_run_erases_what_came_back(app, world, fieldwork):
    """An answer stored after an earlier run (a tablet's late sync, before writes checked for
    erased interviews) is erased by the next run; the frozen results stay as they were."""
    purge(app)
    with app.app_context():
        frozen = [(r.question_key, r.cells) for r in db.session.scalars(select(RetainedResult).order_by(RetainedResult.position))]
        # As an earlier version left it: still "completed", with a new answer and a debrief.
        db.session.execute(update(Interview).where(Interview.id == fieldwork["finished"])
                           .values(status="completed", debrief_text="Later nog iets."))
        db.session.add(Answer(interview_id=fieldwork["finished"], question_id=world.question_ids[2],
                              text="Mijn naam is Jan.", changed_at=utcnow()))
        db.session.commit()
        db.session.remove()
    assert purge(app, date(2030, 1, 3)) == []  # no project newly erased …
    assert answers_of(app, fieldwork["finished"]) == []  # … but what came back is gone
    row = interview_row(app, fieldwork["finished"])
    assert (row.status, row.debrief_text) == ("erased", None)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "project.purge_leftovers")).one()
        assert event.project_id == world.project_id and event.detail == {"answers": 1, "interviews": 1}
        run = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.run")
                                 .order_by(AuditEvent.id.desc())).first()
        assert run.detail == {"today": "2030-01-03", "projects": [], "leftovers": [world.project_id]}
        assert [(r.question_key, r.cells) for r in db.session.scalars(
            select(RetainedResult).order_by(RetainedResult.position))] == frozen
        db.session.remove()
    # A third run finds nothing.
    purge(app, date(2030, 1, 4))
    assert count_rows(app, AuditEvent, AuditEvent.action == "project.purge_leftovers") == 1


@pytest.mark.parametrize("status", ["withdrawn", "erased"])
def test_a_debrief_or_finish_a_moment_after_the_erasure_writes_nothing(app, world, fieldwork, status):
    """The request had read the interview before a withdrawal or the retention run changed it:
    its write checks the status in the same statement."""
    with app.app_context():
        finished = db.session.get(Interview, fieldwork["finished"])
        going = db.session.get(Interview, fieldwork["going"])
        assert (finished.status, going.status) == ("completed", "in_progress")
        with db.engine.begin() as other:  # another request, meanwhile
            other.execute(update(Interview).where(Interview.id.in_([finished.id, going.id]))
                          .values(status=status, debrief_text=None))
        assert save_debrief(finished, mood="hard", text="Zijn broer is ziek.", follow_up_needed=True,
                            by=find_user("anna")) is False
        assert complete_interview(going, by=find_user("anna")) is False
        db.session.commit()
        db.session.remove()
    assert (interview_row(app, fieldwork["finished"]).status, interview_row(app, fieldwork["finished"]).debrief_text) \
        == (status, None)
    assert interview_row(app, fieldwork["going"]).status == status
    assert count_rows(app, Answer, Answer.interview_id == fieldwork["going"], Answer.asked.is_(False)) == 0
    assert count_rows(app, AuditEvent, AuditEvent.action.in_(("interview.debrief", "interview.complete")),
                      AuditEvent.object_id == fieldwork["going"]) == 0


@pytest.mark.parametrize("status", ["withdrawn", "erased"])
def test_every_write_path_refuses_a_withdrawn_or_erased_interview(app, world, fieldwork, status):
    with app.app_context():
        db.session.execute(update(Interview).values(status=status))
        db.session.commit()
        db.session.remove()
    before = count_rows(app, Answer)
    tablet, post = fieldwork["tablet"], fieldwork["post"]
    for interview_id in (fieldwork["going"], fieldwork["finished"]):
        item = tablet.envelope(interview_id, world.question_ids[1], now_ms(), answer(value="2"))
        assert tablet.sync(interview_id, [item]).status_code == 410
        assert post(q(interview_id, 2), {"answer": "2", "action": "save"}, headers=HTMX).status_code == 409
        assert location_of(post(q(interview_id, 2), {"answer": "2", "action": "next"})) == f"/interviews/{interview_id}/done"
        post(f"/interviews/{interview_id}/debrief", {"mood": "hard", "text": "Nog iets."})
    assert count_rows(app, Answer) == before
    with app.app_context():
        assert db.session.scalars(select(Interview.debrief_text).where(Interview.debrief_text == "Nog iets.")).all() == []
        question = db.session.get(Question, world.question_ids[1])
        assert question is not None
        db.session.remove()
    assert "Internal" not in html_of(fieldwork["client"].get(f"/interviews/{fieldwork['going']}/done"))
