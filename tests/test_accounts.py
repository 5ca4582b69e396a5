"""Accounts over HTTP: login, logout of every session, disabled accounts, safe `next`,
language choice, staff-only account pages and CSRF."""
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import AuditEvent, User

from .builders import html_lang, html_of, location_of, login_redirect_target, title_of
from .helpers import PASSWORD, csrf_token, login

WRONG_LOGIN = "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar"


def user_row(app, username) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            db.session.expunge(user)
        db.session.remove()
    return user


def set_user(app, username, **values):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for name, value in values.items():
            setattr(user, name, value)
        db.session.commit()
        db.session.remove()


def stays_on_site(location: str) -> bool:
    """Would a browser stay on this site? (It reads a backslash as a slash and drops tabs.)"""
    seen = location.replace("\\", "/").replace("\t", "").replace("\n", "")
    parts = urlsplit(seen)
    return not parts.scheme and not parts.netloc and seen.startswith("/") and not seen.startswith("//")


def post_login(client, username, password, **extra):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token, **extra})


# --- login -----------------------------------------------------------------------------------

def test_login_page_is_public_and_dutch(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert title_of(response) == "Inloggen – PeerInterview"
    assert html_lang(response) == "nl"
    assert "Log in met uw gebruikersnaam en wachtwoord." in html_of(response)


def test_login_success_redirects_home_with_303(app, client, make_user):
    make_user("anna")
    response = post_login(client, "anna", PASSWORD)
    assert response.status_code == 303
    assert location_of(response) == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Mijn onderzoeken" in html_of(home)
    assert "Ingelogd als Anna" in html_of(home)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "login")) == "login"
        db.session.remove()


def test_login_ignores_case_and_spaces_in_the_username(client, make_user):
    make_user("anna")
    response = post_login(client, "  ANNA ", PASSWORD)
    assert response.status_code == 303
    assert location_of(response) == "/"


@pytest.mark.parametrize("username, password", [("anna", "fout-wachtwoord"), ("niemand", PASSWORD)])
def test_login_failure_is_422_with_one_b1_message(app, client, make_user, username, password):
    make_user("anna")
    response = post_login(client, username, password)
    assert response.status_code == 422
    html = html_of(response)
    # The same message for an unknown name and a wrong password: names cannot be guessed.
    assert WRONG_LOGIN in html
    assert "Probeer het opnieuw." in html
    assert title_of(response).startswith("Fout:")
    assert 'role="alert"' in html
    # The password is never sent back into the form.
    assert password not in html
    assert client.get("/").status_code == 302  # still not logged in
    with app.app_context():
        failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login.failed")).all()
        assert [e.detail["username"] for e in failed] == [username]
        db.session.remove()


def test_login_with_empty_fields_names_each_field(client):
    response = post_login(client, "", "")
    assert response.status_code == 422
    assert "Vul uw gebruikersnaam in." in html_of(response)
    assert "Vul uw wachtwoord in." in html_of(response)
    assert title_of(response).startswith("Fout: Inloggen")


