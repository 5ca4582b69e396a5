"""Who may use which route. Every rule in app.url_map (except static) must have an entry in
ACCESS below; the walk then tries each route as each role, with GET and with POST.

Allowed means: the view ran (a page, a redirect of the view itself, 409 or a 422 form error).
Denied means: anonymous → 302 to /login?next=<the path>; logged in → 403 with the B1 page."""
import pytest
from sqlalchemy import func, select

from peerinterview.accounts.services import find_user, set_membership
from peerinterview.design.builder.services import add_condition, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import AuditEvent, LoginCard, Project, TwoFactor
from peerinterview.models.base import utcnow

from .builders import (answers_of, html_of, interview_row, location_of, login_redirect_target, make_interview,
                       plain_text, start_interview_http)
from .access_areas import load_areas
from .helpers import csrf_token, login, make_user_now
from .worlds import common_world, world_from_snapshot

from .access_areas.roles import (ADMINS, ANNA_ONLY, ANONYMOUS, EDITORS, EVERYONE, GLOBAL_STAFF, INTERVIEWERS,
                                 LOGGED_IN, MEMBERS, PETRA_MANAGERS, PROJECT_STAFF, ROLES)

# endpoint → method → roles allowed. The order is the order of the walk: moves before the
# delete of the same question, freezing after both, logging out last.
ACCESS = {
    "healthz": {"GET": EVERYONE},
    "accounts.login": {"GET": EVERYONE, "POST": EVERYONE},
    # The privacy and accessibility pages are public; the walk posts an empty password
    # form (422); staff disables and then enables petra, and may give her a new password.
    "accounts.privacy": {"GET": EVERYONE},
    "accounts.accessibility": {"GET": EVERYONE},
    "accounts.change_password": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "projects.index": {"GET": LOGGED_IN},
    "accounts.users": {"GET": GLOBAL_STAFF},
    "accounts.new_user": {"GET": GLOBAL_STAFF, "POST": GLOBAL_STAFF},
    # Petra's account (the walk's user_id): staff of her project and administrators only.
    "accounts.set_user_password": {"GET": PETRA_MANAGERS, "POST": PETRA_MANAGERS},
    "accounts.disable_user": {"POST": PETRA_MANAGERS},
    "accounts.enable_user": {"POST": PETRA_MANAGERS},
    # The administrator role: administrators only (petra is no staff: refused with a message).
    "accounts.grant_admin": {"POST": ADMINS},
    "accounts.revoke_admin": {"POST": ADMINS},
    "projects.new": {"GET": GLOBAL_STAFF, "POST": GLOBAL_STAFF},
    "projects.show": {"GET": MEMBERS},
    "projects.edit": {"GET": PROJECT_STAFF, "POST": PROJECT_STAFF},
    "projects.add_location_view": {"POST": PROJECT_STAFF},
    "projects.members": {"GET": PROJECT_STAFF, "POST": PROJECT_STAFF},
    "design.questionnaire": {"GET": EDITORS},
    "design.add_question_view": {"POST": EDITORS},
    # The builder: live B1 advice, editing a draft question and its show-if conditions
    # (the walk removes the draft's condition on question 2 and edits question 1 before its delete).
    "design.b1_advice": {"POST": EDITORS},
    "design.edit_question": {"GET": EDITORS, "POST": EDITORS},
    # Pictures with a draft question and its answers (the walk's POST names no place: 422).
    "design.question_pictures": {"GET": EDITORS},
    "design.set_question_picture": {"POST": EDITORS},
    "design.add_condition_view": {"POST": EDITORS},
    # Hard words explained (the walk posts no word: 422, and a remove of no word: 303).
    "design.save_word_explanation": {"POST": EDITORS},
    "design.remove_word_explanation_view": {"POST": EDITORS},
    "design.delete_condition_view": {"POST": EDITORS},
    "design.move_question_view": {"POST": EDITORS},
    "design.delete_question_view": {"POST": EDITORS},
    "design.freeze": {"POST": PROJECT_STAFF},
    "design.new_draft_view": {"POST": EDITORS},
    "interview.index": {"GET": INTERVIEWERS | PROJECT_STAFF},
    "interview.start": {"GET": INTERVIEWERS, "POST": INTERVIEWERS},
    # Raw answers of one respondent: only the interviewer who took them.
    "interview.question": {"GET": ANNA_ONLY, "POST": ANNA_ONLY},
    # The htmx autosave of one answer: its own endpoint, the same people as the question screen.
    "interview.autosave": {"POST": ANNA_ONLY},
    "interview.overview": {"GET": ANNA_ONLY, "POST": ANNA_ONLY},
    "interview.done": {"GET": ANNA_ONLY},
    "interview.answers": {"GET": frozenset({"anna", "staf"})},
    "interview.debrief": {"POST": ANNA_ONLY},
    # Withdrawal at the respondent's request: project staff only (the walk posts no code: 422).
    "interview.withdraw": {"POST": PROJECT_STAFF},
    # Practice stores nothing. Interviewers start it on the frozen list; designers and staff run
    # the draft from the builder ("Proefinterview", design.practice_draft) on the same screens.
    "interview.practice_start": {"GET": INTERVIEWERS, "POST": INTERVIEWERS},
    "interview.practice_question": {"GET": INTERVIEWERS | EDITORS, "POST": INTERVIEWERS | EDITORS},
    "interview.practice_overview": {"GET": INTERVIEWERS | EDITORS, "POST": INTERVIEWERS | EDITORS},
    "interview.practice_done": {"GET": INTERVIEWERS | EDITORS},
    # No answer is ever lost (interview/sync.py): the project's public key for the tablets of its
    # interviewers; encrypted answers into one's own interview; the service worker and the
    # offline page are plain files.
    "interview.public_key": {"GET": INTERVIEWERS},
    "interview.sync": {"POST": ANNA_ONLY},
    "interview.service_worker": {"GET": EVERYONE},
    "interview.offline_page": {"GET": EVERYONE},
    "pool.results": {"GET": frozenset({"petra", "staf"})},
    "pool.open_answers": {"GET": frozenset({"petra", "staf"})},
}
ALLOWED_STATUSES = {200, 302, 303, 409, 422}
# The walk posts a form, and sync takes only JSON: it runs, and refuses the body with 400.
ALLOWED_STATUSES_OF = {"interview.sync": ALLOWED_STATUSES | {400}}

