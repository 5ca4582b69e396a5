"""Plain words for the logboek: what each action code means, and what kind of thing an entry is
about. The codes stay in the database (they are what the filters and exports use); people read
these words. Every code that `record(...)` writes needs a line here (a test reads the code)."""
from flask_babel import lazy_gettext as _l

EVENT_WORDS = {
    # Logging in and out
    "login": _l("Ingelogd"),
    "login.failed": _l("Inloggen lukte niet"),
    "login.throttled": _l("Te vaak geprobeerd in te loggen"),
    "login.password_ok": _l("Wachtwoord goed, code nog nodig"),
    "login.code_failed": _l("Verkeerde code bij het inloggen"),
    "login.code_throttled": _l("Te vaak een verkeerde code"),
    "login.card_refused": _l("Inlogkaart werkte niet"),
    "logout": _l("Uitgelogd"),
    "logout.timeout": _l("Vanzelf uitgelogd na een tijd zonder gebruik"),
    # Accounts
    "user.create": _l("Account gemaakt"),
    "user.disable": _l("Account uitgezet"),
    "user.enable": _l("Account weer aangezet"),
    "user.password_change": _l("Eigen wachtwoord veranderd"),
    "user.password_reset": _l("Nieuw wachtwoord gegeven"),
    "user.admin_grant": _l("Beheerder gemaakt"),
    "user.admin_revoke": _l("Geen beheerder meer"),
    "two_factor.enrol": _l("Inloggen met code aangezet"),
    "two_factor.recovery_codes": _l("Nieuwe reservecodes gemaakt"),
    "two_factor.reset": _l("Inloggen met code uitgezet door een beheerder"),
    "login_card.card_create": _l("Inlogkaart gemaakt"),
    "login_card.card_revoke": _l("Inlogkaart uitgezet"),
    "membership.set": _l("Rollen in het onderzoek gegeven"),
    "membership.remove": _l("Uit het onderzoek gehaald"),
    # The project
    "project.create": _l("Onderzoek gemaakt"),
    "project.update": _l("Gegevens van het onderzoek veranderd"),
    "project.review_open_answers": _l("Controle van open antwoorden aan- of uitgezet"),
    "project.purge": _l("Antwoorden gewist: de bewaartijd is voorbij"),
    "project.purge_leftovers": _l("Later binnengekomen antwoorden gewist: de bewaartijd is voorbij"),
    "retention.run": _l("Dagelijkse wisronde gedaan"),
    "location.create": _l("Locatie toegevoegd"),
    "location.rename": _l("Locatie heeft een nieuwe naam"),
    "location.archive": _l("Locatie gearchiveerd"),
    "location.restore": _l("Locatie teruggezet"),
    "progress.viewed": _l("Voortgang bekeken"),
    "progress.targets_changed": _l("Doel voor het aantal interviews veranderd"),
    # The questionnaire
    "question.create": _l("Vraag toegevoegd"),
    "question.update": _l("Vraag veranderd"),
    "question.delete": _l("Vraag weggehaald"),
    "question.duplicate": _l("Vraag gekopieerd"),
    "question.restore": _l("Weggehaalde vraag teruggezet"),
    "condition.create": _l("Voorwaarde bij een vraag gemaakt"),
    "condition.delete": _l("Voorwaarde bij een vraag weggehaald"),
    "questionnaire.freeze": _l("Vragenlijst vastgezet"),
    "questionnaire.new_draft": _l("Nieuwe versie van de vragenlijst gemaakt"),
    "questionnaire.export": _l("Vragenlijst gedownload"),
    "questionnaire.import": _l("Vragen uit een bestand gehaald"),
    "proposal.create": _l("Vraag voorgesteld"),
    "proposal.comment": _l("Reactie op een voorstel"),
    "proposal.vote": _l("Gestemd op een voorstel"),
    "proposal.adopt": _l("Voorstel in de vragenlijst gezet"),
    "proposal.reject": _l("Voorstel niet gebruikt"),
    # Interviews
    "interview.start": _l("Interview begonnen"),
    "interview.complete": _l("Interview klaar"),
    "interview.debrief": _l("Terugblik na het interview opgeslagen"),
    "interview.read": _l("Antwoorden van een interview bekeken"),
    "interview.withdraw": _l("Interview ingetrokken: de deelnemer wil niet meer meedoen"),
    "interview.erase": _l("Gegevens van een deelnemer gewist"),
    "interview.late_sync": _l("Antwoorden kwamen later binnen van een tablet"),
    "interview.sync_discarded": _l("Antwoorden van een tablet niet bewaard"),
    "interview.stop": _l("Interview gestopt"),
    "interview.follow_up": _l("Nazorg nodig aangevinkt of uitgezet"),
    "interview.follow_up_done": _l("Nazorg afgehandeld"),
    "interview.follow_up_reopen": _l("Nazorg weer open gezet"),
    # Open answers checked before the panel reads them
    "open_answers.read": _l("Open antwoorden bekeken om te controleren"),
    "answer.release": _l("Open antwoord vrijgegeven voor het panel"),
    "answer.hold": _l("Open antwoord niet vrijgegeven"),
    "answer.redact": _l("Herkenbare details uit een open antwoord gehaald"),
    "answers.release_unflagged": _l("Open antwoorden zonder herkenbare details vrijgegeven"),
    # The panel
    "panel.cards_view": _l("Kaarten met open antwoorden bekeken"),
    "panel.card_add": _l("Kaart bij een thema gelegd"),
    "panel.card_remove": _l("Kaart van een thema gehaald"),
    "panel.theme_create": _l("Thema gemaakt"),
    "panel.theme_rename": _l("Thema heeft een nieuwe naam"),
    "panel.theme_merge": _l("Thema's samengevoegd"),
    "panel.theme_split": _l("Thema in tweeën gedeeld"),
    "panel.theme_delete": _l("Thema weggehaald"),
    "panel.undo": _l("Laatste stap ongedaan gemaakt"),
    "panel.quotes_view": _l("Citaten bekeken"),
    "panel.quote_propose": _l("Citaat voorgesteld"),
    "panel.quote_approve": _l("Citaat goedgekeurd"),
    "panel.quote_reject": _l("Citaat afgewezen"),
    "panel.quote_reopen": _l("Citaat opnieuw open gezet"),
    "panel.finding_save": _l("Antwoord bij een thema opgeslagen"),
    "panel.recommendation_add": _l("Aanbeveling toegevoegd"),
    "panel.recommendation_delete": _l("Aanbeveling weggehaald"),
    "panel.recommendation_restore": _l("Aanbeveling teruggezet"),
    "panel.meeting_open": _l("Bijeenkomst van het panel begonnen"),
    "panel.meeting_close": _l("Bijeenkomst van het panel gesloten"),
    "panel.vote": _l("Gestemd op een aanbeveling"),
    "panel.present": _l("Presentatie geopend"),
    # Report and downloads
    "report.texts_update": _l("Teksten van het rapport veranderd"),
    "report.pdf": _l("Rapport als pdf gedownload"),
    "report.summary_pdf": _l("Samenvatting als pdf gedownload"),
    "export.data": _l("Antwoorden gedownload"),
    "export.codebook": _l("Codeboek gedownload"),
    "export.open_answers": _l("Open antwoorden gedownload"),
    # The logboek itself
    "audit_log.read": _l("Logboek bekeken"),
}

