"""The B1 checker: plain-language advice for Dutch text
(docs/architecture.md#plain-language-and-translations).

Pure Python, no Flask: the questionnaire builder, the `flask b1-check` command and the tests all
call the same function.

    >>> from peerinterview.plainlanguage import check
    >>> report = check("Indien u vragen heeft, kunt u bellen.")
    >>> report.label, [f.kind for f in report.flags]
    ('gaat wel', ['officialese'])

`check(text, known_words=())` returns a `Report`:
- `score`: the Flesch-Douma reading ease, 206.835 − 0.93 × (words / sentences) − 77 × (syllables /
  words), rounded to 1 decimal and not clamped (a very short text can score above 100). For a
  text without any word (empty, only spaces or punctuation) the score is None, the label
  "makkelijk" and there are no flags: there is nothing to find hard.
- `label`: "makkelijk" from 60, "gaat wel" from 45 to 60, "moeilijk" below 45; a text with a hard
  word (a flag of kind rare_word, hard_word or officialese) is never "makkelijk", only "gaat
  wel" at best: short sentences of short words say nothing to someone who does not know a word
  ("Bel ons indien u vragen heeft" scores 98.6). The cut-offs are
  Douma's own norm table for his formula: 60–70 "normaal" (end of primary school, 7e klas lo) and
  everything easier is "makkelijk"; 45–60 "tamelijk moeilijk" (mulo) is "gaat wel"; 30–45
  "moeilijk" (hbs) and 0–30 "zeer moeilijk" (university) are "moeilijk". Source: W.H. Douma's
  table as reproduced in Onze Taal 1977 (https://dbnl.org/tekst/_taa014197701_01/_taa014197701_01_0089.php);
  the same bands are on nl.wikipedia.org/wiki/Leesbaarheid. Readability formulas only count
  word and sentence length, so the score is a rough guide; the flags are the real advice.
- `flags`: `Flag(kind, text, suggestion, severity, start, end)`, sorted by position. `text` is
  exactly `original[start:end]`; `suggestion` is concrete advice in B1 Dutch. Severity is
  "info", "warning" or "strong". Kinds:
  - long_sentence: more than 12 words ("warning"), more than 15 ("strong"): B1 Dutch asks
    for about 10–12 words and at most 15.
  - long_word: 4 syllables ("info") or 5 and more ("warning"), counted with pyphen's nl_NL
    hyphenation patterns (see words.py). Compounds are counted as the whole word, and the advice
    names their parts. A 4-syllable word is left alone when it is common (Zipf ≥ 4.0, about 10
    per million words: "opgeslagen", "veranderen") or made of two common words ("terugkijken"):
    frequent words are read at a glance. The same holds for 5 syllables ("organiseren"), and a
    compound of everyday words of up to 5 syllables is quiet ("boodschappenlijstje", see
    register.everyday_compound). 6 syllables and more are always advice. Never flagged:
    numbers, words of 1–3 letters, names (a capital in the middle of a sentence, or all
    capitals: GGZ), PeerInterview's own terms (lexicon.DOMAIN_WORDS), a small list of long
    everyday words (lexicon.COMMON_LONG_WORDS: informatie, belangrijk ...) and `known_words`.
    Hyphenated words are checked part by part.
  - rare_word: wordfreq's Zipf frequency for Dutch below 3.0, i.e. less than once in a million
    words. wordfreq counts word forms, so the most common of a few simple inflections counts
    ("vinkjes" → "vinkje", "typt" → "typen"). Same exceptions as long words; also not flagged is
    a compound of common words (each part at least Zipf 3.5: "proefinterview" = "proef" +
    "interview"), nor a word that is a hard_word.
  - hard_word: a word that is uncommon in everyday Dutch AND formal (register.py): a formal word
    of lexicon.FORMAL_WORDS, with its plain alternative in the advice ("constateren → zien of
    merken"); a stiff word of a public government writing guide (RVO, CC0: public_words.py, with a
    plain word: "tijdig → op tijd") while it is below Zipf 4.6; or, without a list, a learned loan
    word (a loan ending whose English or French counterpart is common: "interpelleren",
    "rationalisatie") below Zipf 3.6, an adverb on -halve/-wijze/-zins or hier-/daar-/waar- with
    a preposition, a participle adjective of a rare verb ("toereikend") below 3.9, an abstract
    noun on -ing/-heid/-nis/-schap below 3.5
    made from a word that is itself not everyday ("ontvankelijkheid"; not "tevredenheid":
    tevreden is everyday); and forms only officialese takes, even when made of everyday words:
    "weder-" ("wederzijds"), the nominal style ("besluitvorming", below 4.5) and a verb on -igen
    of no everyday word ("reinigen", below 4.3). Everyday compounds are quiet ("treinkaartje" =
    trein + kaartje). A word this common (Zipf ≥ 4.6) is never hard. bench/b1_checker.py
    measures this on a held-out set of hard and everyday words.
  - officialese: a curated list of ambtelijke words and phrases with their plain replacement
    (lexicon.OFFICIALESE: 82 entries covering about 140 words, phrases and abbreviations:
    indien → als, echter → maar, middels → met, ten behoeve van → voor, m.b.t. → over,
    dient ... te → moet ...). Whole words, case-insensitive, any whitespace (also a line
    break) inside a phrase. A word flagged as officialese is not also flagged as long or rare.
  - passive: a form of "worden" or "zijn" with a past participle in the same clause (ge-…-d/-t/-en,
    be-/ver-/ont-/her-/er- participles, separable ones as in "ingevuld"): "wordt gegeven",
    "werd besproken", "is besloten", "zal worden uitgevoerd". Verbs that form the perfect with
    "zijn" are active ("is gegaan", "ben vergeten") and adjectives are no participles ("is
    bekend", "is verplicht"). A heuristic: "info" only.
- `words`, `sentences`, `syllables`: the counts behind the score.

Tokenisation (tokens.py): Dutch apostrophes ('s avonds, zo'n, auto's), abbreviations (bijv., o.a.,
d.w.z., t/m and initials do not end a sentence), numbers, question marks and line breaks (every
line break ends a sentence: titles and list items have no full stop).

Speed: the pyphen dictionary and the wordfreq lists (Dutch; English and French for the loan-word
test) load once; syllables, frequencies and participle checks are memoised. Call `warm_up()` at
start-up to load them before the first keystroke; bench/b1_checker.py times a text cold and warm
(bench/README.md#the-b1-checker).

It is advice, never a gate: nothing in the app refuses a text because of this report.
"""
from .checker import (
    GAAT_WEL_FROM,
    KINDS,
    LABELS,
    LONG_WORD_SYLLABLES,
    MAKKELIJK_FROM,
    RARE_ZIPF,
    SENTENCE_STRONG_OVER,
    SENTENCE_WARNING_OVER,
    SEVERITIES,
    Flag,
    Report,
    check,
    flesch_douma,
    label_for,
)
from .words import warm_up

__all__ = [
    "GAAT_WEL_FROM", "KINDS", "LABELS", "LONG_WORD_SYLLABLES", "MAKKELIJK_FROM", "RARE_ZIPF",
    "SENTENCE_STRONG_OVER", "SENTENCE_WARNING_OVER", "SEVERITIES", "Flag", "Report", "check",
    "flesch_douma", "label_for", "warm_up",
]
