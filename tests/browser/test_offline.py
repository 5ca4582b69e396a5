"""No answer is ever lost, in Chromium (docs/architecture.md#offline-and-encryption): the network
drops mid-interview, the page is reloaded offline, the reply to a save gets lost, the server process
is killed and restarted. Every answer reaches the server exactly once with its latest value, and
while answers wait, nothing in the browser's storage can read them."""
import base64
import json
import re
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Answer, Interview, Question
from peerinterview.projects.services import add_location, create_project
from tests.browser.helpers import assert_accessible, screenshot
from tests.builders import make_interview
from tests.helpers import PASSWORD, make_user_now

ROOT = Path(__file__).resolve().parents[2]

QUESTIONS = [
    ("single", "Hoe vaak komt u hier?", ["Elke dag", "Soms", "Bijna nooit"]),
    ("scale5", "Hoe voelt u zich hier?", None),
    ("open", "Wat vindt u van het eten?", None),
    ("single", "Voelt u zich hier veilig?", ["Ja", "Nee"]),
    ("open", "Wat doet u hier graag?", None),
    ("scale5", "Hoe is het contact met de begeleiders?", None),
    ("open", "Wat kan beter?", None),
    ("single", "Komt u volgende week weer?", ["Ja", "Misschien", "Nee"]),
]

# Open answers typed while offline: none of these may ever be readable in browser storage.
SECRET_TEXTS = ["Het eten is lauw op dinsdag", "Ik speel graag schaak met Kees", "Meer rust in de middag"]

DUMP_STORAGE = """async () => {
  const out = {local: JSON.stringify(Object.assign({}, localStorage)),
               session: JSON.stringify(Object.assign({}, sessionStorage)), idb: [], queue: [], caches: []};
  const infos = indexedDB.databases ? await indexedDB.databases() : [];
  for (const info of infos) {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    for (const name of Array.from(db.objectStoreNames)) {
      const rows = await new Promise((ok) => { const q = db.transaction(name).objectStore(name).getAll(); q.onsuccess = () => ok(q.result); });
      out.idb.push(name + ":" + JSON.stringify(rows));
      if (name === "queue") out.queue = rows;
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.caches.push({url: request.url, body: await response.text(),
                       copy: response.headers.get("X-PeerInterview-Offline-Copy")});
    }
  }
  return out;
}"""


def build_project(app):
    with app.app_context():
        staff = make_user_now("sanne", staff=True)
        project = create_project(by=staff, name="Onderzoek inloop", research_question="Wat vinden bezoekers?",
                                 consent_text="Meedoen is vrijwillig.")
        add_location(project, "De Haven", by=staff)
        make_user_now("iris", project=project, roles={"interviewer"}, by=staff)
        version = questionnaire_of(project).draft
        ids = []
        for kind, text, choices in QUESTIONS:
            ids.append(add_question(version, kind=kind, text=text, choice_labels=choices, by=staff).id)
        freeze_version(version, by=staff)
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id, ids


def log_in(page, username="iris"):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1, name="Mijn onderzoeken")).to_be_visible()


