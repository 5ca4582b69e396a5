from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

TEXT_LIMIT = 20000


class ReportTextsForm(FlaskForm):
    title = StringField(_l("Titel van het rapport"), validators=[Length(max=200, message=_l("Maak de titel korter. Hij mag 200 tekens lang zijn."))],
                        description=_l("Leeg: dan gebruiken we de naam van het onderzoek."))
    question = TextAreaField(_l("De vraag van het onderzoek"), validators=[Length(max=TEXT_LIMIT)],
                             description=_l("Leeg: dan gebruiken we de vraag die bij het onderzoek staat."))
    summary = TextAreaField(_l("Samenvatting"), validators=[Length(max=TEXT_LIMIT)],
                            description=_l("De belangrijkste uitkomsten in een paar zinnen. Een witregel begint een nieuwe alinea."))
    method_notes = TextAreaField(_l("Meer over hoe we het deden"), validators=[Length(max=TEXT_LIMIT)],
                                 description=_l("Bijvoorbeeld: wie de interviewers waren en welke training ze kregen."))
    respondent_summary = TextAreaField(_l("Tekst voor de mensen die meededen"), validators=[Length(max=TEXT_LIMIT)],
                                       description=_l("Staat bovenaan 'Dit hebben we gehoord'. Schrijf kort: het moet op één pagina passen."))
    easy_read = TextAreaField(_l("Makkelijk lezen"), validators=[Length(max=TEXT_LIMIT)],
                              description=_l("Voor mensen die niet zo goed lezen. Zet één idee op elke regel. "
                                             "Gebruik zinnen van 10 woorden of minder. Kies korte, gewone woorden. "
                                             "Een lege regel geeft witruimte."))
    # Set by htmx while someone types: only the advice for this field comes back, nothing is saved.
    advice_for = HiddenField()
    # The texts as this page showed them (report.services.report_fingerprint): a save then writes
    # only what was changed here, and stops when someone else changed the same text meanwhile.
    seen = HiddenField()
    check = SubmitField(_l("Controleer de taal"))
    save = SubmitField(_l("Opslaan"))
