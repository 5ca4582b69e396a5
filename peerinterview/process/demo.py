"""Demo data for who took part: two panel meetings with how many came, and the appreciation
question switched on with one answer (fewer than five: the page shows "nog te weinig
antwoorden"). The demo panel member has not answered yet, so her start page asks her. Called
from peerinterview/demo.py after the follow-up's demo data."""
from datetime import timedelta

from ..extensions import db
from ..models.base import utcnow
from ..models.process import PanelMeeting
from .services import save_appreciation, set_round

# (days ago, hours it took, panel members there)
DEMO_MEETINGS = ((70, 2, 5), (56, 2, 4))


def create_demo_process(project, *, staff, volunteer) -> None:
    """The caller commits."""
    now = utcnow()
    for days_ago, hours, attendees in DEMO_MEETINGS:
        opened = now - timedelta(days=days_ago)
        db.session.add(PanelMeeting(project_id=project.id, opened_at=opened, closed_at=opened + timedelta(hours=hours),
                                    attendees=attendees))
    set_round(project, open_=True, by=staff)
    save_appreciation(volunteer, project.id, mark=8,
                      valued="Ik mocht zelf de vragen stellen. Mensen vertelden mij meer dan aan een medewerker.")
    db.session.flush()
