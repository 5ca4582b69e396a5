"""The questionnaire builder over HTTP: live B1 advice as a fragment or a whole page,
B1 labels in the question list, editing a draft question, and show-if conditions."""
import re

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import AuditEvent, Condition, Project, Question

from .builders import html_of, location_of, plain_text, title_of
from .test_design import add, add_three, question_ids

OFFICIALESE = "Indien u dat wenst, kunt u echter contact opnemen met de begeleider van de dagopvang."
HX = {"HX-Request": "true"}


def advice_url(project_id):
    return f"/projects/{project_id}/questionnaire/advice"


def edit_url(project_id, question_id):
    return f"/projects/{project_id}/questionnaire/questions/{question_id}/edit"


def conditions_url(project_id, question_id):
    return f"/projects/{project_id}/questionnaire/questions/{question_id}/conditions"


def question_row(app, question_id):
    with app.app_context():
        q = db.session.get(Question, question_id)
        row = {
            "text": q.text, "help_text": q.help_text, "required": q.required, "follow_up": q.follow_up,
            "allow_dont_know": q.allow_dont_know, "allow_refuse": q.allow_refuse,
            "choices": [(c.value, c.label) for c in q.choices],
            "conditions": [(c.source.key, list(c.values)) for c in q.conditions],
        }
        db.session.remove()
    return row


def edit_data(**fields):
    return {"text": "Hoe vaak komt u hier?", "help_text": "", "choices": "Elke dag\nSoms", **fields}


# --- live B1 advice ---------------------------------------------------------------------------

@pytest.mark.parametrize("user", ["staf", "dirk"])
def test_advice_fragment_names_each_flag_and_its_suggestion(draft_project, login_as, user):
    _client, post = login_as(user)
    response = post(advice_url(draft_project), {"advice_for": "text", "text": OFFICIALESE}, headers=HX)
    assert response.status_code == 200
    html = html_of(response)
    assert "<html" not in html and "<main" not in html  # only the part under the field
    text = plain_text(response)
    assert "Taal: " in text
    assert "Moeilijk woord uit brieven: Indien Schrijf 'Als' in plaats van 'Indien'." in text
    assert "Schrijf 'maar' in plaats van 'echter'." in text
    assert "Lange zin:" in text
    assert "HX-Request" in response.headers["Vary"]


def test_advice_label_changes_when_the_text_gets_easier(draft_project, login_as):
    _client, post = login_as("staf")
    hard = plain_text(post(advice_url(draft_project), {
        "advice_for": "text",
        "text": "Indien de gemeentelijke dienstverlening onvoldoende functioneert, dient u een klachtenprocedure te starten.",
    }, headers=HX))
    easy = plain_text(post(advice_url(draft_project), {"advice_for": "text", "text": "Komt u hier graag?"}, headers=HX))
    assert "Taal: moeilijk" in hard
    assert "Taal: makkelijk" in easy and "Geen tips. Goed zo!" in easy


def test_advice_for_the_help_text_reads_the_help_text(draft_project, login_as):
    _client, post = login_as("staf")
    response = post(advice_url(draft_project), {"advice_for": "help_text", "text": "Komt u hier graag?",
                                                "help_text": "Vraag middels een voorbeeld."}, headers=HX)
    assert response.status_code == 200
    assert "Schrijf 'met' in plaats van 'middels'." in plain_text(response)


def test_advice_of_an_empty_text_is_empty(draft_project, login_as):
    _client, post = login_as("staf")
    response = post(advice_url(draft_project), {"advice_for": "text", "text": "  "}, headers=HX)
    assert response.status_code == 200
    assert plain_text(response).strip() == ""


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true", "HX-Boosted": "true"}])
def test_advice_without_htmx_or_boosted_is_the_whole_page(draft_project, login_as, headers):
    _client, post = login_as("staf")
    response = post(advice_url(draft_project), {"advice_for": "text", "text": OFFICIALESE}, headers=headers)
    assert response.status_code == 200
    assert title_of(response).startswith("Vragenlijst")
    html = html_of(response)
    assert "<html" in html
    assert f"{OFFICIALESE}</textarea>" in html
    assert "Schrijf &#39;Als&#39; in plaats van &#39;Indien&#39;." in html


