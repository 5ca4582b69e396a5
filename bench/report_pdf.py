"""Benchmark: the report PDF of a big project, through the app: time and peak memory.

Seeds a project with N completed interviews × 40 questions (the same data as
bench/pooled_results.py), starts the app under gunicorn with one worker and one thread
(gunicorn.conf.py, production config), logs in as the panel member and asks for
GET /projects/<id>/report.pdf, as the "PDF" button does. Reports the seconds until the last
byte, the PDF's size and pages, and the worker's peak memory (VmHWM: the most it ever held, so
the seeding in this process does not count) before and after.

    python bench/report_pdf.py                       # 10,000 interviews, SQLite
    BENCH_DATABASE_URL=postgresql+psycopg://… python bench/report_pdf.py
    python bench/report_pdf.py --smoke               # 200 interviews
"""
import argparse
import asyncio
import io
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    Browser,
    Gunicorn,
    app_environment,
    database_name,
    database_url,
    fresh_app,
    log_in,
)


def peak_kib(pid: int) -> dict:
    """Peak and current resident memory of one process (Linux /proc), in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            fields[name] = int(value.split()[0])
    return fields


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


async def fetch_pdf(port: int, username: str, password: str, project_id: int, pid: int) -> dict:
    browser = Browser(port)
    await log_in(browser, username, password)
    # Warm-up: the report page (templates compiled, imports done), not timed.
    page = await browser.request("GET", f"/projects/{project_id}/report")
    if page.status != 200:
        raise RuntimeError(f"report page answered {page.status}")
    before = peak_kib(pid)
    started = time.perf_counter()
    reply = await browser.request("GET", f"/projects/{project_id}/report.pdf",
                                  headers={"Accept": "application/pdf,*/*"})
    seconds = time.perf_counter() - started
    after = peak_kib(pid)
    await browser.close()
    if reply.status != 200 or not reply.body.startswith(b"%PDF"):
        raise RuntimeError(f"report.pdf answered {reply.status}: {reply.body[:300]!r}")
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(reply.body)).pages)
    return {"seconds": round(seconds, 2), "pdf_bytes": len(reply.body), "pages": pages,
            "worker_rss_before_mib": round(before["VmRSS"] / 1024, 1),
            "worker_peak_mib": round(after["VmHWM"] / 1024, 1),
            "peak_growth_mib": round((after["VmHWM"] - before["VmHWM"]) / 1024, 1)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interviews", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true", help="200 interviews: proves the bench runs")
    args = parser.parse_args(argv)
    interviews = 200 if args.smoke else args.interviews
    from pooled_results import PASSWORD, QUESTIONS, seed

    url = database_url()
    app = fresh_app(url)
    started = time.perf_counter()
    project_id = seed(app, interviews)
    seed_seconds = time.perf_counter() - started
    env = {**app_environment(url), "GUNICORN_TIMEOUT": "600"}
    with Gunicorn("app:app", env, workers=1, threads=1) as server:
        figures = asyncio.run(fetch_pdf(server.port, f"panel-{interviews}", PASSWORD, project_id,
                                        worker_pid(server.process.pid)))
    row = {"bench": "report_pdf", "database": database_name(url), "interviews": interviews,
           "answers": interviews * QUESTIONS, "seed_seconds": round(seed_seconds, 1), **figures}
    print(json.dumps(row), flush=True)
    print(f"\n{'interviews':>10} {'seconds':>8} {'pages':>6} {'PDF KB':>7} {'peak MiB':>9} {'growth MiB':>11}")
    print(f"{row['interviews']:>10} {row['seconds']:>8} {row['pages']:>6} {row['pdf_bytes'] / 1024:>7.0f} "
          f"{row['worker_peak_mib']:>9} {row['peak_growth_mib']:>11}")
    return row


if __name__ == "__main__":
    main()
