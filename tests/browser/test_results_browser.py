"""Results, breakdowns and fieldwork progress in Chromium, with axe-core (target-size on) on
every page: the results page and breakdowns of the demo fit 820, 390 and 320 px without scrolling
sideways, its index jumps to each question, "Toon tabel" opens and paper shows every table; the
progress page refreshes itself through htmx."""
import re

from playwright.sync_api import expect

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.interview.services import save_debrief
from peerinterview.models import Interview
from tests.browser.helpers import assert_accessible
from tests.builders import make_completed, make_interview
from tests.helpers import PASSWORD, build_world


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def seed(app):
    with app.app_context():
        world = build_world()
    haven, anker = world.location_ids
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", "q2": "5", "q3": "Meer rust."}] * 7 + [{"q1": "2", "q2": "4"}] * 5
                   + [{"q1": "3", "q2": "special:dont_know"}] * 2, location_id=haven)
    make_completed(app, world.project_id, "bram",
                   [{"q1": "1", "q2": "2"}] * 6 + [{"q1": "2", "q2": "special:refuse"}] * 6, location_id=anker)
    flagged = make_completed(app, world.project_id, "bram", [{"q1": "1"}], location_id=anker)[0]
    with app.app_context():
        save_debrief(db.session.get(Interview, flagged), mood="hard", text="Bel de begeleider.",
                     follow_up_needed=True, by=find_user("bram"))
        db.session.commit()
        db.session.remove()
    make_interview(app, world.project_id, "anna", location_id=haven)
    return world


def test_panel_reads_charts_and_breakdowns(app, page):
    world = seed(app)
    log_in(page, "petra")
    page.goto(f"/projects/{world.project_id}/results")
    expect(page.get_by_role("heading", level=1, name="Uitkomsten")).to_be_visible()
    question = page.get_by_role("region", name="1. Hoe vaak komt u hier?")
    answers = question.get_by_role("list").first.get_by_role("listitem")
    expect(answers.first).to_have_text("14 van de 27 mensen kozen: Elke dag (52%)")
    # The table with the same numbers waits behind "Toon tabel".
    table = page.get_by_role("table", name="Tabel: Hoe vaak komt u hier?")
    expect(table).to_be_hidden()
    question.get_by_text("Toon tabel").click()
    expect(table.get_by_role("row", name=re.compile("^Elke dag 14 52%"))).to_be_visible()
    assert page.locator("[style]").count() == 0
    assert_accessible(page, "results-01-charts")

    question.get_by_role("link", name=re.compile("^Vergelijk per locatie of per antwoord.*Hoe vaak komt u hier")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Vergelijken: Hoe vaak komt u hier"))).to_be_visible()
    groups = page.get_by_role("table", name="De groepen: mensen per locatie")
    expect(groups.get_by_role("row", name=re.compile("^De Haven 14"))).to_be_visible()
    every_day = page.get_by_role("table", name="Elke dag")
    expect(every_day.get_by_role("row", name=re.compile("^De Haven 7 50%"))).to_be_visible()
    assert_accessible(page, "results-02-breakdown-location")

    page.get_by_label("Vergelijk per").select_option(label="Antwoord op: Hoe voelt u zich hier?")
    page.get_by_role("button", name="Laat zien").click()
    expect(page.get_by_role("table", name="De groepen: mensen per antwoord op Hoe voelt u zich hier?")).to_be_visible()
    expect(page).to_have_url(re.compile(r"by=q2$"))
    assert_accessible(page, "results-03-breakdown-answer")


# --- the demo's results at tablet and phone sizes ----------------------------------------------

SIZES = {"tablet": (820, 1180), "phone": (390, 844), "small": (320, 640)}


def demo_project(app) -> int:
    from peerinterview.demo import create_demo

    with app.app_context():
        project = create_demo()
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id


def log_in_demo(page):
    from peerinterview.demo import DEMO_PASSWORD

    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill("demo-panel")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def sticks_out(page) -> list[str]:
    """What makes the page scroll sideways, or leaves the main column, with every <details> open
    (an open table must fit as well as a closed one)."""
    return page.evaluate("""() => {
        document.querySelectorAll('details').forEach(d => { d.open = true; });
        const width = document.documentElement.clientWidth;
        const out = [];
        if (document.documentElement.scrollWidth > width) out.push('page ' + document.documentElement.scrollWidth);
        const main = document.querySelector('main').getBoundingClientRect();
        for (const el of document.querySelectorAll('main *')) {
            const box = el.getBoundingClientRect();
            if (box.width && (box.right > Math.min(width, main.right) + 1 || box.left < main.left - 1))
                out.push(el.tagName + '.' + el.getAttribute('class') + ' ' + Math.round(box.left) + '-' + Math.round(box.right));
        }
        document.querySelectorAll('details').forEach(d => { d.open = false; });
        return out.slice(0, 5);
    }""")


def test_results_and_breakdowns_fit_a_tablet_and_a_phone(app, new_page):
    project_id = demo_project(app)
    page = new_page()
    log_in_demo(page)
    results = f"/projects/{project_id}/results"
    pages = [results, f"/projects/{project_id}/results/q1/breakdown",
             f"/projects/{project_id}/results/q2/breakdown?by=q1"]
    multi = f"/projects/{project_id}/results/q6/breakdown?by=q4"  # multiple choice, long labels
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for url in pages + [multi]:
            page.goto(url)
            assert sticks_out(page) == [], (name, url)
        if name != "small":
            page.goto(pages[0])
            assert_accessible(page, f"results-demo-{name}-results")
            page.goto(pages[1])
            assert_accessible(page, f"results-demo-{name}-breakdown")
        else:
            page.goto(pages[0])
            assert_accessible(page)
    # The page is calm: far shorter than the old ~15,000 px with every count three times.
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(results)
    assert page.evaluate("document.documentElement.scrollHeight") < 11_000


def test_the_index_links_jump_to_each_question_and_the_tables_open_and_print(app, new_page):
    project_id = demo_project(app)
    page = new_page()
    log_in_demo(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/projects/{project_id}/results")
    summary = page.get_by_role("region", name="De 5 duidelijkste uitkomsten")
    expect(summary.get_by_role("listitem")).to_have_count(5)
    index = page.get_by_role("navigation", name="Alle vragen")
    links = index.get_by_role("link")
    expect(links).to_have_count(12)
    for number in (12, 6, 1):
        link = links.nth(number - 1)
        text = link.inner_text()
        link.click()
        heading = page.get_by_role("heading", level=2, name=f"{number}. {text}")
        expect(heading).to_be_in_viewport()
        assert page.url.endswith("#" + heading.get_attribute("id"))
        # And back to the index from the question's own section.
        page.get_by_role("region", name=f"{number}. {text}").get_by_role("link", name="Naar alle vragen").click()
        expect(page.get_by_role("heading", level=2, name="Alle vragen")).to_be_in_viewport()
    # A summary line jumps to its question too.
    first = summary.get_by_role("link").first
    question = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=2, name=re.compile(rf"^\d+\. {re.escape(question)}$"))).to_be_in_viewport()

    # "Toon tabel" opens the table of the same numbers; the multiple-choice one fits the phone.
    section = page.get_by_role("region", name="6. Waarvoor komt u hier?")
    table = section.get_by_role("table")
    expect(table).to_be_hidden()
    section.get_by_text("Toon tabel").click()
    expect(table).to_be_visible()
    expect(table).to_contain_text("Mensen konden meer antwoorden kiezen.")
    box, width = table.bounding_box(), page.evaluate("document.documentElement.clientWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    section.get_by_text("Toon tabel").click()
    expect(table).to_be_hidden()
    # On paper every table is there, without tapping anything; the links to tap are not.
    page.emulate_media(media="print")
    for question in ("Hoe vaak komt u hier?", "Waarvoor komt u hier?", "Wat vindt u van het eten?"):
        expect(page.get_by_role("table", name=re.compile(rf"^Tabel: {re.escape(question)}"))).to_be_visible()
    expect(index).to_be_hidden()
    expect(page.get_by_text("Toon tabel").first).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.get_by_role("table", name="Tabel: Hoe vaak komt u hier?")).to_be_hidden()


