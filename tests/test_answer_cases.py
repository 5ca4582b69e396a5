"""The table of answer cases (tests/answer_cases.py) against the server: the question page posted
without JavaScript, the htmx autosave, and the sync that stores what a tablet read offline. The
same table runs against readAnswer() in Chromium (tests/browser/test_answer_cases_browser.py)."""
import re
import time

import pytest

from peerinterview.models import QUESTION_KINDS, SPECIAL_ANSWERS

from .answer_cases import (CASE_IDS, CASES, INVALID, QUESTIONS, REFUSED, build_answer_project, forget_answers,
                           has_note_field, stored_answer)
from .builders import html_of, make_interview
from .test_sync import Tablet

# --- the table itself ------------------------------------------------------------------------


def test_the_table_covers_every_kind_of_question_and_every_special_answer():
    assert len(set(CASE_IDS)) == len(CASE_IDS), "two cases with one id"
    assert {spec.kind for spec in QUESTIONS.values()} == set(QUESTION_KINDS)
    assert {case.question for case in CASES} == set(QUESTIONS), "a question without a case"
    expected = [case.server_expects for case in CASES] + [case.browser_expects for case in CASES]
    specials = {given["special"] for given in expected if isinstance(given, dict)} - {None}
    assert specials == set(SPECIAL_ANSWERS)
    assert {INVALID, REFUSED} <= {given for given in expected if isinstance(given, str)}
    assert any(has_note_field(case.spec) and isinstance(case.server_expects, dict) and case.server_expects["note"]
               for case in CASES), "no case with a follow-up note"


def test_every_difference_between_server_and_browser_says_why():
    for case in CASES:
        differs = case.server_expects != case.browser_expects
        assert bool(case.why) == differs, f"{case.id}: `why` must be given exactly when the sides differ"


# --- the runners -----------------------------------------------------------------------------

@pytest.fixture
def answering(app, login_as):
    """The questionnaire of the table, an interview in progress and its interviewer's client."""
    built = build_answer_project(app)
    client, post = login_as("ilse")
    interview_id = make_interview(app, built["project_id"], "ilse")
    return built, interview_id, client, post


def posted_fields(case) -> dict:
    """What the page's form sends without JavaScript after the case's steps: every text field
    (empty when nothing was typed), the last radio button chosen per group, every box ticked
    (a later choice clears nothing: that is the page's script)."""
    spec = case.spec
    data = {}
    if spec.kind == "number":
        data["number"] = ""
    elif spec.kind == "open":
        data["text"] = ""
    if has_note_field(spec):
        data["note"] = ""
    for name, value in case.steps:
        if name == "answer" and spec.kind == "multi":
            data.setdefault("answer", []).append(value)
        else:
            data[name] = value
    return data


def error_at_field(page: str) -> str:
    """The message the re-rendered page shows at a field (its error slot), or ""."""
    slots = re.findall(r'<div id="\w+-error" class="autosave-error" data-autosave-error[^>]*>(.*?)</div>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", " ".join(slots)).split())


def walk(app, answering, post_one) -> list[str]:
    """Every case of the table through `post_one(case, number) -> problem or None`; the list of
    problems. Asserts the walk saw every case."""
    built, interview_id, _client, _post = answering
    problems, walked = [], []
    for case in CASES:
        forget_answers(app, interview_id)
        number = built["numbers"][case.question]
        problem = post_one(case, number)
        walked.append(case.id)
        if problem:
            problems.append(f"{case.id}: {problem}")
    assert tuple(walked) == CASE_IDS
    return problems


def check_server_reply(app, answering, case, number, response, ok_status) -> str | None:
    _built, interview_id, _client, _post = answering
    expected = case.server_expects
    stored = stored_answer(app, interview_id, case.question, number)
    if expected == REFUSED:
        if response.status_code != 400:
            return f"expected the input guard's 400, got {response.status_code}"
    elif expected == INVALID:
        if response.status_code != 422 or not error_at_field(html_of(response)):
            return f"expected 422 with a message at the field, got {response.status_code}"
    elif response.status_code != ok_status:
        return f"expected {ok_status}, got {response.status_code}: {error_at_field(html_of(response))}"
    else:
        return None if stored == expected else f"stored {stored}, expected {expected}"
    empty = dict.fromkeys(stored)
    return None if stored == empty else f"stored {stored} although the post was refused"


def test_the_question_page_without_javascript_reads_every_case(app, answering):
    _built, interview_id, _client, post = answering

    def post_one(case, number):
        response = post(f"/interviews/{interview_id}/questions/{number}", {**posted_fields(case), "action": "next"})
        return check_server_reply(app, answering, case, number, response, 303)

    assert walk(app, answering, post_one) == []


def test_the_autosave_reads_every_case(app, answering):
    _built, interview_id, _client, post = answering

    def post_one(case, number):
        response = post(f"/interviews/{interview_id}/questions/{number}/answer",
                        {**posted_fields(case), "action": "save"}, headers={"HX-Request": "true"})
        return check_server_reply(app, answering, case, number, response, 200)

    assert walk(app, answering, post_one) == []


def test_the_sync_stores_what_the_tablet_reads_as_the_form_would(app, answering):
    """The answer readAnswer() gives (the table's browser side, checked in Chromium) is accepted
    by /sync (_checked_answer) and stored as the form path stores the same page; an answer the
    tablet marks invalid is never sent."""
    built, interview_id, client, _post = answering
    tablet = Tablet(client, built["project_id"])

    def post_one(case, number):
        sent = case.browser_expects
        if sent == INVALID:
            return None  # never queued, so never synced
        question_id = _question_id(app, interview_id, number)
        changed_at = int(time.time() * 1000)
        response = tablet.sync(interview_id, [tablet.envelope(interview_id, question_id, changed_at, sent)])
        if response.status_code != 200:
            return f"the sync refused {sent}: {response.status_code} {response.get_data(as_text=True)[:200]}"
        stored = stored_answer(app, interview_id, case.question, number)
        # Where the sides agree (no `why`), this is also what the form path stored.
        return None if stored == sent else f"the sync stored {stored}, the tablet sent {sent}"

    assert walk(app, answering, post_one) == []


def _question_id(app, interview_id, number) -> int:
    from sqlalchemy import select

    from peerinterview.extensions import db
    from peerinterview.models import Interview, Question

    with app.app_context():
        version_id = db.session.get(Interview, interview_id).version_id
        question_id = db.session.scalar(select(Question.id).where(Question.version_id == version_id,
                                                                   Question.position == number))
        db.session.remove()
    return question_id
