"""Idle and absolute session timeouts (and that they never cost an interviewer an answer),
and the reverse proxy setting (TRUSTED_PROXIES) that decides which IP address the logboek sees."""
import time

import pytest
from sqlalchemy import select

from peerinterview import create_app
from peerinterview.extensions import db
from peerinterview.models import AuditEvent

from .builders import answers_of, location_of, login_redirect_target, plain_text, start_interview_http
from .helpers import PASSWORD, csrf_token, login
from .test_sync import Tablet, answer, now_ms

HOUR = 3600


@pytest.fixture
def clock(monkeypatch):
    """clock.advance(seconds): the session checks see a later time."""

    class Clock:
        offset = 0

        def advance(self, seconds):
            self.offset += seconds

    fake = Clock()
    real = time.time
    monkeypatch.setattr("peerinterview.security.sessions.time.time", lambda: real() + fake.offset)
    return fake


def timeouts(app, reason):
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "logout.timeout")).all()
        db.session.remove()
    return [event.detail["reason"] for event in events] == [reason]


def test_two_hours_without_a_request_ends_the_login(app, world, login_as, clock):
    anna, _ = login_as("anna")
    project = f"/projects/{world.project_id}"
    assert anna.get(project).status_code == 200
    clock.advance(2 * HOUR - 60)
    assert anna.get(project).status_code == 200  # just in time, and the clock restarts
    clock.advance(2 * HOUR - 60)
    assert anna.get(project).status_code == 200
    clock.advance(2 * HOUR + 1)
    response = anna.get(project)
    assert login_redirect_target(response) == project
    text = plain_text(anna.get(location_of(response)))
    assert "U was een tijd niet actief. Daarom bent u uitgelogd." in text
    assert timeouts(app, "idle")


def test_twelve_hours_after_logging_in_the_login_ends_anyway(app, world, login_as, clock):
    anna, _ = login_as("anna")
    for _hour in range(11):
        clock.advance(HOUR)
        assert anna.get("/").status_code == 200
    # A minute before the twelve hours are over (the clock also runs for real while the test
    # runs: a busy machine takes seconds), then a minute after.
    clock.advance(HOUR - 60)
    assert anna.get("/").status_code == 200
    clock.advance(120)
    response = anna.get("/")
    assert location_of(response).startswith("/login")
    assert "U was lang ingelogd. Daarom bent u uitgelogd." in plain_text(anna.get("/login"))
    assert timeouts(app, "absolute")
    # Logging in again starts a new day.
    login(anna, "anna")
    assert anna.get("/").status_code == 200


def test_an_old_copy_of_the_session_cookie_does_not_come_back(app, world, clock):
    client = app.test_client()
    login(client, "anna")
    client.get("/")
    cookie = client.get_cookie("session").value
    clock.advance(3 * HOUR)
    other = app.test_client()
    other.set_cookie("session", cookie)
    assert location_of(other.get("/")).startswith("/login")


def test_an_answer_given_after_the_timeout_is_kept_and_saved_after_logging_in(app, world, login_as, clock):
    """The autosave after a timeout gets 401 (the tablet keeps the answer in its queue); after
    logging in again the queued answer is sent and stored with the time it was given."""
    anna, post = login_as("anna")
    interview_id = start_interview_http(anna, post, world.project_id, world.location_ids[0])
    tablet = Tablet(anna, world.project_id)
    q1 = world.question_ids[0]
    clock.advance(2 * HOUR + 1)
    given_at = now_ms()
    item = tablet.envelope(interview_id, q1, given_at, answer(value="3"))
    refused = post(f"/interviews/{interview_id}/questions/1", {"answer": "3", "action": "save"},
                   headers={"HX-Request": "true",
                            "HX-Current-URL": f"http://localhost/interviews/{interview_id}/questions/1"})
    assert refused.status_code == 401 and refused.headers["HX-Redirect"].startswith("/login?next=")
    # The sync of the queue is refused too (the CSRF token went with the session): nothing stored,
    # and the tablet keeps the item (static/js/offline/sync.js treats 302/400/401 as "log in again").
    assert tablet.sync(interview_id, [item]).status_code in (302, 400, 401)
    assert answers_of(app, interview_id) == []
    # The interviewer logs in again; the tablet sends what waited.
    token = csrf_token(anna, "/login")
    assert anna.post("/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token}).status_code == 303
    tablet = Tablet(anna, world.project_id)
    response = tablet.sync(interview_id, [item])
    assert response.status_code == 200 and response.get_json()["acked"] == [item["id"]]
    assert [(a.question_id, a.value) for a in answers_of(app, interview_id)] == [(q1, "3")]


def test_the_timeouts_are_configured(app):
    assert app.config["SESSION_IDLE_TIMEOUT"].total_seconds() == 2 * HOUR
    assert app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds() == 12 * HOUR
    assert app.config["PERMANENT_SESSION_LIFETIME"] >= app.config["SESSION_ABSOLUTE_TIMEOUT"]


# --- the reverse proxy ----------------------------------------------------------------------------

def failed_login_ip(app, client, **headers) -> str:
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": "anna", "password": "fout-fout-fout", "csrf_token": token},
                headers=headers)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login.failed")
                                   .order_by(AuditEvent.id.desc())).first()
        db.session.remove()
    return event.ip


def test_without_trusted_proxies_forwarded_headers_are_ignored(app, world):
    assert app.config["TRUSTED_PROXIES"] == 0
    assert failed_login_ip(app, app.test_client(), **{"X-Forwarded-For": "203.0.113.9"}) == "127.0.0.1"


