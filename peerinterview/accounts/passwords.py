"""Password rules (OWASP ASVS V6): at least 8 characters, no composition rules, and not on
the list of common passwords shipped in common-passwords.txt (see the header of that file)."""
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt")

TOO_SHORT = _l("Gebruik minstens 8 tekens.")
TOO_COMMON = _l("Dit wachtwoord is te makkelijk te raden. Kies een langer wachtwoord, bijvoorbeeld een korte zin.")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    return password.strip().lower() in common_passwords()


def password_problem(password: str):
    """The B1 message that says why this password is refused, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if is_common(password):
        return TOO_COMMON
    return None


class NotCommonPassword:
    """WTForms validator: refuses a password from the list of common passwords."""

    def __call__(self, form, field):
        if field.data and is_common(field.data):
            raise ValidationError(TOO_COMMON)
