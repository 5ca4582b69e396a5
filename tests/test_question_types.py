"""Every question type through HTTP: the builder (add, edit, refuse), translations and sections,
the interview (plain POST and htmx autosave, skip logic on multiple choice, English with a
Dutch fallback), the offline sync of the new answer encodings, and pooled results."""
import re

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import (add_condition, add_question, freeze_version, new_draft,
                                           questionnaire_of)
from peerinterview.extensions import db
from peerinterview.interview.encoding import encode_multi, parse_number, value_is_valid
from peerinterview.models import Answer, Condition, Project, Question

from .builders import answers_of, html_of, make_completed, plain_text, start_interview_http

HTMX = {"HX-Request": "true"}


# --------------------------------------------------------------------------------------------
# Fixtures

@pytest.fixture
def types_version(app, world):
    """Version 2 of the world's questionnaire, frozen, with every new type and two sections:

    1 single, 2 scale5, 3 open (from version 1), 4 info (starts section "Over het eten"),
    5 multi (required; Brood=1, Soep=2, Fruit=3), 6 number 16..110, 7 yesno,
    8 scale3 (only if 5 holds Soep), 9 open (starts section "Tot slot").
    Question 5 has an English text and English answers; 6 only an English text.
    Returns {position: question id}."""
    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, world.project_id)
        draft = new_draft(questionnaire_of(project), by=staff)
        add_question(draft, kind="info", text="Nu gaan we praten over het eten.", section_title="Over het eten",
                     help_text="Zeg dat stoppen mag.", by=staff)
        multi = add_question(draft, kind="multi", text="Wat eet u graag?", required=True,
                             choice_labels=["Brood", "Soep", "Fruit"],
                             translations={"en": {"text": "What do you like to eat?"}},
                             choice_translations={"en": ["Bread", "Soup", "Fruit"]}, by=staff)
        add_question(draft, kind="number", text="Hoe oud bent u?", min_value=16, max_value=110,
                     translations={"en": {"text": "How old are you?"}}, by=staff)
        add_question(draft, kind="yesno", text="Komt u morgen weer?", by=staff)
        soup = add_question(draft, kind="scale3", text="Hoe is de soep?", by=staff)
        add_condition(soup, multi, ["2"], by=staff)
        add_question(draft, kind="open", text="Wilt u nog iets zeggen?", section_title="Tot slot", by=staff)
        freeze_version(draft, by=staff)
        db.session.commit()
        ids = {q.position: q.id for q in draft.questions}
        db.session.remove()
    return ids


@pytest.fixture
def interview_id(world, types_version, anna):
    client, post = anna
    return start_interview_http(client, post, world.project_id, world.location_ids[0])


def q_url(interview_id, number):
    return f"/interviews/{interview_id}/questions/{number}"


def answer_row(app, interview_id, question_id):
    return next((a for a in answers_of(app, interview_id) if a.question_id == question_id), None)


def draft_questions(app, project_id):
    with app.app_context():
        project = db.session.get(Project, project_id)
        questions = [(q.kind, q.text, q.section_title, q.min_value, q.max_value, q.required,
                      q.allow_dont_know, q.allow_refuse, q.follow_up,
                      [(c.value, c.label, c.translations) for c in q.choices], q.translations, q.id)
                     for q in questionnaire_of(project).draft.questions]
        db.session.remove()
    return questions


# --------------------------------------------------------------------------------------------
# The builder

def add_url(project_id):
    return f"/projects/{project_id}/questionnaire/questions"


