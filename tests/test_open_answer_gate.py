"""The staff check before the panel reads open answers, over HTTP: a panel member who opens every
page, fragment, slide and report the panel has sees no text staff did not release; staff release in
bulk only what the scanner found nothing in, redact and release one by one, or hold one back; a
change after the release sends an answer back to the check; with the check switched off the panel
reads everything that was not held back, as before."""
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.interview.services import save_answer
from peerinterview.models import Answer, AuditEvent, Interview, Project, Question
from peerinterview.models.base import utcnow

from .builders import answers_of, html_of, location_of, make_completed, plain_text, start_interview_http
from .helpers import card_key_of
from .test_report import pdf_text

HTMX = {"HX-Request": "true"}
SECRET = "GEHEIM"


def answer_id_of(app, interview_id, kind="open") -> int:
    with app.app_context():
        answer_id = db.session.scalars(select(Answer.id).join(Question).where(
            Answer.interview_id == interview_id, Question.kind == kind)).one()
        db.session.remove()
    return answer_id


def card_of(app, interview_id) -> str:
    """The card key the panel's pages carry for the interview's open answer."""
    with app.app_context():
        key = card_key_of(db.session.scalars(select(Answer).join(Question).where(
            Answer.interview_id == interview_id, Question.kind == "open")).one())
        db.session.remove()
    return key


def state_of(app, answer_id) -> tuple[str, str | None, str | None]:
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        state = (answer.review, answer.text, answer.note)
        db.session.remove()
    return state


def queue_url(world, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/projects/{world.project_id}/herkenbare-details" + (f"?{query}" if query else "")


def seen_of(staff, world, answer_id, **args) -> str:
    """The fingerprint the queue page puts in the release form of this answer."""
    html = html_of(staff.get(queue_url(world, toon="alle", **args)))
    match = re.search(rf'herkenbare-details/{answer_id}/vrijgeven[^"]*">\s*<input[^>]*name="csrf_token"[^>]*>\s*'
                      r'<input type="hidden" name="seen" value="([0-9a-f]+)"', html)
    assert match, html[:3000]
    return match.group(1)


def release(post, world, answer_id, seen):
    return post(f"/projects/{world.project_id}/herkenbare-details/{answer_id}/vrijgeven", {"seen": seen})


def change_text_later(app, interview_id, text):
    """A change made after the release (a late sync or an edit): a newer change time."""
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        question = next(q for q in interview.version.questions if q.kind == "open")
        assert save_answer(interview, question, text=text, changed_at=utcnow() + timedelta(seconds=1))
        db.session.commit()
        db.session.remove()


def panel_pages(app, world, staff_post, theme_id) -> dict[str, str]:
    """Every page and fragment the panel role has that could show open-answer text or a count
    built on it, read as petra: {what: text}. The presentation is walked slide by slide."""
    from peerinterview.panel.presentation import slide_keys

    petra_client = app.test_client()
    from .helpers import login

    login(petra_client, "petra")
    p = f"/projects/{world.project_id}"
    urls = [f"{p}/themes", f"{p}/themes?show=unsorted", f"{p}/themes?theme={theme_id}&show=theme",
            f"{p}/themes/changes?since=-1", f"{p}/themes/{theme_id}", f"{p}/themes/{theme_id}/discuss",
            f"{p}/quotes", f"{p}/recommendations", f"{p}/results", f"{p}/results/q3/open-answers",
            f"{p}/results/q1/breakdown", f"{p}/report", f"{p}/report/summary", f"{p}/bewaarde-uitkomsten"]
    seen = {}
    for url in urls:
        for headers in ({}, HTMX):
            response = petra_client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)
            seen[f"{url} {headers}"] = html_of(response)
    for url in (f"{p}/report.pdf", f"{p}/report/summary.pdf"):
        response = petra_client.get(url)
        assert response.status_code == 200, url
        seen[url] = pdf_text(response.data)[1]
    with app.app_context():
        keys = slide_keys(db.session.get(Project, world.project_id))
        db.session.remove()
    for key in keys:
        assert staff_post(f"{p}/present", {"slide": key}).status_code == 303
        seen[f"present {key}"] = html_of(petra_client.get(f"{p}/present"))
        seen[f"present {key} fragment"] = html_of(petra_client.get(f"{p}/present/slide?v=-1", headers=HTMX))
    return seen


