from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC: SQLite gives naive datetimes back, so we store naive UTC everywhere."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
