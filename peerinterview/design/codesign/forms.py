"""Forms of co-design: proposals, comments, votes and decisions."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..builder.forms import QUESTION_KIND_LABELS, checked_choice_lines, choices_field, question_text_field

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
    text = question_text_field(_l("Uw voorstel voor de vraag"), _l("Schrijf de vraag op."))
    choices = choices_field()
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
        checked_choice_lines(field.data)


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