def test_every_type_can_be_added_with_its_own_fields(app, draft_project, login_as):
    _client, post = login_as("dirk")
    forms = [
        {"kind": "single", "text": "Hoe komt u hier?", "choices": "Lopend\nMet de bus", "section_title": "Reizen"},
        {"kind": "multi", "text": "Wat doet u hier?", "choices": "Eten\nDouchen\nPraten", "required": "y",
         "follow_up": "y"},
        {"kind": "scale3", "text": "Hoe is het hier?"},
        {"kind": "scale5", "text": "Hoe voelt u zich?"},
        {"kind": "yesno", "text": "Komt u graag?", "allow_dont_know": "y"},
        {"kind": "number", "text": "Hoe oud bent u?", "min_value": "16", "max_value": "110",
         "choices": "wordt genegeerd"},
        {"kind": "open", "text": "Wat kan beter?"},
        {"kind": "info", "text": "Nu komt een nieuw deel.", "required": "y", "allow_dont_know": "y",
         "follow_up": "y", "section_title": "Tot slot"},
    ]
    for form in forms:
        response = post(add_url(draft_project), form)
        assert response.status_code == 303, plain_text(response)[:800]
    rows = draft_questions(app, draft_project)
    assert [r[0] for r in rows] == ["single", "multi", "scale3", "scale5", "yesno", "number", "open", "info"]
    single, multi, scale3, scale5, yesno, number, open_, info = rows
    assert single[2] == "Reizen" and [c[1] for c in single[9]] == ["Lopend", "Met de bus"]
    assert [c[:2] for c in multi[9]] == [("1", "Eten"), ("2", "Douchen"), ("3", "Praten")]
    assert multi[5] is True and multi[8] is True  # required, follow-up
    assert [(c[0], c[1], c[2]) for c in scale3[9]] == [
        ("1", "Slecht", {"en": "Bad"}), ("2", "Niet goed, niet slecht", {"en": "Not good, not bad"}),
        ("3", "Goed", {"en": "Good"})]
    assert len(scale5[9]) == 5
    assert [(c[0], c[1], c[2]) for c in yesno[9]] == [("1", "Ja", {"en": "Yes"}), ("2", "Nee", {"en": "No"})]
    assert (number[3], number[4], number[9]) == (16, 110, [])
    assert open_[9] == [] and open_[3] is None
    # An information screen takes no answer: no "verplicht", no special answers, no follow-up.
    assert info[2] == "Tot slot" and info[5:9] == (False, False, False, False)


def test_builder_refuses_bad_lists_and_ranges_in_b1(app, draft_project, login_as):
    _client, post = login_as("dirk")
    response = post(add_url(draft_project), {"kind": "multi", "text": "Wat doet u hier?", "choices": "Eten"})
    assert response.status_code == 422
    assert "Zet minstens 2 antwoorden in de lijst, elk op een eigen regel." in plain_text(response)
    response = post(add_url(draft_project), {"kind": "number", "text": "Hoe oud?", "min_value": "50",
                                             "max_value": "10"})
    assert response.status_code == 422
    assert "Het grootste getal moet groter zijn dan het kleinste getal." in plain_text(response)
    response = post(add_url(draft_project), {"kind": "number", "text": "Hoe oud?", "min_value": "tien"})
    assert response.status_code == 422
    assert draft_questions(app, draft_project) == []


def test_list_shows_sections_ranges_and_missing_translations(app, draft_project, login_as):
    client, post = login_as("dirk")
    post(add_url(draft_project), {"kind": "number", "text": "Hoe oud bent u?", "min_value": "16",
                                  "max_value": "110", "section_title": "Over u"})
    post(add_url(draft_project), {"kind": "yesno", "text": "Komt u graag?"})
    text = plain_text(client.get(f"/projects/{draft_project}/questionnaire"))
    assert "Nieuw deel: Over u" in text
    assert "Getal: bijvoorbeeld een leeftijd of een aantal · van 16 tot en met 110" in text
    assert text.count("Vertaling ontbreekt: Engels") == 2
    assert 'class="translation-missing"' in html_of(client.get(f"/projects/{draft_project}/questionnaire"))


