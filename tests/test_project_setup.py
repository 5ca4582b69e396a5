"""Setting up a project as staff: people and their roles (adding a role never takes the others,
taking one away is asked first), a new account made from the project, locations renamed and
archived, the checklist on the project page, and plain words in the logboek."""
import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import AuditEvent, Interview, Location, LoginCard, Project
from peerinterview.security.event_words import EVENT_WORDS

from .builders import html_of, location_of, make_interview, plain_text
from .helpers import PASSWORD


def roles_of(app, username, project_id):
    with app.app_context():
        roles = find_user(username).roles_in(project_id)
        db.session.remove()
    return roles


def user_id(app, username):
    with app.app_context():
        ident = find_user(username).id
        db.session.remove()
    return ident


def actions(app, project_id=None):
    with app.app_context():
        query = select(AuditEvent.action).order_by(AuditEvent.id)
        if project_id:
            query = query.where(AuditEvent.project_id == project_id)
        found = list(db.session.scalars(query))
        db.session.remove()
    return found


# --- roles: pre-ticked, never lost by adding one, asked before one goes ---------------------------

def ticked_roles(html) -> set[str]:
    boxes = re.findall(r"<input[^>]*name=\"roles\"[^>]*>", html)
    return {re.search(r'value="(\w+)"', box).group(1) for box in boxes if " checked" in box}


def test_the_roles_page_ticks_the_roles_a_person_has_now(app, world, login_as, make_user):
    make_user("eva", project_id=world.project_id, roles=("interviewer", "panel"))
    staff, _post = login_as("staf")
    html = html_of(staff.get(f"/projects/{world.project_id}/members/{user_id(app, 'eva')}"))
    assert ticked_roles(html) == {"interviewer", "panel"}
    assert 'value="designer"' in html and 'value="staff"' not in html  # no staff role for a client
    # Every person in the list has a way to their own roles page.
    listing = html_of(staff.get(f"/projects/{world.project_id}/members"))
    assert f'href="/projects/{world.project_id}/members/{user_id(app, "eva")}"' in listing


def test_adding_a_role_keeps_the_others(app, world, login_as, make_user):
    make_user("eva", project_id=world.project_id, roles=("interviewer",))
    _staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/members/{user_id(app, 'eva')}",
                    {"roles": ["interviewer", "panel"]})
    assert response.status_code == 303
    assert roles_of(app, "eva", world.project_id) == {"interviewer", "panel"}


def test_taking_a_role_away_is_asked_first_and_names_what_changes(app, world, login_as, make_user):
    make_user("eva", project_id=world.project_id, roles=("interviewer", "panel"))
    eva = user_id(app, "eva")
    _staff, post = login_as("staf")
    logged_before = len(actions(app, world.project_id))
    asked = post(f"/projects/{world.project_id}/members/{eva}", {"roles": ["panel"]})
    assert asked.status_code == 200
    text = plain_text(asked)
    assert "Rol weghalen bij Eva?" in text
    assert "U haalt deze rol weg: interviewer" in text
    assert "Eva kan dan geen interviews meer doen." in text
    # Nothing changed yet.
    assert roles_of(app, "eva", world.project_id) == {"interviewer", "panel"}
    assert len(actions(app, world.project_id)) == logged_before
    confirmed = post(f"/projects/{world.project_id}/members/{eva}", {"roles": ["panel"], "confirmed": "ja"})
    assert confirmed.status_code == 303
    assert roles_of(app, "eva", world.project_id) == {"panel"}
    assert actions(app, world.project_id)[-1] == "membership.set"


def test_the_add_form_only_adds_roles(app, world, login_as):
    """Choosing someone who is in the project already (a second tab, an old page) adds the
    ticked roles to the ones the person has; it never takes one away."""
    _staff, post = login_as("staf")
    anna = user_id(app, "anna")
    response = post(f"/projects/{world.project_id}/members", {"user_id": str(anna), "roles": ["panel"]})
    assert response.status_code == 303
    assert roles_of(app, "anna", world.project_id) == {"interviewer", "panel"}
    response = post(f"/projects/{world.project_id}/members", {"user_id": str(anna)})
    assert roles_of(app, "anna", world.project_id) == {"interviewer", "panel"}