OBJECT_WORDS = {
    "user": _l("Account"),
    "project": _l("Onderzoek"),
    "location": _l("Locatie"),
    "interview": _l("Interview"),
    "interviewfacts": _l("Interview"),
    "answer": _l("Antwoord"),
    "question": _l("Vraag"),
    "questionnaireversion": _l("Versie van de vragenlijst"),
    "questionnaire": _l("Vragenlijst"),
    "condition": _l("Voorwaarde"),
    "proposal": _l("Voorstel"),
    "comment": _l("Reactie"),
    "theme": _l("Thema"),
    "coding": _l("Kaart"),
    "panelaction": _l("Stap op het bord"),
    "quote": _l("Citaat"),
    "finding": _l("Antwoord bij een thema"),
    "recommendation": _l("Aanbeveling"),
    "logincard": _l("Inlogkaart"),
    "twofactor": _l("Inloggen met code"),
    "reporttext": _l("Teksten van het rapport"),
}


def event_words(action: str) -> str:
    """The plain words of an action; an unknown code shows as it is, so nothing is hidden."""
    words = EVENT_WORDS.get(action)
    return str(words) if words is not None else action


def object_words(object_type: str) -> str:
    words = OBJECT_WORDS.get(object_type)
    return str(words) if words is not None else object_type
