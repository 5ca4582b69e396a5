"""Second factor: staff log in with a password and a TOTP code (any authenticator app), recovery codes
work once, wrong codes are rate limited, and when it is required staff must set it up first."""
import re
import time

import pyotp
import pytest
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.security.throttle import failures
from peerinterview.models import AuditEvent, RecoveryCode, TwoFactor, User
from peerinterview.security import two_factor

from .builders import html_of, location_of, plain_text
from .helpers import PASSWORD, Poster, csrf_token


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    failures.reset()
    yield
    failures.reset()


class PagePoster(Poster):
    """POST with the CSRF token of a given page (the code step has no "/" to take it from)."""

    def __init__(self, client, page="/login/code"):
        super().__init__(client)
        self._token = csrf_token(client, page)


def password_step(client, username="staf", next_url=None):
    token = csrf_token(client, "/login")
    data = {"username": username, "password": PASSWORD, "csrf_token": token}
    if next_url:
        data["next"] = next_url
    return client.post("/login", data=data)


def enrol_http(app, client) -> tuple[str, list[str]]:
    """Set up the app for the logged-in staff member through the pages; returns the secret and
    the recovery codes as shown once."""
    page = client.get("/account/tweestaps")
    assert page.status_code == 200
    html = html_of(page)
    secret = re.search(r'class="secret-key"><code>([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    assert 'src="data:image/svg+xml' in html
    code = pyotp.TOTP(secret).now()
    response = PagePoster(client, "/account/tweestaps")("/account/tweestaps", {"code": code})
    assert response.status_code == 200, html_of(response)[:1500]
    codes = re.findall(r"<li><code>([a-z0-9-]{14})</code></li>", html_of(response))
    assert len(codes) == 10
    return secret, codes


def enrolled_staff(app, client_factory) -> tuple[str, list[str]]:
    client = client_factory()
    password_step(client)
    return enrol_http(app, client)


def code_for(secret, offset=0):
    return pyotp.TOTP(secret).at(time.time() + offset)


def two_factor_row(app, username="staf"):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        row = db.session.get(TwoFactor, user.id)
        if row is not None:
            db.session.expunge(row)
        db.session.remove()
    return row


# --- enrolling --------------------------------------------------------------------------------

def test_staff_set_up_an_app_with_a_qr_code_and_get_recovery_codes(app, world):
    client = app.test_client()
    password_step(client)
    page = client.get("/account/tweestaps")
    text = plain_text(page)
    assert "Scan deze QR-code met de app." in text
    assert page.headers["Cache-Control"] == "no-store"
    # The QR code is an image from a data: URI (the CSP allows img-src data:), with a text alternative.
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml[^"]+" width="240" height="240" alt="QR-code voor de app">',
                     html_of(page))
    # Showing the page stores nothing: the same secret comes back until it is confirmed.
    assert two_factor_row(app) is None
    assert html_of(client.get("/account/tweestaps")).count("secret-key") == 1
    secret, codes = enrol_http(app, client)
    row = two_factor_row(app)
    assert row is not None and row.confirmed_at is not None
    assert secret not in row.secret_encrypted  # stored encrypted
    with app.app_context():
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and not set(codes) & set(hashes)
        db.session.remove()
    status = plain_text(client.get("/account/tweestaps"))
    assert "Uw app is gekoppeld sinds" in status and "U heeft nog 10 herstelcodes." in status


def test_a_wrong_code_while_setting_up_is_a_field_error(app, world):
    client = app.test_client()
    password_step(client)
    client.get("/account/tweestaps")
    response = PagePoster(client, "/account/tweestaps")("/account/tweestaps", {"code": "000000"})
    assert response.status_code == 422
    assert "Deze code klopt niet. Kijk in de app en probeer het opnieuw." in plain_text(response)
    assert two_factor_row(app) is None
    empty = PagePoster(client, "/account/tweestaps")("/account/tweestaps", {"code": ""})
    assert empty.status_code == 422 and "Vul de code uit de app in." in plain_text(empty)


def test_clients_cannot_open_the_set_up_page(world, login_as):
    anna, post = login_as("anna")
    assert anna.get("/account/tweestaps").status_code == 403
    assert post("/account/tweestaps", {"code": "123456"}).status_code == 403


# --- logging in with a code --------------------------------------------------------------------

def test_enrolled_staff_give_a_code_after_the_password(app, world):
    secret, _codes = enrolled_staff(app, app.test_client)
    client = app.test_client()
    response = password_step(client, next_url=f"/projects/{world.project_id}")
    assert location_of(response) == "/login/code"
    # Not logged in yet: the project pages still want a login.
    assert client.get("/").status_code == 302
    page = client.get("/login/code")
    assert page.status_code == 200 and "Open nu de app op uw telefoon" in plain_text(page)
    response = PagePoster(client)("/login/code", {"code": code_for(secret, 30)})
    assert response.status_code == 303 and location_of(response) == f"/projects/{world.project_id}"
    assert client.get("/").status_code == 200
    with app.app_context():
        login = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login")
                                   .order_by(AuditEvent.id.desc())).first()
        assert login.detail == {"method": "totp"} and login.operation == "login" and login.ip == "127.0.0.1"
        db.session.remove()


def test_a_code_works_only_once(app, world):
    secret, _codes = enrolled_staff(app, app.test_client)
    code = code_for(secret, 30)
    first = app.test_client()
    password_step(first)
    assert PagePoster(first)("/login/code", {"code": code}).status_code == 303
    second = app.test_client()
    password_step(second)
    again = PagePoster(second)("/login/code", {"code": code})
    assert again.status_code == 422
    assert "Deze code klopt niet." in plain_text(again)


