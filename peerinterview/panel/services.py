"""Samen bespreken: sorting open answers into themes, quotes, findings and recommendations.

Every change is additive (a card is added to or removed from one theme, never "the themes of a
card are now …"), so several panel members can sort at once without losing each other's work.
What replaces a text (a theme's name, a finding, a quote's wording) carries the version it was
based on and is refused when someone else changed it in between. Every change raises the
board version, which the pages poll (an unchanged poll costs one primary-key read).

Services flush, never commit; the acting user is passed in explicitly.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, delete, func, literal, select, true, union_all, update

from ..audit import record
from ..counting import counts_in_results
from ..extensions import db
from ..models import Answer, Interview, Question
from ..models.base import utcnow
from ..models.interviews import ANSWER_REF_LENGTH
from ..models.panel import (
    CARD_PARTS,
    DIALOGUE_QUESTIONS,
    PRIORITIES,
    THEME_COLOURS,
    Coding,
    CodingDecision,
    Finding,
    PanelAction,
    PanelState,
    Quote,
    Recommendation,
    RecommendationVote,
    Theme,
)
from ..open_answer_gate import panel_may_read
from ..pool.disclosure import margin_plan, theme_counts
from ..upsert import insert_for_dialect

UNDOABLE = ("create", "rename", "add", "remove", "merge", "split", "delete", "decide")


class Conflict(Exception):
    """Someone else changed this in between; `current` is what is stored now."""

    def __init__(self, current=None):
        super().__init__("changed by someone else")
        self.current = current


# ---------------------------------------------------------------------------------------------
# Cards

@dataclass
class Card:
    answer_id: int
    part: str
    text: str
    question: str
    interview_id: str = ""
    theme_ids: set = field(default_factory=set)
    quote_status: str | None = None
    ref: str = ""

    @property
    def key(self) -> str:
        """The key the panel's pages carry: the answer's random reference, never its id."""
        return card_key(self.ref, self.part)

    @property
    def stored_key(self) -> str:
        """The key kept in the database (a round's cards, the undo log): never on a page."""
        return stored_card_key(self.answer_id, self.part)


# A card's key on the panel's pages is "<the answer's reference>-<part>". The answer's id is
# never in it: one interview's answers get neighbouring ids, so ids (and an order by id) would
# tell which texts one person wrote. What is stored keeps the id ("<answer id>-<part>"), as
# every other table does.

def card_key(ref: str, part: str) -> str:
    return f"{ref}-{part}"


def parse_card_key(key: str) -> tuple[str, str] | None:
    """(reference, part) of a key from a page; None when it cannot be one."""
    ref, _, part = (key or "").partition("-")
    if len(ref) != ANSWER_REF_LENGTH or any(c not in "0123456789abcdef" for c in ref) or part not in CARD_PARTS:
        return None
    return ref, part


def stored_card_key(answer_id: int, part: str) -> str:
    return f"{answer_id}-{part}"


def parse_stored_card_key(key: str) -> tuple[int, str] | None:
    answer, _, part = (key or "").partition("-")
    if not answer.isdigit() or part not in CARD_PARTS:
        return None
    return int(answer), part


def completed_interviews(project_id: int) -> int:
    """The completed interviews that count in the results (counting.py)."""
    return db.session.scalar(select(func.count()).select_from(Interview).where(counts_in_results(project_id)))


def cards_visible(project) -> bool:
    """The panel reads open answers only when enough people took part (like the results)."""
    return completed_interviews(project.id) >= project.min_group_size


def project_cards(project_id: int) -> list[Card]:
    """Every card of the project, with the live themes it is in and its quote status.

    Nothing about who said it: no respondent code, no interviewer, no location."""
    return _cards_with_marks(project_id, _cards_of(project_id))


@dataclass
class BoardPage:
    cards: list[Card]
    counts: dict  # all / unsorted / theme (the active one)
    page: int
    pages: int


def board_page(project_id: int, *, show: str, active_id: int | None, page: int, per_page: int) -> BoardPage:
    """One page of the board's cards, filtered ("all", "unsorted", or "theme": in the active
    theme), and the count behind each filter. Counted and paged in the database: a big project has
    far more cards than one page shows (bench/README.md#figures-behind-the-code)."""
    card = _card_table(project_id)
    sorted_ = _coded(card, project_id)
    in_active = _coded(card, project_id, theme_id=active_id) if active_id else None
    all_, unsorted, in_theme = db.session.execute(select(
        func.count(),
        func.coalesce(func.sum(case((sorted_, 0), else_=1)), 0),
        func.coalesce(func.sum(case((in_active, 1), else_=0)), 0) if in_active is not None else literal(0),
    ).select_from(card)).one()
    counts = {"all": all_, "unsorted": unsorted, "theme": in_theme}
    query = select(card)
    if show == "unsorted":
        query, total = query.where(~sorted_), unsorted
    elif show == "theme" and in_active is not None:
        query, total = query.where(in_active), in_theme
    else:
        total = all_
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.order_by(*_card_order(card))
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    cards = [_card_of(r) for r in rows]
    return BoardPage(_cards_with_marks(project_id, cards), counts, page, pages)


def card_counts(project_id: int) -> tuple[int, int]:
    """(all cards, cards in no live theme) of the project, as the board's filters count them."""
    card = _card_table(project_id)
    all_, unsorted = db.session.execute(select(
        func.count(), func.coalesce(func.sum(case((_coded(card, project_id), 0), else_=1)), 0),
    ).select_from(card)).one()
    return all_, unsorted


def _card_table(project_id: int, *, readable_only: bool = True):
    """The project's cards as rows (answer_id, ref, part, body, question, position, interview_id,
    part_order): the open answer ("text") and the follow-up note ("note") of each answer of a
    completed interview that the panel may read (open_answer_gate.py), in the order of the
    questionnaire. `readable_only=False` also gives the cards that wait for the check (never to
    show them: to move a theme's cards along with it)."""
    # The cards that wait for the check, and those of interviews that do not count, are only
    # moved along with their themes, never shown.
    readable = panel_may_read(project_id) & counts_in_results(project_id) if readable_only else true()

    def cards(part: str, order: int, body, has_body):
        return (
            select(Answer.id.label("answer_id"), Answer.ref.label("ref"), literal(part).label("part"),
                   body.label("body"),
                   Question.text.label("question"), Question.position.label("position"),
                   Answer.interview_id.label("interview_id"), literal(order).label("part_order"))
            .join(Interview, Interview.id == Answer.interview_id)
            .join(Question, Question.id == Answer.question_id)
            .where(Interview.project_id == project_id, Interview.status == "completed",
                   Answer.asked.is_(True), has_body, readable)
        )

    texts = cards("text", 0, Answer.text,
                  (Question.kind == "open") & Answer.text.is_not(None) & (Answer.text != ""))
    notes = cards("note", 1, Answer.note, Answer.note.is_not(None) & (Answer.note != ""))
    return union_all(texts, notes).subquery("card")


def _card_order(card):
    """Question by question, and within a question by the answers' random references: an order
    by answer id would put the i-th text of every question at the same place for one person."""
    return card.c.position, card.c.ref, card.c.part_order


def _coded(card, project_id: int, theme_id: int | None = None):
    """The card is in a live theme of the project (in `theme_id`, if given)."""
    query = (select(Coding.id).join(Theme, Theme.id == Coding.theme_id)
             .where(Coding.answer_id == card.c.answer_id, Coding.part == card.c.part,
                    Theme.project_id == project_id, Theme.deleted_at.is_(None)))
    if theme_id is not None:
        query = query.where(Coding.theme_id == theme_id)
    return query.exists()


def _cards_of(project_id: int, theme_id: int | None = None, *, readable_only: bool = True) -> list[Card]:
    card = _card_table(project_id, readable_only=readable_only)
    query = select(card)
    if theme_id is not None:
        query = query.where(_coded(card, project_id, theme_id))
    rows = db.session.execute(query.order_by(*_card_order(card))).all()
    return [_card_of(r) for r in rows]


def _card_of(row) -> Card:
    return Card(row.answer_id, row.part, row.body, row.question, row.interview_id, ref=row.ref)


def _cards_with_marks(project_id: int, cards: list[Card]) -> list[Card]:
    """Fill in each card's live themes and quote status (looked up for these cards only)."""
    if not cards:
        return cards
    answer_ids = sorted({c.answer_id for c in cards})
    themes_of = defaultdict(set)
    quotes = {}
    # In chunks: a database takes only so many parameters in one IN (...).
    for start in range(0, len(answer_ids), 5000):
        chunk = answer_ids[start:start + 5000]
        for answer_id, part, theme_id in db.session.execute(
            select(Coding.answer_id, Coding.part, Coding.theme_id).join(Theme, Theme.id == Coding.theme_id)
            .where(Theme.project_id == project_id, Theme.deleted_at.is_(None), Coding.answer_id.in_(chunk))
        ):
            themes_of[(answer_id, part)].add(theme_id)
        quotes.update({(a, p): status for a, p, status in db.session.execute(
            select(Quote.answer_id, Quote.part, Quote.status)
            .where(Quote.project_id == project_id, Quote.answer_id.in_(chunk)))})
    for card in cards:
        card.theme_ids = themes_of.get((card.answer_id, card.part), set())
        card.quote_status = quotes.get((card.answer_id, card.part))
    return cards


def find_card(project_id: int, key: str) -> Card | None:
    """The card with this key (from a page), if it is a card of this project (completed, not
    withdrawn, readable by the panel). A reference of another project is no card here."""
    return _one_card(project_id, "ref", parse_card_key(key))


def find_stored_card(project_id: int, key: str) -> Card | None:
    """The card with this stored key (a round's cards, the undo log), as find_card."""
    return _one_card(project_id, "answer_id", parse_stored_card_key(key))


def _one_card(project_id: int, column: str, parsed: tuple | None) -> Card | None:
    if parsed is None:
        return None
    value, part = parsed
    card = _card_table(project_id)
    row = db.session.execute(select(card).where(card.c[column] == value, card.c.part == part)).first()
    return _card_of(row) if row else None


def theme_cards(theme: Theme) -> list[Card]:
    """The cards in `theme`, in the order of the questionnaire."""
    return _cards_with_marks(theme.project_id, _cards_of(theme.project_id, theme.id))


# ---------------------------------------------------------------------------------------------
# Board version (polling) and the undo log

def board_version(project_id: int) -> int:
    return db.session.scalar(select(PanelState.board_version).where(PanelState.project_id == project_id)) or 0


def bump_board(project_id: int) -> None:
    stmt = insert_for_dialect(PanelState).values(project_id=project_id, board_version=1, slide="",
                                                 slide_version=0)
    stmt = stmt.on_conflict_do_update(index_elements=["project_id"],
                                      set_={"board_version": PanelState.board_version + 1})
    db.session.execute(stmt)


def _log(project_id, user, kind, **payload) -> PanelAction:
    action = PanelAction(project_id=project_id, user_id=user.id, kind=kind, payload=payload)
    db.session.add(action)
    bump_board(project_id)
    return action


def last_action(project_id: int, user) -> PanelAction | None:
    """The user's last sorting action that can still be undone."""
    action = db.session.scalars(
        select(PanelAction).where(PanelAction.project_id == project_id, PanelAction.user_id == user.id)
        .order_by(PanelAction.id.desc()).limit(1)
    ).first()
    return action if action is not None and action.undone_at is None else None


# ---------------------------------------------------------------------------------------------
# Themes

def live_themes(project_id: int) -> list[Theme]:
    return list(db.session.scalars(
        select(Theme).where(Theme.project_id == project_id, Theme.deleted_at.is_(None)).order_by(Theme.id)
    ))


def theme_of(project_id: int, theme_id: int) -> Theme | None:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.project_id != project_id or theme.deleted_at is not None:
        return None
    return theme


def create_theme(project, name: str, *, by, cards: list[Card] = ()) -> Theme:
    theme = Theme(project_id=project.id, name=name.strip(), created_by_id=by.id)
    db.session.add(theme)
    db.session.flush()
    added = [_add_coding(theme, card, by) for card in cards]
    _log(project.id, by, "create", theme_id=theme.id, cards=[k for k in added if k])
    record("panel.theme_create", user=by, project_id=project.id, obj=theme)
    return theme


def rename_theme(theme: Theme, name: str, *, version: int, by, description: str | None = None,
                 colour: str | None = None) -> None:
    """Save a theme's name (and, when given, its description and colour: "" for no colour) if
    nobody changed the theme since `version`. Only a new name is a step 'Maak ongedaan' takes
    back; a new description or colour is logged on its own."""
    old_name, old_details = theme.name, (theme.description, theme.colour)
    values = {"name": name.strip(), "version": Theme.version + 1}
    if description is not None:
        values["description"] = description.strip()
    if colour is not None:
        values["colour"] = colour if colour in THEME_COLOURS else None
    changed = db.session.execute(
        update(Theme).where(Theme.id == theme.id, Theme.version == version).values(**values).returning(Theme.id)
    ).first()
    if changed is None:
        db.session.refresh(theme)
        raise Conflict(theme.name)
    db.session.refresh(theme)
    details_changed = (theme.description, theme.colour) != old_details
    if theme.name != old_name or not details_changed:
        _log(theme.project_id, by, "rename", theme_id=theme.id, old=old_name, new=theme.name)
        record("panel.theme_rename", user=by, project_id=theme.project_id, obj=theme)
    if details_changed:
        bump_board(theme.project_id)
        record("panel.theme_details", user=by, project_id=theme.project_id, obj=theme)


def import_codebook(project, codes, *, by) -> list[Theme]:
    """The codes of a codebook as the project's first themes (name, description, colour).
    Only into a board without themes: a codebook never mixes with themes the panel made."""
    if live_themes(project.id):
        raise Conflict()
    themes = [Theme(project_id=project.id, name=code.name, description=code.description,
                    colour=code.colour if code.colour in THEME_COLOURS else None, created_by_id=by.id)
              for code in codes]
    db.session.add_all(themes)
    db.session.flush()
    bump_board(project.id)
    record("panel.codebook_import", user=by, project_id=project.id, obj=project, themes=len(themes))
    return themes


def _add_coding(theme: Theme, card: Card, by) -> str | None:
    """Put the card in the theme; its stored key if this added it, None if it was there already."""
    stmt = insert_for_dialect(Coding).values(theme_id=theme.id, answer_id=card.answer_id, part=card.part,
                                             added_by_id=by.id, added_at=utcnow())
    # RETURNING tells whether this statement inserted the row (rowcount is not reliable for an
    # ORM-enabled INSERT … ON CONFLICT on every driver).
    stmt = stmt.on_conflict_do_nothing(index_elements=["theme_id", "answer_id", "part"]).returning(Coding.id)
    added = db.session.execute(stmt).first() is not None
    return card.stored_key if added else None


def _remove_coding(theme_id: int, answer_id: int, part: str) -> bool:
    return db.session.execute(delete(Coding).where(
        Coding.theme_id == theme_id, Coding.answer_id == answer_id, Coding.part == part)
        .returning(Coding.id)).first() is not None


def add_card(theme: Theme, card: Card, *, by) -> bool:
    key = _add_coding(theme, card, by)
    if key:
        _log(theme.project_id, by, "add", theme_id=theme.id, cards=[key])
        record("panel.card_add", user=by, project_id=theme.project_id, obj=theme)
        db.session.expire(theme, ["codings"])
    return key is not None


def remove_card(theme: Theme, card: Card, *, by) -> bool:
    removed = _remove_coding(theme.id, card.answer_id, card.part)
    if removed:
        _log(theme.project_id, by, "remove", theme_id=theme.id, cards=[card.stored_key])
        record("panel.card_remove", user=by, project_id=theme.project_id, obj=theme)
        db.session.expire(theme, ["codings"])
    return removed


def merge_themes(target: Theme, source: Theme, *, by) -> int:
    """Put every card of `source` into `target`; `source` is then gone (but kept for undo). Also
    the cards that wait for the check again: they are back in `target` once released."""
    cards = _cards_of(source.project_id, source.id, readable_only=False)
    added = [key for key in (_add_coding(target, card, by) for card in cards) if key]
    source.deleted_at = utcnow()
    source.merged_into_id = target.id
    db.session.flush()
    _log(target.project_id, by, "merge", theme_id=target.id, source_id=source.id, cards=added)
    record("panel.theme_merge", user=by, project_id=target.project_id, obj=target, source_id=source.id)
    db.session.expire(target, ["codings"])
    return len(added)


def split_theme(source: Theme, cards: list[Card], name: str, *, by) -> Theme:
    """Move the chosen cards out of `source` into a new theme called `name`."""
    theme = Theme(project_id=source.project_id, name=name.strip(), created_by_id=by.id)
    db.session.add(theme)
    db.session.flush()
    moved = []
    for card in cards:
        _add_coding(theme, card, by)
        if _remove_coding(source.id, card.answer_id, card.part):
            moved.append(card.stored_key)
    _log(source.project_id, by, "split", theme_id=theme.id, source_id=source.id, cards=moved)
    record("panel.theme_split", user=by, project_id=source.project_id, obj=theme, source_id=source.id)
    db.session.expire(source, ["codings"])
    return theme


def delete_theme(theme: Theme, *, by) -> None:
    theme.deleted_at = utcnow()
    db.session.flush()
    _log(theme.project_id, by, "delete", theme_id=theme.id)
    record("panel.theme_delete", user=by, project_id=theme.project_id, obj=theme)


def undo_last(project_id: int, *, by) -> PanelAction | None:
    """Undo the user's last sorting action. Returns it, or None if there was nothing to undo.

    Undoing removes only what that action added (and puts back only what it removed), so the
    work others did meanwhile stays."""
    action = last_action(project_id, by)
    if action is None:
        return None
    payload = action.payload or {}
    theme = db.session.get(Theme, payload["theme_id"]) if payload.get("theme_id") else None
    source = db.session.get(Theme, payload["source_id"]) if payload.get("source_id") else None
    cards = [parse_stored_card_key(k) for k in payload.get("cards", [])]
    cards = [c for c in cards if c]
    if action.kind == "decide":
        _undo_decision(action)
    elif theme is not None:
        _undo_on_theme(action, theme, source, cards, by=by)
    action.undone_at = utcnow()
    db.session.flush()
    bump_board(project_id)
    record("panel.undo", user=by, project_id=project_id, obj=action, kind=action.kind)
    db.session.expire_all()
    return action


def _undo_decision(action: PanelAction) -> None:
    """Take back a decision of a round ("ieder apart"): the card comes off the themes that decision
    added it to, and is open again in the comparison. Refused when someone decided again since."""
    payload = action.payload or {}
    decision = db.session.get(CodingDecision, payload.get("decision_id") or 0)
    if decision is None or decision.version != payload.get("version"):
        action.undone_at = utcnow()
        db.session.flush()
        raise Conflict()
    for theme_id in payload.get("added") or []:
        _remove_coding(theme_id, decision.answer_id, decision.part)
    db.session.delete(decision)


def _undo_on_theme(action: PanelAction, theme: Theme, source: Theme | None, cards: list, *, by) -> None:
    """Take back what `action` did to `theme` (and the theme its cards came from)."""
    payload = action.payload or {}
    if action.kind in ("create", "split"):
        theme.deleted_at = theme.deleted_at or utcnow()
        if action.kind == "split" and source is not None:
            _put_back(source, cards, by=by)
    elif action.kind == "rename":
        if theme.name == payload.get("new"):
            theme.name = payload.get("old", theme.name)
            theme.version += 1
        else:
            # Someone renamed it since: their name stays, and this undo is used up.
            action.undone_at = utcnow()
            db.session.flush()
            raise Conflict(theme.name)
    elif action.kind == "add":
        for answer_id, part in cards:
            _remove_coding(theme.id, answer_id, part)
    elif action.kind == "remove":
        _put_back(theme, cards, by=by)
    elif action.kind == "merge":
        for answer_id, part in cards:
            _remove_coding(theme.id, answer_id, part)
        if source is not None:
            source.deleted_at = None
            source.merged_into_id = None
    elif action.kind == "delete":
        theme.deleted_at = None


def _put_back(into: Theme, cards: list, *, by) -> None:
    """Sort the cards into `into` again; a card someone put there meanwhile stays as it is."""
    for answer_id, part in cards:
        stmt = insert_for_dialect(Coding).values(theme_id=into.id, answer_id=answer_id, part=part,
                                                 added_by_id=by.id, added_at=utcnow())
        db.session.execute(stmt.on_conflict_do_nothing(index_elements=["theme_id", "answer_id", "part"]))


# ---------------------------------------------------------------------------------------------
# Counts and the breakdown by location

@dataclass
class ThemeSummary:
    theme: Theme
    cards: int
    people: int | None  # None: hidden
    per_location: dict[str, int | None]  # location id -> people (None: hidden), every location
    location_names: dict[str, str]
    by_location: bool = True  # False: the reader may not see people per location (sees_theme_locations)

    @property
    def breakdown_shown(self) -> bool:
        """Something per location is worth showing: not every location is hidden."""
        return self.by_location and any(n is not None for n in self.per_location.values())


def sees_theme_locations(roles) -> bool:
    """Whether someone with `roles` in the project may read a theme's people per location.

    Not the panel: a panel member chooses the cards of a theme, so after putting one card in
    and reading the counts again, the location whose number went up is where the writer of
    that card was interviewed. Staff read every answer with its location anyway."""
    return "staff" in roles or "panel" not in roles


def theme_card_counts(project, theme_ids) -> dict[int, int]:
    """Theme id -> cards in it that the panel may read (a card count, not a count of people)."""
    if not theme_ids:
        return {}
    completed = counts_in_results(project) & panel_may_read(project)
    return dict(db.session.execute(
        select(Coding.theme_id, func.count()).join(Answer, Answer.id == Coding.answer_id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(Coding.theme_id.in_(theme_ids), completed).group_by(Coding.theme_id)
    ).all())


def theme_overview(project, themes: list[Theme] | None = None, plan=None, *,
                   by_location: bool = True) -> list[ThemeSummary]:
    """Per live theme: cards, people (distinct interviews) and people per location, counted in
    the database, with small groups hidden as on every other page (pool/disclosure.py). Only
    the cards the panel may read count: a card that waits for the check again is not shown, so
    it is not counted either. `by_location=False` leaves the people per location out, and decides
    the people without them (disclosure.py: theme_counts)."""
    themes = live_themes(project.id) if themes is None else themes
    ids = [t.id for t in themes]
    completed = counts_in_results(project) & panel_may_read(project)
    cards = theme_card_counts(project, ids)
    per_location = defaultdict(dict)
    if ids:
        for theme_id, location_id, n in db.session.execute(
            select(Coding.theme_id, Interview.location_id, func.count(func.distinct(Interview.id)))
            .join(Answer, Answer.id == Coding.answer_id).join(Interview, Interview.id == Answer.interview_id)
            .where(Coding.theme_id.in_(ids), completed).group_by(Coding.theme_id, Interview.location_id)
        ):
            per_location[theme_id][str(location_id)] = n
    people = dict(db.session.execute(
        select(Coding.theme_id, func.count(func.distinct(Interview.id)))
        .join(Answer, Answer.id == Coding.answer_id).join(Interview, Interview.id == Answer.interview_id)
        .where(Coding.theme_id.in_(ids), completed).group_by(Coding.theme_id)
    ).all()) if ids else {}
    plan = plan if plan is not None or not themes else margin_plan(project)
    summaries = []
    for theme in themes:
        counts = theme_counts(plan, people.get(theme.id, 0), per_location[theme.id], cards.get(theme.id, 0),
                              by_location=by_location)
        summaries.append(ThemeSummary(theme, cards.get(theme.id, 0), counts.people, counts.per_location,
                                      plan.structure.location_names if by_location else {}, by_location))
    return summaries


# ---------------------------------------------------------------------------------------------
# Quotes

def propose_quote(project, card: Card, *, by) -> Quote:
    quote = db.session.scalars(
        select(Quote).where(Quote.answer_id == card.answer_id, Quote.part == card.part)).first()
    if quote is None:
        stmt = insert_for_dialect(Quote).values(
            project_id=project.id, answer_id=card.answer_id, part=card.part, status="proposed", version=1,
            proposed_by_id=by.id, proposed_at=utcnow())
        db.session.execute(stmt.on_conflict_do_nothing(index_elements=["answer_id", "part"]))
        quote = db.session.scalars(
            select(Quote).where(Quote.answer_id == card.answer_id, Quote.part == card.part)).one()
    elif quote.status == "rejected":
        quote.status, quote.version, quote.text = "proposed", quote.version + 1, None
        quote.proposed_by_id, quote.proposed_at = by.id, utcnow()
    db.session.flush()
    bump_board(project.id)
    record("panel.quote_propose", user=by, project_id=project.id, obj=quote)
    return quote


def quote_source_text(quote: Quote) -> str:
    return (quote.answer.text if quote.part == "text" else quote.answer.note) or ""


def decide_quote(quote: Quote, *, approve: bool, text: str | None, version: int, by) -> None:
    values = {"status": "approved" if approve else "rejected", "decided_by_id": by.id,
              "decided_at": utcnow(), "version": Quote.version + 1,
              "text": text.strip() if approve and text else None}
    changed = db.session.execute(update(Quote).where(Quote.id == quote.id, Quote.version == version)
                                 .values(**values).returning(Quote.id)).first()
    db.session.refresh(quote)
    if changed is None:
        raise Conflict(quote)
    bump_board(quote.project_id)
    # The logboek says who decided, never the words.
    record("panel.quote_approve" if approve else "panel.quote_reject", user=by, project_id=quote.project_id,
           obj=quote, redacted=bool(approve and text and text.strip() != quote_source_text(quote).strip()))


def reopen_quote(quote: Quote, *, version: int, by) -> None:
    """Take an approved or rejected quote back to "proposed" (its approved wording is dropped),
    for instance when staff notice an identifying detail later."""
    changed = db.session.execute(
        update(Quote).where(Quote.id == quote.id, Quote.version == version)
        .values(status="proposed", text=None, version=Quote.version + 1, decided_by_id=by.id,
                decided_at=utcnow()).returning(Quote.id)).first()
    db.session.refresh(quote)
    if changed is None:
        raise Conflict(quote)
    bump_board(quote.project_id)
    record("panel.quote_reopen", user=by, project_id=quote.project_id, obj=quote)


def _quote_order():
    """By the answers' random references (the query joins Answer): the order quotes were proposed
    in, or the answers' ids, can follow who said them."""
    return Answer.ref, Quote.part


def project_quotes(project_id: int, *statuses: str) -> list[Quote]:
    """The project's quotes (of `statuses`), of interviews that count in the results."""
    query = (select(Quote).join(Answer, Answer.id == Quote.answer_id)
             .join(Interview, Interview.id == Answer.interview_id)
             .where(Quote.project_id == project_id, counts_in_results(project_id))
             .order_by(*_quote_order()))
    if statuses:
        query = query.where(Quote.status.in_(statuses))
    return list(db.session.scalars(query))


def approved_quotes(project_id: int, theme_id: int | None = None) -> list[Quote]:
    """The quotes that may leave the panel: approved, of an answer the panel may read (one that
    changed after its release waits for the check again). Print Quote.text, never the answer."""
    query = (select(Quote).join(Answer, Answer.id == Quote.answer_id)
             .join(Interview, Interview.id == Answer.interview_id)
             .where(Quote.project_id == project_id, Quote.status == "approved", counts_in_results(project_id),
                    panel_may_read(project_id))
             .order_by(*_quote_order()))
    if theme_id is not None:
        query = query.join(Coding, (Coding.answer_id == Quote.answer_id) & (Coding.part == Quote.part)).where(
            Coding.theme_id == theme_id)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------------------------------------
# Findings (the four dialogue questions) and recommendations

def findings_of(theme_id: int) -> dict[str, Finding]:
    rows = db.session.scalars(select(Finding).where(Finding.theme_id == theme_id))
    return {f.question: f for f in rows}


def save_finding(theme: Theme, question: str, text: str, *, version: int, by) -> Finding:
    """Save the notes on one dialogue question; `version` is the one the writer started from
    (0: there was nothing yet). Raises Conflict with the stored finding when it changed."""
    if question not in DIALOGUE_QUESTIONS:
        raise ValueError(f"unknown dialogue question: {question}")
    text = (text or "").strip()
    if version == 0:
        stmt = insert_for_dialect(Finding).values(theme_id=theme.id, question=question, text=text, version=1,
                                                  updated_by_id=by.id, updated_at=utcnow())
        changed = db.session.execute(
            stmt.on_conflict_do_nothing(index_elements=["theme_id", "question"]).returning(Finding.id)
        ).first() is not None
    else:
        changed = db.session.execute(
            update(Finding).where(Finding.theme_id == theme.id, Finding.question == question,
                                  Finding.version == version)
            .values(text=text, version=Finding.version + 1, updated_by_id=by.id, updated_at=utcnow())
            .returning(Finding.id)
        ).first() is not None
    finding = db.session.scalars(
        select(Finding).where(Finding.theme_id == theme.id, Finding.question == question)
        .execution_options(populate_existing=True)).one()
    if not changed:
        raise Conflict(finding)
    bump_board(theme.project_id)
    record("panel.finding_save", user=by, project_id=theme.project_id, obj=finding, question=question)
    return finding


def add_recommendation(theme: Theme, text: str, *, by) -> Recommendation:
    recommendation = Recommendation(theme_id=theme.id, text=text.strip(), created_by_id=by.id)
    db.session.add(recommendation)
    db.session.flush()
    bump_board(theme.project_id)
    record("panel.recommendation_add", user=by, project_id=theme.project_id, obj=recommendation)
    return recommendation


def delete_recommendation(recommendation: Recommendation, *, by) -> None:
    """Take a recommendation away: it leaves the lists, the slides and the report, but stays
    stored with its votes (who took it away, and when), so it can be put back."""
    project_id = recommendation.theme.project_id
    recommendation.deleted_at = utcnow()
    recommendation.deleted_by_id = by.id
    db.session.flush()
    bump_board(project_id)
    record("panel.recommendation_delete", user=by, project_id=project_id, obj=recommendation)


def restore_recommendation(recommendation: Recommendation, *, by) -> None:
    """Put a recommendation that was taken away back, with the votes it had."""
    project_id = recommendation.theme.project_id
    recommendation.deleted_at = None
    recommendation.deleted_by_id = None
    db.session.flush()
    bump_board(project_id)
    record("panel.recommendation_restore", user=by, project_id=project_id, obj=recommendation)


def removed_recommendations(theme_id: int) -> list[Recommendation]:
    """The recommendations of a theme that were taken away, the last one first."""
    return list(db.session.scalars(
        select(Recommendation).where(Recommendation.theme_id == theme_id, Recommendation.deleted_at.is_not(None))
        .order_by(Recommendation.deleted_at.desc(), Recommendation.id.desc())))


def may_remove_recommendation(recommendation: Recommendation, user, *, is_staff: bool) -> bool:
    """Only the person who wrote it, or staff, may take it away or put it back."""
    return is_staff or (recommendation.created_by_id is not None and recommendation.created_by_id == user.id)


def vote(recommendation: Recommendation, priority: int, *, by) -> None:
    """One person, one vote per recommendation: a second vote replaces the first."""
    if priority not in PRIORITIES:
        raise ValueError(f"unknown priority: {priority}")
    stmt = insert_for_dialect(RecommendationVote).values(
        recommendation_id=recommendation.id, user_id=by.id, priority=priority, voted_at=utcnow())
    stmt = stmt.on_conflict_do_update(index_elements=["recommendation_id", "user_id"],
                                      set_={"priority": priority, "voted_at": utcnow()})
    db.session.execute(stmt)
    bump_board(recommendation.theme.project_id)
    record("panel.vote", user=by, project_id=recommendation.theme.project_id, obj=recommendation)


@dataclass
class RankedRecommendation:
    recommendation: Recommendation
    score: int
    votes_by_priority: dict[int, int]
    voters: int
    my_vote: int | None = None


def ranked_recommendations(project_id: int, theme_id: int | None = None, *, user=None) -> list[RankedRecommendation]:
    """Recommendations of live themes, most important first (sum of the votes' priorities)."""
    query = (select(Recommendation).join(Theme, Theme.id == Recommendation.theme_id)
             .where(Theme.project_id == project_id, Theme.deleted_at.is_(None),
                    Recommendation.deleted_at.is_(None)))
    if theme_id is not None:
        query = query.where(Recommendation.theme_id == theme_id)
    recommendations = list(db.session.scalars(query))
    tallies = defaultdict(lambda: {p: 0 for p in PRIORITIES})
    mine = {}
    if recommendations:
        for rec_id, priority, n in db.session.execute(
            select(RecommendationVote.recommendation_id, RecommendationVote.priority, func.count())
            .where(RecommendationVote.recommendation_id.in_([r.id for r in recommendations]))
            .group_by(RecommendationVote.recommendation_id, RecommendationVote.priority)
        ):
            tallies[rec_id][priority] = n
        if user is not None:
            mine = dict(db.session.execute(
                select(RecommendationVote.recommendation_id, RecommendationVote.priority)
                .where(RecommendationVote.user_id == user.id,
                       RecommendationVote.recommendation_id.in_([r.id for r in recommendations]))).all())
    ranked = [RankedRecommendation(r, sum(p * n for p, n in tallies[r.id].items()), dict(tallies[r.id]),
                                   sum(tallies[r.id].values()), mine.get(r.id)) for r in recommendations]
    ranked.sort(key=lambda item: (-item.score, item.recommendation.id))
    return ranked


# ---------------------------------------------------------------------------------------------
# Presentation mode

def presentation_state(project_id: int) -> tuple[str, int]:
    row = db.session.execute(select(PanelState.slide, PanelState.slide_version)
                             .where(PanelState.project_id == project_id)).first()
    return (row[0], row[1]) if row else ("", 0)


def show_slide(project_id: int, slide: str, *, by) -> None:
    stmt = insert_for_dialect(PanelState).values(project_id=project_id, board_version=0, slide=slide,
                                                 slide_version=1)
    stmt = stmt.on_conflict_do_update(index_elements=["project_id"],
                                      set_={"slide": slide, "slide_version": PanelState.slide_version + 1})
    db.session.execute(stmt)
    record("panel.present", user=by, project_id=project_id, slide=slide)
