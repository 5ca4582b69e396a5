"""Pooled results over HTTP, as the panel sees them: counts in words, small groups hidden
(also through the difference with the total), only completed interviews, open answers, and
answers pooled across frozen versions by question key."""
import re

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import add_question, freeze_version, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Answer, Project

from .builders import html_of, make_completed, make_interview, plain_text

TOO_FEW = "Er zijn nog te weinig interviews klaar. Daarom laten we niets zien."


@pytest.fixture
def results(world, login_as):
    """results() -> the panel's results page, as plain text."""
    client, _ = login_as("petra")

    def read():
        response = client.get(f"/projects/{world.project_id}/results")
        assert response.status_code == 200
        return plain_text(response)

    return read


def section(text, heading, next_heading=None):
    """The part of the page text from one question heading to the next."""
    start = text.index(heading)
    end = text.index(next_heading, start) if next_heading else len(text)
    return text[start:end]


def test_results_in_words_for_enough_people(app, world, results):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q2": "4"}] * 5 + [{"q1": "2", "q2": "4"}] * 5)
    text = results()
    q1 = section(text, "1. Hoe vaak komt u hier?", "2. Hoe voelt u zich hier?")
    assert "10 mensen kregen deze vraag." in q1
    assert "5 van de 10 mensen kozen: Elke dag (50%)" in q1
    assert "5 van de 10 mensen kozen: Soms (50%)" in q1
    assert "0 van de 10 mensen kozen: Bijna nooit (0%)" in q1
    assert "niet getoond" not in q1
    q2 = section(text, "2. Hoe voelt u zich hier?", "3. Wat kan beter?")
    assert "10 van de 10 mensen kozen: Goed (100%)" in q2
    assert "Is een groep kleiner dan 5 mensen? Dan laten we dat getal niet zien." in text


def test_no_answer_and_special_answers_are_counted_apart(app, world, results):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q2": "special:dont_know"}] * 5 + [{"q1": "1", "q2": "special:refuse"}] * 5
                   + [{"q1": "1"}] * 5)
    q2 = section(results(), "2. Hoe voelt u zich hier?", "3. Wat kan beter?")
    assert "5 van de 15 mensen kozen: Weet ik niet (33%)" in q2
    assert "5 van de 15 mensen kozen: Wil ik niet zeggen (33%)" in q2
    assert "5 van de 15 mensen gaven geen antwoord (33%)" in q2


def test_cells_below_the_minimum_are_hidden(app, world, results):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1"}] * 6 + [{"q1": "2"}] * 3 + [{"q1": "3"}] * 3)
    q1 = section(results(), "1. Hoe vaak komt u hier?", "2. Hoe voelt u zich hier?")
    assert "6 van de 12 mensen kozen: Elke dag (50%)" in q1
    assert "Soms: niet getoond." in q1
    assert "Bijna nooit: niet getoond." in q1
    assert "3 van de 12" not in q1
    assert "(25%)" not in q1


def test_one_small_cell_hides_a_second_cell_too(app, world, results):
    """7 + 5 + 1 = 13: hiding only the 1 would let anyone compute it as 13 - 7 - 5."""
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1"}] * 7 + [{"q1": "2"}] * 5 + [{"q1": "3"}])
    q1 = section(results(), "1. Hoe vaak komt u hier?", "2. Hoe voelt u zich hier?")
    assert "13 mensen kregen deze vraag." in q1
    assert "7 van de 13 mensen kozen: Elke dag (54%)" in q1
    assert "Bijna nooit: niet getoond." in q1
    # Soms (5 people) is not small itself: it is hidden to protect Bijna nooit, and reads the
    # same: marking Soms as "not small" (5 or more) would give Soms + Bijna nooit = 6 with
    # Soms >= 5, so Soms = 5 and Bijna nooit = 1.
    assert "Soms: niet getoond." in q1
    assert "van de 13 mensen kozen: Soms" not in q1
    assert "van de 13 mensen koos: Bijna nooit" not in q1
    assert not re.search(r"\b[15] van de 13", q1)
    assert "(38%)" not in q1 and "(8%)" not in q1


def test_question_asked_of_too_few_people_is_hidden_whole(app, world, results):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q2": "5", "q3": "Een geheim verhaal"}] * 4)
    text = results()
    assert text.count(TOO_FEW) == 3
    assert not re.search(r"\d+ mensen kregen deze vraag", text)
    assert "kozen" not in text and "koos" not in text
    assert "Een geheim verhaal" not in text
    assert not re.search(r"\b4 (mensen|van de)", text)


