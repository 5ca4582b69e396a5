"""Tokens and sentences of Dutch text, with exact character offsets into the original text.

Rules (kept small on purpose, each one tested):
- Apostrophes: typographic ’ ‘ count as ' . "zo'n", "auto's", "m'n" are one word; "'s", "'t",
  "'n" before a space are words of their own ("'s avonds" is two words). Quote marks around a word
  ('indien') are not part of it.
- Hyphenated words ("e-mail") are one word; numbers ("10.000", "3,5", "12:30", "1-1-2026"),
  web addresses and e-mail addresses are one word each.
- A sentence ends at . ! ? or … and at every line break (titles and list items have no full
  stop). A dot that belongs to an abbreviation (bijv., o.a., d.w.z., t/m, initials as in
  "J. de Vries") or to a number does not end a sentence. "enz." and "etc." end a sentence only when
  a capital follows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Typographic apostrophes become "'": one code point for one, so offsets stay the same.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})

_L = r"[^\W\d_]"  # one letter, any alphabet (é, ë, ï ...)

_TOKEN = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)\S+?(?=[.,;:!?)\]'"]*(?:\s|$))
        |[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<clitic>(?<![\w'])'(?:s|t|n|k|m|r)(?![\w']))
  | (?P<dotted>(?:{_L}{{1,2}}\.){{2,}})
  | (?P<slash>(?<!\w){_L}/{_L}(?!\w))
  | (?P<number>\d+(?:[.,:/-]\d+)*(?:{_L}+)?)
  | (?P<word>{_L}+(?:['-]{_L}+)*)
    """,
    re.VERBOSE,
)

# Abbreviations written as one group with a dot, and what they stand for (for syllable counts
# and, where the writing out is the advice, for officialese.py).
ABBREVIATIONS = {
    "bijv": "bijvoorbeeld", "bv": "bijvoorbeeld", "enz": "enzovoort", "etc": "enzovoort",
    "nr": "nummer", "blz": "bladzijde", "ca": "ongeveer", "evt": "eventueel", "incl": "inclusief",
    "excl": "exclusief", "max": "maximaal", "min": "minimaal", "tel": "telefoon", "vs": "tegen",
    "dhr": "meneer", "mevr": "mevrouw", "mw": "mevrouw", "hr": "heer", "dr": "dokter",
    "drs": "doctorandus", "mr": "meester", "ir": "ingenieur", "ing": "ingenieur",
    "prof": "professor", "st": "sint", "afd": "afdeling", "ong": "ongeveer", "zgn": "zogenaamd",
    "resp": "respectievelijk", "jl": "jongstleden", "vnl": "voornamelijk", "pag": "pagina",
    "art": "artikel", "nl": "namelijk", "okt": "oktober", "sept": "september",
    "jan": "januari", "feb": "februari", "aug": "augustus", "nov": "november", "dec": "december",
}
# Abbreviations that often close a list at the end of a sentence.
_SENTENCE_FINAL_ABBREVIATIONS = {"enz", "etc"}
_NAME_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "la", "le", "du", "von"}


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    kind: str  # word | clitic | abbr | number | url


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    tokens: list[Token] = field(default_factory=list)
    # Index of the first token of each clause (split at , ; : ( ) and dashes).
    clause_starts: list[int] = field(default_factory=list)


def normalise(text: str) -> str:
    """The text with typographic apostrophes as "'" (same length, so offsets still match)."""
    return text.translate(_APOSTROPHES)


def tokenize(text: str) -> list[Token]:
    """Tokens of already normalised text."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "word":
            following = text[end:end + 1]
            lower = m.group().lower()
            if following == "." and lower in ABBREVIATIONS:
                kind, end = "abbr", end + 1
            elif following == "." and len(lower) == 1 and m.group().isupper() and _is_initial(text, end + 1):
                kind, end = "abbr", end + 1
        elif kind in ("dotted", "slash"):
            kind = "abbr"
        tokens.append(Token(text[start:end], start, end, kind))
    return tokens


def _is_initial(text: str, after_dot: int) -> bool:
    """"J. de Vries", "A.B. Jansen": a capital with a dot followed by a name."""
    m = re.match(r"[ \t]+(\S+)", text[after_dot:])
    if not m:
        return False
    nxt = m.group(1)
    return nxt[:1].isupper() and nxt[:1].isalpha() or nxt.lower().rstrip(".,") in _NAME_PARTICLES


_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\u2013\u2014]|\s-\s")


def split_sentences(text: str, tokens: list[Token]) -> list[Sentence]:
    sentences: list[Sentence] = []
    current: Sentence | None = None
    for i, tok in enumerate(tokens):
        if current is None:
            current = Sentence(start=tok.start, end=tok.end, clause_starts=[0])
        elif _CLAUSE_BREAK.search(text[tokens[i - 1].end:tok.start]):
            current.clause_starts.append(len(current.tokens))
        current.tokens.append(tok)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        gap = text[tok.end:nxt.start if nxt else len(text)]
        # Punctuation right after the token belongs to this sentence (". ", "?!", ".'", ").").
        tail = re.match(r"[^\w\s]*", gap).group()
        ends = (
            nxt is None
            or "\n" in gap
            or re.search(r"[.!?\u2026]", gap) is not None
            or (
                tok.kind == "abbr"
                and tok.text.lower().rstrip(".") in _SENTENCE_FINAL_ABBREVIATIONS
                and gap.strip() == ""
                and nxt.text[:1].isupper()
            )
        )
        if ends:
            current.end = tok.end + (len(tail) if "\n" not in tail else tail.index("\n"))
            sentences.append(current)
            current = None
    return sentences