def stored(app, interview_id):
    with app.app_context():
        rows = db.session.execute(
            db.select(Question.position, Answer.value, Answer.text, Answer.special)
            .join(Answer, Answer.question_id == Question.id)
            .where(Answer.interview_id == interview_id).order_by(Question.position)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def wait_for_rows(app, interview_id, expected, page, seconds=15):
    """Poll the database. Waiting through the page lets Playwright run route handlers meanwhile
    (the sync API runs them only inside its own calls)."""
    deadline = time.time() + seconds
    while stored(app, interview_id) != expected and time.time() < deadline:
        page.wait_for_timeout(200)
    got = stored(app, interview_id)
    assert got == expected, got
    return True


def status(page):
    return page.locator("#save-status")


def banner(page):
    return page.locator("#offline-status")


def wait_until_kept_offline(page, interview_id):
    """The service worker has put this interview's pages in its cache."""
    expect(page.locator(f'html[data-interview-cached="{interview_id}"]')).to_have_count(1, timeout=15_000)


def wait_until_key_kept(page):
    """The offline code has the project's public key (fetched when the page opened). Going offline while
    that request is still under way let CI see it, and the first sync after it, get through."""
    for _ in range(150):
        if any(entry.startswith("keys:") and entry != "keys:[]" for entry in page.evaluate(DUMP_STORAGE)["idb"]):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the offline code never stored the public key")


class WithoutOfflineNoise(list):
    """Console errors, without those a test expects (a request that fails offline, always)."""

    def __init__(self, *expected):
        super().__init__()
        self.expected = ("ERR_INTERNET_DISCONNECTED", "ERR_FAILED", *expected)

    def append(self, message):
        if not any(noise in message for noise in self.expected):
            super().append(message)


def forget_offline_noise(page, *expected):
    """Chromium logs every request that fails offline as a console error: expected here."""
    noise = ("ERR_INTERNET_DISCONNECTED", "ERR_FAILED", *expected)
    page.console_errors[:] = [e for e in page.console_errors if not any(n in e for n in noise)]


def assert_nothing_readable(dump, *, secrets):
    everything = "\n".join([dump["local"], dump["session"], *dump["idb"],
                            *(entry["body"] for entry in dump["caches"])])
    for secret in secrets:
        assert secret not in everything, secret
    # The queue holds envelopes and non-secret facts only: the fresh public key (epk) of the
    # ECDH envelope, never its private half.
    allowed = {"seq", "id", "interview_id", "question_id", "number", "changed_at", "sync_url", "key_id",
               "epk", "iv", "ciphertext"}
    for item in dump["queue"]:
        assert set(item) <= allowed, set(item) - allowed
        assert len(base64.b64decode(item["epk"])) == 65  # an uncompressed P-256 point
    # Cached pages are blank copies: no chosen option, no typed text.
    for entry in dump["caches"]:
        if "/interviews/" in entry["url"]:
            assert " checked" not in entry["body"], entry["url"]
            assert "data-offline-copy" in entry["body"], entry["url"]
            # Rendered blank by the server: the service worker keeps no other page.
            assert entry["copy"] == "blank", entry["url"]


def test_offline_after_question_two_reload_and_back_online(app, new_page):
    project_id, _ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    page.console_errors = WithoutOfflineNoise()
    context = page.context
    log_in(page)
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_kept_offline(page, interview_id)

    # Online: questions 1 and 2, confirmed by the server.
    page.get_by_label("Soms").check()
    expect(status(page)).to_have_text("Opgeslagen")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_visible()
    page.get_by_label("Goed", exact=True).check()
    expect(status(page)).to_have_text("Opgeslagen")
    assert stored(app, interview_id) == [(1, "2", None, None), (2, "4", None, None)]

    # The network drops. The interview goes on: five more answers.
    context.set_offline(True)
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Wat vindt u van het eten?")).to_be_visible()
    page.get_by_label("Wat vindt u van het eten?").fill(SECRET_TEXTS[0])
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Voelt u zich hier veilig?")).to_be_visible()
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 1")
    page.get_by_label("Nee").check()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    page.get_by_label("Ja").check()  # changed: the newest answer must win
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 3")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Wat doet u hier graag?")).to_be_visible()
    page.get_by_label("Wat doet u hier graag?").fill(SECRET_TEXTS[1])
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Hoe is het contact met de begeleiders?")).to_be_visible()
    # Back and on again, offline: the copy of question 5 does not show the typed answer, and
    # going on from it without a change sends nothing (it never clears the answer).
    page.get_by_role("button", name="Vorige").click()
    expect(page.get_by_role("heading", level=1, name="Wat doet u hier graag?")).to_be_visible()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    expect(page.get_by_label("Wat doet u hier graag?")).to_have_value("")
    expect(banner(page)).to_contain_text("Misschien ziet u ook een vraag die u mag overslaan.")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Hoe is het contact met de begeleiders?")).to_be_visible()
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 4")
    page.get_by_label("Heel goed").check()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Wat kan beter?")).to_be_visible()
    page.get_by_label("Wat kan beter?").fill(SECRET_TEXTS[2])
    page.get_by_label("Wat kan beter?").blur()
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 6")
    assert stored(app, interview_id) == [(1, "2", None, None), (2, "4", None, None)]

    # Nothing that waits can be read on the tablet.
    assert_nothing_readable(page.evaluate(DUMP_STORAGE), secrets=SECRET_TEXTS)

    # A reload while offline: the page comes from the service worker, the queue is still there.
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Wat kan beter?")).to_be_visible()
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 6")
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    dump = page.evaluate(DUMP_STORAGE)
    assert len(dump["queue"]) == 6
    assert_nothing_readable(dump, secrets=SECRET_TEXTS)

    # Logging out is refused while answers wait.
    page.get_by_role("button", name="Uitloggen").click()
    expect(banner(page)).to_contain_text("U kunt nog niet uitloggen.")
    expect(page.get_by_role("heading", level=1, name="Wat kan beter?")).to_be_visible()
    forget_offline_noise(page)
    assert_accessible(page, "offline-banner")

    # Back online: everything is sent, once, the newest value winning; nothing stays behind.
    context.set_offline(False)
    expect(banner(page)).not_to_contain_text("Nog niet verstuurd", timeout=15_000)
    expected = [(1, "2", None, None), (2, "4", None, None), (3, None, SECRET_TEXTS[0], None),
                (4, "1", None, None), (5, None, SECRET_TEXTS[1], None), (6, "5", None, None),
                (7, None, SECRET_TEXTS[2], None)]
    assert wait_for_rows(app, interview_id, expected, page)
    # The page is the real one again (with the answer from the server), not the blank copy.
    expect(page.get_by_label("Wat kan beter?")).to_have_value(SECRET_TEXTS[2], timeout=10_000)
    dump = page.evaluate(DUMP_STORAGE)
    assert dump["queue"] == []
    assert_nothing_readable(dump, secrets=SECRET_TEXTS)

    # The interview goes on to the end.
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Komt u volgende week weer?")).to_be_visible()
    page.get_by_label("Misschien").check()
    expect(status(page)).to_have_text("Opgeslagen")
    page.get_by_role("button", name="Naar het overzicht").click()
    expect(page.get_by_text(SECRET_TEXTS[1])).to_be_visible()
    assert stored(app, interview_id) == expected + [(8, "2", None, None)]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)
                                 .where(Answer.interview_id == interview_id)) == 8
        db.session.remove()
    forget_offline_noise(page)
    assert not page.console_errors, page.console_errors


