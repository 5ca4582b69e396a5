"""After the panel over HTTP: staff enter the municipality's answer to a recommendation, add
agreements, set their status and progress and add milestones; every change is in the history.
The project's panel members and interviewers only read it; other projects, other roles, stale
pages and recommendations that were taken away are refused."""
import pytest
from sqlalchemy import func, select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import (
    Agreement,
    AuditEvent,
    FollowUpChange,
    Milestone,
    RecommendationAnswer,
)
from peerinterview.models.base import utcnow
from peerinterview.models.panel import Recommendation, Theme

from .builders import demo_login, html_of, make_interview, plain_text

ANSWER = {"verdict": "accepted", "answered_by": "Gemeente Utrecht", "reasons": "Rust is belangrijk.",
          "answered_on": "2026-03-01", "version": "0"}
AGREEMENT = {"what": "Een stille kamer in De Haven.", "agreed_on": "2026-03-15", "organisation": "Stichting De Haven", "person": "de teamleider",
             "due_on": "2026-09-01", "place": "De Haven"}


def _base(world, project_id=None):
    return f"/projects/{project_id or world.project_id}"


def _add_agreement(post, world, rec_id, **extra):
    response = post(f"{_base(world)}/follow-up/{rec_id}/agreements", data={**AGREEMENT, **extra})
    assert response.status_code == 303, html_of(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _agreement_version(app, agreement_id):
    with app.app_context():
        version = db.session.get(Agreement, agreement_id).version
        db.session.remove()
    return version


def test_staff_enter_the_answer_agreement_status_and_milestone_and_the_panel_reads_it(app, world, recs, login_as):
    _client, post = login_as("staf")
    rec = recs["ours"]
    response = post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER)
    assert response.status_code == 303
    agreement_id = _add_agreement(post, world, rec)
    response = post(f"{_base(world)}/agreements/{agreement_id}/status",
                    data={"status": "halfway", "progress": "", "version": _agreement_version(app, agreement_id)})
    assert response.status_code == 303
    response = post(f"{_base(world)}/agreements/{agreement_id}/milestones",
                    data={"happened_on": "2026-04-15", "text": "De kamer is geverfd."})
    assert response.status_code == 303

    for reader in ("petra", "anna"):
        client, _post = login_as(reader)
        page = plain_text(client.get(f"{_base(world)}/follow-up"))
        assert "Wat is er met onze adviezen gedaan?" in page
        assert "Maak een stille kamer." in page and "Ja, dat gaan we doen" in page
        assert "Een stille kamer in De Haven." in page and "Half klaar . 50% klaar." in page
        assert "De kamer is geverfd." in page
        assert "Geheim advies" not in page
        detail = client.get(f"{_base(world)}/agreements/{agreement_id}")
        text = plain_text(detail)
        assert "Stichting De Haven (de teamleider)" in text and "Rust is belangrijk." in text
        assert "Wat is er veranderd?" in text and "Hoe ver: eerst Nog niet begonnen, nu Half klaar" in text
        # Readers get no forms to change anything.
        assert "Stand opslaan" not in text and "Zet erbij" not in text and 'method="post" action="/projects' not in html_of(detail)
        history = plain_text(client.get(f"{_base(world)}/follow-up/{rec}"))
        assert "Antwoord van de gemeente" in history and "Nieuwe afspraak" in history
        assert "Er is iets gebeurd" in history and "Door Staf" in history

    with app.app_context():
        kinds = [c.kind for c in db.session.scalars(select(FollowUpChange).order_by(FollowUpChange.id))]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        db.session.remove()
    assert kinds == ["answer", "agreement_add", "status", "milestone_add"]
    assert {"followup.answer_save", "followup.agreement_add", "followup.agreement_status",
            "followup.milestone_add"} <= actions


