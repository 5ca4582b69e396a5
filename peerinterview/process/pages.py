"""What the start page and the project page (projects feature) show of this feature: the
appreciation question still open for the user, and for a project who took part and what the
volunteers thought of it."""
from .forms import DismissForm, RoundForm
from .services import appreciation_summary, open_questions_for, participation


def start_page_context(user) -> dict:
    return {"appreciation_asked": open_questions_for(user), "dismiss_form": DismissForm()}


def project_page_context(project, roles: set[str]) -> dict:
    """Counts for everyone who sees the project page; the answers to the appreciation question
    (and the switch) for its staff."""
    return {"participation": participation(project),
            "appreciation": appreciation_summary(project.id) if "staff" in roles else None,
            "round_form": RoundForm()}