def test_a_copy_missing_from_the_cache_is_fetched_blank_when_its_page_is_viewed_online(app, new_page):
    """The network dropped while the pages were first fetched: viewing the page online fetches
    its blank copy. The page as viewed, with the answer in it, is never stored."""
    project_id, _ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    log_in(page)
    page.goto(f"/interviews/{interview_id}/questions/3")
    wait_until_kept_offline(page, interview_id)
    page.get_by_label("Wat vindt u van het eten?").fill(SECRET_TEXTS[0])
    expect(status(page)).to_have_text("Opgeslagen")
    url = f"/interviews/{interview_id}/questions/3"
    page.evaluate("""async ([id, url]) => {
      const cache = await caches.open("pi-pages-" + id);
      if (!(await cache.delete(url))) throw new Error("no copy of " + url);
    }""", [interview_id, url])
    # A GET the service worker controls, without opening the page (the offline code would ask for the
    # whole interview again).
    assert SECRET_TEXTS[0] in page.evaluate("async (url) => (await fetch(url)).text()", url)
    for _ in range(100):
        kept = [entry for entry in page.evaluate(DUMP_STORAGE)["caches"] if entry["url"].endswith(url)]
        if kept:
            break
        page.wait_for_timeout(100)
    assert kept, "the missing copy was not fetched"
    assert kept[0]["copy"] == "blank" and "data-offline-copy" in kept[0]["body"]
    assert_nothing_readable(page.evaluate(DUMP_STORAGE), secrets=SECRET_TEXTS)
    assert not page.console_errors


def test_lost_acknowledgement_is_sent_again_and_stored_once(app, new_page):
    project_id, _ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    page.console_errors = WithoutOfflineNoise()
    log_in(page)
    calls = {"n": 0, "allow": False}

    def lose_the_reply(route):
        calls["n"] += 1
        if calls["n"] == 1:
            route.fetch()   # the server stores the answer ...
            route.abort()   # ... but the tablet never hears back
        elif not calls["allow"]:
            route.abort()
        else:
            route.continue_()

    page.route("**/sync", lose_the_reply)
    page.goto(f"/interviews/{interview_id}/questions/1")
    page.get_by_label("Bijna nooit").check()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 1")
    assert wait_for_rows(app, interview_id, [(1, "3", None, None)], page)  # it did arrive
    # The interviewer's list says which interview has answers waiting.
    page.goto(f"/projects/{project_id}/interviews")
    expect(page.locator(".queued-count")).to_have_text("Nog niet verstuurd: 1")
    assert_accessible(page, "offline-interview-list")
    calls["allow"] = True
    expect(page.locator(".queued-count")).to_have_count(0, timeout=20_000)
    page.goto(f"/interviews/{interview_id}/questions/1")
    expect(page.get_by_label("Bijna nooit")).to_be_checked()
    page.get_by_label("Soms").check()
    expect(status(page)).to_have_text("Opgeslagen")
    expect(banner(page)).not_to_contain_text("Nog niet verstuurd")
    assert calls["n"] >= 3
    assert stored(app, interview_id) == [(1, "2", None, None)]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 1
        db.session.remove()
    assert page.evaluate(DUMP_STORAGE)["queue"] == []


def test_expired_login_keeps_the_queue_and_the_interview_goes_on_after_logging_in(app, new_page):
    project_id, _ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    # Every sync the tablet tries while the login is gone is refused (400: its CSRF token belonged
    # to that login); on a busy machine it may try more than once before the new login.
    page.console_errors = WithoutOfflineNoise("status of 400")
    log_in(page)
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_kept_offline(page, interview_id)
    wait_until_key_kept(page)
    page.context.set_offline(True)
    page.get_by_label("Elke dag").check()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_visible()
    page.get_by_label("Heel slecht").check()
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 2")

    # The login ends while the tablet is offline (a long day: the session ran out).
    page.context.clear_cookies()
    page.context.set_offline(False)
    expect(banner(page)).to_contain_text("U bent uitgelogd. Log opnieuw in.", timeout=15_000)
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 2")
    assert_accessible(page, "offline-login-expired")
    assert stored(app, interview_id) == []
    assert len(page.evaluate(DUMP_STORAGE)["queue"]) == 2

    # Logging in again sends what waited, and the same interview goes on.
    log_in(page)
    assert wait_for_rows(app, interview_id, [(1, "1", None, None), (2, "1", None, None)], page)
    expect(banner(page)).not_to_contain_text("Nog niet verstuurd", timeout=15_000)
    page.goto(f"/interviews/{interview_id}/questions/2")
    expect(page.get_by_label("Heel slecht")).to_be_checked()
    assert page.evaluate(DUMP_STORAGE)["queue"] == []


def test_finishing_waits_until_everything_is_sent(app, new_page):
    project_id, _ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    page.console_errors = WithoutOfflineNoise()
    log_in(page)
    page.goto(f"/interviews/{interview_id}/questions/8")
    wait_until_kept_offline(page, interview_id)
    page.context.set_offline(True)
    page.get_by_label("Misschien").check()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    page.get_by_role("button", name="Naar het overzicht").click()
    # The overview from the tablet's cache says which answer still waits.
    expect(page.locator(".queued-note")).to_have_text("Beantwoord, nog niet verstuurd")
    page.get_by_role("button", name="Interview afronden").click()
    expect(banner(page)).to_contain_text("Wacht nog even met afronden.")
    with app.app_context():
        assert db.session.get(Interview, interview_id).status == "in_progress"
        db.session.remove()
    forget_offline_noise(page)
    assert_accessible(page, "offline-overview")
    page.context.set_offline(False)
    assert wait_for_rows(app, interview_id, [(8, "2", None, None)], page)
    expect(banner(page)).not_to_contain_text("Nog niet verstuurd", timeout=15_000)