def test_status_takes_its_default_progress_a_typed_one_and_stopped_keeps_it(app, world, recs, login_as):
    _client, post = login_as("staf")
    agreement_id = _add_agreement(post, world, recs["ours"])
    url = f"{_base(world)}/agreements/{agreement_id}/status"
    steps = [("started", "", 25), ("halfway", "60", 60), ("stopped", "", 60), ("done", "", 100),
             ("not_started", "", 0)]
    for status, typed, expected in steps:
        post(url, data={"status": status, "progress": typed, "version": _agreement_version(app, agreement_id)})
        with app.app_context():
            agreement = db.session.get(Agreement, agreement_id)
            assert (agreement.status, agreement.progress) == (status, expected)
            db.session.remove()


def test_changing_the_answer_keeps_the_old_one_in_the_history(app, world, recs, login_as):
    client, post = login_as("staf")
    rec = recs["ours"]
    post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER)
    response = post(f"{_base(world)}/follow-up/{rec}/answer",
                    data={**ANSWER, "verdict": "partly", "reasons": "Eerst een proef.", "version": "1"})
    assert response.status_code == 303
    text = plain_text(client.get(f"{_base(world)}/follow-up/{rec}"))
    assert "Antwoord: eerst Ja, dat gaan we doen, nu Voor een deel" in text
    assert "Waarom: eerst Rust is belangrijk., nu Eerst een proef." in text


def test_a_stale_version_is_refused_and_nothing_is_overwritten(app, world, recs, login_as):
    _client, post = login_as("staf")
    rec = recs["ours"]
    post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER)
    # Someone else's page still showed no answer (version 0): refused, what is stored stays.
    response = post(f"{_base(world)}/follow-up/{rec}/answer", data={**ANSWER, "verdict": "declined"})
    assert response.status_code == 409
    assert "Iemand anders heeft dit net veranderd" in plain_text(response)
    agreement_id = _add_agreement(post, world, rec)
    post(f"{_base(world)}/agreements/{agreement_id}/status", data={"status": "started", "version": "1"})
    response = post(f"{_base(world)}/agreements/{agreement_id}/status", data={"status": "done", "version": "1"})
    assert response.status_code == 409
    response = post(f"{_base(world)}/agreements/{agreement_id}", data={**AGREEMENT, "what": "Iets anders.",
                                                                       "version": "1"})
    assert response.status_code == 409
    with app.app_context():
        answer = db.session.scalars(select(RecommendationAnswer)).one()
        agreement = db.session.get(Agreement, agreement_id)
        assert (answer.verdict, agreement.status, agreement.what) == ("accepted", "started", AGREEMENT["what"])
        db.session.remove()


def test_invalid_forms_come_back_with_422_and_the_error_summary(world, recs, login_as):
    _client, post = login_as("staf")
    rec = recs["ours"]
    response = post(f"{_base(world)}/follow-up/{rec}/answer", data={"answered_on": "morgen", "version": "0"})
    assert response.status_code == 422
    text = plain_text(response)
    assert "Er is iets niet goed" in text and "Kies een antwoord." in text
    assert "Vul in wie het antwoord gaf." in text and "Vul een datum in, zoals 31-12-2026." in text
    response = post(f"{_base(world)}/follow-up/{rec}/agreements", data={"what": ""})
    assert response.status_code == 422 and "Vul in wat ze gaan doen." in plain_text(response)
    agreement_id = _add_agreement(post, world, rec)
    response = post(f"{_base(world)}/agreements/{agreement_id}/status",
                    data={"status": "halfway", "progress": "150", "version": "1"})
    assert response.status_code == 422 and "Kies een getal van 0 tot en met 100." in plain_text(response)
    response = post(f"{_base(world)}/agreements/{agreement_id}/milestones", data={"text": "Zonder datum"})
    assert response.status_code == 422 and "Vul de datum in." in plain_text(response)


