"""Sorting "ieder apart": a round in which each chosen member sorts the same cards into the
shared themes on their own, then a comparison, card by card, and the panel's decision per card.

A member's choices in a round (RoundCoding) are kept apart from the shared board (Coding) and
are shown to nobody else until every member said they are done. Only a decision puts a card on
the shared board, and it does so like a tap on the board: it adds, it never takes away what
others sorted there.

A member who never comes back would block the comparison for good, so staff may close a round
early: the members who finished are compared (with at least two of them), the others are left
out of the comparison and the agreement. Staff may also stop a round that should not go on; a
stopped round is never compared and the board stays as it is. A round holds a limited number of
cards (staff choose how many), so it fits in one meeting; its pages show them a few at a time.

Services flush, never commit; the acting user is passed in explicitly.
"""
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import delete, select

from ..audit import record
from ..extensions import db
from ..models import Answer, Membership, User
from ..models.base import utcnow
from ..models.panel import Coding, CodingDecision, CodingRound, CodingRoundMember, RoundCoding, Theme
from ..upsert import insert_for_dialect
from .agreement import agreed_cards, binary_units, nominal_alpha
from .services import Card, Conflict, _add_coding, _cards_with_marks, _cards_of, _log, card_key, live_themes

ROUND_SORTERS = ("panel", "staff")
# How many cards a round holds unless staff choose otherwise: about what a panel sorts in one
# meeting.
ROUND_SIZE = 40
# Cards per page on a member's sorting screen and on the comparison: few enough for a tablet.
SORT_PER_PAGE = 10
COMPARE_PER_PAGE = 10


class RoundEnded(Exception):
    """The round was closed or stopped (or everyone is done): this change is too late."""


class TooFewFinished(Exception):
    """Fewer than two members finished: there is nothing to compare."""


# ---------------------------------------------------------------------------------------------
# Starting a round

def round_members_to_choose(project_id: int) -> list[User]:
    """Who may sort in a round: the project's panel members and staff."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project_id, (Membership.is_panel | Membership.is_staff))
        .order_by(User.display_name, User.id)
    ))


def card_sets(project_id: int) -> list[tuple[str, str, list[Card]]]:
    """The sets of cards a round can be about: the cards in no theme yet, the cards of each
    question, and all cards. (key, words, cards); empty sets are left out."""
    cards = _cards_with_marks(project_id, _cards_of(project_id))
    sets = [("unsorted", None, [c for c in cards if not c.theme_ids])]
    by_question: dict[str, list[Card]] = {}
    for card in cards:
        by_question.setdefault(card.question, []).append(card)
    sets += [(f"question-{i}", question, group) for i, (question, group) in enumerate(by_question.items())]
    sets.append(("all", None, cards))
    return [s for s in sets if s[2]]


def start_round(project, name: str, cards: list[Card], members: list[User], *, by) -> CodingRound:
    round_ = CodingRound(project_id=project.id, name=name[:200], cards=[c.stored_key for c in cards],
                         started_by_id=by.id)
    round_.members = [CodingRoundMember(user_id=u.id, name=u.display_name) for u in members]
    db.session.add(round_)
    db.session.flush()
    record("panel.round_start", user=by, project_id=project.id, obj=round_, cards=len(cards),
           members=len(members))
    return round_


# ---------------------------------------------------------------------------------------------
# Reading a round

def project_rounds(project_id: int) -> list[CodingRound]:
    return list(db.session.scalars(
        select(CodingRound).where(CodingRound.project_id == project_id).order_by(CodingRound.id.desc())))


def round_of(project_id: int, round_id: int) -> CodingRound | None:
    round_ = db.session.get(CodingRound, round_id)
    return round_ if round_ is not None and round_.project_id == project_id else None


def member_of(round_: CodingRound, user) -> CodingRoundMember | None:
    return next((m for m in round_.members if m.user_id == user.id), None)


def is_compared(round_: CodingRound) -> bool:
    """The comparison opens when every member is done, or when staff closed the round early;
    before that nobody sees another's choices. A stopped round is never compared."""
    if round_.stopped_at is not None:
        return False
    return round_.closed_at is not None or all(m.done_at is not None for m in round_.members)


def is_open(round_: CodingRound) -> bool:
    """Members who are not done may still sort and say they are done."""
    return round_.stopped_at is None and not is_compared(round_)


def finished_members(round_: CodingRound) -> list[CodingRoundMember]:
    return [m for m in round_.members if m.done_at is not None]