@pytest.fixture
def panel_work(app, world, login_as):
    """Six completed interviews whose texts staff released; the panel sorted the first into the
    theme "Rust" and staff approved it as a quote. Returns (theme id, the interview ids)."""
    ids = make_completed(app, world.project_id, "anna",
                         [{"q1": "1", "q3": f"Vrijgegeven {n} over de koffie."} for n in range(6)])
    _petra, petra_post = login_as("petra")
    response = petra_post(f"/projects/{world.project_id}/themes", {"name": "Rust"})
    theme_id = int(re.search(r"theme=(\d+)", location_of(response)).group(1))
    card = card_of(app, ids[0])
    assert petra_post(f"/projects/{world.project_id}/themes/{theme_id}/cards", {"card": card}).status_code == 303
    assert petra_post(f"/projects/{world.project_id}/quotes", {"card": card}).status_code == 303
    _staff, staff_post = login_as("staf")
    with app.app_context():
        from peerinterview.models.panel import Quote

        quote = db.session.scalars(select(Quote)).one()
        quote_id, version = quote.id, quote.version
        db.session.remove()
    response = staff_post(f"/projects/{world.project_id}/quotes/{quote_id}",
                          {f"q{quote_id}-text": "Vrijgegeven 0 als citaat.", f"q{quote_id}-version": str(version),
                           f"q{quote_id}-action": "approve"})
    assert response.status_code == 303
    return theme_id, ids


# --- the panel reads only what staff released ----------------------------------------------------

def test_the_panel_sees_no_unreleased_text_on_any_page_fragment_slide_or_report(app, world, login_as,
                                                                                panel_work):
    theme_id, ids = panel_work
    _staff, staff_post = login_as("staf")
    # New answers that nobody checked yet: two open texts, and a follow-up note.
    new = make_completed(app, world.project_id, "anna",
                         [{"q1": "2", "q3": f"{SECRET}-A Bel Sandra op 06-11111111."},
                          {"q1": "3", "q3": f"{SECRET}-B De soep is koud."}], released=False)
    with app.app_context():
        interview = db.session.get(Interview, new[1])
        q1 = interview.version.questions[0]
        save_answer(interview, q1, value="3", note=f"{SECRET}-NOTE Mijn buurman Piet",
                    changed_at=utcnow() + timedelta(seconds=1))
        db.session.commit()
        db.session.remove()
    # And the text of the card with the approved quote changes after its release.
    change_text_later(app, ids[0], f"{SECRET}-C Later veranderd.")

    pages = panel_pages(app, world, staff_post, theme_id)
    for what, text in pages.items():
        assert SECRET not in text, what
        assert "Vrijgegeven 0" not in text, what  # neither the old text nor its approved quote
    board = pages[f"/projects/{world.project_id}/themes {{}}"]
    assert "Alle kaarten (5)" in plain_text_of(board)
    assert "Vrijgegeven 5 over de koffie." in board  # the released ones are there
    results = plain_text_of(pages[f"/projects/{world.project_id}/results {{}}"])
    assert "5 mensen vertelden iets:" in results
    # One total for the project, never per question: two texts, a note and a changed text wait.
    assert results.count("wachten nog op controle") == 1
    assert "4 open antwoorden wachten nog op controle door een begeleider." in results
    theme = plain_text_of(pages[f"/projects/{world.project_id}/themes/{theme_id} {{}}"])
    assert "Vrijgegeven 0" not in theme and "0 kaarten" in theme

    # Proof that the pages would show them: staff release the soup and it is on the board.
    staff, staff_post = login_as("staf")
    soup = answer_id_of(app, new[1])
    assert release(staff_post, world, soup, seen_of(staff, world, soup)).status_code == 303
    petra, _ = login_as("petra")
    board = plain_text(petra.get(f"/projects/{world.project_id}/themes"))
    assert f"{SECRET}-B De soep is koud." in board and f"{SECRET}-A" not in board
    assert f"{SECRET}-NOTE" not in board  # the note of that interview is another answer, still waiting


