"""The pages show exactly the numbers of the project's plan, and a hidden number nowhere.

tests/test_small_groups_attacker.py solves the numbers the services give the pages; this file
reads the pages themselves (as the panel, through HTTP) and checks they publish those numbers
and no others: the results page's tables, every breakdown in both directions, the slides, the
theme pages and the report. Small groups in the demo data: 40 interviews at 3 locations."""
import html as html_lib
import re

import pytest

from peerinterview.extensions import db
from peerinterview.models import Project
from peerinterview.pool import disclosure as d
from peerinterview.pool.breakdown import BY_LOCATION, ONE_ANSWER_KINDS, breakdown_questions, build_breakdown
from peerinterview.pool.services import pooled_results

from .builders import breakdown_grid, demo_login, html_of, plain_text
from .helpers import Poster, login

SPECIAL = {"dont_know": "Weet ik niet", "refuse": "Wil ik niet zeggen"}
GROUPS = {d.NO_ANSWER: "Geen antwoord gegeven", d.NOT_ASKED: "Kreeg de vraag niet"}


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _rows(table_html: str) -> list[tuple[str, list[str]]]:
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table_html, re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if header:
            rows.append((_text(header.group(1)), [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]))
    return rows


@pytest.fixture
def demo(app):
    client, project_id = demo_login(app, "demo-panel")
    return project_id, client


def test_the_results_page_and_the_report_show_the_plans_numbers(app, demo):
    project_id, panel = demo
    pages = {"results": html_of(panel.get(f"/projects/{project_id}/results")),
             "report": html_of(panel.get(f"/projects/{project_id}/report"))}
    with app.app_context(), app.test_request_context():
        project = db.session.get(Project, project_id)
        results = pooled_results(project, SPECIAL, "Geen antwoord gegeven")
        hidden_seen = 0
        for name, page in pages.items():
            for result in results:
                if result.question.kind == "open":
                    continue
                if name == "results":
                    if result.question.kind == "number":
                        continue  # no chart there: the summary and the lines in words
                    # The table behind "Toon tabel" under the question's sentences with bars.
                    match = re.search(rf'<section class="card result" aria-labelledby="result-{result.question.key}">'
                                      r'.*?<summary>Toon tabel.*?<table class="table chart-table">(.*?)</table>', page, re.S)
                else:
                    match = re.search(rf'id="chart-{result.question.key}-title".*?<table class="table chart-table">(.*?)</table>',
                                      page, re.S)
                assert match, (name, result.question.key)
                rows = dict(_rows(match.group(1)))
                for cell in result.cells:
                    label = result.labels[cell.key] or "Gaf een getal"
                    if cell.count == 0 and (cell.key.startswith("special:") or cell.key == d.NO_ANSWER):
                        assert label not in rows
                        continue
                    if cell.hidden:
                        assert rows[label] == ["niet getoond"], (name, result.question.key, label)
                        hidden_seen += 1
                    else:
                        assert rows[label][0] == str(cell.count), (name, result.question.key, label)
                if result.not_asked is None:
                    assert rows["Kregen de vraag niet"] == ["niet getoond"]
        assert hidden_seen > 10
        # The report's locations are the plan's location counts.
        report_text = _text(pages["report"])
        plan = d.margin_plan(project)
        for key, name in plan.structure.location_names.items():
            n = plan.margin(d.LOCATION).count(key)
            assert (f"{name}: niet getoond" if n is None else f"{name}: {n} interviews") in report_text
        db.session.remove()


def test_the_sentences_and_the_clearest_results_show_only_the_plans_numbers(app, demo):
    """The results page says every answer in words (with a bar) and starts with the clearest
    results: each sentence is one cell of the plan, hidden cells read "niet getoond", and the
    summary repeats cells of the plan and publishes no number of its own."""
    project_id, panel = demo
    page = html_of(panel.get(f"/projects/{project_id}/results"))
    with app.app_context(), app.test_request_context():
        project = db.session.get(Project, project_id)
        results = pooled_results(project, SPECIAL, "Geen antwoord gegeven")
        db.session.remove()
    hidden_seen = 0
    for result in results:
        if result.question.kind not in ("single", "scale3", "scale5", "yesno", "multi") or not result.shown:
            continue
        section = re.search(rf'<section class="card result" aria-labelledby="result-{result.question.key}">(.*?)</section>',
                            page, re.S).group(1)
        sentences = [_text(t) for t in re.findall(r'<span class="answer-bar-text">(.*?)</span>', section, re.S)]
        for cell in result.cells:
            label = result.labels[cell.key]
            if cell.hidden:
                assert f"{label}: niet getoond." in sentences, (result.question.key, label)
                hidden_seen += 1
            elif cell.count or not (cell.key.startswith("special:") or cell.key == d.NO_ANSWER):
                assert any(t.startswith(f"{cell.count} van de {result.base} mensen") and f"({cell.percent}%)" in t
                           and (label in t or cell.key == d.NO_ANSWER) for t in sentences), (result.question.key, label)
        assert len(sentences) == len([c for c in result.cells if c.count != 0
                                      or not (c.key.startswith("special:") or c.key == d.NO_ANSWER)])
    assert hidden_seen > 10

    summary = re.search(r'<section class="card results-summary"[^>]*>(.*?)</section>', page, re.S).group(1)
    items = re.findall(r'<li>\s*<a class="clearest-question" href="#result-([^"]+)">.*?</a>\s*'
                       r'<span class="clearest-answer">(.*?)</span>', summary, re.S)
    assert len(items) == 5
    by_key = {result.question.key: result for result in results}
    for key, sentence in items:
        result, sentence = by_key[key], _text(sentence)
        numbers = re.findall(r"\d+", sentence)
        matching = [cell for cell in result.cells if not cell.hidden and numbers == [
            str(cell.count), str(result.base), str(cell.percent)] and result.labels[cell.key] in sentence]
        assert matching, (key, sentence)
        assert "niet getoond" not in sentence


