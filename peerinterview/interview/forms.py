import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
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
    # 0 means: no second interviewer. The choices are the project's other interviewers.
    second_interviewer_id = SelectField(_l("Tweede interviewer (mag leeg blijven)"), coerce=int, default=0)
    language = RadioField(
        _l("In welke taal is het interview?"),
        description=_l("De knoppen en uitleg komen in deze taal. De vragen blijven zoals ze zijn."),
        choices=[("nl", "Nederlands"), ("en", "English")],
        validators=[DataRequired(_l("Kies de taal van het interview."))],
    )
    # Two separate confirmations: taking part, and the use of the answers (health data).
    consent = BooleanField(
        _l("De persoon doet mee aan het interview."),
        validators=[DataRequired(_l("Vraag eerst toestemming. Zonder toestemming kan het interview niet beginnen."))],
    )
    consent_data = BooleanField(
        _l("De persoon vindt het goed dat we de antwoorden gebruiken voor dit onderzoek. "
           "Ook als ze over de gezondheid gaan."),
        validators=[DataRequired(_l("Vraag of we de antwoorden mogen gebruiken. Zet dan het vinkje."))],
    )
    consent_method = RadioField(
        _l("Hoe gaf de persoon toestemming?"),
        choices=[("interviewer_tablet", _l("De persoon zei ja. De interviewer zette de vinkjes.")),
                 ("respondent_tablet", _l("De persoon zette zelf de vinkjes."))],
        default="interviewer_tablet",
        validators=[DataRequired(_l("Kies hoe de persoon toestemming gaf."))],
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
        if question.follow_up:
            _Form.note = TextAreaField(
                _l("Wilt u daar iets over vertellen?"),
                description=_l("Typ wat de persoon zegt. Dit mag leeg blijven."),
                validators=[Length(max=2000, message=_l("Maak de toelichting korter dan 2000 tekens."))],
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


def note_from_form(form):
    """The follow-up note, or the marker that this question has none (then it is left alone)."""
    return form.note.data if hasattr(form, "note") else None


def form_data_from_answer(answer) -> dict:
    if answer is None:
        return {}
    note = {"note": answer.note} if getattr(answer, "note", None) else {}
    if answer.special:
        return {"answer": SPECIAL_PREFIX + answer.special, "special": SPECIAL_PREFIX + answer.special, **note}
    return {"answer": answer.value, "text": answer.text, **note}


class ConfirmFinishForm(FlaskForm):
    """Finish the interview (CSRF only)."""


DEBRIEF_MOOD_LABELS = [("good", _l("Goed")), ("mixed", _l("Wisselend")), ("hard", _l("Moeilijk"))]


class DebriefForm(FlaskForm):
    """The interviewer's short debrief, right after the interview."""

    mood = RadioField(
        _l("Hoe ging het interview?"), choices=DEBRIEF_MOOD_LABELS,
        validators=[DataRequired(_l("Kies hoe het interview ging."))],
    )
    text = TextAreaField(
        _l("Wilt u nog iets kwijt? (mag leeg blijven)"),
        description=_l("Schrijf geen namen op."),
        validators=[Length(max=2000, message=_l("Maak de tekst korter dan 2000 tekens."))],
    )
    follow_up_needed = BooleanField(
        _l("Er is nazorg nodig. Bijvoorbeeld: de persoon was verdrietig of boos."),
        description=_l("De begeleider ziet dit en neemt contact op."),
    )


class WithdrawForm(FlaskForm):
    """Staff withdraw an interview at the respondent's request, in two steps."""

    respondent_code = StringField(
        _l("Code van het interview"),
        description=_l("De persoon heeft deze code gekregen. Bijvoorbeeld: K7M2Q."),
        validators=[DataRequired(_l("Vul de code van het interview in.")),
                    Length(max=16, message=_l("Een code heeft 5 tekens. Controleer de code."))],
    )
    confirm = HiddenField()
