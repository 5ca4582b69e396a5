import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..vocabulary import DEBRIEF_MOOD_LABELS, LANGUAGE_CHOICES, SPECIAL_LABELS
from .encoding import MAX_NOTE, MAX_TEXT, decode_multi, encode_multi, parse_number
from .texts import choice_label, question_language, question_text

SPECIAL_PREFIX = "special:"


class StartInterviewForm(FlaskForm):
    interview_id = HiddenField(validators=[DataRequired()])
    # The code the start page showed, sealed by the server (interview/codes.py); the start
    # makes a new one if either is missing or wrong, so neither is an error of the form.
    respondent_code = HiddenField()
    respondent_code_seal = HiddenField()
    location_id = RadioField(
        _l("Waar is het interview?"), coerce=int,
        validators=[DataRequired(_l("Kies waar het interview is."))],
    )
    # 0 means: no second interviewer. The choices are the project's other interviewers.
    second_interviewer_id = SelectField(_l("Tweede interviewer (mag leeg blijven)"), coerce=int, default=0)
    language = RadioField(
        _l("In welke taal is het interview?"),
        description=_l("De knoppen en uitleg komen in deze taal. De vragen ook, als er een vertaling is."),
        choices=LANGUAGE_CHOICES,
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
    # A separate, optional consent: only asked when the questionnaire has a question that may be
    # answered by speaking. Without it the tablet shows no record button.
    consent_recording = BooleanField(
        _l("De persoon vindt het goed dat we een antwoord opnemen. Alleen de begeleiders en het panel "
           "kunnen de opname horen. We wissen de opname samen met de antwoorden."),
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


class AnswerCheckboxField(SelectMultipleField):
    """The boxes of a multiple-choice question; any number may be ticked, also none."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", str)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        known = {value for value, _label in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Kies een van de antwoorden."))


class AnswerForm(FlaskForm):
    """The answer to one question. Built per question by answer_form_for()."""

    action = StringField()  # the pressed button: next, previous or save (htmx autosave)
    # "1": opened with "Veranderen" from the overview; "Volgende" goes back there.
    overview = HiddenField()
    question = None

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        kind = self.question.kind
        special = getattr(self, "special", None)
        chose_special = bool(special is not None and special.data and special.data.startswith(SPECIAL_PREFIX))
        if kind == "number" and not chose_special:
            _number, error = parse_number(self.question, self.number.data)
            if error:
                self.number.errors = [*self.number.errors, error]
                return False
        return ok

    def _real_field(self):
        """The field of a real answer beside the "Of kies" buttons (None: a single choice,
        where all are one radio group and both cannot be chosen)."""
        if getattr(self, "special", None) is None:
            return None
        if self.question.kind == "multi":
            return self.answer
        if self.question.kind == "number":
            return self.number
        return getattr(self, "text", None)

    def has_both(self) -> bool:
        real = self._real_field()
        if real is None or not (self.special.data or "").startswith(SPECIAL_PREFIX):
            return False
        given = real.data
        return bool(given.strip() if isinstance(given, str) else given)

    def settle_both(self, stored) -> None:
        """A real answer and "Weet ik niet" / "Wil ik niet zeggen" both in one post: keep the one
        the person chose last, so choosing one clears the other. The page showed the stored
        answer, so the part that differs from `stored` (a row with value/text/special, or None)
        is the new choice; when both are new, the real answer stays (as typed text always did).
        With JavaScript the page clears the other part itself; this covers the page without it."""
        if not self.has_both():
            return
        special, real = self.special, self._real_field()
        kind, given = self.question.kind, real.data
        chose = special.data[len(SPECIAL_PREFIX):]
        special_is_new = getattr(stored, "special", None) != chose
        if kind == "multi":
            real_is_new = encode_multi(self.question, given) != getattr(stored, "value", None)
        elif kind == "number":
            number, _error = parse_number(self.question, given)
            real_is_new = number is None or str(number) != getattr(stored, "value", None)
        else:
            real_is_new = given.strip() != (getattr(stored, "text", None) or "")
        if special_is_new and not real_is_new:
            real.data = [] if kind == "multi" else ""
            real.raw_data = []
        else:
            special.data = None
            special.raw_data = []


def _special_choices(question):
    return [(SPECIAL_PREFIX + key, label) for key, label in SPECIAL_LABELS.items()
            if (key == "dont_know" and question.allow_dont_know) or (key == "refuse" and question.allow_refuse)]


def answer_form_for(question, language: str = "nl", **kwargs) -> AnswerForm:
    """The form of one question screen, with the question's words in `language` (or Dutch).

    Field names: `answer` (radio buttons, or check boxes for multi), `number`, `text`, `special`
    (the "Weet ik niet" / "Wil ik niet zeggen" buttons when they are not among the radio
    buttons) and `note` (the follow-up). An information screen has none of them.
    """
    return answer_form_class(question, language)(**kwargs)


def answer_form_class(question, language: str) -> type:
    specials = _special_choices(question)
    label = str(question_text(question, language))

    class _Form(AnswerForm):
        pass

    _Form.question = question
    shown_in = question_language(question, language)
    choices = [(c.value, str(choice_label(c, shown_in))) for c in question.choices]
    if question.kind == "info":
        pass
    elif question.kind == "multi":
        _Form.answer = AnswerCheckboxField(label, choices=choices)
        _Form.special = AnswerRadioField(_l("Of kies"), choices=specials)
    elif question.has_choices:
        _Form.answer = AnswerRadioField(label, choices=choices + specials)
    elif question.kind == "number":
        _Form.number = StringField(label, validators=[Length(max=40, message=_l("Typ een kleiner getal."))])
        _Form.special = AnswerRadioField(_l("Of kies"), choices=specials)
    else:
        _Form.text = TextAreaField(label, validators=[Length(max=MAX_TEXT, message=_l("Maak het antwoord korter dan 10.000 tekens."))])
        _Form.special = AnswerRadioField(_l("Of kies"), choices=specials)
    if question.follow_up and question.has_choices:
        _Form.note = TextAreaField(
            _l("Uitleg bij het antwoord"),
            description=_l("Vraag: Wilt u daar iets over vertellen? Typ wat de persoon zegt. Dit mag leeg blijven."),
            validators=[Length(max=MAX_NOTE, message=_l("Maak de uitleg korter dan 2000 tekens."))],
        )
    return _Form


NO_ANSWER = {"value": None, "text": None, "special": None}


def _special_of(form):
    special = form.special.data if hasattr(form, "special") else None
    if special and special.startswith(SPECIAL_PREFIX):
        return {"value": None, "text": None, "special": special[len(SPECIAL_PREFIX):]}
    return None


def answer_from_form(form) -> dict:
    """value/text/special from the posted (and validated) form; all None means: no answer given."""
    kind = form.question.kind
    if kind == "info":
        return dict(NO_ANSWER)
    if kind == "multi":
        value = encode_multi(form.question, form.answer.data)
        return {"value": value, "text": None, "special": None} if value else (_special_of(form) or dict(NO_ANSWER))
    if hasattr(form, "answer"):
        data = form.answer.data
        if data and data.startswith(SPECIAL_PREFIX):
            return {"value": None, "text": None, "special": data[len(SPECIAL_PREFIX):]}
        return {"value": data or None, "text": None, "special": None}
    if kind == "number":
        number, _error = parse_number(form.question, form.number.data)
        if number is not None:
            return {"value": str(number), "text": None, "special": None}
        return _special_of(form) or dict(NO_ANSWER)
    text = (form.text.data or "").strip()
    if text:
        return {"value": None, "text": text, "special": None}
    return _special_of(form) or dict(NO_ANSWER)


def note_from_form(form):
    """The follow-up note, or the marker that this question has none (then it is left alone)."""
    return form.note.data if hasattr(form, "note") else None


def form_data_from_answer(answer, question=None) -> dict:
    if answer is None:
        return {}
    note = {"note": answer.note} if getattr(answer, "note", None) else {}
    kind = getattr(question, "kind", None)
    if answer.special and kind in ("multi", "number"):
        return {"special": SPECIAL_PREFIX + answer.special, **note}
    if answer.special:
        return {"answer": SPECIAL_PREFIX + answer.special, "special": SPECIAL_PREFIX + answer.special, **note}
    if kind == "multi":
        return {"answer": decode_multi(answer.value), **note}
    if kind == "number":
        return {"number": answer.value, **note}
    return {"answer": answer.value, "text": answer.text, **note}


class ConfirmFinishForm(FlaskForm):
    """Finish the interview (CSRF only)."""


class DebriefForm(FlaskForm):
    """The interviewer's short debrief, right after the interview. The buttons that leave the
    page ("Nieuw interview beginnen", "Naar mijn interviews") post it too (`then`), so nothing
    ticked or typed is lost on the way out; then the mood may stay empty."""

    mood = RadioField(
        _l("Hoe ging het interview?"), choices=list(DEBRIEF_MOOD_LABELS.items()),
        validators=[Optional()],
    )
    then = StringField(validators=[Optional(), AnyOf(("new", "list"))])
    text = TextAreaField(
        _l("Wilt u nog iets kwijt? (mag leeg blijven)"),
        description=_l("Schrijf geen namen op."),
        validators=[Length(max=2000, message=_l("Maak de tekst korter dan 2000 tekens."))],
    )
    follow_up_needed = BooleanField(
        _l("Er is nazorg nodig. Bijvoorbeeld: de persoon was verdrietig of boos."),
        description=_l("De begeleider ziet dit en neemt contact op."),
    )


    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # "Opslaan" saves the debrief: then say how it went. Leaving keeps what is filled in.
        if not self.mood.data and not self.then.data:
            self.mood.errors = [*self.mood.errors, _l("Kies hoe het interview ging.")]
            return False
        return ok


class FollowUpForm(FlaskForm):
    """The aftercare flag alone: saved the moment it is ticked (htmx), like an answer."""

    follow_up_needed = BooleanField()


STOP_REASON_LABELS = [("wants_to_stop", _l("De persoon wil stoppen.")),
                      ("tired", _l("De persoon is moe.")),
                      ("other", _l("Iets anders."))]


class StopForm(FlaskForm):
    """Stop an interview before the end. The reason may stay empty; what happens to the answers
    the person decides."""

    reason = RadioField(_l("Waarom stopt het interview? (mag leeg blijven)"), choices=STOP_REASON_LABELS,
                        validators=[Optional()])
    keep_answers = RadioField(
        _l("Wat wil de persoon met de antwoorden tot nu toe?"),
        description=_l("Vraag het aan de persoon. Lees de twee keuzes voor."),
        choices=[("keep", _l("Bewaren. De antwoorden tellen mee in het onderzoek.")),
                 ("erase", _l("Wissen. Niemand ziet de antwoorden nog."))],
        validators=[DataRequired(_l("Vraag wat de persoon wil met de antwoorden. Kies dan een van de twee."))],
    )


class CloseLeftOpenForm(FlaskForm):
    """Staff close an interview that was left open. Without the person to ask, staff choose."""

    interview_id = HiddenField(validators=[DataRequired()])
    keep_answers = RadioField(
        _l("Wat gebeurt er met de antwoorden?"),
        choices=[("keep", _l("Bewaren. Ze tellen mee.")), ("erase", _l("Wissen."))],
        default="keep",
        validators=[DataRequired(_l("Kies wat er met de antwoorden gebeurt."))],
    )


class FollowUpDoneForm(FlaskForm):
    """Staff mark the aftercare of one interview as dealt with (or open it again)."""

    interview_id = HiddenField(validators=[DataRequired()])
    action = HiddenField(validators=[AnyOf(("done", "reopen"))])


class WithdrawForm(FlaskForm):
    """Staff withdraw an interview at the respondent's request, in two steps."""

    respondent_code = StringField(
        _l("Code van het interview"),
        description=_l("De persoon heeft deze code gekregen. Bijvoorbeeld: K7M2Q."),
        validators=[DataRequired(_l("Vul de code van het interview in.")),
                    Length(max=16, message=_l("Een code heeft 5 tekens. Controleer de code.")),
                    Regexp(r"^[A-Za-z0-9 -]+$", message=_l("Een code heeft alleen letters en cijfers."))],
    )
    confirm = HiddenField()


class TranscriptForm(FlaskForm):
    """Staff type what the person said in a recording; it becomes the open answer's text and goes
    through the same check before the panel reads it."""
    text = TextAreaField(
        _l("Typ wat de persoon zegt"),
        description=_l("Gebruik de eigen woorden van de persoon. Na het opslaan controleert een begeleider de tekst."),
        validators=[DataRequired(_l("Typ eerst wat de persoon zegt.")),
                    Length(max=MAX_TEXT, message=_l("Maak het antwoord korter dan 10.000 tekens."))],
    )


# The review of a completed interview before pooling (interview/review.py), in form order.
REVIEW_STATE_CHOICES = [("approved", _l("Goedgekeurd. Het interview telt mee.")),
                        ("issue", _l("Klopt iets niet. De interviewer kijkt het na.")),
                        ("excluded", _l("Niet meetellen. De antwoorden tellen niet mee.")),
                        ("none", _l("Nog niet nagekeken."))]
MAX_REVIEW_NOTE = 2000


class ReviewForm(FlaskForm):
    """Staff (or another interviewer) set an interview's review state. `seen` is the last step of
    the history the reviewer saw, so a decision made meanwhile is never overwritten unseen."""

    state = RadioField(_l("Wat vind je van dit interview?"), choices=REVIEW_STATE_CHOICES,
                       validators=[DataRequired(_l("Kies wat je van dit interview vindt."))])
    note = TextAreaField(
        _l("Uitleg"),
        description=_l("Nodig bij 'klopt iets niet' en bij 'niet meetellen'. "
                       "De interviewer leest wat je schrijft. Zet er geen namen in."),
        validators=[Length(max=MAX_REVIEW_NOTE, message=_l("Maak de uitleg korter dan 2000 tekens."))],
    )
    seen = HiddenField(validators=[Regexp(r"^\d{1,12}$")])

    def validate_note(self, field):
        if self.state.data in ("issue", "excluded") and not (field.data or "").strip():
            raise ValidationError(_l("Schrijf wat er niet klopt.") if self.state.data == "issue"
                                  else _l("Schrijf waarom het interview niet meetelt."))


class ReviewReplyForm(FlaskForm):
    """The interviewer answers "klopt iets niet"."""

    reply = TextAreaField(
        _l("Jouw antwoord"),
        description=_l("Schrijf wat je hebt nagekeken of veranderd. Zet er geen namen in."),
        validators=[DataRequired(_l("Schrijf je antwoord.")),
                    Length(max=MAX_REVIEW_NOTE, message=_l("Maak je antwoord korter dan 2000 tekens."))],
    )


def change_answer_form_class(question) -> type:
    """The question's own answer form, with the reason for the change (required)."""

    class _Change(answer_form_class(question, "nl")):
        reason = TextAreaField(
            _l("Waarom verander je dit antwoord?"),
            description=_l("Bijvoorbeeld: ik had per ongeluk het verkeerde antwoord gekozen."),
            validators=[DataRequired(_l("Schrijf waarom je dit antwoord verandert.")),
                        Length(max=MAX_REVIEW_NOTE, message=_l("Maak de reden korter dan 2000 tekens."))],
        )

    return _Change
