from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ..models.panel import (
    DIALOGUE_QUESTIONS,
    PRIORITIES,
    THEME_COLOURS,
    THEME_DESCRIPTION_MAX,
)
from ..refi_qda.codebook import MAX_CODEBOOK_BYTES
from ..vocabulary import DIALOGUE_LABELS, PRIORITY_LABELS, THEME_COLOUR_NAMES

DIALOGUE_HINTS = {
    "recognise": _l("Zien of horen jullie dit zelf ook?"),
    "explain": _l("Waarom denken jullie dat het zo is?"),
    "opinion": _l("Is het goed of niet goed? Waarom?"),
    "action": _l("Wat moet er anders? Wie moet dat doen?"),
}
QUOTE_STATUS_LABELS = {
    "proposed": _l("Wacht op goedkeuring"),
    "approved": _l("Goedgekeurd"),
    "rejected": _l("Afgewezen"),
}

NAME_VALIDATORS = [DataRequired(_l("Vul een naam voor het thema in.")),
                   Length(max=120, message=_l("Gebruik hoogstens 120 tekens."))]


class ThemeForm(FlaskForm):
    name = StringField(_l("Naam van het nieuwe thema"), description=_l("Bijvoorbeeld: Rust en drukte."),
                       validators=NAME_VALIDATORS)


class CodebookImportForm(FlaskForm):
    """A codebook (.qdc) from ATLAS.ti, MAXQDA, NVivo, QualCoder … as the first themes."""

    codebook = FileField(
        _l("Codeboek (.qdc)"),
        description=_l("Uit ATLAS.ti, MAXQDA, NVivo of QualCoder. Het mag hoogstens %(size)s kB zijn.",
                       size=MAX_CODEBOOK_BYTES // 1024),
        validators=[FileRequired(_l("Kies een bestand."))])


class RenameForm(FlaskForm):
    """A theme's name, what belongs in it and its colour: one form, one optimistic check."""

    name = StringField(_l("Nieuwe naam"), validators=NAME_VALIDATORS)
    description = TextAreaField(
        _l("Wat hoort in dit thema?"),
        description=_l("Schrijf het in een of twee zinnen. Dit mag leeg blijven."),
        validators=[Optional(), Length(max=THEME_DESCRIPTION_MAX,
                                       message=_l("Schrijf hier niet meer dan %(max)d tekens."))])
    colour = RadioField(_l("Kleur"), choices=[("", _l("Geen kleur"))] + [(c, THEME_COLOUR_NAMES[c]) for c in THEME_COLOURS],
                        default="", validate_choice=False,
                        validators=[Optional(), AnyOf(THEME_COLOURS, message=_l("Kies een kleur uit de lijst."))])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CardForm(FlaskForm):
    """One card, named by its key ("123-text"); the view checks that it is a card of the project."""

    card = HiddenField(validators=[DataRequired(_l("Kies een kaart."))])


class MergeForm(FlaskForm):
    # Checked in the view against the live themes (so the message is ours, in B1).
    other = SelectField(_l("Welk thema hoort bij dit thema?"), coerce=int, validate_choice=False,
                        description=_l("Alle kaarten van dat thema komen hier. Dat thema verdwijnt."),
                        validators=[InputRequired(_l("Kies een thema."))])


class SplitForm(FlaskForm):
    cards = SelectMultipleField(_l("Kaarten"), validators=[DataRequired(_l("Kies de kaarten die je wilt verplaatsen."))])
    # Its own id: the rename form on the same page has a "name" too, and a label must point at
    # its own box.
    name = StringField(_l("Naam van het nieuwe thema"),
                       description=_l("De gekozen kaarten gaan uit dit thema naar het nieuwe thema."),
                       validators=NAME_VALIDATORS, id="split-name")


class FindingEntry(Form):
    """One of the four boxes: its text and the version the writer started from (0: empty)."""

    text = TextAreaField(_l("Wat zeggen jullie?"), validators=[Length(max=5000, message=_l("Gebruik hoogstens 5000 tekens."))])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class FindingsForm(FlaskForm):
    """The four dialogue questions in one form: "Alles opslaan" sends every box, and a box that
    saves itself while typed sends the form too, so what is typed in the other boxes is never
    replaced by what the server had. Field names: "<question>-text", "<question>-version"."""

    recognise = FormField(FindingEntry)
    explain = FormField(FindingEntry)
    opinion = FormField(FindingEntry)
    action = FormField(FindingEntry)
    # The board version this page knew: a save by this person is then not announced to them
    # as a change by someone else.
    seen = IntegerField(widget=HiddenInput(), validators=[Optional()])


class RecommendationForm(FlaskForm):
    text = TextAreaField(_l("Nieuwe aanbeveling"),
                         description=_l("Schrijf wat er moet gebeuren. Bijvoorbeeld: Maak een stille kamer."),
                         validators=[DataRequired(_l("Schrijf eerst de aanbeveling.")),
                                     Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))])


class VoteForm(FlaskForm):
    priority = SelectField(choices=[(p, "") for p in PRIORITIES], coerce=int,
                           validators=[InputRequired(_l("Kies hoe belangrijk het is."))])


