"""Co-design over HTTP: the history of each question, duplicate, delete with undo,
proposals with comments and votes, adopting and rejecting, and the facilitator's view.

Designers (dirk) and the project's staff (staf) may do all of it; interviewers, the panel and
staff of another project are refused and change nothing."""
import re

import pytest
from sqlalchemy import func, select

from peerinterview.accounts.services import find_user
from peerinterview.design.codesign.services import create_proposal
from peerinterview.design.builder.services import add_condition, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import (
    Condition,
    Project,
    Proposal,
    ProposalComment,
    ProposalVote,
    QuestionChange,
)

from .builders import demo_login, html_of, location_of, plain_text, title_of

# --- helpers ----------------------------------------------------------------------------------


def add(post, project_id, **fields):
    data = {"kind": "single", "text": "", "help_text": "", "choices": "", "allow_dont_know": "y",
            "allow_refuse": "y", **fields}
    response = post(f"/projects/{project_id}/questionnaire/questions", data)
    assert response.status_code == 303, html_of(response)[:2000]
    return response


def draft_state(app, project_id):
    """Every detail of the draft, as undo must put it back: [(key, position, kind, text, help,
    flags, section, [(value, label, translations)], [(source key, values)])]."""
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, project_id)).draft
        state = [
            (q.key, q.position, q.kind, q.text, q.help_text,
             (q.required, q.allow_dont_know, q.allow_refuse, q.follow_up, q.min_value, q.max_value),
             q.section_title, dict(q.translations or {}),
             [(c.value, c.label, dict(c.translations or {}), c.position) for c in q.choices],
             [(c.source.key, list(c.values)) for c in q.conditions])
            for q in draft.questions
        ]
        db.session.remove()
    return state


def draft_ids(app, project_id) -> dict:
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, project_id)).draft
        ids = {q.key: q.id for q in draft.questions}
        db.session.remove()
    return ids


def changes(app, project_id, key=None):
    """[(key, action, username, [what])] of the project's history, oldest first."""
    with app.app_context():
        questionnaire_id = questionnaire_of(db.session.get(Project, project_id)).id
        query = select(QuestionChange).where(QuestionChange.questionnaire_id == questionnaire_id)
        if key:
            query = query.where(QuestionChange.question_key == key)
        query = query.order_by(QuestionChange.id)
        rows = [(c.question_key, c.action, c.user.username if c.user else None, [d["what"] for d in c.details])
                for c in db.session.scalars(query)]
        db.session.remove()
    return rows


def three_questions(post, project_id):
    add(post, project_id, kind="single", text="Hoe vaak komt u hier?", choices="Elke dag\nSoms")
    add(post, project_id, kind="yesno", text="Komt u hier graag?", help_text="Vraag door als het nodig is.")
    add(post, project_id, kind="open", text="Wat kan beter?")


def history_page(client, project_id, key):
    response = client.get(f"/projects/{project_id}/questionnaire/history/{key}")
    assert response.status_code == 200, html_of(response)[:1000]
    return response


def proposal_id_from(response) -> int:
    match = re.fullmatch(r"/projects/\d+/proposals/(\d+)", location_of(response))
    assert match, location_of(response)
    return int(match.group(1))


# --- history ---------------------------------------------------------------------------------


