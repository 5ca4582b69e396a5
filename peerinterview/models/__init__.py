"""Domain models, one module per aggregate. Import from here."""
from .accounts import ROLES, Membership, User
from .audit import AuditEvent
from .interviews import SPECIAL_ANSWERS, Answer, Interview
from .projects import Location, Project
from .questionnaires import QUESTION_KINDS, Choice, Question, Questionnaire, QuestionnaireVersion

__all__ = [
    "ROLES", "Membership", "User", "AuditEvent", "SPECIAL_ANSWERS", "Answer", "Interview",
    "Location", "Project", "QUESTION_KINDS", "Choice", "Question", "Questionnaire",
    "QuestionnaireVersion",
]
