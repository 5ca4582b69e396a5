"""The questionnaire editor over HTTP: add each kind of question, validation, order, delete,
freeze (staff only), frozen versions never change, and new drafts keep the question keys."""
import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import (SCALE5_LABELS, FrozenVersionError, add_question,
                                           questionnaire_of)
from peerinterview.extensions import db
from peerinterview.models import Choice, Project, Question, QuestionnaireVersion

from .builders import html_of, location_of, plain_text, title_of


def versions(app, project_id):
    """[(number, frozen, [(key, position, kind, text, required, help_text, [choice labels])])]"""
    with app.app_context():
        project = db.session.get(Project, project_id)
        result = [
            (v.number, v.is_frozen,
             [(q.key, q.position, q.kind, q.text, q.required, q.help_text, [c.label for c in q.choices])
              for q in v.questions])
            for v in questionnaire_of(project).versions
        ]
        db.session.remove()
    return result


def draft_questions(app, project_id):
    number, frozen, questions = versions(app, project_id)[-1]
    assert not frozen
    return questions


def question_ids(app, project_id):
    with app.app_context():
        project = db.session.get(Project, project_id)
        ids = [q.id for q in questionnaire_of(project).draft.questions]
        db.session.remove()
    return ids


def add(post, project_id, **fields):
    data = {"kind": "single", "text": "", "help_text": "", "choices": "", **fields}
    return post(f"/projects/{project_id}/questionnaire/questions", data)


def add_three(post, project_id):
    for fields in ({"kind": "single", "text": "Hoe vaak komt u hier?", "choices": "Elke dag\nSoms"},
                   {"kind": "scale5", "text": "Hoe voelt u zich hier?"},
                   {"kind": "open", "text": "Wat kan beter?"}):
        assert add(post, project_id, **fields).status_code == 303


# --- adding questions ------------------------------------------------------------------------

def test_empty_draft_says_there_are_no_questions(draft_project, login_as):
    client, _ = login_as("staf")
    response = client.get(f"/projects/{draft_project}/questionnaire")
    assert response.status_code == 200
    assert "Er zijn nog geen vragen." in html_of(response)
    assert "Dit is versie 1. U kunt deze versie nog aanpassen." in html_of(response)


def test_add_single_choice_question(app, draft_project, login_as):
    client, post = login_as("staf")
    response = add(post, draft_project, kind="single", text="  Hoe vaak komt u hier?  ",
                   choices="Elke dag\n\n  Soms \r\nBijna nooit\n", required="y", help_text="Vraag rustig.")
    assert response.status_code == 303
    # Back at the add form with the same kind, which says what was added.
    assert location_of(response) == (f"/projects/{draft_project}/questionnaire?soort=single"
                                     f"&toegevoegd={question_ids(app, draft_project)[0]}#nieuwe-vraag")
    assert draft_questions(app, draft_project) == [
        ("q1", 1, "single", "Hoe vaak komt u hier?", True, "Vraag rustig.", ["Elke dag", "Soms", "Bijna nooit"]),
    ]
    page = client.get(f"/projects/{draft_project}/questionnaire")
    assert "De vraag is toegevoegd." in html_of(page)
    assert "1 vraag" in html_of(page)
    assert "<li>Bijna nooit</li>" in html_of(page)
    with app.app_context():
        question_id = questionnaire_of(db.session.get(Project, draft_project)).draft.questions[0].id
        values = db.session.scalars(
            select(Choice.value).where(Choice.question_id == question_id).order_by(Choice.position)
        ).all()
        assert values == ["1", "2", "3"]
        db.session.remove()


def test_add_scale_question_gets_the_five_fixed_labels(app, draft_project, login_as):
    _client, post = login_as("staf")
    # Choices typed in by mistake are ignored: the scale has fixed words.
    response = add(post, draft_project, kind="scale5", text="Hoe voelt u zich hier?", choices="Blij\nBoos")
    assert response.status_code == 303
    (question,) = draft_questions(app, draft_project)
    assert question[2] == "scale5"
    assert question[6] == list(SCALE5_LABELS)
    assert question[6] == ["Heel slecht", "Slecht", "Niet goed, niet slecht", "Goed", "Heel goed"]


def test_add_open_question_has_no_choices(app, draft_project, login_as):
    client, post = login_as("dirk")  # a designer may add questions
    response = add(post, draft_project, kind="open", text="Wat kan beter?", help_text="Vraag door.")
    assert response.status_code == 303
    assert draft_questions(app, draft_project) == [("q1", 1, "open", "Wat kan beter?", False, "Vraag door.", [])]
    assert "Hulp voor de interviewer: Vraag door." in plain_text(client.get(f"/projects/{draft_project}/questionnaire"))


