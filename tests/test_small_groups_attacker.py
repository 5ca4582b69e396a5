"""No small group can be worked out by a panel member who reads every page and combines them.

The attacker (tests/attacker.py) collects every count the panel role can read for a project:
the results (also on the slides, in the report and the summary), every breakdown in both
directions, the report's locations, the theme counts per location; it knows the
questionnaire's skip logic; it solves all of it together in whole numbers. It must pin no
hidden count of 1 to minimum - 1 people to that range. Run on the demo data and on generated
questionnaires with skip logic and small locations.
"""
import os
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import add_condition, add_question, freeze_version, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Answer, Interview, Project
from peerinterview.models.base import utcnow
from peerinterview.projects.services import add_location, create_project

from .attacker import panel_knowledge
from .helpers import make_user_now

EXAMPLES = int(os.environ.get("ATTACKER_EXAMPLES", "30"))


def _demo_project(app):
    from peerinterview.demo import create_demo

    project = create_demo()
    db.session.commit()
    return project


def test_the_demo_data_reveals_no_small_group(app):
    with app.app_context(), app.test_request_context():
        project = _demo_project(app)
        attacker = panel_knowledge(project)
        assert attacker.pinned() == []
        # The attacker is not idle: many small numbers are hidden, and it checked them all.
        hidden_small = [n for n, i in attacker.index.items()
                        if n not in attacker.seen and 0 < attacker.truth[i] < project.min_group_size]
        assert len(hidden_small) > 100
        db.session.remove()


def test_the_attacker_finds_small_groups_when_only_the_small_cells_are_hidden(app, monkeypatch):
    """Without secondary hiding, differences of totals give small groups away: the attacker
    must find them (else a green test above would prove nothing)."""
    from peerinterview.pool import disclosure

    def primary_only(problem, min_size, **_kwargs):
        return set(problem.hidden) | {key for key, n in problem.values.items()
                                      if 0 < n < min_size and key not in problem.structural}

    monkeypatch.setattr(disclosure, "protect", primary_only)
    with app.app_context(), app.test_request_context():
        project = _demo_project(app)
        pinned = panel_knowledge(project).pinned()
        kinds = {name[0] if isinstance(name[0], str) else "theme" for name, _n in pinned}
        assert len(pinned) > 10
        assert {"t", "theme"} <= kinds  # in breakdowns and in the theme counts
        db.session.remove()


# --- generated questionnaires -----------------------------------------------------------------

@st.composite
def surveys(draw):
    """A questionnaire of 2 to 4 questions (some with skip logic) and the answers of 5 to 40
    interviews at 1 to 3 locations, with skewed answers so that small groups are common."""
    kinds = draw(st.lists(st.sampled_from(["single", "single", "yesno", "multi", "scale3", "open"]),
                          min_size=2, max_size=4))
    questions = []
    for index, kind in enumerate(kinds):
        n_choices = {"single": draw(st.integers(2, 4)), "multi": draw(st.integers(2, 3)), "yesno": 2,
                     "scale3": 3, "open": 0}[kind]
        conditions = []
        sources = [j for j, q in enumerate(questions) if q["kind"] != "open"]
        if sources and draw(st.integers(0, 2)) > 0:
            for source in draw(st.lists(st.sampled_from(sources), min_size=1, max_size=2, unique=True)):
                values = draw(st.lists(st.integers(1, questions[source]["choices"]), min_size=1,
                                       max_size=questions[source]["choices"], unique=True))
                conditions.append((source, sorted(values)))
        questions.append({"kind": kind, "choices": n_choices, "conditions": conditions,
                          "dont_know": draw(st.booleans()), "required": draw(st.booleans()),
                          "weights": draw(st.lists(st.integers(0, 9), min_size=n_choices + 3,
                                                   max_size=n_choices + 3))})
    locations = draw(st.integers(1, 3))
    location_weights = draw(st.lists(st.integers(1, 9), min_size=locations, max_size=locations))
    n = draw(st.integers(5, 40))
    seeds = draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n))
    min_size = draw(st.sampled_from([5, 5, 5, 3, 10]))
    return {"questions": questions, "location_weights": location_weights, "seeds": seeds, "min_size": min_size}


def _pick(rng, weights):
    total = sum(weights)
    if total == 0:
        return len(weights) - 1
    x = rng.uniform(0, total)
    for i, w in enumerate(weights):
        if x < w:
            return i
        x -= w
    return len(weights) - 1


