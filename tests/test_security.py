"""Accounts and passwords over HTTP: common passwords refused everywhere, changing a password ends
every session, failed logins are rate limited (per username + IP, failures only), staff disable and
enable accounts, and the privacy and accessibility pages are public and in B1."""
import re
import time

import pytest
from sqlalchemy import select

from peerinterview.accounts.passwords import common_passwords, is_common
from peerinterview.extensions import db
from peerinterview.security.throttle import failures
from peerinterview.models import AuditEvent, User
from peerinterview.plainlanguage import check

from .builders import html_of, location_of, login_redirect_target, plain_text, title_of
from .helpers import PASSWORD, csrf_token, login

TOO_COMMON = "Dit wachtwoord is te makkelijk te raden. Kies een langer wachtwoord, bijvoorbeeld een korte zin."
TOO_MANY = "U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht 15 minuten en probeer het opnieuw."
WRONG_LOGIN = "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar"
NEW_PASSWORD = "mijn fiets is groen en oud"


def user_row(app, username) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            db.session.expunge(user)
        db.session.remove()
    return user


def actions(app, action_prefix) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(action_prefix))
                                    .order_by(AuditEvent.id)).all()
        for event in events:
            db.session.expunge(event)
        db.session.remove()
    return events


def post_login(client, username, password, **environ):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base=environ)


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    """The memory storage lives as long as the app (the whole test session): start clean."""
    failures.reset()
    yield
    failures.reset()


# --- the list of common passwords ------------------------------------------------------------

def test_the_common_password_list_is_shipped_and_large(app):
    words = common_passwords()
    assert len(words) > 5000
    assert all(len(word) >= 8 and word == word.lower() for word in words)
    for word in ("password", "12345678", "welkom01", "wachtwoord", "qwerty123"):
        assert word in words
    assert is_common("Welkom01") and is_common(" WACHTWOORD ")
    assert not is_common(PASSWORD) and not is_common(NEW_PASSWORD)


@pytest.mark.parametrize("password", ["welkom01", "Wachtwoord", "password1", "12345678"])
def test_staff_cannot_create_an_account_with_a_common_password(app, login_as, make_user, password):
    make_user("staf", staff=True)
    _client, post = login_as("staf")
    response = post("/accounts/new", {"display_name": "Karin", "username": "karin", "password": password})
    assert response.status_code == 422
    assert TOO_COMMON in html_of(response)
    assert title_of(response).startswith("Fout: Nieuw account")
    assert user_row(app, "karin") is None


def test_create_staff_command_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-staff", "--username", "sanne", "--name", "Sanne", "--password", "welkom01"])
    assert result.exit_code != 0
    assert TOO_COMMON in result.output
    assert user_row(app, "sanne") is None


# --- changing one's own password ---------------------------------------------------------------

def test_change_password_page_is_linked_and_dutch(login_as, make_user):
    make_user("anna")
    client, _ = login_as("anna")
    assert 'href="/wachtwoord"' in html_of(client.get("/"))
    page = client.get("/wachtwoord")
    assert page.status_code == 200
    assert title_of(page) == "Wachtwoord veranderen – PeerInterview"
    assert 'autocomplete="current-password"' in html_of(page)
    assert 'autocomplete="new-password"' in html_of(page)