def test_offline_the_tablet_has_every_question_also_one_that_skip_logic_hid(app, world, new_page):
    from tests.flow_builders import make_skip_version

    make_skip_version(app, world.project_id)  # 2 only after "Elke dag"/"Soms"; 3 after a low 2
    interview_id = make_interview(app, world.project_id, "anna")
    page = new_page()
    page.console_errors = WithoutOfflineNoise()
    log_in(page, "anna")
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_kept_offline(page, interview_id)  # kept before any answer: 2 and 3 were hidden then
    page.get_by_label("Soms").check()
    expect(status(page)).to_have_text("Opgeslagen")
    page.context.set_offline(True)
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_visible()
    page.get_by_label("Slecht", exact=True).check()
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Wat kan beter?")).to_be_visible()
    page.get_by_label("Wat kan beter?").fill("Een stille kamer")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Wilt u nog iets zeggen?")).to_be_visible()
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 2")
    page.context.set_offline(False)
    assert wait_for_rows(app, interview_id, [(1, "2", None, None), (2, "2", None, None),
                                             (3, None, "Een stille kamer", None)], page)


# --- the server process is killed and started again ------------------------------------------

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SEED = """
from peerinterview import create_app
from peerinterview.extensions import db
from flask_migrate import upgrade
from tests.builders import make_interview
from tests.helpers import build_world
app = create_app()
with app.app_context():
    upgrade()
    w = build_world()
print(w.project_id, make_interview(app, w.project_id, "anna"))
"""


class ServerProcess:
    def __init__(self, tmp):
        self.port = _free_port()
        self.env = dict(os.environ, PEERINTERVIEW_ENV="development", PEERINTERVIEW_INSTANCE=str(tmp),
                        DATABASE_URL=f"sqlite:///{tmp / 'live.sqlite'}",
                        SECRET_KEY="restart-test-secret-key-0123456789abcdef")
        self.env.pop("TEST_DATABASE_URL", None)
        self.proc = None

    def seed(self):
        """The schema from the migrations, the test world, and an interview of anna."""
        out = subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=self.env, capture_output=True,
                             text=True, check=True, timeout=120)
        project_id, interview_id = out.stdout.split()[-2:]
        return int(project_id), interview_id

    def start(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "run", "--no-reload", "--no-debugger",
             "--host", "127.0.0.1", "--port", str(self.port), "--with-threads"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)  # no clean shutdown: as a power cut would
        self.proc.wait(timeout=10)

    def rows(self, interview_id):
        import sqlite3

        with sqlite3.connect(self.env["DATABASE_URL"].removeprefix("sqlite:///")) as con:
            return con.execute(
                "SELECT q.position, a.value, a.text, a.special FROM answer a JOIN question q ON q.id = a.question_id "
                "WHERE a.interview_id = ? ORDER BY q.position", (interview_id,)).fetchall()


@pytest.fixture
def server_process():
    tmp = Path(tempfile.mkdtemp(prefix="peerinterview-restart-"))
    server = ServerProcess(tmp)
    yield server
    if server.proc and server.proc.poll() is None:
        server.kill()
    shutil.rmtree(tmp, ignore_errors=True)


def test_killing_the_server_mid_interview_loses_nothing_confirmed(browser, server_process):
    from tests.browser.conftest import TABLET

    server = server_process
    _project_id, interview_id = server.seed()
    server.start()
    context = browser.new_context(viewport=TABLET, locale="nl-NL", base_url=f"http://127.0.0.1:{server.port}")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, "anna")
        page.goto(f"/interviews/{interview_id}/questions/1")
        wait_until_kept_offline(page, interview_id)
        page.get_by_label("Elke dag").check()
        expect(status(page)).to_have_text("Opgeslagen")
        page.get_by_role("button", name="Volgende").click()
        page.get_by_label("Slecht", exact=True).check()
        expect(status(page)).to_have_text("Opgeslagen")

        server.kill()
        assert server.rows(interview_id) == [(1, "1", None, None), (2, "2", None, None)]
        # The server is gone: the next answer waits, encrypted, and the interview goes on.
        page.get_by_role("button", name="Volgende").click()
        expect(page.get_by_role("heading", level=1, name="Wat kan beter?")).to_be_visible()
        page.get_by_label("Wat kan beter?").fill("Koffie in de ochtend")
        page.get_by_label("Wat kan beter?").blur()
        expect(banner(page)).to_contain_text("Nog niet verstuurd: 1")

        server.start()
        page.evaluate("window.dispatchEvent(new Event('online'))")  # as the tablet would on reconnect
        expect(banner(page)).not_to_contain_text("Nog niet verstuurd", timeout=20_000)
        assert server.rows(interview_id) == [(1, "1", None, None), (2, "2", None, None),
                                             (3, None, "Koffie in de ochtend", None)]
    finally:
        context.close()


# --- answers the server acknowledges without storing them ------------------------------------