# Each area of the app keeps its own part of the table in tests/access_areas/<area>.py (walked
# in the order of the module names, after the routes above): ACCESS, optionally
# ALLOWED_STATUSES_OF and url_values(app, world) -> {url argument: value} for its objects.
AREAS = load_areas()
for _area in AREAS:
    _overlap = set(ACCESS) & set(_area.ACCESS)
    assert not _overlap, f"{_area.__name__} repeats {_overlap}"
    ACCESS.update(_area.ACCESS)
    ALLOWED_STATUSES_OF.update(getattr(_area, "ALLOWED_STATUSES_OF", {}))
# Last: switching the language, then logging out.
ACCESS["accounts.set_language"] = {"POST": EVERYONE}
ACCESS["accounts.logout"] = {"POST": LOGGED_IN}
WALKED_METHODS = {"GET", "POST"}


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_every_route_has_an_entry_in_the_access_table(app):
    missing = sorted({rule.endpoint for rule in routes(app)} - set(ACCESS))
    assert not missing, f"add these endpoints to ACCESS in tests/test_access.py: {missing}"
    stale = sorted(set(ACCESS) - {rule.endpoint for rule in routes(app)})
    assert not stale, f"ACCESS names endpoints that no longer exist: {stale}"
    for rule in routes(app):
        assert set(ACCESS[rule.endpoint]) == rule.methods & WALKED_METHODS, (
            f"{rule.endpoint}: the table lists {sorted(ACCESS[rule.endpoint])}, "
            f"the route answers {sorted(rule.methods & WALKED_METHODS)}"
        )


def test_the_table_names_only_known_roles():
    for endpoint, methods in ACCESS.items():
        for method, roles in methods.items():
            assert roles <= EVERYONE, (endpoint, method, roles - EVERYONE)


@pytest.fixture
def matrix_world(app):
    """The world, plus an interview of anna and a draft version 2 (so that the design routes
    have a draft question to move and delete). Built once per process, then put back from a
    snapshot (tests/worlds.py); it holds the whole `world`, so a test asks for one of the two."""
    return world_from_snapshot(app, "matrix_world", lambda: build_matrix_world(app, common_world(app)))


