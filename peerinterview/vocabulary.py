"""Words more than one feature shows: each label is defined once here, so two pages never
drift apart ("Heel belangrijk" on one, "heel belangrijk" on the other, a language missing from
one list).

Only words for the stored codes live here (an answer's `special`, an interview's `debrief_mood`,
a vote's priority, ...). Labels that one feature alone shows stay in that feature's forms.py.
The values are lazy strings (`_l`): they are translated when a page shows them, in that page's
language. Never put a user's value into one of them. This module imports nothing of the app
and no database (only Flask-Babel), so any module can use it without an import cycle.
"""
from flask_babel import lazy_gettext as _l

# --- languages ---------------------------------------------------------------------------------

# The languages the app itself speaks (its screens and messages). The first is the source
# language: what the code is written in and what is shown when nothing else fits.
UI_LANGUAGES = ("nl", "en")
SOURCE_LANGUAGE = UI_LANGUAGES[0]

# Each language in its own name: someone looking for their language finds it whatever language
# the page is in now. For the language switch and the interview's language.
LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English")]

# Languages a questionnaire can be translated into, named in the reader's language ("Engels" on
# a Dutch page). Languages not in this list are shown by their code.
LANGUAGE_NAMES = {"nl": _l("Nederlands"), "en": _l("Engels")}

# English names, as XLSForm files (KoboToolbox, ODK) write them in their columns: "label::Dutch (nl)".
# A file format's convention, not UI text: never translated.
ENGLISH_LANGUAGE_NAMES = {
    "nl": "Dutch", "en": "English", "de": "German", "fr": "French", "es": "Spanish", "ar": "Arabic",
    "tr": "Turkish", "pl": "Polish", "pt": "Portuguese", "uk": "Ukrainian", "so": "Somali", "ti": "Tigrinya",
    "fy": "Frisian", "pap": "Papiamento",
}

# --- the interview -----------------------------------------------------------------------------

# The two answers every question may allow besides its own (Answer.special).
SPECIAL_LABELS = {"dont_know": _l("Weet ik niet"), "refuse": _l("Wil ik niet zeggen")}

# The interviewer's debrief: how did the interview go (Interview.debrief_mood), in the order the
# form offers them.
DEBRIEF_MOOD_LABELS = {"good": _l("Goed"), "mixed": _l("Wisselend"), "hard": _l("Moeilijk")}

# The review of a completed interview before pooling (Interview.review_state).
REVIEW_STATE_LABELS = {"none": _l("Nog niet nagekeken"), "approved": _l("Goedgekeurd"),
                       "issue": _l("Klopt iets niet"), "excluded": _l("Niet meetellen")}
# Which interviews count in the results (Project.count_rule), in the order the form offers them.
COUNT_RULE_LABELS = {"not_excluded": _l("Alle interviews, behalve 'niet meetellen'"),
                     "approved_only": _l("Alleen goedgekeurde interviews")}

# --- the panel ---------------------------------------------------------------------------------

# The four questions the panel answers about each theme (models/panel.py DIALOGUE_QUESTIONS).
DIALOGUE_LABELS = {
    "recognise": _l("Herkennen we dit?"),
    "explain": _l("Kunnen we het verklaren?"),
    "opinion": _l("Wat vinden we ervan?"),
    "action": _l("Moet er iets gebeuren?"),
}

# How important a recommendation is (RecommendationVote.priority), written as in the middle of a
# sentence: "(heel belangrijk)" in the report. Where a label starts a line or a button, the page
# gives it a capital (the `capitalize` filter, or str.capitalize() in a view), so the words stay
# one definition in both places.
PRIORITY_LABELS = {3: _l("heel belangrijk"), 2: _l("belangrijk"), 1: _l("minder belangrijk")}
# The same place in the report, for a recommendation nobody voted on yet.
NO_VOTES_LABEL = _l("nog geen stemmen")

# --- after the panel: the municipality's answer and the agreements -----------------------------

# The municipality's answer to a recommendation (models/followup.py VERDICTS), in their voice.
VERDICT_LABELS = {
    "accepted": _l("Ja, dat gaan we doen"),
    "partly": _l("Voor een deel"),
    "declined": _l("Nee"),
    "thinking": _l("We denken er nog over"),
}
# Where an agreement stands (models/followup.py AGREEMENT_STATUSES).
AGREEMENT_STATUS_LABELS = {
    "not_started": _l("Nog niet begonnen"),
    "started": _l("Begonnen"),
    "halfway": _l("Half klaar"),
    "done": _l("Klaar"),
    "stopped": _l("Gestopt"),
}
# "Is het gedaan zoals afgesproken?" (models/followup.py EVALUATION_SCORES): the words of the
# interviews' five-point smiley scale, each shown with its face.
EVALUATION_SCORE_LABELS = {
    1: _l("Heel slecht"),
    2: _l("Slecht"),
    3: _l("Niet goed, niet slecht"),
    4: _l("Goed"),
    5: _l("Heel goed"),
}

# --- plain language (B1) -----------------------------------------------------------------------

# The B1 checker's labels (plainlanguage gives Dutch words, "makkelijk" ...) as UI text.
B1_LABELS = {"makkelijk": _l("makkelijk"), "gaat wel": _l("gaat wel"), "moeilijk": _l("moeilijk")}
# The kinds of advice the checker gives (plainlanguage.KINDS), as UI text.
B1_FLAG_KINDS = {
    "long_sentence": _l("Lange zin"),
    "long_word": _l("Lang woord"),
    "rare_word": _l("Woord dat weinig mensen kennen"),
    "hard_word": _l("Moeilijk woord"),
    "officialese": _l("Moeilijk woord uit brieven"),
    "passive": _l("Zin met wordt of is"),
}
# The kinds of advice of the stricter easy-read check (plainlanguage/a2.py), as UI text.
A2_FLAG_KINDS = {
    "one_idea": _l("Meer dan één idee"),
    "long_sentence": B1_FLAG_KINDS["long_sentence"],
    "hard_word": _l("Moeilijk woord"),
    "officialese": B1_FLAG_KINDS["officialese"],
    "passive": B1_FLAG_KINDS["passive"],
}

# --- themes ------------------------------------------------------------------------------------

# The colours a theme can have (models/panel.py: THEME_COLOURS) by name: a colour is never the
# only sign, its name is written next to it wherever it shows.
THEME_COLOUR_NAMES = {
    "#E69F00": _l("Oranje"), "#56B4E9": _l("Lichtblauw"), "#009E73": _l("Groen"), "#F0E442": _l("Geel"),
    "#0072B2": _l("Blauw"), "#D55E00": _l("Rood"), "#CC79A7": _l("Roze"), "#999999": _l("Grijs"),
}
