"""The translation catalogues are complete, correct and up to date with the source.

Dutch (nl) is the source language: every msgid is B1 Dutch and the nl catalogue keeps empty
msgstr (gettext falls back to the msgid). English (en) must translate every entry.
To fix a failure here: run ./scripts/i18n, translate the new or changed English entries in
translations/en/LC_MESSAGES/messages.po, and run these tests again.
"""
import functools
import gettext
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from babel.messages.pofile import read_po

# They read the catalogues, not a database.
pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"

# Same options as scripts/i18n (extract step).
EXTRACT_OPTIONS = [
    "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--add-comments=TRANSLATORS:",
    "--no-location", "--sort-output", "--project=PeerInterview",
]

# Runs Babel's command line and passes its exit code on (python -m babel.messages.frontend
# ignores the return value of main(), so errors would not show in the exit code).
_PYBABEL = [sys.executable, "-c", "import sys; from babel.messages.frontend import main; sys.exit(main())"]

# %(name)s, %(num)d, %(percent).1f ... and the literal "%%".
_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%")

MAX_WORDS = 20


def _load(path):
    with open(path, "rb") as f:
        return read_po(f)


def _en():
    return _load(EN_PO)


def _forms(value):
    """A msgid or msgstr as a tuple (plural entries already are tuples)."""
    return value if isinstance(value, tuple) else (value,)


def _label(message):
    return " | ".join(_forms(message.id))


def _entries(catalog):
    return [m for m in catalog if m.id]


@functools.lru_cache(maxsize=1)
def _extracted():
    """Extract the texts from the source now, into a temporary file, as scripts/i18n does."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        result = subprocess.run(
            [*_PYBABEL, "extract", *EXTRACT_OPTIONS, "-o", str(pot), "."],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, f"pybabel extract failed:\n{result.stdout}\n{result.stderr}"
        return _load(pot)


def test_every_english_entry_is_translated_and_not_fuzzy():
    catalog = _en()
    assert not catalog.fuzzy, "The header of the en catalogue is marked fuzzy; pybabel compile would skip it."
    entries = _entries(catalog)
    assert entries, "The en catalogue has no entries."
    untranslated = [
        _label(m) for m in entries
        if not all(s.strip() for s in _forms(m.string))
        or len(_forms(m.string)) != len(_forms(m.id))
    ]
    fuzzy = [_label(m) for m in entries if m.fuzzy]
    assert not untranslated, "Translate these entries in the en catalogue:\n" + "\n".join(untranslated)
    assert not fuzzy, "Check and remove the fuzzy flag of these en entries:\n" + "\n".join(fuzzy)


def test_placeholders_match_the_dutch_text():
    problems = []
    for m in _entries(_en()):
        ids, strings = _forms(m.id), _forms(m.string)
        for i, s in enumerate(strings):
            # English has two forms: msgstr[0] goes with msgid, msgstr[1] with msgid_plural.
            expected = set(_PLACEHOLDER.findall(ids[min(i, len(ids) - 1)]))
            found = set(_PLACEHOLDER.findall(s))
            if found != expected:
                problems.append(f"{_label(m)!r} -> {s!r}: expected {sorted(expected)}, found {sorted(found)}")
    assert not problems, "Placeholders differ between Dutch and English:\n" + "\n".join(problems)


def test_catalogues_are_up_to_date_with_the_source():
    template = _extracted()
    known = {m.id for m in _entries(_en())}
    missing = sorted(_label(m) for m in _entries(template) if m.id not in known)
    assert not missing, (
        "These texts are in the source but not in the en catalogue. Run ./scripts/i18n and "
        "translate them:\n" + "\n".join(missing)
    )


def test_english_catalogue_compiles_without_errors(tmp_path):
    errors = [f"{_label(m)!r}: {'; '.join(map(str, errs))}" for m, errs in _en().check()]
    assert not errors, "The en catalogue has errors:\n" + "\n".join(errors)

    mo = tmp_path / "messages.mo"
    result = subprocess.run(
        [*_PYBABEL, "compile", "-i", str(EN_PO), "-o", str(mo), "-l", "en"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "error" not in output.lower(), f"pybabel compile failed:\n{output}"
    with open(mo, "rb") as f:
        translations = gettext.GNUTranslations(f)
    assert translations.gettext("Inloggen") == "Log in"


def test_dutch_sentences_stay_short():
    """B1 guard: aim for 10-12 words a sentence; fail only above MAX_WORDS."""
    offenders = set()
    for m in _entries(_extracted()):
        for text in _forms(m.id):
            for sentence in re.split(r"[.?!:]", text):
                words = sentence.split()
                if len(words) > MAX_WORDS:
                    offenders.add(f"{len(words)} words: {sentence.strip()}")
    assert not offenders, (
        f"These Dutch sentences are longer than {MAX_WORDS} words. Split them up:\n"
        + "\n".join(sorted(offenders))
    )
