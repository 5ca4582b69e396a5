"""The volunteers' appreciation of taking part: the project's volunteers (designer, interviewers,
panel member; not its staff, even where staff sit on the panel) answer or dismiss the question
while it is switched on; only project staff switch it. Staff of another project get 403.

The walk posts only a CSRF token: the answer form comes back with 422, the dismiss is done (the
page stays open to change an answer), and the switch without its value changes nothing."""
from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import AppreciationRound

from .roles import INTERVIEWERS, PROJECT_STAFF

VOLUNTEERS = INTERVIEWERS | {"petra", "dirk"}

ACCESS = {
    "process.appreciation": {"GET": VOLUNTEERS, "POST": VOLUNTEERS},
    "process.dismiss": {"POST": VOLUNTEERS},
    "process.switch_round": {"POST": PROJECT_STAFF},
}


def url_values(app, world) -> dict:
    """The question is switched on for the world's project."""
    with app.app_context():
        db.session.add(AppreciationRound(project_id=world.project_id, opened_by_id=find_user("staf").id))
        db.session.commit()
        db.session.remove()
    return {}
