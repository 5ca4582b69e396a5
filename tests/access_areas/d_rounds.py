"""Sorting "ieder apart": panel members and project staff see the rounds; only project staff
start one; only the round's members (here petra and staf) sort in it and say they are done.
Interviewers who are not on the panel, designers, staff of another project and the
municipality's account get 403.

The walk posts only a CSRF token: starting a round answers 422, a card without a card goes back
with a message (303), a decision before everyone is done goes back (303). Only project staff
close a round early or stop it (each after a confirmation page). The posts that change the
round come last: saying "klaar", then closing (refused, 422: without who had finished, the
confirmation page again with its error), then stopping."""
from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import Answer, Interview, Question
from peerinterview.models.panel import CodingRound, CodingRoundMember
from peerinterview.panel.services import stored_card_key

from ..builders import make_interview
from .roles import PANEL, PROJECT_STAFF

ACCESS = {
    "panel.rounds": {"GET": PANEL},
    "panel.start_round_view": {"POST": PROJECT_STAFF},
    "panel.round_page": {"GET": PANEL},
    "panel.round_card_view": {"POST": PANEL},
    "panel.decide_card_view": {"POST": PANEL},
    "panel.close_round_page": {"GET": PROJECT_STAFF},
    "panel.stop_round_page": {"GET": PROJECT_STAFF},
    "panel.finish_round_view": {"POST": PANEL},
    "panel.close_round_view": {"POST": PROJECT_STAFF},
    "panel.stop_round_view": {"POST": PROJECT_STAFF},
}


def url_values(app, world) -> dict:
    """A round on one card, sorted by petra and staf."""
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": "Apart."},
                                  completed=True)
    with app.app_context():
        answer = db.session.scalars(
            db.select(Answer).join(Question).join(Interview)
            .where(Interview.id == interview_id, Question.kind == "open")).one()
        staff, petra = find_user("staf"), find_user("petra")
        round_ = CodingRound(project_id=world.project_id, name="Wat kan beter?", cards=[stored_card_key(answer.id, "text")],
                             started_by_id=staff.id)
        round_.members = [CodingRoundMember(user_id=petra.id, name=petra.display_name),
                          CodingRoundMember(user_id=staff.id, name=staff.display_name)]
        db.session.add(round_)
        db.session.commit()
        values = {"round_id": round_.id}
        db.session.remove()
    return values
