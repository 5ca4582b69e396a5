"""Plain Dutch (B1) in the texts people stumbled on: counts of zero and one, one word per thing
("uitleg" for the extra text with an answer, "terugblik" for the debrief, "deelnemer" only for
the person who was interviewed and "cliënt" for an account), no passive with "worden", and
links that say where they go."""
import re

import pytest

from peerinterview.plainlanguage import check

from .builders import html_of, interview_row, make_interview, plain_text
from .test_translations import _extracted, _forms

# The checker's own example of a passive sentence is the one "wordt" the app may say.
PASSIVE_EXAMPLE = "De brief wordt verstuurd"


@pytest.mark.database_independent
def test_no_dutch_text_uses_the_passive_with_worden():
    """B1 asks for the active voice. "Er wordt niets opgeslagen" hides who does it; "We bewaren
    niets" does not. The app's own B1 checker finds them."""
    offenders = []
    for message in _extracted():
        if not message.id:
            continue
        for text in _forms(message.id):
            plain = re.sub(r"%\(\w+\)[sd]", "X", text.replace(PASSIVE_EXAMPLE, ""))
            for flag in check(plain).flags:
                if flag.kind == "passive" and re.match(r"(wordt|worden|werd|werden)\b", flag.text, re.I):
                    offenders.append(f"{flag.text!r} in {text!r}")
    assert not offenders, "Say who does it (active voice):\n" + "\n".join(offenders)


@pytest.mark.database_independent
@pytest.mark.parametrize("word, instead", [
    ("toelichting", "uitleg"),
    ("nagesprek", "terugblik"),
    ("terugkijken", "Terugblik invullen (the link opens the debrief)"),
    ("respondentcode", "code van de deelnemer"),
    ("conclusie", "what the panel writes goes into the report"),
])
def test_one_word_for_one_thing(word, instead):
    found = [_forms(m.id)[0] for m in _extracted() if m.id and any(word in t.lower() for t in _forms(m.id))]
    assert not found, f"Use '{instead}' instead of '{word}':\n" + "\n".join(found)


def test_report_method_says_no_interviews_instead_of_zero_interviewers(world, login_as):
    client, _post = login_as("staf")
    text = plain_text(client.get(f"/projects/{world.project_id}/report"))
    method = text[text.index("Wie interviewden"):]
    assert "0 interviewer" not in method
    assert method.startswith("Wie interviewden Nog geen interviews.")


def test_report_method_with_one_interviewer(app, world, login_as):
    make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    client, _post = login_as("staf")
    text = plain_text(client.get(f"/projects/{world.project_id}/report"))
    assert "1 interviewer deed mee." in text
    assert "interviewers deden" not in text and "hield de interviews" not in text


def test_the_debrief_link_says_it_opens_the_debrief(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    client, _post = login_as("anna")
    page = html_of(client.get(f"/projects/{world.project_id}/interviews"))
    code = interview_row(app, interview_id).respondent_code
    assert (f'<a href="/interviews/{interview_id}/done">Terugblik invullen'
            f'<span class="visually-hidden"> {code}</span></a>') in page
    assert "Terugkijken" not in page
    done = plain_text(client.get(f"/interviews/{interview_id}/done"))
    assert "Terugblik Dit is voor u als interviewer." in done and "Hoe ging het interview?" in done


def test_an_account_is_a_client_and_a_participant_is_who_was_interviewed(world, login_as):
    client, _post = login_as("staf")
    accounts = plain_text(client.get("/accounts"))
    assert "Anna anna Cliënt" in accounts and "Deelnemer" not in accounts
    new_user = plain_text(client.get("/accounts/new"))
    assert "Maak een account voor een cliënt of een begeleider." in new_user
    assert "deelnemer" not in new_user.lower()
    erase = plain_text(client.get(f"/projects/{world.project_id}/wissen"))
    assert "Gegevens van een deelnemer wissen" in erase and "Code van de deelnemer" in erase


def test_the_erase_page_says_who_erases_and_counts_one_answer(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "2"}, completed=True)
    code = interview_row(app, interview_id).respondent_code
    client, post = login_as("staf")
    page = plain_text(client.get(f"/projects/{world.project_id}/wissen"))
    assert "We wissen alle antwoorden, notities en het interview zelf." in page
    assert "worden gewist" not in page
    confirm = plain_text(post(f"/projects/{world.project_id}/wissen", {"respondent_code": code}))
    assert "Dit wissen we:" in confirm and "wordt gewist" not in confirm
    done = post(f"/projects/{world.project_id}/wissen", {"respondent_code": code, "step": "confirm", "confirm": "y"})
    assert "We hebben alles van deze deelnemer gewist: 1 antwoord." in plain_text(client.get(done.headers["Location"]))


def test_the_presentation_slide_names_the_answer_first_on_every_line(app, world, login_as):
    from .builders import make_completed

    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 6 + [{"q1": "2"}] * 5)
    staff, staff_post = login_as("staf")
    petra, _ = login_as("petra")
    assert staff_post(f"/projects/{world.project_id}/present", {"slide": "q:q1"}).status_code == 303
    text = plain_text(petra.get(f"/projects/{world.project_id}/present"))
    assert "Elke dag: 6 van de 11 mensen (55%)" in text
    assert "Soms: 5 van de 11 mensen (45%)" in text
    assert "mensen kozen:" not in text and "mensen koos:" not in text