def test_english_texts_and_answers_are_edited_and_the_marker_goes_away(app, draft_project, login_as):
    client, post = login_as("dirk")
    post(add_url(draft_project), {"kind": "multi", "text": "Wat doet u hier?", "help_text": "Lees alles voor.",
                                  "choices": "Eten\nDouchen", "section_title": "Hier"})
    qid = draft_questions(app, draft_project)[0][11]
    edit = f"/projects/{draft_project}/questionnaire/questions/{qid}/edit"
    page = client.get(edit)
    assert page.status_code == 200
    assert "Vertaling: Engels" in plain_text(page)
    assert 'lang="en"' in html_of(page)
    base = {"text": "Wat doet u hier?", "help_text": "Lees alles voor.", "choices": "Eten\nDouchen",
            "section_title": "Hier", "allow_dont_know": "y", "allow_refuse": "y"}
    # More English answers than answers: refused in B1, nothing changes.
    response = post(edit, {**base, "text_en": "What do you do here?", "choices_en": "Food\nShower\nTalk"})
    assert response.status_code == 422
    assert "Er staan meer regels dan antwoorden. Zet per antwoord één regel." in plain_text(response)
    # Half a translation: saved, still marked.
    assert post(edit, {**base, "text_en": "What do you do here?", "choices_en": "Food"}).status_code == 303
    row = draft_questions(app, draft_project)[0]
    assert row[10] == {"en": {"text": "What do you do here?"}}
    assert [c[2] for c in row[9]] == [{"en": "Food"}, {}]
    assert "Vertaling ontbreekt: Engels" in plain_text(client.get(f"/projects/{draft_project}/questionnaire"))
    # Complete: the marker is gone.
    response = post(edit, {**base, "text_en": "What do you do here?", "help_text_en": "Read all aloud.",
                           "section_title_en": "Here", "choices_en": "Food\nShower"})
    assert response.status_code == 303
    row = draft_questions(app, draft_project)[0]
    assert row[10] == {"en": {"text": "What do you do here?", "help_text": "Read all aloud.", "section_title": "Here"}}
    assert [c[2] for c in row[9]] == [{"en": "Food"}, {"en": "Shower"}]
    assert "Vertaling ontbreekt" not in plain_text(client.get(f"/projects/{draft_project}/questionnaire"))


def test_number_range_is_edited_and_info_has_no_answer_options(app, draft_project, login_as):
    client, post = login_as("dirk")
    post(add_url(draft_project), {"kind": "number", "text": "Hoeveel kinderen heeft u?"})
    post(add_url(draft_project), {"kind": "info", "text": "Dank u wel tot nu toe."})
    number_id, info_id = [r[11] for r in draft_questions(app, draft_project)]
    edit = f"/projects/{draft_project}/questionnaire/questions/{number_id}/edit"
    response = post(edit, {"text": "Hoeveel kinderen heeft u?", "min_value": "0", "max_value": "-1"})
    assert response.status_code == 422
    assert "Het grootste getal moet groter zijn dan het kleinste getal." in plain_text(response)
    assert post(edit, {"text": "Hoeveel kinderen heeft u?", "min_value": "0", "max_value": "20"}).status_code == 303
    assert draft_questions(app, draft_project)[0][3:5] == (0, 20)
    page = client.get(f"/projects/{draft_project}/questionnaire/questions/{info_id}/edit")
    text = plain_text(page)
    assert "De interviewer leest deze tekst voor. Er komt geen antwoord." in text
    assert "Een antwoord is verplicht" not in text and "Weet ik niet" not in text


def test_conditions_on_multi_are_kept_and_forward_or_number_sources_refused(app, draft_project, login_as):
    client, post = login_as("dirk")
    post(add_url(draft_project), {"kind": "multi", "text": "Wat doet u hier?", "choices": "Eten\nDouchen"})
    post(add_url(draft_project), {"kind": "number", "text": "Hoe oud bent u?"})
    post(add_url(draft_project), {"kind": "open", "text": "Wat vindt u van het eten?"})
    multi_id, number_id, open_id = [r[11] for r in draft_questions(app, draft_project)]
    url = f"/projects/{draft_project}/questionnaire/questions/{open_id}/conditions"
    page = client.get(f"/projects/{draft_project}/questionnaire/questions/{open_id}/edit")
    # Only choice questions are offered as a source.
    assert "Wat doet u hier?" in plain_text(page) and f'name="source" value="{number_id}"' not in html_of(page)
    response = post(url, {"source": str(number_id), "values": ["1"]})
    assert response.status_code == 422
    assert "Kies een vraag met antwoorden om uit te kiezen." in plain_text(response)
    forward = f"/projects/{draft_project}/questionnaire/questions/{multi_id}/conditions"
    response = post(forward, {"source": str(open_id), "values": ["1"]})
    assert response.status_code == 422
    assert "Kies een vraag die eerder in de vragenlijst staat." in plain_text(response)
    assert post(url, {"source": str(multi_id), "values": ["1"]}).status_code == 303
    with app.app_context():
        condition = db.session.scalars(select(Condition)).one()
        assert (condition.question_id, condition.source_question_id, condition.values) == (open_id, multi_id, ["1"])
        db.session.remove()
    assert "Alleen als het antwoord op vraag 1 is: Eten" in plain_text(
        client.get(f"/projects/{draft_project}/questionnaire"))


