"""Two people editing the same form at the same time, without losing either one's work.

An edit page sends, in a hidden field, a fingerprint of the values it showed: one short digest
per field. On saving, each field is one of:
- left as the page showed it: whatever is stored now stays (another person's change is not undone);
- changed here, and not by anyone else (or by both to the same value): written;
- changed here and by someone else: a conflict. Nothing is written; the page comes back with this
  person's value kept and the other's shown beside it.
A form without a (well-formed) fingerprint, from a page made before this check, writes every field.
"""
import hashlib
import json


def _digest(value) -> str:
    if isinstance(value, str) or value is None:
        # As a save stores it: a browser sends CRLF line ends, and texts are trimmed.
        normal = (value or "").replace("\r\n", "\n").strip()
    else:
        normal = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(normal.encode()).hexdigest()[:16]


def fingerprint(values: dict, names) -> str:
    """The fingerprint of `values` (name -> value) over `names`, in that order."""
    return ".".join(_digest(values.get(name)) for name in names)


def merge(seen: str | None, names, mine: dict, theirs: dict) -> tuple[set, set] | None:
    """(fields to take from what is stored now, fields in conflict); None without a fingerprint."""
    names = list(names)
    parts = (seen or "").split(".")
    if len(parts) != len(names):
        return None
    take_theirs, conflicts = set(), set()
    for name, base in zip(names, parts):
        own, stored = _digest(mine.get(name)), _digest(theirs.get(name))
        if stored == base or stored == own:
            continue  # nobody else changed it, or both made the same change
        if own == base:
            take_theirs.add(name)
        else:
            conflicts.add(name)
    return take_theirs, conflicts
