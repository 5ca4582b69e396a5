"""Results the panel can read (issue 5): charts as accessible SVG with a table of the same
numbers, breakdowns by location or by another answer with small groups hidden, and the live
fieldwork progress for project staff with targets and follow-up flags. All through HTTP."""
import re
from datetime import timedelta

import pytest

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.interview.services import save_debrief
from peerinterview.models import AuditEvent, Interview, Location, Project

from .builders import count_rows, html_of, location_of, make_completed, make_interview, plain_text


def _svg_of(html, key):
    match = re.search(rf'<svg class="chart"[^>]*aria-labelledby="chart-{key}-title chart-{key}-desc">.*?</svg>',
                      html, re.S)
    assert match, f"no chart for {key}"
    return match.group(0)


def _table_after(html, svg):
    start = html.index(svg) + len(svg)
    return html[start:html.index("</table>", start)]


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

def test_chart_is_an_accessible_svg_with_the_same_numbers_as_the_table(app, world, login_as):
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1"}] * 6 + [{"q1": "2"}] * 5 + [{"q1": "special:dont_know"}] * 5 + [{}] * 5)
    petra, _ = login_as("petra")
    html = html_of(petra.get(f"/projects/{world.project_id}/results"))
    svg = _svg_of(html, "q1")
    assert 'role="img"' in svg
    assert '<title id="chart-q1-title">Hoe vaak komt u hier?</title>' in svg
    desc = re.search(r'<desc id="chart-q1-desc">(.*?)</desc>', svg, re.S).group(1)
    assert desc.startswith("Staafdiagram over 21 mensen.")
    assert "Elke dag: 6 mensen, 29%." in desc and "Soms: 5 mensen, 24%." in desc
    assert "Bijna nooit: 0 mensen, 0%." in desc
    assert "Weet ik niet: 5 mensen, 24%." in desc and "Geen antwoord gegeven: 5 mensen, 24%." in desc
    # Nobody refused: that bar is left out; "weet ik niet" and no answer are drawn apart, in grey.
    assert "Wil ik niet zeggen" not in svg
    assert svg.count('class="chart-bar chart-bar-apart"') == 2
    assert 'class="chart-separator"' in svg
    assert "style=" not in svg  # CSP: no inline styles
    rows = dict(_cells(_table_after(html, svg)))
    assert rows["Elke dag"] == ["6", "29%"]
    assert rows["Soms"] == ["5", "24%"]
    assert rows["Bijna nooit"] == ["0", "0%"]
    assert rows["Weet ik niet"] == ["5", "24%"]
    assert rows["Geen antwoord gegeven"] == ["5", "24%"]
    assert rows["Kregen de vraag"] == ["21", "100%"]
    # Bar lengths follow the percentages (440 units = 100%).
    assert 'class="chart-bar" x="0" y="24" width="128"' in svg  # round(440 * 0.29)


def test_hidden_cells_are_hidden_in_words_chart_and_table(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 7 + [{"q1": "2"}] * 5 + [{"q1": "3"}])
    petra, _ = login_as("petra")
    html = html_of(petra.get(f"/projects/{world.project_id}/results"))
    svg = _svg_of(html, "q1")
    assert svg.count('class="chart-hidden"') == 2
    assert "Soms: niet getoond." in svg and "Bijna nooit: niet getoond." in svg
    rows = dict(_cells(_table_after(html, svg)))
    assert rows["Soms"] == ["niet getoond"] and rows["Bijna nooit"] == ["niet getoond"]
    assert rows["Elke dag"] == ["7", "54%"]
    assert not re.search(r">\s*[15]\s*<", svg + _table_after(html, svg))


def test_not_asked_is_counted_apart_in_the_table(app, world, login_as):
    from peerinterview.design.services import add_condition, freeze_version, new_draft, questionnaire_of

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
    html = html_of(petra.get(f"/projects/{world.project_id}/results"))
    svg = _svg_of(html, "q2")
    assert "5 mensen kregen de vraag niet." in svg
    rows = dict(_cells(_table_after(html, svg)))
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
    table = html[html.index('<table class="table breakdown-table">'):html.index("</table>")]
    return dict(_cells(table)), html


def test_breakdown_by_location(app, world, login_as, two_locations):
    # locations are ordered by name: Het Anker (index 1 in creation order?) - use the names.
    two_locations([(0, {"q1": "1"}, 6), (0, {"q1": "2"}, 5), (1, {"q1": "1"}, 5), (1, {"q1": "2"}, 7)])
    petra, _ = login_as("petra")
    rows, html = breakdown_rows(petra, world)
    assert "Antwoorden per locatie" in html
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
    assert "Antwoorden per antwoord op: Hoe vaak komt u hier?" in html
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
    from peerinterview.design.services import add_question, freeze_version, new_draft, questionnaire_of

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
    svg = _svg_of(html, key)
    assert "Mensen konden meer antwoorden kiezen." in svg
    assert "Koffie: 11 mensen, 69%." in svg and "Praten: 6 mensen, 38%." in svg
    assert "Spelletjes: 0 mensen, 0%." in svg and "Weet ik niet: 5 mensen, 31%." in svg
    rows = dict(_cells(_table_after(html, svg)))
    assert rows["Koffie"] == ["11", "69%"] and rows["Praten"] == ["6", "38%"]
    assert rows["Kregen de vraag"] == ["16", "meer antwoorden"]
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
    from peerinterview.design.services import add_question, freeze_version, new_draft, questionnaire_of

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