@pytest.mark.parametrize("fields, message", [
    ({"kind": "open", "text": ""}, "Vul de vraag in."),
    ({"kind": "open", "text": "   "}, "Vul de vraag in."),
    ({"kind": "single", "text": "Hoe vaak?", "choices": "Alleen dit"}, "Zet minstens 2 antwoorden in de lijst, elk op een eigen regel."),
    ({"kind": "single", "text": "Hoe vaak?", "choices": ""}, "Zet minstens 2 antwoorden in de lijst"),
    ({"kind": "single", "text": "Hoe vaak?", "choices": "Soms\nvaak\nSOMS"}, "Elk antwoord mag maar één keer in de lijst staan."),
    ({"kind": "single", "text": "Hoe vaak?", "choices": "Ja\n" + "x" * 301}, "Maak elk antwoord korter dan 300 tekens."),
    ({"kind": "open", "text": "x" * 501}, "Gebruik hoogstens 500 tekens."),
    ({"kind": "anders", "text": "Hoe vaak?"}, "Ongeldige keuze."),  # WTForms' own Dutch message
])
def test_invalid_question_is_422_and_stores_nothing(app, draft_project, login_as, fields, message):
    _client, post = login_as("staf")
    response = add(post, draft_project, **fields)
    assert response.status_code == 422
    assert title_of(response).startswith("Fout: Vragenlijst")
    assert 'data-error-summary' in html_of(response)
    assert message in html_of(response)
    assert draft_questions(app, draft_project) == []


def test_invalid_question_keeps_what_was_typed(draft_project, login_as):
    _client, post = login_as("staf")
    response = add(post, draft_project, kind="single", text="Hoe vaak komt u hier?", choices="Alleen dit")
    assert response.status_code == 422
    assert "Hoe vaak komt u hier?</textarea>" in html_of(response)
    assert "Alleen dit</textarea>" in html_of(response)


def test_keys_stay_unique_after_a_delete(app, draft_project, login_as):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    first, second, third = question_ids(app, draft_project)
    assert post(f"/projects/{draft_project}/questionnaire/questions/{first}/delete").status_code == 303
    assert add(post, draft_project, kind="open", text="Nog iets?").status_code == 303
    assert [(q[0], q[1]) for q in draft_questions(app, draft_project)] == [("q2", 1), ("q3", 2), ("q4", 3)]


# --- order and delete ------------------------------------------------------------------------

def test_move_question_up_and_down(app, draft_project, login_as):
    _client, post = login_as("dirk")
    add_three(post, draft_project)
    first, second, third = question_ids(app, draft_project)
    url = f"/projects/{draft_project}/questionnaire/questions/{{}}/move"

    response = post(url.format(third), {"direction": "up"})
    assert response.status_code == 303
    assert location_of(response) == f"/projects/{draft_project}/questionnaire#vraag-{third}"
    assert [(q[0], q[1]) for q in draft_questions(app, draft_project)] == [("q1", 1), ("q3", 2), ("q2", 3)]

    assert post(url.format(first), {"direction": "down"}).status_code == 303
    assert [q[0] for q in draft_questions(app, draft_project)] == ["q3", "q1", "q2"]

    # At the edges nothing happens; an unknown direction changes nothing.
    assert post(url.format(third), {"direction": "up"}).status_code == 303
    assert post(url.format(second), {"direction": "down"}).status_code == 303
    assert post(url.format(first), {"direction": "sideways"}).status_code == 303
    assert [(q[0], q[1]) for q in draft_questions(app, draft_project)] == [("q3", 1), ("q1", 2), ("q2", 3)]


def test_move_buttons_are_only_where_they_can_move(app, draft_project, login_as):
    client, post = login_as("staf")
    add_three(post, draft_project)
    html = html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    assert html.count('name="direction" value="up"') == 2
    assert html.count('name="direction" value="down"') == 2
    assert html.count("Verwijderen<span") == 3


def test_delete_question_renumbers_the_rest(app, draft_project, login_as):
    client, post = login_as("staf")
    add_three(post, draft_project)
    first, second, third = question_ids(app, draft_project)
    response = post(f"/projects/{draft_project}/questionnaire/questions/{first}/delete")
    assert response.status_code == 303
    assert location_of(response) == f"/projects/{draft_project}/questionnaire#vragen"
    assert [(q[0], q[1]) for q in draft_questions(app, draft_project)] == [("q2", 1), ("q3", 2)]
    assert "De vraag is verwijderd." in html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    with app.app_context():
        # Its choices went with it.
        assert db.session.scalar(select(Choice).where(Choice.question_id == first)) is None
        db.session.remove()