def plain_text_of(html: str) -> str:
    import html as html_module

    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_card_key_guessed_for_an_unreleased_answer_is_refused(app, world, login_as, panel_work):
    theme_id, _ids = panel_work
    [hidden] = make_completed(app, world.project_id, "anna", [{"q3": f"{SECRET} Kerkstraat 12."}], released=False)
    card = card_of(app, hidden)
    petra, post = login_as("petra")
    for url in (f"/projects/{world.project_id}/themes/{theme_id}/cards", f"/projects/{world.project_id}/quotes"):
        response = post(url, {"card": card})
        assert response.status_code == 303
        assert "Deze kaart bestaat niet meer." in plain_text(petra.get(location_of(response)))
    with app.app_context():
        from peerinterview.models.panel import Coding, Quote

        answer_id = answer_id_of(app, hidden)
        assert db.session.scalar(select(Coding.id).where(Coding.answer_id == answer_id)) is None
        assert db.session.scalar(select(Quote.id).where(Quote.answer_id == answer_id)) is None
        db.session.remove()


# --- staff: the queue, bulk release, redaction, holding back --------------------------------------

def test_bulk_release_releases_only_answers_without_details_after_a_confirmation(app, world, login_as):
    clean = make_completed(app, world.project_id, "anna",
                           [{"q3": f"Schone tekst nummer {n}."} for n in range(4)], released=False)
    flagged = make_completed(app, world.project_id, "anna",
                             [{"q3": "Mijn begeleider Jan de Vries helpt goed."},
                              {"q3": "Bel me op 06-12345678."}], released=False)
    staff, post = login_as("staf")
    page = plain_text(staff.get(queue_url(world)))
    assert "6 antwoorden wachten op controle." in page
    assert "Bij 2 daarvan vond de computer misschien herkenbare details." in page
    assert "Alles zonder herkenbare details vrijgeven (4)" in page
    assert "6 antwoorden wachten op controle." in plain_text(staff.get(f"/projects/{world.project_id}"))

    confirm = staff.get(f"/projects/{world.project_id}/herkenbare-details/alles-vrijgeven")
    assert confirm.status_code == 200
    assert "U geeft 4 antwoorden vrij." in plain_text(confirm)
    until = re.search(r'name="until"[^>]*value="([^"]+)"', html_of(confirm)).group(1)
    # An answer that comes in after staff saw the count is not released with it.
    time.sleep(0.01)
    [late] = make_completed(app, world.project_id, "anna", [{"q3": "Kwam later binnen."}], released=False)
    response = post(f"/projects/{world.project_id}/herkenbare-details/alles-vrijgeven", {"until": until})
    assert response.status_code == 303
    assert "4 antwoorden zijn vrijgegeven." in plain_text(staff.get(location_of(response)))

    assert [state_of(app, answer_id_of(app, i))[0] for i in clean] == ["released"] * 4
    assert [state_of(app, answer_id_of(app, i))[0] for i in flagged + [late]] == ["pending"] * 3
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "answers.release_unflagged")).one()
        assert event.detail["answers"] == 4 and event.operation == "change"
        db.session.remove()
    petra, _ = login_as("petra")
    results = plain_text(petra.get(f"/projects/{world.project_id}/results/q3/open-answers"))
    assert "Schone tekst nummer 3." in results
    assert "Jan de Vries" not in results and "06-12345678" not in results and "Kwam later" not in results


