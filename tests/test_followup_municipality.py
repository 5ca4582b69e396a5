"""The municipality's own account (the role "municipality") over HTTP: staff give the role on
the members page, never together with another role; the account reads the recommendations, the
agreements, the stories and the follow-up report of its own projects, and enters or changes the
municipality's answer through the same form as staff (the history and the logboek name it).
Everything else is refused: the other follow-up changes, the panel's and the interviewers'
pages, other projects, stale forms, and a disabled account."""
import re

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user, set_membership
from peerinterview.extensions import db
from peerinterview.models import Agreement, AuditEvent, Evaluation, Milestone, Project, RecommendationAnswer

from .builders import demo_login, html_of, login_redirect_target, plain_text
from .helpers import PASSWORD, csrf_token, login, make_user_now
from .test_followup import (
    AGREEMENT,
    ANSWER,
    _add_agreement,
    _agreement_version,
    _base,
    _theme_with_cards,
)
from .test_followup_evaluation import _day, _evaluate


@pytest.fixture
def gemma(app, world):
    """The municipality's account of the world's project."""
    with app.app_context():
        make_user_now("gemma", project=db.session.get(Project, world.project_id), roles={"municipality"},
                      by=find_user("staf"))
        db.session.remove()
    return "gemma"


def _answer(app):
    with app.app_context():
        answer = db.session.scalars(select(RecommendationAnswer)).one_or_none()
        found = (answer.verdict, answer.organisation, answer.updated_by_id) if answer else None
        db.session.remove()
    return found


def _user_id(app, username):
    with app.app_context():
        found = find_user(username).id
        db.session.remove()
    return found


# --- giving the role ---------------------------------------------------------------------------

def test_staff_make_a_municipality_account_on_the_members_page_and_it_lands_on_its_home(app, world, login_as):
    client, post = login_as("staf")
    members = plain_text(client.get(f"{_base(world)}/members"))
    assert "Gemeente: ziet adviezen en afspraken, en geeft het antwoord van de gemeente" in members
    response = post(f"{_base(world)}/members/new", data={
        "nieuw-display_name": "Karin van de gemeente", "nieuw-username": "karin", "nieuw-password": PASSWORD,
        "nieuw-roles": ["municipality"]})
    assert response.status_code == 303
    assert "Karin van de gemeente (karin) Rollen: gemeente" in plain_text(client.get(f"{_base(world)}/members"))
    assert "Karin van de gemeente karin Gemeente" in plain_text(client.get("/accounts"))

    karin = login(app.test_client(), "karin")
    home = karin.get("/")
    text = plain_text(home)
    assert "Adviezen van het panel" in text and "Onderzoek dagopvang" in text and "Uw rol: gemeente" in text
    # Only what she may open: the follow-up of her project, not its overview page.
    assert f'href="{_base(world)}/follow-up"' in html_of(home)
    assert f'href="{_base(world)}"' not in html_of(home)


def test_the_municipality_role_does_not_go_with_another_role(app, world, gemma, login_as):
    _client, post = login_as("staf")
    refused = "De rol Gemeente gaat niet samen met een andere rol."
    # A new account with both: 422 at the boxes, no account made.
    response = post(f"{_base(world)}/members/new", data={
        "nieuw-display_name": "Kees", "nieuw-username": "kees", "nieuw-password": PASSWORD,
        "nieuw-roles": ["municipality", "panel"]})
    assert response.status_code == 422 and refused in plain_text(response)
    assert "Er is iets niet goed" in plain_text(response)
    # The panel member made the municipality too, on her own roles page.
    petra_id, gemma_id = _user_id(app, "petra"), _user_id(app, "gemma")
    response = post(f"{_base(world)}/members/{petra_id}", data={"roles": ["panel", "municipality"]})
    assert response.status_code == 422 and refused in plain_text(response)
    # The municipality's account added again with the panel role (the roles are added up): refused.
    response = post(f"{_base(world)}/members", data={"user_id": str(gemma_id), "roles": ["panel"]})
    assert response.status_code == 422 and refused in plain_text(response)
    # A staff account is never the municipality.
    staff_id = _user_id(app, "staf")
    response = post(f"{_base(world)}/members/{staff_id}", data={"roles": ["staff", "municipality"]})
    assert response.status_code == 422
    with app.app_context():
        assert find_user("kees") is None
        assert find_user("petra").roles_in(world.project_id) == {"panel"}
        assert find_user("gemma").roles_in(world.project_id) == {"municipality"}
        assert find_user("staf").roles_in(world.project_id) == {"staff"}
        # The service refuses it too, whoever calls it.
        with pytest.raises(ValueError):
            set_membership(user=find_user("petra"), project_id=world.project_id, roles={"panel", "municipality"},
                           by=find_user("staf"))
        db.session.remove()