def test_a_new_draft_keeps_every_new_field(app, world, types_version):
    with app.app_context():
        staff = find_user("staf")
        project = db.session.get(Project, world.project_id)
        draft = new_draft(questionnaire_of(project), by=staff)
        db.session.commit()
        multi, number = draft.questions[4], draft.questions[5]
        assert (multi.kind, multi.translations, [c.translations for c in multi.choices]) == (
            "multi", {"en": {"text": "What do you like to eat?"}}, [{"en": "Bread"}, {"en": "Soup"}, {"en": "Fruit"}])
        assert (number.min_value, number.max_value) == (16, 110)
        assert draft.questions[3].section_title == "Over het eten"
        db.session.remove()


# --------------------------------------------------------------------------------------------
# The interview

def test_info_screen_shows_text_and_volgende_and_stores_nothing(app, interview_id, types_version, anna):
    client, post = anna
    page = client.get(q_url(interview_id, 4))
    text = plain_text(page)
    assert page.status_code == 200
    assert "Nu gaan we praten over het eten." in text and "Volgende" in text
    assert "Deel: Over het eten" in text
    assert 'type="radio"' not in html_of(page) and "<textarea" not in html_of(page)
    response = post(q_url(interview_id, 4), {"action": "next"})
    assert response.headers["Location"].endswith(q_url(interview_id, 5))
    assert answer_row(app, interview_id, types_version[4]) is None


def test_multi_by_plain_post_keeps_choice_order_and_comes_back_ticked(app, interview_id, types_version, anna):
    client, post = anna
    page = client.get(q_url(interview_id, 5))
    html = html_of(page)
    assert html.count('type="checkbox"') == 3
    assert "Kies alles wat past." in plain_text(page)
    assert "Deel: Over het eten" in plain_text(page)
    response = post(q_url(interview_id, 5), {"answer": ["3", "1"], "action": "next"})
    assert response.status_code == 303
    assert answer_row(app, interview_id, types_version[5]).value == "1,3"
    html = html_of(client.get(q_url(interview_id, 5)))
    assert re.search(r'checked[^>]*value="1"|value="1"[^>]*checked', html)
    assert re.search(r'checked[^>]*value="3"|value="3"[^>]*checked', html)
    assert not re.search(r'checked[^>]*value="2"|value="2"[^>]*checked', html)


def test_multi_required_unknown_value_and_special_with_ticks_are_refused(app, interview_id, types_version, anna):
    _client, post = anna
    response = post(q_url(interview_id, 5), {"action": "next"})
    assert response.status_code == 422
    assert "Vink een of meer antwoorden aan. Of kies een knop hieronder." in plain_text(response)
    response = post(q_url(interview_id, 5), {"answer": ["9"], "action": "next"})
    assert response.status_code == 422
    # Ticks and "Weet ik niet" chosen together on a fresh page: the real answer stays.
    response = post(q_url(interview_id, 5), {"answer": ["1"], "special": "special:dont_know", "action": "save"})
    assert response.status_code == 303
    row = answer_row(app, interview_id, types_version[5])
    assert (row.value, row.special) == ("1", None)
    response = post(q_url(interview_id, 5), {"special": "special:refuse", "action": "next"})
    assert response.status_code == 303
    row = answer_row(app, interview_id, types_version[5])
    assert (row.value, row.special) == (None, "refuse")