def build_matrix_world(app, world):
    interview_id = make_interview(app, world.project_id, "anna")
    with app.app_context():
        make_user_now("beheerder", staff=True, admin=True)
        project = db.session.get(Project, world.project_id)
        make_user_now("gemma", project=project, roles={"municipality"})
        draft = new_draft(questionnaire_of(project), by=find_user("staf"))
        condition = add_condition(draft.questions[1], draft.questions[0], ["1"])
        db.session.commit()
        draft_question_id = draft.questions[0].id
        draft_condition_id = condition.id
        world.user_id = find_user("petra").id
        db.session.remove()
    world.interview_id = interview_id
    world.draft_question_id = draft_question_id
    world.draft_condition_id = draft_condition_id
    world.url_values = {}
    for area in AREAS:
        if hasattr(area, "url_values"):
            world.url_values.update(area.url_values(app, world))
    return world


def url_for_rule(app, rule, world) -> str:
    values = {"project_id": world.project_id, "question_id": world.draft_question_id,
              "condition_id": world.draft_condition_id,
              "interview_id": world.interview_id, "number": 1, "key": "q3",
              "user_id": world.user_id, **world.url_values}
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})


def client_for(app, role):
    client = app.test_client()
    if role != ANONYMOUS:
        login(client, role)
    token = csrf_token(client, "/login" if role == ANONYMOUS else "/")
    return client, token


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, matrix_world, role):
    client, token = client_for(app, role)
    order = list(ACCESS)
    problems = []
    for rule in sorted(routes(app), key=lambda r: order.index(r.endpoint)):
        url = url_for_rule(app, rule, matrix_world)
        for method in sorted(rule.methods & WALKED_METHODS):  # GET before POST
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            allowed = role in ACCESS[rule.endpoint][method]
            where = f"{role} {method} {url} ({rule.endpoint}) → {response.status_code}"
            if "HX-Request" not in response.headers.get("Vary", ""):
                problems.append(f"{where}: no Vary: HX-Request")
            if allowed:
                if (response.status_code not in ALLOWED_STATUSES_OF.get(rule.endpoint, ALLOWED_STATUSES)
                        or login_redirect_target(response)):
                    problems.append(f"{where}: should be allowed")
            elif role == ANONYMOUS:
                if response.status_code != 302 or login_redirect_target(response) != url:
                    problems.append(f"{where}: should go to the login page with next={url}, "
                                    f"got Location {response.headers.get('Location')}")
            elif response.status_code != 403 or "Dit mag u niet zien" not in html_of(response):
                problems.append(f"{where}: should be 403 with 'Dit mag u niet zien'")
    assert not problems, "\n".join(problems)


def test_unknown_project_and_interview_are_404(app, matrix_world, login_as):
    client, post = login_as("staf")
    assert client.get("/projects/999999").status_code == 404
    assert "Pagina niet gevonden" in html_of(client.get("/projects/999999/results"))
    anna, _ = login_as("anna")
    response = anna.get("/interviews/00000000-0000-4000-8000-000000000000/questions/1")
    assert response.status_code == 404
    assert anna.get(f"/interviews/{matrix_world.interview_id}/questions/99").status_code == 404


# --- interviewer B and A's interview ---------------------------------------------------------

@pytest.fixture
def anna_interview(app, world, login_as):
    client, post = login_as("anna")
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    response = post(f"/interviews/{interview_id}/questions/1", {"answer": "2", "action": "next"})
    assert response.status_code == 303
    return interview_id


def test_interviewer_b_can_never_read_a_interview(world, anna_interview, login_as):
    bram, _ = login_as("bram")
    for path in [f"/interviews/{anna_interview}/questions/{n}" for n in (1, 2, 3)] + [
        f"/interviews/{anna_interview}/overview", f"/interviews/{anna_interview}/done",
    ]:
        response = bram.get(path)
        assert response.status_code == 403, path
        assert "Dit mag u niet zien" in html_of(response)
        assert "Hoe vaak komt u hier?" not in html_of(response)


