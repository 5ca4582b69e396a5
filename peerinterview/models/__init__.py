"""Domain models, one module per aggregate. Import from here."""
from .accounts import ROLES, AccountNotice, Membership, User
from .audit import AuditEvent
from .codesign import Proposal, ProposalComment, ProposalVote, QuestionChange
from .followup import Agreement, Evaluation, FollowUpChange, Milestone, RecommendationAnswer
from .interviews import RECORDING_CONSENT_VERSION, SPECIAL_ANSWERS, Answer, Interview, SpokenChunk, SpokenRecording
from .panel import (Coding, CodingDecision, CodingRound, CodingRoundMember, Finding, PanelAction, PanelState,
                    Quote, Recommendation, RecommendationVote, RoundCoding, Theme)
from .process import Appreciation, AppreciationRound, FollowUpSeen, PanelMeeting
from .projects import Location, Project, ProjectKey
from .public import PublicLink, PublicQuote
from .questionnaires import (QUESTION_KINDS, Choice, Condition, Question, Questionnaire,
                             QuestionnaireVersion)
from .report import ReportText
from .review import AnswerChange, InterviewReview
from .security import LoginCard, RecoveryCode, RetainedQuote, RetainedResult, TwoFactor

__all__ = [
    "ROLES", "AccountNotice", "Membership", "User", "AuditEvent", "SPECIAL_ANSWERS", "Answer", "Interview",
    "RECORDING_CONSENT_VERSION", "SpokenRecording", "SpokenChunk",
    "Location", "Project", "ProjectKey", "QUESTION_KINDS", "Choice", "Condition", "Question", "Questionnaire",
    "QuestionnaireVersion", "ReportText", "AnswerChange", "InterviewReview",
    "Proposal", "ProposalComment", "ProposalVote", "QuestionChange",
    "Theme", "Coding", "CodingRound", "CodingRoundMember", "RoundCoding", "CodingDecision", "Quote", "Finding",
    "Recommendation", "RecommendationVote", "PanelAction", "PanelState",
    "Agreement", "Evaluation", "FollowUpChange", "Milestone", "RecommendationAnswer", "PublicLink", "PublicQuote",
    "Appreciation", "AppreciationRound", "FollowUpSeen", "PanelMeeting",
    "LoginCard", "RecoveryCode", "RetainedQuote", "RetainedResult", "TwoFactor",
]