def test_a_confirmation_without_a_valid_moment_releases_nothing(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q3": "Schoon."}], released=False)
    staff, post = login_as("staf")
    for until in ("", "gisteren", (utcnow() + timedelta(days=1)).isoformat()):
        response = post(f"/projects/{world.project_id}/herkenbare-details/alles-vrijgeven", {"until": until})
        assert location_of(response) == f"/projects/{world.project_id}/herkenbare-details/alles-vrijgeven"
        again = plain_text(staff.get(location_of(response)))
        assert "Dat ging niet goed." in again and "U geeft 1 antwoord vrij." in again
    assert plain_text(staff.get(queue_url(world))).count("1 antwoord wacht op controle.") == 1


def test_a_flagged_answer_redacted_and_released_shows_the_redacted_text(app, world, login_as):
    ids = make_completed(app, world.project_id, "anna",
                         [{"q3": "Bel Sandra op 06-12345678, zij woont op de Kerkstraat 12."}]
                         + [{"q3": f"Schoon {n}."} for n in range(4)], released=False)
    answer_id = answer_id_of(app, ids[0])
    staff, post = login_as("staf")
    only = plain_text(staff.get(queue_url(world, alleen="gevonden")))
    assert "Sandra" in only and "Schoon 1." not in only and "Alleen met herkenbare details (1)" in only
    response = post(f"/projects/{world.project_id}/herkenbare-details/{answer_id}?toon=wacht&alleen=gevonden",
                    {"part": "text"})
    assert response.status_code == 303
    # Back to the answer in the list, which it stays in now that no details are left in it.
    assert location_of(response).endswith(f"?toon=wacht#answer-{answer_id}-text")
    assert state_of(app, answer_id) == ("pending", "Bel [naam] op [telefoonnummer], zij woont op de [adres].", None)
    petra, _ = login_as("petra")
    assert "[naam]" not in plain_text(petra.get(f"/projects/{world.project_id}/results"))  # not released yet
    assert release(post, world, answer_id, seen_of(staff, world, answer_id)).status_code == 303
    assert state_of(app, answer_id)[0] == "released"
    for url in (f"/projects/{world.project_id}/results", f"/projects/{world.project_id}/results/q3/open-answers",
                f"/projects/{world.project_id}/themes"):
        text = plain_text(petra.get(url))
        assert "Bel [naam] op [telefoonnummer], zij woont op de [adres]." in text, url
        assert "Sandra" not in text and "06-12345678" not in text and "Kerkstraat" not in text
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(answer_id))))
        assert {"answer.redact", "answer.release"} <= actions
        db.session.remove()


def test_a_release_of_a_text_that_changed_since_staff_read_it_is_refused(app, world, login_as):
    [interview] = make_completed(app, world.project_id, "anna", [{"q3": "Eerste versie."}], released=False)
    answer_id = answer_id_of(app, interview)
    staff, post = login_as("staf")
    seen = seen_of(staff, world, answer_id)
    change_text_later(app, interview, "Tweede versie met Jan erin.")
    response = release(post, world, answer_id, seen)
    assert response.status_code == 303
    assert "Dit antwoord is net veranderd." in plain_text(staff.get(location_of(response)))
    assert state_of(app, answer_id)[0] == "pending"


def test_staff_hold_an_answer_back_with_a_reason(app, world, login_as):
    ids = make_completed(app, world.project_id, "anna",
                         [{"q3": "Ik ben de enige vrouw op de nachtopvang."}]
                         + [{"q3": f"Schoon {n}."} for n in range(4)], released=False)
    answer_id = answer_id_of(app, ids[0])
    staff, post = login_as("staf")
    seen = seen_of(staff, world, answer_id)
    url = f"/projects/{world.project_id}/herkenbare-details/{answer_id}/niet-vrijgeven"
    response = post(url, {f"hold-{answer_id}-seen": seen, f"hold-{answer_id}-reason": "  "})
    assert response.status_code == 422
    assert "Schrijf op waarom u dit antwoord niet vrijgeeft." in plain_text(response)
    assert f'href="#hold-{answer_id}-reason"' in html_of(response)
    response = post(url, {f"hold-{answer_id}-seen": seen, f"hold-{answer_id}-reason": "Te herkenbaar."})
    assert response.status_code == 303
    assert state_of(app, answer_id)[0] == "held"
    held = plain_text(staff.get(queue_url(world, toon="tegengehouden")))
    assert "Ik ben de enige vrouw" in held and "Reden: Te herkenbaar." in held
    # Not in the bulk release either, and nowhere for the panel.
    confirm = plain_text(staff.get(f"/projects/{world.project_id}/herkenbare-details/alles-vrijgeven"))
    assert "U geeft 4 antwoorden vrij." in confirm
    petra, _ = login_as("petra")
    assert "enige vrouw" not in plain_text(petra.get(f"/projects/{world.project_id}/results/q3/open-answers"))
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answer.hold")).one()
        assert "herkenbaar" not in str(event.detail).lower()
        db.session.remove()


