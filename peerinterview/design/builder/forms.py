from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ...models.questionnaires import MAX_EXPLAINED_WORD, MAX_WORD_EXPLANATION
from ...vocabulary import LANGUAGE_NAMES

QUESTION_KIND_LABELS = [
    ("single", _l("Eén antwoord kiezen uit een lijst")),
    ("multi", _l("Eén of meer antwoorden kiezen uit een lijst")),
    ("scale3", _l("Schaal van 3: slecht, niet goed en niet slecht, goed")),
    ("scale5", _l("Schaal van 5: van heel slecht tot heel goed")),
    ("yesno", _l("Ja of nee")),
    ("number", _l("Getal: bijvoorbeeld een leeftijd of een aantal")),
    ("open", _l("Open vraag: de persoon vertelt, de interviewer typt")),
    ("info", _l("Uitleg: alleen tekst, geen antwoord")),
]
# Numbers stay within what a person can type and the database can hold.
NUMBER_LIMIT = 999_999_999


def choice_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def checked_choice_lines(text: str | None) -> list[str]:
    """The answers of a list question, one a line: at least 2, each once, each shorter than 300
    characters. ValidationError otherwise."""
    lines = choice_lines(text)
    if len(lines) < 2:
        raise ValidationError(_l("Zet minstens 2 antwoorden in de lijst, elk op een eigen regel."))
    if len({line.casefold() for line in lines}) != len(lines):
        raise ValidationError(_l("Elk antwoord mag maar één keer in de lijst staan."))
    if any(len(line) > 300 for line in lines):
        raise ValidationError(_l("Maak elk antwoord korter dan 300 tekens."))
    return lines


def question_text_field(label, required_message) -> TextAreaField:
    """A question's text, as written in the builder or proposed in co-design: at most 500 characters."""
    return TextAreaField(
        label,
        description=_l("Schrijf kort en duidelijk. Stel één ding per vraag."),
        validators=[DataRequired(required_message), Length(max=500, message=_l("Gebruik hoogstens 500 tekens."))],
    )


def choices_field() -> TextAreaField:
    """The answers of a list question, one a line (see choice_lines)."""
    return TextAreaField(
        _l("Antwoorden om uit te kiezen"),
        description=_l("Alleen bij een lijst. Zet elk antwoord op een eigen regel."),
    )


class QuestionFieldsForm(FlaskForm):
    """What adding and editing share: the texts, the answers and the options."""

    text = question_text_field(_l("De vraag"), _l("Vul de vraag in."))
    help_text = TextAreaField(
        _l("Hulp voor de interviewer (mag leeg blijven)"),
        description=_l("Bijvoorbeeld: zo kunt u de vraag anders stellen."),
        validators=[Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))],
    )
    section_title = StringField(
        _l("Titel van een nieuw deel (mag leeg blijven)"),
        description=_l("Vul dit in als met deze vraag een nieuw deel begint. Bijvoorbeeld: Over het eten."),
        validators=[Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
    )
    choices = choices_field()
    min_value = IntegerField(
        _l("Kleinste getal (mag leeg blijven)"),
        description=_l("Alleen bij een getal. Bijvoorbeeld: 0."),
        validators=[Optional(), NumberRange(-NUMBER_LIMIT, NUMBER_LIMIT, message=_l("Kies een kleiner getal."))],
    )
    max_value = IntegerField(
        _l("Grootste getal (mag leeg blijven)"),
        description=_l("Alleen bij een getal. Bijvoorbeeld: 120."),
        validators=[Optional(), NumberRange(-NUMBER_LIMIT, NUMBER_LIMIT, message=_l("Kies een kleiner getal."))],
    )
    required = BooleanField(_l("Een antwoord is verplicht"))
    follow_up = BooleanField(
        _l("Ruimte voor uitleg na het antwoord"),
        description=_l("Alleen bij een lijst of schaal. De interviewer kan dan typen wat de persoon erbij vertelt."),
    )
    allow_spoken = BooleanField(
        _l("De persoon mag het antwoord ook inspreken"),
        description=_l("Alleen bij een open vraag. De interviewer kan dan het antwoord opnemen. "
                       "Dat mag alleen als de persoon daar apart ja op zegt."),
    )
    allow_dont_know = BooleanField(_l("De persoon mag kiezen: Weet ik niet"), default=True)
    allow_refuse = BooleanField(_l("De persoon mag kiezen: Wil ik niet zeggen"), default=True)
    # Without JavaScript: show the B1 advice on the page again, change nothing.
    check = SubmitField(_l("Controleer de tekst"))

    kind_of_question = "single"

    def validate_choices(self, field):
        if self.kind_of_question not in ("single", "multi"):
            return
        lines = checked_choice_lines(field.data)
        if len(lines) > 40:
            raise ValidationError(_l("Zet hoogstens 40 antwoorden in de lijst."))

    def validate_max_value(self, field):
        if self.kind_of_question != "number":
            return
        low, high = self.min_value.data, field.data
        if low is not None and high is not None and low > high:
            raise ValidationError(_l("Het grootste getal moet groter zijn dan het kleinste getal."))

    def number_range(self) -> dict:
        """min_value and max_value, or None for both when the question is no number."""
        if self.kind_of_question != "number":
            return {"min_value": None, "max_value": None}
        return {"min_value": self.min_value.data, "max_value": self.max_value.data}


class QuestionForm(QuestionFieldsForm):
    # Without JavaScript: show the fields of the chosen kind, save nothing.
    show_kind = SubmitField(_l("Toon de velden voor deze soort"))
    kind = RadioField(
        _l("Soort vraag"), choices=QUESTION_KIND_LABELS, default="single",
        validators=[DataRequired(_l("Kies de soort vraag."))],
    )

    @property
    def kind_of_question(self):
        return self.kind.data


class EditQuestionForm(QuestionFieldsForm):
    """The kind of a question stays what it is; its texts, answers and options may change.
    Made per question by edit_question_form(), with fields for each translation language."""

    languages: tuple = ()
    # The question as this page showed it (merge.py): a save then keeps what someone else changed
    # meanwhile, and stops at a field both changed.
    seen = HiddenField()

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_of_question = question.kind
        self.choice_count = len(question.choices)

    def translation_fields(self, language: str) -> dict:
        return {name: self[f"{name}_{language}"] for name in ("section_title", "text", "help_text", "choices")
                if f"{name}_{language}" in self}

    def translations(self) -> dict:
        """{"en": {"text": ..., "help_text": ...}} from the translation fields."""
        return {language: {"text": self[f"text_{language}"].data or "",
                           "help_text": self[f"help_text_{language}"].data or "",
                           "section_title": self[f"section_title_{language}"].data or ""}
                for language in self.languages}

    def choice_translations(self) -> dict:
        """{"en": [label per choice, in order]} from the translation fields of a list."""
        return {language: [line.strip() for line in (self[f"choices_{language}"].data or "").splitlines()]
                for language in self.languages if f"choices_{language}" in self}


def _translated_choices_check(form, field):
    lines = [line for line in (field.data or "").splitlines()]
    while lines and not lines[-1].strip():
        lines.pop()
    count = len(choice_lines(form.choices.data)) if form.kind_of_question in ("single", "multi") else 0
    if len(lines) > count:
        raise ValidationError(_l("Er staan meer regels dan antwoorden. Zet per antwoord één regel."))


def edit_question_form(question, languages, **kwargs) -> EditQuestionForm:
    """The edit form of `question`, with text fields for each language other than Dutch."""
    languages = tuple(lang for lang in languages if lang != "nl")

    class _Form(EditQuestionForm):
        pass

    _Form.languages = languages
    for language in languages:
        # Labels made now with _(): a lazy string with a value in it would count as safe HTML.
        name = str(LANGUAGE_NAMES.get(language, language))
        setattr(_Form, f"section_title_{language}", StringField(
            _("Titel van het deel in het %(language)s", language=name),
            description=_l("Alleen als met deze vraag een nieuw deel begint."),
            validators=[Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))]))
        setattr(_Form, f"text_{language}", TextAreaField(
            _("Vraag in het %(language)s", language=name),
            validators=[Length(max=500, message=_l("Gebruik hoogstens 500 tekens."))]))
        setattr(_Form, f"help_text_{language}", TextAreaField(
            _("Hulptekst in het %(language)s", language=name),
            validators=[Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))]))
        if question.kind in ("single", "multi"):
            setattr(_Form, f"choices_{language}", TextAreaField(
                _("Antwoorden in het %(language)s", language=name),
                description=_l("Zet elk antwoord op een eigen regel, in dezelfde volgorde als hierboven."),
                validators=[Length(max=12000), _translated_choices_check]))
    return _Form(question=question, **kwargs)


