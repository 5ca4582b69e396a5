"""The questionnaire's views show the user a rule they broke (`Refused`, a B1 message) and
nothing else: a ValueError from a service is a bug, and gives the general error page without its
internal text, never a flash message or a field error made of it.

Every view of design/ that calls a service that can refuse is tried with both, by a designer of
the project (the role that uses these pages)."""
import importlib

import pytest

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import add_question, questionnaire_of
from peerinterview.design.codesign.services import create_proposal, delete_with_undo
from peerinterview.errors import Refused
from peerinterview.extensions import db
from peerinterview.models import Project

from .builders import html_of, location_of, plain_text

INTERNAL = "internal: version 7 has no key q9"
REFUSAL = "Dit kan nu niet. Kijk eerst naar de andere vragen."
GENERIC_IMPORT_PROBLEM = "Het overzetten is niet gelukt. Er is niets veranderd."


@pytest.fixture
def design_world(app, draft_project):
    """The draft of `draft_project`: a list question, an open question, a deleted question that
    undo can bring back, and an open proposal."""
    with app.app_context():
        staff, designer = find_user("staf"), find_user("dirk")
        project = db.session.get(Project, draft_project)
        draft = questionnaire_of(project).draft
        first = add_question(draft, kind="single", text="Komt u hier graag?", choice_labels=["Ja", "Nee"], by=staff)
        second = add_question(draft, kind="open", text="Wat wilt u nog zeggen?", by=staff)
        gone = add_question(draft, kind="open", text="Wat eet u graag?", by=staff)
        change = delete_with_undo(gone, by=staff)
        proposal = create_proposal(project, kind="new", question_kind="open", text="Hoe laat komt u?", by=designer)
        db.session.commit()
        ids = {"project": project.id, "first": first.id, "first_key": first.key, "second": second.id,
               "change": change.id, "proposal": proposal.id}
        db.session.remove()
    return ids


# (view, module whose name the view calls, that name, URL, form data, status when refused)
CASES = {
    "delete question": ("peerinterview.design.builder.routes", "delete_question",
                        "/projects/{project}/questionnaire/questions/{first}/delete", {}, 303),
    "move question": ("peerinterview.design.builder.routes", "move_question",
                      "/projects/{project}/questionnaire/questions/{first}/move", {"direction": "down"}, 303),
    "edit question": ("peerinterview.design.builder.routes", "update_question",
                      "/projects/{project}/questionnaire/questions/{first}/edit",
                      {"text": "Komt u hier vaak?", "choices": "Ja\nNee", "help_text": "", "section_title": ""}, 422),
    "add condition": ("peerinterview.design.builder.routes", "add_condition",
                      "/projects/{project}/questionnaire/questions/{second}/conditions",
                      {"source": "{first}", "values": "1"}, 422),
    "duplicate": ("peerinterview.design.codesign.routes", "duplicate_question",
                  "/projects/{project}/questionnaire/draft/{first_key}/duplicate", {}, 303),
    "delete with undo": ("peerinterview.design.codesign.routes", "delete_with_undo",
                         "/projects/{project}/questionnaire/draft/{first_key}/delete", {}, 303),
    "undo": ("peerinterview.design.codesign.routes", "restore_question",
             "/projects/{project}/questionnaire/deleted/{change}/restore", {}, 303),
    "adopt proposal": ("peerinterview.design.codesign.routes", "adopt_proposal",
                       "/projects/{project}/proposals/{proposal}/adopt", {}, 303),
    "import a starter list": ("peerinterview.design.transfer.routes", "import_document",
                              "/projects/{project}/questionnaire/starter",
                              {"starter": "dagopvang", "starter_mode": "append"}, 422),
}


def _failing(error):
    def fail(*_args, **_kwargs):
        raise error

    return fail


def _request(case, ids, login_as):
    _module, _name, url, data, _status = CASES[case]
    client, post = login_as("dirk")
    response = post(url.format(**ids), {key: value.format(**ids) for key, value in data.items()})
    return client, response


@pytest.mark.parametrize("case", CASES)
def test_a_refusal_reaches_the_page(app, design_world, login_as, monkeypatch, case):
    module, name, _url, _data, status = CASES[case]
    monkeypatch.setattr(importlib.import_module(module), name, _failing(Refused(REFUSAL)))
    client, response = _request(case, design_world, login_as)
    assert response.status_code == status, html_of(response)[:2000]
    page = plain_text(client.get(location_of(response))) if status == 303 else plain_text(response)
    expected = GENERIC_IMPORT_PROBLEM if case == "import a starter list" else REFUSAL
    assert expected in page


@pytest.mark.parametrize("case", CASES)
def test_a_programming_error_gives_the_error_page_without_its_text(app, design_world, login_as, monkeypatch, case):
    # As in production: the error goes to the error page, not to pytest.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    module, name, _url, _data, _status = CASES[case]
    monkeypatch.setattr(importlib.import_module(module), name, _failing(ValueError(INTERNAL)))
    client, response = _request(case, design_world, login_as)
    assert response.status_code == 500, html_of(response)[:2000]
    assert INTERNAL not in html_of(response)
    assert "Er ging iets mis" in plain_text(response)
    # Nor is it kept for the next page as a message.
    builder = client.get(f"/projects/{design_world['project']}/questionnaire")
    assert builder.status_code == 200
    assert INTERNAL not in html_of(builder)
