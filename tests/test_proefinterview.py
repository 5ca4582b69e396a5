"""The "Proefinterview" from the builder runs the whole draft (not yet frozen) on the real
interview screens in practice mode, for designers and staff; nothing is stored."""
from sqlalchemy import func, select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import add_condition, add_question, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Answer, Interview, Project

from .builders import html_of, plain_text


def make_draft(app, project_id):
    """A draft version 2 with a new multiple-choice question and a question shown only after it."""
    with app.app_context():
        staff = find_user("staf")
        draft = new_draft(questionnaire_of(db.session.get(Project, project_id)), by=staff)
        multi = add_question(draft, kind="multi", text="Wat eet u graag?", choice_labels=["Brood", "Soep"], by=staff)
        soup = add_question(draft, kind="scale3", text="Hoe is de soep?", by=staff)
        add_condition(soup, multi, ["2"], by=staff)
        db.session.commit()
        count = len(draft.questions)
        db.session.remove()
    return count


def stored(app):
    with app.app_context():
        counts = (db.session.scalar(select(func.count()).select_from(Answer)),
                  db.session.scalar(select(func.count()).select_from(Interview)))
        db.session.remove()
    return counts


def test_designer_runs_the_draft_as_a_practice_interview(app, world, login_as):
    total = make_draft(app, world.project_id)
    dirk, post = login_as("dirk")
    builder = html_of(dirk.get(f"/projects/{world.project_id}/questionnaire"))
    assert "Proefinterview" in builder and "Proefinterview in het Engels" in builder

    response = post(f"/projects/{world.project_id}/questionnaire/practice", {"language": "nl"})
    assert response.status_code == 303
    base = f"/projects/{world.project_id}/practice/questions/"
    assert response.headers["Location"].endswith(base + "1")
    first = dirk.get(base + "1")
    assert first.status_code == 200 and "Oefenen" in plain_text(first)

    # The draft's new questions are there, with their skip logic: soup only after "Soep".
    multi_number = total - 1
    page = plain_text(dirk.get(base + str(multi_number)))
    assert "Wat eet u graag?" in page
    assert post(base + str(multi_number), {"answer": ["1"], "action": "next"}).headers["Location"].endswith(
        f"/projects/{world.project_id}/practice/overview")
    assert post(base + str(multi_number), {"answer": ["2"], "action": "next"}).headers["Location"].endswith(
        base + str(total))
    assert "Hoe is de soep?" in plain_text(dirk.get(base + str(total)))

    overview = plain_text(dirk.get(f"/projects/{world.project_id}/practice/overview"))
    assert "Wat eet u graag? Soep" in overview
    # The overview still asks for the required first question, as in a real interview.
    assert post(f"/projects/{world.project_id}/practice/overview", {}).status_code == 422
    assert post(base + "1", {"answer": "1", "action": "next"}).status_code == 303
    done = post(f"/projects/{world.project_id}/practice/overview", {})
    assert done.status_code == 303 and done.headers["Location"].endswith("/practice/done")
    finished = html_of(dirk.get(f"/projects/{world.project_id}/practice/done"))
    assert "Klaar met oefenen" in finished
    assert f'href="/projects/{world.project_id}/questionnaire"' in finished
    assert f"/projects/{world.project_id}/practice\"" not in finished  # interviewers' start page
    assert stored(app) == (0, 0)


def test_proefinterview_in_english_and_without_a_running_practice(app, world, login_as):
    make_draft(app, world.project_id)
    staf, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/questionnaire/practice", {"language": "en"})
    assert response.status_code == 303
    page = staf.get(response.headers["Location"])
    assert page.status_code == 200 and 'lang="en"' in html_of(page)
    # A language the project does not have falls back to Dutch.
    post(f"/projects/{world.project_id}/questionnaire/practice", {"language": "xx"})
    assert 'lang="nl"' in html_of(staf.get(f"/projects/{world.project_id}/practice/questions/1"))
    # Without a practice run, a designer is sent back to the builder (not to the interviewers' start).
    dirk, _ = login_as("dirk")
    back = dirk.get(f"/projects/{world.project_id}/practice/questions/1")
    assert back.status_code == 303 and back.headers["Location"].endswith(f"/projects/{world.project_id}/questionnaire")


def test_only_designers_and_staff_start_a_proefinterview(app, world, login_as):
    make_draft(app, world.project_id)
    for name in ("anna", "petra", "andere-staf"):
        _client, post = login_as(name)
        assert post(f"/projects/{world.project_id}/questionnaire/practice", {"language": "nl"}).status_code == 403
    # The panel may not use the practice screens either.
    petra, _ = login_as("petra")
    assert petra.get(f"/projects/{world.project_id}/practice/questions/1").status_code == 403
    assert stored(app) == (0, 0)
