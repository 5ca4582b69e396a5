"""A real answer and "Weet ik niet" / "Wil ik niet zeggen" exclude each other: choosing one clears
the other, also without JavaScript (the page showed the stored answer, so the part that changed
is the new choice). The autosave's refusal says what is wrong at the field itself."""
import re

from .builders import html_of, plain_text
from .test_question_types import HTMX, answer_row, q_url
from .test_question_types import interview_id, types_version  # noqa: F401 (fixtures)

MULTI, NUMBER, OPEN = 5, 6, 9


def test_ticks_after_dont_know_replace_it_without_javascript(app, interview_id, types_version, anna):  # noqa: F811
    client, post = anna
    assert post(q_url(interview_id, MULTI), {"special": "special:dont_know", "action": "next"}).status_code == 303
    # The page now shows "Weet ik niet" chosen; the interviewer ticks a box and taps Volgende:
    # the browser sends both.
    response = post(q_url(interview_id, MULTI), {"answer": ["2"], "special": "special:dont_know", "action": "next"})
    assert response.status_code == 303
    row = answer_row(app, interview_id, types_version[MULTI])
    assert (row.value, row.special) == ("2", None)
    html = html_of(client.get(q_url(interview_id, MULTI)))
    assert not re.search(r'value="special:dont_know"[^>]*checked|checked[^>]*value="special:dont_know"', html)


def test_dont_know_after_ticks_replaces_them_without_javascript(app, interview_id, types_version, anna):  # noqa: F811
    _client, post = anna
    assert post(q_url(interview_id, MULTI), {"answer": ["1", "3"], "action": "next"}).status_code == 303
    response = post(q_url(interview_id, MULTI), {"answer": ["1", "3"], "special": "special:refuse", "action": "next"})
    assert response.status_code == 303
    row = answer_row(app, interview_id, types_version[MULTI])
    assert (row.value, row.special) == (None, "refuse")


def test_number_and_open_text_follow_the_same_rule(app, interview_id, types_version, anna):  # noqa: F811
    _client, post = anna
    assert post(q_url(interview_id, NUMBER), {"number": "40", "action": "next"}).status_code == 303
    assert post(q_url(interview_id, NUMBER), {"number": "40", "special": "special:dont_know",
                                              "action": "next"}).status_code == 303
    row = answer_row(app, interview_id, types_version[NUMBER])
    assert (row.value, row.special) == (None, "dont_know")
    assert post(q_url(interview_id, NUMBER), {"number": "41", "special": "special:dont_know",
                                              "action": "next"}).status_code == 303
    row = answer_row(app, interview_id, types_version[NUMBER])
    assert (row.value, row.special) == ("41", None)
    assert post(q_url(interview_id, OPEN), {"text": "Meer eten", "action": "save"}).status_code == 303
    assert post(q_url(interview_id, OPEN), {"text": "Meer eten", "special": "special:refuse",
                                            "action": "save"}).status_code == 303
    row = answer_row(app, interview_id, types_version[OPEN])
    assert (row.text, row.special) == (None, "refuse")


def test_autosave_with_both_keeps_the_new_choice(app, interview_id, types_version, anna):  # noqa: F811
    _client, post = anna
    post(q_url(interview_id, MULTI), {"special": "special:dont_know", "action": "save"}, headers=HTMX)
    response = post(q_url(interview_id, MULTI), {"answer": ["3"], "special": "special:dont_know", "action": "save"},
                    headers=HTMX)
    assert response.status_code == 200 and "Opgeslagen" in plain_text(response)
    row = answer_row(app, interview_id, types_version[MULTI])
    assert (row.value, row.special) == ("3", None)


def test_refused_autosave_puts_its_message_at_the_field(app, interview_id, types_version, anna):  # noqa: F811
    _client, post = anna
    response = post(q_url(interview_id, NUMBER), {"number": "12", "action": "save"}, headers=HTMX)
    assert response.status_code == 422
    html = html_of(response)
    # The status names the problem, and the field's own error slot gets it too (out of band).
    assert "Niet opgeslagen. Typ een getal van 16 tot en met 110." in plain_text(response)
    slot = re.search(r'<div id="number-error"[^>]*hx-swap-oob="true"[^>]*>(.*?)</div>', html, re.S)
    assert slot and "Typ een getal van 16 tot en met 110." in slot.group(1)
    assert answer_row(app, interview_id, types_version[NUMBER]) is None


def test_question_page_always_has_the_error_slot_the_field_points_at(app, interview_id, types_version, anna):  # noqa: F811
    client, _post = anna
    html = html_of(client.get(q_url(interview_id, NUMBER)))
    assert 'id="number-error"' in html
    assert re.search(r'aria-describedby="[^"]*number-error', html)
