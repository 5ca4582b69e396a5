"""Hard words explained ("Wat betekent dit?"): designers add, change and remove the explanation of
a word in a draft question; the B1 advice offers it for the hard words it finds; the tablet shows
the word as a button with the explanation under the question (also in its offline copy); new
versions, exports and copies keep them; "Voorlezen" is on every page a client uses."""
import json
import re

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import freeze_version, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import AuditEvent, Project, Question

from .builders import demo_login, html_of, location_of, plain_text, start_interview_http, title_of
from .test_design import add, question_ids

HX = {"HX-Request": "true"}
OFFLINE_COPY = {"X-PeerInterview-Offline-Copy": "1"}
HARD = "Heeft u een indicatie voor beschermd wonen?"
EXPLANATION = "Een indicatie is een brief. Daarin staat welke hulp u krijgt."


def words_url(project_id, question_id, what=""):
    return f"/projects/{project_id}/questionnaire/questions/{question_id}/words{what}"


def edit_url(project_id, question_id):
    return f"/projects/{project_id}/questionnaire/questions/{question_id}/edit"


def explanations_of(app, question_id):
    with app.app_context():
        found = dict(db.session.get(Question, question_id).word_explanations or {})
        db.session.remove()
    return found


def audit_actions(app):
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.action, AuditEvent.detail)
                                  .where(AuditEvent.action.like("question.word%")).order_by(AuditEvent.id)).all()
        db.session.remove()
    return [(action, detail) for action, detail in rows]


@pytest.fixture
def hard_question(draft_project, login_as):
    """dirk (designer) and a draft question with a hard word: (post, client, question id)."""
    client, post = login_as("dirk")
    assert add(post, draft_project, kind="yesno", text=HARD).status_code == 303
    return client, post, question_ids(client.application, draft_project)[0]


def test_a_designer_adds_changes_and_removes_an_explanation(app, draft_project, hard_question):
    client, post, question_id = hard_question
    response = post(words_url(draft_project, question_id), {"language": "nl", "word": " indicatie ",
                                                            "explanation": EXPLANATION})
    assert response.status_code == 303
    assert location_of(response) == edit_url(draft_project, question_id) + "#uitleg-woorden"
    assert explanations_of(app, question_id) == {"nl": [{"word": "indicatie", "explanation": EXPLANATION}]}
    page = client.get(location_of(response))
    assert "De uitleg is toegevoegd." in plain_text(page)
    assert re.search(r"Uitleg aanpassen\s?: indicatie", plain_text(page))

    # The same word again (other case) changes it: one explanation per word.
    response = post(words_url(draft_project, question_id), {"language": "nl", "word": "Indicatie",
                                                            "explanation": "Een brief over uw hulp."})
    assert response.status_code == 303
    assert explanations_of(app, question_id) == {"nl": [{"word": "Indicatie", "explanation": "Een brief over uw hulp."}]}
    # "Uitleg aanpassen" fills the form with the word and its explanation.
    page = html_of(client.get(edit_url(draft_project, question_id) + "?woord=indicatie&taal=nl"))
    assert re.search(r'<input[^>]*name="word"[^>]*value="indicatie"', page)
    assert re.search(r'<textarea[^>]*name="explanation"[^>]*>\s*Een brief over uw hulp.</textarea>', page)

    response = post(words_url(draft_project, question_id, "/remove"), {"language": "nl", "word": "INDICATIE"})
    assert response.status_code == 303
    assert explanations_of(app, question_id) == {}
    assert [action for action, _detail in audit_actions(app)] == [
        "question.word_explanation_set", "question.word_explanation_set", "question.word_explanation_remove"]
    assert [detail.get("outcome") for _action, detail in audit_actions(app)][:2] == ["added", "changed"]


