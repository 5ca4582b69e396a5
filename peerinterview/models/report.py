from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class ReportText(db.Model):
    """The texts of a project's report that people write themselves.

    Staff and the panel edit them; empty title and question fall back to the project's name and
    research question, so a report can be printed before anyone wrote a word.
    """

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    question: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    method_notes: Mapped[str] = mapped_column(Text, default="")
    # The one-page "Dit hebben we gehoord" for the people who were interviewed.
    respondent_summary: Mapped[str] = mapped_column(Text, default="")
    # The same for people who read little (A2, "makkelijk lezen"): one idea per line, a blank
    # line between blocks. Shown as its own page, PDF and poster, and on the public page.
    easy_read: Mapped[str] = mapped_column(Text, default="", server_default=sql_text("''"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    project: Mapped["Project"] = relationship()  # noqa: F821
