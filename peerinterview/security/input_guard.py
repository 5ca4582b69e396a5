"""Refuse control characters in form fields and query strings (adversarial input).

No person types a NUL byte or a bell character; PostgreSQL cannot even store NUL in text, so
without this check such input would end in a server error instead of a B1 message. Tab, line
feed and carriage return (textareas) are fine. The answer is the 400 page "Het formulier was
niet goed"; nothing is stored.
"""
import re

from flask import abort, request

from . import bp

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def has_control_characters(text: str) -> bool:
    """The same check for text that comes in another way (the encrypted answers of /sync)."""
    return _CONTROL.search(text) is not None


def _has_control(values) -> bool:
    return any(_CONTROL.search(key) or any(_CONTROL.search(value) for value in values.getlist(key))
               for key in values)


@bp.before_app_request
def refuse_control_characters():
    if _has_control(request.args):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data") and _has_control(request.form):
        abort(400)