@pytest.mark.parametrize("data, message", [
    ({"word": "paspoort", "explanation": "Een pas."}, "Dit woord staat niet in de vraag."),
    ({"word": "indic", "explanation": "Een deel van een woord."}, "Dit woord staat niet in de vraag."),
    ({"word": "indicatie", "explanation": ""}, "Vul de uitleg in."),
    ({"word": "", "explanation": "Iets."}, "Vul het woord in."),
    ({"word": "indicatie", "explanation": "x" * 301}, "Gebruik hoogstens 300 tekens."),
    ({"word": "indicatie", "explanation": "Iets.", "language": "fr"}, "Kies de taal van de vraag."),
    ({"word": "indicatie", "explanation": "Iets.", "language": "en"}, "Dit woord staat niet in de vraag."),
])
def test_a_word_outside_the_question_or_past_the_limits_is_refused_with_the_error_summary(
        app, draft_project, hard_question, data, message):
    _client, post, question_id = hard_question
    response = post(words_url(draft_project, question_id), {"language": "nl", **data})
    assert response.status_code == 422
    assert title_of(response).startswith("Fout: ")
    assert message in plain_text(response)
    assert 'class="error-summary"' in html_of(response)
    assert explanations_of(app, question_id) == {}


def test_an_explanation_of_a_translated_question_in_english(app, world, login_as):
    """A project with English: the English text gets its own explained words."""
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        project.languages = ["nl", "en"]
        draft = new_draft(questionnaire_of(project), by=find_user("staf"))
        question = draft.questions[0]
        question.translations = {"en": {"text": "How often do you visit this shelter?"}}
        db.session.commit()
        question_id = question.id
        db.session.remove()
    _client, post = login_as("staf")
    assert post(words_url(world.project_id, question_id), {"language": "en", "word": "shelter",
                                                           "explanation": "A place to sleep."}).status_code == 303
    # The Dutch text has no "shelter".
    response = post(words_url(world.project_id, question_id), {"language": "nl", "word": "shelter",
                                                               "explanation": "Opvang."})
    assert response.status_code == 422
    assert explanations_of(app, question_id) == {"en": [{"word": "shelter", "explanation": "A place to sleep."}]}


def test_only_a_draft_takes_explanations(app, world, login_as):
    _client, post = login_as("staf")
    frozen_question = world.question_ids[0]
    response = post(words_url(world.project_id, frozen_question), {"language": "nl", "word": "vaak",
                                                                   "explanation": "Veel keer."})
    assert response.status_code == 409
    response = post(words_url(world.project_id, frozen_question, "/remove"), {"language": "nl", "word": "vaak"})
    assert response.status_code == 409
    assert explanations_of(app, frozen_question) == {}


@pytest.mark.parametrize("who, status", [("andere-staf", 403), ("anna", 403), ("petra", 403)])
def test_no_one_outside_the_designers_of_the_project_explains_a_word(app, draft_project, hard_question, login_as,
                                                                      who, status):
    _client, _post, question_id = hard_question
    _client, post = login_as(who)
    response = post(words_url(draft_project, question_id), {"language": "nl", "word": "indicatie",
                                                            "explanation": EXPLANATION})
    assert response.status_code == status
    assert explanations_of(app, question_id) == {}


def test_a_question_of_another_project_is_not_found_through_ones_own(app, world, draft_project, hard_question, login_as):
    # staf designs both projects: the draft project's question under the world's id is refused.
    _client, _post, question_id = hard_question
    _client, post = login_as("staf")
    response = post(words_url(world.project_id, question_id), {"language": "nl", "word": "indicatie",
                                                               "explanation": EXPLANATION})
    assert response.status_code == 404
    assert explanations_of(app, question_id) == {}


def test_a_logged_out_visitor_is_sent_to_log_in(app, client, draft_project, hard_question):
    _c, _p, question_id = hard_question
    response = client.post(words_url(draft_project, question_id), data={"language": "nl", "word": "indicatie",
                                                                        "explanation": EXPLANATION})
    assert response.status_code in (302, 303, 400, 401)
    assert explanations_of(app, question_id) == {}