def test_history_keeps_who_when_and_what_of_every_change(app, draft_project, login_as):
    dirk, dirk_post = login_as("dirk")
    staf, staf_post = login_as("staf")
    three_questions(dirk_post, draft_project)
    ids = draft_ids(app, draft_project)

    response = staf_post(f"/projects/{draft_project}/questionnaire/questions/{ids['q1']}/edit", {
        "text": "Hoe vaak bent u hier?", "help_text": "Tel de weken.", "choices": "Elke dag\nSoms\nNooit",
        "required": "y", "allow_dont_know": "y", "allow_refuse": "y",
    })
    assert response.status_code == 303, html_of(response)[:2000]
    assert dirk_post(f"/projects/{draft_project}/questionnaire/questions/{ids['q2']}/conditions",
                     {"source": str(ids["q1"]), "values": ["1", "3"]}).status_code == 303
    with app.app_context():
        condition_id = db.session.scalars(select(Condition.id)).one()
        db.session.remove()
    assert dirk_post(f"/projects/{draft_project}/questionnaire/conditions/{condition_id}/delete").status_code == 303
    assert staf_post(f"/projects/{draft_project}/questionnaire/questions/{ids['q3']}/move",
                     {"direction": "up"}).status_code == 303

    assert changes(app, draft_project, "q1") == [
        ("q1", "created", "dirk", ["text"]),
        ("q1", "changed", "staf", ["text", "help_text", "required", "choices"]),
    ]
    assert changes(app, draft_project, "q2") == [
        ("q2", "created", "dirk", ["text"]),
        ("q2", "changed", "dirk", ["condition_added"]),
        ("q2", "changed", "dirk", ["condition_removed"]),
        ("q2", "moved", "staf", ["position"]),
    ]
    assert changes(app, draft_project, "q3")[-1] == ("q3", "moved", "staf", ["position"])

    # The first edit changed only the words of the question: a change of its own.
    text = plain_text(history_page(dirk, draft_project, "q1"))
    assert "Vraag aangepast" in text and "door Staf" in text and "Vraag gemaakt" in text and "door Dirk" in text
    assert "Hulp voor de interviewer Eerst: (leeg) Nu: Tel de weken." in text
    assert "Antwoord verplicht Eerst: uit Nu: aan" in text
    assert "Antwoorden Eerst: Elke dag; Soms Nu: Elke dag; Soms; Nooit" in text

    text = plain_text(history_page(staf, draft_project, "q2"))
    assert "Voorwaarde erbij Nieuw: Alleen als het antwoord op „Hoe vaak bent u hier?” is: Elke dag of Nooit" in text
    assert "Voorwaarde weg Was: Alleen als het antwoord op „Hoe vaak bent u hier?” is: Elke dag of Nooit" in text
    assert "Vraag verplaatst" in text and "Plek in de lijst Eerst: plek 2 Nu: plek 3" in text
    assert "Nu vraag 3 in versie 1" in text


def test_a_changed_text_shows_before_and_after(app, draft_project, login_as):
    dirk, post = login_as("dirk")
    add(post, draft_project, kind="open", text="Wat vindt u van het eten?")
    question_id = draft_ids(app, draft_project)["q1"]
    response = post(f"/projects/{draft_project}/questionnaire/questions/{question_id}/edit",
                    {"text": "Wat vindt u van de maaltijd?", "help_text": "", "allow_dont_know": "y", "allow_refuse": "y"})
    assert response.status_code == 303
    assert changes(app, draft_project, "q1")[-1] == ("q1", "changed", "dirk", ["text"])
    text = plain_text(history_page(dirk, draft_project, "q1"))
    assert "De vraag Eerst: Wat vindt u van het eten? Nu: Wat vindt u van de maaltijd?" in text
    assert title_of(history_page(dirk, draft_project, "q1")).startswith("Geschiedenis van een vraag")


def test_the_builder_links_each_question_to_its_history(app, draft_project, login_as):
    dirk, post = login_as("dirk")
    add(post, draft_project, kind="open", text="Wat kan beter?")
    html = html_of(dirk.get(f"/projects/{draft_project}/questionnaire"))
    assert f'href="/projects/{draft_project}/questionnaire/history/q1"' in html
    assert f'href="/projects/{draft_project}/proposals/new?vraag=q1"' in html
    edit = html_of(dirk.get(f"/projects/{draft_project}/questionnaire/questions/{draft_ids(app, draft_project)['q1']}/edit"))
    assert f'href="/projects/{draft_project}/questionnaire/history/q1"' in edit


def test_copies_of_a_new_version_are_not_changes_but_history_runs_across_versions(app, world, login_as):
    before = changes(app, world.project_id)
    assert [row[1] for row in before] == ["created"] * 3  # the world's three questions
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        draft = new_draft(questionnaire_of(project), by=find_user("staf"))
        db.session.commit()
        add_condition(draft.questions[1], draft.questions[0], ["1"])  # a change in version 2
        db.session.commit()
        question_id = draft.questions[2].id
        db.session.remove()
    after = changes(app, world.project_id)
    assert after[:3] == before
    assert after[3:] == [("q2", "changed", None, ["condition_added"])]
    staf, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/questionnaire/questions/{question_id}/edit",
                    {"text": "Wat kan er beter?", "help_text": "", "allow_dont_know": "y", "allow_refuse": "y"})
    assert response.status_code == 303
    text = plain_text(history_page(staf, world.project_id, "q3"))
    assert "versie 1" in text and "versie 2" in text
    assert "Nu vraag 3 in versie 2" in text
    assert "Eerst: Wat kan beter? Nu: Wat kan er beter?" in text


def test_history_of_an_unknown_key_is_404(draft_project, login_as):
    dirk, _ = login_as("dirk")
    assert dirk.get(f"/projects/{draft_project}/questionnaire/history/q99").status_code == 404


