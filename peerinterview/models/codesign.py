"""Co-design of the questionnaire: proposals (cards) with comments and votes, and the history of
every question (by its stable key, across versions)."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

# new: a question to add to the draft; rewording: other words for the draft question `question_key`.
PROPOSAL_KINDS = ("new", "rewording")
PROPOSAL_STATUSES = ("open", "adopted", "rejected")


class QuestionChange(db.Model):
    """One change to a draft question: who, when, what (`details`: before → after per item).

    `action` is created, changed, moved, duplicated, deleted, restored or adopted. A deletion
    keeps a `snapshot` of the whole question (fields, choices, conditions), so that it can be
    put back exactly.
    """

    __table_args__ = (Index("ix_question_change_questionnaire_key", "questionnaire_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(64))
    version_number: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    details: Mapped[list] = mapped_column(JSON, default=list)
    snapshot: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped["User | None"] = relationship()  # noqa: F821
    proposal: Mapped["Proposal | None"] = relationship()


class Proposal(db.Model):
    """A card: a new question, or other words for an existing one. Designers and staff comment,
    vote, and adopt it into the draft or reject it (with a reason)."""

    __table_args__ = (Index("ix_proposal_project_status", "project_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    # rewording: the stable key of the question to reword; new, once adopted: the new question's key.
    question_key: Mapped[str | None] = mapped_column(String(64))
    # new: the kind of question (QUESTION_KINDS); rewording: the question's kind when proposed.
    question_kind: Mapped[str] = mapped_column(String(20), default="open")
    text: Mapped[str] = mapped_column(Text)
    # rewording: the question's words when the proposal was made (to show before → after).
    old_text: Mapped[str] = mapped_column(Text, default="")
    choices: Mapped[list] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821
    comments: Mapped[list["ProposalComment"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalComment.id"
    )
    votes: Mapped[list["ProposalVote"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalVote.id"
    )

    @property
    def votes_for(self) -> int:
        return sum(1 for vote in self.votes if vote.in_favour)

    @property
    def votes_against(self) -> int:
        return sum(1 for vote in self.votes if not vote.in_favour)

    @property
    def discussion(self) -> int:
        """How much was said about it: comments plus votes."""
        return len(self.comments) + len(self.votes)

    def vote_of(self, user) -> "ProposalVote | None":
        return next((vote for vote in self.votes if vote.user_id == getattr(user, "id", None)), None)


class ProposalComment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    proposal: Mapped[Proposal] = relationship(back_populates="comments")
    user: Mapped["User | None"] = relationship()  # noqa: F821


class ProposalVote(db.Model):
    """One vote per person per proposal (for or against); voting again changes it."""

    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    in_favour: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="votes")
    user: Mapped["User"] = relationship()  # noqa: F821
