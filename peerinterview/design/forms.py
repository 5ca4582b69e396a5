from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

QUESTION_KIND_LABELS = [
    ("single", _l("Eén antwoord kiezen uit een lijst")),
    ("scale5", _l("Schaal van 5: van heel slecht tot heel goed")),
    ("open", _l("Open vraag: de persoon vertelt, de interviewer typt")),
]


def choice_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(FlaskForm):
    kind = RadioField(
        _l("Soort vraag"), choices=QUESTION_KIND_LABELS, default="single",
        validators=[DataRequired(_l("Kies de soort vraag."))],
    )
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

    def validate_choices(self, field):
        if self.kind.data != "single":
            return
        lines = choice_lines(field.data)
        if len(lines) < 2:
            raise ValidationError(_l("Zet minstens 2 antwoorden in de lijst, elk op een eigen regel."))
        if len({line.casefold() for line in lines}) != len(lines):
            raise ValidationError(_l("Elk antwoord mag maar één keer in de lijst staan."))
        if any(len(line) > 300 for line in lines):
            raise ValidationError(_l("Maak elk antwoord korter dan 300 tekens."))


class MoveForm(FlaskForm):
    direction = StringField(validators=[DataRequired()])

    def validate_direction(self, field):
        if field.data not in ("up", "down"):
            raise ValidationError("up or down")


class ConfirmForm(FlaskForm):
    """A plain POST with CSRF: delete, freeze, new version."""
