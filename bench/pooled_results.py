"""Benchmark: the pooled results page at scale, against the plain SQL GROUP BY it needs.

Seeds a project with a frozen questionnaire of 40 questions (single choice, 5-point scale and
open questions) and N completed interviews, then times, in the same process and database:
  - page:     GET /projects/<id>/results through the Flask test client (logged in as panel)
  - baseline: the one GROUP BY query that counts answers per question key and value (open
              answers included), run directly on the database connection, rows fetched
  - breakdown: GET /projects/<id>/results/<key>/breakdown (the first single-choice question
              by location), against its own plain SQL GROUP BY (BREAKDOWN_SQL)
  - themes:   GET /projects/<id>/themes, the panel's card-sorting board (six themes, about a
              third of the open answers sorted into one or two), against the plain SQL that
              page needs (THEME_SQL: cards and people per theme, the number of cards and of
              unsorted cards, and the first page of 40 cards)
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
from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of  # noqa: E402
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


# What the themes board shows, in plain SQL: per theme its cards and people, how many cards
# there are and how many are not sorted yet, and the first page of cards (open answers).
THEME_SQL = [text(sql) for sql in (
    "SELECT c.theme_id, count(*), count(DISTINCT i.id) FROM coding c JOIN theme t ON t.id = c.theme_id "
    "JOIN answer a ON a.id = c.answer_id JOIN interview i ON i.id = a.interview_id "
    "WHERE t.project_id = :project AND t.deleted_at IS NULL AND i.status = 'completed' AND a.review = 'released' "
    "GROUP BY c.theme_id",
    "SELECT count(*), sum(CASE WHEN EXISTS (SELECT 1 FROM coding c JOIN theme t ON t.id = c.theme_id "
    "WHERE c.answer_id = a.id AND t.deleted_at IS NULL) THEN 0 ELSE 1 END) FROM answer a "
    "JOIN interview i ON i.id = a.interview_id JOIN question q ON q.id = a.question_id "
    "WHERE i.project_id = :project AND i.status = 'completed' AND q.kind = 'open' AND a.text IS NOT NULL "
    "AND a.review = 'released'",
    "SELECT a.ref, a.text, q.text FROM answer a JOIN interview i ON i.id = a.interview_id "
    "JOIN question q ON q.id = a.question_id WHERE i.project_id = :project AND i.status = 'completed' "
    "AND q.kind = 'open' AND a.text IS NOT NULL AND a.review = 'released' ORDER BY q.position, a.ref LIMIT 40",
)]
THEMES = ("Wachten", "Bejegening", "Informatie", "Wonen", "Geld", "Meedoen")


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
                # Checked by staff: the panel reads released texts only (open_answer_gate.py).
                row = dict(interview_id=interview_id, question_id=question_id, value=None, text=None,
                           special=None, changed_at=now, saved_at=now, review="released")
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
        _seed_themes(project_id, panel.id, rng)
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("ANALYZE"))
        else:
            db.session.execute(text("ANALYZE answer"))
            db.session.execute(text("ANALYZE interview"))
        db.session.commit()
        db.session.remove()
        return project_id


def _seed_themes(project_id, panel_id, rng) -> None:
    """Six themes; about a third of the open answers sorted into one of them, some into two."""
    from peerinterview.models import Coding, PanelState, Theme

    now = datetime(2026, 11, 2, 10, 0)
    themes = [Theme(project_id=project_id, name=name, created_by_id=panel_id, created_at=now) for name in THEMES]
    db.session.add_all(themes)
    db.session.add(PanelState(project_id=project_id, board_version=1, slide="", slide_version=0))
    db.session.flush()
    open_answers = db.session.scalars(
        text("SELECT a.id FROM answer a JOIN interview i ON i.id = a.interview_id "
             "JOIN question q ON q.id = a.question_id "
             "WHERE i.project_id = :project AND q.kind = :kind AND a.text IS NOT NULL ORDER BY a.id"),
        {"project": project_id, "kind": "open"}).all()
    codings = []
    for answer_id in open_answers:
        if rng.random() < 0.33:
            chosen = rng.sample(themes, 2 if rng.random() < 0.2 else 1)
            codings += [dict(theme_id=t.id, answer_id=answer_id, part="text", added_by_id=panel_id,
                             added_at=now) for t in chosen]
    for start in range(0, len(codings), 50_000):
        db.session.execute(insert(Coding), codings[start:start + 50_000])


def median_seconds(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def page_and_sql(app, client, url, statements, params, repeat) -> tuple[float, float, int]:
    """Median seconds of GET `url` and of running `statements` (the plain SQL the page needs),
    each warmed up once first; and the page's size in bytes."""
    def page():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(response.data)

    def plain_sql():
        with app.app_context():
            for statement in statements:
                db.session.execute(statement, params).fetchall()
            db.session.remove()

    size = page()  # warm-up: templates compiled, caches filled
    plain_sql()
    return median_seconds(page, repeat), median_seconds(plain_sql, repeat), size


