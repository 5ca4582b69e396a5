"""What a page shows is decided by what the page says, not by the names of its variables.

- The offline answer queue runs only on a page that sets `offline_queue` (the interview screens),
  not on every page that happens to have an `interview` in its context.
- "Fout: " before the page title comes from `error_prefix(...)` in the page's title block, with
  the forms whose error summary the page shows, not from a context variable named `form`.
- Every error message at a field comes from the `field_error` macro, every text field with live
  B1 advice from `advised_field`.
- A page speaks a language of its own because its view (or blueprint) declares it, not because of
  the name of its endpoint.
"""
import re
from pathlib import Path

import pytest
from jinja2 import Environment, meta

from peerinterview.extensions import db
from peerinterview.models import Interview

from .builders import hidden_value, html_lang, html_of, make_interview, start_interview_http, title_of

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def _variables_read(name: str) -> set[str]:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    return meta.find_undeclared_variables(Environment(extensions=["jinja2.ext.i18n"]).parse(source))


# --- static: the templates ---------------------------------------------------------------------

@pytest.mark.database_independent
@pytest.mark.parametrize("name", ["base.html", "interview/_offline.html"])
def test_the_base_template_reads_no_page_variable_by_name(name):
    """The base template and the banner it includes on every page read only what the app gives
    every page and the flags a page sets on purpose."""
    guessed = {"form", "interview", "question", "number", "flow", "practice"} & _variables_read(name)
    assert not guessed, f"{name} reads {sorted(guessed)}: a page's variable names would change it"


@pytest.mark.database_independent
def test_every_field_error_comes_from_the_macro():
    """The error message at a field is written once, in macros/forms.html (field_error)."""
    offenders = []
    for path in _templates():
        relative = path.relative_to(TEMPLATES).as_posix()
        source = path.read_text(encoding="utf-8")
        if relative == "macros/forms.html":
            source = re.sub(r"{% macro field_error\(.*?{% endmacro %}", "", source, flags=re.S)
        for number, line in enumerate(source.splitlines(), 1):
            if "error-message" in line:
                offenders.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert not offenders, "use field_error(...) from macros/forms.html:\n" + "\n".join(offenders)


@pytest.mark.database_independent
def test_every_live_b1_advice_comes_from_the_macro():
    """A text field with live B1 advice is written once, in macros/b1.html (advised_field)."""
    offenders = [path.relative_to(TEMPLATES).as_posix() for path in _templates()
                 if "advice_for" in path.read_text(encoding="utf-8") and path.name != "b1.html"]
    assert not offenders, "use advised_field(...) from macros/b1.html: " + ", ".join(offenders)


def _title_block(source: str) -> str:
    match = re.search(r"{% block title %}(.*?){% endblock %}", source, flags=re.S)
    return match.group(1) if match else ""


@pytest.mark.database_independent
def test_a_page_with_an_error_summary_puts_fout_in_its_title():
    """GOV.UK: the title starts with "Fout: " when the page shows errors. Each page says which of
    its forms count; nothing else turns it on."""
    problems = []
    for path in _templates():
        relative = path.relative_to(TEMPLATES).as_posix()
        source = path.read_text(encoding="utf-8")
        title = _title_block(source)
        if "_('Fout')" in title:
            problems.append(f"{relative}: writes 'Fout' by hand in its title; use error_prefix(...)")
        summarised = set(re.findall(r"error_summary\((\w+)\)", source))
        if relative == "macros/forms.html" or not summarised:
            continue
        called = re.search(r"error_prefix\(([^)]*)\)", title)
        named = {part.strip() for part in called.group(1).split(",")} if called else set()
        missing = summarised - named
        if missing:
            problems.append(f"{relative}: shows an error summary of {sorted(missing)} "
                            f"but its title block has no error_prefix({', '.join(sorted(missing))})")
    assert not problems, "\n".join(problems)


@pytest.mark.database_independent
def test_no_language_is_chosen_by_endpoint_name():
    """The language of a page is declared by its view (localize.speaks) or blueprint."""
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "peerinterview").rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"endpoint\S*\.startswith\(", line)]
    assert not offenders, offenders


# --- HTTP: the offline queue follows the page's own flag ---------------------------------------