def queue_one_answer_offline(app, page, interview_id, label="Soms"):
    """On question 1, offline: one answer waits on the tablet."""
    log_in(page)
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_kept_offline(page, interview_id)
    wait_until_key_kept(page)
    page.context.set_offline(True)
    page.get_by_label(label).check()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 1")


def test_the_answers_of_an_erased_interview_leave_the_tablet_and_it_says_so(app, new_page):
    """Staff erase the respondent (by code) while the tablet holds an answer of theirs: the sync
    answers 410, and the tablet forgets what it holds instead of trying again for ever."""
    from peerinterview.accounts.services import find_user
    from peerinterview.models import Project
    from peerinterview.security.erasure import erase_respondent

    project_id, _ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    page.console_errors = WithoutOfflineNoise()
    queue_one_answer_offline(app, page, interview_id)
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        erase_respondent(db.session.get(Project, project_id), interview.respondent_code, by=find_user("sanne"))
        db.session.commit()
        db.session.remove()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(banner(page)).to_contain_text(
        "Dit interview is gewist of ingetrokken. De antwoorden die nog op de tablet stonden, zijn ook gewist.",
        timeout=15_000)
    expect(banner(page)).not_to_contain_text("Nog niet verstuurd")
    expect(banner(page)).not_to_contain_text("Versturen lukt niet")
    expect(status(page)).to_contain_text("Dit interview is gewist of ingetrokken.")
    assert page.evaluate(DUMP_STORAGE)["queue"] == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0
        db.session.remove()
    forget_offline_noise(page, "status of 410")
    assert_accessible(page, "offline-interview-gone")
    assert not page.console_errors, page.console_errors


def test_a_change_made_after_the_finish_is_dropped_and_the_interviewer_is_told(app, new_page):
    """The interview was finished (on another tablet) ten minutes before this tablet's change:
    the change is not stored, leaves the queue, and the screen says so."""
    from datetime import timedelta

    from peerinterview.accounts.services import find_user
    from peerinterview.interview.services import complete_interview
    from peerinterview.models.base import utcnow

    project_id, _ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    page.console_errors = WithoutOfflineNoise()
    queue_one_answer_offline(app, page, interview_id, label="Bijna nooit")
    with app.app_context():
        complete_interview(db.session.get(Interview, interview_id), by=find_user("iris"))
        db.session.execute(db.update(Interview).where(Interview.id == interview_id)
                           .values(completed_at=utcnow() - timedelta(minutes=10)))
        db.session.commit()
        db.session.remove()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(banner(page)).to_contain_text(
        "Niet bewaard: 1. Deze antwoorden zijn veranderd nadat het interview klaar was.", timeout=15_000)
    expect(status(page)).to_have_text("Niet bewaard. Het interview was al klaar.")
    expect(banner(page)).not_to_contain_text("Nog niet verstuurd")
    assert page.evaluate(DUMP_STORAGE)["queue"] == []
    assert stored(app, interview_id) == []
    forget_offline_noise(page)
    assert_accessible(page, "offline-late-change")
    assert not page.console_errors, page.console_errors


def test_a_change_that_lost_to_a_newer_answer_shows_the_answer_that_stays(app, new_page):
    """Another tablet, whose clock runs an hour ahead, stored "Elke dag": this tablet's "Soms"
    is older. The screen does not say "Opgeslagen"; it says which answer stays."""
    from datetime import timedelta

    from peerinterview.interview.services import save_answer
    from peerinterview.models.base import utcnow

    project_id, ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    log_in(page)
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_key_kept(page)
    with app.app_context():
        save_answer(db.session.get(Interview, interview_id), db.session.get(Question, ids[0]), value="1",
                    changed_at=utcnow() + timedelta(hours=1))
        db.session.commit()
        db.session.remove()
    page.get_by_label("Soms").check()
    expect(status(page)).to_contain_text("Er is al een nieuwer antwoord opgeslagen. Dat antwoord blijft staan.")
    expect(status(page)).to_contain_text("Opgeslagen antwoord: Elke dag")
    expect(status(page).locator(".save-ok")).to_have_count(0)
    expect(banner(page)).not_to_contain_text("Nog niet verstuurd")
    assert page.evaluate(DUMP_STORAGE)["queue"] == []
    assert stored(app, interview_id) == [(1, "1", None, None)]
    assert_accessible(page, "offline-newer-answer")
    assert not page.console_errors, page.console_errors


def test_an_invisible_control_character_never_blocks_the_queue(app, new_page):
    """Text pasted from elsewhere may hold a vertical tab: the server refuses control
    characters, so the tablet leaves them out instead of getting stuck on that answer."""
    project_id, _ids = build_project(app)
    interview_id = make_interview(app, project_id, "iris")
    page = new_page()
    log_in(page)
    page.goto(f"/interviews/{interview_id}/questions/3")
    wait_until_key_kept(page)
    page.get_by_label("Wat vindt u van het eten?").fill("Lekker\u000b warm\u0007")
    page.get_by_label("Wat vindt u van het eten?").blur()
    expect(status(page)).to_have_text("Opgeslagen")
    assert wait_for_rows(app, interview_id, [(3, None, "Lekker warm", None)], page)
    assert page.evaluate(DUMP_STORAGE)["queue"] == []
    assert not page.console_errors, page.console_errors


