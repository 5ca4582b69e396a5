"""check_a2(text) -> A2Report: stricter advice for an easy-read text ("makkelijk lezen", about A2).

A thin layer over the B1 checker: it uses the same tokens, syllables and word frequencies, and
keeps the B1 advice on officialese and passive voice. Easy-read texts are written one idea per
line (the rules of the Keurmerk Makkelijk Lezen and of Inclusion Europe's easy-to-read
guidelines), so the advice is given per line, and only for the lines that break a rule:

- one_idea: a line holds more than one sentence, or a sentence that joins two ideas with a
  linking word in the middle ("omdat", "want", "maar", "terwijl", ...). A line may begin with one.
- long_sentence: more than 10 words (B1 allows 15).
- hard_word: 4 syllables or more, or less common than Zipf 3.5 (about 3 in a million words;
  B1: 3.0). A compound counts as common when each part is at least Zipf 4.0 and the whole has at
  most 3 syllables. Same exceptions as B1: names, words of 1-3 letters, numbers, PeerInterview's
  own terms, the long everyday words of lexicon.COMMON_LONG_WORDS, and `known_words`.

Lines are counted without the blank ones: "regel 3" is the third line with words. A blank line
only makes white space between blocks. Advice, never a gate, as the B1 checker.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import lexicon
from .checker import N_, Flag, check, frequency
from .tokens import Sentence, Token, normalise, split_sentences, tokenize
from .words import compound_parts, syllables

A2_MAX_WORDS = 10
A2_LONG_SYLLABLES = 4
A2_COMMON_ZIPF = 3.5
A2_COMPOUND_PART_ZIPF = 4.0
A2_COMPOUND_MAX_SYLLABLES = 3
MIN_CHECKED_LENGTH = 4
A2_KINDS = ("one_idea", "long_sentence", "hard_word", "officialese", "passive")
# What the B1 checker says that A2 keeps as it is; its long sentences and words are covered by
# the stricter rules here.
KEPT_B1_KINDS = ("officialese", "passive")
LINKING_WORDS = frozenset({
    "omdat", "want", "maar", "terwijl", "doordat", "zodat", "hoewel", "nadat", "waardoor", "waarbij",
    "zodra", "tenzij", "voordat", "zolang",
})


@dataclass(slots=True)
class A2Line:
    number: int  # 1 = the first line with words
    text: str
    start: int  # offset of the line in the checked text
    flags: list[Flag] = field(default_factory=list)  # offsets into the checked text


@dataclass(slots=True)
class A2Report:
    lines: list[A2Line] = field(default_factory=list)  # every line with words

    @property
    def problem_lines(self) -> list[A2Line]:
        return [line for line in self.lines if line.flags]

    @property
    def flags(self) -> list[Flag]:
        return [flag for line in self.lines for flag in line.flags]

    def to_dict(self) -> dict:
        """For `flask b1-check --a2`: the lines that break a rule, each with its advice."""
        return {"lines": [{"number": line.number, "text": line.text,
                           "flags": [{"kind": f.kind, "text": f.text, "suggestion": f.suggestion,
                                      "start": f.start, "end": f.end} for f in line.flags]}
                          for line in self.problem_lines]}


def _a2_flag(kind: str, text: str, message: str, start: int, end: int, **params) -> Flag:
    return Flag(kind, text[start:end], message % params, "warning", start, end, message, tuple(params.items()))


def _lines(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append((offset, raw))
        offset += len(raw) + 1
    return lines


def check_a2(text: str, *, known_words: Iterable[str] = ()) -> A2Report:
    """Easy-read advice per line. Never raises on odd input."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    known = {w.lower() for w in known_words}
    report = A2Report()
    for number, (offset, line) in enumerate(_lines(text), start=1):
        norm = normalise(line)
        sentences = split_sentences(norm, tokenize(norm))
        flags = _one_idea(line, sentences) + _long_sentences(line, sentences)
        flags += _hard_words(line, sentences, known)
        b1 = [f for f in check(line, known_words=known).flags if f.kind in KEPT_B1_KINDS]
        covered = [(f.start, f.end) for f in b1 if f.kind == "officialese"]
        flags = [f for f in flags if not (f.kind == "hard_word" and _overlaps(f, covered))] + b1
        flags.sort(key=lambda f: (f.start, A2_KINDS.index(f.kind), f.end))
        report.lines.append(A2Line(number, line.strip(), offset, [_moved(f, offset) for f in flags]))
    return report