def _build(spec, staff) -> Project:
    import random

    project = create_project(by=staff, name=f"Gegenereerd {uuid.uuid4().hex[:8]}", research_question="?",
                             consent_text="Ja.", min_group_size=spec["min_size"])
    locations = [add_location(project, f"Plek {i + 1}", by=staff) for i in range(len(spec["location_weights"]))]
    version = questionnaire_of(project).draft
    made = []
    for i, q in enumerate(spec["questions"]):
        labels = [f"Antwoord {c + 1}" for c in range(q["choices"])] if q["kind"] in ("single", "multi") else None
        question = add_question(version, kind=q["kind"], text=f"Vraag {i + 1}?", required=q["required"],
                                choice_labels=labels, allow_dont_know=q["dont_know"], allow_refuse=False,
                                by=staff)
        made.append(question)
    for i, q in enumerate(spec["questions"]):
        for source, values in q["conditions"]:
            source_question = made[source]
            choice_values = [c.value for c in source_question.choices]
            add_condition(made[i], source_question, sorted({choice_values[v - 1] for v in values}), by=staff)
    freeze_version(version, by=staff)
    db.session.flush()
    now = utcnow()
    interviews, answers = [], []
    for number, seed in enumerate(spec["seeds"]):
        rng = random.Random(seed)
        interview_id = str(uuid.uuid4())
        location = locations[_pick(rng, spec["location_weights"])]
        interviews.append({"id": interview_id, "project_id": project.id, "version_id": version.id,
                           "location_id": location.id, "respondent_code": f"G{number:05d}", "language": "nl",
                           "consent_version": 1, "consent_given_at": now, "status": "completed",
                           "started_at": now - timedelta(minutes=30), "completed_at": now})
        given: dict[int, tuple] = {}
        for i, (q, question) in enumerate(zip(spec["questions"], made)):
            asked = all(
                given.get(source) is not None and given[source][0] == "value"
                and bool(set(given[source][1]) & {made[source].choices[v - 1].value for v in values})
                for source, values in q["conditions"])
            if not asked:
                given[i] = None
                answers.append({"interview_id": interview_id, "question_id": question.id, "asked": False,
                                "changed_at": now, "saved_at": now})
                continue
            pick = _pick(rng, q["weights"])
            choices = [c.value for c in question.choices]
            row = {"interview_id": interview_id, "question_id": question.id, "asked": True, "changed_at": now,
                   "saved_at": now}
            if pick == len(choices) and q["dont_know"]:
                row["special"] = "dont_know"
                given[i] = ("special", ())
            elif pick >= len(choices) and not q["required"]:
                given[i] = ("none", ())
                continue  # no answer
            elif q["kind"] == "open":
                row["text"] = f"Verhaal {number}"
                given[i] = ("text", ())
            elif q["kind"] == "multi":
                ticked = sorted({choices[pick % len(choices)]} | {
                    c for c in choices if rng.random() < q["weights"][choices.index(c)] / 20})
                row["value"] = ",".join(ticked)
                given[i] = ("value", ticked)
            else:
                value = choices[pick % len(choices)]
                row["value"] = value
                given[i] = ("value", (value,))
            answers.append(row)
    db.session.execute(insert(Interview), interviews)
    if answers:
        db.session.execute(insert(Answer), answers)
    db.session.commit()
    return project


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(spec=surveys())
def test_generated_questionnaires_reveal_no_small_group(app, spec):
    with app.app_context(), app.test_request_context():
        staff = find_user("maker") or make_user_now("maker", staff=True)
        project = _build(spec, staff)
        attacker = panel_knowledge(project)
        if len(spec["seeds"]) < spec["min_size"]:
            # Too few interviews: nothing but their number is shown (which every page may say).
            assert attacker.seen == {}
        else:
            assert attacker.pinned() == [], spec
        db.session.remove()


@pytest.mark.parametrize("min_size", [5])
def test_both_directions_of_every_demo_breakdown_show_the_same_numbers(app, min_size):
    from peerinterview.pool.breakdown import BY_LOCATION, ONE_ANSWER_KINDS, breakdown_questions, build_breakdown

    labels = {"_no_answer": "Geen antwoord", "_not_asked": "Niet gevraagd"}
    special = {"dont_know": "Weet ik niet", "refuse": "Wil ik niet zeggen"}
    with app.app_context(), app.test_request_context():
        project = _demo_project(app)
        groups = [q for q in breakdown_questions(project) if q.kind in ONE_ANSWER_KINDS]
        compared = 0
        for a in groups:
            for b in groups:
                if a.key >= b.key:
                    continue
                ab = build_breakdown(project, a, b.key, b, special, labels)
                ba = build_breakdown(project, b, a.key, a, special, labels)
                for row in ab.rows:
                    for column in ab.columns:
                        if row in ba.columns and column in ba.rows:
                            assert ab.table.counts[(row, column)] == ba.table.counts[(column, row)], (a.key, b.key)
                            compared += 1
        assert compared > 100
        location = build_breakdown(project, groups[0], BY_LOCATION, None, special, labels)
        assert location.table.shown
        db.session.remove()