def test_removing_everything_says_the_person_leaves_the_project(app, world, login_as):
    _staff, post = login_as("staf")
    petra = user_id(app, "petra")
    asked = post(f"/projects/{world.project_id}/members/{petra}", {})
    assert "Petra doet dan niet meer mee aan dit onderzoek." in plain_text(asked)
    assert roles_of(app, "petra", world.project_id) == {"panel"}
    assert post(f"/projects/{world.project_id}/members/{petra}", {"confirmed": "ja"}).status_code == 303
    assert roles_of(app, "petra", world.project_id) == set()
    assert actions(app, world.project_id)[-1] == "membership.remove"


def test_the_last_begeleider_cannot_be_removed(app, world, login_as):
    _staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/members/{user_id(app, 'staf')}",
                    {"roles": ["interviewer"], "confirmed": "ja"})
    assert response.status_code == 422
    assert "Er moet minstens één begeleider in dit onderzoek blijven." in plain_text(response)
    assert roles_of(app, "staf", world.project_id) == {"staff"}


def test_a_client_cannot_be_made_begeleider(app, world, login_as):
    _staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/members/{user_id(app, 'anna')}",
                    {"roles": ["interviewer", "staff"], "confirmed": "ja"})
    assert response.status_code == 422
    assert roles_of(app, "anna", world.project_id) == {"interviewer"}


def test_staff_of_another_project_cannot_change_roles_here(app, world, login_as):
    _outsider, post = login_as("andere-staf")
    anna = user_id(app, "anna")
    assert post(f"/projects/{world.project_id}/members/{anna}", {"roles": [], "confirmed": "ja"}).status_code == 403
    # Nor through their own project: anna is not in it, so there is no such page.
    assert post(f"/projects/{world.other_project_id}/members/{anna}",
                {"roles": ["panel"], "confirmed": "ja"}).status_code == 404
    assert roles_of(app, "anna", world.project_id) == {"interviewer"}
    assert roles_of(app, "anna", world.other_project_id) == set()


def test_a_client_cannot_reach_the_people_pages(app, world, login_as):
    client, post = login_as("anna")
    assert client.get(f"/projects/{world.project_id}/members/{user_id(app, 'petra')}").status_code == 403
    assert post(f"/projects/{world.project_id}/members/new", {
        "nieuw-display_name": "Kees", "nieuw-username": "kees", "nieuw-password": PASSWORD,
        "nieuw-roles": ["interviewer"]}).status_code == 403
    with app.app_context():
        assert find_user("kees") is None


# --- a person added from the project itself ---------------------------------------------------------

def test_a_new_account_is_made_and_added_from_the_project(app, world, login_as):
    staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/members/new", {
        "nieuw-display_name": "Kees de Vries", "nieuw-username": "kees", "nieuw-password": PASSWORD,
        "nieuw-roles": ["interviewer", "panel"]})
    assert response.status_code == 303
    assert location_of(response).startswith(f"/projects/{world.project_id}/members")
    assert roles_of(app, "kees", world.project_id) == {"interviewer", "panel"}
    with app.app_context():
        kees = find_user("kees")
        assert not kees.is_staff and kees.created_by_id == find_user("staf").id
        db.session.remove()
    assert actions(app)[-2:] == ["user.create", "membership.set"]
    page = plain_text(staff.get(f"/projects/{world.project_id}/members"))
    assert "Kees de Vries (kees)" in page
    # The new person can log in with the password staff gave.
    login_as("kees")


def test_a_new_account_needs_a_role_and_a_free_username(app, world, login_as):
    _staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/members/new", {
        "nieuw-display_name": "Kees", "nieuw-username": "kees", "nieuw-password": PASSWORD})
    assert response.status_code == 422 and "Kies minstens één rol." in plain_text(response)
    response = post(f"/projects/{world.project_id}/members/new", {
        "nieuw-display_name": "Anna twee", "nieuw-username": "anna", "nieuw-password": PASSWORD,
        "nieuw-roles": ["panel"]})
    assert response.status_code == 422 and "Deze gebruikersnaam bestaat al." in plain_text(response)
    with app.app_context():
        assert find_user("kees") is None


def test_no_staff_account_is_made_from_the_project(app, world, login_as):
    _staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/members/new", {
        "nieuw-display_name": "Kees", "nieuw-username": "kees", "nieuw-password": PASSWORD,
        "nieuw-roles": ["staff"], "nieuw-is_staff": "y"})
    assert response.status_code == 422
    with app.app_context():
        assert find_user("kees") is None