def test_delete_without_csrf_changes_nothing(app, draft_project, login_as):
    client, post = login_as("staf")
    add_three(post, draft_project)
    first = question_ids(app, draft_project)[0]
    response = client.post(f"/projects/{draft_project}/questionnaire/questions/{first}/delete")
    assert response.status_code == 400
    assert len(draft_questions(app, draft_project)) == 3


def test_question_of_another_project_cannot_be_touched(app, world, draft_project, login_as):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    first = question_ids(app, draft_project)[0]
    # The world project is the other project of the same staff member.
    assert post(f"/projects/{world.project_id}/questionnaire/questions/{first}/delete").status_code == 404
    assert post(f"/projects/{world.project_id}/questionnaire/questions/{first}/move", {"direction": "down"}).status_code == 404
    assert len(draft_questions(app, draft_project)) == 3


# --- freezing --------------------------------------------------------------------------------

def test_designer_cannot_freeze(app, draft_project, login_as):
    client, post = login_as("dirk")
    add_three(post, draft_project)
    page = html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    assert "Versie 1 vastzetten" not in page  # the button is not shown either
    response = post(f"/projects/{draft_project}/questionnaire/freeze", {"confirmed": "yes"})
    assert response.status_code == 403
    assert "Dit mag u niet zien" in html_of(response)
    assert [(number, frozen) for number, frozen, _q in versions(app, draft_project)] == [(1, False)]


def test_staff_freezes_the_draft(app, draft_project, login_as):
    client, post = login_as("staf")
    add_three(post, draft_project)
    assert "Versie 1 vastzetten" in html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    response = post(f"/projects/{draft_project}/questionnaire/freeze", {"confirmed": "yes"})
    assert response.status_code == 303
    assert location_of(response) == f"/projects/{draft_project}/questionnaire"
    page = client.get(f"/projects/{draft_project}/questionnaire")
    assert "Versie 1 is vastgezet. Interviewers kunnen nu beginnen." in html_of(page)
    assert "Versie 1 is vastgezet. Interviewers gebruiken deze versie." in html_of(page)
    assert "Vraag toevoegen</button>" not in html_of(page)
    assert "Nieuwe versie maken om aan te passen" in html_of(page)
    with app.app_context():
        version = db.session.scalar(select(QuestionnaireVersion).join(QuestionnaireVersion.questionnaire)
                                    .where(QuestionnaireVersion.questionnaire.has(project_id=draft_project)))
        assert version.frozen_at is not None
        assert version.frozen_by_id == find_user("staf").id
        db.session.remove()


def test_freezing_an_empty_draft_is_refused_with_a_message(app, draft_project, login_as):
    client, post = login_as("staf")
    response = post(f"/projects/{draft_project}/questionnaire/freeze", {"confirmed": "yes"})
    assert response.status_code == 303
    assert "Voeg eerst minstens één vraag toe." in html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    assert [(number, frozen) for number, frozen, _q in versions(app, draft_project)] == [(1, False)]


def test_a_frozen_version_cannot_be_changed(app, world, login_as):
    """The world's questionnaire is frozen: no draft to add to, move in or delete from."""
    client, post = login_as("staf")
    before = versions(app, world.project_id)
    response = add(post, world.project_id, kind="open", text="Nog een vraag?")
    assert response.status_code == 409
    assert "Dit kan nu niet" in html_of(response)
    first = world.question_ids[0]
    assert post(f"/projects/{world.project_id}/questionnaire/questions/{first}/delete").status_code == 404
    assert post(f"/projects/{world.project_id}/questionnaire/questions/{first}/move", {"direction": "down"}).status_code == 404
    assert post(f"/projects/{world.project_id}/questionnaire/freeze", {"confirmed": "yes"}).status_code == 409
    assert versions(app, world.project_id) == before
    page = html_of(client.get(f"/projects/{world.project_id}/questionnaire"))
    assert "Verwijderen<span" not in page and 'value="up"' not in page


def test_services_refuse_to_change_a_frozen_version(app, world):
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, world.version_id)
        with pytest.raises(FrozenVersionError):
            add_question(version, kind="open", text="Stiekem erbij?")
        db.session.rollback()
        db.session.remove()
    assert len(versions(app, world.project_id)[0][2]) == 3


