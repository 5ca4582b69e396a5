"""The panel looks back on an agreement together, over HTTP: the evaluation date in the agreement
form, the reminder on the start page and the follow-up page from that date on (and gone once the
panel evaluated), the evaluation itself on the smiley scale (staff and panel members of the
project; interviewers only read), kept in the history and the story, and the follow-up report
PDF for the municipality."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import Agreement, AuditEvent, Evaluation, FollowUpChange

from .builders import demo_login, html_of, plain_text
from .test_followup import (
    AGREEMENT,
    ANSWER,
    _add_agreement,
    _agreement_version,
    _base,
    _theme_with_cards,
)
from .test_report import pdf_text

REMINDER = "Tijd om samen terug te kijken: Een stille kamer in De Haven."
EVALUATION = {"score": "4", "what_changed": "Het is rustiger in de avond.", "still_to_do": "Een bord op de deur.",
              "evaluated_on": "2026-09-15", "participants": "6"}


@pytest.fixture
def rec(recs):
    return recs["ours"]


def _day(days: int) -> str:
    """A day from today in the app's time zone (the app's own "today", localize.local_today)."""
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    return (today + timedelta(days=days)).isoformat()


def _evaluate(post, world, agreement_id, version, **changes):
    return post(f"{_base(world)}/agreements/{agreement_id}/evaluation",
                data={**EVALUATION, "version": str(version), **changes})


def _evaluations(app):
    with app.app_context():
        rows = [(e.score, e.what_changed, e.participants) for e in
                db.session.scalars(select(Evaluation).order_by(Evaluation.id))]
        db.session.remove()
    return rows


def test_the_agreement_form_suggests_an_evaluation_date_half_a_year_on(world, rec, login_as):
    client, _post = login_as("staf")
    page = html_of(client.get(f"{_base(world)}/follow-up/{rec}"))
    assert "Wanneer kijken we samen of het gelukt is?" in page
    assert f'value="{_day(182)}"' in page


def test_the_panel_is_reminded_from_the_date_until_it_has_looked_back(app, world, rec, login_as):
    _staff, staff_post = login_as("staf")
    agreement_id = _add_agreement(staff_post, world, rec, evaluate_on=_day(1))
    petra, petra_post = login_as("petra")
    anna, _anna_post = login_as("anna")
    # Before the date: no reminder anywhere.
    assert REMINDER not in plain_text(petra.get("/"))
    assert REMINDER not in plain_text(petra.get(f"{_base(world)}/follow-up"))
    # The date moves to today: the panel and staff see it on the start page and the follow-up page.
    response = staff_post(f"{_base(world)}/agreements/{agreement_id}",
                          data={**AGREEMENT, "evaluate_on": _day(0), "version": _agreement_version(app, agreement_id)})
    assert response.status_code == 303
    for client in (petra, _staff):
        assert REMINDER in plain_text(client.get("/"))
        assert REMINDER in plain_text(client.get(f"{_base(world)}/follow-up"))
    # An interviewer evaluates nothing, so is not reminded.
    assert REMINDER not in plain_text(anna.get("/"))
    assert "Tijd om samen" not in plain_text(anna.get(f"{_base(world)}/follow-up"))
    # The panel member looks back: the reminder is gone, the evaluation is in the story.
    response = _evaluate(petra_post, world, agreement_id, _agreement_version(app, agreement_id))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/agreements/{agreement_id}#evaluations")
    assert REMINDER not in plain_text(petra.get("/"))
    overview = plain_text(petra.get(f"{_base(world)}/follow-up"))
    assert REMINDER not in overview and "Het panel vond: Goed." in overview
    story = plain_text(petra.get(f"{_base(world)}/follow-up/{rec}/story"))
    since = story[story.index("4. Wat is er sindsdien gebeurd?"):]
    assert "15 september 2026 : Het panel keek samen terug op: Een stille kamer in De Haven." in since
    assert "Gedaan zoals afgesproken? Goed." in since and "Het is rustiger in de avond." in since
    assert "Het panel vond: Goed." in since
    # Interviewers read it.
    detail = plain_text(anna.get(f"{_base(world)}/agreements/{agreement_id}"))
    assert "Samen gekeken op 15 september 2026" in detail and "6 mensen van het panel deden mee." in detail
    assert "Vul in: is het gelukt?" not in detail


def test_a_new_evaluation_date_asks_again_and_every_evaluation_is_kept(app, world, rec, login_as):
    _staff, staff_post = login_as("staf")
    agreement_id = _add_agreement(staff_post, world, rec, evaluate_on=_day(0))
    petra, petra_post = login_as("petra")
    assert _evaluate(petra_post, world, agreement_id, _agreement_version(app, agreement_id)).status_code == 303
    staff_post(f"{_base(world)}/agreements/{agreement_id}",
               data={**AGREEMENT, "evaluate_on": _day(-1), "version": _agreement_version(app, agreement_id)})
    assert REMINDER in plain_text(petra.get("/"))
    # Staff fill it in for the panel during the meeting.
    response = _evaluate(staff_post, world, agreement_id, _agreement_version(app, agreement_id), score="2",
                         what_changed="Nog niet veel.", still_to_do="", participants="4")
    assert response.status_code == 303
    assert REMINDER not in plain_text(petra.get("/"))
    assert _evaluations(app) == [(4, "Het is rustiger in de avond.", 6), (2, "Nog niet veel.", 4)]
    history = plain_text(petra.get(f"{_base(world)}/follow-up/{rec}"))
    assert history.count("Het panel keek samen terug") == 2
    assert "Gedaan zoals afgesproken?: Slecht" in history and "Mensen van het panel: 4" in history
    assert "Samen kijken of het gelukt is: eerst" in history
    with app.app_context():
        kinds = db.session.scalars(select(FollowUpChange.kind).order_by(FollowUpChange.id)).all()
        users = db.session.scalars(select(AuditEvent.user_id).where(AuditEvent.action == "followup.evaluation_add")
                                   .order_by(AuditEvent.id)).all()
        assert kinds.count("evaluation") == 2
        assert users == [find_user("petra").id, find_user("staf").id]
        db.session.remove()


def test_interviewers_designers_and_others_cannot_evaluate(app, world, recs, login_as, client):
    _staff, staff_post = login_as("staf")
    agreement_id = _add_agreement(staff_post, world, recs["ours"], evaluate_on=_day(0))
    version = _agreement_version(app, agreement_id)
    url = f"{_base(world)}/agreements/{agreement_id}/evaluation"
    for name in ("anna", "dirk", "andere-staf"):
        reader, post = login_as(name)
        assert reader.get(url).status_code == 403, name
        assert post(url, data={**EVALUATION, "version": version}).status_code == 403, name
    # Logged out: to the login page, nothing saved.
    response = client.post(url, data={**EVALUATION, "version": version})
    assert response.status_code in (302, 303, 400, 401)
    assert client.get(url).status_code in (302, 303)
    assert _evaluations(app) == []


def test_an_agreement_of_another_project_is_not_found_through_this_project(app, world, recs, login_as):
    _other, other_post = login_as("andere-staf")
    other = world.other_project_id
    response = other_post(f"/projects/{other}/follow-up/{recs['theirs']}/agreements",
                          data={**AGREEMENT, "evaluate_on": _day(0)})
    theirs = int(response.headers["Location"].rsplit("/", 1)[1])
    for name in ("staf", "petra"):
        client, post = login_as(name)
        url = f"{_base(world)}/agreements/{theirs}/evaluation"
        assert client.get(url).status_code == 404, name
        assert post(url, data={**EVALUATION, "version": "1"}).status_code == 404, name
        # And on B's own URL they are no one there.
        assert post(f"/projects/{other}/agreements/{theirs}/evaluation",
                    data={**EVALUATION, "version": "1"}).status_code == 403, name
        # B's reminder does not show on A's people's start page.
        assert "Tijd om samen" not in plain_text(client.get("/"))
    assert _evaluations(app) == []


def test_a_stale_page_is_refused_and_a_second_evaluation_at_once_too(app, world, rec, login_as):
    _staff, staff_post = login_as("staf")
    agreement_id = _add_agreement(staff_post, world, rec, evaluate_on=_day(0))
    version = _agreement_version(app, agreement_id)
    _petra, petra_post = login_as("petra")
    assert _evaluate(petra_post, world, agreement_id, version).status_code == 303
    # A second panel member's page still showed the version before: refused, not saved twice.
    response = _evaluate(petra_post, world, agreement_id, version, what_changed="Dubbel.")
    assert response.status_code == 409
    assert "Iemand anders heeft dit net veranderd" in plain_text(response)
    # The page comes back with what was typed and the version of now, so saving again works.
    assert "Dubbel." in html_of(response)
    assert f'value="{version + 1}"' in html_of(response)
    # Staff change the date after the page was opened: also refused.
    staff_post(f"{_base(world)}/agreements/{agreement_id}",
               data={**AGREEMENT, "evaluate_on": _day(-2), "version": version + 1})
    assert _evaluate(petra_post, world, agreement_id, version + 1).status_code == 409
    assert _evaluations(app) == [(4, "Het is rustiger in de avond.", 6)]


@pytest.mark.parametrize("changes, message", [
    ({"score": "0"}, "Kies een gezichtje."),
    ({"score": "6"}, "Kies een gezichtje."),
    ({"score": "goed"}, "Kies een gezichtje."),
    ({"score": ""}, "Kies een gezichtje."),
    ({"what_changed": "  "}, "Vul in wat er veranderd is."),
    ({"participants": "0"}, "Kies een getal van 1 tot en met 100."),
    ({"participants": ""}, "Vul in hoeveel mensen meededen."),
    ({"evaluated_on": "morgen"}, "Vul een datum in, zoals 31-12-2026."),
])
def test_the_smiley_and_the_other_answers_are_checked(app, world, rec, login_as, changes, message):
    _staff, staff_post = login_as("staf")
    agreement_id = _add_agreement(staff_post, world, rec, evaluate_on=_day(0))
    _petra, petra_post = login_as("petra")
    response = _evaluate(petra_post, world, agreement_id, _agreement_version(app, agreement_id), **changes)
    assert response.status_code == 422
    body = html_of(response)
    assert "error-summary" in body and message in plain_text(response)
    assert _evaluations(app) == []


def test_the_evaluation_page_uses_the_interviews_smiley_scale(app, world, rec, login_as):
    _staff, staff_post = login_as("staf")
    agreement_id = _add_agreement(staff_post, world, rec, evaluate_on=_day(0))
    petra, _post = login_as("petra")
    response = petra.get(f"{_base(world)}/agreements/{agreement_id}/evaluation")
    assert response.status_code == 200
    body = html_of(response)
    assert 'class="answer-options scale scale5"' in body
    for value in range(1, 6):
        assert f'class="smiley smiley-{value}"' in body and f'id="score-{value - 1}"' in body
    text = plain_text(response)
    for words in ("Heel slecht", "Slecht", "Niet goed, niet slecht", "Goed", "Heel goed"):
        assert words in text
    assert "Is het gedaan zoals afgesproken?" in text and "Alleen het aantal. Geen namen." in text


def test_the_follow_up_report_pdf_tells_answer_agreements_milestones_and_evaluations(app, world, login_as):
    texts = ["Het is te druk in de avond.", "Ik wil een stille kamer."]
    rec = _theme_with_cards(app, world, texts, approve=(texts[1],))
    _staff, post = login_as("staf")
    post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER)
    agreement_id = _add_agreement(post, world, rec, evaluate_on=_day(0))
    post(f"{_base(world)}/agreements/{agreement_id}/status", data={"status": "halfway", "progress": "",
                                                                   "version": _agreement_version(app, agreement_id)})
    post(f"{_base(world)}/agreements/{agreement_id}/milestones", data={"happened_on": "2026-04-15",
                                                                        "text": "De kamer is geverfd."})
    _evaluate(post, world, agreement_id, _agreement_version(app, agreement_id))

    for name in ("staf", "petra"):
        client, _post = login_as(name)
        response = client.get(f"{_base(world)}/follow-up/report.pdf")
        assert response.status_code == 200, name
        assert response.headers["Content-Type"] == "application/pdf"
        assert 'filename="wat-is-er-met-de-adviezen-gedaan-' in response.headers["Content-Disposition"]
        assert "no-store" in response.headers.get("Cache-Control", "")
        reader, text = pdf_text(response.data)
        flat = " ".join(text.split())
        assert reader.metadata.title.startswith("Wat gebeurde er met de adviezen?")
        for part in ("Advies 1: Maak een stille kamer.", "Ja, dat gaan we doen", "Gemeente Utrecht",
                     "Rust is belangrijk.", "Een stille kamer in De Haven.", "Half klaar. 50% klaar.",
                     "Klaar op 1 september 2026. Samen kijken of het gelukt is:",
                     "De kamer is geverfd.", "Het panel keek samen terug op 15 september 2026.",
                     "6 mensen van het panel deden mee.", "Is het gedaan zoals afgesproken? Goed.",
                     "Het is rustiger in de avond.", "Een bord op de deur."):
            assert part in flat, part
        # Small groups hidden, only approved quotes.
        assert "Hoeveel mensen dit zeiden: niet getoond." in flat and "2 mensen vertelden" not in flat
        assert "Ik wil een stille kamer." in flat and "Het is te druk in de avond." not in flat
        assert f"Pagina 1 van {len(reader.pages)}" in flat
        catalog = reader.trailer["/Root"]
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
        assert str(catalog["/Lang"]) == "nl"
        fonts = {str(font["/BaseFont"]) for page in reader.pages
                 for font in page["/Resources"]["/Font"].values()}
        assert fonts and all("DejaVu" in font for font in fonts), fonts
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "followup.report_pdf")) == 2
        db.session.remove()


def test_only_staff_and_the_panel_download_the_follow_up_report(world, recs, login_as, client):
    for name in ("anna", "dirk", "andere-staf"):
        reader, _post = login_as(name)
        assert reader.get(f"{_base(world)}/follow-up/report.pdf").status_code == 403, name
    assert client.get(f"{_base(world)}/follow-up/report.pdf").status_code in (302, 303)
    anna, _post = login_as("anna")
    assert "Verslag voor de gemeente (PDF)" not in plain_text(anna.get(f"{_base(world)}/follow-up"))
    petra, _post = login_as("petra")
    assert "Verslag voor de gemeente (PDF)" in plain_text(petra.get(f"{_base(world)}/follow-up"))


def test_the_demo_has_one_evaluation_and_one_reminder(app):
    client, project_id = demo_login(app, "demo-panel")
    home = plain_text(client.get("/"))
    assert "Tijd om samen terug te kijken: In De Haven komt een stille kamer met zachte stoelen." in home
    assert "Tijd om samen terug te kijken: Na tien uur" not in home
    story = plain_text(client.get(f"/projects/{project_id}/follow-up"))
    assert "Tijd om samen terug te kijken: In De Haven komt een stille kamer" in story
    with app.app_context():
        evaluations = db.session.scalars(select(Evaluation)).all()
        assert [e.agreement.what for e in evaluations] == ["Na tien uur 's avonds gaat de muziek in de huiskamer uit."]
        assert db.session.scalar(select(func.count()).select_from(Agreement)
                                 .where(Agreement.evaluate_on.is_not(None))) == 3
        db.session.remove()
