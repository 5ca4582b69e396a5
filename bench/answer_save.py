"""Benchmark: answer saves under load, against the bare upsert they need.

N simulated tablets (default 50) each log in (GET /login for the CSRF token, POST /login), open
the start screen, give consent and start an interview, and then save one answer per question
exactly as the browser's htmx autosave does (POST /interviews/<id>/questions/<n>/answer with
HX-Request, X-CSRFToken, the form's fields and action=save); at the end each finishes its
interview. Only the saves are timed. Three variants, measured in the same run, on the same
database, one after the other:

  app         the app under gunicorn (gunicorn.conf.py, production config)
  app_sync    the same app, each answer sent as the offline code sends it over HTTPS (where the
              browser has WebCrypto): encrypted for the project's public key, POST /sync
  baseline_a  a bare WSGI handler (bench/baseline_wsgi.py) under the same gunicorn settings
              doing the same single INSERT … ON CONFLICT DO UPDATE per request, same pragmas
  baseline_b  the same upsert in-process, one transaction per save, one after the other

The three variants under gunicorn take turns for --rounds rounds (default 3); for each the
round with the median throughput counts (every round must have zero errors and rows = saves).
Prints one JSON line per variant and round, then one per variant for the median round, then a
summary line with the ratios app/baseline_a and whether the targets hold (throughput ≥ 50 % of
baseline_a, p99 ≤ 3× baseline_a's p99, zero errors, rows in the database = acknowledged saves),
then a table.

    python bench/answer_save.py                       # SQLite, 50 tablets × 40 questions
    python bench/answer_save.py --tablets 20 --questions 10
    BENCH_DATABASE_URL=postgresql+psycopg://… python bench/answer_save.py
    python bench/answer_save.py --smoke               # 4 tablets × 5 questions, for CI

The database in BENCH_DATABASE_URL is emptied first (all tables dropped and migrated again).
"""
import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    Browser,
    Gunicorn,
    answer_for,
    app_environment,
    database_name,
    database_url,
    form_fields,
    fresh_app,
    log_in,
    percentiles,
    seed_interview_project,
    start_interview,
)

HTMX_HEADERS = {"HX-Request": "true", "HX-Target": "save-status", "HX-Trigger": "question-read"}


# --- the tablets -----------------------------------------------------------------------------

def saved(reply) -> bool:
    return reply.status == 200 and "Opgeslagen" in reply.text


async def timed_saves(save, questions, go: asyncio.Event, out: dict, acknowledged=saved):
    """What the app's tablets and baseline (a)'s do alike: a warm-up round (not counted: every
    answer saved once, so each server process has met each question before; a server that has
    run for a while has), ready, then at `go` every answer saved again and timed.
    `save(number, question_id, kind, values)` sends one save and returns the reply;
    `acknowledged(reply)` says whether the server took it."""
    for number, (question_id, kind, values) in enumerate(questions, 1):
        warm = await save(number, question_id, kind, values)
        if not acknowledged(warm):
            raise RuntimeError(f"warm-up save answered {warm.status}")
    out["ready"] += 1
    await go.wait()
    for number, (question_id, kind, values) in enumerate(questions, 1):
        started = time.perf_counter()
        try:
            reply = await save(number, question_id, kind, values)
        except Exception as error:  # noqa: BLE001  (counted, never hidden)
            out["errors"].append(f"{type(error).__name__}: {error}")
            continue
        elapsed = time.perf_counter() - started
        if acknowledged(reply):
            out["latencies"].append(elapsed)
            out["wire_bytes"].append(reply.wire_bytes + reply.sent_bytes)
        else:
            out["errors"].append(f"save answered {reply.status}")
    out["finished_at"].append(time.perf_counter())


