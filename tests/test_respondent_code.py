"""The respondent code is made by the server, has one format, and names exactly one interview of
its project, so that an erasure or withdrawal by code never hits another person's answers.

The start page shows the code before the interview starts and carries it, sealed, to the start;
a code the server did not offer, or one that is taken meanwhile, is replaced and the interviewer
is told the new one. The database refuses a second interview with the same code in a project."""
import re
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from peerinterview.extensions import db
from peerinterview.interview.services import CODE_ALPHABET
from peerinterview.models import AuditEvent, Interview, Project

from .builders import (count_rows, hidden_value, html_of, interview_row, location_of, make_interview,
                       plain_text, start_interview_http)

CODE = re.compile(f"^[{CODE_ALPHABET}]{{5}}$")


def new_url(world):
    return f"/projects/{world.project_id}/interviews/new"


def start(post, world, page=None, **overrides):
    data = {"interview_id": str(uuid.uuid4()), "location_id": str(world.location_ids[0]), "consent": "y",
            "consent_data": "y", "language": "nl", "consent_method": "interviewer_tablet"}
    if page is not None:
        data.update(respondent_code=hidden_value(page, "respondent_code"),
                    respondent_code_seal=hidden_value(page, "respondent_code_seal"))
    data.update(overrides)
    response = post(new_url(world), data)
    assert response.status_code == 303, html_of(response)[:1000]
    return data["interview_id"], response


def test_the_start_page_offers_a_sealed_code_that_the_start_keeps(app, world, login_as):
    client, post = login_as("anna")
    page = client.get(new_url(world))
    code = hidden_value(page, "respondent_code")
    assert CODE.match(code)
    assert f'<strong class="code">{code}</strong>' in html_of(page)
    interview_id, response = start(post, world, page)
    assert interview_row(app, interview_id).respondent_code == code
    # No message: the code on the start page is the code of the interview.
    first = client.get(location_of(response))
    assert "andere code" not in plain_text(first)
    assert code in plain_text(first)


@pytest.mark.parametrize("forged", [
    {"respondent_code": "ABCDE"},  # the right format, but not offered by the server
    {"respondent_code": "ABCDE", "respondent_code_seal": "x" * 43},
    {"respondent_code": "<b hx-get=/x>", "respondent_code_seal": ""},
    {"respondent_code": "JAN-DE-VRIES-123"},  # a name in a code field
    {"respondent_code": ""},
    {},
], ids=["no seal", "wrong seal", "markup", "a name", "empty", "missing"])
def test_a_code_the_server_did_not_offer_is_replaced(app, world, login_as, forged):
    client, post = login_as("anna")
    interview_id, response = start(post, world, **forged)
    code = interview_row(app, interview_id).respondent_code
    assert CODE.match(code) and code != forged.get("respondent_code")
    # The interviewer learns the code of this interview at once, to tell the respondent.
    first = plain_text(client.get(location_of(response)))
    assert f"Dit interview heeft een andere code gekregen: {code}. Geef de persoon deze code." in first


def test_a_code_offered_for_another_project_is_replaced(app, world, login_as, make_user):
    from peerinterview.accounts.services import find_user, set_membership
    from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of
    from peerinterview.projects.services import add_location

    with app.app_context():
        other = db.session.get(Project, world.other_project_id)
        staff = find_user("andere-staf")
        set_membership(user=find_user("anna"), project_id=other.id, roles={"interviewer"}, by=staff)
        add_location(other, "Elders", by=staff)
        version = questionnaire_of(other).draft
        add_question(version, kind="open", text="Wat vindt u?", by=staff)
        freeze_version(version, by=staff)
        db.session.commit()
        db.session.remove()
    client, post = login_as("anna")
    elsewhere = client.get(f"/projects/{world.other_project_id}/interviews/new")
    interview_id, _response = start(post, world, elsewhere)
    assert interview_row(app, interview_id).respondent_code != hidden_value(elsewhere, "respondent_code")


def test_one_start_page_used_for_two_interviews_gives_two_codes(app, world, login_as):
    """The same page sent twice for two interviews (the back button, a copied form, or two
    interviewers and one stale page): the second interview gets its own code, and is told."""
    client, post = login_as("anna")
    page = client.get(new_url(world))
    first, _ = start(post, world, page)
    second, response = start(post, world, page)
    codes = [interview_row(app, i).respondent_code for i in (first, second)]
    assert codes[0] == hidden_value(page, "respondent_code") and codes[1] != codes[0]
    assert f"andere code gekregen: {codes[1]}" in plain_text(client.get(location_of(response)))