def test_advice_without_csrf_is_refused(draft_project, login_as):
    client, _post = login_as("staf")
    response = client.post(advice_url(draft_project), data={"advice_for": "text", "text": OFFICIALESE}, headers=HX)
    assert response.status_code == 400


@pytest.mark.parametrize("user", ["anna", "petra"])
def test_advice_is_for_designers_and_staff_only(draft_project, world, login_as, user):
    _client, post = login_as(user)
    response = post(advice_url(world.project_id), {"advice_for": "text", "text": OFFICIALESE}, headers=HX)
    assert response.status_code == 403


def test_the_add_form_is_wired_for_live_advice(draft_project, login_as):
    client, _post = login_as("dirk")
    html = html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    assert f'hx-post="{advice_url(draft_project)}"' in html
    assert 'hx-trigger="input changed delay:500ms"' in html
    assert 'hx-target="#text-advice"' in html and 'hx-target="#help_text-advice"' in html
    assert '<div id="text-advice" class="b1-advice" aria-live="polite">' in html
    assert 'aria-describedby="text-hint text-advice"' in html
    # The advice request carries the form's own CSRF token (static/js/app.js), not one that every
    # element inherits from <body hx-headers>.
    assert "hx-headers" not in html and "X-CSRFToken" not in html
    assert re.search(r'<form[^>]*>\s*<input id="csrf_token" name="csrf_token" type="hidden" value="[^"]+">', html)
    assert '<p><button class="button button-secondary" name="check" value="y">Controleer de tekst</button></p>' in html


def test_check_button_without_javascript_shows_advice_and_adds_nothing(app, draft_project, login_as):
    _client, post = login_as("staf")
    response = add(post, draft_project, kind="open", text=OFFICIALESE, check="y")
    assert response.status_code == 200
    assert not title_of(response).startswith("Fout")
    assert "Schrijf &#39;Als&#39; in plaats van &#39;Indien&#39;." in html_of(response)
    assert f"{OFFICIALESE}</textarea>" in html_of(response)
    assert question_ids(app, draft_project) == []


def test_b1_flags_never_refuse_a_question(app, draft_project, login_as):
    _client, post = login_as("staf")
    assert add(post, draft_project, kind="open", text=OFFICIALESE).status_code == 303
    assert len(question_ids(app, draft_project)) == 1


# --- the question list shows each question's B1 label ------------------------------------------

def test_question_list_shows_label_and_number_of_tips(draft_project, login_as):
    client, post = login_as("staf")
    assert add(post, draft_project, kind="open", text="Wat kan beter?").status_code == 303
    assert add(post, draft_project, kind="open", text=OFFICIALESE).status_code == 303
    text = plain_text(client.get(f"/projects/{draft_project}/questionnaire"))
    easy, hard = text.split("Wat kan beter?")[1], text.split(OFFICIALESE)[1]
    assert "Taal: makkelijk · 0 tips" in " ".join(easy.split())
    assert re.search(r"Taal: (gaat wel|moeilijk|makkelijk) · [3-9] tips", " ".join(hard.split()))


def test_frozen_list_shows_labels_too(world, login_as):
    client, _post = login_as("staf")
    assert "Taal: makkelijk" in plain_text(client.get(f"/projects/{world.project_id}/questionnaire"))


# --- editing a draft question -----------------------------------------------------------------

