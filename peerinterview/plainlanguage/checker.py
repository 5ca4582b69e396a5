"""check(text) -> Report: the B1 checker. See the package docstring for the rules and sources."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Iterable

from . import lexicon, register
from .tokens import ABBREVIATIONS, Sentence, Token, normalise, split_sentences, tokenize
from .words import compound_parts, hyphenated, syllables, zipf

def N_(message: str) -> str:
    """Marks a message for the translation catalogue without translating it (no Flask here):
    the app shows the advice in the reader's language, see Flag.message."""
    return message


# --- Thresholds (documented in the package docstring) -------------------------------------------
MAKKELIJK_FROM = 60.0  # Douma: 60-70 "normaal" and higher
GAAT_WEL_FROM = 45.0  # Douma: 45-60 "tamelijk moeilijk"; below 45 "moeilijk", "zeer moeilijk"
SENTENCE_WARNING_OVER = 12  # B1: about 10-12 words a sentence ...
SENTENCE_STRONG_OVER = 15  # ... at most 15
LONG_WORD_SYLLABLES = 4  # 4 syllables: "info"; 5 or more: "warning"
COMMON_ZIPF = 4.0  # a 4-syllable word this common (10 per million words) is not flagged
RARE_ZIPF = 3.0  # less than once in a million Dutch words (wordfreq)
COMPOUND_PART_ZIPF = 3.5  # each part of a compound must be at least this common
EVERYDAY_COMPOUND_SYLLABLES = 5  # a compound of everyday words this long is not a long word
MIN_CHECKED_LENGTH = 4  # words of 1-3 letters are never rare or long

KINDS = ("long_sentence", "long_word", "rare_word", "hard_word", "officialese", "passive")
# Advice that a word is hard to understand: a text with any of it is not "makkelijk".
HARD_KINDS = ("rare_word", "hard_word", "officialese")
SEVERITIES = ("info", "warning", "strong")
LABELS = ("makkelijk", "gaat wel", "moeilijk")


@dataclass(frozen=True, slots=True)
class Flag:
    kind: str
    text: str  # the exact words: text[start:end] of the checked text
    suggestion: str  # concrete B1 advice, in Dutch
    severity: str  # info | warning | strong
    start: int
    end: int
    # The advice as a catalogue message (Dutch msgid with %(name)s placeholders) and its values,
    # so the app can show it in the reader's language; `suggestion` is this message filled in.
    # A tuple value is a list of alternatives ("'als' of 'wanneer'").
    message: str = ""
    params: tuple = ()


def _flag(kind: str, text: str, message: str, severity: str, start: int, end: int, **params) -> Flag:
    values = {k: " of ".join(v) if isinstance(v, tuple) else v for k, v in params.items()}
    return Flag(kind, text, message % values, severity, start, end, message, tuple(params.items()))


@dataclass(slots=True)
class Report:
    score: float | None  # Flesch-Douma; None for a text without words
    label: str  # makkelijk | gaat wel | moeilijk
    flags: list[Flag] = field(default_factory=list)
    words: int = 0
    sentences: int = 0
    syllables: int = 0

    def to_dict(self) -> dict:
        return {
            "score": self.score,
            "label": self.label,
            "flags": [{k: v for k, v in asdict(f).items() if k not in ("message", "params")} for f in self.flags],
            "words": self.words,
            "sentences": self.sentences,
            "syllables": self.syllables,
        }


def label_for(score: float | None) -> str:
    if score is None or score >= MAKKELIJK_FROM:
        return "makkelijk"
    if score >= GAAT_WEL_FROM:
        return "gaat wel"
    return "moeilijk"


def flesch_douma(words: int, sentences: int, syllable_count: int) -> float:
    return 206.835 - 0.93 * (words / sentences) - 77 * (syllable_count / words)


def check(text: str, *, known_words: Iterable[str] = ()) -> Report:
    """Check Dutch text for B1. Advice only: never raises on odd input, never blocks anything.

    known_words: words of this project that are never flagged as rare or long (names of places,
    the organisation, words the group agreed on). Case-insensitive.
    """
    text = text or ""
    norm = normalise(text)
    tokens = tokenize(norm)
    if not tokens:
        return Report(score=None, label="makkelijk")
    sentences = split_sentences(norm, tokens)
    known = {w.lower() for w in known_words}

    syllable_count = sum(_token_syllables(t) for t in tokens)
    score = round(flesch_douma(len(tokens), len(sentences), syllable_count), 1)

    flags: list[Flag] = []
    official = _officialese(text, norm, sentences)
    flags.extend(official)
    covered = [(f.start, f.end) for f in official]
    for sentence in sentences:
        flags.extend(_long_sentence(text, sentence))
        flags.extend(_word_flags(text, sentence, known, covered))
        flags.extend(_passive(text, sentence))
    order = {k: i for i, k in enumerate(KINDS)}
    flags.sort(key=lambda f: (f.start, order[f.kind], f.end))
    label = label_for(score)
    if label == "makkelijk" and any(f.kind in HARD_KINDS for f in flags):
        # Short sentences of short words still say nothing to a reader who does not know a word.
        label = "gaat wel"
    return Report(
        score=score,
        label=label,
        flags=flags,
        words=len(tokens),
        sentences=len(sentences),
        syllables=syllable_count,
    )