def test_milestones_come_in_date_order_and_a_removed_one_stays_in_the_history(app, world, recs, login_as):
    client, post = login_as("staf")
    agreement_id = _add_agreement(post, world, recs["ours"])
    url = f"{_base(world)}/agreements/{agreement_id}/milestones"
    post(url, data={"happened_on": "2026-05-01", "text": "Tweede stap."})
    post(url, data={"happened_on": "2026-04-01", "text": "Eerste stap."})
    text = plain_text(client.get(f"{_base(world)}/agreements/{agreement_id}"))
    assert text.index("Eerste stap.") < text.index("Tweede stap.")
    with app.app_context():
        milestone_id = db.session.scalars(select(Milestone.id).where(Milestone.text == "Tweede stap.")).one()
        db.session.remove()
    response = post(f"{_base(world)}/milestones/{milestone_id}/delete")
    assert response.status_code == 303
    text = plain_text(client.get(f"{_base(world)}/agreements/{agreement_id}"))
    assert "Gebeurtenis weggehaald" in text and "Wat er gebeurde was: Tweede stap." in text


@pytest.mark.parametrize("blank", ["", " ", "\n", "\t \r\n"])
def test_a_date_of_only_spaces_is_asked_for_again_not_a_server_error(app, world, recs, login_as, blank):
    """A date field sent with only white space (a tablet's stray newline) is an empty date: the
    form asks for it in words and stores nothing."""
    client, post = login_as("staf")
    agreement_id = _add_agreement(post, world, recs["ours"])
    response = post(f"{_base(world)}/agreements/{agreement_id}/milestones",
                    data={"happened_on": blank, "text": "Gebeurd."})
    assert response.status_code == 422
    assert "Vul de datum in." in plain_text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Milestone.id))) == 0
        db.session.remove()


@pytest.mark.parametrize("reader", ["petra", "anna"])
def test_panel_members_and_interviewers_cannot_change_anything(app, world, recs, login_as, reader):
    _client, staff_post = login_as("staf")
    rec = recs["ours"]
    agreement_id = _add_agreement(staff_post, world, rec)
    staff_post(f"{_base(world)}/agreements/{agreement_id}/milestones", data={"happened_on": "2026-04-01",
                                                                             "text": "Gebeurd."})
    with app.app_context():
        milestone_id = db.session.scalars(select(Milestone.id)).one()
        db.session.remove()
    _client, post = login_as(reader)
    for url, data in ((f"/follow-up/{rec}/answer", ANSWER), (f"/follow-up/{rec}/agreements", AGREEMENT),
                      (f"/agreements/{agreement_id}", {**AGREEMENT, "version": "1"}),
                      (f"/agreements/{agreement_id}/status", {"status": "done", "version": "1"}),
                      (f"/agreements/{agreement_id}/milestones", {"happened_on": "2026-04-02", "text": "Nee"}),
                      (f"/milestones/{milestone_id}/delete", {}),
                      (f"/agreements/{agreement_id}/delete", {"version": "1"})):
        assert post(_base(world) + url, data=data).status_code == 403, url
    with app.app_context():
        assert db.session.scalar(select(Agreement.status)) == "not_started"
        assert db.session.scalars(select(Milestone.text)).all() == ["Gebeurd."]
        assert db.session.scalars(select(RecommendationAnswer)).all() == []
        db.session.remove()


def test_a_designer_only_is_refused_even_reading(world, recs, login_as):
    client, _post = login_as("dirk")
    assert client.get(f"{_base(world)}/follow-up").status_code == 403
    assert client.get(f"{_base(world)}/follow-up/{recs['ours']}").status_code == 403


