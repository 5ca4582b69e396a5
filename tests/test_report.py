"""The report: the page, its texts with B1 advice, the PDF (read back with pypdf), the
respondents' one-pager; small groups stay hidden and only approved quotes appear."""
import io
import re

import pytest
from sqlalchemy import func, select, update

from peerinterview.accounts.services import find_user
from peerinterview.demo import DEMO_PASSWORD
from peerinterview.extensions import db
from peerinterview.models import (
    Answer,
    AuditEvent,
    Coding,
    Finding,
    Project,
    Quote,
    Recommendation,
    RecommendationVote,
    ReportText,
    Theme,
)

from .builders import demo_login, html_of, login_redirect_target, make_completed, plain_text
from .helpers import login


def pdf_text(data: bytes):
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def add_panel_work(app, project_id):
    """A theme with findings, an approved and a proposed quote, and voted recommendations; and a
    deleted theme that must not show."""
    with app.app_context():
        answers = db.session.scalars(
            select(Answer).join(Answer.question).where(Answer.text.is_not(None))
            .where(Answer.interview.has(project_id=project_id)).order_by(Answer.id)
        ).all()
        petra = find_user("petra") or find_user("demo-panel")
        staff = find_user("staf") or find_user("demo-staf")
        theme = Theme(project_id=project_id, name="Rust en veiligheid")
        gone = Theme(project_id=project_id, name="Oud thema", deleted_at=answers[0].saved_at)
        db.session.add_all([theme, gone])
        db.session.flush()
        db.session.add_all([
            Coding(theme_id=theme.id, answer_id=answers[0].id, part="text"),
            Coding(theme_id=theme.id, answer_id=answers[1].id, part="text"),
            Finding(theme_id=theme.id, question="recognise", text="Ja, dit herkennen we allemaal."),
            Finding(theme_id=theme.id, question="action", text="Er moet een stille kamer komen."),
            Quote(project_id=project_id, answer_id=answers[0].id, part="text", status="approved",
                  text="Het is hier [...] soms te druk.", decided_by_id=staff.id),
            Quote(project_id=project_id, answer_id=answers[1].id, part="text", status="proposed",
                  text="Een voorstel dat nog niet goedgekeurd is."),
        ])
        low = Recommendation(theme_id=theme.id, text="Zet een plant in de gang.")
        high = Recommendation(theme_id=theme.id, text="Maak een stille kamer.")
        db.session.add_all([low, high])
        db.session.flush()
        db.session.add_all([RecommendationVote(recommendation_id=high.id, user_id=petra.id, priority=3),
                            RecommendationVote(recommendation_id=high.id, user_id=staff.id, priority=3),
                            RecommendationVote(recommendation_id=low.id, user_id=petra.id, priority=1)])
        db.session.commit()
        original = answers[0].text
        db.session.remove()
    return original


def location_counts(app, project_id) -> dict[str, int]:
    from peerinterview.models import Interview, Location

    with app.app_context():
        counts = dict(db.session.execute(
            select(Location.name, func.count()).join(Interview, Interview.location_id == Location.id)
            # The interviews that count: the demo has one more that staff marked "niet meetellen".
            .where(Interview.project_id == project_id, Interview.status == "completed",
                   Interview.review_state != "excluded").group_by(Location.name)
        ).all())
        db.session.remove()
    assert all(n >= 5 for n in counts.values())
    return counts


def question_kinds(app, project_id) -> dict[str, str]:
    """{key: kind} of the questions that get a chart (not open answers, not information screens)."""
    from peerinterview.models import Question, Questionnaire, QuestionnaireVersion

    with app.app_context():
        kinds = dict(db.session.execute(
            select(Question.key, Question.kind).join(QuestionnaireVersion, QuestionnaireVersion.id == Question.version_id)
            .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
            .where(Questionnaire.project_id == project_id, Question.kind.not_in(("open", "info")))
        ).all())
        db.session.remove()
    return kinds