def test_interviewer_b_can_never_change_a_interview(app, world, anna_interview, login_as):
    _bram, post = login_as("bram")
    for number, data in ((1, {"answer": "1", "action": "next"}), (1, {"answer": "special:refuse", "action": "save"}),
                         (3, {"text": "Geschreven door Bram", "action": "next"})):
        assert post(f"/interviews/{anna_interview}/questions/{number}", data).status_code == 403
    assert post(f"/interviews/{anna_interview}/overview").status_code == 403
    # Re-using A's interview id to "start" it again does not hand it over either.
    response = post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": anna_interview, "respondent_code": "BRAM1", "location_id": str(world.location_ids[1]),
        "consent": "y", "consent_data": "y", "language": "nl",
    })
    assert response.status_code == 403

    answers = answers_of(app, anna_interview)
    assert [(a.value, a.text, a.special) for a in answers] == [("2", None, None)]
    interview = interview_row(app, anna_interview)
    assert interview.status == "in_progress"
    assert interview.location_id == world.location_ids[0]
    assert interview.respondent_code != "BRAM1"


def test_interviewer_b_does_not_see_a_interview_in_the_list(app, world, anna_interview, login_as):
    code = interview_row(app, anna_interview).respondent_code
    bram, _ = login_as("bram")
    listing = bram.get(f"/projects/{world.project_id}/interviews")
    assert listing.status_code == 200
    assert "Mijn interviews" in html_of(listing)
    assert code not in html_of(listing)
    anna, _ = login_as("anna")
    assert code in html_of(anna.get(f"/projects/{world.project_id}/interviews"))
    staff, _ = login_as("staf")
    staff_listing = html_of(staff.get(f"/projects/{world.project_id}/interviews"))
    assert "Alle interviews" in staff_listing and code in staff_listing
    # Staff sees that it exists but gets no link into it.
    assert f"/interviews/{anna_interview}/questions/1" not in staff_listing


def test_panel_never_sees_individual_interviews(app, world, anna_interview, login_as):
    code = interview_row(app, anna_interview).respondent_code
    petra, post = login_as("petra")
    for path in (f"/interviews/{anna_interview}/questions/1", f"/interviews/{anna_interview}/overview",
                 f"/interviews/{anna_interview}/done", f"/projects/{world.project_id}/interviews"):
        response = petra.get(path)
        assert response.status_code == 403, path
    assert post(f"/interviews/{anna_interview}/questions/1", {"answer": "1", "action": "next"}).status_code == 403
    results = petra.get(f"/projects/{world.project_id}/results")
    assert results.status_code == 200
    assert code not in html_of(results)
    assert f"/interviews/{anna_interview}" not in html_of(results)
    assert [a.value for a in answers_of(app, anna_interview)] == ["2"]


def test_staff_of_another_project_sees_nothing_of_this_one(world, anna_interview, login_as):
    outsider, post = login_as("andere-staf")
    for path in (f"/projects/{world.project_id}", f"/projects/{world.project_id}/results",
                 f"/projects/{world.project_id}/interviews", f"/projects/{world.project_id}/questionnaire",
                 f"/interviews/{anna_interview}/overview"):
        assert outsider.get(path).status_code == 403, path
    assert "Onderzoek dagopvang" not in html_of(outsider.get("/"))
    assert "Ander onderzoek" in html_of(outsider.get("/"))
    assert post(f"/projects/{world.project_id}/locations", {"name": "Stiekem"}).status_code == 403


def test_buttons_a_user_may_not_use_are_not_shown(world, login_as):
    """A button the user may not use is not shown (docs/architecture.md#roles-and-what-each-can-see)."""
    petra, _ = login_as("petra")
    nav = html_of(petra.get(f"/projects/{world.project_id}"))
    assert f"/projects/{world.project_id}/results" in nav
    for hidden in ("/questionnaire", "/interviews", "/members", "/edit"):
        assert f"/projects/{world.project_id}{hidden}" not in nav
    dirk, _ = login_as("dirk")
    nav = html_of(dirk.get(f"/projects/{world.project_id}"))
    assert f"/projects/{world.project_id}/questionnaire" in nav
    assert f"/projects/{world.project_id}/results" not in nav


# --- staff stay inside their projects: accounts ------------------------------------------------

def account_state(app, username):
    """Everything that would change if someone took over the account."""
    with app.app_context():
        user = find_user(username)
        state = (user.password_hash, user.session_version, user.disabled, user.is_admin,
                 db.session.get(TwoFactor, user.id) is not None,
                 db.session.scalar(select(func.count()).select_from(LoginCard).where(LoginCard.user_id == user.id)))
        db.session.remove()
    return state


