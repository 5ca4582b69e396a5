"""The benchmarks' smoke mode runs in CI so the benchmark code cannot rot. No timings are
asserted here: figures come from running bench/ by hand (see bench/README.md)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The benchmarks make their own SQLite database.
pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parent.parent


def test_pooled_results_benchmark_smoke(tmp_path):
    env = {**os.environ, "PEERINTERVIEW_INSTANCE": str(tmp_path)}
    env.pop("BENCH_DATABASE_URL", None)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "pooled_results.py"), "--smoke"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert [row["interviews"] for row in rows] == [50, 200]
    for row in rows:
        assert row["bench"] == "pooled_results" and row["page_ms"] > 0 and row["baseline_sql_ms"] > 0
        assert row["page_bytes"] < 200_000  # the page does not dump every open answer


def _check_answer_save(row):
    assert row["rows_equal_acked"] is True
    for variant in ("app", "baseline_a", "baseline_b"):
        assert row[variant]["saves"] > 0 and row[variant]["rows"] == row[variant]["saves"], variant


CHECKS = {
    "answer_save": _check_answer_save,
    "page_weight": lambda row: row["first_screen_bytes"] > 0 or pytest.fail("no first screen measured"),
    "report_pdf": lambda row: row["pages"] > 0 or pytest.fail("no PDF pages"),
}


# One part per test, so the parts (the longest tests of the suite) spread over the workers.
@pytest.mark.parametrize("part", sorted(CHECKS))
def test_every_benchmark_runs_in_smoke_mode(tmp_path, part):
    """bench/run_all.py --smoke: each part prints its JSON line, and every answer save the server
    acknowledged is a row in the database (the app, the bare WSGI baseline and the raw upsert).
    The results page has its own smoke test above."""
    env = {**os.environ, "PEERINTERVIEW_INSTANCE": str(tmp_path)}
    env.pop("BENCH_DATABASE_URL", None)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "run_all.py"), "--smoke",
                          "--parts", part, "--timeout", "200"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    rows = {row["bench"]: row for row in (json.loads(line) for line in run.stdout.splitlines()
                                          if line.startswith("{"))}
    assert set(rows) == {part}
    assert rows[part]["ok"]
    CHECKS[part](rows[part])
    assert "part" in run.stdout  # the summary table
    if part == "answer_save":
        assert "rows = acknowledged saves" in run.stdout


def test_autosave_parts_benchmark_smoke(tmp_path):
    """bench/autosave_parts.py --smoke: every variant (each shortcut of the autosave switched off
    in turn) still saves, and prints its line."""
    env = {**os.environ, "PEERINTERVIEW_INSTANCE": str(tmp_path)}
    env.pop("BENCH_DATABASE_URL", None)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "autosave_parts.py"), "--smoke"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert [row["variant"] for row in rows][:1] == ["all"] and "transaction" in [row["variant"] for row in rows]
    assert all(row["saves"] == 3 and row["median_ms"] > 0 for row in rows)


def test_b1_checker_benchmark_smoke():
    """bench/b1_checker.py --smoke: a part of the evaluation set, every figure printed. Targets
    are not asserted here (the full set is the bench's job), only that the figures make sense."""
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "b1_checker.py"), "--smoke"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    [row] = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert row["bench"] == "b1_checker" and (row["hard_words"], row["easy_words"], row["text_pairs"]) == (10, 10, 4)
    assert 0.5 < row["auc"] <= 1 and 0 <= row["easy_words_flagged"] <= row["hard_words_flagged"] <= 1
    assert row["ms_per_text_cold"] > 0 and row["ms_per_text_warm"] > 0
    # The held-out half and the figures without the words of the public guide list.
    for key in ("hard_words_flagged_test", "easy_words_flagged_test", "hard_words_flagged_unlisted",
                "hard_words_flagged_test_unlisted", "easy_words_flagged_unlisted"):
        assert 0 <= row[key] <= 1, key
    assert 0 <= row["public_overlap"] <= 20


def test_b1_checker_set_is_kept_out_of_the_checkers_word_lists():
    """The evaluation set measures what the checker finds on its own: none of its words may be
    in the checker's lists (bench/b1_checker_set/README.md)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import b1_checker
    finally:
        sys.path.remove(str(ROOT / "bench"))
    words = b1_checker.read_words("hard_words.tsv") + b1_checker.read_words("easy_words.tsv")
    assert len(words) > 300 and len(b1_checker.read_pairs()) >= 20
    assert b1_checker.overlap(words) == []
    assert b1_checker.overlap(["indien", "constateren", "informatie"]) == ["indien", "constateren", "informatie"]


def test_b1_checker_set_splits_into_a_tune_and_a_held_out_half():
    """The split is fixed (a hash of the word, not of the run) and about half each, and the words
    of the public guide list are counted, so the report can leave them out."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import b1_checker
    finally:
        sys.path.remove(str(ROOT / "bench"))
    hard = b1_checker.read_words("hard_words.tsv")
    parts = [b1_checker.part(w) for w in hard]
    assert set(parts) == {"tune", "test"} and 0.35 < parts.count("test") / len(parts) < 0.65
    assert [b1_checker.part(w) for w in hard] == parts and b1_checker.part("Boete") == b1_checker.part("boete")
    assert b1_checker.public_listed("tijdig") and b1_checker.public_listed("vigerende")
    assert not b1_checker.public_listed("boete") and not b1_checker.public_listed("matige")


def test_slow_tablet_benchmark_smoke(tmp_path):
    """bench/slow_tablet.py --smoke: a real Chromium goes through the start screen and three
    questions of the demo interview and every step gets a time (none is asserted)."""
    env = {**os.environ, "PEERINTERVIEW_INSTANCE": str(tmp_path)}
    env.pop("BENCH_DATABASE_URL", None)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "slow_tablet.py"), "--smoke"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    row = next(json.loads(line) for line in run.stdout.splitlines() if line.startswith("{"))
    assert row["bench"] == "slow_tablet" and row["ok"] and row["server_errors"] == 0
    kinds = [kind for kind, _ms, _note, _in_page in row["steps"]]
    assert kinds[:2] == ["start", "first"] and kinds.count("next") == 3 and kinds.count("saved") == 3
    assert all(ms > 0 for _kind, ms, _note, _in_page in row["steps"])
    # Every step but a wait for a disabled button also has its time from the tap in the page,
    # never more than the time from the moment the tap was sent.
    for kind, ms, _note, in_page in row["steps"]:
        assert (in_page is None) == (kind == "held")
        assert in_page is None or 0 < in_page <= ms + 1
