"""Benchmark: what each shortcut of the autosave's short path (interview/autosave.py) is worth.

In one process, one thread, through the Flask test client (no network, no gunicorn: the cost of
the app's own work per autosave): one logged-in interviewer autosaves every answer of an
interview again and again, as htmx does (POST /interviews/<id>/questions/<n>/answer). Variants,
taking turns for --rounds rounds; the median time per autosave counts:

  all             as shipped
  no_<cache>      one process cache switched off (made again on every request): interview_facts,
                  frozen_questions, answer_upserts, wtforms_translations
  no_caches       every process cache switched off
  transaction     the session keeps its read transaction and the write opens a connection of its
                  own in autocommit mode (what the autosave did before it chose autocommit itself)

Prints one JSON line per variant, then a table: the median wall time per autosave and the median
CPU time of the thread (less disturbed by other work on the machine and by the wait for the disk,
so it shows the app's own work best), each also as a ratio to `all`.

    python bench/autosave_parts.py                   # SQLite, 20 questions, 5 rounds
    BENCH_DATABASE_URL=postgresql+psycopg://… python bench/autosave_parts.py
    python bench/autosave_parts.py --smoke           # 3 questions, 1 round, for CI
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("PEERINTERVIEW_INSTANCE", tempfile.mkdtemp(prefix="peerinterview-bench-"))

from _common import PASSWORD, answer_for, database_name, database_url, fresh_app, seed_interview_project  # noqa: E402

CACHES = ("interview_facts", "frozen_questions", "answer_upserts", "wtforms_translations")
VARIANTS = ("all", *(f"no_{name}" for name in CACHES), "no_caches", "transaction")
HTMX = {"HX-Request": "true", "HX-Target": "save-status"}


@contextmanager
def variant(name: str):
    """Switch off what `name` says for the duration of the block."""
    from peerinterview.interview import autosave, services
    from peerinterview.process_cache import ProcessCache

    original_get = ProcessCache.get
    saved = autosave._without_transaction, autosave.save_answer, autosave.clear_answer
    off = set(CACHES) if name == "no_caches" else {name[3:]} if name.startswith("no_") else set()

    def get(self, key, make):
        return make() if self.name in off else original_get(self, key, make)

    ProcessCache.get = get
    if name == "transaction":
        autosave._without_transaction = lambda: None
        autosave.save_answer = partial(services.save_answer, at_once=True)
        autosave.clear_answer = partial(services.clear_answer, at_once=True)
    try:
        yield
    finally:
        ProcessCache.get = original_get
        autosave._without_transaction, autosave.save_answer, autosave.clear_answer = saved


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="3 questions, 1 round: proves the bench runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.questions, args.rounds = 3, 1

    url = database_url()
    app = fresh_app(url)
    seeded = seed_interview_project(app, interviewers=1, questions=args.questions, tag="parts")
    from answer_save import make_interviews

    [interview_id] = make_interviews(app, seeded, 1, "P")
    client = app.test_client()
    reply = client.post("/login", data={"username": seeded.usernames[0], "password": PASSWORD})
    assert reply.status_code == 303, reply.status_code
    base = f"/interviews/{interview_id}/questions"

    def save_all(n: int) -> list[tuple[float, float]]:
        times = []
        for number, (_question_id, kind, values) in enumerate(seeded.questions, 1):
            form = {**answer_for(kind, values, number + n), "action": "save"}
            started, cpu = time.perf_counter(), time.thread_time()
            reply = client.post(f"{base}/{number}/answer", data=form, headers=HTMX)
            times.append((time.perf_counter() - started, time.thread_time() - cpu))
            assert reply.status_code == 200 and b"Opgeslagen" in reply.data, (reply.status_code, reply.data[:200])
        return times

    save_all(0)  # warm: every cache has met every question
    times = {name: [] for name in VARIANTS}
    for round_ in range(args.rounds):
        for name in VARIANTS:
            with variant(name):
                times[name].extend(save_all(round_ + 1))
    wall = {name: statistics.median(w for w, _c in values) * 1000 for name, values in times.items()}
    cpu = {name: statistics.median(c for _w, c in values) * 1000 for name, values in times.items()}
    for name in VARIANTS:
        print(json.dumps({"bench": "autosave_parts", "database": database_name(url), "variant": name,
                          "saves": len(times[name]), "median_ms": round(wall[name], 3),
                          "vs_all": round(wall[name] / wall["all"], 3), "median_cpu_ms": round(cpu[name], 3),
                          "cpu_vs_all": round(cpu[name] / cpu["all"], 3)}))
    print(f"\n{'variant':<26}{'saves':>7}{'wall ms':>10}{'vs all':>8}{'CPU ms':>9}{'vs all':>8}")
    for name in VARIANTS:
        print(f"{name:<26}{len(times[name]):>7}{wall[name]:>10.2f}{wall[name] / wall['all']:>8.2f}"
              f"{cpu[name]:>9.2f}{cpu[name] / cpu['all']:>8.2f}")


if __name__ == "__main__":
    main()