def compared_members(round_: CodingRound) -> list[CodingRoundMember]:
    """Whose choices the comparison shows: every member, or, in a round staff closed early, the
    members who had finished."""
    if round_.closed_at is not None:
        return finished_members(round_)
    return list(round_.members)


def left_out_members(round_: CodingRound) -> list[CodingRoundMember]:
    """The members of a round closed early who had not finished."""
    return [m for m in round_.members if round_.closed_at is not None and m.done_at is None]


@dataclass
class Page:
    items: list
    page: int
    pages: int


def page_of(items: Sequence, page: int, per_page: int) -> Page:
    """One page of `items`; a page number out of range gives the nearest page."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    return Page(list(items[(page - 1) * per_page:page * per_page]), page, pages)


def page_with(cards: list[Card], key: str, per_page: int) -> int:
    """The page that holds the card with this key (1 when it is not there)."""
    keys = [c.key for c in cards]
    return keys.index(key) // per_page + 1 if key in keys else 1


def round_cards(round_: CodingRound) -> list[Card]:
    """The round's cards that are still cards (a withdrawn interview takes its cards along), in
    the board's order. The round keeps their stored keys (Card.stored_key); their order is the
    board's, never the stored one (a round started before the random order kept the answers'
    order, which tells whose texts go together)."""
    keys = set(round_.cards or [])
    return [c for c in _cards_with_marks(round_.project_id, _cards_of(round_.project_id)) if c.stored_key in keys]


def sorted_count(round_: CodingRound, cards: list[Card], mine: dict[str, set[int]]) -> int:
    """How many of the round's cards this member put in at least one theme that still exists."""
    live = {t.id for t in live_themes(round_.project_id)}
    return sum(1 for c in cards if mine.get(c.key, set()) & live)


def own_choices(round_: CodingRound, user_id: int) -> dict[str, set[int]]:
    """The themes one member chose per card in the round, by the card's key (Card.key)."""
    chosen: dict[str, set[int]] = {}
    for ref, part, theme_id in db.session.execute(
        select(Answer.ref, RoundCoding.part, RoundCoding.theme_id).join(Answer, Answer.id == RoundCoding.answer_id)
        .where(RoundCoding.round_id == round_.id, RoundCoding.user_id == user_id)
    ):
        chosen.setdefault(card_key(ref, part), set()).add(theme_id)
    return chosen


# ---------------------------------------------------------------------------------------------
# Sorting on your own

def sort_in_round(round_: CodingRound, member: CodingRoundMember, theme: Theme, card: Card, *, add: bool) -> bool:
    """Put the card in the theme (or take it out) for this member only. Refused once the
    member is done (their choices are then what the comparison shows), and once the round was
    closed or stopped (RoundEnded)."""
    if not is_open(round_):
        raise RoundEnded()
    if member.done_at is not None:
        raise Conflict()
    if add:
        stmt = insert_for_dialect(RoundCoding).values(
            round_id=round_.id, user_id=member.user_id, theme_id=theme.id, answer_id=card.answer_id,
            part=card.part, added_at=utcnow())
        stmt = stmt.on_conflict_do_nothing(
            index_elements=["round_id", "user_id", "theme_id", "answer_id", "part"]).returning(RoundCoding.id)
        return db.session.execute(stmt).first() is not None
    return db.session.execute(delete(RoundCoding).where(
        RoundCoding.round_id == round_.id, RoundCoding.user_id == member.user_id, RoundCoding.theme_id == theme.id,
        RoundCoding.answer_id == card.answer_id, RoundCoding.part == card.part).returning(RoundCoding.id)
    ).first() is not None


def _lock(round_: CodingRound) -> None:
    """Read the round again and hold it until the commit: a member saying "klaar" and staff
    closing the round at the same moment then happen one after the other."""
    db.session.refresh(round_, with_for_update=True)
    for member in round_.members:
        db.session.refresh(member)


def finish(round_: CodingRound, member: CodingRoundMember, *, by) -> None:
    _lock(round_)
    if not is_open(round_) and member.done_at is None:
        raise RoundEnded()
    if member.done_at is None:
        member.done_at = utcnow()
        db.session.flush()
        record("panel.round_done", user=by, project_id=round_.project_id, obj=round_)


# ---------------------------------------------------------------------------------------------
# Staff end a round