def top_answer(app, project_id, key) -> tuple[str, int]:
    """The label most people chose for `key`, and how many chose it."""
    from peerinterview.models import Interview, Question

    with app.app_context():
        rows = db.session.execute(
            select(Answer.value, func.count()).join(Question, Question.id == Answer.question_id)
            .join(Interview, Interview.id == Answer.interview_id)
            .where(Interview.project_id == project_id, Interview.status == "completed", Question.key == key,
                   Answer.value.is_not(None)).group_by(Answer.value).order_by(func.count().desc())
        ).all()
        question = db.session.scalars(select(Question).join(Answer, Answer.question_id == Question.id)
                                      .join(Interview, Interview.id == Answer.interview_id)
                                      .where(Question.key == key, Interview.project_id == project_id)).first()
        label = question.choice_label(rows[0][0])
        db.session.remove()
    return label, rows[0][1]


@pytest.fixture
def demo(app):
    """The demo project (40 completed interviews), logged in as its staff member."""
    return demo_login(app)


@pytest.fixture
def small_group(app, world):
    """13 completed interviews: 11 × "Elke dag", 2 × "Bijna nooit" (a small group), and open
    answers; q2 answered by 12."""
    answers = [{"q1": "1", "q2": "4", "q3": "Het is hier vaak te druk in de gang."} for _ in range(11)]
    answers += [{"q1": "3", "q2": "2", "q3": "Meer rust graag."}, {"q1": "3", "q3": "Niets."}]
    make_completed(app, world.project_id, "anna", answers)
    return world


def test_report_page_for_staff_and_panel(app, demo, login_as):
    client, project_id = demo
    page = client.get(f"/projects/{project_id}/report")
    assert page.status_code == 200
    text = plain_text(page)
    assert "Wat vinden bezoekers van de dagopvang?" in text
    assert "Onze vraag: Hoe ervaren bezoekers de dagopvang en nachtopvang?" in text
    assert "Voor: Gemeente Voorbeeldstad" in text
    # Method: number, period, locations, who interviewed as roles (no names).
    assert "Aantal interviews 40" in text
    assert re.search(r"Periode Van \d+ \w+ 2026 tot en met \d+ \w+ 2026", text)
    for name, n in location_counts(app, project_id).items():  # the demo has no small location
        assert f"{name}: {n} interviews" in text
    with app.app_context():
        from peerinterview.models import Interview

        interviewers = db.session.scalar(select(func.count(func.distinct(Interview.interviewer_id)))
                                         .where(Interview.project_id == project_id, Interview.status == "completed"))
        db.session.remove()
    assert (f"{interviewers} interviewer deed mee." if interviewers == 1
            else f"{interviewers} interviewers deden mee.") in text
    assert "Ahmed" not in text and "demo-interviewer" not in text.replace("Ingelogd als", "")
    # Appendix: each question with a chart and a table; open answers are not printed raw.
    chart_questions = question_kinds(app, project_id)
    assert html_of(page).count('<svg class="chart"') == len(chart_questions) >= 7
    assert html_of(page).count('class="table chart-table"') == len(chart_questions)
    assert "Vraag 1: Hoe vaak komt u hier?" in text and "Wat moet er beter?" in text
    assert "Nu gaan we praten over het eten." not in text  # an information screen has no results
    assert "Het eten is vaak koud." not in text  # an open answer, not an approved quote
    assert "Gegevens downloaden" in text  # staff
    panel = app.test_client()
    login(panel, "demo-panel", DEMO_PASSWORD)
    panel_page = panel.get(f"/projects/{project_id}/report")
    assert panel_page.status_code == 200
    assert "Gegevens downloaden" not in plain_text(panel_page)
    assert 'aria-current="page"' in html_of(panel_page) and "/report" in html_of(panel_page)


def test_interviewers_designers_and_other_staff_cannot_see_the_report(world, login_as, client):
    for username in ("anna", "bram", "dirk", "andere-staf"):
        other, post = login_as(username)
        for path in ("/report", "/report/texts", "/report.pdf", "/report/summary", "/report/summary.pdf"):
            response = other.get(f"/projects/{world.project_id}{path}")
            assert response.status_code == 403, (username, path)
        assert post(f"/projects/{world.project_id}/report/texts", {"title": "Stiekem"}).status_code == 403
    path = f"/projects/{world.project_id}/report"
    assert login_redirect_target(client.get(path)) == path