# --- duplicate -------------------------------------------------------------------------------


def test_duplicate_puts_a_copy_right_after_it_with_a_new_key(app, draft_project, login_as):
    dirk, post = login_as("dirk")
    three_questions(post, draft_project)
    ids = draft_ids(app, draft_project)
    assert post(f"/projects/{draft_project}/questionnaire/questions/{ids['q3']}/conditions",
                {"source": str(ids["q1"]), "values": ["2"]}).status_code == 303
    response = post(f"/projects/{draft_project}/questionnaire/draft/q3/duplicate")
    assert response.status_code == 303
    copy_id = draft_ids(app, draft_project)["q4"]
    assert location_of(response) == f"/projects/{draft_project}/questionnaire#vraag-{copy_id}"
    state = draft_state(app, draft_project)
    assert [(row[0], row[1]) for row in state] == [("q1", 1), ("q2", 2), ("q3", 3), ("q4", 4)]
    assert state[3][2:] == state[2][2:]  # same kind, texts, options, choices and conditions
    assert state[3][9] == [("q1", ["2"])]

    response = post(f"/projects/{draft_project}/questionnaire/draft/q1/duplicate")
    state = draft_state(app, draft_project)
    assert [row[0] for row in state] == ["q1", "q5", "q2", "q3", "q4"]
    assert [row[1] for row in state] == [1, 2, 3, 4, 5]
    assert state[1][8] == state[0][8]  # the choices, values and labels alike
    assert "De kopie staat nu onder de vraag." in plain_text(dirk.get(location_of(response)))
    assert changes(app, draft_project, "q5") == [("q5", "duplicated", "dirk", ["copied_from", "text"])]
    text = plain_text(history_page(dirk, draft_project, "q5"))
    assert "Gemaakt als kopie" in text and "Kopie van vraag met code q1" in text
    # Positions that shifted because of the copy are not moves.
    assert [row[1] for row in changes(app, draft_project, "q2")] == ["created"]


def test_duplicate_of_a_frozen_or_unknown_question_is_refused(app, world, login_as):
    staf, post = login_as("staf")
    assert post(f"/projects/{world.project_id}/questionnaire/draft/q1/duplicate").status_code == 409
    with app.app_context():
        new_draft(questionnaire_of(db.session.get(Project, world.project_id)), by=find_user("staf"))
        db.session.commit()
        db.session.remove()
    assert post(f"/projects/{world.project_id}/questionnaire/draft/q77/duplicate").status_code == 404
    assert staf.post(f"/projects/{world.project_id}/questionnaire/draft/q1/duplicate").status_code == 400


# --- delete with undo ------------------------------------------------------------------------


def test_delete_offers_undo_and_undo_restores_exactly(app, draft_project, login_as):
    dirk, post = login_as("dirk")
    three_questions(post, draft_project)
    add(post, draft_project, kind="number", text="Hoe oud bent u?", min_value="0", max_value="120",
        section_title="Over u")
    ids = draft_ids(app, draft_project)
    assert post(f"/projects/{draft_project}/questionnaire/questions/{ids['q2']}/conditions",
                {"source": str(ids["q1"]), "values": ["1", "2"]}).status_code == 303
    with app.app_context():
        from peerinterview.models import Question
        question = db.session.get(Question, ids["q2"])
        question.translations = {"en": {"text": "Do you like coming here?"}}
        question.choices[0].translations = {"en": "Yes!"}
        db.session.commit()
        db.session.remove()
    before = draft_state(app, draft_project)

    response = post(f"/projects/{draft_project}/questionnaire/draft/q2/delete")
    assert response.status_code == 303
    target = location_of(response)
    assert re.fullmatch(rf"/projects/{draft_project}/questionnaire\?verwijderd=\d+#vragen", target)
    assert [row[0] for row in draft_state(app, draft_project)] == ["q1", "q3", "q4"]
    page = dirk.get(target)
    text = plain_text(page)
    assert "Vraag verwijderd. Komt u hier graag? Ongedaan maken" in text
    change_id = int(re.search(r"verwijderd=(\d+)", target).group(1))
    restore_url = f"/projects/{draft_project}/questionnaire/deleted/{change_id}/restore"
    assert f'action="{restore_url}"' in html_of(page) and f'hx-post="{restore_url}"' in html_of(page)
    assert 'autofocus' in html_of(page)

    response = post(restore_url)
    assert response.status_code == 303
    assert location_of(response).startswith(f"/projects/{draft_project}/questionnaire?teruggezet=q2#vraag-")
    assert draft_state(app, draft_project) == before
    assert "De vraag staat er weer: Komt u hier graag?" in plain_text(dirk.get(location_of(response)))
    assert [row[1] for row in changes(app, draft_project, "q2")][-2:] == ["deleted", "restored"]
    # Renumbering around the delete and the undo are no moves of the other questions.
    assert [row[1] for row in changes(app, draft_project, "q3")] == ["created"]

    # Undo once only; the builder no longer offers it.
    response = post(restore_url)
    assert "Deze vraag kan niet meer terug." in plain_text(dirk.get(location_of(response)))
    assert "Ongedaan maken" not in plain_text(dirk.get(target))
    assert draft_state(app, draft_project) == before