async def begin(browser, username, seeded, out: dict):
    """Log in and start an interview, as a tablet does; returns (interview id, question 1)."""
    await log_in(browser, username)
    interview_id, page = await start_interview(browser, seeded.project_id)
    if page.status != 200:
        raise RuntimeError(f"question 1 answered {page.status}")
    out["interviews"].append(interview_id)
    return interview_id, page


async def app_tablet(port, username, seeded, go: asyncio.Event, out: dict):
    browser = Browser(port)
    try:
        interview_id, page = await begin(browser, username, seeded, out)
        csrf = next(iter(form_fields(page.text).forms.values()))["csrf_token"]

        def save(number, _question_id, kind, values):
            page = f"/interviews/{interview_id}/questions/{number}"
            form = {"csrf_token": csrf, **answer_for(kind, values, number), "action": "save"}
            headers = {**HTMX_HEADERS, "HX-Current-URL": f"http://127.0.0.1:{port}{page}", "X-CSRFToken": csrf}
            return browser.request("POST", f"{page}/answer", form=form, headers=headers)

        await timed_saves(save, seeded.questions, go, out)
        # The end of the interview: the overview, "Klaar" (not timed).
        overview = f"/interviews/{interview_id}/overview"
        page = await browser.request("GET", overview)
        fields = form_fields(page.text).forms.get(overview, {"csrf_token": csrf})
        done = await browser.request("POST", overview, form=fields)
        if done.status != 303:
            out["errors"].append(f"finishing answered {done.status}")
        else:
            out["completed"] += 1
    except Exception as error:  # noqa: BLE001
        out["errors"].append(f"{type(error).__name__}: {error}")
        out["ready"] += 1  # never leave the others waiting
    finally:
        await browser.close()


async def app_sync_tablet(port, username, seeded, go: asyncio.Event, out: dict):
    """A tablet whose browser has WebCrypto: the offline code encrypts each answer and sends it to
    /interviews/<id>/sync instead of the htmx autosave (one answer per request, as on a good
    connection)."""
    from page_weight import envelope

    browser = Browser(port)
    try:
        interview_id, _page = await begin(browser, username, seeded, out)
        key_reply = await browser.request("GET", f"/projects/{seeded.project_id}/interview-key",
                                          headers={"Accept": "application/json"})
        key = json.loads(key_reply.text)
        path = f"/interviews/{interview_id}/sync"
        clock = [int(time.time() * 1000)]
        sent = {}

        def save(number, question_id, kind, values):
            given = answer_for(kind, values, number)
            clock[0] += 1  # each change later than the one before, as on the tablet
            item = envelope(key, interview_id, question_id, clock[0],
                            {"value": given.get("answer"), "text": given.get("text"), "special": None})
            sent["id"] = item["id"]
            return browser.request("POST", path, json_body={"items": [item]},
                                   headers={"Accept": "application/json", "X-CSRFToken": key["csrf_token"]})

        await timed_saves(save, seeded.questions, go, out,
                          acknowledged=lambda reply: reply.status == 200 and sent["id"] in reply.text)
    except Exception as error:  # noqa: BLE001
        out["errors"].append(f"{type(error).__name__}: {error}")
        out["ready"] += 1
    finally:
        await browser.close()


async def baseline_tablet(port, interview_id, seeded, go: asyncio.Event, out: dict):
    browser = Browser(port)
    def save(number, question_id, kind, values):
        given = answer_for(kind, values, number)
        form = {"interview": interview_id, "question": question_id,
                **({"text": given["text"]} if "text" in given else {"value": given["answer"]})}
        headers = {**HTMX_HEADERS, "HX-Current-URL": f"http://127.0.0.1:{port}/save"}
        return browser.request("POST", "/save", form=form, headers=headers)

    try:
        await timed_saves(save, seeded.questions, go, out)
    except Exception as error:  # noqa: BLE001
        out["errors"].append(f"{type(error).__name__}: {error}")
        out["ready"] += 1
    finally:
        await browser.close()