def test_the_flagged_filter_covers_every_answer_and_the_queue_pages(app, world, login_as):
    texts = [f"Schone tekst nummer {n}." for n in range(30)]
    texts[0] = "Bel Sandra."
    texts[27] = "Mail naar piet@example.nl."
    make_completed(app, world.project_id, "anna", [{"q3": text} for text in texts], released=False)
    staff, _ = login_as("staf")
    first = plain_text(staff.get(queue_url(world)))
    assert "Pagina 1 van 2" in first and "Schone tekst nummer 26." not in first
    assert "Schone tekst nummer 26." in plain_text(staff.get(queue_url(world, toon="wacht", page=2)))
    only = plain_text(staff.get(queue_url(world, alleen="gevonden")))
    assert "Sandra" in only and "piet@example.nl" in only and "Schone tekst" not in only
    assert "Alleen met herkenbare details (2)" in only and "Pagina 1 van 2" not in only
    assert staff.get(queue_url(world, toon="iets")).status_code == 404


def test_only_project_staff_check_release_and_hold(app, world, login_as):
    [interview] = make_completed(app, world.project_id, "anna", [{"q3": "Bel Sandra."}], released=False)
    answer_id = answer_id_of(app, interview)
    staff, _ = login_as("staf")
    seen = seen_of(staff, world, answer_id)
    base = f"/projects/{world.project_id}/herkenbare-details"
    for name in ("anna", "petra", "dirk", "andere-staf"):
        client, post = login_as(name)
        assert client.get(base).status_code == 403
        assert client.get(f"{base}/alles-vrijgeven").status_code == 403
        assert post(f"{base}/alles-vrijgeven", {"until": utcnow().isoformat()}).status_code == 403
        assert release(post, world, answer_id, seen).status_code == 403
        assert post(f"{base}/{answer_id}/niet-vrijgeven",
                    {f"hold-{answer_id}-seen": seen, f"hold-{answer_id}-reason": "x"}).status_code == 403
    assert state_of(app, answer_id)[0] == "pending"
    # Staff of another project cannot reach this project's answers through their own project.
    other, other_post = login_as("andere-staf")
    response = other_post(f"/projects/{world.other_project_id}/herkenbare-details/{answer_id}/vrijgeven",
                          {"seen": seen})
    assert response.status_code == 404
    assert state_of(app, answer_id)[0] == "pending"


# --- a change after the release -------------------------------------------------------------------