def _overlaps(flag: Flag, spans: list[tuple[int, int]]) -> bool:
    return any(s < flag.end and flag.start < e for s, e in spans)


def _moved(flag: Flag, offset: int) -> Flag:
    return Flag(flag.kind, flag.text, flag.suggestion, flag.severity, flag.start + offset, flag.end + offset,
                flag.message, flag.params)


def _one_idea(line: str, sentences: list[Sentence]) -> list[Flag]:
    if len(sentences) > 1:
        return [_a2_flag("one_idea", line, N_("Zet elke zin op een eigen regel. Op deze regel staan %(num)d zinnen."),
                         sentences[0].start, sentences[-1].end, num=len(sentences))]
    flags = []
    for sentence in sentences:
        linking = [t for t in sentence.tokens[1:] if t.kind == "word" and t.text.lower() in LINKING_WORDS]
        if linking:
            word = linking[0]
            flags.append(_a2_flag("one_idea", line, N_("Deze zin zegt twee dingen, met '%(word)s'. Maak er twee "
                                                       "zinnen van. Zet ze elk op een eigen regel."),
                                  word.start, word.end, word=word.text))
    return flags


def _long_sentences(line: str, sentences: list[Sentence]) -> list[Flag]:
    return [_a2_flag("long_sentence", line, N_("Maak de zin korter. Deze zin heeft %(num)d woorden. Gebruik er "
                                                "%(most)d of minder."),
                     s.start, s.end, num=len(s.tokens), most=A2_MAX_WORDS)
            for s in sentences if len(s.tokens) > A2_MAX_WORDS]


def _is_name(token: Token, first: bool) -> bool:
    word = token.text
    if len(word) > 1 and word.replace("-", "").replace("'", "").isupper():
        return True
    return word[:1].isupper() and not first


def _hard_words(line: str, sentences: list[Sentence], known: set[str]) -> list[Flag]:
    flags = []
    for sentence in sentences:
        for i, token in enumerate(sentence.tokens):
            if token.kind != "word" or _is_name(token, i == 0):
                continue
            offset = token.start
            for part in token.text.split("-"):
                start, end = offset, offset + len(part)
                offset = end + 1
                message = _hard_word_message(part.lower(), known)
                if message:
                    flags.append(_a2_flag("hard_word", line, message, start, end, word=part))
    return flags


def _is_common_long(lower: str) -> bool:
    return any(lower == word or (lower.startswith(word) and lower[len(word):] in ("e", "en", "s", "er", "n"))
               for word in lexicon.COMMON_LONG_WORDS)


def _hard_word_message(lower: str, known: set[str]) -> str | None:
    if len(lower) < MIN_CHECKED_LENGTH or "'" in lower or lower in known or lower in lexicon.DOMAIN_WORDS:
        return None
    if _is_common_long(lower):
        return None
    count = syllables(lower)
    if count >= A2_LONG_SYLLABLES:
        return N_("'%(word)s' is een lang woord. Kies een kort woord dat iedereen kent.")
    if frequency(lower) >= A2_COMMON_ZIPF:
        return None
    if count <= A2_COMPOUND_MAX_SYLLABLES and compound_parts(lower, A2_COMPOUND_PART_ZIPF):
        return None
    return N_("Niet iedereen kent '%(word)s'. Kies een gewoon woord, of leg het uit op een eigen regel.")
