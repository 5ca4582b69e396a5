"""The public results page: only the project's staff make it, choose its quotes, print its
poster and take it back; everyone, logged in or not, reads it through its link.

The walk reads the page first, then posts only a CSRF token: publishing without the tick box is
422, the quote choice saves an empty choice (303), and taking the link back comes last."""
from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.followup.public import publish
from peerinterview.models import Project

from .roles import EVERYONE, PROJECT_STAFF

ACCESS = {
    "followup.public_page": {"GET": EVERYONE},
    "followup.public_settings": {"GET": PROJECT_STAFF},
    "followup.public_poster": {"GET": PROJECT_STAFF},
    "followup.publish_view": {"POST": PROJECT_STAFF},
    "followup.public_quotes_view": {"POST": PROJECT_STAFF},
    "followup.revoke_view": {"POST": PROJECT_STAFF},
}


def url_values(app, world) -> dict:
    """A working link of the world's project."""
    with app.test_request_context():
        link = publish(db.session.get(Project, world.project_id), expires_on=None, by=find_user("staf"))
        db.session.commit()
        values = {"token": link.token}
        db.session.remove()
    return values
