"""One interview's raw answers, read-only: the interviewer who took it and the project's staff may
read them (docs/architecture.md#roles-and-what-each-can-see); nobody else; every reading is logged
without content."""
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import AuditEvent, Condition

from .builders import make_interview, plain_text


def test_staff_and_the_interviewer_read_one_interview(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", completed=True,
                                  answers={"q1": "2", "q2": "special:dont_know", "q3": "Meer rust."})
    for reader in ("staf", "anna"):
        client, _ = login_as(reader)
        response = client.get(f"/interviews/{interview_id}/answers")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        text = plain_text(response)
        assert "Antwoorden van interview" in text
        assert "1. Hoe vaak komt u hier? Soms" in text
        assert "2. Hoe voelt u zich hier? Weet ik niet" in text
        assert "3. Wat kan beter? Meer rust." in text
        assert "Deel ze niet." in text
    with app.app_context():
        reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.read")).all()
        assert len(reads) == 2 and all("Meer rust." not in str(event.detail) for event in reads)
        db.session.remove()


def test_others_cannot_read_it(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    for reader in ("bram", "petra", "dirk", "andere-staf"):
        client, _ = login_as(reader)
        assert client.get(f"/interviews/{interview_id}/answers").status_code == 403


def test_a_question_hidden_by_skip_logic_says_not_asked(app, world, login_as):
    with app.app_context():
        q1_id, _q2_id, q3_id = world.question_ids
        db.session.add(Condition(question_id=q3_id, source_question_id=q1_id, values=["1"]))
        db.session.commit()
        db.session.remove()
    interview_id = make_interview(app, world.project_id, "anna", completed=True,
                                  answers={"q1": "2", "q3": "Van eerder."})
    client, _ = login_as("staf")
    text = plain_text(client.get(f"/interviews/{interview_id}/answers"))
    assert "3. Wat kan beter? Niet gevraagd, door een eerder antwoord" in text
    assert "Van eerder." not in text


def test_staff_list_links_to_the_answers(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    client, _ = login_as("staf")
    html = client.get(f"/projects/{world.project_id}/interviews").get_data(as_text=True)
    assert f"/interviews/{interview_id}/answers" in html
