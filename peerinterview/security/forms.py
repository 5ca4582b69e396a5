from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)


class CodeForm(FlaskForm):
    """The code from the authenticator app, or a recovery code."""
    code = StringField(
        _l("Code"),
        description=_l("De 6 cijfers uit de app. Telefoon kwijt? Vul dan een herstelcode in."),
        validators=[DataRequired(_l("Vul de code in.")),
                    Length(max=40, message=_l("Deze code is te lang. Vul de 6 cijfers uit de app in."))],
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("Code uit de app"),
        description=_l("Zes cijfers. Spaties mogen."),
        validators=[DataRequired(_l("Vul de code uit de app in.")),
                    Length(max=20, message=_l("Deze code is te lang. Vul de 6 cijfers uit de app in."))],
    )


class ButtonForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class CardLoginForm(FlaskForm):
    """"Inloggen als …": one tap, no memory test (WCAG 3.3.8)."""


class AuditFilterForm(FlaskForm):
    """Filters of the logboek (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    user = StringField(_l("Gebruiker"), description=_l("Gebruikersnaam, bijvoorbeeld anna."),
                       validators=[Optional(), Length(max=80, message=_l("Gebruik hoogstens 80 tekens."))])
    operation = SelectField(_l("Soort"), validators=[Optional()])
    # A list of plain words; the value is the code. Not checked against the list: a link with the
    # start of a code ("panel.") still filters on everything that starts with it.
    action = SelectField(_l("Handeling"), validate_choice=False,
                         validators=[Optional(), Length(max=64, message=_l("Gebruik hoogstens 64 tekens."))])
    object = StringField(_l("Onderdeel"), description=_l("Bijvoorbeeld interview of user:12."),
                         validators=[Optional(), Length(max=110, message=_l("Gebruik hoogstens 110 tekens."))])
    project = IntegerField(_l("Onderzoek (nummer)"), validators=[
        Optional(), NumberRange(min=1, max=2_000_000_000, message=_l("Vul een nummer van een onderzoek in."))])
    date_from = DateField(_l("Vanaf datum"), validators=[Optional()])
    date_to = DateField(_l("Tot en met datum"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000)])


class RespondentCodeForm(FlaskForm):
    respondent_code = StringField(
        _l("Code van de deelnemer"),
        description=_l("De code die de deelnemer kreeg. Bijvoorbeeld: K7M2P."),
        validators=[DataRequired(_l("Vul de code van de deelnemer in.")),
                    Length(max=16, message=_l("Een code heeft 5 tekens. Controleer de code.")),
                    Regexp(r"^[A-Za-z0-9 -]+$", message=_l("Een code heeft alleen letters en cijfers."))],
    )
    confirm = BooleanField(_l("Ja, wis alle antwoorden van deze deelnemer"))
    step = HiddenField()


class RedactForm(FlaskForm):
    part = SelectField(choices=[("text", "text"), ("note", "note")], validators=[InputRequired()])


class ReleaseForm(FlaskForm):
    """"Vrijgeven": `seen` is the fingerprint of the text staff read (security/review.py)."""
    seen = HiddenField(validators=[InputRequired(), Length(max=64)])


class HoldForm(FlaskForm):
    """"Niet vrijgeven", with a reason for the other staff members."""
    seen = HiddenField(validators=[InputRequired(), Length(max=64)])
    reason = TextAreaField(
        _l("Waarom geeft u dit antwoord niet vrij?"),
        description=_l("Alleen begeleiders lezen dit. Schrijf geen namen op."),
        validators=[DataRequired(_l("Schrijf op waarom u dit antwoord niet vrijgeeft.")),
                    Length(max=500, message=_l("Gebruik hoogstens 500 tekens."))],
    )


class BulkReleaseForm(FlaskForm):
    """"Alles zonder herkenbare details vrijgeven": `until` is when staff saw the count, so an
    answer that comes in or changes after that is not released with it."""
    until = HiddenField(validators=[InputRequired(), Length(max=40)])