class AdviceForm(FlaskForm):
    """The live B1 advice: htmx posts the whole question form; `advice_for` names the field."""

    advice_for = SelectField(choices=[("text", "text"), ("help_text", "help_text")])
    # The question being edited, if any: its hard words get a link to explain them.
    explain_question = IntegerField(validators=[Optional()])
    text = TextAreaField(validators=[Length(max=5000)])
    help_text = TextAreaField(validators=[Length(max=5000)])


class ConditionForm(FlaskForm):
    source = SelectField(_l("Welke vraag?"), coerce=int, validate_choice=False)
    values = SelectMultipleField(_l("Welke antwoorden?"), validate_choice=False)


class MoveForm(FlaskForm):
    direction = StringField(validators=[DataRequired()])

    def validate_direction(self, field):
        if field.data not in ("up", "down"):
            raise ValidationError("up or down")


class ConfirmForm(FlaskForm):
    """A plain POST with CSRF: delete, freeze, new version. `confirmed` says that the page
    which asks first was seen ("Versie vastzetten")."""

    confirmed = HiddenField()


class WordExplanationForm(FlaskForm):
    """A hard word in the question and what it means ("Wat betekent dit?"). Saving a word that
    has an explanation already changes it. The language is the one of the text the word is in."""

    language = SelectField(_l("In welke tekst staat het woord?"), default="nl", validate_choice=False)
    word = StringField(
        _l("Moeilijk woord"), description=_l("Schrijf het woord zoals het in de vraag staat."),
        validators=[DataRequired(_l("Vul het woord in.")),
                    Length(max=MAX_EXPLAINED_WORD, message=_l("Gebruik hoogstens 60 tekens."))])
    explanation = TextAreaField(
        _l("Wat betekent dit?"), description=_l("Leg het uit in een of twee korte zinnen."),
        validators=[DataRequired(_l("Vul de uitleg in.")),
                    Length(max=MAX_WORD_EXPLANATION, message=_l("Gebruik hoogstens 300 tekens."))])

    def __init__(self, *args, languages=("nl",), **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in dict.fromkeys(["nl", *languages])]

    def validate_language(self, field):
        if field.data not in dict(field.choices):
            raise ValidationError(_l("Kies de taal van de vraag."))


class WordRemoveForm(FlaskForm):
    language = HiddenField(validators=[DataRequired()])
    word = HiddenField(validators=[DataRequired()])


class PictureForm(FlaskForm):
    """Put a picture with the question or one of its answers, or take it away (picture empty).
    Which answer and which picture are allowed is the service's rule (set_picture)."""

    target = HiddenField()  # "vraag", or the id of one of the question's answers
    picture = HiddenField()
