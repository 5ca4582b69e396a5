from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired

from ..vocabulary import LANGUAGE_CHOICES
from .new_account import NEW_PASSWORD_HINT, NewAccountForm, new_password_validators


ROLE_LABELS = {
    "staff": _l("begeleider"),
    "designer": _l("maakt de vragenlijst mee"),
    "interviewer": _l("interviewer"),
    "panel": _l("panel"),
    "municipality": _l("gemeente"),
}


class LoginForm(FlaskForm):
    username = StringField(_l("Gebruikersnaam"), validators=[DataRequired(_l("Vul uw gebruikersnaam in."))])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in."))])
    next = HiddenField()


class LogoutForm(FlaskForm):
    pass


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Taal"), choices=LANGUAGE_CHOICES)
    next = HiddenField()


class NewUserForm(NewAccountForm):
    """A new account made under Accounts: a client, or a staff member."""
    is_staff = BooleanField(_l("Dit is een begeleider (staf)"))


class ChangePasswordForm(FlaskForm):
    """The logged-in user changes their own password: the current one is asked first."""
    current_password = PasswordField(
        _l("Uw huidige wachtwoord"), validators=[DataRequired(_l("Vul uw huidige wachtwoord in."))])
    new_password = PasswordField(_l("Nieuw wachtwoord"), description=NEW_PASSWORD_HINT,
                                 validators=new_password_validators())


class SetPasswordForm(FlaskForm):
    """Staff gives another account a new password (forgotten password)."""
    password = PasswordField(_l("Nieuw wachtwoord"), description=NEW_PASSWORD_HINT,
                             validators=new_password_validators())


class AccountActionForm(FlaskForm):
    """A button that changes an account (disable, enable): only the CSRF token."""
