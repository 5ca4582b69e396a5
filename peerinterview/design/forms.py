from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

QUESTION_KIND_LABELS = [
    ("single", _l("Eén antwoord kiezen uit een lijst")),
    ("scale5", _l("Schaal van 5: van heel slecht tot heel goed")),
    ("open", _l("Open vraag: de persoon vertelt, de interviewer typt")),
]


def choice_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# The checker's labels (Dutch words from plainlanguage) as UI text.
B1_LABELS = {"makkelijk": _l("makkelijk"), "gaat wel": _l("gaat wel"), "moeilijk": _l("moeilijk")}
B1_FLAG_KINDS = {
    "long_sentence": _l("Lange zin"),
    "long_word": _l("Lang woord"),
    "rare_word": _l("Woord dat weinig mensen kennen"),
    "officialese": _l("Moeilijk woord uit brieven"),
    "passive": _l("Zin met wordt of is"),
}


class QuestionFieldsForm(FlaskForm):
    """What adding and editing share: the texts, the answers and the options."""

    text = TextAreaField(
        _l("De vraag"),
        description=_l("Schrijf kort en duidelijk. Stel één ding per vraag."),
        validators=[DataRequired(_l("Vul de vraag in.")), Length(max=500, message=_l("Gebruik hoogstens 500 tekens."))],
    )
    help_text = TextAreaField(
        _l("Hulp voor de interviewer (mag leeg blijven)"),
        description=_l("Bijvoorbeeld: zo kunt u de vraag anders stellen."),
        validators=[Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))],
    )
    choices = TextAreaField(
        _l("Antwoorden om uit te kiezen"),
        description=_l("Alleen bij een lijst. Zet elk antwoord op een eigen regel."),
    )
    required = BooleanField(_l("Een antwoord is verplicht"))
    follow_up = BooleanField(
        _l("Ruimte voor uitleg na het antwoord"),
        description=_l("Alleen bij een lijst of schaal. De interviewer kan dan typen wat de persoon erbij vertelt."),
    )
    allow_dont_know = BooleanField(_l("De persoon mag kiezen: Weet ik niet"), default=True)
    allow_refuse = BooleanField(_l("De persoon mag kiezen: Wil ik niet zeggen"), default=True)
    # Without JavaScript: show the B1 advice on the page again, change nothing.
    check = SubmitField(_l("Controleer de tekst"))

    kind_of_question = "single"

    def validate_choices(self, field):
        if self.kind_of_question != "single":
            return
        lines = choice_lines(field.data)
        if len(lines) < 2:
            raise ValidationError(_l("Zet minstens 2 antwoorden in de lijst, elk op een eigen regel."))
        if len({line.casefold() for line in lines}) != len(lines):
            raise ValidationError(_l("Elk antwoord mag maar één keer in de lijst staan."))
        if any(len(line) > 300 for line in lines):
            raise ValidationError(_l("Maak elk antwoord korter dan 300 tekens."))


class QuestionForm(QuestionFieldsForm):
    kind = RadioField(
        _l("Soort vraag"), choices=QUESTION_KIND_LABELS, default="single",
        validators=[DataRequired(_l("Kies de soort vraag."))],
    )

    @property
    def kind_of_question(self):
        return self.kind.data


class EditQuestionForm(QuestionFieldsForm):
    """The kind of a question stays what it is; its texts, answers and options may change."""

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_of_question = question.kind


class AdviceForm(FlaskForm):
    """The live B1 advice: htmx posts the whole question form; `advice_for` names the field."""

    advice_for = SelectField(choices=[("text", "text"), ("help_text", "help_text")])
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
    """A plain POST with CSRF: delete, freeze, new version."""