# --- what she may do ---------------------------------------------------------------------------

def test_the_municipality_answers_through_the_form_and_the_history_and_logboek_name_her(app, world, recs, gemma,
                                                                                        login_as):
    rec = recs["ours"]
    client, post = login_as("gemma")
    page = client.get(f"{_base(world)}/follow-up/{rec}")
    assert page.status_code == 200
    assert "Antwoord invullen" in plain_text(page) and "Nieuwe afspraak" not in plain_text(page)
    response = post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/follow-up/{rec}#answer")
    assert _answer(app) == ("accepted", "Gemeente Utrecht", _user_id(app, "gemma"))
    # She changes it later with the version her page showed.
    response = post(f"{_base(world)}/follow-up/{rec}/answer",
                    data={**ANSWER, "verdict": "partly", "reasons": "Eerst een proef.", "version": "1"})
    assert response.status_code == 303
    text = plain_text(client.get(f"{_base(world)}/follow-up/{rec}"))
    assert "Antwoord: eerst Ja, dat gaan we doen, nu Voor een deel" in text
    assert "Door Gemma" in text
    # Staff and the panel read her answer.
    petra, _ = login_as("petra")
    assert "Voor een deel" in plain_text(petra.get(f"{_base(world)}/follow-up"))
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "followup.answer_save")).all()
        assert [(e.user_id, e.project_id) for e in events] == [(find_user("gemma").id, world.project_id)] * 2
        db.session.remove()
    staff, _ = login_as("staf")
    assert "Antwoord van de gemeente opgeslagen" in plain_text(staff.get("/logboek?action=followup."))


def test_her_home_shows_per_recommendation_her_answer_and_the_agreements(app, world, recs, gemma, login_as):
    rec = recs["ours"]
    client, post = login_as("gemma")
    text = plain_text(client.get("/"))
    assert "Maak een stille kamer. Uw antwoord: nog niet gegeven." in text
    assert "Er zijn nog geen afspraken." in text
    assert f'href="{_base(world)}/follow-up/{rec}#answer"' in html_of(client.get("/"))
    assert "Geheim advies van een ander." not in text
    post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER)
    _staff, staff_post = login_as("staf")
    _add_agreement(staff_post, world, rec)
    text = plain_text(client.get("/"))
    assert "Uw antwoord: Ja, dat gaan we doen. Gegeven op 1 maart 2026." in text
    assert "Een stille kamer in De Haven. : Nog niet begonnen, 0% klaar." in text
    assert "Antwoord veranderen" in text


def test_the_municipality_reads_agreements_story_and_report_but_changes_nothing_else(app, world, recs, gemma,
                                                                                     login_as):
    rec = recs["ours"]
    _staff, staff_post = login_as("staf")
    staff_post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER)
    agreement_id = _add_agreement(staff_post, world, rec)
    staff_post(f"{_base(world)}/agreements/{agreement_id}/milestones",
               data={"happened_on": "2026-04-01", "text": "Gebeurd."})
    with app.app_context():
        milestone_id = db.session.scalars(select(Milestone.id)).one()
        db.session.remove()

    client, post = login_as("gemma")
    for url in ("/follow-up", f"/follow-up/{rec}", f"/follow-up/{rec}/story", f"/agreements/{agreement_id}"):
        assert client.get(_base(world) + url).status_code == 200, url
    agreement_page = plain_text(client.get(f"{_base(world)}/agreements/{agreement_id}"))
    assert "Gebeurd." in agreement_page and "Nog niet begonnen" in agreement_page
    agreement_html = html_of(client.get(f"{_base(world)}/agreements/{agreement_id}"))
    assert f'action="{_base(world)}/agreements/{agreement_id}/' not in agreement_html  # no forms for her
    assert client.get(f"{_base(world)}/follow-up/report.pdf").status_code in (200, 503)

    for url, data in ((f"/follow-up/{rec}/agreements", AGREEMENT),
                      (f"/agreements/{agreement_id}", {**AGREEMENT, "version": "1"}),
                      (f"/agreements/{agreement_id}/status", {"status": "done", "version": "1"}),
                      (f"/agreements/{agreement_id}/milestones", {"happened_on": "2026-04-02", "text": "Nee"}),
                      (f"/milestones/{milestone_id}/delete", {}),
                      (f"/agreements/{agreement_id}/delete", {"version": "1"}),
                      (f"/agreements/{agreement_id}/evaluation", {"score": "5", "what_changed": "x",
                                                                  "participants": "5", "version": "1"})):
        assert post(_base(world) + url, data=data).status_code == 403, url
    # Nothing of the interviews, the panel's work, the design, the people or the exports.
    for url in ("", "/results", "/results/q3/open-answers", "/interviews", "/questionnaire", "/members", "/edit",
                "/report", "/themes", "/progress", "/exports", "/public-page", f"/agreements/{agreement_id}/evaluation"):
        assert client.get(_base(world) + url).status_code == 403, url
    assert client.get("/accounts").status_code == 403
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        assert (agreement.status, agreement.what) == ("not_started", AGREEMENT["what"])
        assert db.session.scalars(select(Milestone.text)).all() == ["Gebeurd."]
        assert db.session.scalars(select(Evaluation)).all() == []
        db.session.remove()


