"""Words for the history and the proposals (UI text, translated at request time)."""
from flask_babel import lazy_gettext as _l

# What happened to a question (QuestionChange.action).
ACTION_LABELS = {
    "created": _l("Vraag gemaakt"),
    "changed": _l("Vraag aangepast"),
    "moved": _l("Vraag verplaatst"),
    "duplicated": _l("Gemaakt als kopie"),
    "deleted": _l("Vraag verwijderd"),
    "restored": _l("Vraag teruggezet"),
    "adopted": _l("Voorstel overgenomen"),
}

# What changed (QuestionChange.details[].what).
FIELD_LABELS = {
    "text": _l("De vraag"),
    "help_text": _l("Hulp voor de interviewer"),
    "kind": _l("Soort vraag"),
    "required": _l("Antwoord verplicht"),
    "follow_up": _l("Ruimte voor uitleg"),
    "allow_spoken": _l("Antwoord inspreken"),
    "allow_dont_know": _l("Weet ik niet"),
    "allow_refuse": _l("Wil ik niet zeggen"),
    "section_title": _l("Titel van het deel"),
    "min_value": _l("Laagste getal"),
    "max_value": _l("Hoogste getal"),
    "translations": _l("Vertaling"),
    "picture": _l("Plaatje bij de vraag"),
    "choices": _l("Antwoorden"),
    "choice_translations": _l("Vertaling van de antwoorden"),
    "word_explanations": _l("Uitleg bij moeilijke woorden"),
    "position": _l("Plek in de lijst"),
    "condition_added": _l("Voorwaarde erbij"),
    "condition_removed": _l("Voorwaarde weg"),
    "condition_changed": _l("Voorwaarde veranderd"),
    "copied_from": _l("Kopie van"),
}

STATUS_LABELS = {
    "open": _l("Open"),
    "adopted": _l("Overgenomen"),
    "rejected": _l("Afgewezen"),
}
