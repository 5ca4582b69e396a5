"""Co-design: proposals with comments and votes, the facilitator's view, the history of
a question, duplicate and delete with undo. Designers and the project's staff only.

url_values adds two questions to the matrix world's draft (one to walk, one deleted so that its
undo can be walked) and an open proposal for a new question. The walk posts only a CSRF token:
duplicate, delete, restore and adopt run (303); comment, vote and a new proposal are refused with
422 (nothing filled in); rejecting the adopted proposal is 409."""
from peerinterview.design.codesign.services import create_proposal, delete_with_undo
from peerinterview.design.builder.services import add_question, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Project, User

from .roles import EDITORS

ACCESS = {
    "design.question_history": {"GET": EDITORS},
    "design.duplicate_question_view": {"POST": EDITORS},
    "design.delete_question_with_undo": {"POST": EDITORS},
    "design.restore_question_view": {"POST": EDITORS},
    "design.proposals": {"GET": EDITORS},
    "design.new_proposal": {"GET": EDITORS, "POST": EDITORS},
    "design.proposal": {"GET": EDITORS},
    "design.comment_proposal": {"POST": EDITORS},
    "design.vote_proposal": {"POST": EDITORS},
    "design.adopt_proposal_view": {"POST": EDITORS},
    "design.reject_proposal_view": {"POST": EDITORS},
    "design.facilitator": {"GET": EDITORS},
}


def url_values(app, world) -> dict:
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        dirk = db.session.query(User).filter_by(username="dirk").one()
        draft = questionnaire_of(project).draft
        walked = add_question(draft, kind="open", text="Wat wilt u nog kwijt?", by=dirk)
        undone = add_question(draft, kind="yesno", text="Komt u hier graag?", by=dirk)
        change = delete_with_undo(undone, by=dirk)
        proposal = create_proposal(project, kind="new", text="Hoe kwam u hier?", question_kind="open", by=dirk)
        db.session.commit()
        values = {"draft_key": walked.key, "history_key": walked.key, "change_id": change.id, "proposal_id": proposal.id}
        db.session.remove()
    return values