def test_in_progress_interviews_are_not_counted(app, world, results):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q3": "Klaar"}] * 5)
    for _ in range(3):
        make_interview(app, world.project_id, "bram", answers={"q1": "2", "q3": "Nog bezig"})
    text = results()
    q1 = section(text, "1. Hoe vaak komt u hier?", "2. Hoe voelt u zich hier?")
    assert "5 mensen kregen deze vraag." in q1
    assert "5 van de 5 mensen kozen: Elke dag (100%)" in q1
    assert "0 van de 5 mensen kozen: Soms (0%)" in q1
    assert "Nog bezig" not in text
    assert not re.search(r"\b8 (mensen|van de)", q1)


def test_open_answers_are_listed(app, world, results):
    texts = ["Meer rust in de avond.", "Het eten is koud.", "<b>Vet</b> & meer"]
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q3": t} for t in texts] + [{"q1": "1"}] * 2)
    q3 = section(results(), "3. Wat kan beter?")
    assert "3 mensen vertelden iets:" in q3
    for text in texts:
        assert text in q3


def test_open_answer_html_is_escaped(app, world, login_as):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q3": "<script>alert(1)</script>"}] + [{"q1": "1"}] * 4)
    client, _ = login_as("staf")
    html = html_of(client.get(f"/projects/{world.project_id}/results"))
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in html
    assert "<script>alert(1)" not in html


def test_a_higher_minimum_hides_more(app, world, results):
    with app.app_context():
        db.session.get(Project, world.project_id).min_group_size = 10
        db.session.commit()
        db.session.remove()
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q3": "Iets"}] * 8)
    text = results()
    assert "Is een groep kleiner dan 10 mensen? Dan laten we dat getal niet zien." in text
    assert text.count(TOO_FEW) == 3
    assert "Iets" not in text


def test_pooled_across_two_frozen_versions_by_question_key(app, world, results):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q3": "Uit versie 1"}] * 3)
    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, world.project_id)
        draft = new_draft(questionnaire_of(project), by=staff)
        draft.questions[0].text = "Hoe vaak bent u hier?"  # the newest wording is shown
        add_question(draft, kind="single", text="Komt u graag?", choice_labels=["Ja", "Nee"], by=staff)
        freeze_version(draft, by=staff)
        db.session.commit()
        version_2 = draft.id
        db.session.remove()
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q3": "Uit versie 2", "q4": "1"}] * 3, version_id=version_2)
    text = results()
    q1 = section(text, "1. Hoe vaak bent u hier?", "2. Hoe voelt u zich hier?")
    assert "6 mensen kregen deze vraag." in q1
    assert "6 van de 6 mensen kozen: Elke dag (100%)" in q1
    assert "Hoe vaak komt u hier?" not in text
    q3 = section(text, "3. Wat kan beter?", "4. Komt u graag?")
    assert "Uit versie 1" in q3 and "Uit versie 2" in q3
    # Asked only in version 2, of 3 people: every number of it is hidden, also how many were
    # asked (the other 3 had version 1).
    q4 = section(text, "4. Komt u graag?")
    assert "Hoeveel mensen deze vraag kregen: niet getoond." in q4
    assert "Ja: niet getoond." in q4
    assert not re.search(r"\b3 (mensen|van de)", q4)


def test_results_before_any_interview(world, results):
    text = results()
    assert "Uitkomsten" in text
    assert text.count(TOO_FEW) == 3


def test_results_page_without_a_frozen_questionnaire(app, world, login_as):
    from peerinterview.projects.services import create_project

    with app.app_context():
        project = create_project(by=find_user("staf"), name="Leeg", research_question="?", consent_text="Ja.")
        db.session.commit()
        project_id = project.id
        db.session.remove()
    client, _ = login_as("staf")
    response = client.get(f"/projects/{project_id}/results")
    assert response.status_code == 200
    assert "Er zijn nog geen uitkomsten. De vragenlijst is nog niet vastgezet." in html_of(response)


