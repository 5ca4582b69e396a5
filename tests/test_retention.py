"""Retention: `flask purge-expired` erases the raw answers, open texts and debriefs of projects past
their retention date, keeps the approved report texts and the pooled counts, and logs the run.
The clock is frozen: the command takes --today, and the default "today" is patched."""
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from peerinterview.accounts.services import find_user, set_membership
from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import (
    Answer,
    AuditEvent,
    Coding,
    Interview,
    Project,
    Quote,
    ReportText,
    RetainedQuote,
    RetainedResult,
    Theme,
)
from peerinterview.projects.services import add_location
from peerinterview.security import retention

from .builders import make_completed, make_interview, plain_text

RETENTION = date(2030, 1, 1)
LABELS = {"special_labels": {"dont_know": "Weet ik niet", "refuse": "Wil ik niet zeggen"},
          "no_answer_label": "Geen antwoord gegeven", "open_label": "Open antwoorden",
          "not_asked_label": "Kregen de vraag niet"}


@pytest.fixture
def filled(app, world):
    """Six completed interviews (q1: 4× "1", 2× "2"; q3 open texts), a debrief, an approved quote
    in a theme, a proposed quote, report texts; and an interview in the other project."""
    ids = make_completed(app, world.project_id, "anna", [
        {"q1": "1", "q2": "4", "q3": f"Meer rust, zegt Jan {n}."} for n in range(4)
    ] + [{"q1": "2", "q2": "5", "q3": "Fijne mensen."} for _ in range(2)])
    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, world.project_id)
        project.retention_date = RETENTION
        first = db.session.get(Interview, ids[0])
        first.debrief_text = "Het was een zwaar gesprek over zijn broer."
        first.debrief_mood = "hard"
        first.follow_up_needed = True
        answers = db.session.scalars(select(Answer).join(Interview).where(
            Interview.id.in_(ids[:2]), Answer.text.is_not(None)).order_by(Answer.id)).all()
        theme = Theme(project_id=project.id, name="Rust", created_by_id=staff.id)
        db.session.add(theme)
        db.session.flush()
        db.session.add(Coding(theme_id=theme.id, answer_id=answers[0].id, part="text", added_by_id=staff.id))
        db.session.add(Quote(project_id=project.id, answer_id=answers[0].id, part="text", status="approved",
                             text="Meer rust, zegt [naam].", decided_at=datetime(2029, 6, 1)))
        db.session.add(Quote(project_id=project.id, answer_id=answers[1].id, part="text", status="proposed"))
        db.session.add(ReportText(project_id=project.id, title="Rust in de dagopvang",
                                  summary="Bezoekers willen meer rust.", updated_at=datetime(2029, 6, 2)))
        other = db.session.get(Project, world.other_project_id)
        other.retention_date = date(2031, 1, 1)
        db.session.commit()
        db.session.remove()
    with app.app_context():  # the other project: bram interviews there too
        other = db.session.get(Project, world.other_project_id)
        outsider = find_user("andere-staf")
        set_membership(user=find_user("bram"), project_id=other.id, roles={"interviewer"}, by=outsider)
        add_location(other, "Elders", by=outsider)
        version = questionnaire_of(other).draft
        add_question(version, kind="open", text="Wat vindt u?", by=outsider)
        freeze_version(version, by=outsider)
        db.session.commit()
        db.session.remove()
    make_interview(app, world.other_project_id, "bram", answers={"q1": "Prima hier."}, completed=True)
    return ids


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def project_answers(project_id):
    return count(Answer, Answer.interview_id.in_(select(Interview.id).where(Interview.project_id == project_id)))


def test_nothing_is_erased_on_or_before_the_retention_date(app, world, filled):
    with app.app_context():
        assert retention.purge_expired(RETENTION, **LABELS) == []
        assert project_answers(world.project_id) == 18
        assert db.session.get(Project, world.project_id).erased_at is None
        # The run itself is logged, also when there was nothing to do.
        run = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.run")).one()
        assert run.detail == {"today": "2030-01-01", "projects": []}
        db.session.remove()


