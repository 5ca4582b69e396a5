from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..models.process import MARKS


class AppreciationForm(FlaskForm):
    mark = RadioField(_l("Welk cijfer geef je het meedoen? (1 tot 10)"),
                      description=_l("1 is heel slecht. 10 is heel goed."),
                      choices=[(str(m), str(m)) for m in MARKS],
                      validators=[InputRequired(message=_l("Kies een cijfer van 1 tot 10."))])
    valued = TextAreaField(_l("Wat vond je goed? (één zin)"),
                           description=_l("Dit mag je leeg laten."),
                           validators=[Optional(), Length(max=300, message=_l("Schrijf niet meer dan 300 tekens."))])


class DismissForm(FlaskForm):
    pass


class RoundForm(FlaskForm):
    switch_on = HiddenField(validators=[InputRequired()])  # "ja" or "nee"