def close_round(round_: CodingRound, *, seen: set[int], by) -> None:
    """Open the comparison now, for the members who finished. `seen` is who had finished on the
    page staff confirmed; when that changed since, Conflict (staff should look again)."""
    _lock(round_)
    if not is_open(round_):
        raise RoundEnded()
    finished = {m.user_id for m in finished_members(round_)}
    if finished != seen:
        raise Conflict()
    if len(finished) < 2:
        raise TooFewFinished()
    round_.closed_at, round_.ended_by_id = utcnow(), by.id
    db.session.flush()
    record("panel.round_close", user=by, project_id=round_.project_id, obj=round_,
           members=len(round_.members), finished=len(finished))


def stop_round(round_: CodingRound, *, by) -> None:
    """End a round that should not go on. Nothing goes on the board; what members chose stays
    kept apart, shown to nobody."""
    _lock(round_)
    if not is_open(round_):
        raise RoundEnded()
    round_.stopped_at, round_.ended_by_id = utcnow(), by.id
    db.session.flush()
    record("panel.round_stop", user=by, project_id=round_.project_id, obj=round_,
           members=len(round_.members), finished=len(finished_members(round_)))


# ---------------------------------------------------------------------------------------------
# The comparison

@dataclass
class CardComparison:
    card: Card
    choices: list[tuple[str, set[int]]]  # (member's name, themes), in the round's member order
    agreed: bool
    decision: CodingDecision | None


@dataclass
class Agreement:
    agreed: int
    total: int
    alpha: float | None


def compare(round_: CodingRound) -> tuple[list[CardComparison], Agreement]:
    """Card by card what each compared member chose, and how much they agreed, over the round's
    cards only. Only for a compared round."""
    assert is_compared(round_)
    cards = round_cards(round_)
    members = compared_members(round_)
    live = {t.id for t in live_themes(round_.project_id)}
    chosen = {m.user_id: own_choices(round_, m.user_id) for m in members}
    decisions = {(d.answer_id, d.part): d for d in db.session.scalars(
        select(CodingDecision).where(CodingDecision.round_id == round_.id))}
    per_card = {c.key: [chosen[m.user_id].get(c.key, set()) & live for m in members] for c in cards}
    rows = [CardComparison(card=c, choices=[(m.name, s) for m, s in zip(members, per_card[c.key])],
                           agreed=agreed_cards({c.key: per_card[c.key]}) == 1,
                           decision=decisions.get((c.answer_id, c.part)))
            for c in cards]
    alpha = nominal_alpha(binary_units(per_card, sorted(live)))
    return rows, Agreement(agreed_cards(per_card), len(cards), alpha)


# ---------------------------------------------------------------------------------------------
# Deciding together

def decide(round_: CodingRound, card: Card, themes: list[Theme], *, version: int, by) -> CodingDecision:
    """The panel's choice for a card: its themes go on the shared board (added, like a tap).
    `version` is the decision's version the form showed (0: none yet); another one is refused."""
    decision = db.session.scalars(select(CodingDecision).where(
        CodingDecision.round_id == round_.id, CodingDecision.answer_id == card.answer_id,
        CodingDecision.part == card.part)).first()
    if (decision.version if decision else 0) != version:
        raise Conflict(decision)
    if decision is None:
        decision = CodingDecision(round_id=round_.id, answer_id=card.answer_id, part=card.part, version=0,
                                  added_theme_ids=[])
        db.session.add(decision)
    else:
        _take_back(decision, keep={t.id for t in themes})
    added = [t.id for t in themes if _add_coding(t, card, by)]
    decision.theme_ids = [t.id for t in themes]
    decision.added_theme_ids = sorted(set(decision.added_theme_ids or []) & {t.id for t in themes} | set(added))
    decision.participants = [m.name for m in compared_members(round_)]
    decision.version += 1
    decision.decided_by_id = by.id
    decision.decided_at = utcnow()
    db.session.flush()
    _log(round_.project_id, by, "decide", round_id=round_.id, decision_id=decision.id, cards=[card.stored_key],
         added=added, version=decision.version)
    record("panel.round_decide", user=by, project_id=round_.project_id, obj=round_, themes=len(themes))
    return decision


def _take_back(decision: CodingDecision, *, keep: set[int]) -> None:
    """Take the cards an earlier decision put on the board out of the themes no longer chosen."""
    for theme_id in set(decision.added_theme_ids or []) - keep:
        db.session.execute(delete(Coding).where(Coding.theme_id == theme_id, Coding.answer_id == decision.answer_id,
                                                Coding.part == decision.part))

