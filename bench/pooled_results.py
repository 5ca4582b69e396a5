"""Benchmark: the pooled results page at scale, against the plain SQL GROUP BY it needs.

Seeds a project with a frozen questionnaire of 40 questions (single choice, 5-point scale and
open questions) and N completed interviews, then times, in the same process and database:
  - page:     GET /projects/<id>/results through the Flask test client (logged in as panel)
  - baseline: the one GROUP BY query that counts answers per question key and value (open
              answers included), run directly on the database connection, rows fetched
  - breakdown: GET /projects/<id>/results/<key>/breakdown (the first single-choice question
              by location), against its own plain SQL GROUP BY (BREAKDOWN_SQL)
Prints one JSON line per size, then a summary table. Figures are medians of --repeat runs; the
ratio page/baseline is what to compare across machines.

    python bench/pooled_results.py                    # 1,000 and 10,000 interviews, SQLite
    python bench/pooled_results.py --sizes 1000,10000,50000
    python bench/pooled_results.py --smoke            # small and quick, for CI
    BENCH_DATABASE_URL=postgresql+psycopg://… python bench/pooled_results.py
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PEERINTERVIEW_INSTANCE", tempfile.mkdtemp(prefix="peerinterview-bench-"))

from sqlalchemy import insert, text  # noqa: E402

from peerinterview import create_app  # noqa: E402
from peerinterview.accounts.services import create_user, set_membership  # noqa: E402
from peerinterview.config import TestConfig  # noqa: E402
from peerinterview.design.services import add_question, freeze_version, questionnaire_of  # noqa: E402
from peerinterview.extensions import db  # noqa: E402
from peerinterview.models import Answer, Interview  # noqa: E402
from peerinterview.projects.services import add_location, create_project  # noqa: E402

QUESTIONS = 40
PASSWORD = "bench-wachtwoord"

BASELINE_SQL = text(
    "SELECT q.key, a.value, a.special, count(*) FROM answer a "
    "JOIN question q ON q.id = a.question_id JOIN interview i ON i.id = a.interview_id "
    "WHERE i.project_id = :project AND i.status = 'completed' "
    "AND (a.value IS NOT NULL OR a.special IS NOT NULL OR a.text IS NOT NULL) "
    "GROUP BY q.key, a.value, a.special"
)

# The breakdown of one question by location: every completed interview that has the question,
# with its answer if there is one.
BREAKDOWN_SQL = text(
    "SELECT i.location_id, a.value, a.special, a.asked, count(*) FROM interview i "
    "JOIN question q ON q.version_id = i.version_id AND q.key = :key "
    "LEFT JOIN answer a ON a.interview_id = i.id AND a.question_id = q.id "
    "WHERE i.project_id = :project AND i.status = 'completed' "
    "GROUP BY i.location_id, a.value, a.special, a.asked"
)


class BenchConfig(TestConfig):
    WTF_CSRF_ENABLED = False  # setup logins only; the timed request is a GET


def build_app(database_url):
    config = type("Config", (BenchConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})
    app = create_app(config)
    with app.app_context():
        from flask_migrate import downgrade, upgrade

        try:
            downgrade(revision="base")
        except Exception:
            db.session.rollback()
        upgrade()
    return app


def seed(app, interviews: int) -> int:
    rng = random.Random(interviews)  # a different stream per size: the UUIDs must differ
    with app.app_context():
        staff = create_user(username=f"staf-{interviews}", display_name="Staf", password=PASSWORD, is_staff=True)
        panel = create_user(username=f"panel-{interviews}", display_name="Panel", password=PASSWORD)
        interviewer = create_user(username=f"int-{interviews}", display_name="Int", password=PASSWORD)
        project = create_project(by=staff, name=f"Bench {interviews}", research_question="?", consent_text="Ja.")
        set_membership(user=panel, project_id=project.id, roles={"panel"}, by=staff)
        set_membership(user=interviewer, project_id=project.id, roles={"interviewer"}, by=staff)
        locations = [add_location(project, f"Locatie {i}", by=staff) for i in range(5)]
        version = questionnaire_of(project).draft
        questions = []
        for i in range(QUESTIONS):
            kind = ("single", "scale5", "open")[i % 3] if i % 10 != 9 else "open"
            q = add_question(version, kind=kind, text=f"Vraag {i + 1}?", by=staff,
                             choice_labels=["Ja", "Nee", "Soms", "Weet niet goed"] if kind == "single" else None)
            questions.append((q.id, kind, [c.value for c in q.choices]))
        freeze_version(version, by=staff)
        db.session.commit()
        project_id, version_id = project.id, version.id
        now = datetime(2026, 11, 1, 10, 0)
        batch_interviews, batch_answers = [], []
        for n in range(interviews):
            interview_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            batch_interviews.append(dict(
                id=interview_id, project_id=project_id, version_id=version_id,
                location_id=rng.choice(locations).id, interviewer_id=interviewer.id,
                respondent_code=f"B{n:07d}", language="nl", consent_version=1, consent_given_at=now,
                consent_method="interviewer_tablet", status="completed", started_at=now, completed_at=now,
                follow_up_needed=False,
            ))
            for question_id, kind, values in questions:
                roll = rng.random()
                row = dict(interview_id=interview_id, question_id=question_id, value=None, text=None,
                           special=None, changed_at=now, saved_at=now)
                if roll < 0.05:
                    continue
                if roll < 0.10:
                    row["special"] = "dont_know"
                elif kind == "open":
                    row["text"] = f"Antwoord {rng.randint(1, 500)} over de zorg."
                else:
                    row["value"] = rng.choice(values)
                batch_answers.append(row)
            if len(batch_answers) > 50_000:
                db.session.execute(insert(Interview), batch_interviews)
                db.session.execute(insert(Answer), batch_answers)
                batch_interviews, batch_answers = [], []
        if batch_interviews:
            db.session.execute(insert(Interview), batch_interviews)
            db.session.execute(insert(Answer), batch_answers)
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("ANALYZE"))
        else:
            db.session.execute(text("ANALYZE answer"))
            db.session.execute(text("ANALYZE interview"))
        db.session.commit()
        db.session.remove()
        return project_id


def median_seconds(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(app, project_id, interviews, repeat):
    client = app.test_client()
    response = client.post("/login", data={"username": f"panel-{interviews}", "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    url = f"/projects/{project_id}/results"

    def page():
        response = client.get(url)
        assert response.status_code == 200
        return len(response.data)

    size = page()  # warm-up: templates compiled, caches filled

    def baseline():
        with app.app_context():
            db.session.execute(BASELINE_SQL, {"project": project_id}).fetchall()
            db.session.remove()

    baseline()
    page_s = median_seconds(page, repeat)
    sql_s = median_seconds(baseline, repeat)

    with app.app_context():
        key = db.session.execute(text(
            "SELECT q.key FROM question q JOIN questionnaire_version v ON v.id = q.version_id "
            "JOIN questionnaire qn ON qn.id = v.questionnaire_id "
            "WHERE qn.project_id = :project AND q.kind = 'single' ORDER BY q.position LIMIT 1"
        ), {"project": project_id}).scalar_one()
        db.session.remove()
    breakdown_url = f"/projects/{project_id}/results/{key}/breakdown"

    def breakdown_page():
        response = client.get(breakdown_url)
        assert response.status_code == 200
        return len(response.data)

    def breakdown_baseline():
        with app.app_context():
            db.session.execute(BREAKDOWN_SQL, {"project": project_id, "key": key}).fetchall()
            db.session.remove()

    breakdown_page()
    breakdown_baseline()
    breakdown_s = median_seconds(breakdown_page, repeat)
    breakdown_sql_s = median_seconds(breakdown_baseline, repeat)
    return {"interviews": interviews, "answers": interviews * QUESTIONS, "page_ms": round(page_s * 1000, 1),
            "baseline_sql_ms": round(sql_s * 1000, 1), "ratio": round(page_s / sql_s, 2), "page_bytes": size,
            "breakdown_ms": round(breakdown_s * 1000, 1), "breakdown_sql_ms": round(breakdown_sql_s * 1000, 1),
            "breakdown_ratio": round(breakdown_s / breakdown_sql_s, 2)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, 1 repeat: proves the bench runs")
    args = parser.parse_args(argv)
    sizes = [50, 200] if args.smoke else [int(s) for s in args.sizes.split(",")]
    repeat = 1 if args.smoke else args.repeat
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(os.environ['PEERINTERVIEW_INSTANCE']) / 'bench.sqlite'}"
    app = build_app(url)
    rows = []
    for size in sizes:
        project_id = seed(app, size)
        row = {"bench": "pooled_results", "database": url.split(":", 1)[0], **measure(app, project_id, size, repeat)}
        print(json.dumps(row), flush=True)
        rows.append(row)
    print(f"\n{'interviews':>10} {'answers':>9} {'page ms':>9} {'SQL ms':>8} {'ratio':>6} {'page KB':>8}"
          f" {'breakdown ms':>13} {'SQL ms':>8} {'ratio':>6}")
    for r in rows:
        print(f"{r['interviews']:>10} {r['answers']:>9} {r['page_ms']:>9} {r['baseline_sql_ms']:>8} "
              f"{r['ratio']:>6} {r['page_bytes'] / 1024:>8.1f} {r['breakdown_ms']:>13} "
              f"{r['breakdown_sql_ms']:>8} {r['breakdown_ratio']:>6}")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = (last["page_ms"] / first["page_ms"]) / (last["interviews"] / first["interviews"])
        print(f"\npage time grows {growth:.2f}× as fast as the data (1.0 = linear)")
    return rows


if __name__ == "__main__":
    main()
