"""The public results page: what staff make, and what a visitor without a login sees.

A link is a long random token (secrets.token_urlsafe(32): 256 bits). It is looked up by its
sha256 in a unique index, so the lookup compares hashes in the database and never walks tokens in
Python. A link works until staff take it back, until its end date has passed, or until the
project is deleted (the row goes with it); making a new link takes the old one back. Every way
it does not work looks the same to the visitor.

The page shows the respondents' summary (and its easy-read version when there is one), every recommendation that was not taken away with the
municipality's answer and its agreements, and only the approved quotes staff also chose for the
public. It shows no number of people per theme, not even a number the small-group rule allows on
the panel's pages: anyone with the link reads it, interviewers too, and an interviewer knows what
the people they interviewed said. Taking those away from a number can leave a small group (six
mentioned it, four were mine: two others did). The follow-up pages give interviewers no numbers
for the same reason; the report, which staff decide on, has them.
Services flush, never commit.
"""
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select, update

from ..audit import record
from ..extensions import db
from ..localize import local_today
from ..models import Project, Quote
from ..models.base import utcnow
from ..models.public import PublicLink, PublicQuote
from ..panel.services import approved_quotes
from ..report.services import easy_read_blocks, report_texts
from .services import FollowUp, project_follow_up

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Staff: the link

def current_link(project_id: int) -> PublicLink | None:
    """The project's link that was not taken back (it may have passed its end date)."""
    return db.session.scalars(select(PublicLink).where(PublicLink.project_id == project_id,
                                                       PublicLink.revoked_at.is_(None))
                              .order_by(PublicLink.id.desc())).first()


def link_works(link: PublicLink | None, today: date | None = None) -> bool:
    if link is None or link.revoked_at is not None:
        return False
    return link.expires_on is None or link.expires_on >= (today or local_today())


def all_visits(project_id: int) -> int:
    """Visits through every link the project ever had."""
    return sum(db.session.scalars(select(PublicLink.visits).where(PublicLink.project_id == project_id)))


def _revoke_all(project_id: int) -> int:
    return db.session.execute(update(PublicLink).where(PublicLink.project_id == project_id,
                                                       PublicLink.revoked_at.is_(None))
                              .values(revoked_at=utcnow())).rowcount


def publish(project: Project, *, expires_on: date | None, by) -> PublicLink:
    """A new link; the old one, if any, stops working."""
    _revoke_all(project.id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = PublicLink(project_id=project.id, token=token, token_hash=token_hash(token), expires_on=expires_on,
                      created_by_id=by.id, created_at=utcnow(), visits=0)
    db.session.add(link)
    db.session.flush()
    record("public.publish", user=by, project_id=project.id, obj=link, operation="create",
           expires_on=expires_on.isoformat() if expires_on else None)
    return link


def revoke(project: Project, *, by) -> bool:
    """Take the link back. False: there was none."""
    if not _revoke_all(project.id):
        return False
    record("public.revoke", user=by, project_id=project.id)
    return True


# ---------------------------------------------------------------------------------------------
# Staff: which approved quotes are public too

def public_quote_ids(project_id: int) -> set[int]:
    """The approved quotes (that the panel may read) staff chose for the public page, as they
    were when chosen: a quote decided again since then is not among them."""
    quotes = approved_quotes(project_id)
    chosen = {row.quote_id: row.quote_version for row in db.session.scalars(
        select(PublicQuote).where(PublicQuote.quote_id.in_([q.id for q in quotes])))} if quotes else {}
    return {q.id for q in quotes if chosen.get(q.id) == q.version}


def set_public_quotes(project: Project, quote_ids: set[int], *, by) -> None:
    """Make exactly these approved quotes public (others given are ignored)."""
    quotes = {q.id: q for q in approved_quotes(project.id)}
    wanted = {quote_id for quote_id in quote_ids if quote_id in quotes}
    before = public_quote_ids(project.id)
    project_quote_ids = select(Quote.id).where(Quote.project_id == project.id)
    db.session.execute(delete(PublicQuote).where(PublicQuote.quote_id.in_(project_quote_ids)))
    for quote_id in sorted(wanted):
        db.session.add(PublicQuote(quote_id=quote_id, quote_version=quotes[quote_id].version, chosen_by_id=by.id,
                                   chosen_at=utcnow()))
    db.session.flush()
    if wanted != before:
        record("public.quotes", user=by, project_id=project.id, shown=len(wanted))


# ---------------------------------------------------------------------------------------------
# The visitor

def working_link(token: str) -> PublicLink | None:
    """The link of this token if it works now; else None (unknown, taken back or expired)."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalars(select(PublicLink).where(PublicLink.token_hash == token_hash(token))).first()
    return link if link_works(link) else None


def count_visit(link: PublicLink) -> None:
    """One more visit; nothing about the visitor is kept."""
    db.session.execute(update(PublicLink).where(PublicLink.id == link.id).values(visits=PublicLink.visits + 1))


@dataclass
class PublicContent:
    project: Project
    respondent_summary: str
    items: list[FollowUp]
    quotes: list[Quote] = field(default_factory=list)
    # The easy-read text as blocks of lines; empty when nobody wrote one.
    easy_read: list[list[str]] = field(default_factory=list)


def public_content(project: Project) -> PublicContent:
    """Exactly what the public page shows, for the visitor and for the staff's preview."""
    items = project_follow_up(project.id)
    shown = public_quote_ids(project.id)
    quotes = [q for q in approved_quotes(project.id) if q.id in shown]
    texts = report_texts(project)
    return PublicContent(project, (texts.respondent_summary or "").strip(), items, quotes,
                         easy_read_blocks(texts.easy_read))