def test_the_day_after_the_raw_data_goes_and_the_aggregates_stay(app, world, filled):
    with app.app_context():
        reports = retention.purge_expired(date(2030, 1, 2), **LABELS)
        assert [(r.project_id, r.answers, r.interviews, r.quotes) for r in reports] == [
            (world.project_id, 18, 6, 1)]
        # Erased: answers, open texts, notes, debriefs, respondent codes, codings and quotes.
        assert project_answers(world.project_id) == 0
        interviews = db.session.scalars(select(Interview).where(Interview.project_id == world.project_id)).all()
        assert len(interviews) == 6  # kept without content: n and the method stay true
        assert {(i.debrief_text, i.debrief_mood, i.follow_up_needed, i.respondent_code) for i in interviews} == {
            (None, None, False, "")}
        # Their status says so: no write path stores anything in them any more.
        assert all(i.status == "erased" and i.completed_at and i.consent_given_at for i in interviews)
        assert count(Quote, Quote.project_id == world.project_id) == 0
        assert count(Coding) == 0
        # Kept: report texts, themes, and the frozen counts and approved quote.
        assert db.session.get(ReportText, world.project_id).summary == "Bezoekers willen meer rust."
        assert db.session.scalars(select(Theme.name)).all() == ["Rust"]
        results = db.session.scalars(select(RetainedResult).order_by(RetainedResult.position)).all()
        assert [(r.question_key, r.kind, r.asked, r.shown) for r in results] == [
            ("q1", "single", 6, True), ("q2", "scale5", 6, True), ("q3", "open", 6, True)]
        q1 = {cell["label"]: cell["count"] for cell in results[0].cells}
        # Small groups stay hidden in what is kept, as on the results page (minimum 5).
        assert q1["Elke dag"] is None and q1["Soms"] is None
        assert results[2].cells == [{"label": "Open antwoorden", "count": 6, "percent": None}]
        quote = db.session.scalars(select(RetainedQuote)).one()
        assert (quote.text, quote.themes, quote.approved_at) == ("Meer rust, zegt [naam].", ["Rust"],
                                                                  datetime(2029, 6, 1))
        project = db.session.get(Project, world.project_id)
        assert project.erased_at is not None
        # The other project (retention 2031) is untouched.
        assert project_answers(world.other_project_id) == 1
        # Logged, with counts and never content.
        purge = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "project.purge")).one()
        assert purge.project_id == world.project_id and purge.operation == "delete" and purge.user_id is None
        assert purge.detail == {"answers": 18, "interviews": 6, "results_kept": 3, "quotes_kept": 1,
                                "retention_date": "2030-01-01"}
        assert "rust" not in str(purge.detail).lower()
        # A second run finds nothing left to do.
        assert retention.purge_expired(date(2030, 6, 1), **LABELS) == []
        db.session.remove()


def test_the_command_uses_todays_date_and_reports_in_b1(app, world, filled, monkeypatch):
    class FrozenDateTime(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2030, 1, 2, 3, 0, tzinfo=tz)

    monkeypatch.setattr("peerinterview.security.data_routes.datetime", FrozenDateTime)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "Gewist: Onderzoek dagopvang (18 antwoorden, 6 interviews)." in result.output
    again = runner.invoke(args=["purge-expired", "--today", "2030-01-03"])
    assert "Geen onderzoeken om te wissen." in again.output
    with app.app_context():
        assert project_answers(world.project_id) == 0
        db.session.remove()


def test_the_command_with_an_earlier_date_erases_nothing(app, world, filled):
    result = app.test_cli_runner().invoke(args=["purge-expired", "--today", "2029-12-31"])
    assert result.exit_code == 0 and "Geen onderzoeken om te wissen." in result.output
    with app.app_context():
        assert project_answers(world.project_id) == 18
        db.session.remove()


def test_panel_and_staff_see_the_kept_results(app, world, filled, login_as):
    petra, _ = login_as("petra")
    before = plain_text(petra.get(f"/projects/{world.project_id}/bewaarde-uitkomsten"))
    assert "De gegevens van dit onderzoek zijn nog niet gewist." in before
    app.test_cli_runner().invoke(args=["purge-expired", "--today", "2030-01-02"])
    page = petra.get(f"/projects/{world.project_id}/bewaarde-uitkomsten")
    text = plain_text(page)
    assert "We hebben de antwoorden gewist op" in text
    assert "Hoe vaak komt u hier?" in text and "niet getoond" in text
    assert "Meer rust, zegt [naam]. (Rust)" in text
    assert "Jan 0" not in text
    staff, _ = login_as("staf")
    show = plain_text(staff.get(f"/projects/{world.project_id}"))
    assert "Antwoorden gewist op" in show and "bewaarde uitkomsten" in show
    anna, _ = login_as("anna")
    assert anna.get(f"/projects/{world.project_id}/bewaarde-uitkomsten").status_code == 403


def test_staff_set_the_retention_date_on_the_project_form(app, world, login_as):
    staff, post = login_as("staf")
    page = staff.get(f"/projects/{world.project_id}/edit")
    assert "retention_date" in page.get_data(as_text=True)
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        data = {"name": project.name, "research_question": project.research_question,
                "commissioner": "", "min_group_size": "5", "retention_date": "2030-01-01",
                "consent_text": project.consent_text}
        db.session.remove()
    response = post(f"/projects/{world.project_id}/edit", data)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:1000]
    with app.app_context():
        assert db.session.get(Project, world.project_id).retention_date == RETENTION
        db.session.remove()