def test_delete_and_undo_with_htmx_swap_the_list_in_place(app, draft_project, login_as):
    _dirk, post = login_as("dirk")
    three_questions(post, draft_project)
    htmx = {"HX-Request": "true", "HX-Current-URL": f"http://localhost/projects/{draft_project}/questionnaire"}
    response = post(f"/projects/{draft_project}/questionnaire/draft/q3/delete", headers=htmx, follow_redirects=True)
    assert response.status_code == 200
    html = html_of(response)
    # htmx picks #vragen-lijst out of the page (hx-select): it holds the undo offer.
    section = html[html.index('id="vragen-lijst"'):]
    section = section[:section.index("</section>")]
    assert "Vraag verwijderd." in section and "Ongedaan maken" in section and "autofocus" in section
    assert "Wat kan beter?" not in section.split("Ongedaan maken")[1]
    restore = re.search(r'hx-post="([^"]+/restore)"', section).group(1)
    response = post(restore, headers=htmx, follow_redirects=True)
    html = html_of(response)
    section = html[html.index('id="vragen-lijst"'):]
    assert "De vraag staat er weer" in section
    assert [row[0] for row in draft_state(app, draft_project)] == ["q1", "q2", "q3"]


def test_a_deleted_key_is_never_given_to_a_new_question(app, draft_project, login_as):
    _dirk, post = login_as("dirk")
    three_questions(post, draft_project)
    response = post(f"/projects/{draft_project}/questionnaire/draft/q3/delete")
    add(post, draft_project, kind="open", text="Nog iets?")
    assert [row[0] for row in draft_state(app, draft_project)] == ["q1", "q2", "q4"]
    # So the undo still works, and the history of q3 is only q3's.
    assert post(location_of(response).replace("questionnaire?verwijderd=", "questionnaire/deleted/")
                .split("#")[0] + "/restore").status_code == 303
    assert [row[0] for row in draft_state(app, draft_project)] == ["q1", "q2", "q3", "q4"]
    assert [row[1] for row in changes(app, draft_project, "q3")] == ["created", "deleted", "restored"]


def test_delete_is_refused_while_a_later_question_depends_on_it(app, draft_project, login_as):
    dirk, post = login_as("dirk")
    three_questions(post, draft_project)
    ids = draft_ids(app, draft_project)
    assert post(f"/projects/{draft_project}/questionnaire/questions/{ids['q3']}/conditions",
                {"source": str(ids["q1"]), "values": ["1"]}).status_code == 303
    before = draft_state(app, draft_project)
    response = post(f"/projects/{draft_project}/questionnaire/draft/q1/delete")
    assert response.status_code == 303
    assert "hangt af van het antwoord op deze vraag" in plain_text(dirk.get(location_of(response)))
    assert draft_state(app, draft_project) == before
    assert "deleted" not in [row[1] for row in changes(app, draft_project)]


def test_a_question_deleted_earlier_can_come_back_from_its_history(app, draft_project, login_as):
    dirk, post = login_as("dirk")
    three_questions(post, draft_project)
    post(f"/projects/{draft_project}/questionnaire/draft/q1/delete")
    post(f"/projects/{draft_project}/questionnaire/draft/q2/delete")
    text = plain_text(history_page(dirk, draft_project, "q1"))
    assert "Deze vraag staat niet meer in de vragenlijst." in text and "Vraag verwijderd" in text
    html = html_of(history_page(dirk, draft_project, "q1"))
    restore = re.search(r'action="([^"]+/restore)"', html).group(1)
    # The builder lists both deletions that can still be undone, the newest first.
    builder = plain_text(dirk.get(f"/projects/{draft_project}/questionnaire"))
    assert "2 verwijderde vragen terugzetten Komt u hier graag?" in builder
    assert "Hoe vaak komt u hier? Verwijderd op" in builder and "door Dirk Terugzetten" in builder
    assert post(restore).status_code == 303
    assert [(row[0], row[1]) for row in draft_state(app, draft_project)] == [("q1", 1), ("q3", 2)]
    builder = plain_text(dirk.get(f"/projects/{draft_project}/questionnaire"))
    assert "1 verwijderde vraag terugzetten Komt u hier graag?" in builder