def test_she_reads_the_panels_evaluation_in_the_agreement_and_the_story(app, world, recs, gemma, login_as):
    rec = recs["ours"]
    _staff, staff_post = login_as("staf")
    agreement_id = _add_agreement(staff_post, world, rec, evaluate_on=_day(0))
    _petra, petra_post = login_as("petra")
    assert _evaluate(petra_post, world, agreement_id, _agreement_version(app, agreement_id)).status_code == 303
    client, _post = login_as("gemma")
    text = plain_text(client.get(f"{_base(world)}/agreements/{agreement_id}"))
    assert "Het is rustiger in de avond." in text and "Een bord op de deur." in text
    assert "Het panel vond: Goed." in plain_text(client.get(f"{_base(world)}/follow-up/{rec}/story"))
    # Reading it is all: she has no button to judge it herself.
    assert "Vul in: is het gelukt?" not in plain_text(client.get(f"{_base(world)}/agreements/{agreement_id}"))


def test_counts_and_quotes_she_sees_are_those_of_the_panel_pages(app, world, gemma, login_as):
    """Small groups hidden as everywhere, and only quotes approved to leave the panel."""
    texts = ["Het is te druk in de avond.", "Ik wil een stille kamer."]
    rec = _theme_with_cards(app, world, texts, approve=(texts[1],))
    client, _post = login_as("gemma")
    for url in (f"/follow-up/{rec}/story", f"/follow-up/{rec}"):
        text = plain_text(client.get(_base(world) + url))
        assert "niet getoond" in text and "2 mensen" not in text, url
        assert "Ik wil een stille kamer." in text and "Het is te druk in de avond." not in text, url


def test_a_large_enough_group_is_counted_for_her_as_for_the_panel(app, world, gemma, login_as):
    rec = _theme_with_cards(app, world, [f"Meer rust, zegt persoon {n}." for n in range(6)])
    client, _post = login_as("gemma")
    petra, _ = login_as("petra")
    story = plain_text(client.get(f"{_base(world)}/follow-up/{rec}/story"))
    assert "6 mensen vertelden hierover." in story
    panel_story = plain_text(petra.get(f"{_base(world)}/follow-up/{rec}/story"))
    assert story.replace("Gemma", "Petra") == panel_story


# --- what she may not do -----------------------------------------------------------------------

def test_another_projects_recommendation_is_not_found_through_her_project(app, world, recs, gemma, login_as):
    client, post = login_as("gemma")
    theirs = recs["theirs"]
    assert client.get(f"{_base(world)}/follow-up/{theirs}").status_code == 404
    assert client.get(f"{_base(world)}/follow-up/{theirs}/story").status_code == 404
    assert post(f"{_base(world)}/follow-up/{theirs}/answer", data=ANSWER).status_code == 404
    # On the other project's own URLs she is nobody: 403.
    other = world.other_project_id
    assert client.get(f"/projects/{other}/follow-up").status_code == 403
    assert post(f"/projects/{other}/follow-up/{theirs}/answer", data=ANSWER).status_code == 403
    assert client.get(f"/projects/{other}/follow-up/report.pdf").status_code == 403
    assert _answer(app) is None


