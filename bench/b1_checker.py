"""Benchmark: how well the B1 checker (peerinterview.plainlanguage) tells hard Dutch from easy Dutch.

The evaluation set is in bench/b1_checker_set/ (its README says where it comes from and how it is
kept apart from the checker's own word lists). The figures:

  auc                  area under the ROC curve of the checker's score (higher = easier) for the
                       easy texts against the hard texts of the before/after pairs. Target ≥ 0.97.
  hard_words_flagged   share of hard words that get any advice on the word (check(word)).
                       Target ≥ 0.90.
  easy_words_flagged   share of everyday words that get any advice on the word. Target ≤ 0.05.
  hard_texts_easy      hard texts the checker labels "makkelijk". Target 0.
  lexicon_overlap      words of the set that are also in the checker's own word lists. Must be 0:
                       the set measures what the checker finds on its own.
  public_overlap       words of the set that are also on the public list of public_words.py (a
                       government writing guide's list, added after the set was written: see its
                       docstring).
  ..._test             the same figure on the held-out half of the words only. The words are split
                       in two by a fixed hash of the word (part()): "tune" and "test". Limits and
                       rules of the checker may be tried on the tune half; the test half is only
                       looked at for the report.
  ..._unlisted         the same figure without the words of public_overlap: what frequency and
                       word form find on their own.
  ms_per_text_cold     milliseconds per text on the first check (the word caches are empty; the
                       dictionaries are loaded by warm_up() first, as the app does at start-up)
  ms_per_text_warm     the same texts again (median): what a designer typing meets

    python bench/b1_checker.py                 # the figures (one JSON line, then a table)
    python bench/b1_checker.py --misses        # also list the words and texts it gets wrong
    python bench/b1_checker.py --check         # exit 1 when a target is missed
    python bench/b1_checker.py --smoke         # a small part of the set: proves the bench runs
"""
import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peerinterview.plainlanguage import check, warm_up  # noqa: E402  (after the sys.path line)

SET = Path(__file__).resolve().parent / "b1_checker_set"
TARGETS = {"auc": 0.97, "hard_words_flagged": 0.90, "easy_words_flagged": 0.05, "hard_texts_easy": 0,
           "lexicon_overlap": 0}
# Advice about a sentence, not about a word.
SENTENCE_KINDS = ("long_sentence", "passive")


def read_words(name: str) -> list[str]:
    lines = (SET / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0].strip() for line in lines if line.strip() and not line.startswith("#")]


def read_pairs() -> list[tuple[str, str, str]]:
    """(name, hard text, easy text) for each block of text_pairs.txt."""
    pairs, name, texts = [], None, {}
    for line in (SET / "text_pairs.txt").read_text(encoding="utf-8").splitlines() + ["## end"]:
        if line.startswith("## "):
            if name is not None:
                pairs.append((name, texts["moeilijk"], texts["makkelijk"]))
            name, texts = line[3:].strip(), {}
        elif ":" in line and not line.startswith("#"):
            key, text = line.split(":", 1)
            texts[key.strip()] = text.strip()
    return pairs


def part(word: str) -> str:
    """"tune" or "test": a fixed split of the words by a hash of the word, about half each."""
    return "test" if hashlib.sha256(word.lower().encode("utf-8")).digest()[0] % 2 else "tune"


def public_listed(word: str) -> bool:
    from peerinterview.plainlanguage.register import in_public_list

    return in_public_list(word.lower())


def flagged(word: str) -> list[str]:
    """The kinds of advice the checker gives on this word alone."""
    return [f.kind for f in check(word).flags if f.kind not in SENTENCE_KINDS]


def auc(easy: list[float], hard: list[float]) -> float:
    """Probability that an easy text scores higher (easier) than a hard one; ties count half."""
    wins = sum(1.0 if e > h else 0.5 if e == h else 0.0 for e in easy for h in hard)
    return wins / (len(easy) * len(hard))


def lexicon_words() -> set[str]:
    """Every plain word of the checker's own lists (patterns of the officialese list included)."""
    import re

    from peerinterview.plainlanguage import lexicon

    words = set(getattr(lexicon, "DOMAIN_WORDS", ())) | set(getattr(lexicon, "COMMON_LONG_WORDS", ()))
    words |= set(getattr(lexicon, "FORMAL_WORDS", {}))
    patterns = [re.compile(p, re.IGNORECASE) for p, _ in getattr(lexicon, "OFFICIALESE", ())]
    return words, patterns


def overlap(words: list[str]) -> list[str]:
    listed, patterns = lexicon_words()
    return [w for w in words if w.lower() in listed or any(p.fullmatch(w) for p in patterns)]


