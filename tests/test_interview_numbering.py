"""One numbering everywhere (tablet, overview, answers page, results page): information screens
are no questions, and a question keeps its number whatever skip logic shows. "Veranderen" on the
overview comes back to the overview after the change."""
import re

from .builders import html_of, location_of, plain_text, title_of
from .test_question_types import answer_row, q_url
from .test_question_types import interview_id, types_version  # noqa: F401 (fixtures)


def answer_all(post, iid, *, soup=True):
    post(q_url(iid, 1), {"answer": "1", "action": "next"})
    post(q_url(iid, 2), {"answer": "3", "action": "next"})
    post(q_url(iid, 3), {"text": "Meer rust", "action": "next"})
    post(q_url(iid, 4), {"action": "next"})
    post(q_url(iid, 5), {"answer": ["2"] if soup else ["1"], "action": "next"})
    post(q_url(iid, 6), {"number": "40", "action": "next"})
    post(q_url(iid, 7), {"answer": "yes", "action": "next"})
    if soup:
        post(q_url(iid, 8), {"answer": "2", "action": "next"})
    post(q_url(iid, 9), {"text": "Nee", "action": "next"})


def test_info_screens_have_no_number_and_questions_keep_theirs(app, interview_id, types_version, anna):  # noqa: F811
    client, post = anna
    info = client.get(q_url(interview_id, 4))
    assert title_of(info) == "Uitleg – PeerInterview"
    assert not re.search(r"Vraag \d+ van", plain_text(info))
    assert "Vraag 4 van 8" in plain_text(client.get(q_url(interview_id, 5)))  # after the info screen
    answer_all(post, interview_id, soup=False)  # "Hoe is de soep?" (7) is skipped
    assert "Vraag 8 van 8" in plain_text(client.get(q_url(interview_id, 9)))
    overview = plain_text(client.get(f"/interviews/{interview_id}/overview"))
    assert "4. Wat eet u graag?" in overview and "8. Wilt u nog iets zeggen?" in overview
    assert "Hoe is de soep?" not in overview
    assert location_of(post(f"/interviews/{interview_id}/overview")) == f"/interviews/{interview_id}/done"
    answers = plain_text(client.get(f"/interviews/{interview_id}/answers"))
    assert "4. Wat eet u graag?" in answers and "8. Wilt u nog iets zeggen?" in answers
    assert "7. Hoe is de soep? Niet gevraagd" in answers


def test_results_page_numbers_questions_the_same_way(app, world, types_version, login_as):  # noqa: F811
    from .builders import make_completed

    make_completed(app, world.project_id, "anna", [{}] * 5)  # on the newest version
    client, _post = login_as("staf")
    text = plain_text(client.get(f"/projects/{world.project_id}/results"))
    assert "4. Wat eet u graag?" in text and "8. Wilt u nog iets zeggen?" in text
    assert "Nu gaan we praten over het eten." not in text


def test_change_from_the_overview_returns_to_the_overview(app, interview_id, types_version, anna):  # noqa: F811
    client, post = anna
    answer_all(post, interview_id, soup=True)
    overview = html_of(client.get(f"/interviews/{interview_id}/overview"))
    assert f'href="{q_url(interview_id, 2)}?overview=1"' in overview
    page = client.get(q_url(interview_id, 2) + "?overview=1")
    assert "Terug naar het overzicht" in plain_text(page)
    assert 'name="overview" value="1"' in html_of(page)
    response = post(q_url(interview_id, 2), {"answer": "5", "overview": "1", "action": "next"})
    assert location_of(response) == f"/interviews/{interview_id}/overview"
    assert answer_row(app, interview_id, types_version[2]).value == "5"
    # "Vorige" keeps the way back to the overview.
    response = post(q_url(interview_id, 2), {"answer": "5", "overview": "1", "action": "previous"})
    assert location_of(response) == q_url(interview_id, 1) + "?overview=1"
    # Without it, "Volgende" goes on as before.
    assert location_of(post(q_url(interview_id, 2), {"answer": "5", "action": "next"})) == q_url(interview_id, 3)


def test_a_change_that_brings_in_a_question_asks_it_first(app, interview_id, types_version, anna):  # noqa: F811
    _client, post = anna
    answer_all(post, interview_id, soup=False)
    # Now "Soep" too: "Hoe is de soep?" appears; it is asked before the overview.
    response = post(q_url(interview_id, 5), {"answer": ["1", "2"], "overview": "1", "action": "next"})
    assert location_of(response) == q_url(interview_id, 8) + "?overview=1"
    response = post(q_url(interview_id, 8), {"answer": "3", "overview": "1", "action": "next"})
    assert location_of(response) == f"/interviews/{interview_id}/overview"