# Every text the save status showed, in order (the observer sees each change, also a short one).
WATCH_STATUS = """
window.__statusSeen = [];
new MutationObserver(() => {
  const el = document.getElementById("save-status");
  const text = el ? el.textContent.trim() : "";
  if (text && window.__statusSeen[window.__statusSeen.length - 1] !== text) window.__statusSeen.push(text);
}).observe(document.documentElement, {subtree: true, childList: true, characterData: true});
"""


def test_status_is_honest_at_once_and_volgende_shows_the_page_fetched_ahead_corrected_by_the_server(
        app, world, new_page):
    """A tap: "Bewaard op deze tablet" as soon as the answer is encrypted in the queue; while the
    server cannot be reached the status never says "Opgeslagen", and it does once the server
    acknowledged. "Volgende" then shows the page fetched ahead, which the server chose with its
    skip logic; when the server's reply to the form leads elsewhere (here: the interview was
    finished on the server in the meantime), its page replaces the guess and nothing is lost."""
    from peerinterview.interview.services import complete_interview
    from tests.flow_builders import make_skip_version

    make_skip_version(app, world.project_id)  # 2 only after "Elke dag"/"Soms"; 3 after a low 2
    interview_id = make_interview(app, world.project_id, "anna")
    page = new_page()
    page.console_errors = WithoutOfflineNoise()
    log_in(page, "anna")
    reachable = {"yes": False}
    page.route("**/sync", lambda route: route.continue_() if reachable["yes"] else route.abort())
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_key_kept(page)
    page.evaluate(WATCH_STATUS)

    page.get_by_label("Bijna nooit").check()
    expect(status(page)).to_have_text("Beantwoord, nog niet verstuurd")
    expect(banner(page)).to_contain_text("Nog niet verstuurd: 1")
    seen = page.evaluate("window.__statusSeen")
    assert seen[0] == "Bewaard op deze tablet"
    assert "Opgeslagen" not in seen
    assert stored(app, interview_id) == []
    reachable["yes"] = True
    expect(status(page)).to_have_text("Opgeslagen", timeout=20_000)
    assert stored(app, interview_id) == [(1, "3", None, None)]

    # "Bijna nooit" skips questions 2 and 3: the page fetched ahead is question 4.
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Wilt u nog iets zeggen?")).to_be_visible()
    assert page.url.endswith(f"/interviews/{interview_id}/questions/4")
    assert_accessible(page, "question-fetched-ahead")  # the swapped-in page as the server's own
    with page.expect_response(lambda r: r.url.endswith("/overview") and r.request.method == "GET"):
        page.get_by_label("Wilt u nog iets zeggen?").fill("Een stille kamer")
        page.get_by_label("Wilt u nog iets zeggen?").press("Tab")
        expect(status(page)).to_have_text("Opgeslagen")
    # The interview is finished on the server (another tablet): the guess (the overview) is
    # replaced by what the server says now.
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        complete_interview(interview, by=interview.interviewer)
        db.session.commit()
        db.session.remove()
    page.evaluate("""window.__headings = [];
      new MutationObserver(() => { const h = document.querySelector("h1");
        const t = h ? h.textContent.trim() : ""; if (t && window.__headings.at(-1) !== t) window.__headings.push(t);
      }).observe(document.body, {subtree: true, childList: true, characterData: true});""")
    page.get_by_role("button", name="Naar het overzicht").click()
    expect(page).to_have_url(re.compile(f"/interviews/{interview_id}/done$"))
    headings = page.evaluate("window.__headings")
    assert len(headings) >= 2 and headings[0].startswith("Overzicht"), headings
    # Finishing stores the skipped questions as empty rows; both answers are there.
    answered = [row for row in stored(app, interview_id) if any(row[1:])]
    assert answered == [(1, "3", None, None), (4, None, "Een stille kamer", None)]


def fetched_ahead(page, path):
    """Waits (around the block) until the page fetched ahead, `path`, has arrived."""
    return page.expect_response(lambda r: r.url.endswith(path) and r.request.method == "GET")


def expect_waiting_for_the_server(page, *buttons):
    for name in buttons:
        expect(page.get_by_role("button", name=name)).to_be_disabled()


def change_on_another_tablet(app, interview_id, question_id, value):
    from peerinterview.interview.services import save_answer

    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        save_answer(interview, db.session.get(Question, question_id), value=value)
        db.session.commit()
        db.session.remove()


def test_the_page_shown_ahead_waits_for_the_server_so_a_double_tap_goes_past_no_question(app, world, new_page):
    """The page fetched ahead is shown at once but is not confirmed until the server answered the
    post behind it: its "Volgende" and "Vorige" are disabled (a tap does nothing), it says so, and
    its answers stay open. A double tap on "Volgende" stays on the next question and answers
    nothing there; a tap after the server confirmed goes on; when the server leads elsewhere (an
    answer changed on the server in between: the question guessed is skipped now), its page
    replaces the guess and what was typed on the guess reaches the server. A lost reply ends the
    wait too."""
    from tests.flow_builders import make_skip_version

    ids = make_skip_version(app, world.project_id)  # 2 only after "Elke dag"/"Soms"; 3 after a low 2
    interview_id = make_interview(app, world.project_id, "anna")
    page = new_page()
    log_in(page, "anna")
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_key_kept(page)
    # The replies to the posts behind the pages shown ahead wait until the test lets them through.
    posts = []
    page.route(re.compile(r".*/questions/[124]$"),
               lambda route: posts.append(route) if route.request.method == "POST" else route.continue_())
    with fetched_ahead(page, "/questions/2"):
        page.get_by_label("Soms").check()
        expect(status(page)).to_have_text("Opgeslagen")
    double_tap_on_volgende(app, page, interview_id, posts)
    confirmed_after_an_answer_given_while_waiting(page, posts)
    # Another tablet changes question 1 on the server: questions 2 and 3 are skipped now.
    change_on_another_tablet(app, interview_id, ids[1], "3")
    wrong_guess_replaced_keeping_what_was_typed(app, page, interview_id, posts)
    lost_reply_ends_the_wait(page, interview_id, posts)


