"""Typed text that a refused save would otherwise lose.

Two refusals come before any view can keep a form: the login ended while someone was typing
(the idle timeout in security/sessions.py, or a logout or password change elsewhere that ended
every session), and the login check refuses the save; or the page's CSRF token is no longer the
session's (another tab logged out and in again, a new SECRET_KEY). Both used to answer with a
redirect or a bare error page, and the text that was sent with the save was gone. Their pages now
show that text again, so it can be copied and put back.

Only text that a person typed is shown: the values of text fields (StringField, TextAreaField)
of the app's forms, never a password, a hidden field, a choice or a button. Never for the
interview: its answers wait in the tablet's encrypted queue, and a respondent's answers are not
shown in plain text on a screen whose login has ended. Never for the login pages themselves.
"""
from urllib.parse import urlsplit

from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

NOT_KEPT_BLUEPRINTS = {"interview"}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _secret(name: str) -> bool:
    """A password, a one-time code or a key: never shown again, whatever its field type."""
    name = name.lower()
    return "password" in name or "secret" in name or "token" in name or name.endswith("code")


def text_field_names() -> set[str]:
    """The names of every typed-text field of the app's forms (a field of a sub-form is sent as
    "<prefix>-<name>", so the last part is what counts)."""
    names = set()
    for form in _subclasses(FlaskForm):
        for name in dir(form):
            field = getattr(form, name, None)
            if (isinstance(field, UnboundField) and issubclass(field.field_class, (StringField, TextAreaField))
                    and not issubclass(field.field_class, (HiddenField, PasswordField))
                    and not _secret(name)):
                names.add(name)
    return names


def _same_origin() -> bool:
    """The form came from one of our own pages. A page elsewhere can make a browser post to us,
    but it cannot send our Origin (or Sec-Fetch-Site: same-origin)."""
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and origin.rstrip("/") == request.host_url.rstrip("/")


def typed_texts(*, trusted: bool = False, skip_endpoints=frozenset()) -> list[str]:
    """The texts this refused POST carried, in the order of the form. `trusted`: the CSRF token
    was checked, so the form is ours (the login ended after that check); otherwise the request
    must come from our own origin, or nothing is shown (no text of another site on our pages).
    `skip_endpoints`: pages whose texts are never shown (logging in)."""
    if request.method != "POST" or request.blueprint in NOT_KEPT_BLUEPRINTS:
        return []
    if request.endpoint in skip_endpoints or not (trusted or _same_origin()):
        return []
    names = text_field_names()
    texts = []
    for name, value in request.form.items(multi=True):
        if name.rsplit("-", 1)[-1] not in names or _secret(name):
            continue
        value = value.strip()
        if value:
            texts.append(value)
    return texts


def page_sent_from() -> str | None:
    """The path of our page the form was on (its Referer), or None when that is not ours."""
    parts = urlsplit(request.referrer or "")
    if parts.scheme not in ("http", "https") or parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