def test_the_b1_advice_offers_to_explain_the_hard_words_it_finds(app, draft_project, hard_question, login_as):
    client, post, question_id = hard_question
    page = html_of(client.get(edit_url(draft_project, question_id)))
    link = re.search(r'<a class="button button-secondary explain-word" href="([^"]+)">Uitleg toevoegen', page)
    assert link, page[page.find("text-advice"):][:2000]
    url = link.group(1).replace("&amp;", "&")
    assert url.startswith(edit_url(draft_project, question_id) + "?woord=") and url.endswith("#uitleg-nieuw")
    filled = html_of(client.get(url.split("#")[0]))
    word = re.search(r'<input[^>]*name="word"[^>]*value="([^"]+)"', filled).group(1)
    assert word.casefold() in HARD.casefold()
    # As the designer types: the live advice of this question has the link too, another
    # project's question id gives none.
    live = post("/projects/%s/questionnaire/advice" % draft_project,
                {"advice_for": "text", "text": HARD, "explain_question": str(question_id)}, headers=HX)
    assert live.status_code == 200 and "Uitleg toevoegen" in plain_text(live)
    with app.app_context():
        other_question = questionnaire_of(db.session.get(Project, draft_project)).draft.questions[0].id + 10_000
        db.session.remove()
    live = post("/projects/%s/questionnaire/advice" % draft_project,
                {"advice_for": "text", "text": HARD, "explain_question": str(other_question)}, headers=HX)
    assert live.status_code == 200 and "Uitleg toevoegen" not in plain_text(live)


def test_the_advice_on_an_explanation_is_advice_not_a_refusal(app, draft_project, hard_question):
    client, post, question_id = hard_question
    officialese = "Indien u een indicatie heeft, ontvangt u derhalve zorg."
    assert post(words_url(draft_project, question_id), {"language": "nl", "word": "indicatie",
                                                        "explanation": officialese}).status_code == 303
    page = plain_text(client.get(edit_url(draft_project, question_id)))
    assert "Moeilijk woord uit brieven" in page[page.find("Moeilijke woorden uitleggen"):]


@pytest.fixture
def explained_interview(app, world, anna):
    """Version 2 of the world's list: question 1 has an explained word; anna's interview on it."""
    with app.app_context():
        staff = find_user("staf")
        draft = new_draft(questionnaire_of(db.session.get(Project, world.project_id)), by=staff)
        draft.questions[0].text = "Hoe vaak komt u in de dagopvang?"
        draft.questions[0].word_explanations = {"nl": [{"word": "dagopvang", "explanation": EXPLANATION}]}
        freeze_version(draft, by=staff)
        db.session.commit()
        db.session.remove()
    client, post = anna
    return start_interview_http(client, post, world.project_id, world.location_ids[0])


def test_the_tablet_shows_the_word_as_a_button_and_the_explanation_under_the_question(explained_interview, anna):
    client, _post = anna
    for headers in ({}, OFFLINE_COPY):  # the page and the service worker's offline copy
        page = html_of(client.get(f"/interviews/{explained_interview}/questions/1", headers=headers))
        heading = re.search(r'<h1 class="question-heading".*?</h1>', page, re.S).group(0)
        assert re.search(r'in de <button type="button" class="explained-word" data-explain="uitleg-1" '
                         r'aria-controls="uitleg-1" aria-expanded="false">dagopvang<', heading), heading
        # Without JavaScript the explanation opens on its own; "Voorlezen" of the question skips it.
        details = re.search(r'<details class="word-explanation" id="uitleg-1">.*?</details>', page, re.S).group(0)
        assert EXPLANATION in details and "Wat betekent dit?" in details and "data-read>" not in details
    # The next question has no explained word.
    assert "explained-word" not in html_of(client.get(f"/interviews/{explained_interview}/questions/2"))


def test_a_new_version_an_export_and_a_copy_keep_the_explanations(app, world, draft_project, login_as):
    with app.app_context():
        staff = find_user("staf")
        questionnaire = questionnaire_of(db.session.get(Project, world.project_id))
        draft = new_draft(questionnaire, by=staff)
        draft.questions[2].word_explanations = {"nl": [{"word": "beter", "explanation": "Mooier, fijner."}]}
        freeze_version(draft, by=staff)
        again = new_draft(questionnaire, by=staff)
        db.session.commit()
        assert again.questions[2].word_explanations == {"nl": [{"word": "beter", "explanation": "Mooier, fijner."}]}
        source_version = draft.id
        db.session.remove()
    client, post = login_as("staf")
    exported = json.loads(client.get(f"/projects/{world.project_id}/questionnaire/versions/2/export.json").data)
    assert exported["questions"][2]["word_explanations"] == {"nl": [{"word": "beter", "explanation": "Mooier, fijner."}]}
    response = post(f"/projects/{draft_project}/questionnaire/copy", {"source": str(source_version),
                                                                      "copy_mode": "replace"})
    assert response.status_code == 303
    with app.app_context():
        copied = questionnaire_of(db.session.get(Project, draft_project)).draft.questions[2]
        assert copied.word_explanations == {"nl": [{"word": "beter", "explanation": "Mooier, fijner."}]}
        db.session.remove()


