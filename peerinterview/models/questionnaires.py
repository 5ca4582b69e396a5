from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

# single: one choice from a list; multi: any number of choices from a list;
# scale3 / scale5: three or five points with smileys and words; yesno: "Ja" or "Nee";
# number: a whole number, optionally within min_value..max_value; open: free text;
# info: a screen with text only (never an answer).
QUESTION_KINDS = ("single", "multi", "scale3", "scale5", "yesno", "number", "open", "info")
# Kinds whose answer is one or more Choice.value strings (multi: joined by "," in choice order).
# JSON documents with a server default: JSONB on PostgreSQL (plain json has no "=",
# which the schema comparison of the migration tests needs).
JSON_DOC = JSON().with_variant(JSONB(), "postgresql")

CHOICE_KINDS = ("single", "multi", "scale3", "scale5", "yesno")
# Limits of explained words (Question.word_explanations), in the builder and in imported files:
# a question that needs more explanations than this needs other words.
MAX_EXPLAINED_WORD = 60
MAX_WORD_EXPLANATION = 300
MAX_EXPLAINED_WORDS = 10
# Kinds an interviewer answers (info is only read out).
ANSWER_KINDS = tuple(k for k in QUESTION_KINDS if k != "info")


class Questionnaire(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), unique=True
    )
    versions: Mapped[list["QuestionnaireVersion"]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan",
        order_by="QuestionnaireVersion.number",
    )

    @property
    def draft(self) -> "QuestionnaireVersion | None":
        return next((v for v in self.versions if v.frozen_at is None), None)

    @property
    def latest_frozen(self) -> "QuestionnaireVersion | None":
        frozen = [v for v in self.versions if v.frozen_at is not None]
        return frozen[-1] if frozen else None


class QuestionnaireVersion(db.Model):
    """A draft (frozen_at is None) is editable; interviews always point to a frozen one."""

    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    frozen_at: Mapped[datetime | None]
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Question.position"
    )

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Question(db.Model):
    __table_args__ = (
        UniqueConstraint("version_id", "key"),
        Index("ix_question_version_position", "version_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="CASCADE")
    )
    # Stable across versions: answers to the same key are pooled across versions.
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    help_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    allow_dont_know: Mapped[bool] = mapped_column(default=True)
    allow_refuse: Mapped[bool] = mapped_column(default=True)
    # Offer a short "wil je daar iets over vertellen?" text box under a choice question.
    follow_up: Mapped[bool] = mapped_column(default=False, server_default=false())
    # An open question the respondent may answer by speaking (a recording, after its own consent).
    allow_spoken: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Non-empty: this question starts a new section with this title.
    section_title: Mapped[str] = mapped_column(String(200), default="", server_default=sql_text("''"))
    # Range of a number question (either may be empty).
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]
    # Texts in other languages than Dutch: {"en": {"text": "...", "help_text": "...",
    # "section_title": "..."}} (section_title only when the question starts a section).
    translations: Mapped[dict] = mapped_column(JSON_DOC, default=dict, server_default="{}")
    # Hard words explained, per language of the text they are in:
    # {"nl": [{"word": "...", "explanation": "..."}], "en": [...]}, in the order they were added.
    word_explanations: Mapped[dict] = mapped_column(JSON_DOC, default=dict, server_default="{}")
    # A pictogram of the vendored set (peerinterview/pictograms.py), by its code; "" for none.
    picture: Mapped[str] = mapped_column(String(16), default="", server_default=sql_text("''"))

    version: Mapped[QuestionnaireVersion] = relationship(back_populates="questions")
    choices: Mapped[list["Choice"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="Choice.position"
    )
    conditions: Mapped[list["Condition"]] = relationship(
        back_populates="question", cascade="all, delete-orphan",
        foreign_keys="Condition.question_id", order_by="Condition.id",
    )

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_answered(self) -> bool:
        """False for an information screen: it never gets an answer."""
        return self.kind != "info"

    @property
    def number(self) -> int | None:
        """The question's number on every screen (tablet, overview, answers, results): the
        questions that take an answer, counted in the order of the version. Information screens
        have none, and skip logic never changes a number."""
        if not self.is_answered:
            return None
        return sum(1 for q in self.version.questions if q.is_answered and q.position <= self.position)

    def text_in(self, language: str) -> str:
        """The question text in `language`, or "" when there is no translation."""
        if language == "nl":
            return self.text
        return ((self.translations or {}).get(language) or {}).get("text") or ""

    def help_text_in(self, language: str) -> str:
        if language == "nl":
            return self.help_text
        return ((self.translations or {}).get(language) or {}).get("help_text") or ""

    def section_title_in(self, language: str) -> str:
        if language == "nl":
            return self.section_title
        return ((self.translations or {}).get(language) or {}).get("section_title") or ""

    def choice_label(self, value: str) -> str | None:
        return next((c.label for c in self.choices if c.value == value), None)

    def explanations_in(self, language: str) -> list[dict]:
        """The explained words of the text in `language`: [{"word": ..., "explanation": ...}]."""
        return list((self.word_explanations or {}).get(language) or [])


class Choice(db.Model):
    __table_args__ = (UniqueConstraint("question_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    value: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(300))
    # Labels in other languages than Dutch: {"en": "label"}.
    translations: Mapped[dict] = mapped_column(JSON_DOC, default=dict, server_default="{}")
    # A pictogram shown above the words on the tablet and next to them in the results; "" for none.
    picture: Mapped[str] = mapped_column(String(16), default="", server_default=sql_text("''"))

    question: Mapped[Question] = relationship(back_populates="choices")

    def label_in(self, language: str) -> str:
        """The label in `language`, or "" when there is no translation."""
        if language == "nl":
            return self.label
        return (self.translations or {}).get(language) or ""


class Condition(db.Model):
    """Show `question` only if the answer to an earlier `source` question is one of `values`.

    Several conditions on one question must all hold. Both questions are in the same version.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    source_question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    values: Mapped[list] = mapped_column(JSON, default=list)  # Choice.value strings

    question: Mapped[Question] = relationship(back_populates="conditions", foreign_keys=[question_id])
    source: Mapped[Question] = relationship(foreign_keys=[source_question_id])