def test_objects_of_another_project_are_not_found_through_this_project(app, world, recs, login_as):
    """Staff of project A use A's URL with B's recommendation, agreement and milestone ids: 404
    everywhere; B's staff get 403 on A's URLs; nothing of B changes."""
    _client, other_post = login_as("andere-staf")
    other = world.other_project_id
    response = other_post(f"/projects/{other}/follow-up/{recs['theirs']}/agreements", data=AGREEMENT)
    assert response.status_code == 303
    their_agreement = int(response.headers["Location"].rsplit("/", 1)[1])
    other_post(f"/projects/{other}/agreements/{their_agreement}/milestones",
               data={"happened_on": "2026-04-01", "text": "Van B."})
    with app.app_context():
        their_milestone = db.session.scalars(select(Milestone.id)).one()
        db.session.remove()

    client, post = login_as("staf")
    theirs = recs["theirs"]
    for url in (f"/follow-up/{theirs}", f"/follow-up/{theirs}/story", f"/agreements/{their_agreement}"):
        assert client.get(_base(world) + url).status_code == 404, url
    for url, data in ((f"/follow-up/{theirs}/answer", ANSWER), (f"/follow-up/{theirs}/agreements", AGREEMENT),
                      (f"/agreements/{their_agreement}", {**AGREEMENT, "version": "1"}),
                      (f"/agreements/{their_agreement}/status", {"status": "done", "version": "1"}),
                      (f"/agreements/{their_agreement}/milestones", {"happened_on": "2026-04-02", "text": "x"}),
                      (f"/milestones/{their_milestone}/delete", {}),
                      (f"/agreements/{their_agreement}/delete", {"version": "1"})):
        assert post(_base(world) + url, data=data).status_code == 404, url
    # And on B's own URLs staff of A are not staff: 403.
    assert client.get(f"/projects/{other}/follow-up").status_code == 403
    assert post(f"/projects/{other}/agreements/{their_agreement}/status",
                data={"status": "done", "version": "1"}).status_code == 403
    # The panel member of A cannot read B's agreement through A either.
    petra, _ = login_as("petra")
    assert petra.get(f"{_base(world)}/agreements/{their_agreement}").status_code == 404
    with app.app_context():
        agreement = db.session.get(Agreement, their_agreement)
        assert (agreement.status, agreement.what) == ("not_started", AGREEMENT["what"])
        assert db.session.scalars(select(Milestone.text)).all() == ["Van B."]
        assert db.session.scalars(select(RecommendationAnswer)).all() == []
        db.session.remove()


def test_a_recommendation_taken_away_is_not_shown_and_cannot_be_changed(app, world, recs, login_as):
    client, post = login_as("staf")
    rec = recs["ours"]
    agreement_id = _add_agreement(post, world, rec)
    with app.app_context():
        db.session.get(Recommendation, rec).deleted_at = utcnow()
        db.session.commit()
        db.session.remove()
    assert "Maak een stille kamer." not in plain_text(client.get(f"{_base(world)}/follow-up"))
    assert client.get(f"{_base(world)}/follow-up/{rec}").status_code == 404
    assert client.get(f"{_base(world)}/follow-up/{rec}/story").status_code == 404
    assert client.get(f"{_base(world)}/agreements/{agreement_id}").status_code == 404
    assert post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER).status_code == 404
    assert post(f"{_base(world)}/agreements/{agreement_id}/status",
                data={"status": "done", "version": "1"}).status_code == 404


def test_typed_text_is_escaped_everywhere(world, recs, login_as):
    client, post = login_as("staf")
    rec = recs["ours"]
    post(f"{_base(world)}/follow-up/{rec}/answer", data={**ANSWER, "answered_by": "<b>Gemeente</b>"})
    agreement_id = _add_agreement(post, world, rec, what="<script>alert(1)</script>")
    post(f"{_base(world)}/agreements/{agreement_id}/milestones", data={"happened_on": "2026-04-01",
                                                                        "text": "<i>geverfd</i>"})
    for url in ("/follow-up", f"/follow-up/{rec}", f"/agreements/{agreement_id}"):
        body = html_of(client.get(_base(world) + url))
        assert "<script>alert(1)" not in body and "<b>Gemeente" not in body and "<i>geverfd" not in body, url