def test_logged_in_user_visiting_login_goes_home(login_as, make_user):
    make_user("anna")
    client, _post = login_as("anna")
    response = client.get("/login")
    assert response.status_code == 302
    assert location_of(response) == "/"


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    make_user("anna")
    response = post_login(client, "anna", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


# --- logout ----------------------------------------------------------------------------------

def test_logout_ends_every_session_of_the_user(app, login_as, make_user):
    make_user("anna")
    tablet, post = login_as("anna")
    laptop, _ = login_as("anna")
    assert laptop.get("/").status_code == 200
    version_before = user_row(app, "anna").session_version

    response = post("/logout")
    assert response.status_code == 303
    assert location_of(response) == "/login"
    assert "U bent uitgelogd." in html_of(tablet.get("/login"))
    assert user_row(app, "anna").session_version == version_before + 1

    # The other client still holds its old cookie, but that session has ended too.
    for client in (tablet, laptop):
        response = client.get("/")
        assert response.status_code == 302
        assert login_redirect_target(response) == "/"


def test_logout_needs_csrf(login_as, make_user):
    make_user("anna")
    client, _post = login_as("anna")
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/").status_code == 200  # still logged in


def test_logout_does_not_end_sessions_of_someone_else(login_as, make_user):
    make_user("anna")
    make_user("bram")
    _anna, anna_post = login_as("anna")
    bram, _ = login_as("bram")
    assert anna_post("/logout").status_code == 303
    assert bram.get("/").status_code == 200


# --- disabled accounts -----------------------------------------------------------------------

def test_disabled_user_cannot_log_in(app, client, make_user):
    make_user("anna")
    set_user(app, "anna", disabled=True)
    response = post_login(client, "anna", PASSWORD)
    assert response.status_code == 422
    assert WRONG_LOGIN in html_of(response)
    assert client.get("/").status_code == 302


def test_disabling_an_account_ends_its_open_session(app, login_as, make_user):
    make_user("anna")
    client, _ = login_as("anna")
    set_user(app, "anna", disabled=True)
    response = client.get("/")
    assert response.status_code == 302
    assert login_redirect_target(response) == "/"


# --- next: only local paths ------------------------------------------------------------------

def test_login_form_carries_next_from_the_query(client):
    response = client.get("/login?next=/projects/7")
    assert 'name="next" type="hidden" value="/projects/7"' in html_of(response)


def test_login_follows_a_local_next(client, make_user):
    make_user("anna")
    response = post_login(client, "anna", PASSWORD, next="/projects/7?tab=1")
    assert response.status_code == 303
    assert location_of(response) == "/projects/7?tab=1"


@pytest.mark.parametrize("target", [
    "http://evil.example/", "https://evil.example/login", "//evil.example/", "evil.example",
    "javascript:alert(1)", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
])
def test_login_never_redirects_off_site(client, make_user, target):
    make_user("anna")
    response = post_login(client, "anna", PASSWORD, next=target)
    assert response.status_code == 303
    assert stays_on_site(location_of(response)), location_of(response)


def test_login_ignores_an_off_site_next_in_the_query(client, make_user):
    make_user("anna")
    token = csrf_token(client, "/login")
    response = client.post("/login?next=http://evil.example/",
                           data={"username": "anna", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    assert location_of(response) == "/"


def test_anonymous_request_is_sent_to_login_and_back(client, make_user):
    make_user("anna")
    response = client.get("/accounts?sort=naam")
    assert response.status_code == 302
    assert login_redirect_target(response) == "/accounts?sort=naam"
    # Flask-Login flashes this; the login page shows it.
    assert "Log eerst in." in html_of(client.get("/login"))


# --- language --------------------------------------------------------------------------------

def test_language_switch_is_remembered_on_the_user(app, login_as, make_user):
    make_user("anna")
    client, post = login_as("anna")
    response = post("/taal", {"lang": "en", "next": "/"})
    assert response.status_code == 303
    assert location_of(response) == "/"
    home = client.get("/")
    assert html_lang(home) == "en"
    assert "My studies" in html_of(home)
    assert "Mijn onderzoeken" not in html_of(home)
    assert user_row(app, "anna").locale == "en"

    # A new device: after login the page is English again, from the account.
    other = app.test_client()
    login(other, "anna")
    assert html_lang(other.get("/")) == "en"

    # And back to Dutch.
    assert post("/taal", {"lang": "nl", "next": "/"}).status_code == 303
    assert html_lang(client.get("/")) == "nl"
    assert user_row(app, "anna").locale == "nl"


def test_language_chosen_before_login_is_kept_for_the_account(app, client, make_user):
    make_user("petra")
    token = csrf_token(client, "/login")
    response = client.post("/taal", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert response.status_code == 303
    assert location_of(response) == "/login"
    page = client.get("/login")
    assert html_lang(page) == "en"
    assert "<h1 tabindex=\"-1\">Log in</h1>" in html_of(page)
    login(client, "petra")
    assert user_row(app, "petra").locale == "en"
    assert html_lang(client.get("/")) == "en"


def test_language_switch_refuses_unknown_languages_and_foreign_next(app, login_as, make_user):
    make_user("anna")
    client, post = login_as("anna")
    response = post("/taal", {"lang": "fr", "next": "https://evil.example/"})
    assert response.status_code == 303
    assert location_of(response) == "/"
    assert html_lang(client.get("/")) == "nl"
    assert user_row(app, "anna").locale is None


def test_browser_language_is_used_before_any_choice(client):
    response = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert html_lang(response) == "en"
    response = client.get("/login", headers={"Accept-Language": "de-DE"})
    assert html_lang(response) == "nl"


# --- staff-only account pages ----------------------------------------------------------------

@pytest.mark.parametrize("url", ["/accounts", "/accounts/new"])
def test_account_pages_are_forbidden_for_non_staff(login_as, make_user, url):
    make_user("anna")
    client, _ = login_as("anna")
    response = client.get(url)
    assert response.status_code == 403
    assert "Dit mag u niet zien" in html_of(response)
    assert "U heeft geen toegang tot deze pagina." in html_of(response)
    assert title_of(response).startswith("Dit mag u niet zien")


def test_non_staff_cannot_create_an_account_by_posting(app, login_as, make_user):
    make_user("anna")
    _client, post = login_as("anna")
    response = post("/accounts/new", {"display_name": "Stiekem", "username": "stiekem", "password": PASSWORD})
    assert response.status_code == 403
    assert user_row(app, "stiekem") is None


def test_staff_sees_accounts_and_header_link(world, login_as):
    client, _ = login_as("staf")
    response = client.get("/accounts")
    assert response.status_code == 200
    assert "<td>anna</td>" in html_of(response)
    assert "Nieuw account maken" in html_of(response)
    assert 'href="/accounts"' in html_of(client.get("/"))


def test_account_link_is_hidden_from_non_staff(login_as, make_user):
    make_user("anna")
    client, _ = login_as("anna")
    assert 'href="/accounts"' not in html_of(client.get("/"))


def test_staff_creates_an_account_that_can_log_in(app, login_as, make_user):
    make_user("staf", staff=True)
    client, post = login_as("staf")
    response = post("/accounts/new", {
        "display_name": "Karin de Vries", "username": "Karin-de-Vries", "password": "een lange zin als wachtwoord",
    })
    assert response.status_code == 303
    assert location_of(response) == "/accounts"
    listing = client.get("/accounts")
    assert "Account gemaakt voor Karin de Vries." in html_of(listing)
    assert "<td>karin-de-vries</td>" in html_of(listing)
    user = user_row(app, "karin-de-vries")
    assert user is not None and not user.is_staff and not user.disabled
    login(app.test_client(), "karin-de-vries", "een lange zin als wachtwoord")


def test_staff_creates_a_staff_account(app, login_as, make_user):
    make_user("staf", staff=True)
    _client, post = login_as("staf")
    response = post("/accounts/new", {"display_name": "Sanne", "username": "sanne", "password": PASSWORD, "is_staff": "y"})
    assert response.status_code == 303
    assert user_row(app, "sanne").is_staff


@pytest.mark.parametrize("username", ["anna", "ANNA"])
def test_duplicate_username_is_refused(app, login_as, make_user, username):
    make_user("staf", staff=True)
    make_user("anna")
    _client, post = login_as("staf")
    response = post("/accounts/new", {"display_name": "Nog een Anna", "username": username, "password": PASSWORD})
    assert response.status_code == 422
    assert "Deze gebruikersnaam bestaat al. Kies een andere." in html_of(response)
    assert title_of(response).startswith("Fout:")
    assert user_row(app, "anna").display_name == "Anna"


@pytest.mark.parametrize("fields, message", [
    ({"password": "kort"}, "Gebruik minstens 8 tekens."),
    ({"username": "anna de vries"}, "Gebruik alleen letters, cijfers, punt of streepje."),
    ({"username": "ab"}, "Gebruik 3 tot 80 tekens."),
    ({"display_name": ""}, "Vul een naam in."),
])
def test_invalid_new_account_is_422_with_the_field_message(app, login_as, make_user, fields, message):
    make_user("staf", staff=True)
    _client, post = login_as("staf")
    data = {"display_name": "Karin", "username": "karin", "password": PASSWORD, **fields}
    response = post("/accounts/new", data)
    assert response.status_code == 422
    html = html_of(response)
    assert message in html
    assert title_of(response).startswith("Fout: Nieuw account")
    assert "aria-invalid=\"true\"" in html or "field-error" in html
    with app.app_context():
        assert db.session.scalar(select(User).where(User.display_name == "Karin")) is None
        db.session.remove()


# --- CSRF ------------------------------------------------------------------------------------

def test_login_without_csrf_token_is_400(client, make_user):
    make_user("anna")
    response = client.post("/login", data={"username": "anna", "password": PASSWORD})
    assert response.status_code == 400
    assert "Probeer het opnieuw" in html_of(response)
    assert "De pagina was te oud." in html_of(response)
    assert client.get("/").status_code == 302


def test_a_token_of_another_session_is_refused(app, login_as, make_user):
    make_user("staf", staff=True)
    other_token = csrf_token(app.test_client(), "/login")
    client, _ = login_as("staf")
    response = client.post("/accounts/new", data={
        "display_name": "Karin", "username": "karin", "password": PASSWORD, "csrf_token": other_token,
    })
    assert response.status_code == 400
    assert user_row(app, "karin") is None


def test_csrf_token_works_in_the_htmx_header(app, login_as, make_user):
    make_user("staf", staff=True)
    client, _ = login_as("staf")
    token = csrf_token(client, "/")
    response = client.post("/accounts/new", headers={"X-CSRFToken": token}, data={
        "display_name": "Karin", "username": "karin", "password": PASSWORD,
    })
    assert response.status_code == 303
    assert user_row(app, "karin") is not None