@pytest.mark.parametrize("user", ["staf", "dirk"])
def test_edit_a_single_choice_question(app, draft_project, login_as, user):
    client, post = login_as(user)
    add_three(post, draft_project)
    first = question_ids(app, draft_project)[0]
    page = client.get(edit_url(draft_project, first))
    assert page.status_code == 200
    assert title_of(page).startswith("Vraag 1 aanpassen")
    assert "Elke dag\nSoms</textarea>" in html_of(page)
    assert f'href="{edit_url(draft_project, first)}"' in html_of(client.get(f"/projects/{draft_project}/questionnaire"))

    response = post(edit_url(draft_project, first), {
        "text": " Hoe vaak bent u hier? ", "help_text": "Noem een voorbeeld.", "choices": "Elke dag\nSoms\nNooit",
        "required": "y", "follow_up": "y", "allow_dont_know": "y",  # added without both special answers
    })
    assert response.status_code == 303
    assert location_of(response) == f"/projects/{draft_project}/questionnaire#vraag-{first}"
    assert question_row(app, first) == {
        "text": "Hoe vaak bent u hier?", "help_text": "Noem een voorbeeld.", "required": True, "follow_up": True,
        "allow_dont_know": True, "allow_refuse": False,
        "choices": [("1", "Elke dag"), ("2", "Soms"), ("3", "Nooit")], "conditions": [],
    }
    assert "De vraag is aangepast." in html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "question.update")).one()
        assert event.user_id == find_user(user).id
        assert event.detail["key"] == "q1"
        assert event.detail["changed"]["text"] == ["Hoe vaak komt u hier?", "Hoe vaak bent u hier?"]
        assert event.detail["changed"]["allow_dont_know"] == [False, True]
        assert "allow_refuse" not in event.detail["changed"]
        db.session.remove()


def test_reworded_answer_keeps_its_value(app, draft_project, login_as):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    first = question_ids(app, draft_project)[0]
    assert post(edit_url(draft_project, first), edit_data(choices="Iedere dag\nSoms\nNooit")).status_code == 303
    # "Iedere dag" took the place (and value) of "Elke dag"; "Nooit" is new.
    assert question_row(app, first)["choices"] == [("1", "Iedere dag"), ("2", "Soms"), ("3", "Nooit")]
    assert post(edit_url(draft_project, first), edit_data(choices="Nooit\nSoms\nIedere dag")).status_code == 303
    # Moved answers keep their value.
    assert question_row(app, first)["choices"] == [("3", "Nooit"), ("2", "Soms"), ("1", "Iedere dag")]


def test_open_question_edit_has_no_choices_and_no_follow_up(app, draft_project, login_as):
    client, post = login_as("staf")
    add_three(post, draft_project)
    third = question_ids(app, draft_project)[2]
    html = html_of(client.get(edit_url(draft_project, third)))
    assert 'name="choices"' not in html and 'name="follow_up"' not in html
    assert post(edit_url(draft_project, third), {"text": "Wat kan er beter?", "follow_up": "y"}).status_code == 303
    row = question_row(app, third)
    assert (row["text"], row["follow_up"], row["choices"]) == ("Wat kan er beter?", False, [])


@pytest.mark.parametrize("fields, message", [
    ({"text": ""}, "Vul de vraag in."),
    ({"choices": "Alleen dit"}, "Zet minstens 2 antwoorden in de lijst, elk op een eigen regel."),
    ({"text": "x" * 501}, "Gebruik hoogstens 500 tekens."),
])
def test_invalid_edit_is_422_and_changes_nothing(app, draft_project, login_as, fields, message):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    first = question_ids(app, draft_project)[0]
    before = question_row(app, first)
    response = post(edit_url(draft_project, first), edit_data(**fields))
    assert response.status_code == 422
    assert title_of(response).startswith("Fout: Vraag 1 aanpassen")
    assert message in html_of(response)
    assert question_row(app, first) == before


def test_edit_check_button_shows_advice_and_saves_nothing(app, draft_project, login_as):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    first = question_ids(app, draft_project)[0]
    response = post(edit_url(draft_project, first), edit_data(text=OFFICIALESE, check="y"))
    assert response.status_code == 200
    assert "Schrijf &#39;maar&#39; in plaats van &#39;echter&#39;." in html_of(response)
    assert question_row(app, first)["text"] == "Hoe vaak komt u hier?"