def double_tap_on_volgende(app, page, interview_id, posts):
    page.get_by_role("button", name="Volgende").dblclick()
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_visible()
    expect_waiting_for_the_server(page, "Volgende", "Vorige")
    expect(page.locator(".nav-buttons")).to_have_attribute("aria-busy", "true")
    expect(page.get_by_role("status").filter(has_text="Even wachten")).to_be_visible()
    assert_accessible(page, "question-waiting-for-the-server")
    assert len(posts) == 1 and page.url.endswith("/questions/2")
    assert stored(app, interview_id) == [(1, "2", None, None)]  # the second tap answered nothing


def confirmed_after_an_answer_given_while_waiting(page, posts):
    # Answers stay open while the page waits; the guess for "Volgende" is question 3 (a low 2).
    with fetched_ahead(page, "/questions/3"):
        page.get_by_label("Heel slecht").check()
        expect(status(page)).to_have_text("Opgeslagen")
    posts.pop().continue_()
    expect(page.get_by_role("button", name="Volgende")).to_be_enabled()
    expect(page.locator(".nav-buttons")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator(".confirm-wait")).to_have_count(0)
    assert page.url.endswith("/questions/2")


def wrong_guess_replaced_keeping_what_was_typed(app, page, interview_id, posts):
    # The guess (question 3) shows at once; the server's reply leads to question 4 and replaces it.
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Wat kan beter?")).to_be_focused()
    expect_waiting_for_the_server(page, "Volgende")
    page.get_by_label("Wat kan beter?").fill("Meer licht")
    assert len(posts) == 1
    posts.pop().continue_()
    expect(page.get_by_role("heading", level=1, name="Wilt u nog iets zeggen?")).to_be_focused()
    assert page.url.endswith(f"/interviews/{interview_id}/questions/4")
    expect(page.get_by_role("button", name="Naar het overzicht")).to_be_enabled()
    assert wait_for_rows(app, interview_id, [(1, "3", None, None), (2, "1", None, None),
                                             (3, None, "Meer licht", None)], page)


def lost_reply_ends_the_wait(page, interview_id, posts):
    # The server got the post behind the overview but its reply was lost: no reply will come, so
    # the overview waits no more ("Interview afronden" works).
    with fetched_ahead(page, "/overview"):
        page.get_by_label("Wilt u nog iets zeggen?").fill("Nee")
        page.get_by_label("Wilt u nog iets zeggen?").press("Tab")
        expect(status(page)).to_have_text("Opgeslagen")
    page.get_by_role("button", name="Naar het overzicht").click()
    expect(page.get_by_role("heading", level=1, name="Overzicht van de antwoorden")).to_be_visible()
    expect_waiting_for_the_server(page, "Interview afronden")
    lost = posts.pop()
    lost.fetch()
    lost.abort()
    expect(page.get_by_role("button", name="Interview afronden")).to_be_enabled()
    assert page.url.endswith(f"/interviews/{interview_id}/overview")


def test_no_page_is_guessed_from_an_answer_still_on_its_way_into_the_queue(app, world, new_page):
    """A send of the queue can end (and the page ahead be asked for) while a tap is still on its
    way into the queue (encrypting, writing): the page already shows the new answer, the server
    does not have it yet. A guess then would come from the server's skip logic on the answer
    before the tap, and "Volgende" would first show the wrong question. No guess is made until
    the answer on the page is the one in the queue, and acknowledged."""
    from tests.flow_builders import make_skip_version

    make_skip_version(app, world.project_id)  # 2 only after "Elke dag"/"Soms"; 3 after a low 2
    interview_id = make_interview(app, world.project_id, "anna")
    page = new_page()
    log_in(page, "anna")
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/questions/" in r.url and r.method == "GET" else None)
    page.goto(f"/interviews/{interview_id}/questions/1")
    wait_until_key_kept(page)
    # The tap, and in the same moment a send of the queue that ends (as one of an earlier answer does).
    page.evaluate("""() => {
      document.querySelector('label[for="answer-1"]').click();
      document.dispatchEvent(new CustomEvent("peerinterview:flushed", { detail: { outcome: "done" } }));
    }""")
    expect(page.get_by_label("Soms")).to_be_checked()
    expect(status(page)).to_have_text("Opgeslagen")
    page.evaluate("""window.__headings = [document.querySelector("h1").textContent.trim()];
      new MutationObserver(() => { const h = document.querySelector("h1");
        const t = h ? h.textContent.trim() : ""; if (t && window.__headings.at(-1) !== t) window.__headings.push(t);
      }).observe(document.body, {subtree: true, childList: true, characterData: true});""")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_visible()
    expect(page.get_by_role("button", name="Volgende")).to_be_enabled()
    assert page.evaluate("window.__headings") == ["Hoe vaak komt u hier?", "Hoe voelt u zich hier?"]
    assert not [url for url in asked if url.endswith("/questions/4")], asked


