"""Hard words: uncommon in everyday Dutch AND formal (graded vocabulary).

A word is hard when a B1 editor would replace it by a short everyday word. Two signals decide,
and a word needs both:

1. How common it is in everyday Dutch: wordfreq's Zipf frequency for Dutch (subtitles, chat,
   web and news; see words.py), of the word or its most common simple inflection.
2. Its register: the word is formal or has a plainer alternative. Known from
   - lexicon.FORMAL_WORDS: formal words with their plain alternative (suggested in the advice);
   - public_words.PUBLIC_WORDS: stiff words of a public government writing guide (RVO, CC0), with
     a plain word, only while the word is less common than everyday words;
   - its form: a learned loan word (a Dutch ending such as -atie, -iteit, -ief, -eel, -eren whose
     English or French counterpart is a common word: "interpelleren" ~ "interpeller",
     "rationalisatie" ~ "rationalisation"); an adverb on -halve, -wijze, -zins or hier-/daar-/
     waar- with a preposition ("daaromtrent"); an adjective made from the present participle of
     a rare verb ("toereikend", not "lachend"); an abstract noun on -ing, -heid, -nis, -schap,
     unless it is made from an everyday word ("bezorging" of bezorgen, "tevredenheid" of
     tevreden: the noun reads as easily as the word it is made of);
   - a form only officialese takes ("wederom", the nominal style of "doelstelling" and
     "besluitvorming", a verb on -igen of no everyday word: "wijzigen"), see _officialese_form.

Each form has its own limit of "uncommon" (the constants below): a loan word below Zipf 3.6, a
formal adverb or participle below 3.9, an abstract noun below 3.5; any other word only when it is
rare (below 3.0, the rare-word rule of checker.py). Higher limits caught more of the hard words of
bench/b1_checker_set/ but also a third of the everyday loan words ("fabriek", "praktisch") and
of everyday participles, -ig adjectives and ver-/be- verbs ("lachend", "slordig", "verstoppen"):
most formal Dutch words look like everyday ones in form and frequency, and only a list knows
them (bench/README.md#the-b1-checker). Limits were tried again on the "tune" half of that set
and kept where they are: a higher loan-word limit caught 4 more hard words there and 8 more
everyday words; higher limits for abstract nouns and formal endings caught one hard word each.

Everyday compounds stay quiet: a word made of common words ("treinkaartje" = trein + kaartje,
"wasmachine" = was + machine) is as easy as its parts, unless its last part is itself hard. A
word this common (Zipf ≥ EVERYDAY_ZIPF) is never hard.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

from . import lexicon
from .public_words import PUBLIC_WORDS
from .words import compound_parts, zipf

EVERYDAY_ZIPF = 4.6  # about 40 per million words: everyday whatever its form
LOAN_UNCOMMON_ZIPF = 3.6  # a learned loan word less common than this is formal
NATIVE_UNCOMMON_ZIPF = 3.9  # a formal adverb or participle less common than this is hard
ABSTRACT_UNCOMMON_ZIPF = 3.5  # an abstract noun (-ing, -heid) only when less common than this
ABSTRACT_BASE_ZIPF = 4.2  # ... and when the word it is made from is less common than this
PARTICIPLE_VERB_ZIPF = 3.0  # the verb of a participle adjective is rare below this
COGNATE_ZIPF = 3.0  # the English or French counterpart must be a real, common word
COMPOUND_PART_ZIPF = 3.2  # each part of an everyday compound at least this common

# Dutch ending of a learned loan word -> the endings of its English and French counterparts.
_LOAN_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("iseren", ("ize", "ise", "iser")), ("ificeren", ("ify", "ifier")), ("eren", ("er", "ate")),
    ("aties", ("ations",)), ("atie", ("ation",)), ("itie", ("ition",)), ("entie", ("ence", "ency", "ention")),
    ("antie", ("ance", "ancy")), ("tie", ("tion",)), ("sie", ("sion",)), ("iteit", ("ity", "ité")),
    ("teit", ("ty", "té")), ("ieve", ("ive", "ive")), ("ief", ("ive", "if")), ("ueel", ("ual", "uel")),
    ("uele", ("ual", "uelle")), ("eel", ("al", "el")), ("ele", ("al", "elle")), ("aal", ("al",)),
    ("ale", ("al",)), ("ieke", ("ic", "ique")), ("iek", ("ic", "ique")), ("ische", ("ic", "ical", "ique")),
    ("isch", ("ic", "ical", "ique")), ("aat", ("ate", "at")), ("aire", ("ary", "aire")), ("air", ("ary", "aire")),
    ("ium", ("ium", "ion")), ("ose", ("osis", "ose")), ("ent", ("ent",)), ("ant", ("ant", "ent")),
    ("ure", ("ure",)), ("ise", ("ise",)), ("iere", ("ar", "ier")), ("ie", ("y", "ie")),
)
_ABSTRACT = ("ingen", "ing", "heden", "heid", "nissen", "nis", "schappen", "schap")
# Abstract ending -> what is added to the stem to get the word the noun is made from.
_ABSTRACT_BASES = (("ingen", ("en",)), ("ing", ("en",)), ("heden", ("",)), ("heid", ("",)),
                   ("nissen", ("en",)), ("nis", ("en",)), ("schappen", ("",)), ("schap", ("",)))
_PRONOMINAL = re.compile(r"^(hier|daar|waar)(omtrent|toe|aan|uit|op|mee|door|opvolgend|na|voor|in|bij|van)")
_ADVERBS = ("halve", "wijze", "zins", "gewijs")
# No compound of everyday words: one that starts with an adverb, a function word or a prefix
# ("als-nog", "wel-haast", "ont-beren" is no bear), or ends in an ending rather than a word
# ("toer-eik-end", "der-den", "vereis-ten"). A preposition in front is fine ("over-buurman").
_NO_HEAD = frozenset({
    "als", "wel", "nog", "zo", "al", "te", "ten", "ter", "er", "hier", "daar", "waar", "geen",
    "weder", "ver", "ont", "her", "vast", "mis",
})
_NO_TAIL = frozenset({"end", "ende", "eren", "ren", "tie", "ties", "den", "ten", "sie", "en"})
SHORT_PART_ZIPF = 3.7  # a part of three letters must be this common: "was-machine", not "res-sorteren"

# Forms of officialese that everyday words do not take, each below its own limit:
# - "weder-", the old form of "weer" ("wederom", "wederzijds", "wederhoor");
# - the nominal style: a noun made of a noun and a verb made into a noun ("doel-stelling",
#   "besluit-vorming", "regel-geving", "hulp-verlening"), where plain Dutch uses the verb ("wat we
#   willen", "we besluiten"). Not after a particle: "voorstelling" and "aanstelling" are verbs with
#   a particle, made into nouns like "wandeling";
# - a verb on -igen without a prefix whose stem is no everyday word ("wijzigen", "reinigen",
#   "vestigen"; not "eindigen" of "eind", nor "beschadigen" or "verdedigen").
WEDER_UNCOMMON_ZIPF = EVERYDAY_ZIPF
NOMINAL_UNCOMMON_ZIPF = 4.5
IGEN_UNCOMMON_ZIPF = 4.3
_NOMINAL_HEADS = ("stellingen", "stelling", "vormingen", "vorming", "gevingen", "geving", "verleningen",
                  "verlening", "nemingen", "neming", "voeringen", "voering")
_PARTICLES = frozenset({
    "aan", "af", "bij", "door", "in", "mee", "na", "om", "onder", "op", "over", "tegen", "tentoon", "toe",
    "uit", "voor", "achter", "terug", "weg", "samen", "vast", "vrij", "open", "be", "ver", "ont", "her", "ge",
})
_IGEN = ("igen", "igt", "igde", "igden", "igd")
_VERB_PREFIXES = ("be", "ver", "ont", "ge", "her", "er")
NOMINAL_PART_ZIPF = 3.5  # the noun in front of a nominal head is a real word: "doel", "besluit"
IGEN_STEM_ZIPF = 4.5  # a verb on -igen of an everyday word is everyday: "eindigen" of "eind"


def _plain_letters(word: str) -> str:
    """'efficiënt' -> 'efficient': Dutch marks a diaeresis where English and French do not."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def _foreign(word: str, language: str) -> float:
    """Zipf frequency in English or French from wordfreq's small lists: they hold the words of
    at least once in a million (Zipf 3.0 = COGNATE_ZIPF, the only ones that count here) and take
    about 7 MB in a process, where the large lists take about 65 MB."""
    return zipf_frequency(word, language, wordlist="small")


