"""Helpers shared by the tests: logins with CSRF, and data builders (call inside an app context)."""
import re

from peerinterview.accounts.services import create_user, set_membership
from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of
from peerinterview.extensions import db
from peerinterview.projects.services import add_location, create_project

PASSWORD = "een-goed-wachtwoord"


def csrf_token(client, url="/login") -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}: {html[:2000]}"
    return match.group(1)


def login(client, username, password=PASSWORD):
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client


class Poster:
    """POST with the session's CSRF token, as a browser form would."""

    def __init__(self, client):
        self.client = client
        self._token = None

    def __call__(self, url, data=None, **kwargs):
        if self._token is None:
            self._token = csrf_token(self.client, "/")
        payload = {"csrf_token": self._token, **(data or {})}
        return self.client.post(url, data=payload, **kwargs)


def make_user_now(username, *, staff=False, admin=False, project=None, roles=(), by=None):
    """Call inside an app context. `by` made the account (and gives it its roles)."""
    user = create_user(username=username, display_name=username.title(), password=PASSWORD, is_staff=staff,
                       is_admin=admin, created_by=by)
    if project is not None and roles:
        set_membership(user=user, project_id=project.id, roles=set(roles), by=by)
    db.session.commit()
    return user


def build_world():
    """A project with staff, an interviewer, a second interviewer, a panel member and a designer,
    two locations and a frozen questionnaire of three questions (single, scale, open)."""
    make_user = make_user_now
    staff = make_user("staf", staff=True)
    project = create_project(by=staff, name="Onderzoek dagopvang", research_question="Wat vinden bezoekers?",
                             consent_text="Meedoen is vrijwillig.")
    add_location(project, "De Haven", by=staff)
    add_location(project, "Het Anker", by=staff)
    people = {"staff": staff}
    for name, roles in (("anna", {"interviewer"}), ("bram", {"interviewer"}), ("petra", {"panel"}),
                        ("dirk", {"designer"})):
        people[name] = make_user(name, project=project, roles=roles, by=staff)
    outsider_staff = make_user("andere-staf", staff=True)
    other = create_project(by=outsider_staff, name="Ander onderzoek", research_question="?", consent_text="Ja.")
    people["outsider_staff"] = outsider_staff
    version = questionnaire_of(project).draft
    q1 = add_question(version, kind="single", text="Hoe vaak komt u hier?", required=True,
                      choice_labels=["Elke dag", "Soms", "Bijna nooit"], by=staff)
    q2 = add_question(version, kind="scale5", text="Hoe voelt u zich hier?", by=staff)
    q3 = add_question(version, kind="open", text="Wat kan beter?", help_text="Vraag door.", by=staff)
    freeze_version(version, by=staff)
    db.session.commit()

    class World:
        pass

    w = World()
    w.project_id, w.other_project_id = project.id, other.id
    w.version_id = version.id
    w.question_ids = [q1.id, q2.id, q3.id]
    w.location_ids = [loc.id for loc in project.locations]
    w.users = {name: user.username for name, user in people.items()}
    db.session.remove()
    return w


def card_key_of(answer, part="text") -> str:
    """The key the panel's pages carry for this answer's card (its random reference, never its id)."""
    from peerinterview.panel.services import card_key

    return card_key(answer.ref, part)


def answer_id_of_card(key) -> int | None:
    """The id of the answer behind a card key from a page (call inside an app context)."""
    from sqlalchemy import select

    from peerinterview.models import Answer

    return db.session.scalar(select(Answer.id).where(Answer.ref == key.partition("-")[0]))
