"""Login cards: staff print a personal login card for a client; the client logs in by opening its URL
and tapping one button (no memory test, WCAG 3.3.8); revoked and unknown cards give a B1 page."""
import re

import pytest
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.security.throttle import failures
from peerinterview.models import AuditEvent, LoginCard, User
from peerinterview.security.cards import hash_token

from .builders import html_of, location_of, plain_text
from .helpers import csrf_token


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    failures.reset()
    yield
    failures.reset()


def user_id(app, username):
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.username == username))
        db.session.remove()
    return found


def print_card(app, login_as, username="anna") -> tuple[str, str]:
    """Staff make a card; returns the card URL (from the QR code's page) and the page HTML."""
    _staff, post = login_as("staf")
    response = post(f"/accounts/{user_id(app, username)}/inlogkaarten")
    assert response.status_code == 200, html_of(response)[:800]
    html = html_of(response)
    url = re.search(r'<p class="login-card-url"><code>([^<]+)</code></p>', html)
    assert url, html[:3000]
    return url.group(1), html


def tap_login(client, path):
    page = client.get(path)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html_of(page)).group(1)
    return client.post(path, data={"csrf_token": token})


def test_staff_print_a_card_and_the_client_logs_in_with_one_tap(app, world, login_as):
    url, html = print_card(app, login_as)
    assert "Print deze kaart nu. U ziet hem maar één keer." in plain_text_of(html)
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml[^"]+"', html)
    assert url.startswith("http://localhost/kaart/") and len(url.rsplit("/", 1)[1]) >= 43
    path = url.removeprefix("http://localhost")
    with app.app_context():
        card = db.session.scalars(select(LoginCard)).one()
        assert card.token_hash == hash_token(path.rsplit("/", 1)[1])  # only the hash is stored
        assert path.rsplit("/", 1)[1] not in card.token_hash
        db.session.remove()

    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Inloggen als Anna" in plain_text(page)
    # No password, no username, nothing to remember: one button.
    assert 'type="password"' not in html_of(page) and 'name="username"' not in html_of(page)
    response = tap_login(client, path)
    assert location_of(response) == "/"
    home = client.get("/")
    assert home.status_code == 200 and "Ingelogd als Anna" in plain_text(home)
    with app.app_context():
        card = db.session.scalars(select(LoginCard)).one()
        assert card.last_used_at is not None
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login",
                                                          AuditEvent.user_id == card.user_id)).one()
        assert event.detail == {"method": "card"} and event.object_type == "logincard"
        db.session.remove()


def plain_text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_card_list_shows_created_and_last_used_and_staff_revoke(app, world, login_as):
    url, _html = print_card(app, login_as)
    path = url.removeprefix("http://localhost")
    tap_login(app.test_client(), path)
    staff, post = login_as("staf")
    anna_id = user_id(app, "anna")
    listing = staff.get(f"/accounts/{anna_id}/inlogkaarten")
    text = plain_text(listing)
    assert "Gemaakte kaarten" in text and "werkt" in text and "nog nooit" not in text
    with app.app_context():
        card_id = db.session.scalars(select(LoginCard.id)).one()
        db.session.remove()
    response = post(f"/accounts/{anna_id}/inlogkaarten/{card_id}/intrekken")
    assert location_of(response) == f"/accounts/{anna_id}/inlogkaarten"
    assert "De inlogkaart werkt niet meer." in plain_text(staff.get(f"/accounts/{anna_id}/inlogkaarten"))
    assert "uitgezet op" in plain_text(staff.get(f"/accounts/{anna_id}/inlogkaarten"))

    client = app.test_client()
    refused = client.get(path)
    assert refused.status_code == 404
    assert "Deze kaart werkt niet" in plain_text(refused)
    assert "Vraag de begeleider om een nieuwe kaart." in plain_text(refused)
    token = csrf_token(client, "/login")
    assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert client.get("/").status_code == 302  # not logged in


def test_several_cards_per_client(app, world, login_as):
    first, _ = print_card(app, login_as)
    second, _ = print_card(app, login_as)
    assert first != second
    staff, _ = login_as("staf")
    listing = html_of(staff.get(f"/accounts/{user_id(app, 'anna')}/inlogkaarten"))
    assert listing.count("/intrekken") == 2
    for url in (first, second):
        client = app.test_client()
        assert location_of(tap_login(client, url.removeprefix("http://localhost"))) == "/"


def test_an_unknown_card_gives_a_b1_page_and_guessing_is_limited(app, world):
    client = app.test_client()
    response = client.get("/kaart/" + "x" * 43)
    assert response.status_code == 404 and "Deze kaart werkt niet" in plain_text(response)
    assert client.get("/kaart/" + "y" * 5000).status_code == 404
    for _ in range(20):
        client.get("/kaart/bestaat-niet")
    throttled = client.get("/kaart/bestaat-niet")
    assert throttled.status_code == 429
    assert "Er ging te vaak iets mis met een inlogkaart. Wacht 15 minuten" in plain_text(throttled)


def test_a_card_of_a_disabled_account_does_not_work(app, world, login_as):
    url, _html = print_card(app, login_as)
    _staff, post = login_as("staf")
    post(f"/accounts/{user_id(app, 'anna')}/disable")
    assert app.test_client().get(url.removeprefix("http://localhost")).status_code == 404


def test_staff_accounts_get_no_card(app, world, login_as, make_user):
    other_staff = user_id(app, "andere-staf")
    _staff, post = login_as("staf")
    assert post(f"/accounts/{other_staff}/inlogkaarten").status_code == 403  # staff accounts: administrators
    make_user("beheerder", staff=True, admin=True)
    admin, post = login_as("beheerder")
    response = post(f"/accounts/{other_staff}/inlogkaarten")
    assert location_of(response) == f"/accounts/{other_staff}/inlogkaarten"
    assert "Zij krijgen geen inlogkaart." in plain_text(admin.get(f"/accounts/{other_staff}/inlogkaarten"))
    with app.app_context():
        assert db.session.scalars(select(LoginCard)).all() == []
        db.session.remove()


def test_someone_else_still_logged_in_must_log_out_first(app, world, login_as):
    url, _html = print_card(app, login_as)
    path = url.removeprefix("http://localhost")
    bram, post = login_as("bram")
    page = bram.get(path)
    assert "Bram is nog ingelogd op dit apparaat." in plain_text(page)
    assert post(path).status_code == 409
    assert "Ingelogd als Bram" in plain_text(bram.get("/"))


def test_clients_cannot_make_or_revoke_cards(app, world, login_as):
    anna, post = login_as("anna")
    petra_id = user_id(app, "petra")
    assert anna.get(f"/accounts/{petra_id}/inlogkaarten").status_code == 403
    assert post(f"/accounts/{petra_id}/inlogkaarten").status_code == 403