# --- Counting ------------------------------------------------------------------------------------

def _token_syllables(token: Token) -> int:
    if token.kind == "abbr":
        key = token.text.lower().rstrip(".")
        if key in ABBREVIATIONS:
            return syllables(ABBREVIATIONS[key])
        return max(1, token.text.count("."))
    if token.kind in ("url", "clitic"):
        return 1
    return syllables(token.text)


# --- Long sentences ------------------------------------------------------------------------------

def _long_sentence(text: str, sentence: Sentence) -> list[Flag]:
    n = len(sentence.tokens)
    if n <= SENTENCE_WARNING_OVER:
        return []
    if n > SENTENCE_STRONG_OVER:
        severity, message = "strong", N_("Maak er twee zinnen van. Deze zin heeft %(num)d woorden.")
    else:
        severity = "warning"
        message = N_("Maak de zin wat korter. Deze zin heeft %(num)d woorden. "
                     "Probeer het met %(most)d woorden of minder.")
    return [_flag("long_sentence", text[sentence.start:sentence.end], message, severity, sentence.start,
                  sentence.end, num=n, most=SENTENCE_WARNING_OVER)]


# --- Long and rare words -------------------------------------------------------------------------

def _is_name(token: Token, first_in_sentence: bool) -> bool:
    """A capital in the middle of a sentence (a name), or an abbreviation in capitals (GGZ)."""
    word = token.text
    if len(word) > 1 and word.replace("-", "").replace("'", "").isupper():
        return True
    return word[:1].isupper() and not first_in_sentence


def _word_flags(text: str, sentence: Sentence, known: set[str], covered: list[tuple[int, int]]) -> list[Flag]:
    flags: list[Flag] = []
    for i, token in enumerate(sentence.tokens):
        if token.kind != "word" or _is_name(token, i == 0):
            continue
        if any(s < token.end and token.start < e for s, e in covered):
            continue
        # Hyphenated words are checked part by part: the hyphen already splits the compound.
        offset = token.start
        for part in token.text.split("-"):
            start, end = offset, offset + len(part)
            offset = end + 1
            lower = part.lower()
            if len(lower) < MIN_CHECKED_LENGTH or "'" in lower:
                continue
            if lower in known or lower in lexicon.DOMAIN_WORDS:
                continue
            exact = text[start:end]
            long_flag = _long_word(exact, lower, start, end)
            if long_flag:
                flags.append(long_flag)
            word_flag = _hard_word(exact, lower, start, end) or _rare_word(exact, lower, start, end)
            if word_flag:
                flags.append(word_flag)
    return flags


def _is_common_long(lower: str) -> bool:
    if lower in lexicon.COMMON_LONG_WORDS:
        return True
    for ending in ("e", "en", "s", "er", "n"):
        if lower.endswith(ending) and lower[: -len(ending)] in lexicon.COMMON_LONG_WORDS:
            return True
    return False


def _long_word(exact: str, lower: str, start: int, end: int) -> Flag | None:
    n = syllables(lower)
    if n < LONG_WORD_SYLLABLES or _is_common_long(lower):
        return None
    if n <= EVERYDAY_COMPOUND_SYLLABLES and frequency(lower) >= COMMON_ZIPF:
        return None  # "opgeslagen", "organiseren": long, but read at a glance
    if n == LONG_WORD_SYLLABLES and compound_parts(lower, COMMON_ZIPF):
        return None  # "terugkijken": two common words
    if n <= EVERYDAY_COMPOUND_SYLLABLES and register.everyday_compound(lower):
        return None  # "boodschappenlijstje", "fietsenstalling": everyday words put together
    parts = compound_parts(lower, COMPOUND_PART_ZIPF)
    severity = "info" if n == LONG_WORD_SYLLABLES else "warning"
    if parts:
        message = N_("'%(word)s' is een lang woord (%(syllables)s). Het bestaat uit %(parts)s. "
                     "Kies een korter woord, of zeg het in meer woorden.")
        return _flag("long_word", exact, message, severity, start, end, word=exact, syllables=hyphenated(lower),
                     parts=" + ".join(f"'{p}'" for p in parts))
    message = N_("'%(word)s' is een lang woord (%(syllables)s). Kies een korter woord dat iedereen kent.")
    return _flag("long_word", exact, message, severity, start, end, word=exact, syllables=hyphenated(lower))


