"""The pictures a designer can put with a question and its answers: a vendored subset of OpenMoji
(CC BY-SA 4.0; static/vendor/openmoji-<version>/, rebuilt by scripts/vendor_openmoji.py).

A picture is stored by its OpenMoji code ("1F34E"). Pages put it inline as a small SVG: no
request per picture, and the offline copy of a question page has it without more caching. The
vendored file holds each picture's shapes as data; templates/macros/pictogram.html writes the SVG
from them (aria-hidden: the words of the question or answer always stand next to it).
"""
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask_babel import get_locale

OPENMOJI_VERSION = "17.0.0"
FOLDER = Path(__file__).resolve().parent / "static" / "vendor" / f"openmoji-{OPENMOJI_VERSION}"
SEARCH_LIMIT = 36


@dataclass(frozen=True)
class Pictogram:
    code: str
    words_nl: str
    words_en: str

    def words_in(self, language: str) -> str:
        return self.words_en if language == "en" else self.words_nl

    def label(self, language: str) -> str:
        """Its first two words ("kalender, agenda"): enough to tell two look-alikes apart."""
        return ", ".join(word.strip() for word in self.words_in(language).split(",")[:2])


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict]:
    return json.loads((FOLDER / "pictograms.json").read_text(encoding="utf-8"))


def _plain(text: str) -> str:
    """Lower case, without accents: "café" finds "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _index() -> list[tuple[Pictogram, list[str]]]:
    index = []
    for code, entry in _catalogue().items():
        words = [_plain(word.strip()) for word in f"{entry['nl']},{entry['en']}".split(",") if word.strip()]
        index.append((Pictogram(code, entry["nl"], entry["en"]), words))
    return index


def is_pictogram(code) -> bool:
    return isinstance(code, str) and code in _catalogue()


def pictogram(code: str) -> Pictogram | None:
    entry = _catalogue().get(code or "")
    return Pictogram(code, entry["nl"], entry["en"]) if entry else None


def _score(words: list[str], terms: list[str]) -> int:
    """0: no match. Every term must match a word; a whole word counts more than its start, and
    that more than a part of a word ("ei" finds "ei" before "reis")."""
    total = 0
    for term in terms:
        best = max((3 if word == term else 2 if word.startswith(term) else 1 if term in word else 0)
                   for word in words)
        if not best:
            return 0
        total += best
    return total


def search(query: str, limit: int = SEARCH_LIMIT) -> list[Pictogram]:
    """The pictures whose Dutch or English words match every word of `query`, best first;
    with an empty query the first `limit` of the set (feelings first)."""
    terms = [_plain(term) for term in (query or "").replace(",", " ").split()]
    if not terms:
        return [picture for picture, _ in _index()[:limit]]
    scored = [(score, n, picture) for n, (picture, words) in enumerate(_index())
              if (score := _score(words, terms))]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [picture for _, _, picture in scored[:limit]]


# What a vendored picture may contain: shapes and groups with presentation attributes. Anything
# else in the file is left out, so even a changed file cannot put script or links on a page.
SHAPES = frozenset({"g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect"})
ATTRIBUTE = re.compile(r"[a-z][a-z0-9-]{0,30}")


def _shape(node) -> tuple | None:
    tag, attributes, children = node
    if tag not in SHAPES:
        return None
    kept = tuple((name, str(value)) for name, value in attributes.items()
                 if ATTRIBUTE.fullmatch(name) and not name.startswith("on"))
    return tag, kept, tuple(shape for child in children if (shape := _shape(child)))


@lru_cache(maxsize=512)
def shapes(code: str) -> tuple:
    """The picture's shapes as (tag, ((attribute, value), ...), children): the template
    macros/pictogram.html writes the SVG from them, every value escaped; () for no picture."""
    if not is_pictogram(code):
        return ()
    return tuple(shape for node in _catalogue()[code]["svg"] if (shape := _shape(node)))


def picture_words(code: str) -> str:
    """The picture's words in the page's language (Dutch or English), or its code if unknown."""
    found = pictogram(code)
    return found.label("en" if str(get_locale()) == "en" else "nl") if found else code