def test_an_interviewer_cannot_give_a_new_interview_someone_elses_code(app, world, login_as):
    """Bram copies the code of Anna's respondent into his start form. Staff later erase that
    code at Anna's respondent's request: exactly Anna's interview goes, Bram's stays."""
    anna, anna_post = login_as("anna")
    annas = start_interview_http(anna, anna_post, world.project_id, world.location_ids[0])
    code = interview_row(app, annas).respondent_code
    _bram, bram_post = login_as("bram")
    brams, _ = start(bram_post, world, respondent_code=code, respondent_code_seal="forged")
    assert interview_row(app, brams).respondent_code != code
    _staff, staff_post = login_as("staf")
    response = staff_post(f"/projects/{world.project_id}/wissen", {"respondent_code": code, "step": "confirm",
                                                                  "confirm": "y"})
    assert response.status_code == 303
    assert interview_row(app, annas) is None
    assert interview_row(app, brams) is not None


def test_the_database_holds_each_code_once_per_project(app, world):
    first = make_interview(app, world.project_id, "anna")
    second = make_interview(app, world.project_id, "anna")
    code = interview_row(app, first).respondent_code
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(update(Interview).where(Interview.id == second).values(respondent_code=code))
            db.session.flush()
        db.session.rollback()
        # Erased interviews have no code (""): any number of them.
        db.session.execute(update(Interview).values(respondent_code=""))
        db.session.commit()
        db.session.remove()


def test_the_lookup_forms_take_a_code_as_people_type_it(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    code = interview_row(app, interview_id).respondent_code
    typed = f"{code[:3].lower()} - {code[3:].lower()}"  # "k7m - 2q"
    _staff, post = login_as("staf")
    confirm = post(f"/projects/{world.project_id}/interviews/withdraw", {"respondent_code": typed})
    assert confirm.status_code == 200 and f"Interview {code} intrekken?" in plain_text(confirm)
    erase = post(f"/projects/{world.project_id}/wissen", {"respondent_code": typed})
    assert erase.status_code == 200 and code in plain_text(erase)


@pytest.mark.parametrize("url", ["/projects/{p}/interviews/withdraw", "/projects/{p}/wissen"])
def test_the_lookup_forms_refuse_what_is_no_code(app, world, login_as, url):
    make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    _staff, post = login_as("staf")
    response = post(url.format(p=world.project_id), {"respondent_code": "<b>'; --"})
    assert response.status_code == 422
    assert "Een code heeft alleen letters en cijfers." in plain_text(response)
    assert count_rows(app, Interview) == 1


def test_the_migration_renumbers_codes_that_old_data_holds_twice(app, world):
    """Before the unique index, a forged start could give two interviews one code. The interview
    that got it first keeps it, each later one gets a new code, and the logboek says which
    (never the code). Interviews of an erased project become "erased"."""
    ids = [make_interview(app, world.project_id, "anna", completed=True) for _ in range(3)]
    with app.app_context():
        db.session.remove()
        downgrade(revision="0010")
        # Only the columns that existed then: the model has grown since.
        shared = db.session.scalar(select(Interview.respondent_code).where(Interview.id == ids[0]))
        db.session.execute(update(Interview).where(Interview.id.in_(ids)).values(respondent_code=shared))
        db.session.commit()
        db.session.remove()
        upgrade()
        rows = {i.id: i for i in db.session.scalars(select(Interview).where(Interview.id.in_(ids)))}
        first = min(rows.values(), key=lambda i: (i.started_at, i.id))
        assert first.respondent_code == shared
        codes = [i.respondent_code for i in rows.values()]
        assert len(set(codes)) == 3 and all(CODE.match(c) for c in codes)
        notes = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.code_renumber")).all()
        assert sorted(n.object_id for n in notes) == sorted(i for i in ids if i != first.id)
        assert all(n.project_id == world.project_id and shared not in str(n.detail) for n in notes)
        db.session.remove()


def test_the_migration_marks_interviews_of_an_erased_project(app, world):
    from datetime import datetime

    done = make_interview(app, world.project_id, "anna", completed=True)
    going = make_interview(app, world.project_id, "anna")
    with app.app_context():
        db.session.remove()
        downgrade(revision="0010")
        db.session.execute(update(Project).where(Project.id == world.project_id).values(erased_at=datetime(2030, 1, 2)))
        db.session.execute(update(Interview).values(respondent_code=""))  # as the retention run left them
        db.session.commit()
        db.session.remove()
        upgrade()
        assert {i.id: i.status for i in db.session.scalars(select(Interview))} == {done: "erased", going: "erased"}
        db.session.remove()
        downgrade(revision="0010")
        # Only the columns that existed then: the model has grown since.
        assert dict(db.session.execute(select(Interview.id, Interview.status)).all()) == {
            done: "completed", going: "in_progress"}
        db.session.remove()
        upgrade()
        db.session.remove()
