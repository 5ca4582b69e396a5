"""Syllables (pyphen, nl_NL) and word frequency (wordfreq, Dutch), cached.

Syllables: pyphen's nl_NL hyphenation patterns split the word; pyphen never splits off a single
letter at the start or end of a word ("idee", "oma", "ano-niem"), so each piece is then counted by
its vowel groups (a diaeresis starts a new one: "ide-eën"). This gets idee (2), ideeën (3), anoniem
(3), overeenkomst (4), cliënten (3), geïnterviewd (4) right, where pyphen alone undercounts them.

Frequency: wordfreq's Zipf scale, log10 of the frequency per billion words: 3.0 is about once in a
million words. Both libraries are loaded once and every lookup is memoised, so the checker can run
on every keystroke.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pyphen
from wordfreq import zipf_frequency

_VOWEL_GROUP = re.compile(r"[äëïöüÿ][aeiouyáéíóúàèìòùâêîôû]*|[aeiouyáéíóúàèìòùâêîôû]+", re.IGNORECASE)
_DIGITS = re.compile(r"\d")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@lru_cache(maxsize=65536)
def hyphenated(word: str) -> str:
    """The word with its syllables split by "-" ("ge-brui-kers-naam")."""
    return "-".join(_pieces(word.lower()))


def _pieces(lower: str) -> list[str]:
    out: list[str] = []
    for part in lower.replace("'", "").split("-"):
        if not part:
            continue
        for piece in _hyphenator().inserted(part).split("-"):
            if not piece:
                continue
            # Split a piece further where pyphen left two vowel groups together (word edges).
            groups = list(_VOWEL_GROUP.finditer(piece))
            if len(groups) <= 1:
                out.append(piece)
                continue
            cut = 0
            for g in groups[1:]:
                # Cut before the consonant that precedes the next vowel group, if any.
                pos = g.start()
                if pos - 1 > cut and not _VOWEL_GROUP.match(piece[pos - 1]):
                    pos -= 1
                out.append(piece[cut:pos])
                cut = pos
            out.append(piece[cut:])
    return out or [lower]


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Number of syllables of a word (at least 1)."""
    if _DIGITS.search(word):
        # A number: about one syllable per digit, at most four ("12" twaalf, "2026" ...).
        return max(1, min(4, len(_DIGITS.findall(word))))
    return max(1, len(_pieces(word.lower())))


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common the word is in Dutch on the Zipf scale (0 = not in wordfreq's list)."""
    return zipf_frequency(word, "nl")


# Parts of a compound: at least 3 letters; a linking "s", "e" or "en" may sit between them
# ("gebruiker-s-naam", "cliënt-en-raad"). Suffixes are no parts ("behandel-ing").
_MIN_PART = 3
_SUFFIXES = frozenset({
    "ing", "ingen", "heid", "heden", "lijk", "lijke", "baar", "bare", "tje", "tjes", "isch",
    "ische", "atie", "aties", "teit", "teiten", "ster", "sters", "aar", "aars", "erij", "nis",
    "schap", "dom", "loos", "loze", "zaam", "zame", "achtig", "matig", "iger", "ige", "ist",
})


# "arbeidsongeschiktheidsverzekering" has 33 letters; three everyday parts rarely make more than 40.
MAX_COMPOUND_LENGTH = 48


@lru_cache(maxsize=16384)
def compound_parts(lower: str, min_zipf: float) -> tuple[str, ...] | None:
    """Split a compound into common words, or None: "proefinterview" -> ("proef", "interview").

    Dutch writes compounds as one word, so "locatienaam" is rare as a whole but easy to read. Up
    to three parts, the longest common last part first; each part must be at least `min_zipf`
    common. A word longer than any real compound (typed by mistake, or pasted to slow the server
    down) is not split: every split looks each part up, so the time grows with the square of the
    length, and a word of 20,000 letters took minutes.
    """
    if len(lower) > MAX_COMPOUND_LENGTH:
        return None
    return _split(lower, min_zipf, depth=2)


def _split(word: str, min_zipf: float, depth: int) -> tuple[str, ...] | None:
    for i in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = word[:i], word[i:]
        if tail in _SUFFIXES or zipf(tail) < min_zipf:
            continue
        for linker in ("", "s", "e", "en"):
            if linker and not head.endswith(linker):
                continue
            stem = head[: len(head) - len(linker)] if linker else head
            if len(stem) < _MIN_PART:
                continue
            # A verb stem also counts as a word: "oefen-antwoorden" (oefenen).
            if zipf(stem) >= min_zipf or (not linker and zipf(stem + "en") >= min_zipf):
                return (stem, tail)
            if depth > 1:
                inner = _split(stem, min_zipf, depth - 1)
                if inner:
                    return (*inner, tail)
    return None


def warm_up() -> None:
    """Load the hyphenation dictionary and the frequency list now, not on the first keystroke."""
    syllables("voorbeeld")
    zipf("voorbeeld")
    # The loan-word test of register.py looks words up in English and French.
    zipf_frequency("example", "en", wordlist="small")
    zipf_frequency("exemple", "fr", wordlist="small")