def test_zero_special_answers_are_left_out_and_bars_follow_the_numbers(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q2": "4"}] * 6 + [{"q1": "2", "q2": "4"}] * 6)
    client, _ = login_as("petra")
    response = client.get(f"/projects/{world.project_id}/results")
    text = plain_text(response)
    q1 = section(text, "1. Hoe vaak komt u hier?", "2. Hoe voelt u zich hier?")
    # Real choices nobody chose are worth saying; "nobody said 'weet ik niet'" is noise.
    assert "0 van de 12 mensen kozen: Bijna nooit (0%)" in q1
    assert "Weet ik niet" not in q1 and "geen antwoord" not in q1
    html = html_of(response)
    # The bar under each sentence: its length is the percentage.
    assert html.count('<rect class="chart-bar" x="0" y="0" width="50" height="10"/>') == 2
    assert '<rect class="chart-bar" x="0" y="0" width="100" height="10"/>' in html  # q2: all chose Goed


def in_page_order(text: str) -> list[int]:
    """The numbers of the "Antwoord nummer …" texts on a page, in the page's order."""
    return [int(n) for n in re.findall(r"Antwoord nummer (\d{3})\.", text)]


def test_results_show_the_first_open_answers_and_link_to_all(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q3": f"Antwoord nummer {n:03d}."} for n in range(60)])
    client, _ = login_as("petra")
    text = plain_text(client.get(f"/projects/{world.project_id}/results"))
    q3 = section(text, "3. Wat kan beter?")
    assert "60 mensen vertelden iets:" in q3
    assert sum(f"Antwoord nummer {n:03d}." in q3 for n in range(60)) == 25
    assert "Lees alle 60 antwoorden" in q3
    # The first 25 in the order of the answers' random references (never the order they were
    # given in: see tests/test_panel_unlinking.py). Three at once; the other 22 of this page wait
    # behind a disclosure, in the same order.
    with app.app_context():
        order = [int(t.removeprefix("Antwoord nummer ").rstrip(".")) for t in db.session.scalars(
            select(Answer.text).where(Answer.text.like("Antwoord nummer %")).order_by(Answer.ref))]
        db.session.remove()
    shown_at_once, more = q3.split("Toon nog 22 antwoorden")
    assert in_page_order(shown_at_once) == order[:3]
    assert in_page_order(more) == order[3:25]

    first = client.get(f"/projects/{world.project_id}/results/q3/open-answers")
    assert first.status_code == 200
    page_one = plain_text(first)
    assert "Antwoord 1 tot en met 50 van 60." in page_one
    assert "Pagina 1 van 2" in page_one and "Volgende pagina" in page_one
    second = plain_text(client.get(f"/projects/{world.project_id}/results/q3/open-answers?page=2"))
    assert "Antwoord 51 tot en met 60 van 60." in second
    shown = [n for n in range(60) if f"Antwoord nummer {n:03d}." in page_one + second]
    assert shown == list(range(60))  # every answer on exactly one of the pages
    assert in_page_order(page_one + " " + second) == order
    assert client.get(f"/projects/{world.project_id}/results/q3/open-answers?page=3").status_code == 404
    assert client.get(f"/projects/{world.project_id}/results/q1/open-answers").status_code == 404  # not open


def test_open_answers_page_hides_a_question_asked_of_too_few(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q3": "Geheim verhaal."}] * 3)
    client, _ = login_as("petra")
    response = client.get(f"/projects/{world.project_id}/results/q3/open-answers")
    assert response.status_code == 200
    assert TOO_FEW in plain_text(response)
    assert "Geheim verhaal." not in plain_text(response)
    anna, _ = login_as("anna")  # an interviewer who is not on the panel
    assert anna.get(f"/projects/{world.project_id}/results/q3/open-answers").status_code == 403


def _show_q3_only_after_elke_dag(app, world):
    """Skip logic on the frozen test questionnaire: 'Wat kan beter?' only after 'Elke dag'."""
    from peerinterview.models import Condition

    with app.app_context():
        q1_id, _q2_id, q3_id = world.question_ids
        db.session.add(Condition(question_id=q3_id, source_question_id=q1_id, values=["1"]))
        db.session.commit()
        db.session.remove()


def test_questions_hidden_by_skip_logic_count_as_not_asked(app, world, results):
    _show_q3_only_after_elke_dag(app, world)
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q3": f"Gevraagd {n}."} for n in range(6)])
    # Answered 'Soms' after first choosing 'Elke dag': the kept text must not count.
    make_completed(app, world.project_id, "anna", [{"q1": "2", "q3": "Verborgen verhaal."}] * 6)
    q3 = section(results(), "3. Wat kan beter?")
    assert "6 mensen vertelden iets:" in q3
    assert "6 mensen kregen deze vraag niet." in q3
    assert "Verborgen verhaal." not in q3
    q1 = section(results(), "1. Hoe vaak komt u hier?", "2. Hoe voelt u zich hier?")
    assert "12 mensen kregen deze vraag." in q1


def test_a_small_not_asked_group_is_not_shown_apart(app, world, results):
    _show_q3_only_after_elke_dag(app, world)
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q2": "4"}] * 10 + [{"q1": "2", "q2": "4"}] * 2)
    q2 = section(results(), "2. Hoe voelt u zich hier?", "3. Wat kan beter?")
    assert "12 mensen kregen deze vraag." in q2
    text = results()
    # Two people skipped q3: saying so would reveal the hidden 'Soms' count of question 1.
    assert "2 mensen kregen deze vraag niet" not in text
    assert "Soms: niet getoond." in section(text, "1. Hoe vaak komt u hier?", "2. Hoe voelt u zich hier?")
    assert "Hoeveel mensen deze vraag kregen: niet getoond." in section(text, "3. Wat kan beter?")
