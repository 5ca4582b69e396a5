"""Privacy and security: the code step after the password, setting up the second
factor (staff), login cards (staff make them for clients; anyone may open a card's URL), the
logboek (staff), erasure by respondent code, the check of open answers (project staff)
and the results kept after the retention date (panel and project staff).

The walk posts only a CSRF token: the code forms answer 422; new recovery codes without a
second factor go to the set-up page (303); resetting petra's second factor (she has none) and
revoking her card go back to a page (303); a new card for petra is printed (200). The card URL
of the walk belongs to a revoked card: everyone gets the B1 "deze kaart werkt niet" page (404),
so no role is logged in as petra halfway through the walk."""
from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import Answer, Interview, Question
from peerinterview.security.cards import create_card, revoke

from ..builders import make_interview
from .roles import EVERYONE, GLOBAL_STAFF, PANEL, PETRA_MANAGERS, PROJECT_STAFF

ACCESS = {
    "security.verify_code": {"GET": EVERYONE, "POST": EVERYONE},
    "security.two_factor": {"GET": GLOBAL_STAFF, "POST": GLOBAL_STAFF},
    "security.new_recovery_codes": {"POST": GLOBAL_STAFF},
    # Petra's account: staff of her project and administrators; not staff of another project.
    "security.reset_two_factor": {"POST": PETRA_MANAGERS},
    "security.login_cards": {"GET": PETRA_MANAGERS, "POST": PETRA_MANAGERS},
    "security.revoke_login_card": {"POST": PETRA_MANAGERS},
    "security.card_login": {"GET": EVERYONE, "POST": EVERYONE},
    "security.audit_log": {"GET": GLOBAL_STAFF},
    "security.erase_respondent": {"GET": PROJECT_STAFF, "POST": PROJECT_STAFF},
    "security.identifying_details": {"GET": PROJECT_STAFF},
    "security.redact_answer": {"POST": PROJECT_STAFF},
    # The check of open answers: the walk posts no fingerprint or reason (303 back with a
    # message, or 422), and no moment for the bulk release (303 back to its confirmation).
    "security.release_answer": {"POST": PROJECT_STAFF},
    "security.hold_answer": {"POST": PROJECT_STAFF},
    "security.release_unflagged": {"GET": PROJECT_STAFF, "POST": PROJECT_STAFF},
    "security.retained_results": {"GET": PANEL},
}
ALLOWED_STATUSES_OF = {"security.card_login": {404}}


def url_values(app, world) -> dict:
    interview_id = make_interview(app, world.project_id, "anna",
                                  answers={"q3": "Mijn begeleider Jan belt 06-12345678."}, completed=True)
    with app.app_context():
        staff = find_user("staf")
        petra = find_user("petra")
        revoked, token = create_card(petra, by=staff)
        revoke(revoked, by=staff)
        active, _token = create_card(petra, by=staff)
        db.session.commit()
        answer_id = db.session.scalars(
            db.select(Answer.id).join(Question).join(Interview)
            .where(Interview.id == interview_id, Question.kind == "open")).one()
        values = {"card_token": token, "login_card_id": active.id, "text_answer_id": answer_id}
        db.session.remove()
    return values