def test_only_the_interview_screens_start_the_offline_queue(app, world, login_as):
    client, post = login_as("anna")
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    question = html_of(client.get(f"/interviews/{interview_id}/questions/1"))
    assert f'data-interview-id="{interview_id}"' in question
    assert f'data-question-id="{world.question_ids[0]}"' in question and 'data-number="1"' in question
    overview = html_of(client.get(f"/interviews/{interview_id}/overview"))
    assert f'data-interview-id="{interview_id}"' in overview and "data-question-id" not in overview
    # Reading an interview's answers is no interview screen, though its context has the interview.
    finished = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    for reader in (client, login_as("staf")[0]):
        answers = reader.get(f"/interviews/{finished}/answers")
        assert answers.status_code == 200
        assert "data-interview-id" not in html_of(answers)


def test_the_withdraw_question_is_no_interview_screen(app, world, login_as):
    finished = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1"})
    with app.app_context():
        code = db.session.get(Interview, finished).respondent_code
        db.session.remove()
    staff, post = login_as("staf")
    confirm = post(f"/projects/{world.project_id}/interviews/withdraw", {"respondent_code": code})
    assert confirm.status_code == 200
    assert f"Interview {code} intrekken?" in html_of(confirm)
    assert "data-interview-id" not in html_of(confirm)


def test_practice_queues_nothing_and_someone_elses_interview_neither(app, world, login_as):
    client, post = login_as("anna")
    page = client.get(f"/projects/{world.project_id}/practice")
    post(f"/projects/{world.project_id}/practice", {
        "interview_id": hidden_value(page, "interview_id"), "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"), "location_id": str(world.location_ids[0]),
        "second_interviewer_id": "0", "language": "nl", "consent": "y", "consent_data": "y",
        "consent_method": "interviewer_tablet"})
    practice = client.get(f"/projects/{world.project_id}/practice/questions/1")
    assert practice.status_code == 200 and "Vraag 1 van 3" in html_of(practice)
    assert "data-interview-id" not in html_of(practice)
    # Staff may open anna's running interview; its answers are not queued on staff's device.
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    staff, _ = login_as("staf")
    response = staff.get(f"/interviews/{interview_id}/questions/1")
    assert "data-interview-id" not in html_of(response)


# --- HTTP: "Fout:" in the title follows the forms the page names -------------------------------

def test_an_error_in_a_form_not_called_form_puts_fout_in_the_title(world, login_as):
    """The project page's location form is called `location_form`: its errors still say "Fout"."""
    _staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/locations", {"name": ""})
    assert response.status_code == 422
    assert title_of(response).startswith("Fout: Onderzoek dagopvang")


def test_fout_is_in_the_title_once(world, login_as):
    client, post = login_as("anna")
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    response = post(f"/interviews/{interview_id}/stop", {"keep_answers": "perhaps"})
    assert response.status_code == 422
    assert title_of(response) == "Fout: Interview stoppen – PeerInterview"


def test_a_form_without_errors_gives_no_fout(world, login_as):
    client, _post = login_as("staf")
    assert not title_of(client.get(f"/projects/{world.project_id}")).startswith("Fout")


# --- HTTP: the language a view declares ---------------------------------------------------------

def test_only_the_interviewer_gets_the_interview_language(app, world, login_as):
    client, post = login_as("anna")
    page = client.get(f"/projects/{world.project_id}/interviews/new")
    interview_id = hidden_value(page, "interview_id")
    post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": interview_id, "respondent_code": hidden_value(page, "respondent_code"),
        "respondent_code_seal": hidden_value(page, "respondent_code_seal"), "location_id": str(world.location_ids[0]),
        "second_interviewer_id": "0", "language": "en", "consent": "y", "consent_data": "y",
        "consent_method": "interviewer_tablet"})
    for url in (f"/interviews/{interview_id}/questions/1", f"/interviews/{interview_id}/stop",
                f"/interviews/{interview_id}/answers"):
        response = client.get(url)
        assert html_lang(response) == "en", url
        assert 'name="lang"' not in html_of(response), url
    # Staff read the same interview's answers in their own language, with the switch.
    staff, _ = login_as("staf")
    answers = staff.get(f"/interviews/{interview_id}/answers")
    assert html_lang(answers) == "nl" and 'name="lang"' in html_of(answers)
