"""Results the panel can read: per question each answer as a sentence with a bar and the same
numbers in a table behind "Toon tabel", breakdowns by location or by another answer (one narrow
table per answer, the groups as rows) with small groups hidden, and the live fieldwork progress
for project staff with targets and follow-up flags. All through HTTP."""
import re
from datetime import timedelta

import pytest

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.interview.services import save_debrief
from peerinterview.models import AuditEvent, Interview, Location, Project

from .builders import breakdown_grid, count_rows, html_of, location_of, make_completed, make_interview, plain_text


def _section(html, key):
    """One question's part of the results page."""
    match = re.search(rf'<section class="card result" aria-labelledby="result-{key}">(.*?)</section>', html, re.S)
    assert match, f"no section for {key}"
    return match.group(1)


def _bars(section):
    """(sentence, bar) per answer of the chart: the sentence as plain text, the bar's SVG ("" when
    the number is hidden)."""
    items = re.findall(r'<li class="answer-bar[^"]*">\s*<span class="answer-bar-text">(.*?)</span>\s*(<svg.*?</svg>)?\s*</li>',
                       section, re.S)
    return [(" ".join(text.split()), svg) for text, svg in items]


def _table_behind_toon_tabel(section):
    match = re.search(r'<details class="disclosure table-disclosure" data-print-open>\s*<summary>Toon tabel'
                      r'.*?</summary>(.*?)</details>', section, re.S)
    assert match, "no table behind Toon tabel"
    return match.group(1)