def test_a_wrong_code_is_refused_with_a_b1_message(app, world):
    enrolled_staff(app, app.test_client)
    client = app.test_client()
    password_step(client)
    response = PagePoster(client)("/login/code", {"code": "12345"})
    assert response.status_code == 422
    assert response.headers["Cache-Control"] == "no-store"
    assert "Deze code klopt niet. Kijk in de app en probeer het opnieuw." in plain_text(response)
    assert client.get("/").status_code == 302


def test_wrong_codes_are_rate_limited_per_account(app, world):
    secret, _codes = enrolled_staff(app, app.test_client)
    client = app.test_client()
    password_step(client)
    post = PagePoster(client)
    for _ in range(5):
        assert post("/login/code", {"code": "000000"}).status_code == 422
    throttled = post("/login/code", {"code": code_for(secret, 30)})
    assert throttled.status_code == 429
    assert "U vulde te vaak een verkeerde code in. Wacht 15 minuten" in plain_text(throttled)
    assert client.get("/").status_code == 302
    failures.reset()
    assert post("/login/code", {"code": code_for(secret, 30)}).status_code == 303


def test_the_code_step_expires(app, world, monkeypatch):
    _secret, _codes = enrolled_staff(app, app.test_client)
    client = app.test_client()
    password_step(client)
    later = time.time() + 11 * 60
    monkeypatch.setattr("peerinterview.security.routes.time.time", lambda: later)
    response = client.get("/login/code")
    assert location_of(response) == "/login"
    assert "Log opnieuw in. Het inloggen duurde te lang." in plain_text(client.get("/login"))


def test_without_the_password_step_there_is_no_code_step(client, world):
    response = client.get("/login/code")
    assert location_of(response) == "/login"


def test_a_recovery_code_works_once_and_says_how_many_are_left(app, world):
    _secret, codes = enrolled_staff(app, app.test_client)
    client = app.test_client()
    password_step(client)
    response = PagePoster(client)("/login/code", {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 303
    assert "U gebruikte een herstelcode. U heeft nog 9 herstelcodes." in plain_text(client.get("/"))
    other = app.test_client()
    password_step(other)
    assert PagePoster(other)("/login/code", {"code": codes[0]}).status_code == 422


def test_new_recovery_codes_replace_the_old_ones(app, world, monkeypatch):
    secret, codes = enrolled_staff(app, app.test_client)
    client = app.test_client()
    password_step(client)
    PagePoster(client)("/login/code", {"code": code_for(secret, 30)})
    post = Poster(client)
    refused = post("/account/tweestaps/herstelcodes", {"code": "111111"})
    assert refused.status_code == 422
    later = time.time() + 60  # a minute later: the next code of the app
    monkeypatch.setattr("peerinterview.security.two_factor.time.time", lambda: later)
    response = post("/account/tweestaps/herstelcodes", {"code": pyotp.TOTP(secret).at(later)})
    assert response.status_code == 200
    new_codes = re.findall(r"<li><code>([a-z0-9-]{14})</code></li>", html_of(response))
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    old = app.test_client()
    password_step(old)
    assert PagePoster(old)("/login/code", {"code": codes[1]}).status_code == 422


def test_an_administrator_resets_a_lost_phone(app, world, make_user, login_as):
    _secret, _codes = enrolled_staff(app, app.test_client)
    make_user("tweede-staf", staff=True, admin=True)
    colleague, post = login_as("tweede-staf")
    with app.app_context():
        staf_id = db.session.scalar(select(User.id).where(User.username == "staf"))
        db.session.remove()
    response = post(f"/accounts/{staf_id}/tweestaps/reset")
    assert location_of(response) == "/accounts"
    assert "De tweestapsverificatie van Staf is uit." in plain_text(colleague.get("/accounts"))
    assert two_factor_row(app) is None
    client = app.test_client()
    assert location_of(password_step(client)) == "/"  # no code asked any more
    # Nobody resets their own second factor.
    own, own_post = login_as("tweede-staf")
    with app.app_context():
        own_id = db.session.scalar(select(User.id).where(User.username == "tweede-staf"))
        db.session.remove()
    own_post(f"/accounts/{own_id}/tweestaps/reset")
    assert "Vraag een andere beheerder om dit te doen." in plain_text(own.get("/accounts"))


# --- required for staff -------------------------------------------------------------------------

@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_TOTP_REQUIRED", True)


def test_when_required_staff_without_an_app_are_sent_to_set_it_up(app, world, required, login_as):
    staff, _post = login_as("staf")
    post = PagePoster(staff, "/account/tweestaps")
    response = staff.get(f"/projects/{world.project_id}")
    assert location_of(response) == "/account/tweestaps"
    assert "Stel eerst de tweestapsverificatie in. Dat is verplicht voor begeleiders." in plain_text(
        staff.get("/account/tweestaps"))
    assert location_of(post(f"/projects/{world.project_id}/locations", {"name": "Stiekem"})) == "/account/tweestaps"
    # Clients are not affected.
    anna, _ = login_as("anna")
    assert anna.get(f"/projects/{world.project_id}").status_code == 200
    enrol_http(app, staff)
    assert staff.get(f"/projects/{world.project_id}").status_code == 200


def test_the_secret_is_encrypted_with_a_key_from_secret_key(app, world):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "staf"))
        sealed = two_factor.encrypt_secret("JBSWY3DPEHPK3PXP", user.id)
        assert two_factor.decrypt_secret(sealed, user.id) == "JBSWY3DPEHPK3PXP"
        with pytest.raises(RuntimeError):
            two_factor.decrypt_secret(sealed, user.id + 1)  # bound to the user
        db.session.remove()