def test_multi_and_number_autosave_by_htmx(app, interview_id, types_version, anna):
    _client, post = anna
    response = post(q_url(interview_id, 5), {"answer": ["2"], "action": "save"}, headers=HTMX)
    assert response.status_code == 200 and "Opgeslagen" in html_of(response)
    assert "<html" not in html_of(response)
    assert answer_row(app, interview_id, types_version[5]).value == "2"
    # Unticking everything clears the answer.
    response = post(q_url(interview_id, 5), {"action": "save"}, headers=HTMX)
    assert response.status_code == 200
    assert answer_row(app, interview_id, types_version[5]).value is None
    response = post(q_url(interview_id, 6), {"number": " 42 ", "action": "save"}, headers=HTMX)
    assert response.status_code == 200 and "Opgeslagen" in html_of(response)
    assert answer_row(app, interview_id, types_version[6]).value == "42"
    response = post(q_url(interview_id, 6), {"number": "500", "action": "save"}, headers=HTMX)
    assert response.status_code == 422 and "Niet opgeslagen" in html_of(response)
    assert answer_row(app, interview_id, types_version[6]).value == "42"


def test_number_is_checked_in_b1_and_stored_as_a_whole_number(app, interview_id, types_version, anna):
    client, post = anna
    page = client.get(q_url(interview_id, 6))
    html = html_of(page)
    assert 'inputmode="numeric"' in html and 'min="16"' in html and 'max="110"' in html
    assert "Typ een getal van 16 tot en met 110." in plain_text(page)
    response = post(q_url(interview_id, 6), {"number": "twaalf", "action": "next"})
    assert response.status_code == 422
    assert "Typ een heel getal, met alleen cijfers. Bijvoorbeeld: 12." in plain_text(response)
    assert 'aria-invalid="true"' in html_of(response)
    response = post(q_url(interview_id, 6), {"number": "12", "action": "next"})
    assert response.status_code == 422
    assert "Typ een getal van 16 tot en met 110." in plain_text(response)
    # A number typed with "Weet ik niet" chosen (nothing stored yet): the number is the answer.
    response = post(q_url(interview_id, 6), {"number": "31", "special": "special:dont_know", "action": "next"})
    assert response.status_code == 303
    assert answer_row(app, interview_id, types_version[6]).value == "31"
    response = post(q_url(interview_id, 6), {"number": "+030", "action": "next"})
    assert response.status_code == 303
    assert answer_row(app, interview_id, types_version[6]).value == "30"
    assert 'value="30"' in html_of(client.get(q_url(interview_id, 6)))
    response = post(q_url(interview_id, 6), {"number": "", "special": "special:dont_know", "action": "next"})
    assert response.status_code == 303
    row = answer_row(app, interview_id, types_version[6])
    assert (row.value, row.special) == (None, "dont_know")


def test_yesno_and_scale3_are_radio_buttons_with_words(app, interview_id, types_version, anna):
    client, post = anna
    page = client.get(q_url(interview_id, 7))
    assert "Ja" in plain_text(page) and "Nee" in plain_text(page)
    assert post(q_url(interview_id, 7), {"answer": "2", "action": "next"}).status_code == 303
    assert answer_row(app, interview_id, types_version[7]).value == "2"
    post(q_url(interview_id, 5), {"answer": ["2"], "action": "next"})
    page = client.get(q_url(interview_id, 8))
    assert page.status_code == 200
    text = plain_text(page)
    assert "Slecht" in text and "Niet goed, niet slecht" in text and "Goed" in text
    assert html_of(page).count('class="smiley ') == 3
    assert post(q_url(interview_id, 8), {"answer": "3", "action": "next"}).status_code == 303


def test_show_if_on_multi_holds_when_any_chosen_answer_matches(app, interview_id, types_version, anna):
    client, post = anna
    # Soep (2) among the chosen answers: question 8 is asked after 7.
    post(q_url(interview_id, 5), {"answer": ["1", "2"], "action": "next"})
    response = post(q_url(interview_id, 7), {"answer": "1", "action": "next"})
    assert response.headers["Location"].endswith(q_url(interview_id, 8))
    # Without Soep it is skipped.
    post(q_url(interview_id, 5), {"answer": ["1", "3"], "action": "next"})
    response = post(q_url(interview_id, 7), {"answer": "1", "action": "next"})
    assert response.headers["Location"].endswith(q_url(interview_id, 9))
    assert client.get(q_url(interview_id, 8)).status_code == 303


