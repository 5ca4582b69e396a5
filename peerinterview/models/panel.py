"""Samen bespreken: themes, cards sorted into them, quotes, findings and recommendations.

A *card* is not a table: it is one open text of a completed interview, named by the answer and
the part of it ("text": the answer to an open question; "note": the follow-up note under a
choice question). Withdrawing an interview deletes its answers, and with them (ON DELETE
CASCADE) every coding and quote of its cards.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

CARD_PARTS = ("text", "note")
QUOTE_STATUSES = ("proposed", "approved", "rejected")
# The four dialogue questions, in the order the panel answers them.
DIALOGUE_QUESTIONS = ("recognise", "explain", "opinion", "action")
# A vote on a recommendation: how important is it? 3 = heel belangrijk … 1 = minder belangrijk.
PRIORITIES = (3, 2, 1)
# The colours a theme can have: the Okabe–Ito palette, which people with a colour vision
# deficiency can tell apart. Stored as the hex value, so an export writes it as it is.
THEME_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
THEME_DESCRIPTION_MAX = 300


class Theme(db.Model):
    """A pile of cards with a name. Deleted and merged themes stay (deleted_at set) for undo."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # What belongs in the theme, in a sentence or two (the codebook's description of the code).
    description: Mapped[str] = mapped_column(String(THEME_DESCRIPTION_MAX), default="", server_default=sql_text("''"))
    colour: Mapped[str | None] = mapped_column(String(7))  # one of THEME_COLOURS, or none
    # Raised on every rename: a rename based on an older name is refused (optimistic check).
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    # Set when this theme was merged into another one (and so deleted).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))

    codings: Mapped[list["Coding"]] = relationship(back_populates="theme", cascade="all, delete-orphan",
                                                   passive_deletes=True)
    findings: Mapped[list["Finding"]] = relationship(back_populates="theme", cascade="all, delete-orphan",
                                                     passive_deletes=True)
    recommendations: Mapped[list["Recommendation"]] = relationship(
        back_populates="theme", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Recommendation.id",
    )


class Coding(db.Model):
    """One card in one theme. Added and removed one at a time (never "set the themes of a
    card"), so two people sorting the same card never undo each other's work."""

    __tablename__ = "coding"
    __table_args__ = (UniqueConstraint("theme_id", "answer_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(8))  # one of CARD_PARTS
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    theme: Mapped[Theme] = relationship(back_populates="codings")
    answer: Mapped["Answer"] = relationship()  # noqa: F821


class Quote(db.Model):
    """A card proposed as a quote. Only `text` of an approved quote may leave the panel pages:
    it is the (possibly redacted) wording staff approved, fixed at approval."""

    __tablename__ = "quote"
    __table_args__ = (
        UniqueConstraint("answer_id", "part"),
        Index("ix_quote_project_status", "project_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    part: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default="proposed")  # one of QUOTE_STATUSES
    text: Mapped[str | None] = mapped_column(Text)  # the approved (redacted) wording
    version: Mapped[int] = mapped_column(default=1)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]

    answer: Mapped["Answer"] = relationship()  # noqa: F821


class Finding(db.Model):
    """The panel's notes on one dialogue question about one theme."""

    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("theme_id", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(12))  # one of DIALOGUE_QUESTIONS
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    theme: Mapped[Theme] = relationship(back_populates="findings")


class Recommendation(db.Model):
    """A recommendation of the panel. Taking one away only sets deleted_at: it keeps its votes,
    so it can be put back, and the panel can see what was taken away and by whom."""

    __tablename__ = "recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    theme: Mapped[Theme] = relationship(back_populates="recommendations")
    votes: Mapped[list["RecommendationVote"]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", passive_deletes=True,
    )


class RecommendationVote(db.Model):
    """One person, one vote per recommendation (upserted, so it can be changed)."""

    __tablename__ = "recommendation_vote"
    __table_args__ = (UniqueConstraint("recommendation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    priority: Mapped[int]  # one of PRIORITIES
    voted_at: Mapped[datetime] = mapped_column(default=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="votes")


class PanelAction(db.Model):
    """A sorting action of one person, with what is needed to undo it (their last one)."""

    __tablename__ = "panel_action"
    __table_args__ = (Index("ix_panel_action_project_user", "project_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]


class PanelState(db.Model):
    """Per project: a counter raised by every change to the board (so a poll that finds it
    unchanged is answered with 304), the slide the facilitator is showing, and the meeting the
    facilitator opened (its agenda: which themes and which questions; None: no meeting)."""

    __tablename__ = "panel_state"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    board_version: Mapped[int] = mapped_column(default=0)
    slide: Mapped[str] = mapped_column(String(80), default="")
    slide_version: Mapped[int] = mapped_column(default=0)
    meeting_agenda: Mapped[dict | None] = mapped_column(JSON)  # {"themes": [ids], "questions": [keys]}
    meeting_opened_at: Mapped[datetime | None]


class CodingRound(db.Model):
    """A set of cards that each chosen member sorts on their own ("ieder apart"). The cards are
    fixed when the round starts (their stored keys, see panel/services.stored_card_key), so every
    member sorts the same cards, also when new interviews come in meanwhile; staff choose how
    many, so a round fits in one meeting."""

    __tablename__ = "coding_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # which cards, in words ("Wat kan beter?")
    # Stored card keys ("<answer id>-<part>"; pages carry Card.key instead), in the board's order.
    cards: Mapped[list] = mapped_column(JSON, default=list)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Staff may end a round before everyone is done: closed, the members who finished are
    # compared without the others; stopped, the round goes no further (the board stays as it is).
    closed_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    members: Mapped[list["CodingRoundMember"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CodingRoundMember.id",
    )


class CodingRoundMember(db.Model):
    """One person who sorts the round's cards; done_at is set when they say they are done."""

    __tablename__ = "coding_round_member"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coding_round.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # The name at the time: the comparison and the decisions still say who it was.
    name: Mapped[str] = mapped_column(String(120))
    done_at: Mapped[datetime | None]

    round: Mapped[CodingRound] = relationship(back_populates="members")


class RoundCoding(db.Model):
    """One member's choice in a round: this card in this theme. Kept apart from Coding, so the
    shared board and the others never see it before the comparison."""

    __tablename__ = "round_coding"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", "theme_id", "answer_id", "part"),
        Index("ix_round_coding_round_user", "round_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coding_round.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(8))  # one of CARD_PARTS
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class CodingDecision(db.Model):
    """What the panel decided together for one card of a round: the themes it goes in on the
    shared board, who decided, and who took part in the round (names at the time)."""

    __tablename__ = "coding_decision"
    __table_args__ = (UniqueConstraint("round_id", "answer_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coding_round.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(8))
    theme_ids: Mapped[list] = mapped_column(JSON, default=list)
    # The themes this decision put on the board that were not there yet: what undo takes away.
    added_theme_ids: Mapped[list] = mapped_column(JSON, default=list)
    participants: Mapped[list] = mapped_column(JSON, default=list)  # names of the round's members
    version: Mapped[int] = mapped_column(default=1)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