_PARTICIPLE = re.compile(r"^(" + "|".join(lexicon.SEPARABLE) + r")?ge(\w{2,}?)[dt]$")


@lru_cache(maxsize=16384)
def frequency(lower: str) -> float:
    """Zipf frequency of the word or of its most common simple inflection: wordfreq counts word
    forms, and "vinkjes", "typt" are rarer than "vinkje", "typen"."""
    forms = [lower]
    if lower.endswith("s") and len(lower) > 4:
        forms.append(lower[:-1])
    if lower.endswith(("t", "d")):
        forms += [lower[:-1] + "en", lower[:-1] + lower[-2] + "en"]
    if lower.endswith(("te", "de")):
        forms.append(lower[:-2] + "en")
    if lower.endswith(("ten", "den")):
        forms.append(lower[:-3] + "en")
    if lower.endswith(("end", "ende")):
        forms.append(lower[: lower.rindex("end")] + "en")  # a present participle: wandelend
    m = _PARTICIPLE.match(lower)
    if m:
        stem = (m.group(1) or "") + m.group(2)
        forms += [stem + "en", stem + stem[-1] + "en"]
    return max(zipf(form) for form in forms)


@lru_cache(maxsize=16384)
def _is_rare(lower: str) -> bool:
    if frequency(lower) >= RARE_ZIPF:
        return False
    # A compound of common words ("proefinterview", "cliëntenraad") is not a rare word; an
    # adverb of two small words is no such compound ("wel-haast").
    return not register.everyday_compound(lower)


def _hard_word(exact: str, lower: str, start: int, end: int) -> Flag | None:
    plain = register.plain_alternative(lower, frequency(lower))
    if plain:
        message = N_("'%(word)s' is een moeilijk woord. Schrijf liever %(plain)s.")
        return _flag("hard_word", exact, message, "warning", start, end, word=exact,
                     plain=tuple(f"'{p}'" for p in plain))
    if not register.is_hard(lower, frequency(lower)):
        return None
    message = N_("'%(word)s' is een moeilijk woord. Kies een woord dat iedereen kent, of leg het uit.")
    return _flag("hard_word", exact, message, "warning", start, end, word=exact)


def _rare_word(exact: str, lower: str, start: int, end: int) -> Flag | None:
    if not _is_rare(lower):
        return None
    message = N_("Weinig mensen kennen het woord '%(word)s'. Kies een woord dat vaker voorkomt, of leg het uit.")
    return _flag("rare_word", exact, message, "warning", start, end, word=exact)


# --- Officialese ---------------------------------------------------------------------------------

_OFFICIALESE = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(f"(?P<o{i}>{pattern})" for i, (pattern, _) in enumerate(lexicon.OFFICIALESE))
    + r")(?![\w'])",
    re.IGNORECASE,
)
_DIENEN = re.compile(r"(?<![\w'])(" + "|".join(lexicon.DIENEN_TE) + r")(?![\w'])", re.IGNORECASE)
_TE = re.compile(r"(?<![\w'])te(?![\w'])", re.IGNORECASE)