def test_overview_groups_by_section_and_finishing_stores_no_info_row(app, interview_id, types_version, anna):
    client, post = anna
    post(q_url(interview_id, 1), {"answer": "1", "action": "next"})
    post(q_url(interview_id, 5), {"answer": ["1", "3"], "action": "next"})
    post(q_url(interview_id, 6), {"number": "40", "action": "next"})
    page = client.get(f"/interviews/{interview_id}/overview")
    text = plain_text(page)
    assert re.search(r'<h2 class="section-heading"[^>]*>Over het eten</h2>', html_of(page))
    assert re.search(r'<h2 class="section-heading"[^>]*>Tot slot</h2>', html_of(page))
    assert "Nu gaan we praten over het eten." not in text  # the info screen has no answer to check
    assert "Wat eet u graag? Brood Fruit" in text
    assert "Hoe oud bent u? 40" in text
    assert text.index("Over het eten") < text.index("Wat eet u graag?") < text.index("Tot slot")
    response = post(f"/interviews/{interview_id}/overview")
    assert response.status_code == 303, plain_text(response)[:500]
    rows = {a.question_id: a for a in answers_of(app, interview_id)}
    assert types_version[4] not in rows  # never a row for the information screen
    assert rows[types_version[8]].asked is False  # hidden by the multi answer (no Soep)


def test_english_interview_shows_translations_and_marks_dutch_fallback(app, world, types_version, anna):
    client, post = anna
    page = client.get(f"/projects/{world.project_id}/interviews/new")
    from .builders import hidden_value
    interview_id = hidden_value(page, "interview_id")
    response = post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": interview_id, "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
        "location_id": str(world.location_ids[0]), "consent": "y", "consent_data": "y", "language": "en",
        "consent_method": "interviewer_tablet"})
    assert response.status_code == 303
    html = html_of(client.get(q_url(interview_id, 5)))
    assert re.search(r'lang="en"[^>]*>What do you like to eat\?', html)
    assert re.search(r'lang="en"[^>]*>Soup<', html)
    assert 'data-read-lang="en"' in html  # read aloud in an English voice
    html = html_of(client.get(q_url(interview_id, 7)))
    # No English text: the whole question in Dutch (its answers too), marked as Dutch.
    assert re.search(r'lang="nl"[^>]*>Komt u morgen weer\?', html)
    assert re.search(r'lang="nl"[^>]*>Ja<', html) and ">Yes<" not in html
    assert 'data-read-lang="nl"' in html
    page = client.get(q_url(interview_id, 6))
    assert "Type a number" in plain_text(page) or "Typ een getal" in plain_text(page)


def test_practice_runs_the_new_types_without_storing(app, world, types_version, anna):
    client, post = anna
    page = client.get(f"/projects/{world.project_id}/practice")
    from .builders import hidden_value
    response = post(f"/projects/{world.project_id}/practice", {
        "interview_id": hidden_value(page, "interview_id"), "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"),
        "location_id": str(world.location_ids[0]), "consent": "y", "consent_data": "y", "language": "nl",
        "consent_method": "interviewer_tablet"})
    assert response.status_code == 303
    base = f"/projects/{world.project_id}/practice/questions/"
    assert post(base + "4", {"action": "next"}).headers["Location"].endswith(base + "5")
    assert post(base + "5", {"answer": ["2", "3"], "action": "next"}).status_code == 303
    assert post(base + "6", {"number": "7", "action": "next"}).status_code == 422
    assert post(base + "6", {"number": "70", "action": "next"}).status_code == 303
    text = plain_text(client.get(f"/projects/{world.project_id}/practice/overview"))
    assert "Wat eet u graag? Soep Fruit" in text and "Hoe oud bent u? 70" in text
    with app.app_context():
        assert db.session.scalars(select(Answer)).first() is None
        db.session.remove()


# --------------------------------------------------------------------------------------------
# The encodings and the offline sync

