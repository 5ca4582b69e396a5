import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

SPECIAL_LABELS = {"dont_know": _l("Weet ik niet"), "refuse": _l("Wil ik niet zeggen")}
SPECIAL_PREFIX = "special:"


class StartInterviewForm(FlaskForm):
    interview_id = HiddenField(validators=[DataRequired()])
    respondent_code = HiddenField(validators=[DataRequired(), Length(max=16)])
    location_id = RadioField(
        _l("Waar is het interview?"), coerce=int,
        validators=[DataRequired(_l("Kies waar het interview is."))],
    )
    consent = BooleanField(
        _l("De persoon doet mee en vindt het goed dat we de antwoorden gebruiken voor dit onderzoek."),
        validators=[DataRequired(_l("Vraag eerst toestemming. Zonder toestemming kan het interview niet beginnen."))],
    )

    def validate_interview_id(self, field):
        try:
            field.data = str(uuid.UUID(field.data))
        except (ValueError, TypeError, AttributeError):
            raise ValidationError("invalid interview id") from None


def _str_or_none(value):
    return None if value in (None, "") else str(value)


class AnswerRadioField(RadioField):
    """A radio group that may be left empty (required-ness is checked by the view, per button)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", _str_or_none)
        kwargs.setdefault("invalid_choice_message", _l("Kies een van de antwoorden."))
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        if self.data is None:
            return
        super().pre_validate(form)


class AnswerForm(FlaskForm):
    """The answer to one question. Built per question by answer_form_for()."""

    action = StringField()  # the pressed button: next, previous or save (htmx autosave)


def answer_form_for(question, **kwargs) -> AnswerForm:
    specials = [(SPECIAL_PREFIX + key, label) for key, label in SPECIAL_LABELS.items()
                if (key == "dont_know" and question.allow_dont_know) or (key == "refuse" and question.allow_refuse)]

    class _Form(AnswerForm):
        pass

    if question.has_choices:
        _Form.answer = AnswerRadioField(
            question.text, choices=[(c.value, c.label) for c in question.choices] + specials
        )
    else:
        _Form.text = TextAreaField(question.text, validators=[Length(max=10000, message=_l("Maak het antwoord korter dan 10.000 tekens."))])
        _Form.special = AnswerRadioField(_l("Of kies"), choices=specials)
    return _Form(**kwargs)


def answer_from_form(form) -> dict:
    """value/text/special from the posted form; all None means: no answer given."""
    if hasattr(form, "answer"):
        data = form.answer.data
        if data and data.startswith(SPECIAL_PREFIX):
            return {"value": None, "text": None, "special": data[len(SPECIAL_PREFIX):]}
        return {"value": data or None, "text": None, "special": None}
    text = (form.text.data or "").strip()
    special = form.special.data
    if text:
        return {"value": None, "text": text, "special": None}
    if special and special.startswith(SPECIAL_PREFIX):
        return {"value": None, "text": None, "special": special[len(SPECIAL_PREFIX):]}
    return {"value": None, "text": None, "special": None}


def form_data_from_answer(answer) -> dict:
    if answer is None:
        return {}
    if answer.special:
        return {"answer": SPECIAL_PREFIX + answer.special, "special": SPECIAL_PREFIX + answer.special}
    return {"answer": answer.value, "text": answer.text}


class ConfirmFinishForm(FlaskForm):
    """Finish the interview (CSRF only)."""