def measure(app, project_id, interviews, repeat):
    client = app.test_client()
    response = client.post("/login", data={"username": f"panel-{interviews}", "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    params = {"project": project_id}
    page_s, sql_s, size = page_and_sql(app, client, f"/projects/{project_id}/results", [BASELINE_SQL],
                                       params, repeat)
    with app.app_context():
        key = db.session.execute(text(
            "SELECT q.key FROM question q JOIN questionnaire_version v ON v.id = q.version_id "
            "JOIN questionnaire qn ON qn.id = v.questionnaire_id "
            "WHERE qn.project_id = :project AND q.kind = 'single' ORDER BY q.position LIMIT 1"
        ), params).scalar_one()
        db.session.remove()
    breakdown_s, breakdown_sql_s, _size = page_and_sql(
        app, client, f"/projects/{project_id}/results/{key}/breakdown", [BREAKDOWN_SQL],
        {**params, "key": key}, repeat)
    themes_s, themes_sql_s, themes_size = page_and_sql(app, client, f"/projects/{project_id}/themes",
                                                       THEME_SQL, params, repeat)
    return {"interviews": interviews, "answers": interviews * QUESTIONS, "page_ms": round(page_s * 1000, 1),
            "baseline_sql_ms": round(sql_s * 1000, 1), "ratio": round(page_s / sql_s, 2), "page_bytes": size,
            "breakdown_ms": round(breakdown_s * 1000, 1), "breakdown_sql_ms": round(breakdown_sql_s * 1000, 1),
            "breakdown_ratio": round(breakdown_s / breakdown_sql_s, 2),
            "themes_ms": round(themes_s * 1000, 1), "themes_sql_ms": round(themes_sql_s * 1000, 1),
            "themes_ratio": round(themes_s / themes_sql_s, 2), "themes_bytes": themes_size}


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
          f" {'breakdown ms':>13} {'SQL ms':>8} {'ratio':>6} {'themes ms':>10} {'SQL ms':>8} {'ratio':>6}")
    for r in rows:
        print(f"{r['interviews']:>10} {r['answers']:>9} {r['page_ms']:>9} {r['baseline_sql_ms']:>8} "
              f"{r['ratio']:>6} {r['page_bytes'] / 1024:>8.1f} {r['breakdown_ms']:>13} "
              f"{r['breakdown_sql_ms']:>8} {r['breakdown_ratio']:>6} {r['themes_ms']:>10} "
              f"{r['themes_sql_ms']:>8} {r['themes_ratio']:>6}")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        data = last["interviews"] / first["interviews"]
        for name, column in (("results", "page_ms"), ("breakdown", "breakdown_ms"), ("themes", "themes_ms")):
            growth = (last[column] / first[column]) / data
            print(f"\n{name} page time grows {growth:.2f}× as fast as the data (1.0 = linear)", end="")
        print()
    return rows


if __name__ == "__main__":
    main()