def test_the_municipality_of_another_project_sees_nothing_of_this_one(app, world, recs, login_as):
    with app.app_context():
        make_user_now("gerrit", project=db.session.get(Project, world.other_project_id), roles={"municipality"},
                      by=find_user("andere-staf"))
        db.session.remove()
    client, post = login_as("gerrit")
    assert "Maak een stille kamer." not in plain_text(client.get("/"))
    assert "Geheim advies van een ander." in plain_text(client.get("/"))
    rec = recs["ours"]
    for url in ("/follow-up", f"/follow-up/{rec}", f"/follow-up/{rec}/story", "/follow-up/report.pdf"):
        assert client.get(_base(world) + url).status_code == 403, url
    assert post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER).status_code == 403
    assert _answer(app) is None


def test_a_stale_answer_form_is_refused_and_what_staff_wrote_stays(app, world, recs, gemma, login_as):
    rec = recs["ours"]
    client, post = login_as("gemma")
    client.get(f"{_base(world)}/follow-up/{rec}")  # her page shows no answer yet (version 0)
    _staff, staff_post = login_as("staf")
    staff_post(f"{_base(world)}/follow-up/{rec}/answer", data={**ANSWER, "answered_by": "Wethouder"})
    response = post(f"{_base(world)}/follow-up/{rec}/answer", data={**ANSWER, "verdict": "declined"})
    assert response.status_code == 409
    assert "Iemand anders heeft dit net veranderd" in plain_text(response)
    assert _answer(app) == ("accepted", "Wethouder", _user_id(app, "staf"))
    # An invalid form: 422 with the error summary, nothing saved.
    response = post(f"{_base(world)}/follow-up/{rec}/answer", data={"answered_on": "morgen", "version": "1"})
    assert response.status_code == 422 and "Er is iets niet goed" in plain_text(response)


def test_a_disabled_municipality_account_is_logged_out_and_cannot_answer(app, world, recs, gemma, login_as):
    rec = recs["ours"]
    client, _post = login_as("gemma")
    token = csrf_token(client, "/")  # the token of her open page, from before she was switched off
    _staff, staff_post = login_as("staf")
    assert staff_post(f"/accounts/{_user_id(app, 'gemma')}/disable").status_code == 303
    url = f"{_base(world)}/follow-up/{rec}"
    assert login_redirect_target(client.get(url)) == url
    response = client.post(f"{url}/answer", data={**ANSWER, "csrf_token": token})
    # Refused: to the login page, or (with what she typed, to copy) the page that says the login ended.
    assert response.status_code in (302, 400, 401)
    assert login_redirect_target(response) in (f"{url}/answer", None)
    if response.status_code == 401:
        assert "Opnieuw inloggen" in response.get_data(as_text=True)
    assert _answer(app) is None
    attempt = app.test_client()
    response = attempt.post("/login", data={"username": "gemma", "password": PASSWORD,
                                            "csrf_token": csrf_token(attempt, "/login")})
    assert response.status_code == 422


def test_the_demo_municipality_gave_the_demo_answer_itself(app):
    client, project_id = demo_login(app, "demo-gemeente")
    home = plain_text(client.get("/"))
    assert "Adviezen van het panel" in home and "Uw antwoord: Ja, dat gaan we doen." in home
    with app.app_context():
        answer = db.session.scalars(select(RecommendationAnswer)).first()
        assert answer.updated_by_id == find_user("demo-gemeente").id
        db.session.remove()
    assert client.get(f"/projects/{project_id}/results").status_code == 403


def test_every_link_on_her_pages_opens_for_her(app, world, recs, gemma, login_as):
    """The menu and the buttons show only what she may open: every link into a project on her
    pages answers 200 (the PDF: 200, or 503 where PDFs cannot be made)."""
    rec = recs["ours"]
    _staff, staff_post = login_as("staf")
    agreement_id = _add_agreement(staff_post, world, rec)
    client, _post = login_as("gemma")
    pages = ["/", f"{_base(world)}/follow-up", f"{_base(world)}/follow-up/{rec}",
             f"{_base(world)}/follow-up/{rec}/story", f"{_base(world)}/agreements/{agreement_id}"]
    links = set()
    for url in pages:
        links |= {href.split("#")[0] for href in re.findall(r'href="(/projects/[^"]*)"', html_of(client.get(url)))}
    assert f"{_base(world)}/follow-up/report.pdf" in links and f"{_base(world)}/follow-up/{rec}" in links
    for link in sorted(links):
        expected = (200, 503) if link.endswith(".pdf") else (200,)
        assert client.get(link).status_code in expected, link