def kept_key_ids(page):
    """The key ids the offline code keeps in IndexedDB."""
    return [record["key_id"] for entry in page.evaluate(DUMP_STORAGE)["idb"] if entry.startswith("keys:")
            for record in json.loads(entry[len("keys:"):])]


def start_in_one_request(page, project_id, sent):
    """Fill in the start page and begin: one POST, answered with the first question (no
    redirect, no second request), the question's address in the history, focus on its heading,
    and no copy of the page made for htmx's history. Returns the question's path."""
    start = f"/projects/{project_id}/interviews/new"
    page.get_by_label("De Haven").check()
    page.get_by_label("De persoon doet mee aan het interview.").check()
    page.get_by_label(re.compile("^De persoon vindt het goed")).check()
    sent.clear()
    page.evaluate("window.__copies = 0; document.addEventListener('htmx:beforeHistorySave', () => { window.__copies++; })")
    page.get_by_role("button", name="Interview beginnen").click()
    expect(page.get_by_role("heading", level=1, name="Hoe vaak komt u hier?")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/interviews/[0-9a-f-]{36}/questions/1$"))
    assert sent == [("POST", start)]
    assert page.evaluate("window.__copies") == 0
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'H1'", timeout=5_000)
    assert_accessible(page, "first-question-from-the-start")
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "first-question-from-the-start-phone")
    page.set_viewport_size(size)
    return "/" + page.url.split("/", 3)[-1]


def make_the_key_again(app, project_id):
    """A new key pair for the project, as if the old one were lost."""
    from peerinterview.interview.sync import project_key
    from peerinterview.models import ProjectKey

    with app.app_context():
        db.session.execute(db.delete(ProjectKey).where(ProjectKey.project_id == project_id))
        db.session.commit()
        project_key(project_id)
        db.session.remove()


def test_the_start_answers_with_the_first_question_and_the_key_is_asked_for_once(app, new_page):
    """On a slow connection every round trip counts. The start is one request (its reply is the
    first question); a reload, "back" and "forward" use GET and never start again. The key is
    fetched on the start page and kept: no question page asks for it again, until it is made
    again, or the server refuses the page's CSRF token (a fresh one comes with the key)."""
    project_id, _ids = build_project(app)
    page = new_page()
    log_in(page)
    sent = []  # (method, path) of the page's own requests
    page.on("request", lambda r: sent.append((r.method, "/" + r.url.split("/", 3)[-1])))
    key_url = f"/projects/{project_id}/interview-key"
    page.goto(f"/projects/{project_id}/interviews/new")
    wait_until_key_kept(page)
    assert sent.count(("GET", key_url)) == 1
    question_one = start_in_one_request(page, project_id, sent)
    interview_id = question_one.split("/")[2]

    # A reload asks for the question (GET); "back" shows the start page, "forward" the question.
    for step, heading in ((page.reload, "Hoe vaak komt u hier?"), (page.go_back, "Nieuw interview"),
                          (page.go_forward, "Hoe vaak komt u hier?")):
        step()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    assert [r for r in sent if r[0] == "POST"] == [("POST", f"/projects/{project_id}/interviews/new")]
    assert ("GET", question_one) in sent
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Interview)) == 1
        db.session.remove()

    # Three questions, answered and stored: not one request for the key.
    for label, heading in (("Soms", "Hoe voelt u zich hier?"), ("Goed", "Wat vindt u van het eten?")):
        page.get_by_label(label, exact=True).check()
        expect(status(page)).to_have_text("Opgeslagen")
        page.get_by_role("button", name="Volgende").click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    assert ("GET", key_url) not in sent
    old_key = kept_key_ids(page)
    assert len(old_key) == 1

    # The key is made again on the server: the page names the new one, the tablet asks for it
    # once, and an answer sealed with it is stored.
    make_the_key_again(app, project_id)
    page.reload()
    page.get_by_label("Wat vindt u van het eten?").fill("Warm genoeg")
    page.get_by_label("Wat vindt u van het eten?").press("Tab")
    expect(status(page)).to_have_text("Opgeslagen")
    assert sent.count(("GET", key_url)) == 1
    assert kept_key_ids(page) != old_key and len(kept_key_ids(page)) == 1
    assert stored(app, interview_id) == [(1, "2", None, None), (2, "4", None, None), (3, None, "Warm genoeg", None)]

    # A page whose CSRF token the server refuses (the login changed since it was made): the sync
    # asks for a fresh token with the key, and the answer gets through.
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1, name="Voelt u zich hier veilig?")).to_be_visible()
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach((i) => { i.value = 'verlopen'; })")
    page.get_by_label("Ja").check()
    expect(status(page)).to_have_text("Opgeslagen", timeout=15_000)
    assert sent.count(("GET", key_url)) == 2
    assert stored(app, interview_id)[-1] == (4, "1", None, None)
    forget_offline_noise(page, "400 (BAD REQUEST)")
    assert page.console_errors == []
