"""How an answer is stored in Answer.value, per kind of question (one rule for the interview
screens, the offline sync and the results):

* single, scale3, scale5, yesno: the chosen Choice.value;
* multi: the chosen Choice.values joined by "," in the order of the choices ("1,3");
* number: the whole number as a decimal string ("-3", "42");
* open: no value (the words are in Answer.text); info: no answer row at all.
"""
import re

from flask_babel import gettext as _

NUMBER_PATTERN = re.compile(r"-?\d{1,9}")
# The longest open answer and follow-up note, the same for the form and for the offline sync.
MAX_TEXT = 10_000
MAX_NOTE = 2_000


def encode_multi(question, values) -> str | None:
    """The chosen values in the order of the choices, joined by ","; None when nothing is chosen."""
    chosen = {str(value) for value in values or ()}
    ordered = [choice.value for choice in question.choices if choice.value in chosen]
    return ",".join(ordered) or None


def decode_multi(value: str | None) -> list[str]:
    return [part for part in (value or "").split(",") if part]


def parse_number(question, typed: str | None) -> tuple[int | None, str | None]:
    """(number, None) for a whole number within the question's range; (None, None) for nothing
    typed; (None, B1 message) otherwise."""
    typed = (typed or "").strip().replace(" ", "")
    if not typed:
        return None, None
    if typed.startswith("+"):
        typed = typed[1:]
    if not NUMBER_PATTERN.fullmatch(typed):
        return None, _("Typ een heel getal, met alleen cijfers. Bijvoorbeeld: 12.")
    number = int(typed)
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            return None, _("Typ een getal van %(low)s tot en met %(high)s.", low=low, high=high)
        if low is not None:
            return None, _("Typ een getal van %(low)s of meer.", low=low)
        return None, _("Typ een getal van %(high)s of minder.", high=high)
    return number, None


def value_is_valid(question, value: str | None) -> bool:
    """Whether `value` is a possible Answer.value of `question` (None always is)."""
    if value is None:
        return True
    if question.kind == "multi":
        parts = decode_multi(value)
        return bool(parts) and encode_multi(question, parts) == value and len(set(parts)) == len(parts)
    if question.has_choices:
        return value in {choice.value for choice in question.choices}
    if question.kind == "number":
        number, error = parse_number(question, value)
        return error is None and number is not None and str(number) == value
    return False


def chosen_values(question, value: str | None) -> list[str]:
    """The Choice.values an answer holds: several for multi, one for the other choice kinds."""
    if value is None:
        return []
    return decode_multi(value) if question.kind == "multi" else [value]