def test_small_groups_stay_hidden_on_the_page_and_in_the_pdf(app, small_group, login_as):
    staff, _post = login_as("staf")
    page = plain_text(staff.get(f"/projects/{small_group.project_id}/report"))
    assert "Bijna nooit niet getoond" in page
    assert "Elke dag niet getoond" in page  # else 13 − 11 would give the small group away
    _reader, text = pdf_text(staff.get(f"/projects/{small_group.project_id}/report.pdf").data)
    flat = " ".join(text.split())
    assert "Bijna nooit niet getoond" in flat and "Elke dag niet getoond" in flat
    for number in ("85%", "15%", "Elke dag 11", "Bijna nooit 2", "11 (", "2 ("):
        assert number not in flat and number not in page, number
    assert "Kregen de vraag 13" in flat
    # The open question: a count, never the texts.
    assert "13 mensen vertelden iets." in flat
    assert "te druk in de gang" not in flat


def test_report_pdf_has_pages_headings_contents_and_approved_quotes_only(app, demo):
    client, project_id = demo
    original = add_panel_work(app, project_id)
    response = client.get(f"/projects/{project_id}/report.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert 'filename="rapport-wat-vinden-bezoekers-van-de-dagopvang.pdf"' in response.headers["Content-Disposition"]
    reader, text = pdf_text(response.data)
    flat = " ".join(text.split())
    # Each question of the appendix says, in a line, how many were asked (or that this is hidden).
    assert 4 <= len(reader.pages) <= 14
    assert reader.metadata.title == "Wat vinden bezoekers van de dagopvang?"
    for heading in ("Inhoud", "Zo hebben we het onderzocht", "Wat we hoorden", "Rust en veiligheid",
                    "Dit zeiden mensen", "Onze aanbevelingen", "Bijlage: alle vragen en antwoorden",
                    "Vraag 1: Hoe vaak komt u hier?"):
        assert heading in flat, heading
    assert f"Pagina 1 van {len(reader.pages)}" in flat
    assert re.search(r"Wat we hoorden \.+ \d", flat)  # the contents list has page numbers
    assert "Het is hier [...] soms te druk." in flat
    assert "Een voorstel dat nog niet goedgekeurd is." not in flat
    assert original not in flat  # the approved (redacted) wording, never the raw answer
    assert "Oud thema" not in flat
    assert "Herkennen we dit? Ja, dit herkennen we allemaal." in flat
    # Recommendations by priority: the one voted "heel belangrijk" comes first.
    assert flat.index("Maak een stille kamer. (heel belangrijk)") < flat.index("Zet een plant in de gang. (minder belangrijk)")
    # Tagged for assistive technology (PDF/UA), with the language set.
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert str(catalog["/Lang"]) == "nl"
    # Charts are vectors: no images in the appendix pages.
    assert all(not page.images for page in reader.pages)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.pdf")).one()
        assert event.project_id == project_id and event.user_id == find_user("demo-staf").id
        db.session.remove()


def test_the_report_shows_themes_and_quotes_on_the_page_too(app, demo):
    client, project_id = demo
    original = add_panel_work(app, project_id)
    text = plain_text(client.get(f"/projects/{project_id}/report"))
    assert "Rust en veiligheid" in text and "Het is hier [...] soms te druk." in text
    assert "Een voorstel dat nog niet goedgekeurd is." not in text and original not in text
    assert "Moet er iets gebeuren? Er moet een stille kamer komen." in text
    assert "Een panel van cliënten las de antwoorden." in text


def test_respondents_summary_page_and_one_page_pdf(app, demo):
    client, project_id = demo
    add_panel_work(app, project_id)
    page = client.get(f"/projects/{project_id}/report/summary")
    assert page.status_code == 200
    text = plain_text(page)
    assert "Dit hebben we gehoord" in text
    # The demo's own text for the people who took part; without one, a thank-you with the number.
    assert "We spraken met 40 bezoekers van de dagopvang en de nachtopvang." in text
    with app.app_context():
        db.session.execute(update(ReportText).where(ReportText.project_id == project_id).values(respondent_summary=""))
        db.session.commit()
        db.session.remove()
    text = plain_text(client.get(f"/projects/{project_id}/report/summary"))
    assert "Dank u wel voor uw hulp! We spraken met 40 mensen." in text
    label, count = top_answer(app, project_id, "q1")
    assert f"Hoe vaak komt u hier? {count} van de 40 mensen: {label}" in text
    assert "Het rapport gaat naar Gemeente Voorbeeldstad." in text
    assert "Het is hier [...] soms te druk." in text
    assert text.index("Maak een stille kamer.") < text.index("Zet een plant in de gang.")
    response = client.get(f"/projects/{project_id}/report/summary.pdf")
    reader, pdf = pdf_text(response.data)
    assert len(reader.pages) == 1
    flat = " ".join(pdf.split())
    assert "Dit hebben we gehoord" in flat and "Het is hier [...] soms te druk." in flat
    assert "Een voorstel dat nog niet goedgekeurd is." not in flat
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "report.summary_pdf")) == 1
        db.session.remove()