def test_edit_without_changes_says_so_and_logs_nothing(app, draft_project, login_as):
    client, post = login_as("staf")
    add_three(post, draft_project)
    first = question_ids(app, draft_project)[0]
    data = edit_data()  # as add_three made it: not required, no special answers
    assert post(edit_url(draft_project, first), data).status_code == 303
    assert "Er was niets veranderd." in html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "question.update")).all() == []
        db.session.remove()


@pytest.mark.parametrize("user", ["anna", "petra"])
def test_interviewer_and_panel_may_not_edit(app, world, login_as, user):
    _staff, staff_post = login_as("staf")
    assert staff_post(f"/projects/{world.project_id}/questionnaire/new-draft").status_code == 303
    first = question_ids(app, world.project_id)[0]
    client, post = login_as(user)
    assert client.get(edit_url(world.project_id, first)).status_code == 403
    assert post(edit_url(world.project_id, first), edit_data(text="Stiekem?")).status_code == 403
    assert post(conditions_url(world.project_id, first), {"source": first, "values": "1"}).status_code == 403
    assert question_row(app, first)["text"] == "Hoe vaak komt u hier?"


def test_frozen_question_cannot_be_edited(app, world, login_as):
    client, post = login_as("staf")
    frozen = world.question_ids
    assert client.get(edit_url(world.project_id, frozen[0])).status_code == 409
    response = post(edit_url(world.project_id, frozen[0]), edit_data(text="Anders?"))
    assert response.status_code == 409
    assert "Dit kan nu niet" in html_of(response)
    assert post(conditions_url(world.project_id, frozen[2]), {"source": frozen[0], "values": "1"}).status_code == 409
    assert question_row(app, frozen[0])["text"] == "Hoe vaak komt u hier?"
    assert question_row(app, frozen[2])["conditions"] == []
    # No edit links on a frozen list.
    assert "/edit" not in html_of(client.get(f"/projects/{world.project_id}/questionnaire"))


def test_question_of_another_project_is_404(app, world, draft_project, login_as):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    first = question_ids(app, draft_project)[0]
    assert _client.get(edit_url(world.project_id, first)).status_code == 404


# --- show-if conditions -----------------------------------------------------------------------

def test_add_and_remove_a_condition(app, draft_project, login_as):
    client, post = login_as("dirk")
    add_three(post, draft_project)
    first, _second, third = question_ids(app, draft_project)
    page = html_of(client.get(edit_url(draft_project, third)))
    assert "Alleen vragen als het antwoord op vraag 1 is:" in page
    assert "Alleen vragen als het antwoord op vraag 2 is:" in page  # the scale is a choice question too

    response = post(conditions_url(draft_project, third), {"source": str(first), "values": ["1", "2"]})
    assert response.status_code == 303
    assert location_of(response) == f"{edit_url(draft_project, third)}#voorwaarden"
    assert question_row(app, third)["conditions"] == [("q1", ["1", "2"])]
    edit_page = plain_text(client.get(edit_url(draft_project, third)))
    assert "De voorwaarde is toegevoegd." in edit_page
    assert "Alleen als het antwoord op vraag 1 is: Elke dag of Soms" in edit_page
    listing = plain_text(client.get(f"/projects/{draft_project}/questionnaire"))
    assert "Alleen als het antwoord op vraag 1 is: Elke dag of Soms" in listing

    with app.app_context():
        condition_id = db.session.scalars(select(Condition.id)).one()
        assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("condition.%"))).all() == [
            "condition.create"]
        db.session.remove()
    response = post(f"/projects/{draft_project}/questionnaire/conditions/{condition_id}/delete")
    assert response.status_code == 303
    assert question_row(app, third)["conditions"] == []
    assert "De voorwaarde is weggehaald." in html_of(client.get(edit_url(draft_project, third)))