def test_changing_the_password_ends_every_session(app, login_as, make_user):
    make_user("anna")
    tablet, post = login_as("anna")
    laptop, _ = login_as("anna")
    version = user_row(app, "anna").session_version

    response = post("/wachtwoord", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 303
    assert location_of(response) == "/login"
    assert "Uw wachtwoord is veranderd. Log opnieuw in met uw nieuwe wachtwoord." in html_of(tablet.get("/login"))
    assert user_row(app, "anna").session_version == version + 1

    for client in (tablet, laptop):  # both sessions have ended
        response = client.get("/")
        assert response.status_code == 302 and login_redirect_target(response) == "/"
    # The old password no longer works, the new one does.
    assert post_login(app.test_client(), "anna", PASSWORD).status_code == 422
    login(app.test_client(), "anna", NEW_PASSWORD)
    assert [e.action for e in actions(app, "user.password")] == ["user.password_change"]
    assert NEW_PASSWORD not in str(actions(app, "user.password")[0].detail)


@pytest.mark.parametrize("fields, message", [
    ({"current_password": "niet-mijn-wachtwoord"}, "Dit is niet uw huidige wachtwoord."),
    ({"current_password": ""}, "Vul uw huidige wachtwoord in."),
    ({"new_password": "welkom01"}, TOO_COMMON),
    ({"new_password": "kort"}, "Gebruik minstens 8 tekens."),
    ({"new_password": "x" * 201}, "Gebruik hoogstens 200 tekens."),
    ({"new_password": PASSWORD}, "Dit is uw huidige wachtwoord. Kies een ander wachtwoord."),
])
def test_refused_password_change_changes_nothing(app, login_as, make_user, fields, message):
    make_user("anna")
    client, post = login_as("anna")
    before = user_row(app, "anna")
    response = post("/wachtwoord", {"current_password": PASSWORD, "new_password": NEW_PASSWORD, **fields})
    assert response.status_code == 422
    assert message in html_of(response)
    assert title_of(response).startswith("Fout: Wachtwoord veranderen")
    after = user_row(app, "anna")
    assert (after.password_hash, after.session_version) == (before.password_hash, before.session_version)
    assert client.get("/").status_code == 200  # still logged in


def test_change_password_needs_login_and_csrf(app, client, login_as, make_user):
    make_user("anna")
    response = client.get("/wachtwoord")
    assert login_redirect_target(response) == "/wachtwoord"
    anna, _ = login_as("anna")
    response = anna.post("/wachtwoord", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert anna.get("/").status_code == 200


# --- staff gives a new password --------------------------------------------------------------

def test_staff_gives_a_new_password_and_the_old_sessions_end(app, world, login_as):
    petra, _ = login_as("petra")  # panel member of staf's project
    staff, post = login_as("staf")
    petra_id = user_row(app, "petra").id
    assert f'href="/accounts/{petra_id}/password"' in html_of(staff.get("/accounts"))
    page = staff.get(f"/accounts/{petra_id}/password")
    assert page.status_code == 200 and "Voor: Petra (petra)" in html_of(page)

    response = post(f"/accounts/{petra_id}/password", {"password": "welkom01"})
    assert response.status_code == 422 and TOO_COMMON in html_of(response)

    response = post(f"/accounts/{petra_id}/password", {"password": NEW_PASSWORD})
    assert response.status_code == 303 and location_of(response) == "/accounts"
    assert "Petra heeft een nieuw wachtwoord. Geef het persoonlijk door." in html_of(staff.get("/accounts"))
    assert login_redirect_target(petra.get("/")) == "/"
    assert post_login(app.test_client(), "petra", PASSWORD).status_code == 422
    login(app.test_client(), "petra", NEW_PASSWORD)
    assert staff.get("/").status_code == 200  # staff's own session goes on
    events = actions(app, "user.password")
    assert [(e.action, e.object_id) for e in events] == [("user.password_reset", str(petra_id))]


def test_staff_own_row_goes_to_the_change_password_page(app, login_as, make_user):
    make_user("staf", staff=True)
    staff, _ = login_as("staf")
    response = staff.get(f"/accounts/{user_row(app, 'staf').id}/password")
    assert response.status_code == 303 and location_of(response) == "/wachtwoord"


def test_unknown_account_is_404(login_as, make_user):
    make_user("staf", staff=True)
    staff, post = login_as("staf")
    assert staff.get("/accounts/999999/password").status_code == 404
    assert post("/accounts/999999/disable").status_code == 404


# --- rate limiting of failed logins ----------------------------------------------------------

@pytest.fixture
def limit_of_three(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", "3 per 15 minutes")


def test_too_many_failed_logins_give_429_with_a_b1_page(app, make_user, limit_of_three):
    make_user("anna")
    client = app.test_client()
    for _attempt in range(3):
        response = post_login(client, "anna", "fout-wachtwoord")
        assert response.status_code == 422 and WRONG_LOGIN in html_of(response)
    # Over the limit even the right password is not checked: guessing stops here.
    response = post_login(client, "anna", PASSWORD)
    assert response.status_code == 429
    assert TOO_MANY in html_of(response)
    assert title_of(response) == "Even wachten – PeerInterview"
    assert client.get("/").status_code == 302
    assert [e.action for e in actions(app, "login.")] == ["login.failed"] * 3 + ["login.throttled"]


def test_the_limit_is_per_username_and_address(app, make_user, limit_of_three):
    make_user("anna")
    make_user("bram")
    for _attempt in range(4):
        post_login(app.test_client(), "anna", "fout-wachtwoord")
    assert post_login(app.test_client(), "ANNA ", PASSWORD).status_code == 429  # same name, normalised
    # Another user on the same address logs in as usual.
    login(app.test_client(), "bram")
    # Anna herself, from another address (her own tablet), is not locked out.
    assert post_login(app.test_client(), "anna", PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 303


def test_successful_logins_are_not_counted(app, make_user, limit_of_three):
    make_user("anna")
    for _attempt in range(10):
        login(app.test_client(), "anna")
    # And a success wipes the earlier failures of this name and address.
    for _attempt in range(2):
        post_login(app.test_client(), "anna", "fout-wachtwoord")
    login(app.test_client(), "anna")
    for _attempt in range(2):
        assert post_login(app.test_client(), "anna", "fout-wachtwoord").status_code == 422
    assert post_login(app.test_client(), "anna", PASSWORD).status_code == 303


def test_the_limit_ends_after_the_window(app, make_user, limit_of_three, monkeypatch):
    make_user("anna")
    for _attempt in range(3):
        post_login(app.test_client(), "anna", "fout-wachtwoord")
    assert post_login(app.test_client(), "anna", PASSWORD).status_code == 429
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert post_login(app.test_client(), "anna", PASSWORD).status_code == 303


def test_empty_login_forms_are_not_counted(app, make_user, limit_of_three):
    make_user("anna")
    for _attempt in range(5):
        assert post_login(app.test_client(), "anna", "").status_code == 422
    assert post_login(app.test_client(), "anna", PASSWORD).status_code == 303


def test_login_still_works_when_the_limit_storage_is_down(app, make_user, monkeypatch):
    make_user("anna")

    class BrokenStorage:
        def test(self, *args, **kwargs):
            raise ConnectionError("redis is down")

        hit = clear = test

    monkeypatch.setattr(failures, "_window", BrokenStorage())
    assert post_login(app.test_client(), "anna", "fout-wachtwoord").status_code == 422
    assert post_login(app.test_client(), "anna", PASSWORD).status_code == 303


# --- disabling and enabling accounts ---------------------------------------------------------

def test_staff_disables_an_account_and_its_sessions_end(app, world, login_as):
    anna, _ = login_as("anna")  # interviewer in staf's project
    staff, post = login_as("staf")
    anna_id = user_row(app, "anna").id

    response = post(f"/accounts/{anna_id}/disable")
    assert response.status_code == 303 and location_of(response) == "/accounts"
    listing = html_of(staff.get("/accounts"))
    assert "Het account van Anna staat uit. Anna kan niet meer inloggen." in listing
    assert f'action="/accounts/{anna_id}/enable"' in listing
    assert user_row(app, "anna").disabled
    assert login_redirect_target(anna.get("/")) == "/"  # her open session has ended
    response = post_login(app.test_client(), "anna", PASSWORD)
    assert response.status_code == 422 and WRONG_LOGIN in html_of(response)

    response = post(f"/accounts/{anna_id}/enable")
    assert response.status_code == 303
    assert "Het account van Anna staat weer aan. Anna kan weer inloggen." in html_of(staff.get("/accounts"))
    assert not user_row(app, "anna").disabled
    login(app.test_client(), "anna")
    events = actions(app, "user.")
    assert [(e.action, e.object_id) for e in events if e.action != "user.create"] == [
        ("user.disable", str(anna_id)), ("user.enable", str(anna_id))]


def test_staff_cannot_disable_themselves(app, login_as, make_user):
    make_user("staf", staff=True)
    staff, post = login_as("staf")
    staff_id = user_row(app, "staf").id
    assert f'action="/accounts/{staff_id}/disable"' not in html_of(staff.get("/accounts"))
    response = post(f"/accounts/{staff_id}/disable")
    assert response.status_code == 303
    assert "U kunt uw eigen account niet uitzetten." in html_of(staff.get("/accounts"))
    assert not user_row(app, "staf").disabled
    assert staff.get("/").status_code == 200
    assert actions(app, "user.disable") == []


def test_disabling_needs_staff_and_csrf(app, login_as, make_user):
    make_user("staf", staff=True)
    make_user("anna")
    make_user("bram")
    bram_id = user_row(app, "bram").id
    _anna, anna_post = login_as("anna")
    assert anna_post(f"/accounts/{bram_id}/disable").status_code == 403
    staff, _ = login_as("staf")
    assert staff.post(f"/accounts/{bram_id}/disable").status_code == 400  # no CSRF token
    assert not user_row(app, "bram").disabled


# --- privacy and accessibility pages ---------------------------------------------------------

@pytest.mark.parametrize("url, title, musts", [
    ("/privacy", "Privacy", ["code", "toestemming", "AVG", "begeleider", "wissen", "kleine groepen"]),
    ("/toegankelijkheid", "Toegankelijkheid", ["WCAG 2.2", "AA", "axe-core", "toetsenbord", "JavaScript",
                                               "Een probleem melden"]),
])
def test_public_pages_need_no_login_and_are_b1(client, url, title, musts):
    response = client.get(url)
    assert response.status_code == 200
    assert title_of(response) == f"{title} – PeerInterview"
    text = plain_text(response)
    for must in musts:
        assert must.lower() in text.lower(), must
    # Linked from the footer of every page, also before login.
    login_page = html_of(client.get("/login"))
    assert f'href="{url}"' in login_page
    # B1: the main text has no long sentences and no officialese.
    main = re.search(r'<main[^>]*>(.*)</main>', html_of(response), re.S).group(1)
    lines = [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in re.split(r"</(?:p|li|h1|h2)>", main)]
    report = check("\n".join(line for line in lines if line))
    problems = [(f.kind, f.text) for f in report.flags if f.kind in ("long_sentence", "officialese")
                and f.severity != "info"]
    assert not problems, problems
    assert report.label in ("makkelijk", "gaat wel"), report.score


def test_public_pages_speak_english_too(client):
    response = client.get("/privacy", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Privacy" in title_of(response)
    assert "AVG" in plain_text(response) or "GDPR" in plain_text(response)
