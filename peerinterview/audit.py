"""Write entries to the logboek (AuditEvent). Callers pass the acting user explicitly.

Each entry answers the NEN 7513 questions: who (user), on whose behalf (on_behalf_of: the
client a staff member acts for, the respondent's interviewer …), what kind of use (operation,
derived from the action name unless given), which object, when (UTC) and from where (the IP
address of the request). Never the answer content."""
from flask import has_request_context, request

from .extensions import db
from .models import AuditEvent

OPERATIONS = ("create", "read", "change", "delete", "export", "print", "login")

# The last part of an action name says what kind of use it was ("interview.read" is a read).
_OPERATION_WORDS = {
    "create": "create", "start": "create", "add": "create", "propose": "create", "new_draft": "create",
    "theme_create": "create", "recommendation_add": "create", "card_create": "create",
    "read": "read", "view": "read", "open": "read", "present": "read", "list": "read",
    "delete": "delete", "remove": "delete", "erase": "delete", "purge": "delete", "withdraw": "delete",
    "theme_delete": "delete", "card_revoke": "delete", "sync_discarded": "delete",
    "export": "export", "download": "export",
    "print": "print", "pdf": "print",
}
_LOGIN_ACTIONS = ("login", "logout")


def operation_of(action: str) -> str:
    first, _, last = action.partition(".")
    if first in _LOGIN_ACTIONS or action.startswith("two_factor.verify"):
        return "login"
    word = last or first
    if word in _OPERATION_WORDS:
        return _OPERATION_WORDS[word]
    for suffix, operation in (("_export", "export"), ("_print", "print"), ("_read", "read"),
                              ("_delete", "delete"), ("_create", "create")):
        if word.endswith(suffix):
            return operation
    return "change"


def _remote_address() -> str | None:
    if not has_request_context():
        return None  # a CLI task (purge-expired) runs on the server itself
    return (request.remote_addr or "")[:45] or None


def record(action: str, *, user=None, project_id=None, obj=None, on_behalf_of=None, operation=None,
           **detail) -> AuditEvent:
    event = AuditEvent(
        action=action,
        user_id=getattr(user, "id", None),
        project_id=project_id,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=str(getattr(obj, "id", "")) if obj is not None else "",
        detail=detail,
        operation=operation or operation_of(action),
        on_behalf_of_id=getattr(on_behalf_of, "id", on_behalf_of if isinstance(on_behalf_of, int) else None),
        ip=_remote_address(),
    )
    db.session.add(event)
    return event