def new_outcome():
    return {"latencies": [], "errors": [], "wire_bytes": [], "finished_at": [], "interviews": [],
            "ready": 0, "completed": 0}


async def run_tablets(make_tablet, count: int) -> dict:
    out = new_outcome()
    go = asyncio.Event()
    tasks = [asyncio.create_task(make_tablet(n, go, out)) for n in range(count)]
    while out["ready"] < count and not all(t.done() for t in tasks):
        await asyncio.sleep(0.05)
    started = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    out["seconds"] = (max(out["finished_at"]) - started) if out["finished_at"] else None
    return out


def figures(variant: str, out: dict, rows: int, extra: dict) -> dict:
    acked = len(out["latencies"])
    seconds = out["seconds"] or float("nan")
    return {
        "bench": "answer_save", "variant": variant, **extra, "saves": acked,
        "errors": len(out["errors"]), "error_examples": sorted(set(out["errors"]))[:3],
        "seconds": round(seconds, 3), "saves_per_s": round(acked / seconds, 1) if out["seconds"] else 0,
        **percentiles(out["latencies"]),
        "bytes_per_save": round(sum(out["wire_bytes"]) / acked) if acked else None,
        "rows": rows, "rows_equal_acked": rows == acked,
    }


# --- rows in the database --------------------------------------------------------------------

def stored_rows(app, interview_ids) -> int:
    from sqlalchemy import func, or_, select

    from peerinterview.extensions import db
    from peerinterview.models import Answer

    if not interview_ids:
        return 0
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Answer).where(
            Answer.interview_id.in_(list(interview_ids)),
            or_(Answer.value.is_not(None), Answer.text.is_not(None))))
        db.session.remove()
        return count


def make_interviews(app, seeded, count: int, tag: str) -> list:
    """Interviews in progress for the baselines (the app's tablets start their own)."""
    from sqlalchemy import insert

    from peerinterview.extensions import db
    from peerinterview.models import Interview
    from peerinterview.models.base import utcnow

    now = utcnow()
    ids = [str(uuid.uuid4()) for _ in range(count)]
    with app.app_context():
        db.session.execute(insert(Interview), [{
            "id": interview_id, "project_id": seeded.project_id, "version_id": seeded.version_id,
            "location_id": seeded.location_ids[0], "interviewer_id": seeded.user_ids[n % len(seeded.user_ids)],
            "respondent_code": f"{tag}{n:04d}", "language": "nl", "consent_version": 1, "consent_given_at": now,
            "consent_method": "interviewer_tablet", "status": "in_progress", "started_at": now,
            "follow_up_needed": False,
        } for n, interview_id in enumerate(ids)])
        db.session.commit()
        db.session.remove()
    return ids


def raw_upserts(url: str, seeded, interview_ids: list, limit: int) -> dict:
    """Baseline (b): the upsert in this process, one transaction per save, one after the other."""
    from baseline_wsgi import make_engine, upsert

    engine = make_engine(url)
    out = new_outcome()
    plan = [(interview_id, number, q) for interview_id in interview_ids
            for number, q in enumerate(seeded.questions, 1)][:limit]
    started = time.perf_counter()
    for interview_id, number, (question_id, kind, values) in plan:
        given = answer_for(kind, values, number)
        t0 = time.perf_counter()
        try:
            with engine.begin() as connection:
                upsert(connection, interview_id, question_id, given.get("answer"), given.get("text"))
        except Exception as error:  # noqa: BLE001
            out["errors"].append(f"{type(error).__name__}: {error}")
            continue
        out["latencies"].append(time.perf_counter() - t0)
    out["seconds"] = time.perf_counter() - started
    engine.dispose()
    return out


