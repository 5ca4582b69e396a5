"""Samen bespreken: the panel and project staff sort cards into themes, discuss and
vote; only project staff approve quotes and move the slides. Interviewers who are not on the
panel, designers and staff of another project get 403.

The walk posts only a CSRF token: forms that need more answer 422, card actions without a card
go back with a message (303). Deleting the theme comes last, so the routes before it find it."""
from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import Answer, Interview, Question
from peerinterview.models.panel import Coding, Quote, Recommendation, Theme

from ..builders import make_interview
from .roles import PANEL, PROJECT_STAFF

ACCESS = {
    "panel.board": {"GET": PANEL},
    "panel.board_changes": {"GET": PANEL},
    "panel.create_theme_view": {"POST": PANEL},
    "panel.undo": {"POST": PANEL},
    "panel.theme": {"GET": PANEL},
    "panel.add_card_view": {"POST": PANEL},
    "panel.remove_card_view": {"POST": PANEL},
    "panel.rename_theme_view": {"POST": PANEL},
    "panel.merge_theme_view": {"POST": PANEL},
    "panel.split_theme_view": {"POST": PANEL},
    "panel.discuss": {"GET": PANEL},
    "panel.save_finding_view": {"POST": PANEL},
    "panel.save_findings_view": {"POST": PANEL},
    "panel.add_recommendation_view": {"POST": PANEL},
    "panel.vote_view": {"POST": PANEL},
    "panel.recommendations": {"GET": PANEL},
    "panel.overview": {"GET": PANEL},
    "panel.propose_quote_view": {"POST": PANEL},
    "panel.quotes": {"GET": PANEL},
    "panel.decide_quote_view": {"POST": PROJECT_STAFF},
    "panel.present": {"GET": PANEL},
    "panel.present_slide": {"GET": PANEL},
    "panel.present_move": {"POST": PROJECT_STAFF},
    "panel.open_meeting_view": {"POST": PROJECT_STAFF},
    "panel.close_meeting_view": {"POST": PROJECT_STAFF},
    # Only the author (here: staf, see url_values) or project staff take a recommendation away.
    "panel.delete_recommendation_view": {"POST": PROJECT_STAFF},
    # … and put it back (walked after taking it away).
    "panel.restore_recommendation_view": {"POST": PROJECT_STAFF},
    "panel.delete_theme_view": {"POST": PANEL},
}


def url_values(app, world) -> dict:
    """A theme (made directly, so no one's undo removes it) with one card, a proposed quote
    and a recommendation."""
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": "Meer rust."},
                                  completed=True)
    with app.app_context():
        answer = db.session.scalars(
            db.select(Answer).join(Question).join(Interview)
            .where(Interview.id == interview_id, Question.kind == "open")).one()
        staff = find_user("staf")
        theme = Theme(project_id=world.project_id, name="Rust", created_by_id=staff.id)
        db.session.add(theme)
        db.session.flush()
        db.session.add(Coding(theme_id=theme.id, answer_id=answer.id, part="text", added_by_id=staff.id))
        quote = Quote(project_id=world.project_id, answer_id=answer.id, part="text", proposed_by_id=staff.id)
        recommendation = Recommendation(theme_id=theme.id, text="Maak een stille kamer.", created_by_id=staff.id)
        db.session.add_all([quote, recommendation])
        db.session.commit()
        values = {"theme_id": theme.id, "quote_id": quote.id, "recommendation_id": recommendation.id,
                  "dialogue": "recognise"}
        db.session.remove()
    return values