class QuoteDecisionForm(FlaskForm):
    text = TextAreaField(_l("Tekst van het citaat"),
                         description=_l("Haal namen, plaatsen en nummers weg. Schrijf bijvoorbeeld [naam]."),
                         validators=[Optional(), Length(max=5000, message=_l("Gebruik hoogstens 5000 tekens."))])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    action = SelectField(choices=[("approve", ""), ("reject", ""), ("suggest", ""), ("reopen", "")],
                         validators=[InputRequired(_l("Kies wat u wilt doen."))])


class PresentForm(FlaskForm):
    slide = HiddenField(validators=[DataRequired()])


class UndoForm(FlaskForm):
    """'Maak ongedaan' names the step it undoes: the id of that step comes along, and nothing
    is undone when this person's last step is another one by now."""

    action = IntegerField(widget=HiddenInput(), validators=[Optional()])


class MeetingForm(FlaskForm):
    """Today's agenda: which themes and which questions the meeting goes through. Choices are
    set in the view (the project's themes with cards and its questions)."""

    themes = SelectMultipleField(_l("Welke thema's bespreken jullie?"), coerce=int, validate_choice=False)
    questions = SelectMultipleField(_l("Welke vragen laat je zien?"), validate_choice=False)


class CloseMeetingForm(FlaskForm):
    # A number, never who: the report tells how many panel members took part in the meetings.
    attendees = IntegerField(_l("Hoeveel panelleden waren er vandaag?"),
                             description=_l("Tel de mensen van het panel. Niet de begeleiders. Weet je het niet? "
                                            "Laat het leeg."),
                             validators=[Optional(), NumberRange(min=0, max=500,
                                                                 message=_l("Vul een getal in van 0 tot 500."))])


# A stored code without a label would show as a raw key on some page: fail at start instead.
if set(DIALOGUE_LABELS) != set(DIALOGUE_QUESTIONS) or set(PRIORITY_LABELS) != set(PRIORITIES):
    raise RuntimeError("labels and models disagree")
if set(DIALOGUE_QUESTIONS) - {name for name in vars(FindingsForm) if not name.startswith("_")}:
    raise RuntimeError("FindingsForm and the dialogue questions disagree")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartRoundForm(FlaskForm):
    """A round "ieder apart": which cards, and who sorts them (the view fills in the choices)."""

    cards = RadioField(_l("Welke kaarten?"), validate_choice=False,
                       validators=[InputRequired(_l("Kies welke kaarten ieder apart sorteert."))])
    members = MultiCheckboxField(_l("Wie sorteert?"), coerce=int, validate_choice=False,
                                  description=_l("Kies twee mensen of meer."))
    # The default matches rounds.ROUND_SIZE; at most 200, about five meetings. Left empty,
    # the view takes the defaults.
    size = IntegerField(_l("Hoeveel kaarten?"), default=40,
                        description=_l("Kies een aantal dat jullie in één keer kunnen doen. 40 kaarten is vaak genoeg."),
                        validators=[Optional(),
                                    NumberRange(min=1, max=200, message=_l("Kies een aantal van 1 tot 200."))])
    first = IntegerField(_l("Begin bij kaart"), default=1,
                         description=_l("Vul 1 in om bij de eerste kaart te beginnen."),
                         validators=[Optional(), NumberRange(min=1, message=_l("Vul een nummer in van 1 of hoger."))])


class RoundCardForm(FlaskForm):
    """One card in or out of one theme, for the member's own sorting in a round."""

    card = HiddenField(validators=[DataRequired(_l("Kies een kaart."))])
    theme = IntegerField(widget=HiddenInput(), validators=[InputRequired(_l("Kies een thema."))])
    action = HiddenField(validators=[AnyOf(("add", "remove"))])


class FinishRoundForm(FlaskForm):
    pass


class IdListField(HiddenField):
    """A list of ids in one hidden input: whole numbers joined by commas ("3,8,12"). Its data is
    the list of numbers. Anything else (an empty list, a word, a minus sign, a number of twelve
    digits or more) is refused with `message`, so a tampered list never reaches the services."""

    MAX_DIGITS = 11

    def __init__(self, *args, message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        self.data = []
        parts = valuelist[0].split(",") if valuelist else []
        if not parts or not all(p.isascii() and p.isdigit() and len(p) <= self.MAX_DIGITS for p in parts):
            # WTForms shows a ValueError raised here as the field's error.
            raise ValueError(self.message or _l("Deze lijst klopt niet."))
        self.data = [int(p) for p in parts]

    def _value(self):
        return ",".join(str(i) for i in self.data or [])


class CloseRoundForm(FlaskForm):
    """Staff close a round early. `finished` is who had finished on the page they confirmed
    (user ids, sorted): when that changed since, the close is refused."""

    finished = IdListField(message=_l("We weten niet meer wie er klaar was. Kijk opnieuw wie klaar is. "
                                      "Sluit daarna de ronde af."))


class StopRoundForm(FlaskForm):
    pass


class DecisionForm(FlaskForm):
    """The themes the panel chose together for one card; `version` is the decision it saw."""

    card = HiddenField(validators=[DataRequired(_l("Kies een kaart."))])
    themes = MultiCheckboxField(_l("In welke thema's hoort deze kaart?"), coerce=int, validate_choice=False)
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])
