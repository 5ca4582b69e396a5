"""The interview flow in Chromium at tablet size: a full interview with skip logic
(skip, go back, change the answer, the question appears), the follow-up note, the overview and
the debrief, in Dutch and with English as the interview language; practice mode; read-aloud
and larger text. axe-core runs on every screen, the error states included."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from peerinterview.extensions import db
from peerinterview.models import Answer, Interview
from tests.browser.helpers import assert_accessible
from tests.flow_builders import make_skip_version
from tests.helpers import PASSWORD

TEXTS = {
    "nl": dict(language="Nederlands", progress="Vraag {n} van {t}", next="Volgende", previous="Vorige",
               overview="Naar het overzicht", overview_title="Overzicht van de antwoorden",
               finish="Interview afronden", thanks="Dank u wel", next_steps="Wat gebeurt er nu?",
               note="Uitleg bij het antwoord", mood_error="Kies hoe het interview ging.",
               hard="Moeilijk", follow_up=re.compile("Er is nazorg nodig"), save="Opslaan",
               stop="Stoppen mag altijd.", explanation="Uitleg", debriefed="Uw terugblik is opgeslagen.",
               my_interviews="Naar mijn interviews"),
    "en": dict(language="English", progress="Question {n} of {t}", next="Next", previous="Previous",
               overview="Go to the overview", overview_title="Overview of the answers",
               finish="Finish the interview", thanks="Thank you", next_steps="What happens next?",
               note="Explanation of the answer", mood_error="Choose how the interview went.",
               hard="Hard", follow_up=re.compile("Aftercare is needed"), save="Save",
               stop="You can always stop.", explanation="Explanation", debriefed="Your look back is saved.",
               my_interviews="Go to my interviews"),
}

# A browser voice for the read-aloud tests: headless Chromium may have none (or some), so the
# test decides. Speech is recorded instead of played.
FAKE_SPEECH = """
(() => {
  const voices = %s;
  window.__spoken = [];
  class FakeUtterance { constructor(text) { this.text = text; this.lang = ""; this.voice = null; } }
  const synth = {
    speaking: false,
    getVoices: () => voices,
    speak: (u) => window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}),
    cancel: () => {},
    addEventListener: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  Object.defineProperty(window, "SpeechSynthesisUtterance", {value: FakeUtterance, configurable: true});
})();
"""


def log_in(page, username="anna"):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def row_counts(app):
    with app.app_context():
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
        db.session.remove()
    return counts


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_full_interview_with_skip_logic_note_overview_and_debrief(app, world, page, lang):
    texts = TEXTS[lang]
    make_skip_version(app, world.project_id)
    log_in(page)
    page.goto(f"/projects/{world.project_id}/interviews")
    assert_accessible(page, f"flow-{lang}-01-interviews")
    page.get_by_role("link", name="Nieuw interview beginnen").click()
    expect(heading(page, "Nieuw interview")).to_be_visible()
    assert_accessible(page, f"flow-{lang}-02-start")

    # Consent error state: both confirmations are needed.
    page.get_by_label("De Haven").check()
    page.get_by_label(re.compile("De persoon doet mee")).check()
    page.get_by_role("button", name="Interview beginnen").click()
    expect(page.get_by_role("alert")).to_contain_text("Vraag of we de antwoorden mogen gebruiken.")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page).to_have_title(re.compile("^Fout: "))
    assert_accessible(page, f"flow-{lang}-03-start-error")
    page.get_by_label("Tweede interviewer (mag leeg blijven)").select_option(label="Bram")
    page.get_by_label(texts["language"]).check()
    page.get_by_label(re.compile("De persoon vindt het goed")).check()
    page.get_by_role("button", name="Interview beginnen").click()

    # 1: "Bijna nooit" skips questions 2 and 3.
    expect(heading(page, "Hoe vaak komt u hier?")).to_be_focused()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_text(texts["progress"].format(n=1, t=4))).to_be_visible()
    expect(page.get_by_text(texts["stop"])).to_be_visible()
    page.get_by_label("Bijna nooit").check()
    page.get_by_label(texts["note"]).fill("Ik woon ver weg.")
    assert_accessible(page, f"flow-{lang}-04-question-note")
    page.get_by_role("button", name=texts["next"]).click()
    expect(heading(page, "Wilt u nog iets zeggen?")).to_be_focused()
    # One numbering: a question keeps its number when others are skipped.
    expect(page.get_by_text(texts["progress"].format(n=4, t=4))).to_be_visible()
    expect(page.get_by_role("button", name=texts["overview"])).to_be_visible()
    assert_accessible(page, f"flow-{lang}-05-after-skip")

    # Back, change the answer: question 2 appears, with its own number.
    page.get_by_role("button", name=texts["previous"]).click()
    expect(heading(page, "Hoe vaak komt u hier?")).to_be_focused()
    expect(page.get_by_label("Bijna nooit")).to_be_checked()
    expect(page.get_by_label(texts["note"])).to_have_value("Ik woon ver weg.")
    page.get_by_label("Elke dag").check()
    page.get_by_role("button", name=texts["next"]).click()
    expect(heading(page, "Hoe voelt u zich hier?")).to_be_focused()
    expect(page.get_by_text(texts["progress"].format(n=2, t=4))).to_be_visible()
    # Required here: the error state, in the interview's language.
    page.get_by_role("button", name=texts["next"]).click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, f"flow-{lang}-06-question-error")
    page.get_by_label("Slecht", exact=True).check()
    page.get_by_role("button", name=texts["next"]).click()
    # "Slecht" asks question 3 too.
    expect(heading(page, "Wat kan beter?")).to_be_focused()
    expect(page.get_by_text(texts["progress"].format(n=3, t=4))).to_be_visible()
    page.get_by_label("Wat kan beter?").fill("Meer rust in de avond.")
    page.get_by_role("button", name=texts["next"]).click()
    expect(heading(page, "Wilt u nog iets zeggen?")).to_be_focused()
    expect(page.get_by_text(texts["progress"].format(n=4, t=4))).to_be_visible()
    page.get_by_role("button", name=texts["overview"]).click()

    # The overview lists the four questions that were asked, the note included.
    expect(heading(page, texts["overview_title"])).to_be_focused()
    overview = page.locator(".answers-overview")
    expect(overview).to_contain_text("1. Hoe vaak komt u hier?")
    expect(overview).to_contain_text("Elke dag")
    expect(overview).to_contain_text(f"{texts['explanation']}: Ik woon ver weg.")
    expect(overview).to_contain_text("3. Wat kan beter?")
    expect(overview).to_contain_text("Meer rust in de avond.")
    expect(overview.locator("dt")).to_have_count(4)
    assert_accessible(page, f"flow-{lang}-07-overview")
    page.get_by_role("button", name=texts["finish"]).click()

    # Thank you, what happens next, and the debrief (its error state first).
    expect(heading(page, texts["thanks"])).to_be_focused()
    expect(page.get_by_role("heading", level=2, name=texts["next_steps"])).to_be_visible()
    assert_accessible(page, f"flow-{lang}-08-done")
    page.get_by_role("button", name=texts["save"]).click()
    expect(page.get_by_role("alert")).to_contain_text(texts["mood_error"])
    assert_accessible(page, f"flow-{lang}-09-debrief-error")
    page.get_by_label(texts["hard"]).check()
    page.get_by_label(texts["follow_up"]).check()
    page.get_by_role("button", name=texts["save"]).click()
    expect(page.get_by_text(texts["debriefed"])).to_be_visible()
    expect(page.get_by_label(texts["hard"])).to_be_checked()
    page.get_by_role("button", name=texts["my_interviews"]).click()
    expect(heading(page, "Interviews")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")  # back in the interviewer's language
    assert_accessible(page, f"flow-{lang}-10-list")

    with app.app_context():
        interview = db.session.scalar(select(Interview).where(Interview.project_id == world.project_id))
        answers = {a.question.position: (a.value, a.text, a.note) for a in
                   db.session.scalars(select(Answer).where(Answer.interview_id == interview.id))}
        assert interview.status == "completed"
        assert interview.language == lang
        assert interview.second_interviewer.username == "bram"
        assert (interview.debrief_mood, interview.follow_up_needed) == ("hard", True)
        assert answers[1] == ("1", None, "Ik woon ver weg.")
        assert answers[2] == ("2", None, None)
        assert answers[3] == (None, "Meer rust in de avond.", None)
        db.session.remove()


def test_practice_uses_the_same_screens_and_stores_nothing(app, world, page):
    make_skip_version(app, world.project_id)
    log_in(page)
    before = row_counts(app)
    page.goto(f"/projects/{world.project_id}/interviews")
    page.get_by_role("link", name="Oefenen", exact=True).click()
    expect(page.get_by_text("Oefenen – we bewaren niets")).to_be_visible()
    assert_accessible(page, "practice-01-start")
    page.get_by_label("Het Anker").check()
    page.get_by_label(re.compile("De persoon doet mee")).check()
    page.get_by_label(re.compile("De persoon vindt het goed")).check()
    page.get_by_role("button", name="Oefenen beginnen").click()

    expect(heading(page, "Hoe vaak komt u hier?")).to_be_focused()
    expect(page.get_by_text("Oefenen – we bewaren niets")).to_be_visible()
    page.get_by_label("Soms").check()
    page.get_by_label("Uitleg bij het antwoord").fill("Oefentekst")
    assert_accessible(page, "practice-02-question")
    page.get_by_role("button", name="Volgende").click()
    expect(heading(page, "Hoe voelt u zich hier?")).to_be_focused()
    page.get_by_label("Heel goed").check()
    page.get_by_role("button", name="Volgende").click()
    # "Heel goed": question 3 is skipped.
    expect(heading(page, "Wilt u nog iets zeggen?")).to_be_focused()
    expect(page.get_by_text("Vraag 4 van 4")).to_be_visible()
    page.get_by_role("button", name="Naar het overzicht").click()
    expect(heading(page, "Overzicht van de antwoorden")).to_be_focused()
    expect(page.get_by_text("Uitleg: Oefentekst")).to_be_visible()
    assert_accessible(page, "practice-03-overview")
    page.get_by_role("button", name="Oefenen afronden").click()
    expect(heading(page, "Klaar met oefenen")).to_be_focused()
    assert_accessible(page, "practice-04-done")
    assert row_counts(app) == before


def test_read_aloud_uses_a_dutch_voice_and_says_when_there_is_none(app, world, new_page):
    page = new_page()
    page.add_init_script(FAKE_SPEECH % '[{"name": "Test Nederlands", "lang": "nl-NL", "localService": true}]')
    log_in(page)
    page.goto(f"/projects/{world.project_id}/interviews/new")
    consent_button = page.locator("[data-read-aloud='#consent-read']")
    expect(consent_button).to_be_visible()
    consent_button.click()
    assert page.evaluate("window.__spoken") == [{"text": "Meedoen is vrijwillig.", "lang": "nl-NL", "voice": "Test Nederlands"}]
    page.get_by_label("De Haven").check()
    page.get_by_label(re.compile("De persoon doet mee")).check()
    page.get_by_label(re.compile("De persoon vindt het goed")).check()
    page.get_by_role("button", name="Interview beginnen").click()
    expect(heading(page, "Hoe vaak komt u hier?")).to_be_focused()
    page.evaluate("window.__spoken = []")
    page.get_by_role("button", name="Voorlezen").click()
    spoken = page.evaluate("window.__spoken")
    assert [s["text"] for s in spoken] == ["Hoe vaak komt u hier?", "Elke dag", "Soms", "Bijna nooit"]
    assert {s["lang"] for s in spoken} == {"nl-NL"}
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page, "read-aloud-question")

    # Only an English voice: Dutch is never read with an English voice; the button stays and,
    # tapped, says that there is no voice and how to add one.
    other = new_page()
    other.add_init_script(FAKE_SPEECH % '[{"name": "Test English", "lang": "en-GB", "localService": true}]')
    log_in(other)
    other.goto(f"/projects/{world.project_id}/interviews/new")
    consent_button = other.locator("[data-read-aloud='#consent-read']")
    expect(consent_button).to_be_visible()
    consent_button.click()
    assert other.evaluate("window.__spoken") == []
    expect(other.locator("[data-read-aloud-note]").first).to_contain_text(
        "Voorlezen lukt niet op deze tablet. Er is geen stem voor deze taal.")
    assert_accessible(other, "read-aloud-no-voice")


def test_larger_text_is_a_remembered_toggle(app, world, page):
    log_in(page)
    page.goto(f"/projects/{world.project_id}/interviews/new")
    toggle = page.get_by_role("button", name="Grotere letters")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("body")).to_have_class(re.compile("large-text"))
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > size
    page.reload()
    expect(page.locator("body")).to_have_class(re.compile("large-text"))
    expect(page.get_by_role("button", name="Grotere letters")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page, "large-text-start")
    # Only this preference is kept in localStorage.
    keys = page.evaluate("Object.keys(localStorage)")
    assert [k for k in keys if k.startswith("peerinterview.large")] == ["peerinterview.largeText"]
    assert page.evaluate("localStorage.getItem('peerinterview.largeText')") == "1"
    page.get_by_role("button", name="Grotere letters").click()
    expect(page.locator("body")).not_to_have_class(re.compile("large-text"))


def test_staff_see_follow_up_flags_and_withdraw_by_code(app, world, page):
    from tests.builders import interview_row, make_interview

    interview_id = make_interview(app, world.project_id, "anna", completed=True, answers={"q1": "1", "q3": "Iets"})
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        interview.debrief_mood, interview.follow_up_needed = "hard", True
        db.session.commit()
        db.session.remove()
    code = interview_row(app, interview_id).respondent_code
    log_in(page, "staf")
    page.goto(f"/projects/{world.project_id}/interviews")
    expect(page.get_by_text("1 interview heeft nazorg nodig.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Nazorg nodig"))).to_be_visible()
    assert_accessible(page, "staff-01-interviews")
    page.get_by_label("Code van het interview").fill("ZZZZZ")
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("alert")).to_contain_text("Er is geen interview met deze code.")
    assert_accessible(page, "staff-02-withdraw-error")
    page.get_by_label("Code van het interview").fill(code)
    page.get_by_role("button", name="Verder").click()
    expect(heading(page, f"Interview {code} intrekken?")).to_be_focused()
    assert_accessible(page, "staff-03-withdraw-confirm")
    page.get_by_role("button", name="Ja, intrekken en antwoorden wissen").click()
    expect(page.get_by_text(f"Het interview met code {code} is ingetrokken.")).to_be_visible()
    expect(page.get_by_role("cell", name="Ingetrokken")).to_be_visible()
    assert_accessible(page, "staff-04-withdrawn")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
        db.session.remove()