# --- main ------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tablets", type=int, default=50)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py)")
    parser.add_argument("--only", choices=["app"], help="run only the app (to profile); no baselines, no summary")
    parser.add_argument("--rounds", type=int, default=3,
                        help="the app and baseline (a) take turns this many times; the median round counts")
    parser.add_argument("--smoke", action="store_true", help="4 tablets × 5 questions: proves the bench runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.tablets, args.questions, args.rounds = 4, 5, 1
        args.workers, args.threads = args.workers or 2, args.threads or 2
    url = database_url()
    database = database_name(url)
    app = fresh_app(url)
    seeded = seed_interview_project(app, interviewers=args.tablets, questions=args.questions)
    workers_threads = {"GUNICORN_WORKERS": args.workers, "GUNICORN_THREADS": args.threads}
    settings = {"database": database, "tablets": args.tablets, "questions": args.questions,
                "workers": args.workers or int(os.environ.get("GUNICORN_WORKERS") or 0) or "conf",
                "threads": args.threads or int(os.environ.get("GUNICORN_THREADS") or 0) or "conf"}
    if args.only == "app":
        return [_run_app(app, seeded, url, args, settings, workers_threads)], None

    rounds = {"app": [], "app_sync": [], "baseline_a": []}
    for number in range(1, args.rounds + 1):
        # The variants take turns, round after round: a slow moment of the machine (another
        # process, a WAL checkpoint) then falls on one round of one variant, not on all of one.
        tagged = {"round": number, **settings}
        rounds["app"].append(_run_app(app, seeded, url, args, tagged, workers_threads))
        rounds["app_sync"].append(_run_app(app, seeded, url, args, tagged, workers_threads, variant="app_sync"))
        # Baseline (a): the bare WSGI upsert under the same gunicorn settings.
        ids_a = make_interviews(app, seeded, args.tablets, f"A{number}")
        with Gunicorn("bench.baseline_wsgi:app", {"DATABASE_URL": url},
                      health_path=None, **_kw(workers_threads)) as server:
            out_a = asyncio.run(run_tablets(
                lambda n, go, o: baseline_tablet(server.port, ids_a[n], seeded, go, o), args.tablets))
        row_a = figures("baseline_a", out_a, stored_rows(app, ids_a), tagged)
        rounds["baseline_a"].append(row_a)
        print(json.dumps(row_a), flush=True)

    # Baseline (b): the raw upsert in-process.
    ids_b = make_interviews(app, seeded, args.tablets, "B")
    out_b = raw_upserts(url, seeded, ids_b, limit=min(args.tablets * args.questions, 2000))
    row_b = figures("baseline_b", out_b, stored_rows(app, ids_b), {"round": "median", **settings})

    app_row, sync_row, a_row = (median_round(rounds[name]) for name in ("app", "app_sync", "baseline_a"))
    rows = [app_row, sync_row, a_row, row_b]
    for row in rows:
        print(json.dumps(row), flush=True)
    summary = summarise(app_row, a_row, row_b, sync_row)
    print(json.dumps(summary), flush=True)
    print_table(rows, summary)
    return rows, summary


def median_round(rows: list[dict]) -> dict:
    """The round with the median throughput, with every round's throughput beside it; rows =
    acknowledged saves and zero errors must hold in every round, not only in that one."""
    middle = sorted(rows, key=lambda row: row["saves_per_s"])[len(rows) // 2]
    return {**middle, "round": "median", "rounds_saves_per_s": [row["saves_per_s"] for row in rows],
            "rounds_p99_ms": [row["p99_ms"] for row in rows],
            "errors": sum(row["errors"] for row in rows),
            "server_errors_logged": sum(row.get("server_errors_logged", 0) for row in rows),
            "rows_equal_acked": all(row["rows_equal_acked"] for row in rows)}


def _run_app(app, seeded, url, args, settings, workers_threads, variant="app") -> dict:
    """The app, as the tablets use it: htmx autosaves ("app") or encrypted syncs ("app_sync").
    Each variant starts interviews of its own, so the rows counted are its own."""
    tablet = app_tablet if variant == "app" else app_sync_tablet
    with Gunicorn("app:app", app_environment(url), **_kw(workers_threads)) as server:
        out = asyncio.run(run_tablets(
            lambda n, go, o: tablet(server.port, seeded.usernames[n], seeded, go, o), args.tablets))
        logged = server.errors_logged()
    row = figures(variant, out, stored_rows(app, out["interviews"]), settings)
    row["interviews_completed"] = out["completed"]
    row["server_errors_logged"] = len(logged)
    print(json.dumps(row), flush=True)
    return row


def _kw(workers_threads: dict) -> dict:
    return {"workers": workers_threads["GUNICORN_WORKERS"], "threads": workers_threads["GUNICORN_THREADS"]}


def summarise(app_row, a_row, b_row, sync_row) -> dict:
    def ratio(x, y):
        return round(x / y, 2) if x and y else None

    throughput = ratio(app_row["saves_per_s"], a_row["saves_per_s"])
    p99 = ratio(app_row["p99_ms"], a_row["p99_ms"])
    # Also each round's app against the same round's baseline (run a minute apart, so a slow
    # spell of the machine falls on both): the spread shows how much the machine moved.
    per_round = [ratio(x, y) for x, y in zip(app_row.get("rounds_saves_per_s", []),
                                              a_row.get("rounds_saves_per_s", []), strict=True)]
    return {
        "bench": "answer_save", "variant": "summary", "database": app_row["database"],
        "throughput_app_vs_a": throughput, "p99_app_vs_a": p99,
        "throughput_app_vs_a_per_round": per_round,
        "p50_app_vs_a": ratio(app_row["p50_ms"], a_row["p50_ms"]),
        "throughput_app_vs_b": ratio(app_row["saves_per_s"], b_row["saves_per_s"]),
        "throughput_a_vs_b": ratio(a_row["saves_per_s"], b_row["saves_per_s"]),
        "throughput_sync_vs_a": ratio(sync_row["saves_per_s"], a_row["saves_per_s"]),
        "p99_sync_vs_a": ratio(sync_row["p99_ms"], a_row["p99_ms"]),
        "target_throughput_ge_0_5": throughput is not None and throughput >= 0.5,
        "target_p99_le_3x": p99 is not None and p99 <= 3,
        "target_zero_errors": app_row["errors"] == 0 and app_row["server_errors_logged"] == 0,
        "sync_zero_errors": sync_row["errors"] == 0 and sync_row["server_errors_logged"] == 0,
        "rows_equal_acked": all(r["rows_equal_acked"] for r in (app_row, sync_row, a_row, b_row)),
    }


def print_table(rows, summary):
    print(f"\n{'variant':<11} {'saves':>6} {'errors':>6} {'saves/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'rows=acks':>9}")
    for r in rows:
        print(f"{r['variant']:<11} {r['saves']:>6} {r['errors']:>6} {r['saves_per_s']:>8} {r['p50_ms']!s:>8} "
              f"{r['p95_ms']!s:>8} {r['p99_ms']!s:>8} {'yes' if r['rows_equal_acked'] else 'NO':>9}")
    for r in rows:
        if r.get("rounds_saves_per_s") and len(r["rounds_saves_per_s"]) > 1:
            print(f"{r['variant']:<11} saves/s in each round: {r['rounds_saves_per_s']}, p99 ms: {r['rounds_p99_ms']}")
    if len(summary["throughput_app_vs_a_per_round"]) > 1:
        print(f"app / baseline_a in each round: {summary['throughput_app_vs_a_per_round']}")
    print(f"\napp / baseline_a: throughput {summary['throughput_app_vs_a']} (target ≥ 0.5), "
          f"p99 {summary['p99_app_vs_a']} (target ≤ 3)")
    print(f"app_sync / baseline_a: throughput {summary['throughput_sync_vs_a']}, p99 {summary['p99_sync_vs_a']}")


if __name__ == "__main__":
    main()
