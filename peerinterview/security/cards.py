"""Login cards for client accounts: a printed QR code with a URL that carries a long random
token (256 bits). Only its SHA-256 is stored, so the card can be printed once, at creation;
a lost card is revoked and a new one made. Staff accounts never get a card (they use a
password plus a second factor). No Flask request objects here."""
import hashlib
import secrets

from sqlalchemy import select

from ..audit import record
from ..extensions import db
from ..models import LoginCard, User
from ..models.base import utcnow
from .notices import notify

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100  # anything longer in a URL is not one of ours


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_card(user: User, *, by: User) -> tuple[LoginCard, str]:
    """A new card; returns it with the token (never stored, shown on the print page only)."""
    if user.is_staff:
        raise ValueError("staff accounts log in with a password and a second factor")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    card = LoginCard(user_id=user.id, token_hash=hash_token(token), created_by_id=by.id)
    db.session.add(card)
    db.session.flush()
    record("login_card.card_create", user=by, obj=card, on_behalf_of=user)
    notify(user, "login_card", by=by)
    return card, token


def cards_of(user: User) -> list[LoginCard]:
    return list(db.session.scalars(
        select(LoginCard).where(LoginCard.user_id == user.id).order_by(LoginCard.created_at.desc(),
                                                                        LoginCard.id.desc())))


def card_for_token(token: str) -> LoginCard | None:
    """The card of this token, active or revoked; None if it is unknown."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(select(LoginCard).where(LoginCard.token_hash == hash_token(token)))


def usable(card: LoginCard | None) -> bool:
    return (card is not None and card.active and card.user is not None and card.user.is_active
            and not card.user.is_staff)


def revoke(card: LoginCard, *, by: User) -> None:
    if card.revoked_at is None:
        card.revoked_at = utcnow()
        card.revoked_by_id = by.id
        record("login_card.card_revoke", user=by, obj=card, on_behalf_of=card.user_id)
        notify(card.user, "login_card_revoked", by=by)


def mark_used(card: LoginCard) -> None:
    card.last_used_at = utcnow()
