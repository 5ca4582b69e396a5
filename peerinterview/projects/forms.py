from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.new_account import NewAccountForm
from ..models.accounts import mixes_municipality
from ..refi_qda.codebook import MAX_CODEBOOK_BYTES
from ..vocabulary import COUNT_RULE_LABELS

DEFAULT_CONSENT_TEXT = _l(
    "We praten met u over de zorg en steun die u krijgt. "
    "Uw antwoorden helpen om de zorg beter te maken. "
    "Meedoen is vrijwillig. U mag altijd stoppen. "
    "We schrijven uw naam niet op. "
    "Uw antwoorden kunnen over uw gezondheid gaan. "
    "We gebruiken ze alleen voor dit onderzoek."
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProjectForm(FlaskForm):
    # On the edit page: the settings as that page showed them (merge.py), so a save keeps what
    # another staff member changed meanwhile and stops at a field both changed.
    seen = HiddenField()
    name = StringField(
        _l("Naam van het onderzoek"),
        description=_l("Bijvoorbeeld: Wat vinden bezoekers van de dagopvang?"),
        validators=[DataRequired(_l("Vul een naam in.")), Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
    )
    research_question = TextAreaField(
        _l("Wat willen we weten?"),
        description=_l("De vraag die het onderzoek moet beantwoorden. Schrijf kort en duidelijk."),
        validators=[DataRequired(_l("Vul in wat u wilt weten."))],
    )
    commissioner = StringField(
        _l("Voor wie doen we dit onderzoek?"),
        description=_l("Bijvoorbeeld: Gemeente Utrecht."),
        validators=[Optional(), Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
    )
    min_group_size = IntegerField(
        _l("Kleinste groep die we laten zien"),
        description=_l("Groepen met minder mensen verbergen we in de uitkomsten. Gebruik 5 of meer."),
        default=5,
        validators=[
            DataRequired(_l("Vul een getal in.")),
            NumberRange(min=5, max=100, message=_l("Kies een getal van 5 tot en met 100.")),
        ],
    )
    review_open_answers = BooleanField(
        _l("Open antwoorden eerst controleren"),
        description=_l("Het panel leest open antwoorden en hun uitleg pas als een begeleider ze "
                       "vrijgeeft. Zo komen namen en adressen niet bij het panel."),
        default=True,
    )
    count_rule = RadioField(
        _l("Welke interviews tellen mee in de uitkomsten?"),
        description=_l("Een begeleider kijkt elk interview na. Kies wat daarna meetelt."),
        choices=list(COUNT_RULE_LABELS.items()),
        default="not_excluded",
        validators=[DataRequired(_l("Kies welke interviews meetellen."))],
    )
    second_interviewer_may_review = BooleanField(
        _l("Tweede interviewer mag ook nakijken"),
        description=_l("Een interviewer mag dan interviews van anderen nakijken. Nooit een eigen interview."),
        default=False,
    )
    retention_date = DateField(
        _l("Bewaren tot"),
        description=_l("Na deze datum wissen we de antwoorden. Het rapport blijft bestaan."),
        validators=[Optional()],
    )
    consent_text = TextAreaField(
        _l("Tekst voor toestemming"),
        description=_l("Dit leest de interviewer voor. Daarna geeft de persoon wel of geen toestemming."),
        validators=[DataRequired(_l("Vul de tekst voor toestemming in."))],
    )
    consent_text_en = TextAreaField(
        _l("Tekst voor toestemming in het Engels (mag leeg blijven)"),
        description=_l("Voor interviews in het Engels. Is dit leeg? Dan ziet de interviewer de Nederlandse tekst."),
        validators=[Length(max=10000, message=_l("Maak de tekst korter dan 10.000 tekens."))],
    )


class NewProjectForm(ProjectForm):
    codebook = FileField(
        _l("Thema's uit een codeboek (mag leeg blijven)"),
        description=_l("Heeft een onderzoeker al thema's? Kies dan het codeboek (.qdc). Het panel begint met "
                       "die thema's. Het mag hoogstens %(size)s kB zijn.", size=MAX_CODEBOOK_BYTES // 1024),
        validators=[Optional()])

class LocationForm(FlaskForm):
    name = StringField(
        _l("Naam van de locatie"),
        description=_l("Bijvoorbeeld: Dagopvang De Haven."),
        validators=[DataRequired(_l("Vul de naam van de locatie in.")), Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
    )


ROLE_CHOICES = [
    ("interviewer", _l("Interviewer")),
    ("panel", _l("Panel: bespreekt de uitkomsten")),
    ("designer", _l("Maakt de vragenlijst mee")),
    ("municipality", _l("Gemeente: ziet adviezen en afspraken, en geeft het antwoord van de gemeente")),
    ("staff", _l("Begeleider (alleen voor staf)")),
]
CLIENT_ROLE_CHOICES = [choice for choice in ROLE_CHOICES if choice[0] != "staff"]
# Said at the boxes when someone ticks the municipality's role together with another role.
MUNICIPALITY_ALONE = _l("De rol Gemeente gaat niet samen met een andere rol. Kies Gemeente alleen, "
                        "of haal het vinkje bij Gemeente weg.")


class MemberRolesForm(FlaskForm):
    """The roles of one person in this project. The boxes start with the roles the person has
    now, so ticking one more never takes the others away."""
    roles = MultiCheckboxField(
        _l("Rollen in dit onderzoek"),
        description=_l("Haalt u een vinkje weg? Dan vragen we eerst of dat klopt."),
        choices=ROLE_CHOICES,
    )
    # Set by the confirmation step: the person saw which roles go away and agreed.
    confirmed = HiddenField()


class MemberForm(MemberRolesForm):
    """Someone who has an account already joins this project."""
    user_id = SelectField(_l("Persoon"), coerce=int, validators=[DataRequired(_l("Kies een persoon."))])


class NewMemberAccountForm(NewAccountForm):
    """A new client account, straight into this project with its roles. Staff accounts are made
    under Accounts: they need more care (second factor, administrators)."""
    roles = MultiCheckboxField(
        _l("Rollen in dit onderzoek"),
        choices=CLIENT_ROLE_CHOICES,
    )

    def validate_roles(self, field):
        # Not DataRequired: its "required" flag would mark every single box as required.
        if not field.data:
            raise ValidationError(_l("Kies minstens één rol."))
        if mixes_municipality(field.data):
            raise ValidationError(MUNICIPALITY_ALONE)


class LocationEditForm(FlaskForm):
    name = StringField(
        _l("Nieuwe naam"),
        validators=[DataRequired(_l("Vul de naam van de locatie in.")), Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
    )


class ArchiveLocationForm(FlaskForm):
    """A button that changes one thing: archive a location ("ja") or bring it back ("nee")."""
    archived = HiddenField()
