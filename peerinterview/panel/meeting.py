"""The panel's path through a meeting, and the meeting the facilitator opens.

The path has five steps: sort the answers into themes, check the themes, answer the four
questions per theme, write and vote on recommendations, read the report. Each step says
whether it is done and what is left, from what is stored (nothing here is a count of people:
card and theme counts only, as on the board).

A meeting is the facilitator's agenda for today: which themes and which questions. While it is
open, the presentation (which every tablet follows) goes through that agenda only.
"""
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..audit import record
from ..extensions import db
from ..models.base import utcnow
from ..models.panel import DIALOGUE_QUESTIONS, Finding, PanelState
from ..models.process import PanelMeeting
from ..upsert import insert_for_dialect
from .services import (
    card_counts,
    cards_visible,
    live_themes,
    ranked_recommendations,
    theme_card_counts,
)

@dataclass
class Step:
    key: str
    number: int
    label: str
    url: str
    done: bool
    detail: str


@dataclass
class Path:
    steps: list[Step]
    meeting_open: bool

    def next_after(self, here: str | None) -> Step | None:
        """The step to take next: the first one after `here` that is not done, else the first
        one anywhere that is not done."""
        keys = [s.key for s in self.steps]
        start = keys.index(here) + 1 if here in keys else 0
        later = [s for s in self.steps[start:] if not s.done]
        if later:
            return later[0]
        return next((s for s in self.steps if not s.done and s.key != here), None)


def answered_questions(theme_ids) -> dict[int, int]:
    """Theme id -> how many of the four questions have a text."""
    if not theme_ids:
        return {}
    return dict(db.session.execute(
        select(Finding.theme_id, func.count()).where(Finding.theme_id.in_(theme_ids), Finding.text != "")
        .group_by(Finding.theme_id)).all())


def meeting_steps(project) -> Path:
    themes = live_themes(project.id)
    cards_per_theme = theme_card_counts(project, [t.id for t in themes])
    filled = [t for t in themes if cards_per_theme.get(t.id, 0)]
    empty = len(themes) - len(filled)
    answered = answered_questions([t.id for t in filled])
    discussed = [t for t in filled if answered.get(t.id, 0) >= len(DIALOGUE_QUESTIONS)]
    ranked = ranked_recommendations(project.id)
    unvoted = sum(1 for r in ranked if not r.voters)

    visible = cards_visible(project)
    total, unsorted = card_counts(project.id) if visible else (0, 0)
    if not visible:
        sort_detail = _("Er zijn nog te weinig interviews klaar.")
    elif unsorted:
        sort_detail = ngettext("Nog %(num)d kaart zonder thema.", "Nog %(num)d kaarten zonder thema.", unsorted)
    else:
        sort_detail = _("Alle kaarten hebben een thema.") if total else _("Er zijn nog geen kaarten.")

    if not filled:
        themes_detail = _("Nog geen thema met kaarten.")
    elif empty:
        themes_detail = ngettext("%(num)d thema heeft geen kaarten. Voeg het samen of gooi het weg.",
                                 "%(num)d thema's hebben geen kaarten. Voeg ze samen of gooi ze weg.", empty)
    else:
        themes_detail = ngettext("%(num)d thema met kaarten.", "%(num)d thema's met kaarten.", len(filled))

    first_open = next((t for t in filled if t not in discussed), None)
    findings_url = (url_for("panel.discuss", project_id=project.id, theme_id=first_open.id) if first_open
                    else url_for("panel.overview", project_id=project.id))
    if ranked:
        recommendations_detail = (ngettext("%(num)d aanbeveling heeft nog geen stem.",
                                           "%(num)d aanbevelingen hebben nog geen stem.", unvoted)
                                  if unvoted else _("Op elke aanbeveling is gestemd."))
    else:
        recommendations_detail = _("Nog geen aanbevelingen.")
    steps = [
        Step("sort", 1, _("Antwoorden sorteren"),
             url_for("panel.board", project_id=project.id, show="unsorted" if unsorted else "all"),
             visible and total > 0 and unsorted == 0, sort_detail),
        Step("themes", 2, _("Thema's nakijken"), url_for("panel.overview", project_id=project.id),
             bool(filled) and not empty, themes_detail),
        Step("findings", 3, _("Vier vragen"), findings_url, bool(filled) and len(discussed) == len(filled),
             _("%(done)s van %(total)s thema's besproken.", done=len(discussed), total=len(filled))),
        Step("recommendations", 4, _("Aanbevelingen"), url_for("panel.recommendations", project_id=project.id),
             bool(ranked) and not unvoted, recommendations_detail),
        Step("report", 5, _("Rapport"), url_for("report.show", project_id=project.id), False,
             _("Lees het rapport samen na.")),
    ]
    return Path(steps, meeting_open=meeting_agenda(project.id) is not None)


# ---------------------------------------------------------------------------------------------
# The meeting and its agenda

def meeting_agenda(project_id: int) -> dict | None:
    return db.session.scalar(select(PanelState.meeting_agenda).where(PanelState.project_id == project_id))


def open_meeting(project_id: int, *, themes: list[int], questions: list[str], first_slide: str, by) -> None:
    """Open today's meeting; every tablet that follows the presentation starts at its first slide."""
    agenda = {"themes": list(themes), "questions": list(questions)}
    now = utcnow()
    stmt = insert_for_dialect(PanelState).values(project_id=project_id, board_version=1, slide=first_slide,
                                                 slide_version=1, meeting_agenda=agenda, meeting_opened_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["project_id"], set_={
        "meeting_agenda": agenda, "meeting_opened_at": now, "slide": first_slide,
        "slide_version": PanelState.slide_version + 1, "board_version": PanelState.board_version + 1})
    db.session.execute(stmt)
    # A new agenda for a meeting that is open already is the same meeting.
    if db.session.scalar(select(PanelMeeting.id).where(PanelMeeting.project_id == project_id,
                                                       PanelMeeting.closed_at.is_(None))) is None:
        db.session.add(PanelMeeting(project_id=project_id, opened_at=now))
    record("panel.meeting_open", user=by, project_id=project_id, themes=len(themes), questions=len(questions))


def close_meeting(project_id: int, *, by, attendees: int | None = None) -> None:
    """Close the meeting; `attendees`: how many panel members were there (None: not counted)."""
    db.session.execute(PanelState.__table__.update().where(PanelState.project_id == project_id).values(
        meeting_agenda=None, meeting_opened_at=None, slide_version=PanelState.slide_version + 1,
        board_version=PanelState.board_version + 1))
    db.session.execute(PanelMeeting.__table__.update().where(
        PanelMeeting.project_id == project_id, PanelMeeting.closed_at.is_(None)).values(
        closed_at=utcnow(), attendees=attendees))
    record("panel.meeting_close", user=by, project_id=project_id, attendees=attendees)
