"""Every benchmark in one command: one JSON line per part, then a summary table with the targets.

    python bench/run_all.py                 # full sizes, SQLite (plus PostgreSQL, see below)
    python bench/run_all.py --smoke         # small sizes, well under a minute: proves it all runs
    BENCH_DATABASE_URL=postgresql+psycopg://user@host/benchdb python bench/run_all.py

With BENCH_DATABASE_URL the parts that use a database run on SQLite and then on PostgreSQL
(that database is emptied first). Each part runs in its own process, one after the other:

  answer_save     saves under load (50 tablets), against a bare WSGI upsert and the raw upsert
  pooled_results  results page at 1,000 / 10,000 / 50,000 interviews against plain SQL
  page_weight     bytes on the wire for the first screen and for each answer
  report_pdf      the report PDF of the 10,000-interview project: time and peak memory

Figures are ratios against baselines measured in the same run on the same machine; absolute
numbers depend on the machine (and on what else runs on it).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
SQLITE = "sqlite"

# part -> (script, arguments for a full run, arguments for a smoke run, uses the database)
PARTS = {
    "answer_save": ("answer_save.py", [], ["--smoke"], True),
    "pooled_results": ("pooled_results.py", ["--sizes", "1000,10000,50000"], ["--smoke"], True),
    "page_weight": ("page_weight.py", [], ["--smoke"], False),
    "report_pdf": ("report_pdf.py", [], ["--smoke"], True),
}


def run_part(name: str, database: str, smoke: bool, timeout: int) -> dict:
    script, full_args, smoke_args, _ = PARTS[name]
    env = {**os.environ, "PEERINTERVIEW_INSTANCE": tempfile.mkdtemp(prefix=f"bench-{name}-")}
    env.pop("BENCH_DATABASE_URL", None)
    if database != SQLITE:
        env["BENCH_DATABASE_URL"] = database
    started = time.perf_counter()
    try:
        run = subprocess.run([sys.executable, str(HERE / script), *(smoke_args if smoke else full_args)],
                             cwd=HERE.parent, env=env, capture_output=True, text=True, timeout=timeout,
                             check=False)
    except subprocess.TimeoutExpired:
        return {"bench": name, "database": _db_name(database), "ok": False, "error": f"timeout after {timeout} s"}
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    result = {"bench": name, "database": _db_name(database), "ok": run.returncode == 0 and bool(lines),
              "seconds": round(time.perf_counter() - started, 1), "lines": lines}
    if not result["ok"]:
        result["error"] = (run.stderr or run.stdout)[-2000:]
    return result


def _db_name(url: str) -> str:
    return "postgresql" if url.startswith("postgres") else "sqlite"


def condensed(result: dict) -> dict:
    """The one JSON line of a part: its key figures and targets, plus every detail line."""
    lines = result.get("lines") or []
    out = {k: v for k, v in result.items() if k != "lines"}
    name = result["bench"]
    if name == "answer_save":
        summary = next((r for r in lines if r.get("variant") == "summary"), {})
        # Each round's line, then the median round's line per variant: the median counts.
        variants = {r["variant"]: r for r in lines if r.get("variant") != "summary" and r.get("round") == "median"}
        out.update({k: v for k, v in summary.items() if k not in ("bench", "variant", "database")})
        for variant, row in variants.items():
            out[variant] = {k: row.get(k) for k in ("saves", "errors", "saves_per_s", "p50_ms", "p95_ms",
                                                     "p99_ms", "rows", "rows_equal_acked", "rounds_saves_per_s")
                            if k in row}
        out["rows_equal_acked"] = bool(variants) and all(r.get("rows_equal_acked") for r in variants.values())
        out["targets_met"] = bool(summary) and all(summary.get(k) for k in (
            "target_throughput_ge_0_5", "target_p99_le_3x", "target_zero_errors", "rows_equal_acked"))
    elif name == "pooled_results":
        out["sizes"] = [{k: v for k, v in r.items() if k not in ("bench", "database")} for r in lines]
        if len(lines) > 1:
            first, last = lines[0], lines[-1]
            out["growth_vs_linear"] = growth(first, last, "page_ms")
            # Per step (1,000 -> 10,000 -> 50,000): time grown / data grown; 1.0 is linear.
            out["growth_steps"] = [
                {"from": a["interviews"], "to": b["interviews"],
                 **{key: growth(a, b, key) for key in ("page_ms", "baseline_sql_ms", "breakdown_ms", "themes_ms")
                    if a.get(key) and b.get(key)}}
                for a, b in pairwise(lines)]
        if lines:
            out["ratio_at_largest"] = lines[-1].get("ratio")
            out["targets_met"] = (lines[-1].get("ratio", 99) <= 2 and lines[-1].get("breakdown_ratio", 0) <= 2
                                  and all(step.get("page_ms", 0) <= 1.05 for step in out.get("growth_steps", [])))
    elif name == "page_weight" and lines:
        out.update({k: v for k, v in lines[0].items() if k not in ("bench", "database")})
        out["targets_met"] = lines[0]["first_screen_within_budget"] and lines[0]["answer_within_budget"]
    elif name == "report_pdf" and lines:
        out.update({k: v for k, v in lines[0].items() if k not in ("bench", "database")})
    return out


def growth(small: dict, large: dict, key: str) -> float:
    """How much faster than the data the time grew: 1.0 is linear, below 1 is better."""
    return round((large[key] / small[key]) / (large["interviews"] / small["interviews"]), 2)


def table(rows: list[dict]) -> str:
    lines = [f"{'part':<15} {'database':<10} {'figure':<44} {'target':<14} {'met':<4}"]

    def add(row, figure, target, met):
        flag = "" if met is None else ("yes" if met else "NO")
        lines.append(f"{row['bench']:<15} {row['database']:<10} {figure:<44} {target:<14} {flag:<4}")

    for row in rows:
        if not row.get("ok"):
            add(row, "FAILED: " + (row.get("error") or "")[-40:].replace("\n", " "), "", False)
            continue
        name = row["bench"]
        if name == "answer_save":
            app, a = row.get("app", {}), row.get("baseline_a", {})
            add(row, f"saves/s app {app.get('saves_per_s')} vs bare WSGI {a.get('saves_per_s')}",
                "≥ 0.5", row.get("target_throughput_ge_0_5"))
            add(row, f"  ratio {row.get('throughput_app_vs_a')}; p99 {app.get('p99_ms')} vs {a.get('p99_ms')} ms",
                "p99 ≤ 3×", row.get("target_p99_le_3x"))
            add(row, f"  p99 ratio {row.get('p99_app_vs_a')}; errors {app.get('errors')}", "0 errors",
                row.get("target_zero_errors"))
            add(row, "  rows = acknowledged saves", "equal", row.get("rows_equal_acked"))
            if row.get("app_sync"):
                add(row, f"  encrypted sync {row['app_sync'].get('saves_per_s')}/s = "
                         f"{row.get('throughput_sync_vs_a')}× bare WSGI", "", None)
        elif name == "pooled_results":
            for size in row.get("sizes", []):
                breakdown = size.get("breakdown_ratio")
                add(row, f"{size['interviews']:>6} interviews: page/SQL {size['ratio']}"
                         + (f", breakdown/SQL {breakdown}" if breakdown is not None else ""), "≤ 2×",
                    size["ratio"] <= 2 and (breakdown is None or breakdown <= 2))
                if size.get("themes_ratio") is not None:
                    add(row, f"  themes board/SQL {size['themes_ratio']} ({size['themes_ms']} ms)", "", None)
            for step in row.get("growth_steps", []):
                add(row, f"  {step['from']}→{step['to']}: page grows {step.get('page_ms')}× the data "
                         f"(SQL {step.get('baseline_sql_ms')}×, themes {step.get('themes_ms')}×)", "≤ 1 (linear)",
                    step.get("page_ms", 9) <= 1.05)
        elif name == "page_weight":
            add(row, f"first screen {row['first_screen_bytes']} B (Brotli {row['first_screen_bytes_br']} B)",
                "≤ 40 KB", row["first_screen_within_budget"])
            add(row, f"answer save {row['answer_save_bytes_max']} B (encrypted sync {row['sync_answer_bytes_max']} B)",
                "≤ 2 KB", row["answer_within_budget"])
        elif name == "report_pdf":
            add(row, f"{row['interviews']} interviews: {row['seconds']} s, {row['pages']} pages, "
                     f"peak {row['worker_peak_mib']} MiB", "", None)
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="small sizes: proves every part runs (CI)")
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated subset of: " + ", ".join(PARTS))
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per part")
    args = parser.parse_args(argv)
    databases = [SQLITE] + ([os.environ["BENCH_DATABASE_URL"]] if os.environ.get("BENCH_DATABASE_URL") else [])
    rows = []
    for name in [p.strip() for p in args.parts.split(",") if p.strip()]:
        if name not in PARTS:
            parser.error(f"unknown part: {name}")
        for database in (databases if PARTS[name][3] else [SQLITE]):
            row = condensed(run_part(name, database, args.smoke, args.timeout))
            print(json.dumps(row), flush=True)
            rows.append(row)
    print()
    print(table(rows))
    return 0 if all(r.get("ok") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