def test_staff_sets_targets_and_the_progress_page_refreshes_itself(app, page):
    world = seed(app)
    log_in(page, "staf")
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("link", name="Voortgang").click()
    expect(page.get_by_role("heading", level=1, name="Voortgang van het interviewen")).to_be_visible()
    expect(page.get_by_text("27 interviews zijn klaar. Er is nog geen doel.")).to_be_visible()
    expect(page.get_by_text("Bel de begeleider.")).to_be_visible()
    assert_accessible(page, "progress-01")

    page.get_by_role("link", name="Doelen aanpassen").click()
    page.get_by_label("Doel voor het hele onderzoek").fill("veel")
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul een heel getal in, of laat het veld leeg.")
    expect(page).to_have_title(re.compile("^Fout: "))
    assert_accessible(page, "progress-02-targets-error")
    page.get_by_label("Doel voor het hele onderzoek").fill("40")
    page.get_by_label("Doel voor De Haven").fill("20")
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.get_by_text("De doelen zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_text("27 van de 40 interviews zijn klaar (68%).")).to_be_visible()
    assert_accessible(page, "progress-03-targets")

    # A new interview is finished; the next poll shows it without a reload.
    make_completed(app, world.project_id, "anna", [{"q1": "1"}], location_id=world.location_ids[0])
    # The same request as the hx-trigger="every 30s" poll, without waiting half a minute.
    page.evaluate("() => { htmx.ajax('GET', location.pathname, {target: '#progress-live', swap: 'outerHTML'}); }")
    expect(page.get_by_text("28 van de 40 interviews zijn klaar (70%).")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Voortgang van het interviewen")).to_have_count(1)
    assert_accessible(page)


def test_progress_works_without_javascript(app, new_page):
    world = seed(app)
    page = new_page(java_script_enabled=False)
    log_in(page, "staf")
    page.goto(f"/projects/{world.project_id}/progress")
    page.get_by_role("link", name="Nu bijwerken").click()
    expect(page.get_by_text("27 interviews zijn klaar. Er is nog geen doel.")).to_be_visible()
    page.get_by_role("link", name="Doelen aanpassen").click()
    page.get_by_label("Doel voor Het Anker").fill("15")
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.get_by_text("De doelen zijn opgeslagen.")).to_be_visible()
    row = page.get_by_role("table").first.get_by_role("row", name=re.compile("^Het Anker"))
    expect(row).to_contain_text("15")
    # (axe needs JavaScript: the same pages are checked with axe in the tests above.)