def test_every_breakdown_page_shows_the_plans_table_in_both_directions(app, demo):
    project_id, panel = demo
    with app.app_context(), app.test_request_context():
        project = db.session.get(Project, project_id)
        questions = breakdown_questions(project)
        groupings = [q for q in questions if q.kind in ONE_ANSWER_KINDS]
        pairs = [(q, None) for q in questions] + [(q, b) for q in questions for b in groupings if b.key != q.key]
        expected = {}
        for question, by in pairs:
            breakdown = build_breakdown(project, question, BY_LOCATION if by is None else by.key, by, SPECIAL, GROUPS)
            expected[(question.key, by.key if by else BY_LOCATION)] = breakdown
        db.session.remove()
    compared = hidden = 0
    for (key, by), breakdown in expected.items():
        page = html_of(panel.get(f"/projects/{project_id}/results/{key}/breakdown?by={by}"))
        rows = breakdown_grid(page)
        assert rows["Iedereen"] == [str(breakdown.table.total)] + [
            "niet getoond" if breakdown.column_totals[c] is None else str(breakdown.column_totals[c])
            for c in breakdown.columns], (key, by)
        for row in breakdown.rows:
            cells = rows[breakdown.row_labels[row]]
            total = breakdown.table.row_totals[row]
            if total is None:
                assert cells == ["niet getoond"]
                continue
            assert cells[0] == str(total)
            assert len(cells) == len(breakdown.columns) + 1
            for column, shown in zip(breakdown.columns, cells[1:]):
                n = breakdown.table.counts[(row, column)]
                if n is None:
                    assert shown == "niet getoond"
                    hidden += 1
                else:
                    assert shown.split(" ")[0] == str(n)
                compared += 1
    assert compared > 500 and hidden > 50


def test_the_slides_and_the_theme_pages_read_niet_getoond_for_every_hidden_number(app, demo):
    project_id, panel = demo
    with app.app_context(), app.test_request_context():
        project = db.session.get(Project, project_id)
        results = pooled_results(project, SPECIAL, "Geen antwoord gegeven")
        from peerinterview.panel.services import live_themes, theme_overview

        summaries = theme_overview(project, live_themes(project.id))
        db.session.remove()
    staff = login(app.test_client(), "demo-staf", "demo-wachtwoord")
    move = Poster(staff)
    for result in results:
        if result.question.kind in ("open", "number"):
            continue
        assert move(f"/projects/{project_id}/present", {"slide": f"q:{result.question.key}"}).status_code == 303
        text = plain_text(panel.get(f"/projects/{project_id}/present"))
        for cell in result.cells:
            label = result.labels[cell.key]
            if cell.hidden:
                assert f"{label}: niet getoond." in text, (result.question.key, label)
            elif cell.count:
                assert f"{cell.count} van de {result.base} mensen" in text
        assert "minder dan" not in text.lower()
    assert summaries
    for summary in summaries:
        text = plain_text(panel.get(f"/projects/{project_id}/themes/{summary.theme.id}"))
        assert "minder dan" not in text.lower()
        # The panel chooses a theme's cards and reads no people per location
        # (tests/test_panel_attacks.py); staff do, hidden as the plan says.
        assert not any(f"{name}:" in text for name in summary.location_names.values())
        text = plain_text(staff.get(f"/projects/{project_id}/themes/{summary.theme.id}"))
        assert "minder dan" not in text.lower()
        if summary.breakdown_shown:
            for key, name in summary.location_names.items():
                n = summary.per_location[key]
                assert (f"{name}: niet getoond" if n is None else f"{name}: {n} ") in text