def test_encoding_rules(app, types_version):
    with app.app_context():
        multi = db.session.get(Question, types_version[5])
        number = db.session.get(Question, types_version[6])
        assert encode_multi(multi, ["3", "1", "3"]) == "1,3" and encode_multi(multi, []) is None
        assert value_is_valid(multi, "1,3") and not value_is_valid(multi, "3,1")
        assert not value_is_valid(multi, "1,1") and not value_is_valid(multi, "4") and not value_is_valid(multi, "")
        assert parse_number(number, "16") == (16, None) and parse_number(number, "") == (None, None)
        assert parse_number(number, "15")[1] and parse_number(number, "1e3")[1] and parse_number(number, "3.5")[1]
        assert value_is_valid(number, "110") and not value_is_valid(number, "0110") and not value_is_valid(number, "111")
        db.session.remove()


def test_sync_accepts_and_validates_the_new_encodings(app, world, types_version, anna, interview_id):
    from .test_sync import Tablet, answer, now_ms

    client, _post = anna
    tablet = Tablet(client, world.project_id)

    def item(position, given):
        return tablet.envelope(interview_id, types_version[position], now_ms(), given)

    ok = tablet.sync(interview_id, [item(5, answer(value="1,3")), item(6, answer(value="42")), item(4, answer())])
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert len(ok.get_json()["acked"]) == 3
    rows = {a.question_id: a for a in answers_of(app, interview_id)}
    assert rows[types_version[5]].value == "1,3" and rows[types_version[6]].value == "42"
    assert types_version[4] not in rows
    for position, bad in ((5, answer(value="3,1")), (5, answer(value="1,9")), (6, answer(value="12")),
                          (6, answer(value="4x")), (6, answer(text="veertig")), (4, answer(value="1")),
                          (7, answer(value="3")), (5, answer(value="1", special="dont_know"))):
        response = tablet.sync(interview_id, [item(position, bad)])
        assert response.status_code == 400, (position, bad)


# --------------------------------------------------------------------------------------------
# Results

def part_of(text, question, next_question=None):
    """One question's part of the results page text: from its numbered heading to the next (the
    clearest results and the question index above name the questions without a number)."""
    start = re.search(r"\d+\. " + re.escape(question), text).start()
    end = re.search(r"\d+\. " + re.escape(next_question), text[start:]).start() + start if next_question else len(text)
    return text[start:end]


def results_text(client, project_id):
    response = client.get(f"/projects/{project_id}/results")
    assert response.status_code == 200
    return plain_text(response)


def q(app, types_version, position):
    with app.app_context():
        key = db.session.get(Question, types_version[position]).key
        db.session.remove()
    return key


def test_multi_results_count_each_answer_out_of_the_people_asked(app, world, types_version, login_as):
    k5, k7 = q(app, types_version, 5), q(app, types_version, 7)
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", k5: "1,2", k7: "1"}] * 6 + [{"q1": "1", k5: "1", k7: "2"}] * 6
                   + [{"q1": "1", k5: "1,2,3", k7: "1"}] * 2 + [{"q1": "1", k5: "special:dont_know"}] * 6,
                   version_id=_version_id(app, types_version))
    client, _ = login_as("petra")
    text = results_text(client, world.project_id)
    part = part_of(text, "Wat eet u graag?", "Hoe oud bent u?")
    assert "20 mensen kregen deze vraag." in part
    assert "14 van de 20 mensen kozen onder andere: Brood (70%)" in part
    assert "8 van de 20 mensen kozen onder andere: Soep (40%)" in part
    # 2 people chose Fruit: a small group, hidden.
    assert "Fruit: niet getoond" in part
    assert re.search(r"6 van de 20 mensen kozen[a-z ]*: Weet ik niet \(30%\)", part), part
    yesno = part_of(text, "Komt u morgen weer?")
    assert "8 van de 20 mensen kozen: Ja (40%)" in yesno and "6 van de 20 mensen kozen: Nee (30%)" in yesno
    assert "Nu gaan we praten over het eten." not in text  # info screens have no results