def test_the_pick_list_offers_only_people_staff_may_see_and_not_members(app, world, login_as, make_user):
    make_user("los")  # an account nobody made: not visible to project staff
    staff, post = login_as("staf")
    staff_post = post
    staff_post("/accounts/new", {"display_name": "Karin", "username": "karin", "password": PASSWORD})
    html = html_of(staff.get(f"/projects/{world.project_id}/members"))
    pick = html[html.index('id="user_id"'):html.index("</select>", html.index('id="user_id"'))]
    assert "(karin)" in pick
    assert "(los)" not in pick and "(andere-staf)" not in pick
    assert "(anna)" not in pick  # already in the project: changed through her own roles page
    response = post(f"/projects/{world.project_id}/members", {"user_id": str(user_id(app, "los")),
                                                              "roles": ["panel"]})
    assert response.status_code == 422
    assert roles_of(app, "los", world.project_id) == set()
    response = post(f"/projects/{world.project_id}/members", {"user_id": str(user_id(app, "karin")),
                                                              "roles": ["panel"]})
    assert response.status_code == 303 and roles_of(app, "karin", world.project_id) == {"panel"}


# --- locations ------------------------------------------------------------------------------------

def test_a_location_is_renamed_and_old_interviews_show_the_new_name(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna")
    staff, post = login_as("staf")
    with app.app_context():
        location_id = db.session.get(Interview, interview_id).location_id
        db.session.remove()
    response = post(f"/projects/{world.project_id}/locations/{location_id}", {"name": "Inloophuis De Haven"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Interview, interview_id).location.name == "Inloophuis De Haven"
        db.session.remove()
    assert "location.rename" in actions(app, world.project_id)
    taken = post(f"/projects/{world.project_id}/locations/{location_id}", {"name": "het anker"})
    assert taken.status_code == 422 and "Deze locatie bestaat al" in plain_text(taken)


def test_an_archived_location_is_not_offered_for_new_interviews(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna")
    with app.app_context():
        location_id = db.session.get(Interview, interview_id).location_id
        name = db.session.get(Location, location_id).name
        db.session.remove()
    _staff, post = login_as("staf")
    assert post(f"/projects/{world.project_id}/locations/{location_id}/archive",
                {"archived": "ja"}).status_code == 303
    anna, anna_post = login_as("anna")
    start = html_of(anna.get(f"/projects/{world.project_id}/interviews/new"))
    assert f'value="{location_id}"' not in start and name not in start
    # A hand-made start at the archived location is refused.
    response = anna_post(f"/projects/{world.project_id}/interviews/new", {
        "interview_id": "6f1d7c2a-4f57-4b55-9d3e-1234567890ab", "location_id": str(location_id),
        "consent": "y", "consent_data": "y", "language": "nl"})
    assert response.status_code == 422
    with app.app_context():
        # The old interview keeps its location.
        assert db.session.get(Interview, interview_id).location_id == location_id
        assert db.session.get(Interview, "6f1d7c2a-4f57-4b55-9d3e-1234567890ab") is None
        db.session.remove()
    # And it comes back.
    assert post(f"/projects/{world.project_id}/locations/{location_id}/archive",
                {"archived": "nee"}).status_code == 303
    assert f'value="{location_id}"' in html_of(anna.get(f"/projects/{world.project_id}/interviews/new"))
    assert actions(app, world.project_id)[-2:] == ["location.archive", "location.restore"]


def test_locations_are_changed_by_their_own_project_staff_only(app, world, login_as):
    _outsider, post = login_as("andere-staf")
    location_id = world.location_ids[0]
    assert post(f"/projects/{world.project_id}/locations/{location_id}", {"name": "Weg"}).status_code == 403
    assert post(f"/projects/{world.project_id}/locations/{location_id}/archive",
                {"archived": "ja"}).status_code == 403
    # Through their own project the location of another project does not exist.
    assert post(f"/projects/{world.other_project_id}/locations/{location_id}/archive",
                {"archived": "ja"}).status_code == 404
    _anna, anna_post = login_as("anna")
    assert anna_post(f"/projects/{world.project_id}/locations/{location_id}/archive",
                     {"archived": "ja"}).status_code == 403
    with app.app_context():
        location = db.session.get(Location, location_id)
        assert location.archived_at is None and location.name == "De Haven"
        db.session.remove()


# --- the checklist --------------------------------------------------------------------------------

def checklist(client, project_id):
    html = html_of(client.get(f"/projects/{project_id}"))
    steps = {}
    for key in ("locations", "people", "consent", "questionnaire", "cards", "interviews", "meeting", "report"):
        start = html.index(f'id="stap-{key}"')
        chunk = html[html.rindex("<li", 0, start):html.index("</li>", start)]
        steps[key] = "is-done" in chunk
    return steps


def test_the_checklist_follows_the_real_data(app, draft_project, world, login_as):
    staff, post = login_as("staf")
    steps = checklist(staff, draft_project)
    assert not any(steps[key] for key in ("locations", "people", "questionnaire", "cards", "interviews",
                                          "meeting", "report"))
    assert steps["consent"]
    # Locations: one open location is enough; archived ones do not count.
    post(f"/projects/{draft_project}/locations", {"name": "Buurthuis"})
    assert checklist(staff, draft_project)["locations"]
    with app.app_context():
        location_id = db.session.scalar(select(Location.id).where(Location.project_id == draft_project))
        db.session.remove()
    post(f"/projects/{draft_project}/locations/{location_id}/archive", {"archived": "ja"})
    assert not checklist(staff, draft_project)["locations"]
    # People: an interviewer and a panel member.
    post(f"/projects/{draft_project}/members", {"user_id": str(user_id(app, "anna")), "roles": ["interviewer"]})
    assert not checklist(staff, draft_project)["people"]
    post(f"/projects/{draft_project}/members", {"user_id": str(user_id(app, "petra")), "roles": ["panel"]})
    assert checklist(staff, draft_project)["people"]
    # Login cards: every client in the project has one that works.
    with app.app_context():
        from peerinterview.security.cards import create_card, revoke
        clients = [find_user(name) for name in ("anna", "petra", "dirk")]
        cards = [create_card(user, by=find_user("staf"))[0] for user in clients[:2]]
        db.session.commit()
        cards = [card.id for card in cards]
        db.session.remove()
    assert not checklist(staff, draft_project)["cards"]  # dirk has none
    with app.app_context():
        create_card(find_user("dirk"), by=find_user("staf"))
        db.session.commit()
        db.session.remove()
    assert checklist(staff, draft_project)["cards"]
    with app.app_context():
        revoke(db.session.get(LoginCard, cards[0]), by=find_user("staf"))
        db.session.commit()
        db.session.remove()
    assert not checklist(staff, draft_project)["cards"]
    # The questionnaire is frozen in the world's project, and has a finished interview there.
    done = checklist(staff, world.project_id)
    assert done["questionnaire"] and not done["interviews"]
    make_interview(app, world.project_id, "anna", completed=True)
    assert checklist(staff, world.project_id)["interviews"]


def test_each_step_links_to_its_page(app, world, login_as):
    staff, _post = login_as("staf")
    html = html_of(staff.get(f"/projects/{world.project_id}"))
    for path in (f"/projects/{world.project_id}/members", f"/projects/{world.project_id}/questionnaire",
                 f"/projects/{world.project_id}/edit#consent_text", f"/projects/{world.project_id}/themes",
                 f"/projects/{world.project_id}/report"):
        assert f'href="{path}"' in html, path
        assert staff.get(path.split("#")[0]).status_code == 200, path


def test_only_staff_see_the_checklist(app, world, login_as):
    for username in ("anna", "petra", "dirk"):
        client, _post = login_as(username)
        html = html_of(client.get(f"/projects/{world.project_id}"))
        assert "Stappen van het onderzoek" not in html, username


# --- the logboek in plain words -------------------------------------------------------------------

ACTION_CODE = re.compile(r"^[a-z][a-z_]*(\.[a-z_]+)?$")


def _recorded_actions() -> set[str]:
    """Every action code the app writes: the literal strings in record(...) calls, the PDF actions
    passed to pdf_response, and the export names."""
    from peerinterview.report.routes import EXPORTS

    found = set()
    for path in Path("peerinterview").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "record":
                first = node.args[0]
            elif name == "pdf_response" and len(node.args) >= 3:
                first = node.args[2]
            else:
                continue
            for part in ast.walk(first):
                if isinstance(part, ast.Constant) and isinstance(part.value, str) and ACTION_CODE.match(part.value):
                    found.add(part.value)
    found |= {"export." + name.split(".")[0].replace("-", "_") for name in EXPORTS}
    return found


@pytest.mark.database_independent
def test_every_logged_action_has_plain_words():
    recorded = _recorded_actions()
    assert len(recorded) > 60  # the walk found the calls
    missing = sorted(recorded - set(EVENT_WORDS))
    assert not missing, f"add these to EVENT_WORDS in peerinterview/security/event_words.py: {missing}"


@pytest.mark.database_independent
def test_every_plain_word_has_an_english_translation(app):
    from flask_babel import force_locale

    with app.test_request_context():
        for code, words in EVENT_WORDS.items():
            with force_locale("en"):
                english = str(words)
            with force_locale("nl"):
                dutch = str(words)
            assert english != dutch, code
            assert "." not in dutch and "_" not in dutch, code  # words, not a code


def test_the_logboek_shows_words_not_codes(app, world, login_as):
    staff, post = login_as("staf")
    post(f"/projects/{world.project_id}/locations", {"name": "Buurthuis"})
    page = plain_text(staff.get("/logboek"))
    assert "Locatie toegevoegd" in page
    assert "Onderzoek dagopvang" in page  # the project by name
    html = html_of(staff.get("/logboek"))
    body = re.sub(r"<[^>]+>", " ", html[html.index("<tbody>"):html.index("</tbody>")])  # what people read
    for code in ("location.create", "project.create", "membership.set", "user:"):
        assert code not in body, code
    # The filter offers the words; the code is still what it filters on.
    assert '<option value="location.create">Locatie toegevoegd</option>' in html
    filtered = plain_text(staff.get("/logboek?action=location.create"))
    assert "3 regels gevonden." in filtered  # De Haven, Het Anker and Buurthuis
    # The start of a code still works as a filter (old links).
    post(f"/projects/{world.project_id}/locations/{world.location_ids[0]}/archive", {"archived": "ja"})
    assert "4 regels gevonden." in plain_text(staff.get("/logboek?action=location."))


def test_the_logboek_in_english_has_english_words(app, world, login_as):
    staff, post = login_as("staf")
    post("/taal", {"lang": "en"})
    page = plain_text(staff.get("/logboek"))
    assert "Study created" in page
    assert "Onderzoek gemaakt" not in page


def _project_form_as_sent(client, project_id) -> dict:
    """The settings form as a browser sends it: ticked boxes and chosen radios only, no token."""
    page = html_of(client.get(f"/projects/{project_id}/edit"))
    form = re.search(r'<form[^>]*action="/projects/%d/edit"[^>]*>(.*?)</form>' % project_id, page, re.S).group(1)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrf_token":
            continue
        if ('type="checkbox"' in tag or 'type="radio"' in tag) and "checked" not in tag:
            continue
        data[name.group(1)] = value.group(1) if value else "y"
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = text.removeprefix("\n")
    assert data.get("seen"), "the page says how the settings looked"
    return data


def test_two_staff_editing_the_settings_at_once_lose_nothing(app, world, make_user, login_as):
    """Two staff members open the project's settings. One changes the commissioner, the other (from
    the older page) the research question: both stay. Both change the consent text: the second
    gets 409 with their text kept and the stored one at the top; nothing is overwritten."""
    make_user("staf2", staff=True, project_id=world.project_id, roles={"staff"})
    staf, staf_post = login_as("staf")
    other, other_post = login_as("staf2")
    url = f"/projects/{world.project_id}/edit"
    mine, theirs = _project_form_as_sent(staf, world.project_id), _project_form_as_sent(other, world.project_id)
    assert staf_post(url, {**mine, "commissioner": "Gemeente Utrecht"}).status_code == 303
    assert other_post(url, {**theirs, "research_question": "Hoe voelen bezoekers zich?"}).status_code == 303
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        assert (project.commissioner, project.research_question) == ("Gemeente Utrecht", "Hoe voelen bezoekers zich?")
        db.session.remove()

    mine, theirs = _project_form_as_sent(staf, world.project_id), _project_form_as_sent(other, world.project_id)
    assert staf_post(url, {**mine, "consent_text": "Meedoen mag. Stoppen mag altijd."}).status_code == 303
    refused = other_post(url, {**theirs, "consent_text": "Je doet mee als je wilt."})
    assert refused.status_code == 409
    page = html_of(refused)
    assert re.search(r'<textarea[^>]*name="consent_text"[^>]*>\s*Je doet mee als je wilt.</textarea>', page)
    assert "Iemand anders heeft de gegevens net veranderd." in plain_text(refused)
    assert "Meedoen mag. Stoppen mag altijd." in plain_text(refused)
    with app.app_context():
        assert db.session.get(Project, world.project_id).consent_text == "Meedoen mag. Stoppen mag altijd."
        db.session.remove()