def test_a_late_sync_that_changes_a_released_answer_sends_it_back(app, world, login_as):
    """Answered and finished on the tablet, released by staff; then the tablet's queue delivers a
    change it made before finishing. The new text waits; the panel sees neither."""
    from .test_sync import Tablet, answer

    anna, anna_post = login_as("anna")
    interview_id = start_interview_http(anna, anna_post, world.project_id, world.location_ids[0])
    url = f"/interviews/{interview_id}/questions"
    assert anna_post(f"{url}/1", {"answer": "1", "action": "save"}, headers=HTMX).status_code == 200
    assert anna_post(f"{url}/3", {"text": "Eerst dit.", "action": "save"}, headers=HTMX).status_code == 200
    [_q1, q3] = answers_of(app, interview_id)
    time.sleep(0.05)
    assert anna_post(f"/interviews/{interview_id}/overview", {}).status_code == 303
    make_completed(app, world.project_id, "anna", [{"q3": f"Ander {n}."} for n in range(4)])
    staff, staff_post = login_as("staf")
    assert release(staff_post, world, q3.id, seen_of(staff, world, q3.id)).status_code == 303
    petra, _ = login_as("petra")
    assert "Eerst dit." in plain_text(petra.get(f"/projects/{world.project_id}/results"))

    changed_ms = int(q3.changed_at.timestamp() * 1000) + 20  # after the stored change, before finishing
    tablet = Tablet(anna, world.project_id)
    item = tablet.envelope(interview_id, q3.question_id, changed_ms, answer(text="Toch dit, van Jan Jansen."))
    assert tablet.sync(interview_id, [item]).status_code == 200
    assert state_of(app, q3.id) == ("pending", "Toch dit, van Jan Jansen.", None)
    text = plain_text(petra.get(f"/projects/{world.project_id}/results"))
    assert "Eerst dit." not in text and "Jan Jansen" not in text
    assert "1 open antwoord wacht nog op controle" in text


def test_a_resent_unchanged_answer_stays_released(app, world, login_as):
    from .test_sync import Tablet, answer

    anna, anna_post = login_as("anna")
    interview_id = start_interview_http(anna, anna_post, world.project_id, world.location_ids[0])
    tablet = Tablet(anna, world.project_id)
    item = tablet.envelope(interview_id, world.question_ids[2], int(time.time() * 1000), answer(text="Goed zo."))
    assert tablet.sync(interview_id, [item]).status_code == 200
    q3 = answer_id_of(app, interview_id)
    staff, staff_post = login_as("staf")
    assert release(staff_post, world, q3, seen_of(staff, world, q3)).status_code == 303
    assert tablet.sync(interview_id, [item]).status_code == 200  # the acknowledgement got lost
    assert state_of(app, q3) == ("released", "Goed zo.", None)


# --- the setting ------------------------------------------------------------------------------------

def switch_check(post, world, on: bool):
    data = {"name": "Onderzoek dagopvang", "research_question": "Wat vinden bezoekers?", "min_group_size": "5",
            "consent_text": "Meedoen is vrijwillig."}
    if on:
        data["review_open_answers"] = "y"
    assert post(f"/projects/{world.project_id}/edit", data).status_code == 303


def test_new_and_existing_projects_check_first_and_switching_off_restores_the_old_behaviour(app, world,
                                                                                            login_as):
    staff, post = login_as("staf")
    checkbox = re.search(r'<input[^>]*name="review_open_answers"[^>]*>', html_of(staff.get("/projects/new"))).group()
    assert "checked" in checkbox
    with app.app_context():
        assert db.session.get(Project, world.project_id).review_open_answers is True
        db.session.remove()
    ids = make_completed(app, world.project_id, "anna", [{"q3": f"Ongecontroleerd {n}."} for n in range(5)],
                         released=False)
    held = answer_id_of(app, ids[0])
    reason = {f"hold-{held}-seen": seen_of(staff, world, held), f"hold-{held}-reason": "Te persoonlijk."}
    assert post(f"/projects/{world.project_id}/herkenbare-details/{held}/niet-vrijgeven", reason).status_code == 303
    petra, _ = login_as("petra")
    assert "Ongecontroleerd" not in plain_text(petra.get(f"/projects/{world.project_id}/themes"))

    switch_check(post, world, on=False)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "project.review_open_answers")).one()
        assert event.detail == {"on": False}
        db.session.remove()
    for url in (f"/projects/{world.project_id}/themes", f"/projects/{world.project_id}/results/q3/open-answers"):
        text = plain_text(petra.get(url))
        assert all(f"Ongecontroleerd {n}." in text for n in range(1, 5)), url
        assert "Ongecontroleerd 0." not in text  # held back by staff stays held back
        assert "wachten nog op controle" not in text
    assert "De controle staat uit voor dit onderzoek." in plain_text(staff.get(queue_url(world)))

    switch_check(post, world, on=True)
    assert "Ongecontroleerd" not in plain_text(petra.get(f"/projects/{world.project_id}/themes"))