def test_panel_edits_the_texts_with_b1_advice(app, world, login_as):
    petra, post = login_as("petra")
    form = petra.get(f"/projects/{world.project_id}/report/texts")
    assert form.status_code == 200
    assert plain_text(form).count("Nog geen tekst.") == 6
    summary = "Indien u vragen heeft, kunt u bellen.\n\nDe bezoekers zijn blij met de koffie."
    # Checking the language saves nothing, and shows the advice beside the text.
    checked = post(f"/projects/{world.project_id}/report/texts", {"summary": summary, "check": "Controleer de taal"})
    assert checked.status_code == 200
    assert "Moeilijk woord uit brieven" in plain_text(checked) and "als" in plain_text(checked)
    with app.app_context():
        assert db.session.get(ReportText, world.project_id) is None
        db.session.remove()
    saved = post(f"/projects/{world.project_id}/report/texts", {
        "title": "Wat bezoekers vinden", "summary": summary, "respondent_summary": "Bedankt voor uw verhaal.",
        "save": "Opslaan"})
    assert saved.status_code == 303
    after = petra.get(saved.headers["Location"])
    assert "De teksten zijn opgeslagen." in plain_text(after)
    assert 'id="advice-summary"' in html_of(after) and "Taal:" in plain_text(after)
    report = plain_text(petra.get(f"/projects/{world.project_id}/report"))
    assert "Wat bezoekers vinden" in report and "De bezoekers zijn blij met de koffie." in report
    assert "Bedankt voor uw verhaal." in plain_text(petra.get(f"/projects/{world.project_id}/report/summary"))
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.texts_update")).one()
        assert event.detail == {"fields": ["title", "summary", "respondent_summary"]}
        assert event.user_id == find_user("petra").id
        db.session.remove()
    too_long = post(f"/projects/{world.project_id}/report/texts", {"title": "x" * 201, "save": "Opslaan"})
    assert too_long.status_code == 422
    assert "Er is iets niet goed" in html_of(too_long) and "Maak de titel korter." in html_of(too_long)


def test_live_advice_while_typing_returns_only_the_advice_and_saves_nothing(app, world, login_as):
    _petra, post = login_as("petra")
    response = post(f"/projects/{world.project_id}/report/texts",
                    {"summary": "Indien u vragen heeft, kunt u bellen.", "advice_for": "summary"},
                    headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = html_of(response)
    assert "<html" not in fragment and "Moeilijk woord uit brieven" in fragment
    assert "Taaltips: Samenvatting" in fragment
    with app.app_context():
        assert db.session.get(ReportText, world.project_id) is None
        db.session.remove()
    # A boosted form post (or no htmx) with the same field saves as usual.
    response = post(f"/projects/{world.project_id}/report/texts", {"summary": "Kort.", "advice_for": "summary"},
                    headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(ReportText, world.project_id).summary == "Kort."
        db.session.remove()


def test_bench_hook_renders_the_report_pdf(app, demo):
    from peerinterview.report.pdf import render_report_pdf

    _client, project_id = demo
    with app.app_context():
        data = render_report_pdf(project_id)
        db.session.remove()
    assert data.startswith(b"%PDF-")
    _reader, text = pdf_text(data)
    assert "Zo hebben we het onderzocht" in text


def test_the_app_starts_without_weasyprint_imported():
    import subprocess
    import sys

    code = ("import sys; from peerinterview import create_app; create_app(); "
            "print('weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.stdout.strip().endswith("False"), result.stderr[-2000:]


def test_without_pango_the_pdf_button_explains_instead_of_crashing(app, world, login_as, monkeypatch):
    from peerinterview.report import pdf

    def no_pango(html):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "html_to_pdf", no_pango)
    staff, _post = login_as("staf")
    response = staff.get(f"/projects/{world.project_id}/report.pdf")
    assert response.status_code == 503
    assert "Een PDF maken lukt hier niet" in html_of(response)
    assert staff.get(f"/projects/{world.project_id}/report/summary.pdf").status_code == 503
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action.like("report.%pdf"))) == 0
        db.session.remove()


