"""Sorting "ieder apart": a round in which each chosen member sorts the same cards into the
shared themes on their own, then a comparison, card by card, and the panel's decision per card.

A member's choices in a round (RoundCoding) are kept apart from the shared board (Coding) and
are shown to nobody else until every member said they are done. Only a decision puts a card on
the shared board, and it does so like a tap on the board: it adds, it never takes away what
others sorted there.

Services flush, never commit; the acting user is passed in explicitly.
"""
from dataclasses import dataclass

from sqlalchemy import delete, select

from ..audit import record
from ..extensions import db
from ..models import Membership, User
from ..models.base import utcnow
from ..models.panel import Coding, CodingDecision, CodingRound, CodingRoundMember, RoundCoding, Theme
from ..upsert import insert_for_dialect
from .agreement import agreed_cards, binary_units, nominal_alpha
from .services import Card, Conflict, _add_coding, _cards_with_marks, _cards_of, _log, live_themes

ROUND_SORTERS = ("panel", "staff")


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
    round_ = CodingRound(project_id=project.id, name=name[:200], cards=[c.key for c in cards], started_by_id=by.id)
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
    """The comparison opens when every member is done; before that nobody sees another's choices."""
    return all(m.done_at is not None for m in round_.members)


def round_cards(round_: CodingRound) -> list[Card]:
    """The round's cards that are still cards (a withdrawn interview takes its cards along), in
    the round's order."""
    keys = list(round_.cards or [])
    current = {c.key: c for c in _cards_with_marks(round_.project_id, _cards_of(round_.project_id))}
    return [current[k] for k in keys if k in current]


def own_choices(round_: CodingRound, user_id: int) -> dict[str, set[int]]:
    """The themes one member chose per card in the round."""
    chosen: dict[str, set[int]] = {}
    for answer_id, part, theme_id in db.session.execute(
        select(RoundCoding.answer_id, RoundCoding.part, RoundCoding.theme_id)
        .where(RoundCoding.round_id == round_.id, RoundCoding.user_id == user_id)
    ):
        chosen.setdefault(f"{answer_id}-{part}", set()).add(theme_id)
    return chosen


# ---------------------------------------------------------------------------------------------
# Sorting on your own

def sort_in_round(round_: CodingRound, member: CodingRoundMember, theme: Theme, card: Card, *, add: bool) -> bool:
    """Put the card in the theme (or take it out) for this member only. Refused once the
    member is done: their choices are then what the comparison shows."""
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


def finish(round_: CodingRound, member: CodingRoundMember, *, by) -> None:
    if member.done_at is None:
        member.done_at = utcnow()
        db.session.flush()
        record("panel.round_done", user=by, project_id=round_.project_id, obj=round_)


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
    """Card by card what each member chose, and how much they agreed. Only for a compared round."""
    assert is_compared(round_)
    cards = round_cards(round_)
    live = {t.id for t in live_themes(round_.project_id)}
    chosen = {m.user_id: own_choices(round_, m.user_id) for m in round_.members}
    decisions = {(d.answer_id, d.part): d for d in db.session.scalars(
        select(CodingDecision).where(CodingDecision.round_id == round_.id))}
    per_card = {c.key: [chosen[m.user_id].get(c.key, set()) & live for m in round_.members] for c in cards}
    rows = [CardComparison(card=c, choices=[(m.name, s) for m, s in zip(round_.members, per_card[c.key])],
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
    decision.participants = [m.name for m in round_.members]
    decision.version += 1
    decision.decided_by_id = by.id
    decision.decided_at = utcnow()
    db.session.flush()
    _log(round_.project_id, by, "decide", round_id=round_.id, decision_id=decision.id, cards=[card.key],
         added=added, version=decision.version)
    record("panel.round_decide", user=by, project_id=round_.project_id, obj=round_, themes=len(themes))
    return decision


def _take_back(decision: CodingDecision, *, keep: set[int]) -> None:
    """Take the cards an earlier decision put on the board out of the themes no longer chosen."""
    for theme_id in set(decision.added_theme_ids or []) - keep:
        db.session.execute(delete(Coding).where(Coding.theme_id == theme_id, Coding.answer_id == decision.answer_id,
                                                Coding.part == decision.part))