def test_an_import_with_an_unreadable_or_too_long_explanation_is_refused_whole(app):
    from peerinterview.design.transfer.document import ImportRefused, check_document

    base = {"format": "peerinterview-questionnaire", "format_version": 1, "languages": ["nl"],
            "questions": [{"key": "q1", "kind": "open", "text": "Wat kan beter?"}]}
    for bad in ({"nl": "beter"}, {"nl": [{"word": "beter", "explanation": "x" * 301}]}, {"xx!": []}):
        document = json.loads(json.dumps(base))
        document["questions"][0]["word_explanations"] = bad
        with app.test_request_context(), pytest.raises(ImportRefused):
            check_document(document)


def test_voorlezen_is_on_the_answers_overview_and_the_panels_results(app, world, interview_id, anna, login_as):
    client, _post = anna
    overview = html_of(client.get(f"/interviews/{interview_id}/overview"))
    assert 'data-read-aloud="#overview-read"' in overview
    assert re.search(r'<div id="overview-read">.*data-read.*</div>', overview, re.S)
    panel, _post = login_as("petra")
    results = html_of(panel.get(f"/projects/{world.project_id}/results"))
    assert 'data-read-aloud="#results-read"' in results and '<div id="results-read">' in results


def test_the_demo_has_an_explained_word_and_its_summary_reads_aloud(app):
    client, project_id = demo_login(app, "demo-panel")
    with app.app_context():
        version = questionnaire_of(db.session.get(Project, project_id)).latest_frozen
        explained = {q.key: q.word_explanations for q in version.questions if q.word_explanations}
        db.session.remove()
    assert list(explained.values()) == [{"nl": [{
        "word": "klacht",
        "explanation": "U bent ergens niet blij mee. U zegt dat tegen iemand die er iets aan kan doen.",
    }]}]
    summary = html_of(client.get(f"/projects/{project_id}/report/summary"))
    assert 'data-read-aloud="#summary-read"' in summary
    assert re.search(r'<div id="summary-read">.*<p class="summary-about"[^>]*data-read>', summary, re.S)
    results = html_of(client.get(f"/projects/{project_id}/results"))
    assert 'data-read-aloud="#results-read"' in results


def test_the_question_history_shows_the_explanation_in_words(app, draft_project, hard_question):
    client, post, question_id = hard_question
    assert post(words_url(draft_project, question_id), {"language": "nl", "word": "indicatie",
                                                        "explanation": EXPLANATION}).status_code == 303
    with app.app_context():
        key = db.session.get(Question, question_id).key
        db.session.remove()
    history = client.get(f"/projects/{draft_project}/questionnaire/history/{key}")
    assert history.status_code == 200
    text = plain_text(history)
    assert "Uitleg bij moeilijke woorden" in text and f"indicatie: {EXPLANATION}" in text


def test_markup_in_a_question_word_or_explanation_stays_text_on_the_tablet(app, world, anna):
    with app.app_context():
        staff = find_user("staf")
        draft = new_draft(questionnaire_of(db.session.get(Project, world.project_id)), by=staff)
        draft.questions[0].text = 'Wat vindt u van <b>eten</b> & "drinken"?'
        draft.questions[0].word_explanations = {"nl": [
            {"word": "<b>eten</b>", "explanation": "<img src=x onerror=alert(1)>"},
            {"word": '"drinken"', "explanation": "<script>alert(2)</script>"}]}
        freeze_version(draft, by=staff)
        db.session.commit()
        db.session.remove()
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    page = html_of(client.get(f"/interviews/{interview_id}/questions/1"))
    assert "<b>eten</b>" not in page and "<img src=x" not in page and "<script>alert" not in page
    assert '>&lt;b&gt;eten&lt;/b&gt;</button>' in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert '>&#34;drinken&#34;</button>' in page or '>&quot;drinken&quot;</button>' in page