# --- proposals -------------------------------------------------------------------------------


def test_designer_proposes_others_comment_and_vote_and_staff_adopt_a_new_question(app, draft_project, login_as):
    dirk, dirk_post = login_as("dirk")
    staf, staf_post = login_as("staf")
    add(dirk_post, draft_project, kind="open", text="Wat kan beter?")
    page = dirk.get(f"/projects/{draft_project}/proposals/new")
    assert page.status_code == 200 and "Iets voorstellen" in title_of(page)
    response = dirk_post(f"/projects/{draft_project}/proposals/new", {
        "kind": "new", "question_kind": "multi", "text": "Wat doet u hier graag?",
        "choices": "Koffie drinken\nPraten\nSpelletjes", "explanation": "Dit horen we vaak.",
    })
    assert response.status_code == 303
    proposal_id = proposal_id_from(response)
    assert "Uw voorstel staat erbij." in plain_text(dirk.get(location_of(response)))

    listing = plain_text(staf.get(f"/projects/{draft_project}/proposals"))
    assert "1 open voorstel" in listing and "Wat doet u hier graag?" in listing
    builder = html_of(staf.get(f"/projects/{draft_project}/questionnaire"))
    assert f'<a href="/projects/{draft_project}/proposals#open">Er is 1 open voorstel. Bekijk het en stem mee.</a>' in builder
    assert "0 voorstellen overgenomen" in listing and "0 voorstellen afgewezen" in listing

    url = f"/projects/{draft_project}/proposals/{proposal_id}"
    assert staf_post(f"{url}/comments", {"comment": "Mooi. Ook 'Lezen' erbij?"}).status_code == 303
    assert dirk_post(f"{url}/comments", {"comment": "Goed idee."}).status_code == 303
    assert staf_post(f"{url}/vote", {"vote": "for"}).status_code == 303
    assert dirk_post(f"{url}/vote", {"vote": "against"}).status_code == 303
    assert dirk_post(f"{url}/vote", {"vote": "for"}).status_code == 303  # changed, not added
    text = plain_text(dirk.get(url))
    assert "2 stemmen voor · 0 stemmen tegen · 2 reacties" in text
    assert "U stemde voor. U kunt uw stem nog veranderen." in text
    assert "Staf" in text and "Mooi. Ook 'Lezen' erbij?" in text and "Dit horen we vaak." in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProposalVote)) == 2
        assert db.session.scalar(select(func.count()).select_from(ProposalComment)) == 2
        db.session.remove()

    response = staf_post(f"{url}/adopt")
    assert response.status_code == 303
    state = draft_state(app, draft_project)
    assert [(row[0], row[2], row[3]) for row in state] == [
        ("q1", "open", "Wat kan beter?"), ("q2", "multi", "Wat doet u hier graag?")]
    assert [choice[1] for choice in state[1][8]] == ["Koffie drinken", "Praten", "Spelletjes"]
    assert location_of(response) == f"/projects/{draft_project}/questionnaire#vraag-{draft_ids(app, draft_project)['q2']}"
    assert changes(app, draft_project, "q2") == [("q2", "adopted", "staf", ["text"])]
    text = plain_text(history_page(staf, draft_project, "q2"))
    assert "Voorstel overgenomen" in text and "Bekijk het voorstel" in text

    listing = plain_text(dirk.get(f"/projects/{draft_project}/proposals"))
    assert "0 open voorstellen" in listing and "1 voorstel overgenomen" in listing
    text = plain_text(dirk.get(url))
    assert "Overgenomen in de vragenlijst door Staf" in text
    # Decided: no more votes, no second adoption, no rejection.
    assert dirk_post(f"{url}/vote", {"vote": "against"}).status_code == 409
    assert staf_post(f"{url}/adopt").status_code == 409
    assert staf_post(f"{url}/reject", {"reason": "Toch niet."}).status_code == 409
    assert len(draft_state(app, draft_project)) == 2


