"""Managing accounts: the administrator role (at least one; staff accounts are theirs to manage),
the accounts staff may see, and what the owner of an account is told at their next login when
someone else changed it."""
import re

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import (
    LastAdministrator,
    find_user,
    set_admin,
    set_disabled,
)
from peerinterview.extensions import db
from peerinterview.models import AccountNotice, AuditEvent, User
from peerinterview.security.throttle import failures

from .builders import html_of, location_of, plain_text
from .helpers import PASSWORD, csrf_token, login
from .test_two_factor import PagePoster, code_for, enrolled_staff, password_step

NEW_PASSWORD = "een nieuw wachtwoord van staf"
WHEN = r"\d{1,2} \w+ \d{4} om \d{2}:\d{2}"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    failures.reset()
    yield
    failures.reset()


@pytest.fixture
def admin(world, make_user):
    return make_user("beheerder", staff=True, admin=True)


def user_id(app, username) -> int:
    with app.app_context():
        found = find_user(username).id
        db.session.remove()
    return found


def user_row(app, username) -> User:
    with app.app_context():
        user = find_user(username)
        db.session.expunge(user)
        db.session.remove()
    return user


def events(app, prefix) -> list[tuple[str, str, str]]:
    """(action, actor's username, object id) of the logboek entries starting with `prefix`."""
    with app.app_context():
        rows = db.session.execute(
            select(AuditEvent.action, User.username, AuditEvent.object_id)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def first_page_after_login(app, username, password=PASSWORD) -> tuple[object, str]:
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 303, html_of(response)[:500]
    return client, plain_text(client.get(location_of(response)))


# --- the owner sees what changed ------------------------------------------------------------------

def test_a_client_sees_once_that_staff_gave_her_a_new_password(app, world, login_as):
    _staff, post = login_as("staf")
    assert post(f"/accounts/{user_id(app, 'anna')}/password", {"password": NEW_PASSWORD}).status_code == 303

    client, text = first_page_after_login(app, "anna", NEW_PASSWORD)
    assert re.search(rf"Staf heeft op {WHEN} uw wachtwoord veranderd\. Kies nu zelf een nieuw wachtwoord\.", text), text
    assert "Wist u hier niets van? Vertel het dan meteen aan uw begeleider." in text
    # Once: not on the next page, and not at the next login.
    assert "uw wachtwoord veranderd" not in plain_text(client.get("/"))
    _client, text = first_page_after_login(app, "anna", NEW_PASSWORD)
    assert "uw wachtwoord veranderd" not in text and "Wist u hier niets van?" not in text
    with app.app_context():
        notice = db.session.scalars(select(AccountNotice)).one()
        assert (notice.kind, notice.by_name, notice.seen_at is not None) == ("password_reset", "Staf", True)
        db.session.remove()


def test_changing_your_own_password_gives_no_notice(app, world, login_as):
    _anna, post = login_as("anna")
    response = post("/wachtwoord", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 303
    _client, text = first_page_after_login(app, "anna", NEW_PASSWORD)
    assert "wachtwoord veranderd" not in text and "Wist u hier niets van?" not in text


def test_disabled_then_enabled_and_a_card_made_are_all_shown_in_order(app, world, login_as):
    _staff, post = login_as("staf")
    anna_id = user_id(app, "anna")
    post(f"/accounts/{anna_id}/disable")
    post(f"/accounts/{anna_id}/enable")
    post(f"/accounts/{anna_id}/inlogkaarten")
    _client, text = first_page_after_login(app, "anna")
    shown = re.findall(rf"Staf heeft op {WHEN} (uw account uitgezet|uw account weer aangezet|"
                       r"een inlogkaart voor u gemaakt)\.", text)
    assert shown == ["uw account uitgezet", "uw account weer aangezet", "een inlogkaart voor u gemaakt"], text


def test_a_login_card_login_shows_the_notices_too(app, world, login_as):
    _staff, post = login_as("staf")
    page = post(f"/accounts/{user_id(app, 'anna')}/inlogkaarten")
    path = re.search(r'<p class="login-card-url"><code>http://localhost([^<]+)</code></p>', html_of(page)).group(1)
    client = app.test_client()
    form = client.get(path)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html_of(form)).group(1)
    response = client.post(path, data={"csrf_token": token})
    text = plain_text(client.get(location_of(response)))
    assert re.search(rf"Staf heeft op {WHEN} een inlogkaart voor u gemaakt\.", text), text


def test_a_staff_member_sees_after_the_code_step_that_they_became_administrator(app, world, admin, login_as):
    secret, _codes = enrolled_staff(app, app.test_client)
    _admin, post = login_as("beheerder")
    assert location_of(post(f"/accounts/{user_id(app, 'staf')}/beheerder")) == "/accounts"
    client = app.test_client()
    assert location_of(password_step(client)) == "/login/code"
    # The next time step: the enrolment used this one, and a code works once.
    response = PagePoster(client)("/login/code", {"code": code_for(secret, 30)})
    text = plain_text(client.get(location_of(response)))
    assert re.search(rf"Beheerder heeft u op {WHEN} beheerder gemaakt\.", text), text
    assert "Wist u hier niets van? Vertel het dan meteen aan een beheerder." in text


def test_a_staff_member_sees_that_the_second_factor_was_switched_off(app, world, admin, login_as):
    enrolled_staff(app, app.test_client)
    _admin, post = login_as("beheerder")
    post(f"/accounts/{user_id(app, 'staf')}/tweestaps/reset")
    _client, text = first_page_after_login(app, "staf")  # no code asked any more
    assert re.search(rf"Beheerder heeft op {WHEN} uw tweestapsverificatie uitgezet\. Stel die opnieuw in", text), text


def test_the_notice_is_in_the_language_of_the_user(app, world, login_as):
    _staff, post = login_as("staf")
    post(f"/accounts/{user_id(app, 'anna')}/password", {"password": NEW_PASSWORD})
    client = app.test_client()
    client.post("/taal", data={"lang": "en", "csrf_token": csrf_token(client, "/login")})
    login(client, "anna", NEW_PASSWORD)
    text = plain_text(client.get("/"))
    assert re.search(r"Staf changed your password on \d{1,2} \w+ \d{4} at \d{2}:\d{2}\.", text), text  # en_NL: not the US order


# --- the administrator role ------------------------------------------------------------------------

def test_an_administrator_sees_and_manages_every_account(app, world, admin, login_as):
    client, post = login_as("beheerder")
    listing = plain_text(client.get("/accounts"))
    assert "U bent beheerder. U ziet alle accounts en kunt ze allemaal aanpassen." in listing
    for name in ("anna", "petra", "staf", "andere-staf"):
        assert f" {name} " in listing, name
    assert "Alleen een beheerder kan dit account aanpassen." not in listing
    # Staff accounts of any project, and clients of any project.
    assert post(f"/accounts/{user_id(app, 'andere-staf')}/password", {"password": NEW_PASSWORD}).status_code == 303
    assert post(f"/accounts/{user_id(app, 'petra')}/disable").status_code == 303
    assert user_row(app, "petra").disabled
    login(app.test_client(), "andere-staf", NEW_PASSWORD)


def test_an_administrator_makes_another_staff_member_administrator_and_takes_it_back(app, world, admin, login_as):
    client, post = login_as("beheerder")
    staf_id = user_id(app, "staf")
    assert f'action="/accounts/{staf_id}/beheerder"' in html_of(client.get("/accounts"))
    assert location_of(post(f"/accounts/{staf_id}/beheerder")) == "/accounts"
    listing = plain_text(client.get("/accounts"))
    assert "Staf is nu beheerder." in listing and "Staf staf Beheerder (staf)" in listing
    assert user_row(app, "staf").is_admin
    # staf now sees every account, also those of the other project.
    staff, _ = login_as("staf")
    assert "<td>andere-staf</td>" in html_of(staff.get("/accounts"))

    assert location_of(post(f"/accounts/{staf_id}/beheerder/uit")) == "/accounts"
    assert "Staf is geen beheerder meer." in plain_text(client.get("/accounts"))
    assert not user_row(app, "staf").is_admin
    assert events(app, "user.admin_") == [("user.admin_grant", "beheerder", str(staf_id)),
                                          ("user.admin_revoke", "beheerder", str(staf_id))]


def test_only_staff_accounts_can_become_administrator(app, world, admin, login_as):
    client, post = login_as("beheerder")
    assert location_of(post(f"/accounts/{user_id(app, 'anna')}/beheerder")) == "/accounts"
    assert "Alleen een begeleider met een account dat aan staat kan beheerder worden." in \
        plain_text(client.get("/accounts"))
    assert not user_row(app, "anna").is_admin
    assert events(app, "user.admin_") == []


def test_project_staff_get_no_administrator_buttons_and_cannot_post_them(app, world, admin, login_as):
    staff, post = login_as("staf")
    listing = html_of(staff.get("/accounts"))
    assert "/beheerder" not in listing
    assert "U ziet de mensen van uw eigen onderzoeken en de accounts die u maakte." in plain_text(staff.get("/accounts"))
    assert post(f"/accounts/{user_id(app, 'staf')}/beheerder").status_code == 403
    assert post(f"/accounts/{user_id(app, 'beheerder')}/beheerder/uit").status_code == 403
    assert not user_row(app, "staf").is_admin and user_row(app, "beheerder").is_admin


def test_the_last_administrator_keeps_the_role(app, world, admin, login_as):
    client, post = login_as("beheerder")
    own_id = user_id(app, "beheerder")
    assert f'action="/accounts/{own_id}/beheerder/uit"' not in html_of(client.get("/accounts"))
    assert location_of(post(f"/accounts/{own_id}/beheerder/uit")) == "/accounts"
    assert "Beheerder is de enige beheerder. Maak eerst iemand anders beheerder." in plain_text(client.get("/accounts"))
    assert user_row(app, "beheerder").is_admin
    # With a second administrator, one may give the role up.
    post(f"/accounts/{user_id(app, 'staf')}/beheerder")
    assert f'action="/accounts/{own_id}/beheerder/uit"' in html_of(client.get("/accounts"))
    post(f"/accounts/{own_id}/beheerder/uit")
    assert not user_row(app, "beheerder").is_admin
    assert client.get("/accounts").status_code == 200 and "/beheerder" not in html_of(client.get("/accounts"))


def test_the_last_administrator_cannot_be_disabled_or_lose_the_role(app, world, admin):
    with app.app_context():
        last = find_user("beheerder")
        with pytest.raises(LastAdministrator):
            set_disabled(last, True, by=None)
        with pytest.raises(LastAdministrator):
            set_admin(last, False, by=None)
        db.session.rollback()
        # A disabled administrator does not count: the one who can log in must stay.
        other = find_user("staf")
        set_admin(other, True, by=last)
        set_disabled(other, True, by=last)
        with pytest.raises(LastAdministrator):
            set_admin(last, False, by=None)
        db.session.rollback()
        db.session.remove()


def test_an_administrator_disables_another_administrator(app, world, admin, login_as, make_user):
    make_user("tweede-beheerder", staff=True, admin=True)
    _client, post = login_as("beheerder")
    assert location_of(post(f"/accounts/{user_id(app, 'tweede-beheerder')}/disable")) == "/accounts"
    assert user_row(app, "tweede-beheerder").disabled


# --- accounts without a project ----------------------------------------------------------------

def test_staff_manage_the_accounts_they_made_until_these_join_a_project(app, world, login_as):
    staff, post = login_as("staf")
    response = post("/accounts/new", {"display_name": "Karin", "username": "karin", "password": PASSWORD})
    assert response.status_code == 303
    karin_id = user_id(app, "karin")
    assert user_row(app, "karin").created_by_id == user_id(app, "staf")
    assert "<td>karin</td>" in html_of(staff.get("/accounts"))
    assert "(karin)" in html_of(staff.get(f"/projects/{world.project_id}/members"))
    assert post(f"/accounts/{karin_id}/password", {"password": NEW_PASSWORD}).status_code == 303

    # Staff of the other project neither see nor manage her.
    outsider, outsider_post = login_as("andere-staf")
    assert "<td>karin</td>" not in html_of(outsider.get("/accounts"))
    assert outsider_post(f"/accounts/{karin_id}/disable").status_code == 403
    assert not user_row(app, "karin").disabled

    # Once in staf's project, staf manages her as one of the project's people.
    response = post(f"/projects/{world.project_id}/members", {"user_id": str(karin_id), "roles": "interviewer"})
    assert response.status_code == 303
    assert post(f"/accounts/{karin_id}/disable").status_code == 303
    assert user_row(app, "karin").disabled