def measure(hard_words, easy_words, pairs) -> tuple[dict, dict]:
    warm_up()
    texts = [t for _, hard, easy in pairs for t in (hard, easy)]
    t0 = time.perf_counter()
    reports = [check(t) for t in texts]
    cold = (time.perf_counter() - t0) * 1000 / len(texts)
    warm = []
    for _ in range(5):
        t0 = time.perf_counter()
        for t in texts:
            check(t)
        warm.append((time.perf_counter() - t0) * 1000 / len(texts))
    hard_reports, easy_reports = reports[0::2], reports[1::2]
    missed = [w for w in hard_words if not flagged(w)]
    noisy = {w: flagged(w) for w in easy_words if flagged(w)}

    def share(words: list[str], hits) -> float:
        return round(sum(1 for w in words if w in hits) / len(words), 4) if words else 0.0

    hits = set(hard_words) - set(missed)
    test_hard = [w for w in hard_words if part(w) == "test"]
    test_easy = [w for w in easy_words if part(w) == "test"]
    listed = [w for w in hard_words + easy_words if public_listed(w)]
    row = {
        "bench": "b1_checker",
        "hard_words": len(hard_words), "easy_words": len(easy_words), "text_pairs": len(pairs),
        "auc": round(auc([r.score for r in easy_reports], [r.score for r in hard_reports]), 4),
        "hard_words_flagged": round(1 - len(missed) / len(hard_words), 4),
        "easy_words_flagged": round(len(noisy) / len(easy_words), 4),
        "hard_texts_easy": sum(r.label == "makkelijk" for r in hard_reports),
        "lexicon_overlap": len(overlap(hard_words + easy_words)),
        "public_overlap": len(listed),
        "hard_words_flagged_test": share(test_hard, hits),
        "easy_words_flagged_test": share(test_easy, noisy),
        "hard_words_flagged_unlisted": share([w for w in hard_words if w not in listed], hits),
        "hard_words_flagged_test_unlisted": share([w for w in test_hard if w not in listed], hits),
        "easy_words_flagged_unlisted": share([w for w in easy_words if w not in listed], noisy),
        "ms_per_text_cold": round(cold, 2),
        "ms_per_text_warm": round(statistics.median(warm), 2),
    }
    details = {
        "missed hard words": [f"{w} ({part(w)}{', listed' if w in listed else ''})" for w in missed],
        "flagged easy words": [f"{w} ({', '.join(kinds)})" for w, kinds in noisy.items()],
        "hard texts labelled makkelijk": [n for (n, _, _), r in zip(pairs, hard_reports) if r.label == "makkelijk"],
        "pairs where the easy text does not score higher": [
            f"{n}: hard {h.score} / easy {e.score}" for (n, _, _), h, e in zip(pairs, hard_reports, easy_reports)
            if e.score <= h.score
        ],
        "words also in the checker's lists": overlap(hard_words + easy_words),
        "words also on the public list": listed,
    }
    return row, details


def missed_targets(row: dict) -> list[str]:
    out = []
    if row["auc"] < TARGETS["auc"]:
        out.append(f"auc {row['auc']} < {TARGETS['auc']}")
    if row["hard_words_flagged"] < TARGETS["hard_words_flagged"]:
        out.append(f"hard words flagged {row['hard_words_flagged']} < {TARGETS['hard_words_flagged']}")
    if row["easy_words_flagged"] > TARGETS["easy_words_flagged"]:
        out.append(f"easy words flagged {row['easy_words_flagged']} > {TARGETS['easy_words_flagged']}")
    if row["hard_texts_easy"] > TARGETS["hard_texts_easy"]:
        out.append(f"{row['hard_texts_easy']} hard texts labelled makkelijk")
    if row["lexicon_overlap"] > TARGETS["lexicon_overlap"]:
        out.append(f"{row['lexicon_overlap']} words of the set are in the checker's own lists")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="a small part of the set: proves the bench runs")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--misses", action="store_true", help="list the words and texts it gets wrong")
    args = parser.parse_args()
    hard_words, easy_words, pairs = read_words("hard_words.tsv"), read_words("easy_words.tsv"), read_pairs()
    if args.smoke:
        hard_words, easy_words, pairs = hard_words[:10], easy_words[:10], pairs[:4]
    row, details = measure(hard_words, easy_words, pairs)
    misses = missed_targets(row)
    row["ok"] = not misses
    print(json.dumps(row), flush=True)
    print(f"{'figure':<34}{'value':>10}   target")
    for key, value in row.items():
        if key in TARGETS or key.startswith(("ms_", "hard_words_flagged", "easy_words_flagged", "public_")):
            target = TARGETS.get(key)
            sign = "≥" if key in ("auc", "hard_words_flagged") else "≤"
            print(f"{key:<34}{value:>10}   {'' if target is None else f'{sign} {target}'}")
    if args.misses:
        for title, items in details.items():
            print(f"\n{title} ({len(items)}):")
            for item in items:
                print(f"  {item}")
    if misses:
        print("\nmissed: " + "; ".join(misses))
    return 1 if args.check and misses else 0


if __name__ == "__main__":
    sys.exit(main())