def test_project_without_interviews_still_has_a_report(app, world, login_as):
    staff, _post = login_as("staf")
    text = plain_text(staff.get(f"/projects/{world.project_id}/report"))
    assert "Aantal interviews 0" in text and "Nog geen interviews." in text
    reader, _text = pdf_text(staff.get(f"/projects/{world.project_id}/report.pdf").data)
    assert len(reader.pages) >= 2
    with app.app_context():
        assert db.session.get(Project, world.project_id).name == "Onderzoek dagopvang"
        db.session.remove()


def _report_form(client, project_id) -> dict:
    """Every field of the report texts form as the page shows it (what a browser would send)."""
    page = html_of(client.get(f"/projects/{project_id}/report/texts"))
    fields = {name: value for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)}
    fields.update({name: text.strip("\n") for name, text in
                   re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>(.*?)</textarea>', page, re.S)})
    fields.pop("csrf_token", None)
    fields.pop("advice_for", None)
    assert fields.get("seen"), "the page says which texts it showed"
    return fields


def test_two_people_editing_the_report_at_once_lose_nothing(app, world, login_as):
    """Staff and a panel member open the texts at the same time. Each saves a different text: both
    stay. Both change the same text: the second gets a 409 with their own text kept in the field
    and the other's text beside it, and nothing of theirs or the other's is overwritten."""
    staf, staf_post = login_as("staf")
    petra, petra_post = login_as("petra")
    url = f"/projects/{world.project_id}/report/texts"
    mine, hers = _report_form(staf, world.project_id), _report_form(petra, world.project_id)
    assert staf_post(url, {**mine, "summary": "Samenvatting van de begeleider.", "save": "Opslaan"}).status_code == 303
    # Petra's page still shows an empty summary; she wrote the easy-read text only.
    assert petra_post(url, {**hers, "easy_read": "Wij spraken 12 mensen.", "save": "Opslaan"}).status_code == 303
    with app.app_context():
        stored = db.session.get(ReportText, world.project_id)
        assert (stored.summary, stored.easy_read) == ("Samenvatting van de begeleider.", "Wij spraken 12 mensen.")
        db.session.remove()

    # Now both change the summary (and staff the title too) from the same page.
    mine, hers = _report_form(staf, world.project_id), _report_form(petra, world.project_id)
    assert staf_post(url, {**mine, "summary": "De versie van de begeleider.", "save": "Opslaan"}).status_code == 303
    lost = petra_post(url, {**hers, "summary": "De versie van het panel.", "title": "Titel van het panel",
                            "save": "Opslaan"})
    assert lost.status_code == 409
    page = html_of(lost)
    assert "Iemand anders heeft deze tekst net ook veranderd." in plain_text(lost)
    assert re.search(r"<textarea[^>]*name=\"summary\"[^>]*>\s*De versie van het panel.</textarea>", page)  # her text, still in the field
    assert "Titel van het panel" in page  # the text not in conflict is kept too
    assert "De versie van de begeleider." in plain_text(lost)  # the other's text, to merge
    with app.app_context():
        stored = db.session.get(ReportText, world.project_id)
        assert (stored.summary, stored.title) == ("De versie van de begeleider.", "")
        db.session.remove()
    # She merges the two and saves again from that page: now it is stored.
    again = {name: value for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)}
    again.pop("csrf_token", None)
    assert petra_post(url, {**hers, "seen": again["seen"], "title": "Titel van het panel",
                            "summary": "Samen: de begeleider en het panel.", "save": "Opslaan"}).status_code == 303
    with app.app_context():
        stored = db.session.get(ReportText, world.project_id)
        assert (stored.summary, stored.title, stored.easy_read) == (
            "Samen: de begeleider en het panel.", "Titel van het panel", "Wij spraken 12 mensen.")
        db.session.remove()
