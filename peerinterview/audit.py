"""Write entries to the logboek (AuditEvent). Callers pass the acting user explicitly."""
from .extensions import db
from .models import AuditEvent


def record(action: str, *, user=None, project_id=None, obj=None, **detail) -> AuditEvent:
    event = AuditEvent(
        action=action,
        user_id=getattr(user, "id", None),
        project_id=project_id,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=str(getattr(obj, "id", "")) if obj is not None else "",
        detail=detail,
    )
    db.session.add(event)
    return event