def test_a_rewording_adopted_by_a_designer_changes_the_draft_and_its_history(app, draft_project, login_as):
    dirk, dirk_post = login_as("dirk")
    _staf, staf_post = login_as("staf")
    add(staf_post, draft_project, kind="open", text="Indien u klachten heeft, welke zijn dat?")
    page = dirk.get(f"/projects/{draft_project}/proposals/new?vraag=q1")
    assert re.search(r'<input checked[^>]*value="rewording"', html_of(page))
    assert "Indien u klachten heeft, welke zijn dat?</textarea>" in html_of(page)
    response = staf_post(f"/projects/{draft_project}/proposals/new", {
        "kind": "rewording", "question_key": "q1", "text": "Heeft u klachten? Welke?",
    })
    url = location_of(response)
    text = plain_text(dirk.get(url))
    assert "Zoals het nu is Indien u klachten heeft, welke zijn dat?" in text
    assert "Het voorstel Heeft u klachten? Welke?" in text
    assert "Moeilijk woord uit brieven" in text  # B1 advice on the old words: indien
    assert dirk_post(f"{url}/adopt").status_code == 303
    assert draft_state(app, draft_project)[0][3] == "Heeft u klachten? Welke?"
    assert changes(app, draft_project, "q1")[-1] == ("q1", "adopted", "dirk", ["text"])
    text = plain_text(history_page(dirk, draft_project, "q1"))
    assert ("Voorstel overgenomen" in text
            and "De vraag Eerst: Indien u klachten heeft, welke zijn dat? Nu: Heeft u klachten? Welke?" in text)


def test_reject_needs_a_reason_and_shows_it(app, draft_project, login_as):
    dirk, dirk_post = login_as("dirk")
    response = dirk_post(f"/projects/{draft_project}/proposals/new",
                         {"kind": "new", "question_kind": "open", "text": "Wat eet u graag?"})
    url = location_of(response)
    _staf, staf_post = login_as("staf")
    response = staf_post(f"{url}/reject", {"reason": " "})
    assert response.status_code == 422
    assert title_of(response).startswith("Fout:")
    assert "Schrijf op waarom u het afwijst." in plain_text(response)
    assert staf_post(f"{url}/reject", {"reason": "Past niet bij de onderzoeksvraag."}).status_code == 303
    listing = plain_text(dirk.get(f"/projects/{draft_project}/proposals"))
    assert "1 voorstel afgewezen" in listing and "Reden: Past niet bij de onderzoeksvraag." in listing
    assert draft_state(app, draft_project) == []