def test_behind_one_trusted_proxy_the_client_address_is_logged(app, world):
    settings = {key: app.config[key] for key in app.config}
    proxied = create_app(type("ProxiedTestConfig", (), {**settings, "TRUSTED_PROXIES": 1}))
    try:
        client = proxied.test_client()
        ip = failed_login_ip(proxied, client, **{"X-Forwarded-For": "198.51.100.4, 203.0.113.9",
                                                 "X-Forwarded-Proto": "https",
                                                 "Referer": "https://localhost/login"})
        assert ip == "203.0.113.9"  # only the last hop (the one proxy) is believed
    finally:
        with proxied.app_context():
            db.session.remove()
            db.engine.dispose()


LONG_TEXT = "We spraken veertig bezoekers.\nDe meesten willen langer open op zondag."


def _report_url(world):
    return f"/projects/{world.project_id}/report/texts"


def test_a_text_sent_after_the_idle_timeout_is_shown_again_to_copy(app, world, login_as, clock):
    """A staff member writes the report's summary for over two hours and then saves: the login has
    ended, so nothing is stored, but the refusal shows the text (not the password or the hidden
    fields) with a way to log in again and come back to the same page."""
    staf, _post = login_as("staf")
    url = _report_url(world)
    token = csrf_token(staf, url)  # the page is open
    clock.advance(2 * HOUR + 1)
    refused = staf.post(url, data={"csrf_token": token, "summary": LONG_TEXT, "title": "Zondag open",
                                   "seen": "abc.def", "save": "Opslaan"},
                        headers={"Referer": f"http://localhost{url}"})
    assert refused.status_code == 401 and refused.headers["Cache-Control"] == "no-store"
    page = plain_text(refused)
    assert "U bent uitgelogd" in page and "Dit had u getypt" in page
    assert LONG_TEXT.split("\n")[1] in page and "Zondag open" in page
    assert "abc.def" not in page and "Opslaan" not in page.split("Dit had u getypt")[1]
    assert f'href="/login?next={url}"' in refused.get_data(as_text=True).replace("%2F", "/")
    assert timeouts(app, "idle")
    # Nothing was saved with the ended login.
    assert "Zondag open" not in plain_text(login(app.test_client(), "staf").get(f"/projects/{world.project_id}/report"))


def test_a_save_with_nothing_typed_after_the_timeout_still_goes_to_the_login_page(app, world, login_as, clock):
    staf, _post = login_as("staf")
    token = csrf_token(staf, _report_url(world))
    clock.advance(2 * HOUR + 1)
    refused = staf.post(_report_url(world), data={"csrf_token": token, "summary": "  ", "save": "Opslaan"})
    assert login_redirect_target(refused) == _report_url(world)


def test_a_text_sent_with_an_old_token_is_shown_again_to_copy(app, world, login_as):
    """The panel member logged out and in again in another tab: the open page's token is old. The
    400 page shows what she typed, and links back to the form. A password is never shown."""
    petra, _post = login_as("petra")
    url = _report_url(world)
    old_token = csrf_token(petra, url)
    petra.post("/logout", data={"csrf_token": old_token})
    login(petra, "petra")
    refused = petra.post(url, data={"csrf_token": old_token, "summary": LONG_TEXT, "save": "Opslaan"},
                         headers={"Origin": "http://localhost", "Referer": f"http://localhost{url}"})
    assert refused.status_code == 400
    assert "Dit had u getypt" in plain_text(refused) and LONG_TEXT.split("\n")[0] in plain_text(refused)
    assert f'href="{url}"' in refused.get_data(as_text=True)
    password = petra.post("/wachtwoord", data={"csrf_token": old_token, "current_password": PASSWORD,
                                               "new_password": "een heel nieuw wachtwoord"},
                          headers={"Sec-Fetch-Site": "same-origin"})
    assert password.status_code == 400
    assert PASSWORD not in password.get_data(as_text=True) and "heel nieuw" not in password.get_data(as_text=True)


def test_a_form_posted_from_another_site_is_not_shown_on_our_page(app, world):
    """A page elsewhere can make a browser post to us; its text never appears on our error page."""
    stranger = app.test_client()
    for headers in ({}, {"Origin": "https://elders.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = stranger.post(f"/projects/{world.project_id}/report/texts",
                                 data={"summary": "Bel nu 0900-1234 voor uw gegevens"}, headers=headers)
        assert response.status_code == 400
        assert "0900-1234" not in response.get_data(as_text=True)


def test_a_text_sent_after_a_password_change_elsewhere_is_shown_again_to_copy(app, world, login_as):
    """Staff change their password on another device, which ends every other session: the report
    text being typed here is not saved, but shown on the refusal page to copy."""
    staf, _post = login_as("staf")
    url = _report_url(world)
    token = csrf_token(staf, url)
    elsewhere, elsewhere_post = login_as("staf")
    changed = elsewhere_post("/wachtwoord", {"current_password": PASSWORD, "new_password": "een ander goed wachtwoord"})
    assert changed.status_code == 303
    refused = staf.post(url, data={"csrf_token": token, "summary": LONG_TEXT, "save": "Opslaan"},
                        headers={"Referer": f"http://localhost{url}"})
    assert refused.status_code == 401
    assert "Dit had u getypt" in plain_text(refused) and LONG_TEXT.split("\n")[1] in plain_text(refused)
