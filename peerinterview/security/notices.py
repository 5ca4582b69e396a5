"""Notices to the owner of an account: what someone else changed on it (a new password, the
second factor switched off, a login card …). Stored, so the owner learns it at their next login
even when that is weeks later; shown once. No Flask request objects."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..localize import format_date, format_time
from ..models import AccountNotice, User
from ..models.base import utcnow

KINDS = ("password_reset", "two_factor_reset", "disabled", "enabled", "login_card", "login_card_revoked",
         "admin_grant", "admin_revoke")
# At most this many are shown at one login (the newest); the rest count as seen too.
SHOWN_AT_LOGIN = 10


def notify(user: User, kind: str, *, by: User | None) -> AccountNotice | None:
    """Tell `user` at their next login that `by` did this. Nothing when they did it themselves."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice: {kind}")
    if by is None or by.id == user.id:
        return None
    notice = AccountNotice(user_id=user.id, kind=kind, by_id=by.id, by_name=by.display_name[:120])
    db.session.add(notice)
    return notice


def take_unseen(user: User) -> list[AccountNotice]:
    """The notices not shown yet, oldest first; they count as seen from now on."""
    unseen = list(db.session.scalars(
        select(AccountNotice).where(AccountNotice.user_id == user.id, AccountNotice.seen_at.is_(None))
        .order_by(AccountNotice.created_at, AccountNotice.id)))
    now = utcnow()
    for notice in unseen:
        notice.seen_at = now
    db.session.flush()
    return unseen[-SHOWN_AT_LOGIN:]


def notice_text(notice: AccountNotice) -> str:
    """The sentence the owner reads, in the language of the request (times in the app's zone)."""
    values = {"name": notice.by_name, "date": format_date(notice.created_at, "long"),
              "time": format_time(notice.created_at, "HH:mm")}
    texts = {
        "password_reset": _("%(name)s heeft op %(date)s om %(time)s uw wachtwoord veranderd. Kies nu zelf een "
                            "nieuw wachtwoord. Dat doet u onder Wachtwoord veranderen, onderaan de pagina.", **values),
        "two_factor_reset": _("%(name)s heeft op %(date)s om %(time)s uw tweestapsverificatie uitgezet. "
                              "Stel die opnieuw in met de app op uw telefoon.", **values),
        "disabled": _("%(name)s heeft op %(date)s om %(time)s uw account uitgezet.", **values),
        "enabled": _("%(name)s heeft op %(date)s om %(time)s uw account weer aangezet.", **values),
        "login_card": _("%(name)s heeft op %(date)s om %(time)s een inlogkaart voor u gemaakt.", **values),
        "login_card_revoked": _("%(name)s heeft op %(date)s om %(time)s een inlogkaart van u uitgezet.", **values),
        "admin_grant": _("%(name)s heeft u op %(date)s om %(time)s beheerder gemaakt.", **values),
        "admin_revoke": _("%(name)s heeft op %(date)s om %(time)s uw rol als beheerder weggehaald.", **values),
    }
    return texts[notice.kind]


def closing_text(user: User) -> str:
    if user.is_staff:
        return _("Wist u hier niets van? Vertel het dan meteen aan een beheerder.")
    return _("Wist u hier niets van? Vertel het dan meteen aan uw begeleider.")