@lru_cache(maxsize=16384)
def is_loan(lower: str) -> bool:
    """A learned loan word: a loan ending whose English or French counterpart is common."""
    plain = _plain_letters(lower)
    for ending, foreign in _LOAN_ENDINGS:
        if not plain.endswith(ending) or len(plain) - len(ending) < 3:
            continue
        stem = plain[: -len(ending)]
        stems = {stem, stem.replace("k", "c"), stem[:-1] if stem.endswith(("e", "t")) else stem}
        for s in stems:
            for tail in foreign:
                if max(_foreign(s + tail, "en"), _foreign(s + tail, "fr")) >= COGNATE_ZIPF:
                    return True
        return False
    return False


def _formal_ending(lower: str) -> bool:
    """Endings that make a word formal whatever it is made of: zienswijze, ambtshalve,
    daaropvolgend, geenszins; and an adjective made from the present participle of a verb that
    is itself uncommon: aanvullend, toereikend, voorafgaand (but not lachend, wandelend)."""
    if lower.endswith(_ADVERBS) or _PRONOMINAL.match(lower):
        return True
    for ending, verb_ending in (("aande", "aan"), ("aand", "aan"), ("ende", "en"), ("end", "en")):
        if lower.endswith(ending) and len(lower) > 6:
            return zipf(lower[: -len(ending)] + verb_ending) < PARTICIPLE_VERB_ZIPF
    return False


