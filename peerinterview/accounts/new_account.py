"""What every new account is asked (name, username, password), shared by the account forms of
accounts/ and the form that makes a client account straight into a project (projects/)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

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


class NewAccountForm(FlaskForm):
    """The fields every new account has. A staff member makes it for someone else, so the
    username is checked against the existing ones here."""

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

    def validate_username(self, field):
        if username_taken(field.data):
            raise ValidationError(_l("Deze gebruikersnaam bestaat al. Kies een andere."))
