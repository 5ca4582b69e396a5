"""Find likely identifying details in an open answer: names, phone numbers, e-mail addresses,
street addresses and places.

Pure Python (no Flask). Staff use the findings to redact open answers before the client panel
works with them, so the scanner errs on the side of *candidates*: a person always decides.
It knows Dutch conventions: 06-numbers and area codes, "Kerkstraat 12", postcodes "1234 AB",
cue words before names ("mijn begeleider", "mevrouw", "heet") and a shipped list of first names
and municipalities (peerinterview/privacy/wordlists.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .wordlists import AMBIGUOUS_PLACES, FIRST_NAMES, PLACES, split_list

KINDS = ("name", "phone", "email", "address", "place")
# When findings overlap, the more specific kind wins (an address contains names and places).
_PRIORITY = {"email": 0, "phone": 1, "address": 2, "name": 3, "place": 4}


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str


# --- e-mail ---------------------------------------------------------------------------------
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# --- phone numbers --------------------------------------------------------------------------
# A candidate starts with +31/0031/0 (or "(0") and runs over digits and the usual separators;
# it is then checked by counting digits, which is more reliable than one big pattern.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+\s?31|0031|\(0|0)[\d\s().\-/]{7,24}")
_PHONE_SEPARATORS = set(" ().-/")


def _phones(text: str) -> list[Finding]:
    found = []
    for match in _PHONE_CANDIDATE.finditer(text):
        chunk = match.group()
        international = chunk.startswith(("+", "0031"))
        # digits needed after the country code (9) or including the leading 0 (10)
        needed = 9 if international else 10
        prefix = re.match(r"\+\s?31|0031", chunk)
        pos = prefix.end() if prefix else 0
        digits = ""
        end = None
        while pos < len(chunk):
            char = chunk[pos]
            if char.isdigit():
                digits += char
                if international and digits == "0" and chunk[max(0, pos - 1)] == "(":
                    digits = ""  # +31 (0)6 …: the bracketed 0 is not dialled
                elif len(digits) == needed:
                    end = pos + 1
                    break
            elif char not in _PHONE_SEPARATORS:
                break
            pos += 1
        if end is None:
            continue
        number = digits if international else digits[1:]
        if not number or number[0] == "0":
            continue
        after = match.start() + end
        if after < len(text) and text[after].isdigit():
            continue  # part of a longer number (an account, a case number)
        start = match.start()
        stripped = chunk[:end].rstrip(" (.-/")
        found.append(Finding(start, start + len(stripped), "phone", stripped))
    return found


# --- addresses ------------------------------------------------------------------------------
_STREET_SUFFIXES = (
    "straatweg|straat|laan|weg|plein|gracht|burgwal|kade|singel|dijk|dreef|hof|pad|park|ring|steeg|"
    "markt|baan|kanaal|wal|erf|veld|allee|boulevard|haven|plantsoen|dam|oord|brink|kamp|vaart|"
    "hoek|gang|wetering|zoom|hove|horst|kwartier|akker|donk|hout|weide|wei"
)
# Words that end like a street but are ordinary words before a number ("de snelweg 2 uur").
_NOT_STREETS = {"snelweg", "zijweg", "omweg", "uitweg", "hoofdweg", "tussenweg", "weg", "park",
                "markt", "haven", "dam", "ring", "baan", "pad", "hof", "veld", "hoek", "gang",
                "kamp", "wal", "plein", "straat", "laan", "kade", "dijk", "loopbaan", "werkweg",
                "thuishaven", "speelveld", "voetbalveld", "achterpad", "fietspad", "zwembad",
                "tuinpad", "middenweg"}
_STREET = re.compile(
    r"(?<![\w-])"
    # optional leading words: "Burgemeester de Vlugtlaan", "Jan van Galenstraat", "Oude Gracht"
    r"(?:(?:[A-ZÀ-Þ][\w'’.-]*|van|de|der|den|het|'t|ter|te|ten|op|aan|in)\s+){0,4}"
    r"(?P<street>[\w'’-]*?(?:" + _STREET_SUFFIXES + r"))"
    r"\s+(?:nr\.?\s*|nummer\s+)?"
    r"(?P<number>[1-9]\d{0,4})"
    r"(?:\s?-?\s?(?:[A-Za-z](?![\w])|hs\b|bis\b|[1-9]\d{0,2}\b|I{1,3}\b))?"
    r"(?![\d,.]\d)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"(?<![\w-])[1-9]\d{3}(?:\s(?:[A-Z]{2})|(?:[A-Za-z]{2}))(?![\w])")
_NOT_POSTCODE_LETTERS = {"SA", "SD", "SS"}  # never issued


def _addresses(text: str) -> list[Finding]:
    found = []
    for match in _STREET.finditer(text):
        street = match.group("street")
        if len(street) < 5 or street.lower() in _NOT_STREETS:
            continue
        keep_from = _street_start(text, match.start(), match.start("street"))
        found.append(Finding(keep_from, match.end(), "address", text[keep_from:match.end()]))
    for match in _POSTCODE.finditer(text):
        letters = match.group()[-2:]
        if letters.upper() in _NOT_POSTCODE_LETTERS:
            continue
        found.append(Finding(match.start(), match.end(), "address", match.group()))
    return found


def _street_start(text: str, region_start: int, street_start: int) -> int:
    """Where a street name starts: keep capitalised words and inner particles before the word
    ending in -straat ("Burgemeester de Vlugtlaan", "Jan van Galenstraat", "Van Woustraat"),
    drop the sentence around it ("ik woon aan de Kerkstraat")."""
    keep_from = street_start
    for word in reversed(list(re.finditer(r"\S+", text[region_start:street_start]))):
        token = word.group()
        lower = token.lower()
        if lower in _PARTICLES and not token[0].isupper():
            continue  # kept only when a capitalised word before it is kept too
        if token == "Van" or (_is_capitalised(token) and lower not in _STOPWORDS_LOWER):
            keep_from = region_start + word.start()
            continue
        break
    return keep_from


# --- names ----------------------------------------------------------------------------------
_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "'t", "’t", "het", "in", "op",
              "el", "al", "ben", "bin", "von", "da", "di", "du", "le", "la", "del", "dos", "do"}
# Capitalised words that start sentences or name institutions, never persons.
_STOPWORDS = """
Ik|Jij|Je|U|Hij|Zij|Ze|We|Wij|Jullie|Het|De|Een|Dat|Die|Dit|Deze|En|Maar|Of|Want|Dus|Toen|Dan|Nu|
Ook|Ja|Nee|Niet|Geen|Soms|Vaak|Meestal|Altijd|Nooit|Mijn|Jouw|Uw|Onze|Ons|Hun|Haar|Zijn|Er|Daar|Hier|
Waar|Wat|Wie|Hoe|Waarom|Wanneer|Als|Omdat|Bij|Van|Met|Voor|Na|In|Op|Aan|Door|Over|Om|Tot|Zo|Veel|
Weinig|Goed|Slecht|Heel|Erg|Echt|Gewoon|Eerst|Later|Vroeger|Sinds|Thuis|Samen|Alles|Niemand|Iemand|
Iedereen|Niks|Niets|Misschien|Wel|Graag|Fijn|Prima|Jammer|Helaas|Gelukkig|Verder|Daarna|Eigenlijk|
God|Allah|Here|Heer|Jezus|Maandag|Dinsdag|Woensdag|Donderdag|Vrijdag|Zaterdag|Zondag|Januari|Februari|
Maart|April|Mei|Juni|Juli|Augustus|September|Oktober|November|December|Kerst|Kerstmis|Pasen|
Pinksteren|Ramadan|Suikerfeest|Sinterklaas|Nederland|Nederlands|Nederlandse|Engels|Turks|Marokkaans|
Arabisch|Pools|Surinaams|Frans|Duits|Zorgbelang|Gemeente|Wmo|Jeugdzorg|Google|Whatsapp|WhatsApp|
Facebook|Instagram|Corona|Covid|Ziekenhuis|Huisarts|Apotheek|Thuiszorg|Begeleider|Begeleiding|Dokter|
Meneer|Mevrouw|Mama|Papa|Oma|Opa|Hallo|Hoi|Dag|Doei|Bedankt|Sorry|Oké|Oke|Ok
"""
_STOPWORDS_SET = set(split_list(_STOPWORDS))
_STOPWORDS_LOWER = {word.lower() for word in _STOPWORDS_SET}

# Cue words: what follows is very likely a person's name. "van"/"met"/"bij" only count before a
# capitalised word that is not at the start of a sentence.
_ROLE_CUES = (
    r"(?:mijn|m'n|onze|ons|zijn|haar|hun|de|een|het|die)\s+(?:nieuwe\s+|oude\s+|vaste\s+|eigen\s+)?"
    r"(?:persoonlijk\s+)?(?:begeleider|begeleidster|woonbegeleider|woonbegeleidster|"
    r"coach|hulpverlener|maatschappelijk\s+werker|casemanager|consulent|mentor|bewindvoerder|"
    r"huisarts|dokter|psychiater|psycholoog|verpleegkundige|wijkverpleegkundige|"
    r"buurman|buurvrouw|buren|zus|zuster|broer|moeder|vader|dochter|zoon|man|vrouw|vriend|vriendin|"
    r"partner|oom|tante|neef|nicht|collega|baas|leidinggevende|cliëntmanager|contactpersoon)"
)
_NAME_CUE = re.compile(
    r"(?:\b" + _ROLE_CUES + r"|\b(?:meneer|mevrouw|mevr\.|mw\.|dhr\.|dr\.|dokter|juf|meester|zuster|"
    r"heet|heette|heten|genaamd|noemt\s+zich|noemen\s+(?:hem|haar)|ene))"
    r"(?:\s*[,:]\s*|\s+)",
    re.IGNORECASE,
)
# Proper nouns after a weak cue that are shops, brands or services rather than persons.
_ORGANISATIONS = set(split_list("""
Albert|Heijn|Jumbo|Lidl|Aldi|Action|Hema|Kruidvat|Etos|Plus|Coop|Philips|Ikea|Bol|Zilveren|Kruis|
Menzis|Achmea|Leger|Heils|Humanitas|Cordaan|Kwintes|Lister|Leger|Gemeentehuis|Stadhuis|Buurthuis|
Voedselbank|Sociaal|Wijkteam|Jeugdteam|Ziggo|Kpn|Eneco|Vattenfall|Essent|Bouwfonds|Ymere|Eigen|Haard|
Mitros|Portaal|Vestia|Woonstad|Havensteder|Stadgenoot|Rochdale|Rabobank|Abn|Amro|Ing|Sns|Nederlandse|
Spoorwegen|Ns|Ret|Gvb|Htm|Arriva|Connexxion|Qbuzz|Valys|Regiotaxi|Wajong|Participatiewet|Bijstand
"""))
_WEAK_CUE = re.compile(r"\b(?:van|met|bij|door|aan|voor|tegen|zei|vroeg|belde|dat)\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return frozenset(split_list(FIRST_NAMES))


@lru_cache(maxsize=1)
def _first_names_lower() -> frozenset[str]:
    return frozenset(name.lower() for name in _first_names())


def _is_capitalised(word: str) -> bool:
    # "Jansen" yes; "GGZ" (an acronym) and "ik" no
    return word[0].isupper() and any(char.islower() for char in word[1:])


def _word_at(text: str, pos: int) -> re.Match | None:
    return _WORD.match(text, pos)


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:;\"'“‘(\n"


def _name_end(text: str, pos: int, places: frozenset[str]) -> int:
    """Extend a first name over a surname: "Jan de Vries", "Fatima El Amrani", "Piet Jansen"."""
    end = pos
    for _ in range(3):
        rest = re.match(r"((?:\s+(?:" + "|".join(sorted(_PARTICLES, key=len, reverse=True))
                        + r"))*)\s+", text[end:], re.IGNORECASE)
        if not rest:
            break
        word = _word_at(text, end + rest.end())
        if (not word or not _is_capitalised(word.group()) or word.group() in _STOPWORDS_SET
                or word.group() in places):
            break
        end = word.end()
    return end


def _names(text: str, places: frozenset[str]) -> list[Finding]:
    found: list[Finding] = []
    first_names = _first_names()
    first_lower = _first_names_lower()
    particles = re.compile(r"(?:(?:" + "|".join(sorted(_PARTICLES, key=len, reverse=True))
                           + r")\s+)*", re.IGNORECASE)

    def add(start: int, end: int) -> None:
        found.append(Finding(start, end, "name", text[start:end]))

    for cue in _NAME_CUE.finditer(text):
        pos = cue.end()
        lead = particles.match(text, pos)  # "mevrouw de Boer", "meneer Van Dijk"
        word = _word_at(text, lead.end())
        if not word:
            continue
        token = word.group()
        ok = (_is_capitalised(token) and token not in _STOPWORDS_SET and token not in places) or (
            token.lower() in first_lower and not lead.group())
        if ok:
            add(pos, _name_end(text, word.end(), places))
    for cue in _WEAK_CUE.finditer(text):
        word = _word_at(text, cue.end())
        if (word and _is_capitalised(word.group()) and word.group() not in _STOPWORDS_SET
                and word.group() not in places and not _at_sentence_start(text, word.start())
                and word.group() not in _ORGANISATIONS):
            add(word.start(), _name_end(text, word.end(), places))
    for word in _WORD.finditer(text):
        token = word.group()
        if token in first_names and _is_capitalised(token):
            add(word.start(), _name_end(text, word.end(), places))
    return found


# --- places ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    return frozenset(split_list(PLACES)) - AMBIGUOUS_PLACES


@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern:
    names = sorted(_place_names(), key=len, reverse=True)
    return re.compile(r"(?<![\w'-])(?:" + "|".join(re.escape(name) for name in names) + r")(?![\w-])")


def _places(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), "place", m.group()) for m in _place_pattern().finditer(text)]


# --- together -------------------------------------------------------------------------------
def find_identifying(text: str) -> list[Finding]:
    """Likely identifying details in *text*, sorted by position, never overlapping."""
    if not text:
        return []
    places = _place_names()
    candidates = [
        *(Finding(m.start(), m.end(), "email", m.group()) for m in _EMAIL.finditer(text)),
        *_phones(text),
        *_addresses(text),
        *_names(text, places),
        *_places(text),
    ]
    # most specific kind first, then the longest; keep those that do not overlap a kept one
    candidates.sort(key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in candidates:
        if finding.end <= finding.start:
            continue
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def count_by_kind(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for finding in findings:
        counts[finding.kind] += 1
    return counts


def segments(text: str) -> list[tuple[str, str | None]]:
    """*text* cut into (piece, kind) pairs, kind None between findings: for highlighting in a
    template with autoescaping (never |safe on user data)."""
    parts: list[tuple[str, str | None]] = []
    pos = 0
    for finding in find_identifying(text or ""):
        if finding.start > pos:
            parts.append((text[pos:finding.start], None))
        parts.append((finding.text, finding.kind))
        pos = finding.end
    if pos < len(text or ""):
        parts.append((text[pos:], None))
    return parts