def user_id_of(app, username) -> int:
    with app.app_context():
        found = find_user(username).id
        db.session.remove()
    return found


def account_events(app) -> list[str]:
    with app.app_context():
        found = list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.in_(("user.password_reset", "user.disable", "user.enable", "two_factor.reset",
                                   "login_card.card_create", "login_card.card_revoke")))))
        db.session.remove()
    return found


def try_every_account_action(client, post, account_id) -> list[tuple[str, int]]:
    """(what, status) of every way staff manage an account, as a browser would send them."""
    card_id = 999999
    return [
        ("GET password", client.get(f"/accounts/{account_id}/password").status_code),
        ("POST password", post(f"/accounts/{account_id}/password", {"password": "overgenomen door b"}).status_code),
        ("POST disable", post(f"/accounts/{account_id}/disable").status_code),
        ("POST enable", post(f"/accounts/{account_id}/enable").status_code),
        ("POST second factor off", post(f"/accounts/{account_id}/tweestaps/reset").status_code),
        ("GET login cards", client.get(f"/accounts/{account_id}/inlogkaarten").status_code),
        ("POST new login card", post(f"/accounts/{account_id}/inlogkaarten").status_code),
        ("POST revoke login card",
         post(f"/accounts/{account_id}/inlogkaarten/{card_id}/intrekken").status_code),
        ("POST make administrator", post(f"/accounts/{account_id}/beheerder").status_code),
    ]


def test_staff_of_b_cannot_take_over_an_interviewer_of_a(app, world, login_as):
    """The attack as reproduced: staff of project B gave project A's interviewer a new password,
    logged in as her and read A's raw answers."""
    interview_id = make_interview(app, world.project_id, "anna",
                                  answers={"q1": "2", "q3": "Geheim antwoord uit onderzoek A"}, completed=True)
    anna_id = user_id_of(app, "anna")
    before = account_state(app, "anna")
    outsider, post = login_as("andere-staf")

    refused = try_every_account_action(outsider, post, anna_id)
    assert [what for what, status in refused if status != 403] == [], refused
    assert account_state(app, "anna") == before
    assert account_events(app) == []

    # The password staff B chose does not open anna's account, so A's raw answers stay out of reach.
    attacker = app.test_client()
    token = csrf_token(attacker, "/login")
    response = attacker.post("/login", data={"username": "anna", "password": "overgenomen door b",
                                             "csrf_token": token})
    assert response.status_code == 422
    assert login_redirect_target(attacker.get(f"/interviews/{interview_id}/answers")) is not None
    page = outsider.get(f"/interviews/{interview_id}/answers")
    assert page.status_code == 403 and "Geheim antwoord uit onderzoek A" not in html_of(page)
    # anna herself still logs in with her own password.
    login(app.test_client(), "anna")


def test_staff_of_b_does_not_see_the_people_of_a(app, world, login_as):
    outsider, post = login_as("andere-staf")
    listing = html_of(outsider.get("/accounts"))
    for username in ("anna", "bram", "petra", "dirk", "staf"):
        assert f"<td>{username}</td>" not in listing, username
    assert "<td>andere-staf</td>" in listing
    members = html_of(outsider.get(f"/projects/{world.other_project_id}/members"))
    for username in ("anna", "bram", "petra", "dirk"):
        assert f"({username})" not in members, username
    # Posting A's interviewer into project B by hand is refused too: she is no choice there.
    response = post(f"/projects/{world.other_project_id}/members",
                    {"user_id": str(user_id_of(app, "anna")), "roles": "panel"})
    assert response.status_code == 422
    with app.app_context():
        assert find_user("anna").membership_in(world.other_project_id) is None
        db.session.remove()
    # Staff of A see the people of A, and not those of B.
    staff, _ = login_as("staf")
    listing = html_of(staff.get("/accounts"))
    for username in ("anna", "bram", "petra", "dirk"):
        assert f"<td>{username}</td>" in listing, username
    assert "<td>andere-staf</td>" not in listing


