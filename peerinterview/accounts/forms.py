from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from ..vocabulary import LANGUAGE_CHOICES
from .passwords import MAX_LENGTH, MIN_LENGTH, TOO_SHORT, NotCommonPassword
from .services import username_taken


def new_password_validators():
    return [
        DataRequired(_l("Vul een wachtwoord in.")),
        Length(min=MIN_LENGTH, message=TOO_SHORT),
        Length(max=MAX_LENGTH, message=_l("Gebruik hoogstens 200 tekens.")),
        NotCommonPassword(),
    ]


NEW_PASSWORD_HINT = _l("Minstens 8 tekens. Een lange zin is sterk en makkelijk te onthouden.")


ROLE_LABELS = {
    "staff": _l("begeleider"),
    "designer": _l("maakt de vragenlijst mee"),
    "interviewer": _l("interviewer"),
    "panel": _l("panel"),
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


class NewUserForm(FlaskForm):
    display_name = StringField(
        _l("Naam"),
        description=_l("Zo ziet de begeleider wie het is. Andere cliënten zien deze naam niet bij antwoorden."),
        validators=[DataRequired(_l("Vul een naam in.")), Length(max=120, message=_l("Gebruik hoogstens 120 tekens."))],
    )
    username = StringField(
        _l("Gebruikersnaam"),
        description=_l("Kleine letters, cijfers, punt of streepje. Bijvoorbeeld: anna-de-vries."),
        validators=[
            DataRequired(_l("Vul een gebruikersnaam in.")),
            Length(min=3, max=80, message=_l("Gebruik 3 tot 80 tekens.")),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Gebruik alleen letters, cijfers, punt of streepje.")),
        ],
    )
    password = PasswordField(_l("Wachtwoord"), description=NEW_PASSWORD_HINT, validators=new_password_validators())
    is_staff = BooleanField(_l("Dit is een begeleider (staf)"))

    def validate_username(self, field):
        if username_taken(field.data):
            raise ValidationError(_l("Deze gebruikersnaam bestaat al. Kies een andere."))


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