@pytest.mark.parametrize("which, values, message", [
    ("forward", ["1"], "Kies een vraag die eerder in de vragenlijst staat."),
    ("open", ["1"], "Kies een vraag met antwoorden om uit te kiezen."),
    ("first", ["9"], "Kies een of meer antwoorden van die vraag."),
    ("first", [], "Kies een of meer antwoorden van die vraag."),
    ("missing", ["1"], "Kies een vraag die eerder in de vragenlijst staat."),
])
def test_refused_conditions_are_422_with_a_b1_message(app, draft_project, login_as, which, values, message):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    assert add(post, draft_project, kind="open", text="Nog iets?").status_code == 303
    first, second, third, fourth = question_ids(app, draft_project)
    target, source = {"forward": (second, first), "open": (fourth, third), "first": (third, first),
                      "missing": (third, 999999)}[which]
    if which == "forward":
        target, source = first, second  # question 1 cannot depend on question 2
    response = post(conditions_url(draft_project, target), {"source": str(source), "values": values})
    assert response.status_code == 422
    assert title_of(response).startswith("Fout: ")
    assert "data-error-summary" in html_of(response)
    assert message in html_of(response)
    with app.app_context():
        assert db.session.scalars(select(Condition)).all() == []
        db.session.remove()


def test_answer_used_by_a_condition_cannot_be_removed(app, draft_project, login_as):
    _client, post = login_as("staf")
    add_three(post, draft_project)
    first, _second, third = question_ids(app, draft_project)
    assert post(conditions_url(draft_project, third), {"source": str(first), "values": ["2"]}).status_code == 303
    response = post(edit_url(draft_project, first), edit_data(choices="Elke dag\nNooit\nAltijd"))
    # "Soms" (2) went, and the 2nd line was reworded into "Nooit": that keeps value 2, so it is allowed.
    assert response.status_code == 303
    response = post(edit_url(draft_project, first), edit_data(choices="Elke dag"))
    assert response.status_code == 422
    assert "Zet minstens 2 antwoorden" in html_of(response)
    response = post(edit_url(draft_project, first), edit_data(choices="Altijd\nElke dag"))
    assert response.status_code == 422
    assert "Het antwoord &#39;Nooit&#39; staat in een voorwaarde bij een andere vraag." in html_of(response)
    assert question_row(app, first)["choices"] == [("1", "Elke dag"), ("2", "Nooit"), ("3", "Altijd")]


def test_new_draft_keeps_conditions(app, world, login_as):
    """Conditions made in the builder travel into the next draft."""
    _client, post = login_as("staf")
    assert post(f"/projects/{world.project_id}/questionnaire/new-draft").status_code == 303
    first, _second, third = question_ids(app, world.project_id)
    assert post(conditions_url(world.project_id, third), {"source": str(first), "values": ["1"]}).status_code == 303
    assert post(f"/projects/{world.project_id}/questionnaire/freeze", {"confirmed": "yes"}).status_code == 303
    assert post(f"/projects/{world.project_id}/questionnaire/new-draft").status_code == 303
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, world.project_id)).draft
        assert [(c.source.key, c.values) for c in draft.questions[2].conditions] == [("q1", ["1"])]
        db.session.remove()


def test_moving_a_question_above_its_condition_is_refused(app, draft_project, login_as):
    client, post = login_as("staf")
    add_three(post, draft_project)
    first, second, third = question_ids(app, draft_project)
    assert post(conditions_url(draft_project, second), {"source": str(first), "values": ["1"]}).status_code == 303
    move = f"/projects/{draft_project}/questionnaire/questions/{{}}/move"
    assert post(move.format(second), {"direction": "up"}).status_code == 303
    assert post(move.format(first), {"direction": "down"}).status_code == 303
    assert question_ids(app, draft_project) == [first, second, third]
    assert ("Dit kan niet: vraag 2 hangt af van het antwoord op vraag 1. Haal eerst de voorwaarde weg."
            in plain_text(client.get(f"/projects/{draft_project}/questionnaire")))
    # Moving the third question past the second is fine: they do not depend on each other.
    assert post(move.format(third), {"direction": "up"}).status_code == 303
    assert question_ids(app, draft_project) == [first, third, second]


