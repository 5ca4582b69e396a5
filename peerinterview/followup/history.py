"""The history of a recommendation's follow-up in words ("Wat is er veranderd"): each stored
change as a title and, per changed field, what it was and what it became."""
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..localize import format_date
from ..models.followup import Agreement
from ..vocabulary import (
    AGREEMENT_STATUS_LABELS,
    EVALUATION_SCORE_LABELS,
    VERDICT_LABELS,
)

FIELD_LABELS = {
    "verdict": _l("Antwoord"), "organisation": _l("Organisatie"), "reasons": _l("Waarom"),
    "answered_on": _l("Datum van het antwoord"), "what": _l("Wat"), "person": _l("Wie"),
    "agreed_on": _l("Afgesproken op"), "due_on": _l("Klaar op"), "place": _l("Waar"), "status": _l("Hoe ver"), "progress": _l("Procent klaar"),
    "happened_on": _l("Datum"), "text": _l("Wat er gebeurde"), "milestones": _l("Gebeurtenissen"),
    "evaluate_on": _l("Samen kijken of het gelukt is"), "planned_on": _l("Gepland op"), "evaluated_on": _l("Samen gekeken op"),
    "score": _l("Gedaan zoals afgesproken?"), "what_changed": _l("Wat is er veranderd voor cliënten"),
    "still_to_do": _l("Wat moet er nog gebeuren"), "participants": _l("Mensen van het panel"),
}
KIND_LABELS = {
    "answer": _l("Antwoord van de gemeente"),
    "agreement_add": _l("Nieuwe afspraak"),
    "agreement_change": _l("Afspraak veranderd"),
    "status": _l("Stand van de afspraak veranderd"),
    "milestone_add": _l("Er is iets gebeurd"),
    "milestone_delete": _l("Gebeurtenis weggehaald"),
    "agreement_delete": _l("Afspraak weggehaald"),
    "evaluation": _l("Het panel keek samen terug"),
}
DATE_FIELDS = ("answered_on", "agreed_on", "due_on", "happened_on", "evaluate_on", "planned_on", "evaluated_on")


@dataclass
class ChangeLine:
    label: str
    before: str | None  # None: there was nothing before (something new)
    after: str | None  # None: it was taken away


@dataclass
class ChangeInWords:
    at: datetime
    who: str
    title: str
    agreement_id: int | None
    agreement: str  # the agreement it was about ("" if none, or it is gone)
    lines: list[ChangeLine] = field(default_factory=list)


def value_in_words(name: str, value) -> str:
    if value is None or value == "":
        return _("(leeg)")
    if name == "verdict":
        return str(VERDICT_LABELS.get(value, value))
    if name == "status":
        return str(AGREEMENT_STATUS_LABELS.get(value, value))
    if name == "score":
        return str(EVALUATION_SCORE_LABELS.get(value, value))
    if name == "progress":
        return _("%(percent)d%%", percent=int(value))
    if name in DATE_FIELDS:
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def in_words(changes, agreements: dict[int, Agreement]) -> list[ChangeInWords]:
    described = []
    for change in changes:
        names = list(change.after) or list(change.before)
        lines = [ChangeLine(str(FIELD_LABELS.get(name, name)),
                            value_in_words(name, change.before[name]) if name in change.before else None,
                            value_in_words(name, change.after[name]) if name in change.after else None)
                 for name in names]
        agreement = agreements.get(change.agreement_id)
        described.append(ChangeInWords(
            at=change.at, who=change.user.display_name if change.user is not None else _("(account bestaat niet meer)"),
            title=str(KIND_LABELS.get(change.kind, change.kind)), agreement_id=change.agreement_id,
            agreement=agreement.what if agreement else "",
            lines=lines))
    return described