def _officialese_form(lower: str, frequency: float) -> bool:
    """A form only officialese takes (see _NOMINAL_HEADS): it is hard even when made of everyday
    words, so it is tested before the everyday-compound rule."""
    if lower.startswith("weder") and len(lower) > 6:
        return frequency < WEDER_UNCOMMON_ZIPF
    if frequency < NOMINAL_UNCOMMON_ZIPF and lower.endswith(_NOMINAL_HEADS):
        head = next(h for h in _NOMINAL_HEADS if lower.endswith(h))
        front = lower[: -len(head)]
        fronts = (front, front[:-1]) if front.endswith("s") else (front,)  # "meningsvorming"
        return len(front) >= 3 and front not in _PARTICLES and max(map(zipf, fronts)) >= NOMINAL_PART_ZIPF
    if frequency < IGEN_UNCOMMON_ZIPF and lower.endswith(_IGEN) and not lower.startswith(_VERB_PREFIXES):
        stem = lower[: lower.rindex("ig")]
        return len(stem) >= 3 and zipf(stem) < IGEN_STEM_ZIPF
    return False


def _native_formal(lower: str, frequency: float) -> bool:
    """A formal form of a Dutch word, at its own limit of "uncommon". Most native formal words
    look like everyday ones ("voorziening", "verwarming"): those need lexicon.FORMAL_WORDS."""
    if _formal_ending(lower):
        return frequency < NATIVE_UNCOMMON_ZIPF
    if not lower.endswith(_ABSTRACT) or frequency >= ABSTRACT_UNCOMMON_ZIPF:
        return False
    return _abstract_base_zipf(lower) < ABSTRACT_BASE_ZIPF


def _abstract_base_zipf(lower: str) -> float:
    """How common the word is that an abstract noun is made from: the verb of "bezorging"
    (bezorgen), the adjective of "gierigheid" (gierig). A noun made from an everyday word reads
    as easily as that word, however rare the noun itself is."""
    for ending, bases in _ABSTRACT_BASES:
        if lower.endswith(ending):
            stem = lower[: -len(ending)]
            return max(zipf(stem + base) for base in bases)
    return 0.0


@lru_cache(maxsize=16384)
def everyday_compound(lower: str) -> bool:
    """Made of everyday words ("treinkaartje" = trein + kaartje), the last of them not hard."""
    parts = compound_parts(lower, COMPOUND_PART_ZIPF)
    if not parts or parts[0] in _NO_HEAD or parts[-1] in _NO_TAIL or _formal_ending(lower):
        return False
    if any(len(p) == 3 and zipf(p) < SHORT_PART_ZIPF for p in parts):
        return False
    last = parts[-1]
    return not (is_loan(last) and zipf(last) < LOAN_UNCOMMON_ZIPF) and last not in lexicon.FORMAL_WORDS


def _lemmas(lower: str) -> list[str]:
    """The word and the forms a formal word may be listed under: "constateert" -> "constateren"."""
    forms = [lower]
    for ending in ("en", "e", "s", "t", "d", "n"):
        if lower.endswith(ending) and len(lower) - len(ending) >= 4:
            stem = lower[: -len(ending)]
            forms += [stem, stem + "en"]
            if len(stem) > 2 and stem[-2] == stem[-3] and stem[-2] in "aeou":
                forms.append(stem[:-2] + stem[-1] + "en")  # constateer -> constateren
    return forms


@lru_cache(maxsize=16384)
def plain_alternative(lower: str, frequency: float) -> tuple[str, ...] | None:
    """The plain words for a formal word of lexicon.FORMAL_WORDS, in any simple form; or for a
    word of the public list in public_words.py while it is less common than everyday words (that
    list names words for their style, and a word this common is read at a glance)."""
    for form in _lemmas(lower):
        if form in lexicon.FORMAL_WORDS:
            return lexicon.FORMAL_WORDS[form]
    if frequency >= EVERYDAY_ZIPF:
        return None
    for form in _lemmas(lower):
        if form in PUBLIC_WORDS:
            return PUBLIC_WORDS[form]
    return None


def in_public_list(lower: str) -> bool:
    """Whether the word, in any simple form, is on the public list of public_words.py."""
    return any(form in PUBLIC_WORDS for form in _lemmas(lower))


@lru_cache(maxsize=16384)
def is_hard(lower: str, frequency: float) -> bool:
    """Uncommon in everyday Dutch and formal by its form (see the module docstring)."""
    if frequency >= EVERYDAY_ZIPF:
        return False
    if frequency < LOAN_UNCOMMON_ZIPF and is_loan(lower):
        return True  # a loan word is no Dutch compound: "pre-ven-tie"
    if _officialese_form(lower, frequency):
        return True
    return _native_formal(lower, frequency) and not everyday_compound(lower)
