"""Refused is the one error a user is told about: a rule they broke, in plain Dutch (or their
language). Any other exception from a service is a bug: the user gets the general error page,
never its internal text, and nothing of the request is stored."""
import pytest

from peerinterview.accounts import routes as account_routes
from peerinterview.accounts.services import find_user, set_admin, set_disabled
from peerinterview.errors import Refused
from peerinterview.extensions import db

from .builders import html_of, location_of, plain_text
from .test_account_admin import user_id, user_row

INTERNAL = "internal: set_disabled got an account it cannot handle (state=7)"
# The two account buttons whose service can refuse: (URL ending, service the view calls).
BUTTONS = [("disable", "set_disabled"), ("beheerder/uit", "set_admin")]


@pytest.fixture
def admin(world, make_user):
    return make_user("beheerder", staff=True, admin=True)


def test_the_last_administrator_is_refused_with_a_message_for_the_user(app, world, admin):
    with app.app_context():
        last = find_user("beheerder")
        for attempt in (lambda: set_disabled(last, True, by=None), lambda: set_admin(last, False, by=None)):
            with pytest.raises(Refused) as refused:
                attempt()
            assert refused.value.message == "Beheerder is de enige beheerder. Maak eerst iemand anders beheerder."
        db.session.rollback()
        db.session.remove()


def test_the_refusal_speaks_the_language_of_the_user(app, world, admin, login_as):
    with app.app_context():
        find_user("beheerder").locale = "en"
        db.session.commit()
        db.session.remove()
    client, post = login_as("beheerder")
    own_id = user_id(app, "beheerder")
    assert location_of(post(f"/accounts/{own_id}/beheerder/uit")) == "/accounts"
    text = plain_text(client.get("/accounts"))
    assert "Beheerder is the only administrator. First make someone else an administrator." in text
    assert "enige beheerder" not in text
    assert user_row(app, "beheerder").is_admin


@pytest.mark.parametrize(("button", "service"), BUTTONS)
def test_any_refusal_of_a_service_reaches_the_page(app, world, admin, login_as, monkeypatch,
                                                  button, service):
    def refuse(user, *_args, **_kwargs):
        user.disabled = True  # a change made before the refusal must not be stored
        user.is_admin = False
        raise Refused("Dit kan nu niet. Vraag het aan de begeleider.")

    monkeypatch.setattr(account_routes, service, refuse)
    client, post = login_as("beheerder")
    target = user_id(app, "staf") if button == "disable" else user_id(app, "beheerder")
    response = post(f"/accounts/{target}/{button}")
    assert response.status_code == 303 and location_of(response) == "/accounts"
    assert "Dit kan nu niet. Vraag het aan de begeleider." in plain_text(client.get("/accounts"))
    assert not user_row(app, "staf").disabled and user_row(app, "beheerder").is_admin


@pytest.mark.parametrize(("button", "service"), BUTTONS)
@pytest.mark.parametrize("error", [ValueError, TypeError, KeyError])
def test_a_bug_in_a_service_gives_the_error_page_without_its_text(app, world, admin, login_as,
                                                                  monkeypatch, button, service, error):
    """Before Refused a view caught ValueError, so a programmer's error (in English, with internal
    details) was flashed to the user as if it were advice. Now only Refused is caught."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken(user, *_args, **_kwargs):
        user.disabled = True
        user.is_admin = False
        raise error(INTERNAL)

    monkeypatch.setattr(account_routes, service, broken)
    client, post = login_as("beheerder")
    target = user_id(app, "staf") if button == "disable" else user_id(app, "beheerder")
    response = post(f"/accounts/{target}/{button}")
    assert response.status_code == 500
    assert "Er ging bij ons iets mis. Probeer het over een paar minuten opnieuw." in plain_text(response)
    assert INTERNAL not in html_of(response) and "state=7" not in html_of(response)
    # Not on the next page either (no flash was left behind), and nothing was stored.
    assert "state=7" not in html_of(client.get("/accounts"))
    assert not user_row(app, "staf").disabled and user_row(app, "beheerder").is_admin