def test_number_results_show_summary_only_for_enough_people(app, world, types_version, login_as):
    k6 = q(app, types_version, 6)
    version_id = _version_id(app, types_version)
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", k6: str(age)} for age in (20, 30, 40, 50)], version_id=version_id)
    client, _ = login_as("petra")
    part = part_of(results_text(client, world.project_id), "Hoe oud bent u?")
    assert "Er zijn nog te weinig interviews klaar" in part and "Gemiddelde" not in part
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", k6: str(age)} for age in (60, 70)] + [{"q1": "1"}] * 5, version_id=version_id)
    part = part_of(results_text(client, world.project_id), "Hoe oud bent u?", "Komt u morgen weer?")
    assert "Mensen die een getal noemden 6 van de 11" in part
    assert "Kleinste getal 20" in part and "Grootste getal 70" in part
    assert "Gemiddelde 45,0" in part and "Getal in het midden 45 Zet alle getallen op een rij" in part
    assert "5 van de 11 mensen gaven geen antwoord" in part


def test_a_number_summary_hidden_to_protect_others_says_so_truthfully(app, world, types_version, login_as):
    """Six people gave a number and two said "weet ik niet": the six are hidden to protect the
    two (else 8 - 6 = 2). The page must not claim that too few people gave a number."""
    k6 = q(app, types_version, 6)
    make_completed(app, world.project_id, "anna",
                   [{"q1": "1", k6: str(age)} for age in (20, 30, 40, 50, 60, 70)]
                   + [{"q1": "1", k6: "special:dont_know"}] * 2, version_id=_version_id(app, types_version))
    client, _ = login_as("petra")
    part = part_of(results_text(client, world.project_id), "Hoe oud bent u?", "Komt u morgen weer?")
    assert "Hoeveel mensen een getal noemden: niet getoond." in part
    assert "Weet ik niet: niet getoond." in part
    assert "Te weinig mensen" not in part and "Gemiddelde" not in part
    assert not re.search(r"\b[26] van de 8", part)


def _version_id(app, types_version):
    with app.app_context():
        version_id = db.session.get(Question, types_version[5]).version_id
        db.session.remove()
    return version_id


def test_edit_opens_inline_with_htmx_and_its_ids_do_not_clash(app, draft_project, login_as):
    client, post = login_as("dirk")
    post(add_url(draft_project), {"kind": "single", "text": "Hoe komt u hier?", "choices": "Lopend\nMet de bus"})
    qid = draft_questions(app, draft_project)[0][11]
    list_page = html_of(client.get(f"/projects/{draft_project}/questionnaire"))
    assert f'hx-get="/projects/{draft_project}/questionnaire/questions/{qid}/edit"' in list_page
    response = client.get(f"/projects/{draft_project}/questionnaire/questions/{qid}/edit", headers=HTMX)
    html = html_of(response)
    assert response.status_code == 200 and "<html" not in html
    assert 'class="narrow inline-edit"' in html and "Vraag 1 aanpassen" in html and "Annuleren" in html
    assert f'id="edit-{qid}-text"' in html and f'for="edit-{qid}-text"' in html and 'name="text"' in html
    assert 'id="text"' not in html
    assert "Lopend\nMet de bus" in html


def test_preview_shows_the_interview_screen_in_each_language_and_stores_nothing(app, world, types_version,
                                                                                 login_as):
    client, post = login_as("dirk")
    url = f"/projects/{world.project_id}/questionnaire/preview/{types_version[5]}"
    page = client.get(url)
    text = plain_text(page)
    assert page.status_code == 200
    assert "Voorbeeld – zo ziet de interviewer deze vraag. We bewaren niets." in text
    assert "Wat eet u graag?" in text and html_of(page).count('type="checkbox"') == 3
    assert "Deel: Over het eten" in text and "Bekijk in het Engels" in text
    english = html_of(client.get(url + "?lang=en"))
    assert re.search(r'lang="en"[^>]*>What do you like to eat\?', english)
    assert 'aria-current="page"' in english
    # The buttons walk the list; a wrong answer shows the interview's own error; nothing is stored.
    response = post(url, {"answer": ["1"], "action": "next"})
    assert response.headers["Location"].endswith(f"/preview/{types_version[6]}?lang=nl")
    response = post(f"/projects/{world.project_id}/questionnaire/preview/{types_version[6]}",
                    {"number": "3", "action": "next"})
    assert response.status_code == 422 and "Typ een getal van 16 tot en met 110." in plain_text(response)
    with app.app_context():
        assert db.session.scalars(select(Answer)).first() is None
        db.session.remove()
    assert login_as("anna")[0].get(url).status_code == 403