def test_new_draft_copies_questions_with_the_same_keys(app, world, login_as):
    client, post = login_as("dirk")
    response = post(f"/projects/{world.project_id}/questionnaire/new-draft")
    assert response.status_code == 303
    assert location_of(response) == f"/projects/{world.project_id}/questionnaire"
    page = html_of(client.get(f"/projects/{world.project_id}/questionnaire"))
    assert "U kunt nu versie 2 aanpassen. Interviews houden hun eigen versie." in page
    assert "Dit is versie 2." in page

    (n1, frozen1, v1), (n2, frozen2, v2) = versions(app, world.project_id)
    assert (n1, frozen1, n2, frozen2) == (1, True, 2, False)
    assert v2 == v1
    assert [q[0] for q in v2] == ["q1", "q2", "q3"]
    with app.app_context():
        ids = db.session.scalars(select(Question.id).where(Question.version_id == world.version_id)).all()
        db.session.remove()
    assert sorted(ids) == sorted(world.question_ids)  # version 1 is untouched

    # A second "new draft" gives the same draft, not a third version.
    assert post(f"/projects/{world.project_id}/questionnaire/new-draft").status_code == 303
    assert [n for n, _f, _q in versions(app, world.project_id)] == [1, 2]

    # The draft changes; version 1 does not. A new question gets a new key.
    second_draft_question = question_ids(app, world.project_id)[1]
    assert post(f"/projects/{world.project_id}/questionnaire/questions/{second_draft_question}/delete").status_code == 303
    assert add(post, world.project_id, kind="open", text="Wat gaat goed?").status_code == 303
    (_n1, _f1, v1_after), (_n2, _f2, v2_after) = versions(app, world.project_id)
    assert v1_after == v1
    assert [q[0] for q in v2_after] == ["q1", "q3", "q4"]


def test_staff_of_the_project_can_make_a_third_version(app, world, login_as):
    _client, post = login_as("staf")
    assert post(f"/projects/{world.project_id}/questionnaire/new-draft").status_code == 303
    assert post(f"/projects/{world.project_id}/questionnaire/freeze", {"confirmed": "yes"}).status_code == 303
    assert post(f"/projects/{world.project_id}/questionnaire/new-draft").status_code == 303
    assert [(n, f) for n, f, _q in versions(app, world.project_id)] == [(1, True), (2, True), (3, False)]


def test_designer_of_one_project_cannot_edit_another(app, world, draft_project, login_as, make_user):
    make_user("eva", project_id=world.project_id, roles={"designer"})
    _client, post = login_as("eva")
    response = add(post, draft_project, kind="open", text="Mag dit?")
    assert response.status_code == 403
    assert draft_questions(app, draft_project) == []


# --- the add form: only the fields of the chosen kind, and it keeps its place ----------------

def _shown_kind_boxes(html):
    """The data-kinds wrappers of the add form that are not hidden."""
    import re

    form = html[html.index('data-kind-fields'):]
    return {kinds for kinds, hidden in re.findall(r'data-kinds="([^"]+)"( hidden)?', form) if not hidden}


def test_the_add_form_shows_only_the_fields_of_the_chosen_kind_without_javascript(app, draft_project, login_as):
    client, post = login_as("staf")
    html = html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    shown = _shown_kind_boxes(html)
    assert any("single" in kinds.split() and "number" not in kinds.split() for kinds in shown)  # the answers
    assert "number" not in shown  # no smallest / largest number for a list question
    # "Toon de velden voor deze soort" without JavaScript: the number fields, nothing saved.
    response = add(post, draft_project, kind="number", text="Hoe oud bent u?", show_kind="y")
    assert response.status_code == 200
    shown = _shown_kind_boxes(html_of(response))
    assert "number" in shown and "single multi" not in shown
    assert "Hoe oud bent u?" in html_of(response)  # what was typed stays
    assert question_ids(app, draft_project) == []
    info = _shown_kind_boxes(html_of(add(post, draft_project, kind="info", text="Uitleg", show_kind="y")))
    assert info == set()  # an explanation has no answer, so no answer options


def test_after_adding_the_form_keeps_its_place_and_kind(app, draft_project, login_as):
    client, post = login_as("staf")
    add(post, draft_project, kind="single", text="Eerste vraag?", choices="Ja\nNee")
    response = add(post, draft_project, kind="open", text="Wat kan beter?")
    target = location_of(response)
    second = question_ids(app, draft_project)[1]
    assert target.endswith(f"soort=open&toegevoegd={second}#nieuwe-vraag")
    page = html_of(client.get(target.split("#")[0]))
    import re
    assert re.findall(r'<input checked id="kind-\d+" name="kind" required type="radio" value="(\w+)">', page) == ["open"]
    assert "Vraag 2 staat nu in de lijst:" in plain_text(client.get(target.split("#")[0]))
    assert f'href="#vraag-{second}"' in page
    # A question of another project is never named here.
    assert "staat nu in de lijst" not in plain_text(
        client.get(f"/projects/{draft_project}/questionnaire?toegevoegd=999999"))
