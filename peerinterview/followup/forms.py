"""Forms of the follow-up: the municipality's answer, an agreement, its status, a milestone, and
the public results page (the link, taking it back, which quotes are public)."""
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ..localize import local_today
from ..models.followup import AGREEMENT_STATUSES, EVALUATION_SCORES, VERDICTS
from ..vocabulary import AGREEMENT_STATUS_LABELS, EVALUATION_SCORE_LABELS, VERDICT_LABELS


class PlainDateField(DateField):
    """A date field (type="date" in the browser) whose error is an instruction in B1, not
    WTForms' English "Not a valid date value"."""

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            # Only white space is no date: InputRequired then asks for one (it reads raw_data).
            self.data, self.raw_data = None, []
            return
        try:
            self.data = datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message or _l("Vul een datum in, zoals 31-12-2026."))


def _text(label, *, required=None, max_length=200, description=None):
    validators = [DataRequired(required)] if required else [Optional()]
    too_long = _l("Gebruik hoogstens 500 tekens.") if max_length == 500 else _l("Gebruik hoogstens 200 tekens.")
    validators.append(Length(max=max_length, message=too_long))
    return StringField(label, description=description, validators=validators)


class AnswerForm(FlaskForm):
    verdict = RadioField(_l("Wat is het antwoord?"), choices=[(v, VERDICT_LABELS[v]) for v in VERDICTS],
                         validators=[InputRequired(_l("Kies een antwoord."))])
    answered_by = _text(_l("Wie gaf het antwoord?"), required=_l("Vul in wie het antwoord gaf."),
                         description=_l("De naam van de organisatie. Bijvoorbeeld: Gemeente Utrecht."))
    reasons = TextAreaField(_l("Waarom? In hun eigen woorden"),
                            validators=[Length(max=5000, message=_l("Maak de tekst korter dan 5000 tekens."))])
    answered_on = PlainDateField(_l("Datum van het antwoord"),
                                 validators=[InputRequired(_l("Vul de datum van het antwoord in."))])
    version = IntegerField(widget=HiddenInput(), default=0, validators=[Optional()])


class AgreementForm(FlaskForm):
    what = TextAreaField(_l("Wat gaan ze precies doen?"),
                         validators=[DataRequired(_l("Vul in wat ze gaan doen.")),
                                     Length(max=2000, message=_l("Maak de tekst korter dan 2000 tekens."))])
    agreed_on = PlainDateField(_l("Wanneer is dit afgesproken?"),
                               validators=[InputRequired(_l("Vul de datum van de afspraak in."))])
    organisation = _text(_l("Welke organisatie doet het?"), required=_l("Vul de organisatie in."))
    person = _text(_l("Wie doet het? (mag leeg blijven)"), description=_l("De naam of de functie. Bijvoorbeeld: de teamleider."))
    due_on = PlainDateField(_l("Klaar op (mag leeg blijven)"), validators=[Optional()])
    place = _text(_l("Waar? (mag leeg blijven)"), description=_l("Bijvoorbeeld: in De Haven."))
    evaluate_on = PlainDateField(
        _l("Wanneer kijken we samen of het gelukt is? (mag leeg blijven)"),
        description=_l("Op die dag ziet het panel een herinnering. Bijvoorbeeld: een half jaar na de afspraak."),
        validators=[Optional()])
    version = IntegerField(widget=HiddenInput(), default=0, validators=[Optional()])


class StatusForm(FlaskForm):
    status = RadioField(_l("Hoe ver is het?"),
                        choices=[(s, AGREEMENT_STATUS_LABELS[s]) for s in AGREEMENT_STATUSES],
                        validators=[InputRequired(_l("Kies hoe ver het is."))])
    progress = IntegerField(
        _l("Hoeveel procent is klaar? (mag leeg blijven)"),
        description=_l("Leeg laten? Dan kiest de app het getal. Nog niet begonnen is 0. Begonnen is 25. "
                       "Half klaar is 50. Klaar is 100. Gestopt houdt wat er al klaar was."),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Kies een getal van 0 tot en met 100."))],
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class MilestoneForm(FlaskForm):
    happened_on = PlainDateField(_l("Wanneer gebeurde het?"),
                                 validators=[InputRequired(_l("Vul de datum in."))])
    text = _text(_l("Wat is er gebeurd?"), required=_l("Vul in wat er gebeurd is."), max_length=500,
                 description=_l("Kort. Bijvoorbeeld: de stille kamer is geverfd."))


class DeleteAgreementForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class DeleteMilestoneForm(FlaskForm):
    """Only the CSRF token: taking a milestone away is one button."""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PublishForm(FlaskForm):
    """Make the public link. The tick box is the warning read: nobody publishes by accident."""

    expires_on = PlainDateField(_l("Tot wanneer werkt de link? (mag leeg blijven)"),
                                description=_l("Leeg laten? Dan werkt de link tot je hem intrekt."),
                                validators=[Optional()])
    understood = BooleanField(
        _l("Ik snap het. Iedereen met deze link kan deze pagina zien."),
        validators=[DataRequired(_l("Zet een vinkje als je de waarschuwing gelezen hebt."))])

    def validate_expires_on(self, field):
        if field.data is not None and field.data < local_today():
            raise ValidationError(_l("Kies vandaag of een dag later."))


class RevokeForm(FlaskForm):
    """Only the CSRF token: taking the link back is one button."""


class PublicQuotesForm(FlaskForm):
    """Which approved quotes also go on the public page (the choices are set per request)."""

    quotes = MultiCheckboxField(_l("Welke uitspraken mag iedereen lezen?"), coerce=int, choices=[],
                                validate_choice=False)


class SmileyField(RadioField):
    """One of the five smileys. Anything else (an empty, unknown or made-up value) gets the same
    B1 instruction, never WTForms' English "Not a valid choice"."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None

    def pre_validate(self, form):
        if self.data not in EVALUATION_SCORES:
            raise StopValidation(_("Kies een gezichtje."))


class EvaluationForm(FlaskForm):
    """The panel looks back on an agreement together, on the smiley scale of the interviews."""
    score = SmileyField(_l("Is het gedaan zoals afgesproken?"), coerce=int,
                       choices=[(value, EVALUATION_SCORE_LABELS[value]) for value in EVALUATION_SCORES],
                       validators=[InputRequired(_l("Kies een gezichtje."))])
    what_changed = TextAreaField(_l("Wat is er veranderd voor cliënten?"),
                                 validators=[DataRequired(_l("Vul in wat er veranderd is. Niets veranderd? Schrijf dat op.")),
                                             Length(max=2000, message=_l("Maak de tekst korter dan 2000 tekens."))])
    still_to_do = TextAreaField(_l("Wat moet er nog gebeuren? (mag leeg blijven)"),
                                validators=[Optional(),
                                            Length(max=2000, message=_l("Maak de tekst korter dan 2000 tekens."))])
    evaluated_on = PlainDateField(_l("Wanneer hebben jullie samen gekeken?"),
                                  validators=[InputRequired(_l("Vul de datum in."))])
    participants = IntegerField(
        _l("Hoeveel mensen van het panel deden mee?"), description=_l("Alleen het aantal. Geen namen."),
        validators=[InputRequired(_l("Vul in hoeveel mensen meededen.")),
                    NumberRange(min=1, max=100, message=_l("Kies een getal van 1 tot en met 100."))])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