def test_the_thank_you_page_says_who_reads_the_answers(app, world, login_as):
    anna, anna_post = login_as("anna")
    interview_id = start_interview_http(anna, anna_post, world.project_id, world.location_ids[0])
    assert anna_post(f"/interviews/{interview_id}/questions/1", {"answer": "1", "action": "next"}).status_code == 303
    assert anna_post(f"/interviews/{interview_id}/overview", {}).status_code == 303
    done = plain_text(anna.get(f"/interviews/{interview_id}/done"))
    assert "Een begeleider leest eerst de open antwoorden." in done
    assert "Daarna bespreekt het panel de antwoorden. Het panel ziet niet wie iets zei." in done
    assert "In het rapport staan alleen getallen over groepen van 5 mensen of meer." in done
    assert "Alleen de interviewer en de begeleider zien alle antwoorden van deze persoon bij elkaar." in done
    assert "Niemand kan zien" not in done
    _staff, post = login_as("staf")
    switch_check(post, world, on=False)
    done = plain_text(anna.get(f"/interviews/{interview_id}/done"))
    assert "Een begeleider leest eerst" not in done
    assert "Het panel leest de open antwoorden zoals de interviewer ze opschreef." in done


def test_the_project_page_counts_what_waits_for_staff_only(app, world, login_as):
    make_completed(app, world.project_id, "anna", [{"q3": "Wacht."}, {"q3": "Wacht ook."}], released=False)
    staff, _ = login_as("staf")
    page = staff.get(f"/projects/{world.project_id}")
    assert "2 antwoorden wachten op controle." in plain_text(page)
    assert f'href="/projects/{world.project_id}/herkenbare-details"' in html_of(page)
    petra, _ = login_as("petra")
    assert "wachten op controle" not in plain_text(petra.get(f"/projects/{world.project_id}"))


def test_the_demo_panel_works_with_released_answers(app):
    from .builders import demo_login

    from peerinterview.counting import counts_in_results

    client, project_id = demo_login(app, "demo-panel")
    with app.app_context():
        states = set(db.session.scalars(select(Answer.review).join(Interview).where(
            counts_in_results(project_id), Answer.text.is_not(None))))
        staff = find_user("demo-staf")
        assert states == {"released"} and staff is not None
        # The interview staff marked "niet meetellen" is not in the check: its texts still wait,
        # and the panel never reads them.
        excluded = set(db.session.scalars(select(Answer.review).join(Interview).where(
            Interview.project_id == project_id, Interview.review_state == "excluded", Answer.text.is_not(None))))
        assert excluded == {"pending"}
        db.session.remove()
    assert "Alle kaarten (0)" not in plain_text(client.get(f"/projects/{project_id}/themes"))


def test_merging_a_theme_keeps_the_cards_that_wait_for_the_check(app, world, login_as, panel_work):
    rust, ids = panel_work
    petra, post = login_as("petra")
    response = post(f"/projects/{world.project_id}/themes", {"name": "Koffie"})
    koffie = int(re.search(r"theme=(\d+)", location_of(response)).group(1))
    change_text_later(app, ids[0], "Later veranderd over de koffie.")
    assert post(f"/projects/{world.project_id}/themes/{koffie}/merge", {"other": str(rust)}).status_code == 303
    assert "Later veranderd" not in plain_text(petra.get(f"/projects/{world.project_id}/themes/{koffie}"))
    staff, staff_post = login_as("staf")
    changed = answer_id_of(app, ids[0])
    assert release(staff_post, world, changed, seen_of(staff, world, changed)).status_code == 303
    assert "Later veranderd over de koffie." in plain_text(petra.get(f"/projects/{world.project_id}/themes/{koffie}"))
