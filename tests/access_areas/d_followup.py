"""After the panel: the project's staff, panel members, interviewers and the municipality's
account read what the municipality answered and what was agreed; only project staff change it,
except the answer, which the municipality's account gives too. Designers and staff of another
project get 403.

Walked before d_panel, so the recommendation of its url_values (recommendation_id) is still
live here. The walk posts only a CSRF token: the forms answer 422; taking the milestone away
comes last, and the agreement's delete (without its version) changes nothing. The agreement has
an evaluation date that has passed, so the panel's reminder and the evaluation page are walked too."""
from datetime import date

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import Agreement, Evaluation, Milestone
from peerinterview.models.panel import Recommendation, Theme

from .roles import INTERVIEWERS, MUNICIPALITY, PANEL, PROJECT_STAFF

READERS = PANEL | INTERVIEWERS | MUNICIPALITY

ACCESS = {
    "followup.index": {"GET": READERS},
    "followup.recommendation": {"GET": READERS},
    "followup.story": {"GET": READERS},
    "followup.save_answer_view": {"POST": PROJECT_STAFF | MUNICIPALITY},
    "followup.add_agreement_view": {"POST": PROJECT_STAFF},
    "followup.agreement": {"GET": READERS},
    "followup.change_agreement_view": {"POST": PROJECT_STAFF},
    "followup.set_status_view": {"POST": PROJECT_STAFF},
    "followup.add_milestone_view": {"POST": PROJECT_STAFF},
    "followup.delete_milestone_view": {"POST": PROJECT_STAFF},
    # Without its version the delete goes back to the page (303); the agreement stays.
    "followup.delete_agreement_view": {"POST": PROJECT_STAFF},
    # The panel looks back on an agreement together; staff may fill it in for them. Without its
    # version the evaluation answers 422 and saves nothing.
    "followup.evaluation": {"GET": PANEL},
    "followup.add_evaluation_view": {"POST": PANEL},
    # The follow-up report PDF: whoever may download the report, and the municipality it is for.
    "followup.report_pdf": {"GET": PANEL | MUNICIPALITY},
}


def url_values(app, world) -> dict:
    """An agreement with one milestone and an evaluation, on a recommendation of its own theme."""
    with app.app_context():
        staff = find_user("staf")
        theme = Theme(project_id=world.project_id, name="Eten", created_by_id=staff.id)
        db.session.add(theme)
        db.session.flush()
        recommendation = Recommendation(theme_id=theme.id, text="Warm eten.", created_by_id=staff.id)
        db.session.add(recommendation)
        db.session.flush()
        agreement = Agreement(recommendation_id=recommendation.id, what="Een magnetron.", organisation="De Haven",
                              agreed_on=date(2026, 3, 1), evaluate_on=date(2026, 9, 1), created_by_id=staff.id)
        db.session.add(agreement)
        db.session.flush()
        milestone = Milestone(agreement_id=agreement.id, happened_on=agreement.created_at.date(), text="Gekocht.")
        db.session.add(milestone)
        db.session.add(Evaluation(agreement_id=agreement.id, planned_on=date(2026, 3, 1), evaluated_on=date(2026, 3, 2),
                                  score=4, what_changed="Warm eten.", participants=5))
        db.session.commit()
        values = {"agreement_id": agreement.id, "milestone_id": milestone.id}
        db.session.remove()
    return values
