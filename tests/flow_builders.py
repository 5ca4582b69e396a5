"""A questionnaire with skip logic and a follow-up note, for the interview-flow tests.

Version 2 of the world's questionnaire (the world's version 1 has no conditions):
  1. Hoe vaak komt u hier?  (Elke dag=1, Soms=2, Bijna nooit=3; required; follow-up note)
  2. Hoe voelt u zich hier? (scale; required; only if 1 is Elke dag or Soms)
  3. Wat kan beter?         (open; only if 2 is 1, 2 or 3, so hidden whenever 2 is hidden)
  4. Wilt u nog iets zeggen? (open; always)
"""
from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import add_condition, add_question, freeze_version, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Project


def make_skip_version(app, project_id) -> dict:
    """Freeze version 2 with skip logic; returns {position: question id}."""
    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, project_id)
        draft = new_draft(questionnaire_of(project), by=staff)
        q1, q2, q3 = draft.questions
        q1.follow_up = True
        q2.required = True
        q4 = add_question(draft, kind="open", text="Wilt u nog iets zeggen?", by=staff)
        add_condition(q2, q1, ["1", "2"], by=staff)
        add_condition(q3, q2, ["1", "2", "3"], by=staff)
        freeze_version(draft, by=staff)
        db.session.commit()
        ids = {q.position: q.id for q in (q1, q2, q3, q4)}
        db.session.remove()
    return ids