@pytest.mark.parametrize("data, message", [
    ({"kind": "new", "question_kind": "single", "text": ""}, "Schrijf de vraag op."),
    ({"kind": "new", "question_kind": "single", "text": "Wat drinkt u?", "choices": "Koffie"},
     "Zet minstens 2 antwoorden in de lijst"),
    ({"kind": "rewording", "question_key": "", "text": "Andere woorden"}, "Kies de vraag die u anders wilt zeggen."),
    ({"kind": "rewording", "question_key": "q9", "text": "Andere woorden"}, "Kies de vraag die u anders wilt zeggen."),
])
def test_an_incomplete_proposal_is_refused_with_a_b1_message(app, draft_project, login_as, data, message):
    _dirk, post = login_as("dirk")
    add(post, draft_project, kind="open", text="Wat kan beter?")
    response = post(f"/projects/{draft_project}/proposals/new", data)
    assert response.status_code == 422
    assert message in plain_text(response)
    assert 'class="error-summary"' in html_of(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
        db.session.remove()


def test_comment_and_vote_need_content(app, draft_project, login_as):
    _dirk, post = login_as("dirk")
    url = location_of(post(f"/projects/{draft_project}/proposals/new",
                           {"kind": "new", "question_kind": "open", "text": "Wat eet u graag?"}))
    response = post(f"{url}/comments", {"comment": ""})
    assert response.status_code == 422 and "Schrijf eerst uw reactie." in plain_text(response)
    response = post(f"{url}/vote", {"vote": "misschien"})
    assert response.status_code == 422 and "Kies voor of tegen." in plain_text(response)


def test_b1_advice_for_a_proposal_without_and_with_javascript(app, draft_project, login_as):
    _dirk, post = login_as("dirk")
    hard = "Indien er sprake is van een tekortkoming dient u dat te melden."
    response = post(f"/projects/{draft_project}/proposals/new",
                    {"kind": "new", "question_kind": "open", "text": hard, "check": "y"})
    assert response.status_code == 200
    text = plain_text(response)
    assert "Moeilijk woord uit brieven" in text and "Taal:" in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
        db.session.remove()
    # As one types: htmx posts the field to the builder's advice endpoint (aria-live region).
    page = html_of(_dirk.get(f"/projects/{draft_project}/proposals/new"))
    assert f'hx-post="/projects/{draft_project}/questionnaire/advice"' in page
    assert 'id="text-advice" class="b1-advice" aria-live="polite"' in page
    fragment = post(f"/projects/{draft_project}/questionnaire/advice", {"advice_for": "text", "text": hard},
                    headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in html_of(fragment)
    assert "Moeilijk woord uit brieven" in plain_text(fragment)
    easy = post(f"/projects/{draft_project}/questionnaire/advice", {"advice_for": "text", "text": "Wat eet u graag?"},
                headers={"HX-Request": "true"})
    assert "Geen tips. Goed zo!" in plain_text(easy)


def test_a_proposal_of_another_project_is_404_here(app, world, draft_project, login_as):
    with app.app_context():
        other = create_proposal(db.session.get(Project, world.project_id), kind="new", text="Elders?",
                                question_kind="open", by=find_user("staf"))
        db.session.commit()
        other_id = other.id
        db.session.remove()
    staf, post = login_as("staf")
    assert staf.get(f"/projects/{draft_project}/proposals/{other_id}").status_code == 404
    assert post(f"/projects/{draft_project}/proposals/{other_id}/adopt").status_code == 404


def test_adopting_while_the_questionnaire_is_frozen_asks_for_a_new_version(app, world, login_as):
    staf, post = login_as("staf")
    url = location_of(post(f"/projects/{world.project_id}/proposals/new",
                           {"kind": "rewording", "question_key": "q3", "text": "Wat kan er beter?"}))
    page = plain_text(staf.get(url))
    assert "De vragenlijst is vastgezet. Maak eerst een nieuwe versie." in page
    response = post(f"{url}/adopt")
    assert response.status_code == 303
    assert "De vragenlijst is vastgezet. Maak eerst een nieuwe versie." in plain_text(staf.get(location_of(response)))
    with app.app_context():
        assert db.session.scalars(select(Proposal.status)).one() == "open"
        db.session.remove()


# --- facilitator view ------------------------------------------------------------------------


def test_facilitator_view_orders_by_discussion_or_by_weakest_b1_score(app, draft_project, login_as):
    dirk, dirk_post = login_as("dirk")
    staf, staf_post = login_as("staf")
    add(dirk_post, draft_project, kind="open", text="Wat eet u graag?")
    add(dirk_post, draft_project, kind="open",
        text="Indien de gemeentelijke voorzieningen ontoereikend functioneren, welke consequenties ondervindt u?")
    add(dirk_post, draft_project, kind="open", text="Hoe gaat het met u?")
    rewording = location_of(dirk_post(f"/projects/{draft_project}/proposals/new",
                                      {"kind": "rewording", "question_key": "q3", "text": "Hoe gaat het?"}))
    new = location_of(dirk_post(f"/projects/{draft_project}/proposals/new",
                                {"kind": "new", "question_kind": "open", "text": "Met wie komt u?"}))
    for post in (dirk_post, staf_post):
        assert post(f"{rewording}/vote", {"vote": "for"}).status_code == 303
    assert staf_post(f"{rewording}/comments", {"comment": "Korter is beter."}).status_code == 303
    assert staf_post(f"{new}/comments", {"comment": "Goed."}).status_code == 303

    def order(response):
        text = html_of(response)
        found = [(text.index(words), words) for words in
                 ("Wat eet u graag?", "Indien de gemeentelijke", "Hoe gaat het met u?", "Met wie komt u?")]
        return [words for _, words in sorted(found)]

    response = staf.get(f"/projects/{draft_project}/questionnaire/discussion")
    assert response.status_code == 200
    assert order(response)[:2] == ["Hoe gaat het met u?", "Met wie komt u?"]
    assert "3 reacties en stemmen" in plain_text(response)
    assert 'aria-current="page">Meeste gesprek eerst' in html_of(response)

    response = dirk.get(f"/projects/{draft_project}/questionnaire/discussion?volgorde=b1")
    assert order(response)[0] == "Indien de gemeentelijke"
    assert 'aria-current="page">Moeilijkste taal eerst' in html_of(response)
    assert "Open voorstel: Hoe gaat het?" in plain_text(response)


# --- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["anna", "petra", "andere-staf"])
def test_interviewers_panel_and_other_staff_are_refused_and_change_nothing(app, world, login_as, username):
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        new_draft(questionnaire_of(project), by=find_user("staf"))
        proposal = create_proposal(project, kind="new", text="Wat drinkt u?", question_kind="open",
                                   by=find_user("dirk"))
        db.session.commit()
        proposal_id = proposal.id
        db.session.remove()
    _dirk, dirk_post = login_as("dirk")
    deleted = location_of(dirk_post(f"/projects/{world.project_id}/questionnaire/draft/q3/delete"))
    change_id = int(re.search(r"verwijderd=(\d+)", deleted).group(1))
    before = (draft_state(app, world.project_id), changes(app, world.project_id))

    client, post = login_as(username)
    base = f"/projects/{world.project_id}"
    for path in (f"{base}/proposals", f"{base}/proposals/new", f"{base}/proposals/{proposal_id}",
                 f"{base}/questionnaire/discussion", f"{base}/questionnaire/history/q1"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Dit mag u niet zien" in html_of(response)
        assert "Wat drinkt u?" not in html_of(response)
    for path, data in ((f"{base}/proposals/new", {"kind": "new", "question_kind": "open", "text": "Stiekem?"}),
                       (f"{base}/proposals/{proposal_id}/comments", {"comment": "Stiekem"}),
                       (f"{base}/proposals/{proposal_id}/vote", {"vote": "for"}),
                       (f"{base}/proposals/{proposal_id}/adopt", {}),
                       (f"{base}/proposals/{proposal_id}/reject", {"reason": "Stiekem"}),
                       (f"{base}/questionnaire/draft/q1/duplicate", {}),
                       (f"{base}/questionnaire/draft/q1/delete", {}),
                       (f"{base}/questionnaire/deleted/{change_id}/restore", {})):
        assert post(path, data).status_code == 403, path
    assert (draft_state(app, world.project_id), changes(app, world.project_id)) == before
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert (proposal.status, proposal.comments, proposal.votes) == ("open", [], [])
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 1
        db.session.remove()


def test_designer_and_staff_see_the_proposals_link_others_do_not(world, login_as):
    for username, shown in (("dirk", True), ("staf", True), ("anna", False), ("petra", False)):
        client, _ = login_as(username)
        html = html_of(client.get(f"/projects/{world.project_id}"))
        if username == "staf":
            # Staff have many tabs, in groups: Voorstellen sits with Vragenlijst.
            html = html_of(client.get(f"/projects/{world.project_id}/questionnaire"))
        assert (f'href="/projects/{world.project_id}/proposals"' in html) is shown, username


def test_the_demo_has_proposals_to_try(app, login_as):
    client, project_id = demo_login(app, "demo-interviewer")
    text = plain_text(client.get(f"/projects/{project_id}/proposals"))
    assert "2 open voorstellen" in text and "1 voorstel afgewezen" in text
    assert "Zijn de openingstijden goed voor u?" in text and "2 stemmen voor" in text
    assert "Reden: Een adres vragen we niet. Dat is te privé." in text


def test_an_open_proposal_page_fetches_new_votes_and_comments_by_itself(app, draft_project, login_as):
    dirk, dirk_post = login_as("dirk")
    _staf, staf_post = login_as("staf")
    url = location_of(dirk_post(f"/projects/{draft_project}/proposals/new",
                                {"kind": "new", "question_kind": "open", "text": "Wat eet u graag?"}))
    page = html_of(dirk.get(url))
    for part in ("stemstand", "reactiestand"):
        assert f'<div id="{part}" hx-get="{url}" hx-trigger="every 15s" hx-swap="innerHTML">' in page
    assert staf_post(f"{url}/comments", {"comment": "Ook drinken?"}).status_code == 303
    assert staf_post(f"{url}/vote", {"vote": "against"}).status_code == 303
    assert dirk_post(f"{url}/vote", {"vote": "for"}).status_code == 303  # leaves a flash for dirk
    votes = dirk.get(url, headers={"HX-Request": "true", "HX-Target": "stemstand"})
    comments = dirk.get(url, headers={"HX-Request": "true", "HX-Target": "reactiestand"})
    assert votes.status_code == comments.status_code == 200
    for news in (votes, comments):
        assert "<html" not in html_of(news) and "notice" not in html_of(news)
    assert plain_text(votes) == "1 stem voor · 1 stem tegen · 1 reactie U stemde voor. U kunt uw stem nog veranderen."
    assert "1 reactie" in plain_text(comments) and "Staf" in plain_text(comments) and "Ook drinken?" in plain_text(comments)
    # The flash message was not used up by the poll: the next page still shows it.
    assert "U stemde voor." in plain_text(dirk.get(url)).split("Voorstel: een nieuwe vraag")[0]
    # Decided proposals do not poll any more.
    assert dirk_post(f"{url}/adopt").status_code == 303
    assert "hx-trigger" not in html_of(dirk.get(url))
