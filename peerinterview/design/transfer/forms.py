"""Forms of the transfer page: read a file, copy another project's list, start from a starter."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectField
from wtforms.validators import AnyOf

from .document import MAX_FILE_BYTES
from .services import MODES, STARTERS

MODE_CHOICES = [
    ("append", _l("Zet de nieuwe vragen achter de vragen die er al zijn")),
    ("replace", _l("Haal de vragen die er nu staan weg. Zet de nieuwe ervoor in de plaats")),
]
MODE_LABEL = _l("Wat doen we met de vragen die er al staan?")


def _mode_field():
    return RadioField(MODE_LABEL, choices=MODE_CHOICES, default="append", validate_choice=False,
                      validators=[AnyOf(MODES, message=_l("Kies wat we doen met de vragen die er al staan."))],
                      description=_l("Een vastgezette versie verandert nooit. Het gaat alleen om de versie "
                                     "die u nog kunt aanpassen."))


class ImportForm(FlaskForm):
    file = FileField(
        _l("Bestand"),
        description=_l("Een .json-bestand uit PeerInterview, of een XLSForm (.xlsx) uit KoboToolbox of ODK. "
                       "Het mag hoogstens %(size)s kB zijn.", size=MAX_FILE_BYTES // 1024),
        validators=[FileRequired(_l("Kies een bestand."))],
    )
    import_mode = _mode_field()


class CopyForm(FlaskForm):
    source = SelectField(_l("Welke vragenlijst?"), coerce=int, validate_choice=False)
    copy_mode = _mode_field()


class StarterForm(FlaskForm):
    starter = RadioField(_l("Welke voorbeeldlijst?"), validate_choice=False,
                         choices=[(name, title) for name, (title, _about) in STARTERS.items()],
                         validators=[AnyOf(list(STARTERS), message=_l("Kies een voorbeeldlijst."))])
    starter_mode = _mode_field()


class XlsformConfirmForm(FlaskForm):
    """The preview's form: the signed form (pending.py), the language of its texts, and what to
    do with the questions already there. "Andere taal" shows the preview again; "Overnemen" saves."""
    token = HiddenField()
    language = RadioField(_l("In welke taal zijn de teksten van dit formulier?"), validate_choice=False)
    import_mode = _mode_field()