def _cells(table_html):
    """(row header, [cells]) per body row of a table, as plain text."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table_html, re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if header:
            rows.append((" ".join(re.sub(r"<[^>]+>", " ", header.group(1)).split()), cells))
    return rows


# --- charts on the results page --------------------------------------------------------------

def test_each_answer_is_a_sentence_with_a_bar_and_the_table_is_behind_toon_tabel(app, world, login_as):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1"}] * 6 + [{"q1": "2"}] * 5 + [{"q1": "special:dont_know"}] * 5 + [{}] * 5)
    petra, _ = login_as("petra")
    section = _section(html_of(petra.get(f"/projects/{world.project_id}/results")), "q1")
    bars = _bars(section)
    assert [text for text, _svg in bars] == [
        "6 van de 21 mensen kozen: Elke dag (29%)", "5 van de 21 mensen kozen: Soms (24%)",
        "0 van de 21 mensen kozen: Bijna nooit (0%)", "5 van de 21 mensen kozen: Weet ik niet (24%)",
        "5 van de 21 mensen gaven geen antwoord (24%)"]
    # The bars repeat the sentences for the eye only; their length is the percentage.
    for _text, svg in bars:
        assert 'aria-hidden="true"' in svg
    assert '<rect class="chart-bar" x="0" y="0" width="29"' in bars[0][1]
    assert 'class="chart-bar' not in bars[2][1]  # 0%: the empty track only
    # Nobody refused: left out. "Weet ik niet" and no answer come last, in grey, after a line.
    assert "Wil ik niet zeggen" not in section
    assert sum('class="chart-bar chart-bar-apart"' in svg for _text, svg in bars) == 2
    assert section.count("answer-bar-first-apart") == 1
    assert "style=" not in section  # CSP: no inline styles
    # Each number once in view: no second list in words, no SVG chart with its own numbers.
    assert 'role="img"' not in section and "result-lines" not in section
    rows = dict(_cells(_table_behind_toon_tabel(section)))
    assert rows["Elke dag"] == ["6", "29%"]
    assert rows["Soms"] == ["5", "24%"]
    assert rows["Bijna nooit"] == ["0", "0%"]
    assert rows["Weet ik niet"] == ["5", "24%"]
    assert rows["Geen antwoord gegeven"] == ["5", "24%"]
    assert rows["Kregen de vraag"] == ["21", "100%"]


def test_hidden_cells_are_hidden_in_words_bars_and_table(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 7 + [{"q1": "2"}] * 5 + [{"q1": "3"}])
    petra, _ = login_as("petra")
    section = _section(html_of(petra.get(f"/projects/{world.project_id}/results")), "q1")
    bars = dict(_bars(section))
    assert "Soms: niet getoond." in bars and "Bijna nooit: niet getoond." in bars
    assert bars["Soms: niet getoond."] == "" and bars["Bijna nooit: niet getoond."] == ""  # no bar
    assert section.count('class="answer-bar answer-bar-hidden"') == 2
    table = _table_behind_toon_tabel(section)
    rows = dict(_cells(table))
    assert rows["Soms"] == ["niet getoond"] and rows["Bijna nooit"] == ["niet getoond"]
    assert rows["Elke dag"] == ["7", "54%"]
    assert not re.search(r">\s*[15]\s*<", table)
    assert not re.search(r'width="(38|8)"', section)  # 5 and 1 of 13 drawn as bars


def test_not_asked_is_counted_apart_in_the_table(app, world, login_as):
    from peerinterview.design.builder.services import add_condition, freeze_version, new_draft, questionnaire_of

    with app.app_context():
        project = db.session.get(Project, world.project_id)
        draft = new_draft(questionnaire_of(project), by=find_user("staf"))
        add_condition(draft.questions[1], draft.questions[0], ["1"])  # q2 only after "Elke dag"
        freeze_version(draft, by=find_user("staf"))
        db.session.commit()
        version_id = draft.id
        db.session.remove()
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q2": "4"}] * 6 + [{"q1": "2"}] * 5,
                   version_id=version_id)
    petra, _ = login_as("petra")
    section = _section(html_of(petra.get(f"/projects/{world.project_id}/results")), "q2")
    assert "5 mensen kregen deze vraag niet." in " ".join(section.split())
    assert "6 van de 6 mensen kozen: Goed (100%)" in [text for text, _svg in _bars(section)]
    rows = dict(_cells(_table_behind_toon_tabel(section)))
    assert rows["Kregen de vraag niet"] == ["5", "–"]
    assert rows["Kregen de vraag"] == ["6", "100%"]


# --- breakdowns -------------------------------------------------------------------------------

@pytest.fixture
def two_locations(app, world):
    def make(per_location):
        """per_location: [(location index, answers, times)]"""
        for index, answers, times in per_location:
            make_completed(app, world.project_id, "anna", [answers] * times,
                           location_id=world.location_ids[index])
    return make


def breakdown_rows(client, world, key="q1", by=None):
    url = f"/projects/{world.project_id}/results/{key}/breakdown" + (f"?by={by}" if by else "")
    response = client.get(url)
    assert response.status_code == 200, url
    html = html_of(response)
    return breakdown_grid(html), html


def test_breakdown_by_location(app, world, login_as, two_locations):
    # locations are ordered by name: Het Anker (index 1 in creation order?) - use the names.
    two_locations([(0, {"q1": "1"}, 6), (0, {"q1": "2"}, 5), (1, {"q1": "1"}, 5), (1, {"q1": "2"}, 7)])
    petra, _ = login_as("petra")
    rows, html = breakdown_rows(petra, world)
    assert "De groepen: mensen per locatie" in html
    # columns: Mensen, Elke dag, Soms, Bijna nooit, Weet ik niet, Wil ik niet zeggen, Geen antwoord
    assert rows["De Haven"][:4] == ["11", "6 (55%)", "5 (45%)", "0 (0%)"]
    assert rows["Het Anker"][:4] == ["12", "5 (42%)", "7 (58%)", "0 (0%)"]
    assert rows["Iedereen"][:4] == ["23", "11", "12", "0"]


def test_breakdown_hides_a_small_location_whole_and_protects_it(app, world, login_as, two_locations):
    """A group of 3 is hidden; showing the other group would reveal it as total minus the rest."""
    two_locations([(0, {"q1": "1"}, 6), (0, {"q1": "2"}, 6), (1, {"q1": "1"}, 3)])
    petra, _ = login_as("petra")
    rows, html = breakdown_rows(petra, world)
    hidden = "niet getoond"
    assert rows["Het Anker"] == [hidden]
    assert rows["De Haven"] == [hidden]
    assert rows["Iedereen"][0] == "15"
    assert not re.search(r">\s*(3|12)\s*<", html)


def test_breakdown_hides_small_cells_so_that_rows_and_columns_cannot_reveal_them(app, world, login_as,
                                                                                 two_locations):
    two_locations([(0, {"q1": "1"}, 8), (0, {"q1": "2"}, 2), (0, {"q1": "3"}, 6),
                   (1, {"q1": "1"}, 8), (1, {"q1": "2"}, 6), (1, {"q1": "3"}, 6)])
    petra, _ = login_as("petra")
    rows, _html = breakdown_rows(petra, world)
    haven, anker = rows["De Haven"], rows["Het Anker"]
    assert haven[0] == "16" and anker[0] == "20"
    # Soms in De Haven (2) is small; one more in its row and one more in its column are hidden,
    # and a fourth so that no row or column has a single hidden cell.
    assert haven[2] == "niet getoond"
    hidden_in_haven = [i for i, c in enumerate(haven[1:4]) if c == "niet getoond"]
    hidden_in_anker = [i for i, c in enumerate(anker[1:4]) if c == "niet getoond"]
    assert len(hidden_in_haven) >= 2 and len(hidden_in_anker) >= 2
    assert "2 (" not in " ".join(haven)


def test_breakdown_by_another_answer(app, world, login_as):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q2": "5"}] * 6 + [{"q1": "2", "q2": "1"}] * 5 + [{"q1": "2", "q2": "5"}] * 5)
    petra, _ = login_as("petra")
    rows, html = breakdown_rows(petra, world, key="q2", by="q1")
    assert re.search(r'De groepen: mensen per antwoord op <span[^>]*>Hoe vaak komt u hier\?</span>', html)
    assert rows["Elke dag"][0] == "6"
    assert rows["Soms"][0] == "10"
    assert rows["Bijna nooit"][0] == "0"
    assert rows["Iedereen"][0] == "16"
    # q2's answers: 1 (Heel slecht) ... 5 (Heel goed): columns after "Mensen".
    assert rows["Elke dag"][1] == "0 (0%)" and rows["Elke dag"][5] == "6 (100%)"
    assert rows["Soms"][1] == "5 (50%)" and rows["Soms"][5] == "5 (50%)"


def test_breakdown_of_unknown_or_open_question_is_404(app, world, login_as):
    petra, _ = login_as("petra")
    base = f"/projects/{world.project_id}/results"
    assert petra.get(f"{base}/q3/breakdown").status_code == 404  # open question
    assert petra.get(f"{base}/nope/breakdown").status_code == 404
    assert petra.get(f"{base}/q1/breakdown?by=q1").status_code == 404
    assert petra.get(f"{base}/q1/breakdown?by=q3").status_code == 404
    assert petra.get(f"{base}/q1/breakdown?by=location").status_code == 200


def test_breakdown_with_too_few_people_shows_nothing(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 4)
    petra, _ = login_as("petra")
    response = petra.get(f"/projects/{world.project_id}/results/q1/breakdown")
    text = plain_text(response)
    assert "Er zijn nog te weinig interviews klaar. Daarom laten we niets zien." in text
    assert "breakdown-table" not in html_of(response)


def test_results_page_links_to_the_breakdown_and_the_form_works_without_js(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q2": "3"}] * 5)
    petra, _ = login_as("petra")
    html = html_of(petra.get(f"/projects/{world.project_id}/results"))
    assert f'href="/projects/{world.project_id}/results/q1/breakdown"' in html
    assert f'href="/projects/{world.project_id}/results/q3/breakdown"' not in html
    page = html_of(petra.get(f"/projects/{world.project_id}/results/q1/breakdown"))
    assert 'method="get"' in page and '<select class="input" id="by" name="by"' in page
    assert '<option value="q2"' in page and '<option value="q1"' not in page


def test_panel_never_gets_one_respondents_row(app, world, login_as, two_locations):
    """Breakdowns by another answer never show a group of one, even across two pages."""
    two_locations([(0, {"q1": "1", "q2": "5", "q3": "Geheim"}, 1), (0, {"q1": "2", "q2": "2"}, 9)])
    petra, _ = login_as("petra")
    for url in (f"/projects/{world.project_id}/results", f"/projects/{world.project_id}/results/q1/breakdown",
                f"/projects/{world.project_id}/results/q2/breakdown?by=q1",
                f"/projects/{world.project_id}/results/q1/breakdown?by=q2"):
        html = html_of(petra.get(url))
        assert not re.search(r">\s*1\s*(\(|<)", html), url
        assert "Elke dag: 1 mensen" not in html
        assert "respondent" not in html.lower()


# --- fieldwork progress -----------------------------------------------------------------------

def _flag(app, interview_id, text="Was verdrietig."):
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        save_debrief(interview, mood="hard", text=text, follow_up_needed=True, by=find_user("anna"))
        db.session.commit()
        db.session.remove()


def test_progress_counts_per_location_day_and_interviewer_against_targets(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 3, location_id=world.location_ids[0])
    make_completed(app, world.project_id, "bram", [{"q1": "1"}] * 2, location_id=world.location_ids[1])
    running = make_interview(app, world.project_id, "bram", location_id=world.location_ids[1])
    flagged = make_completed(app, world.project_id, "anna", [{"q1": "2"}], location_id=world.location_ids[1])[0]
    _flag(app, flagged)
    staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/progress/targets", {
        "total": "20", f"location_{world.location_ids[0]}": "10", f"location_{world.location_ids[1]}": "",
    })
    assert response.status_code == 303
    assert location_of(response) == f"/projects/{world.project_id}/progress"
    with app.app_context():
        assert db.session.get(Project, world.project_id).interview_target == 20
        assert db.session.get(Location, world.location_ids[0]).interview_target == 10
        assert db.session.get(Location, world.location_ids[1]).interview_target is None
        db.session.remove()

    response = staff.get(f"/projects/{world.project_id}/progress")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text, html = plain_text(response), html_of(response)
    assert "6 van de 20 interviews zijn klaar (30%)." in text
    assert "1 interview is nog bezig." in text
    assert "1 interview vraagt om nazorg." in text
    locations = dict(_cells(html[html.index('id="progress-locations"'):html.index('id="progress-days"')]))
    assert locations["De Haven"] == ["3 (30%)", "10", "7", "0", "0"]
    assert locations["Het Anker"] == ["3", "–", "–", "1", "1"]
    interviewers = dict(_cells(html[html.index('id="progress-interviewers"'):html.index('id="nazorg"')]))
    assert interviewers["Anna"] == ["4", "0", "1"] and interviewers["Bram"] == ["2", "1", "0"]
    days = _cells(html[html.index('id="progress-days"'):html.index('id="progress-interviewers"')])
    assert len(days) == 1 and days[0][1] == ["6", "1", "1"]
    # The follow-up list: code, location, interviewer, debrief, a link to the answers.
    follow = html[html.index('id="nazorg"'):]
    code = db_code(app, flagged)
    assert code in follow and "Was verdrietig." in follow and "Moeilijk" in follow
    assert f"/interviews/{flagged}/answers" in follow
    assert running not in html
    # Refreshes itself with htmx, and a plain link reloads it without JavaScript.
    assert 'hx-trigger="every 30s"' in html and f'hx-get="/projects/{world.project_id}/progress"' in html
    assert re.search(rf'<a class="button button-secondary" href="/projects/{world.project_id}/progress">Nu bijwerken</a>', html)


def db_code(app, interview_id):
    with app.app_context():
        code = db.session.get(Interview, interview_id).respondent_code
        db.session.remove()
    return code


def test_progress_poll_gets_only_the_live_part_and_is_not_logged(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 2)
    staff, _ = login_as("staf")
    staff.get(f"/projects/{world.project_id}/progress")
    views = count_rows(app, AuditEvent, AuditEvent.action == "progress.viewed")
    assert views == 1
    fragment = staff.get(f"/projects/{world.project_id}/progress", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = html_of(fragment)
    assert body.lstrip().startswith('<div id="progress-live"')
    assert "<html" not in body and "2 interviews zijn klaar." in plain_text(fragment)
    assert "HX-Request" in fragment.headers["Vary"]
    assert count_rows(app, AuditEvent, AuditEvent.action == "progress.viewed") == 1
    boosted = staff.get(f"/projects/{world.project_id}/progress",
                        headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in html_of(boosted)


def test_progress_without_interviews_or_targets(app, world, login_as):
    staff, _ = login_as("staf")
    text = plain_text(staff.get(f"/projects/{world.project_id}/progress"))
    assert "0 interviews zijn klaar. Er is nog geen doel." in text
    assert "Geen enkel interview vraagt om nazorg." in text


def test_progress_day_table_groups_by_start_day(app, world, login_as):
    ids = make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 3)
    with app.app_context():
        first = db.session.get(Interview, ids[0])
        first.started_at = first.started_at - timedelta(days=2)
        db.session.commit()
        db.session.remove()
    staff, _ = login_as("staf")
    html = html_of(staff.get(f"/projects/{world.project_id}/progress"))
    days = _cells(html[html.index('id="progress-days"'):html.index('id="progress-interviewers"')])
    assert [cells for _day, cells in days] == [["2", "0", "0"], ["1", "0", "0"]]


def test_targets_form_errors_are_shown_the_govuk_way(app, world, login_as):
    staff, post = login_as("staf")
    page = staff.get(f"/projects/{world.project_id}/progress/targets")
    assert page.status_code == 200
    assert 'id="total"' in html_of(page) and "Doel voor De Haven" in html_of(page)
    response = post(f"/projects/{world.project_id}/progress/targets",
                    {"total": "veel", f"location_{world.location_ids[0]}": "-3"})
    assert response.status_code == 422
    html = html_of(response)
    assert "<title>Fout: " in html
    assert 'href="#total"' in html and "Vul een heel getal in, of laat het veld leeg." in html
    assert f'href="#location_{world.location_ids[0]}"' in html
    assert "Kies een getal van 0 tot en met 100000." in html
    with app.app_context():
        assert db.session.get(Project, world.project_id).interview_target is None
        db.session.remove()


def test_targets_change_is_logged_without_content(app, world, login_as):
    _staff, post = login_as("staf")
    post(f"/projects/{world.project_id}/progress/targets", {"total": "12"})
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="progress.targets_changed").one()
        assert event.detail == {"changed": ["project"]}
        db.session.remove()


@pytest.mark.parametrize("who", ["anna", "bram", "petra", "dirk", "andere-staf"])
def test_only_project_staff_see_progress(app, world, login_as, who):
    flagged = make_completed(app, world.project_id, "anna", [{"q1": "1"}])[0]
    _flag(app, flagged)
    client, post = login_as(who)
    for url in (f"/projects/{world.project_id}/progress", f"/projects/{world.project_id}/progress/targets"):
        response = client.get(url)
        assert response.status_code == 403
        assert db_code(app, flagged) not in html_of(response)
    assert post(f"/projects/{world.project_id}/progress/targets", {"total": "1"}).status_code == 403
    nav = html_of(client.get(f"/projects/{world.project_id}"))
    assert f"/projects/{world.project_id}/progress" not in nav


def test_staff_see_the_progress_link(world, login_as):
    staff, _ = login_as("staf")
    assert f'href="/projects/{world.project_id}/progress"' in html_of(staff.get(f"/projects/{world.project_id}"))


@pytest.mark.parametrize("who", ["anna", "bram", "dirk", "andere-staf"])
def test_interviewers_not_on_the_panel_cannot_read_breakdowns(app, world, login_as, who):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q3": "Het eten is koud."}] * 6)
    client, _ = login_as(who)
    for url in (f"/projects/{world.project_id}/results", f"/projects/{world.project_id}/results/q1/breakdown",
                f"/projects/{world.project_id}/results/q1/breakdown?by=q2"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Het eten is koud." not in html_of(response)


def test_breakdown_and_progress_are_counted_in_the_database(app, world, login_as):
    """Counted with GROUP BY, not a query (or a loop) per answer: the interviews per version and
    per location, the answers per question (the results page's counts, which the breakdown
    must agree with), and one for the table itself."""
    from sqlalchemy import event

    make_completed(app, world.project_id, "anna", [{"q1": "1", "q2": "4"}] * 30)
    petra, _ = login_as("petra")
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        petra.get(f"/projects/{world.project_id}/results/q1/breakdown?by=q2")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    grouped = [s for s in statements if "GROUP BY" in s]
    assert len(grouped) == 4
    assert sum("answer_1" in s and "answer_2" in s for s in grouped) == 1  # both questions at once
    assert len(statements) < 16

    for interview_id in make_completed(app, world.project_id, "bram", [{"q1": "2"}] * 5):
        _flag(app, interview_id)
    staff, _ = login_as("staf")
    statements.clear()
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert "35 interviews zijn klaar." in plain_text(staff.get(f"/projects/{world.project_id}/progress"))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Totals, per location, per day, per interviewer: GROUP BY; the flagged ones in one query.
    assert len([s for s in statements if "GROUP BY" in s]) == 3
    assert len(statements) < 16


def test_multiple_choice_chart_counts_the_people_who_ticked_each_answer(app, world, login_as):
    from peerinterview.design.builder.services import add_question, freeze_version, new_draft, questionnaire_of

    with app.app_context():
        staff = find_user("staf")
        draft = new_draft(questionnaire_of(db.session.get(Project, world.project_id)), by=staff)
        multi = add_question(draft, kind="multi", text="Wat doet u hier graag?",
                             choice_labels=["Koffie", "Praten", "Spelletjes"], by=staff)
        freeze_version(draft, by=staff)
        db.session.commit()
        version_id, key = draft.id, multi.key
        db.session.remove()
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", key: "1,2"}] * 6 + [{"q1": "1", key: "1"}] * 5 + [{"q1": "1", key: "special:dont_know"}] * 5,
                   version_id=version_id)
    petra, _ = login_as("petra")
    html = html_of(petra.get(f"/projects/{world.project_id}/results"))
    section = _section(html, key)
    assert "Mensen konden meer antwoorden kiezen." in section
    assert [text for text, _svg in _bars(section)] == [
        "11 van de 16 mensen kozen onder andere: Koffie (69%)", "6 van de 16 mensen kozen onder andere: Praten (38%)",
        "0 van de 16 mensen kozen onder andere: Spelletjes (0%)", "5 van de 16 mensen kozen: Weet ik niet (31%)"]
    rows = dict(_cells(_table_behind_toon_tabel(section)))
    assert rows["Koffie"] == ["11", "69%"] and rows["Praten"] == ["6", "38%"]
    # The percentages add up to more than 100: the table says why instead of a total of 100%.
    assert rows["Kregen de vraag"] == ["16", "–"]
    # A breakdown of it: per group, the people who ticked each answer. It cannot make the
    # groups itself (one person would be in several).
    assert f"/results/{key}/breakdown" in html
    assert f'<option value="{key}"' not in html_of(petra.get(f"/projects/{world.project_id}/results/q1/breakdown"))
    assert petra.get(f"/projects/{world.project_id}/results/q1/breakdown?by={key}").status_code == 404
    rows, page = breakdown_rows(petra, world, key=key, by="q1")
    assert "Mensen konden meer antwoorden kiezen." in page
    # columns: Mensen, Koffie, Praten, Spelletjes, Weet ik niet, Wil ik niet zeggen, Geen antwoord
    assert rows["Elke dag"][:4] == ["16", "11 (69%)", "6 (38%)", "0 (0%)"]
    assert rows["Elke dag"][4] == "5 (31%)"
    assert rows["Iedereen"][:5] == ["16", "11", "6", "0", "5"]


def test_multiple_choice_breakdown_hides_small_groups_per_answer(app, world, login_as, two_locations):
    from peerinterview.design.builder.services import add_question, freeze_version, new_draft, questionnaire_of

    with app.app_context():
        staff = find_user("staf")
        draft = new_draft(questionnaire_of(db.session.get(Project, world.project_id)), by=staff)
        multi = add_question(draft, kind="multi", text="Wat doet u hier graag?",
                             choice_labels=["Koffie", "Praten"], by=staff)
        freeze_version(draft, by=staff)
        db.session.commit()
        version_id, key = draft.id, multi.key
        db.session.remove()
    for index, answers, times in ((0, {"q1": "1", key: "1,2"}, 8), (0, {"q1": "1", key: "1"}, 2),
                                  (1, {"q1": "1", key: "1,2"}, 5), (1, {"q1": "1", key: "1"}, 7)):
        make_completed(app, world.project_id, "anna", [answers] * times, version_id=version_id,
                       location_id=world.location_ids[index])
    petra, _ = login_as("petra")
    rows, _page = breakdown_rows(petra, world, key=key)
    # Praten in De Haven: 8 of 10 ticked it, so "2 did not" would be a small group. It is hidden,
    # and so is Praten in Het Anker (5 of 12): else 13 - 5 gives De Haven's 8 back.
    assert rows["De Haven"][:3] == ["10", "10 (100%)", "niet getoond"]
    assert rows["Het Anker"][:3] == ["12", "12 (100%)", "niet getoond"]
    assert rows["Iedereen"][:3] == ["22", "22", "13"]


# --- the clearest results at the top of the results page -------------------------------------

def _result(key, kind, counts, base=20, shown=True):
    from types import SimpleNamespace

    from peerinterview.pool.services import QuestionResult
    from peerinterview.stats import Cell

    cells = [Cell(k, n, None if n is None else round(100 * n / base)) for k, n in counts.items()]
    return QuestionResult(question=SimpleNamespace(key=key, kind=kind, text=key), total=base, asked=base,
                          not_asked=0, cells=cells, shown=shown)


def test_the_clearest_results_rule_uses_only_shown_real_answers():
    from peerinterview.pool.summary import clearest_results

    results = [
        _result("a", "single", {"1": 10, "2": 10}),  # 50%, a tie: the first answer is named
        _result("b", "yesno", {"ja": 18, "nee": None, "_no_answer": 2}),  # 90%
        _result("c", "single", {"1": 5, "2": None, "special:dont_know": 15}),  # "weet ik niet" is no answer: 25%
        _result("d", "multi", {"1": 16, "2": 12}),  # 80% ticked answer 1
        _result("e", "open", {"_no_answer": 20}),
        _result("f", "number", {"_number": 20}),
        _result("g", "scale5", {"1": None, "2": None, "3": 0, "4": 0, "5": 0}),  # nothing shown above 0
        _result("h", "single", {"1": 15, "2": 5}, shown=False),
        _result("i", "scale3", {"1": 6, "2": 14}, base=20),  # 70%
        _result("j", "single", {"1": 30, "2": 10}, base=40),  # 75%
        _result("k", "single", {"1": 15, "2": 25}, base=40),  # 62%, answer 2
    ]
    clearest = clearest_results(results)
    assert [(c.result.question.key, c.cell.key, c.cell.percent) for c in clearest] == [
        ("b", "ja", 90), ("d", "1", 80), ("j", "1", 75), ("i", "2", 70), ("k", "2", 62)]
    assert [c.position for c in clearest] == [2, 4, 10, 9, 11]
    # Fewer questions than five: all of them, in the same order; a tie in share goes to more people.
    few = clearest_results([results[0], results[2], _result("l", "single", {"1": 20, "2": 20}, base=40)])
    assert [(c.result.question.key, c.cell.count) for c in few] == [("l", 20), ("a", 10), ("c", 5)]
    assert clearest_results([results[4], results[5], results[6], results[7]]) == []


def test_the_results_page_starts_with_the_clearest_results_and_an_index(app, world, login_as):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q2": "4", "q3": "Meer koffie."}] * 9 + [{"q1": "2", "q2": "4"}] * 6
                   + [{"q1": "3", "q2": "2"}] * 5)
    petra, _ = login_as("petra")
    html = html_of(petra.get(f"/projects/{world.project_id}/results"))
    summary = html[html.index('class="card results-summary"'):html.index('id="question-index"')]
    items = re.findall(r'<a class="clearest-question" href="#result-(q\d)">.*?</a>\s*<span class="clearest-answer">(.*?)</span>',
                       summary, re.S)
    assert items == [("q2", "15 van de 20 mensen kozen: Goed (75%)"), ("q1", "9 van de 20 mensen kozen: Elke dag (45%)")]
    assert "De 2 duidelijkste uitkomsten" in summary and "Hoe kiezen we deze uitkomsten?" in summary
    # The index links to every question's section, the open question too, numbered as the headings.
    index = html[html.index('id="question-index"'):html.index("</nav>", html.index('id="question-index"'))]
    assert re.findall(r'<li value="(\d)"><a href="#result-(q\d)">', index) == [("1", "q1"), ("2", "q2"), ("3", "q3")]
    for key in ("q1", "q2", "q3"):
        assert f'<h2 id="result-{key}" tabindex="-1">' in html
    assert html.count('<a href="#question-index">Naar alle vragen</a>') == 3


def test_no_clearest_results_while_too_few_interviews_are_done(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1", "q2": "4"}] * 4)
    petra, _ = login_as("petra")
    html = html_of(petra.get(f"/projects/{world.project_id}/results"))
    assert "results-summary" not in html and "duidelijkste" not in html
    assert "4 van de 4" not in html