def test_the_demo_has_an_answer_and_three_agreements_in_different_states(app):
    client, project_id = demo_login(app, "demo-panel")
    text = plain_text(client.get(f"/projects/{project_id}/follow-up"))
    assert "Maak een stille kamer waar mensen tot rust kunnen komen." in text
    assert "Ja, dat gaan we doen" in text and "Gemeente Voorbeeldstad" in text
    for state in ("Half klaar . 50% klaar.", "Klaar . 100% klaar.", "Nog niet begonnen . 0% klaar."):
        assert state in text
    assert "De kamer is geverfd." in text and "Het Anker zoekt een plek." in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Milestone)) == 5
        db.session.remove()


def _theme_with_cards(app, world, texts, *, approve=()):
    """A theme with one open answer card per text (each its own interview) and a recommendation
    in it; the texts in `approve` are approved quotes, the others proposed only."""
    from peerinterview.models import Answer, Interview, Question
    from peerinterview.models.panel import Coding, Quote

    ids = [make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": text}, completed=True)
           for text in texts]
    with app.app_context():
        staff = find_user("staf")
        theme = Theme(project_id=world.project_id, name="Rust", created_by_id=staff.id)
        db.session.add(theme)
        db.session.flush()
        answers = db.session.scalars(select(Answer).join(Question).join(Interview)
                                     .where(Interview.id.in_(ids), Question.kind == "open")).all()
        for answer in answers:
            db.session.add(Coding(theme_id=theme.id, answer_id=answer.id, part="text", added_by_id=staff.id))
            approved = answer.text in approve
            db.session.add(Quote(project_id=world.project_id, answer_id=answer.id, part="text",
                                 status="approved" if approved else "proposed",
                                 text=answer.text if approved else None, proposed_by_id=staff.id))
        recommendation = Recommendation(theme_id=theme.id, text="Maak een stille kamer.", created_by_id=staff.id)
        db.session.add(recommendation)
        db.session.commit()
        rec_id = recommendation.id
        db.session.remove()
    return rec_id


def test_the_story_tells_it_in_order_with_small_groups_hidden_and_only_approved_quotes(app, world, login_as):
    texts = ["Het is te druk in de avond.", "Ik wil een stille kamer."]
    rec = _theme_with_cards(app, world, texts, approve=(texts[1],))
    _client, post = login_as("staf")
    post(f"{_base(world)}/follow-up/{rec}/answer", data={**ANSWER, "answered_on": "2026-03-01"})
    agreement_id = _add_agreement(post, world, rec)
    for day, text in (("2026-06-01", "Later gebeurd."), ("2026-02-01", "Eerder gebeurd.")):
        post(f"{_base(world)}/agreements/{agreement_id}/milestones", data={"happened_on": day, "text": text})

    client, _post = login_as("petra")
    response = client.get(f"{_base(world)}/follow-up/{rec}/story")
    assert response.status_code == 200
    text = plain_text(response)
    # In order: where it came from, the panel, the municipality, what happened since.
    parts = ["1. Waar komt het vandaan?", "2. Wat besloot het panel?", "3. Wat zei de gemeente?",
             "4. Wat is er sindsdien gebeurd?"]
    assert [text.index(p) for p in parts] == sorted(text.index(p) for p in parts)
    # Two people: fewer than the project's minimum, so the number is hidden, as on the panel pages.
    assert "Hoeveel mensen dit zeiden: niet getoond." in text
    assert "2 mensen" not in text
    # Only the approved quote.
    assert "Ik wil een stille kamer." in text and "Het is te druk in de avond." not in text
    assert "Gemeente Utrecht antwoordde op 1 maart 2026: Ja, dat gaan we doen" in text
    since = text[text.index(parts[3]):]
    assert since.index("Eerder gebeurd.") < since.index("Ja, dat gaan we doen") < since.index("Later gebeurd.")
    # The agreement is told on the day it was agreed, not the day staff typed it in.
    made = since.index("15 maart 2026 : Nieuwe afspraak: Een stille kamer in De Haven.")
    assert since.index("Ja, dat gaan we doen") < made < since.index("Later gebeurd.")
    assert "Een stille kamer in De Haven. – Nog niet begonnen, 0% klaar." in since
    # The print and read-aloud buttons are there for JavaScript to show.
    assert "data-print" in html_of(response) and 'data-read-aloud="#story"' in html_of(response)