def test_a_question_other_questions_depend_on_cannot_be_deleted(app, draft_project, login_as):
    client, post = login_as("staf")
    add_three(post, draft_project)
    first, second, third = question_ids(app, draft_project)
    assert post(conditions_url(draft_project, third), {"source": str(first), "values": ["1"]}).status_code == 303
    response = post(f"/projects/{draft_project}/questionnaire/questions/{first}/delete")
    assert response.status_code == 303
    assert location_of(response) == f"/projects/{draft_project}/questionnaire#vraag-{first}"
    assert ("Dit kan niet: vraag 3 hangt af van het antwoord op deze vraag. Haal eerst de voorwaarde weg."
            in plain_text(client.get(f"/projects/{draft_project}/questionnaire")))
    assert question_ids(app, draft_project) == [first, second, third]
    assert question_row(app, third)["conditions"] == [("q1", ["1"])]
    # The dependent question itself may go, and its condition with it.
    assert post(f"/projects/{draft_project}/questionnaire/questions/{third}/delete").status_code == 303
    assert post(f"/projects/{draft_project}/questionnaire/questions/{first}/delete").status_code == 303
    assert question_ids(app, draft_project) == [second]


def _edit_form_as_sent(client, project_id, question_id) -> dict:
    """The edit form's fields as a browser sends them (ticked boxes only, no token)."""
    page = html_of(client.get(edit_url(project_id, question_id)))
    form = re.search(r'<form[^>]*action="%s"[^>]*>(.*?)</form>' % re.escape(edit_url(project_id, question_id)),
                     page, re.S).group(1)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrf_token" or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        data[name.group(1)] = value.group(1) if value else "y"
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = text.removeprefix("\n").replace("&#39;", "'").replace("&quot;", '"')
    assert data.get("seen"), "the page says how the question looked"
    return data


def test_two_editors_of_one_question_never_overwrite_each_other(app, draft_project, login_as):
    """Staff and a designer open the same draft question. Staff save a new help text; the
    designer, from the older page, changes the question text only: both changes stay. Both
    change the question text: the second gets 409, their text kept in the box, the other's
    text at the top, nothing overwritten; saving from that page then stores theirs."""
    staf, staf_post = login_as("staf")
    dirk, dirk_post = login_as("dirk")
    add_three(staf_post, draft_project)
    first = question_ids(app, draft_project)[0]
    url = edit_url(draft_project, first)
    mine, his = _edit_form_as_sent(staf, draft_project, first), _edit_form_as_sent(dirk, draft_project, first)
    assert staf_post(url, {**mine, "help_text": "Noem een voorbeeld."}).status_code == 303
    assert dirk_post(url, {**his, "text": "Hoe vaak ben je hier?"}).status_code == 303
    row = question_row(app, first)
    assert (row["text"], row["help_text"]) == ("Hoe vaak ben je hier?", "Noem een voorbeeld.")

    mine, his = _edit_form_as_sent(staf, draft_project, first), _edit_form_as_sent(dirk, draft_project, first)
    assert staf_post(url, {**mine, "text": "Hoe vaak kom je hier?"}).status_code == 303
    refused = dirk_post(url, {**his, "text": "Hoe vaak ben je in de opvang?", "help_text": "Tel de dagen."})
    assert refused.status_code == 409
    page = html_of(refused)
    assert "Iemand anders heeft deze vraag net veranderd." in plain_text(refused)
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*Hoe vaak ben je in de opvang\?</textarea>', page)
    assert re.search(r'<textarea[^>]*name="help_text"[^>]*>\s*Tel de dagen.</textarea>', page)
    assert "Hoe vaak kom je hier?" in plain_text(refused)
    row = question_row(app, first)
    assert (row["text"], row["help_text"]) == ("Hoe vaak kom je hier?", "Noem een voorbeeld.")
    seen = re.search(r'name="seen"[^>]*value="([^"]+)"', page).group(1)
    assert dirk_post(url, {**his, "seen": seen, "text": "Hoe vaak ben je in de opvang?",
                           "help_text": "Tel de dagen."}).status_code == 303
    row = question_row(app, first)
    assert (row["text"], row["help_text"]) == ("Hoe vaak ben je in de opvang?", "Tel de dagen.")
