"""The benchmarks' smoke mode runs in CI so the benchmark code cannot rot. No timings are
asserted here: figures come from running bench/ by hand (see bench/README.md)."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pooled_results_benchmark_smoke(tmp_path):
    env = {**os.environ, "PEERINTERVIEW_INSTANCE": str(tmp_path)}
    env.pop("BENCH_DATABASE_URL", None)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "pooled_results.py"), "--smoke"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert [row["interviews"] for row in rows] == [50, 200]
    for row in rows:
        assert row["bench"] == "pooled_results" and row["page_ms"] > 0 and row["baseline_sql_ms"] > 0
        assert row["page_bytes"] < 200_000  # the page does not dump every open answer