def test_the_story_shows_the_number_of_people_when_the_group_is_large_enough(app, world, login_as):
    rec = _theme_with_cards(app, world, [f"Meer rust, zegt persoon {n}." for n in range(6)])
    client, _post = login_as("petra")
    text = plain_text(client.get(f"{_base(world)}/follow-up/{rec}/story"))
    assert "6 mensen vertelden hierover." in text
    assert "Iemand zei:" not in text  # no quote was approved
    assert "6 mensen" in plain_text(client.get(f"{_base(world)}/follow-up/{rec}"))


def test_an_interviewer_not_on_the_panel_sees_no_counts_of_people(app, world, login_as):
    """Anna knows the answers of the interviews she held; the theme's counts are for those who
    see them on the panel's pages already."""
    rec = _theme_with_cards(app, world, [f"Meer rust, zegt persoon {n}." for n in range(6)])
    client, _post = login_as("anna")
    for url in (f"/follow-up/{rec}/story", f"/follow-up/{rec}"):
        response = client.get(_base(world) + url)
        assert response.status_code == 200
        text = plain_text(response)
        assert "Rust" in text and "6 mensen" not in text and "niet getoond" not in text, url
        assert "kaarten" not in text and "De Haven:" not in text, url


def test_an_agreement_made_by_mistake_can_be_taken_away_and_the_history_keeps_it(app, world, recs, login_as):
    client, post = login_as("staf")
    rec = recs["ours"]
    agreement_id = _add_agreement(post, world, rec)
    post(f"{_base(world)}/agreements/{agreement_id}/milestones", data={"happened_on": "2026-04-01", "text": "Gebeurd."})
    post(f"{_base(world)}/agreements/{agreement_id}/status", data={"status": "started", "version": "1"})
    # From a page that still showed version 1: refused, the agreement stays.
    response = post(f"{_base(world)}/agreements/{agreement_id}/delete", data={"version": "1"})
    assert response.status_code == 303
    assert "Iemand anders heeft dit net veranderd" in plain_text(client.get(response.headers["Location"]))
    assert _agreement_version(app, agreement_id) == 2
    response = post(f"{_base(world)}/agreements/{agreement_id}/delete", data={"version": "2"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Agreement, agreement_id) is None
        assert db.session.scalars(select(Milestone)).all() == []
        db.session.remove()
    assert client.get(f"{_base(world)}/agreements/{agreement_id}").status_code == 404
    text = plain_text(client.get(f"{_base(world)}/follow-up/{rec}"))
    assert "Er zijn nog geen afspraken." in text
    assert "Afspraak weggehaald" in text and "Wat was: Een stille kamer in De Haven." in text
    assert "Gebeurtenissen was: 1" in text


def test_two_first_answers_at_once_the_second_is_refused(app, world, recs, monkeypatch):
    """Both pages showed no answer yet: the unique answer per recommendation refuses the second,
    as an outdated page, never as a server error."""
    from peerinterview.errors import Refused
    from peerinterview.followup import services

    with app.test_request_context():
        recommendation = db.session.get(Recommendation, recs["ours"])
        staff = find_user("staf")
        values = {"verdict": "accepted", "organisation": "Gemeente", "reasons": "", "answered_on": utcnow().date()}
        services.save_answer(recommendation, version=0, by=staff, **values)
        # The second request read before the first answer was saved: it saw none.
        monkeypatch.setattr(services, "answer_of", lambda _id: None)
        with pytest.raises(Refused):
            services.save_answer(recommendation, version=0, by=staff, **{**values, "verdict": "declined"})
        db.session.commit()
        assert db.session.scalars(select(RecommendationAnswer.verdict)).all() == ["accepted"]
        db.session.remove()