def test_a_client_in_a_and_b_is_managed_by_staff_of_both_or_an_administrator(app, world, login_as,
                                                                            make_user):
    """Being in B as well does not open anna's account to staff of B: through it they would reach A."""
    make_user("beheerder", staff=True, admin=True)
    _admin, admin_post = login_as("beheerder")
    with app.app_context():
        set_membership(user=find_user("anna"), project_id=world.other_project_id, roles={"panel"},
                       by=find_user("andere-staf"))
        db.session.commit()
        db.session.remove()
    anna_id = user_id_of(app, "anna")
    before = account_state(app, "anna")
    outsider, post = login_as("andere-staf")
    listing = plain_text(outsider.get("/accounts"))
    assert "Anna anna Cliënt Alleen een beheerder kan dit account aanpassen." in listing
    refused = try_every_account_action(outsider, post, anna_id)
    assert [what for what, status in refused if status != 403] == [], refused
    assert account_state(app, "anna") == before

    # Staff of A alone may not either now: anna is in B too. An administrator may.
    _staff, staff_post = login_as("staf")
    assert staff_post(f"/accounts/{anna_id}/password", {"password": "een nieuw goed wachtwoord"}).status_code == 403
    response = admin_post(f"/accounts/{anna_id}/password", {"password": "een nieuw goed wachtwoord"})
    assert response.status_code == 303
    login(app.test_client(), "anna", "een nieuw goed wachtwoord")


def test_project_staff_cannot_reset_another_staff_member_even_in_the_same_project(app, world, login_as,
                                                                                  make_user):
    make_user("staf-twee", staff=True, project_id=world.project_id, roles={"staff"})
    colleague_id = user_id_of(app, "staf-twee")
    with app.app_context():
        db.session.add(TwoFactor(user_id=colleague_id, secret_encrypted="x", confirmed_at=utcnow()))
        db.session.commit()
        db.session.remove()
    before = account_state(app, "staf-twee")
    staff, post = login_as("staf")
    refused = try_every_account_action(staff, post, colleague_id)
    assert [what for what, status in refused if status != 403] == [], refused
    assert account_state(app, "staf-twee") == before
    assert "Staf-Twee staf-twee Begeleider (staf) Alleen een beheerder kan dit account aanpassen." in \
        plain_text(staff.get("/accounts"))

    # An administrator may: the second factor off, a new password, the account off.
    make_user("beheerder", staff=True, admin=True)
    _admin, admin_post = login_as("beheerder")
    assert location_of(admin_post(f"/accounts/{colleague_id}/tweestaps/reset")) == "/accounts"
    assert admin_post(f"/accounts/{colleague_id}/password",
                      {"password": "een nieuw goed wachtwoord"}).status_code == 303
    assert admin_post(f"/accounts/{colleague_id}/disable").status_code == 303
    after = account_state(app, "staf-twee")
    assert after[0] != before[0] and after[2] is True and after[4] is False
    assert sorted(account_events(app)) == ["two_factor.reset", "user.disable", "user.password_reset"]


def test_the_logboek_of_staff_of_b_does_not_list_the_people_of_a(app, world, login_as, make_user):
    login_as("anna")  # a login: an entry without a project
    staff, post = login_as("staf")
    anna_id = user_id_of(app, "anna")
    post(f"/accounts/{anna_id}/password", {"password": "een nieuw goed wachtwoord"})
    failed = app.test_client()
    failed.post("/login", data={"username": "bestaat-niet", "password": "fout",
                                "csrf_token": csrf_token(failed, "/login")})

    outsider, _ = login_as("andere-staf")
    page = html_of(outsider.get("/logboek?operation=login"))
    assert "<td>anna</td>" not in page and "<td>staf</td>" not in page and "<td>andere-staf</td>" in page
    listing = outsider.get("/logboek?action=user.")
    assert f"Account {anna_id}" not in plain_text(listing)
    assert 'data-action="user.password_reset"' not in html_of(listing)
    assert 'data-action="login.failed"' not in html_of(outsider.get("/logboek?action=login.failed"))

    # Staff of A see what happened to the people of A.
    page = html_of(staff.get("/logboek"))
    assert "<td>anna</td>" in page and 'data-action="user.password_reset"' in page and f"Account {anna_id}" in page
    # An administrator sees every entry without a project, also failed logins of unknown names.
    make_user("beheerder", staff=True, admin=True)
    admin, _ = login_as("beheerder")
    page = html_of(admin.get("/logboek"))
    assert "<td>anna</td>" in page and "<td>andere-staf</td>" in page and 'data-action="login.failed"' in page
