"""The table of answer cases (tests/answer_cases.py) against readAnswer() of
static/js/offline/answer.js, in Chromium on the real question pages of an interview: each case is
filled in as a person does (the page's own scripts run), then the module is imported from the
server (same origin, so the Content-Security-Policy allows it) and reads the form. The server's
side of the same table is tests/test_answer_cases.py."""
from playwright.sync_api import expect

from tests.answer_cases import CASE_IDS, CASES, INVALID, build_answer_project
from tests.browser.test_offline import log_in
from tests.builders import make_interview

READ = ("async () => (await import('/static/js/offline/answer.js'))"
        ".readAnswer(document.querySelector('form.question-form'))")

# Back to an empty page between cases, without events: nothing the page's scripts react to.
EMPTY_THE_FORM = """() => {
  const form = document.querySelector('form.question-form');
  form.querySelectorAll('input[type=radio], input[type=checkbox]').forEach((box) => { box.checked = false; });
  form.querySelectorAll('input[name=number], textarea').forEach((field) => { field.value = ''; });
}"""

# A state the page's scripts never let a person make (both parts of an answer): set directly.
SET_WITHOUT_EVENTS = """([name, value]) => {
  const form = document.querySelector('form.question-form');
  const box = form.querySelector(`input[name="${name}"][value="${value}"]`);
  if (box) box.checked = true; else form.querySelector(`[name="${name}"]`).value = value;
}"""


def fill(page, case):
    form = page.locator("form.question-form")
    for name, value in case.steps:
        if case.without_events:
            page.evaluate(SET_WITHOUT_EVENTS, [name, value])
        elif name in ("answer", "special"):
            form.locator(f'input[name="{name}"][value="{value}"]').check()
        else:
            form.locator(f'[name="{name}"]').fill(value)
            if "\x07" in value:  # the page holds the character: leaving it out is readAnswer's doing
                assert "\x07" in form.locator(f'[name="{name}"]').input_value(), case.id


def test_read_answer_reads_every_case_as_the_table_says(app, new_page):
    built = build_answer_project(app)
    interview_id = make_interview(app, built["project_id"], "ilse")
    page = new_page()
    log_in(page, "ilse")
    problems, walked, shown = [], [], None
    for case in sorted(CASES, key=lambda case: built["numbers"][case.question]):
        number = built["numbers"][case.question]
        if number != shown:  # one page load per question
            page.goto(f"/interviews/{interview_id}/questions/{number}")
            expect(page.locator("form.question-form")).to_have_count(1)
            shown = number
        page.evaluate(EMPTY_THE_FORM)
        fill(page, case)
        read = page.evaluate(READ)
        walked.append(case.id)
        expected = case.browser_expects
        if expected == INVALID:
            if read.get("invalid") is not True:
                problems.append(f"{case.id}: expected invalid, read {read}")
        elif read != expected:
            problems.append(f"{case.id}: read {read}, expected {expected}")
    assert sorted(walked) == sorted(CASE_IDS)
    assert problems == []
    assert not [error for error in page.console_errors if "status of 422" not in error], page.console_errors
