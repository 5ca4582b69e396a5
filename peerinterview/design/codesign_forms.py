"""Forms of co-design: proposals, comments, votes and decisions."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from .forms import QUESTION_KIND_LABELS, choice_lines

PROPOSAL_KIND_LABELS = [
    ("new", _l("Een nieuwe vraag")),
    ("rewording", _l("Andere woorden voor een vraag die er al is")),
]


class ProposalForm(FlaskForm):
    kind = RadioField(_l("Wat stelt u voor?"), choices=PROPOSAL_KIND_LABELS, default="new",
                      validators=[DataRequired(_l("Kies wat u voorstelt."))])
    question_key = SelectField(
        _l("Welke vraag wilt u anders zeggen?"),
        description=_l("Alleen bij andere woorden."), validate_choice=False,
    )
    question_kind = RadioField(_l("Soort vraag"), choices=QUESTION_KIND_LABELS, default="single",
                               description=_l("Alleen bij een nieuwe vraag."), validate_choice=False)
    text = TextAreaField(
        _l("Uw voorstel voor de vraag"),
        description=_l("Schrijf kort en duidelijk. Stel één ding per vraag."),
        validators=[DataRequired(_l("Schrijf de vraag op.")), Length(max=500, message=_l("Gebruik hoogstens 500 tekens."))],
    )
    choices = TextAreaField(
        _l("Antwoorden om uit te kiezen"),
        description=_l("Alleen bij een lijst. Zet elk antwoord op een eigen regel."),
    )
    explanation = TextAreaField(
        _l("Waarom stelt u dit voor? (mag leeg blijven)"),
        validators=[Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))],
    )
    check = SubmitField(_l("Controleer de tekst"))

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.question_key.choices = [("", _l("Kies een vraag"))] + [
            (q.key, f"{q.position}. {q.text}") for q in questions
        ]
        self._keys = {q.key for q in questions}

    def validate_question_key(self, field):
        if self.kind.data == "rewording" and field.data not in self._keys:
            raise ValidationError(_l("Kies de vraag die u anders wilt zeggen."))

    def validate_question_kind(self, field):
        if self.kind.data == "new" and field.data not in dict(QUESTION_KIND_LABELS):
            raise ValidationError(_l("Kies de soort vraag."))

    def validate_choices(self, field):
        if self.kind.data != "new" or self.question_kind.data not in ("single", "multi"):
            return
        lines = choice_lines(field.data)
        if len(lines) < 2:
            raise ValidationError(_l("Zet minstens 2 antwoorden in de lijst, elk op een eigen regel."))
        if len({line.casefold() for line in lines}) != len(lines):
            raise ValidationError(_l("Elk antwoord mag maar één keer in de lijst staan."))
        if any(len(line) > 300 for line in lines):
            raise ValidationError(_l("Maak elk antwoord korter dan 300 tekens."))


class CommentForm(FlaskForm):
    comment = TextAreaField(
        _l("Uw reactie"),
        validators=[DataRequired(_l("Schrijf eerst uw reactie.")), Length(max=2000, message=_l("Gebruik hoogstens 2000 tekens."))],
    )


class VoteForm(FlaskForm):
    vote = StringField(validators=[DataRequired(_l("Kies voor of tegen."))])

    def validate_vote(self, field):
        if field.data not in ("for", "against"):
            raise ValidationError(_l("Kies voor of tegen."))


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom wijst u dit voorstel af?"),
        description=_l("De anderen zien deze reden bij het voorstel."),
        validators=[DataRequired(_l("Schrijf op waarom u het afwijst.")), Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))],
    )