def _match_case(replacement: str, original: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _officialese(text: str, norm: str, sentences: list[Sentence]) -> list[Flag]:
    flags: list[Flag] = []
    for m in _OFFICIALESE.finditer(norm):
        index = int(m.lastgroup[1:])
        replacements = lexicon.OFFICIALESE[index][1]
        exact = text[m.start():m.end()]
        if isinstance(replacements, dict):
            replacements = replacements.get(exact.lower()) or next(iter(replacements.values()))
        shown = " ".join(exact.split())
        if replacements is None:
            flags.append(_flag("officialese", exact, N_("Laat '%(word)s' weg. Het is niet nodig."), "warning",
                               m.start(), m.end(), word=shown))
        else:
            choices = tuple(f"'{_match_case(r, exact)}'" for r in replacements)
            flags.append(_flag("officialese", exact, N_("Schrijf %(plain)s in plaats van '%(word)s'."), "warning",
                               m.start(), m.end(), plain=choices, word=shown))
    for sentence in sentences:
        part = norm[sentence.start:sentence.end]
        for m in _DIENEN.finditer(part):
            if not _TE.search(part, m.end()):
                continue
            start, end = sentence.start + m.start(), sentence.start + m.end()
            exact = text[start:end]
            plain = _match_case(lexicon.DIENEN_TE[exact.lower()], exact)
            flags.append(_flag("officialese", exact, N_("Schrijf %(plain)s in plaats van '%(word)s ... te'."),
                               "warning", start, end, plain=(f"'{plain}'",), word=exact))
    return flags


# --- Passive voice -------------------------------------------------------------------------------

_KOFSCHIP = set("tkfschpx") | set("aeiouy")  # final -t after these (or a vowel: ge-zet) is a participle
_PLAIN_VOWELS = set("aeiou")


@lru_cache(maxsize=16384)
def is_participle(lower: str, auxiliary: str) -> bool:
    """Does `lower` look like a past participle? auxiliary: "worden" or "zijn"."""
    if lower in lexicon.NOT_PARTICIPLES:
        return False
    if auxiliary == "zijn" and (lower in lexicon.ZIJN_STATES or lower.endswith(lexicon.ZIJN_VERB_PARTICIPLES)):
        return False
    stems = [lower] + [lower[len(p):] for p in lexicon.SEPARABLE if lower.startswith(p + "ge")]
    for stem in stems:
        for prefix in lexicon.INSEPARABLE:
            if not stem.startswith(prefix):
                continue
            rest = stem[len(prefix):]
            if len(rest) < 3:
                continue
            if prefix == "ge" and rest[0] in _PLAIN_VOWELS:
                continue  # geeft, geen, geest: ge + vowel is written geë/geï
            if _participle_ending(rest, auxiliary):
                return True
    return False


def _participle_ending(rest: str, auxiliary: str) -> bool:
    if rest.endswith("end") or rest.endswith("ende"):
        return False  # present participle or noun (verschillend, vervelend)
    if rest.endswith("d"):
        return True
    if rest.endswith("t"):
        # 't kofschip: "verteld" is the participle, "vertelt" a present tense.
        return rest[-2] in _KOFSCHIP or rest.endswith("cht")
    if rest.endswith("en") or rest.endswith("aan"):
        if rest in lexicon.STRONG_CORES:
            return True
        # After "worden" an -en form is hardly ever a plural noun or an infinitive.
        return auxiliary == "worden" and len(rest) >= 5 and not rest.endswith("ingen")
    return False


def _auxiliary(tokens: list[Token], i: int, clause_start: int) -> str | None:
    lower = tokens[i].text.lower()
    if lower in lexicon.WORDEN:
        return "worden"
    if lower not in lexicon.ZIJN:
        return None
    previous = tokens[i - 1].text.lower() if i > 0 else ""
    following = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
    if lower == "zijn":
        # "met zijn vragen", "Zijn vragen ...": the possessive, not the verb.
        if previous in lexicon.PREPOSITIONS:
            return None
        if i == clause_start and following not in lexicon.SUBJECT_WORDS:
            return None
    if lower == "was" and previous in ("de", "een", "het"):
        return None  # de was (laundry)
    return "zijn"


_PASSIVE_ADVICE = N_(
    "'%(words)s' zegt niet wie het doet. Schrijf wie het doet. "
    "Bijvoorbeeld: niet 'De brief wordt verstuurd', maar 'Wij versturen de brief'."
)


def _passive(text: str, sentence: Sentence) -> list[Flag]:
    """Pair auxiliaries and participles of the same clause, nearest pairs first ("worden" wins a
    tie), each word in one pair at most."""
    tokens = sentence.tokens
    flags: list[Flag] = []
    bounds = sentence.clause_starts + [len(tokens)]
    for c in range(len(bounds) - 1):
        lo, hi = bounds[c], bounds[c + 1]
        auxiliaries = [
            (i, aux) for i in range(lo, hi)
            if tokens[i].kind == "word" and (aux := _auxiliary(tokens, i, lo)) is not None
        ]
        if not auxiliaries:
            continue
        aux_positions = {i for i, _ in auxiliaries}
        pairs = []
        for i, aux in auxiliaries:
            for j in range(lo, hi):
                if j in aux_positions or tokens[j].kind != "word":
                    continue
                word = tokens[j].text
                if j > 0 and tokens[j - 1].text.lower() == "te":
                    continue  # te + infinitive
                if word[:1].isupper() and j != 0:
                    continue  # a name
                if is_participle(word.lower(), aux):
                    pairs.append((abs(j - i), aux != "worden", i, j))
        used: set[int] = set()
        for _, _, i, j in sorted(pairs):
            if i in used or j in used:
                continue
            used |= {i, j}
            start, end = tokens[min(i, j)].start, tokens[max(i, j)].end
            exact = text[start:end]
            flags.append(_flag("passive", exact, _PASSIVE_ADVICE, "info", start, end, words=" ".join(exact.split())))
    return flags
