"""Identifying details in a proposed quote: highlighted for staff, and a redacted suggestion.

The finder (privacy/identifying.py) only proposes candidates; staff always decide."""
from ..privacy.identifying import find_identifying

# Not translated: the placeholder becomes part of the quote, which is in the answers' language.
KIND_LABELS = {"name": "naam", "phone": "telefoonnummer", "email": "e-mailadres", "address": "adres",
               "place": "plaats"}


def highlighted(text: str) -> list[tuple[str, str | None]]:
    """The text cut into (piece, kind) pairs; kind is None between candidates. The template
    escapes every piece and marks the candidates (never |safe on user data)."""
    parts: list[tuple[str, str | None]] = []
    pos = 0
    for finding in find_identifying(text or ""):
        if finding.start > pos:
            parts.append((text[pos:finding.start], None))
        parts.append((text[finding.start:finding.end], finding.kind))
        pos = finding.end
    if pos < len(text or ""):
        parts.append((text[pos:], None))
    return parts


def suggest_redaction(text: str) -> str:
    """The text with each candidate replaced by its kind in brackets: "[naam]", "[plaats]"."""
    return "".join(piece if kind is None else f"[{KIND_LABELS.get(kind, kind)}]"
                   for piece, kind in highlighted(text))
