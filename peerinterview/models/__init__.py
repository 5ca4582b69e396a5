"""Domain models, one module per aggregate. Import from here."""
from .accounts import ROLES, Membership, User
from .audit import AuditEvent
from .interviews import SPECIAL_ANSWERS, Answer, Interview
from .projects import Location, Project, ProjectKey
from .questionnaires import (QUESTION_KINDS, Choice, Condition, Question, Questionnaire,
                             QuestionnaireVersion)

__all__ = [
    "ROLES", "Membership", "User", "AuditEvent", "SPECIAL_ANSWERS", "Answer", "Interview",
    "Location", "Project", "ProjectKey", "QUESTION_KINDS", "Choice", "Condition", "Question", "Questionnaire",
    "QuestionnaireVersion",
]
