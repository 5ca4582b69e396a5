"""Failed logins, codes and login cards are counted before they are checked, in one atomic step,
so many guesses at once get no more checks than the limit; and production refuses to count per
process when several worker processes serve the app (security/throttle.py, config.py)."""
import os
import subprocess  # noqa: S404  (fixed commands, no user input)
import sys
import threading
import time
from pathlib import Path

import pytest
from flask import Flask

from peerinterview.accounts import routes as account_routes
from peerinterview.config import ConfigError, ProductionConfig, finish_config
from peerinterview.security import routes as security_routes
from peerinterview.security.throttle import failures

from .helpers import PASSWORD, csrf_token
from .test_login_cards import print_card, tap_login
from .test_two_factor import code_for, enrolled_staff, password_step

ROOT = Path(__file__).resolve().parent.parent
GUESSES = 60


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    failures.reset()
    yield
    failures.reset()


def counting(monkeypatch, module, name, pause=0.02):
    """Replace module.name by a wrapper that counts its calls; the pause keeps each check busy
    a while, as argon2 or a database look-up does, so the guesses really overlap."""
    original = getattr(module, name)
    calls = []
    lock = threading.Lock()

    def wrapper(*args, **kwargs):
        with lock:
            calls.append(args)
        time.sleep(pause)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def all_at_once(requests) -> list[int]:
    """Run the prepared requests (callables) in threads that start together; their statuses."""
    barrier = threading.Barrier(len(requests))
    statuses = [None] * len(requests)

    def run(index, request):
        barrier.wait()
        statuses[index] = request().status_code

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def login_guess(app, username, password):
    client = app.test_client()
    token = csrf_token(client, "/login")
    return lambda: client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_parallel_password_guesses_get_no_more_checks_than_the_limit(app, make_user, monkeypatch):
    make_user("anna")
    checks = counting(monkeypatch, account_routes, "authenticate")
    guesses = [login_guess(app, "anna", f"gok-{n}") for n in range(GUESSES)]
    statuses = all_at_once(guesses)
    assert len(checks) == 10  # LOGIN_FAILURE_LIMIT: 10 per 15 minutes
    assert sorted(statuses) == [422] * 10 + [429] * (GUESSES - 10)
    # The limit is used up: the right password is not even checked now.
    assert login_guess(app, "anna", PASSWORD)().status_code == 429
    assert len(checks) == 10


def test_a_right_password_works_while_guesses_stay_within_the_limit(app, make_user, monkeypatch):
    make_user("anna")
    checks = counting(monkeypatch, account_routes, "authenticate")
    statuses = all_at_once([login_guess(app, "anna", f"gok-{n}") for n in range(9)]
                           + [login_guess(app, "anna", PASSWORD)])
    assert sorted(statuses) == [303] + [422] * 9
    assert len(checks) == 10
    # A success wipes the count of this name and address: the next typo is not the last try.
    assert login_guess(app, "anna", "typfout")().status_code == 422
    assert login_guess(app, "anna", PASSWORD)().status_code == 303


def test_parallel_code_guesses_get_no_more_checks_than_the_limit(app, world, monkeypatch):
    secret, _codes = enrolled_staff(app, app.test_client)
    first = app.test_client()
    assert password_step(first).status_code == 303
    token = csrf_token(first, "/login/code")
    session_cookie = first.get_cookie("session")  # now with the CSRF token in it
    checks = counting(monkeypatch, security_routes.two_factor, "verify")

    def code_guess(code):
        client = app.test_client()
        client.set_cookie("session", session_cookie.value, domain=session_cookie.domain or "localhost")
        return lambda: client.post("/login/code", data={"code": code, "csrf_token": token})

    statuses = all_at_once([code_guess(f"{n:06d}") for n in range(GUESSES)])
    assert len(checks) == 5  # CODE_FAILURE_LIMIT: 5 per 15 minutes
    assert sorted(statuses) == [422] * 5 + [429] * (GUESSES - 5)
    assert code_guess(code_for(secret))().status_code == 429
    assert len(checks) == 5


def test_parallel_card_guesses_get_no_more_look_ups_than_the_limit(app, world, login_as, monkeypatch):
    url, _html = print_card(app, login_as)
    looked_up = counting(monkeypatch, security_routes.cards, "card_for_token")

    def card_guess(n):
        client = app.test_client()
        return lambda: client.get(f"/kaart/geraden-{n:040d}")

    statuses = all_at_once([card_guess(n) for n in range(GUESSES)])
    assert len(looked_up) == 20  # CARD_FAILURE_LIMIT: 20 per 15 minutes
    assert sorted(statuses) == [404] * 20 + [429] * (GUESSES - 20)


def test_cards_that_work_do_not_count(app, world, login_as):
    url, _html = print_card(app, login_as)
    path = url.removeprefix("http://localhost")
    for _ in range(25):  # more than the limit of 20, all from one address (a day centre)
        client = app.test_client()
        assert tap_login(client, path).status_code == 303
    assert app.test_client().get("/kaart/bestaat-niet").status_code == 404


# --- production: one shared count -------------------------------------------------------------

def production_app(tmp_path, **settings) -> Flask:
    app = Flask(__name__, instance_path=str(tmp_path))
    app.config.from_object(type("Production", (ProductionConfig,), {
        "SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings}))
    return app


@pytest.mark.parametrize("workers", ["2", "5"])
def test_production_refuses_per_process_counts_with_several_workers(tmp_path, monkeypatch, workers):
    monkeypatch.setenv("PEERINTERVIEW_WORKER_PROCESSES", workers)
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI=redis://"):
        finish_config(production_app(tmp_path, RATELIMIT_STORAGE_URI="memory://"))


def test_production_takes_shared_counts_or_one_worker(tmp_path, monkeypatch):
    monkeypatch.setenv("PEERINTERVIEW_WORKER_PROCESSES", "5")
    finish_config(production_app(tmp_path, RATELIMIT_STORAGE_URI="redis://redis-host:6379/0"))
    monkeypatch.setenv("PEERINTERVIEW_WORKER_PROCESSES", "1")
    finish_config(production_app(tmp_path, RATELIMIT_STORAGE_URI="memory://"))
    monkeypatch.delenv("PEERINTERVIEW_WORKER_PROCESSES")  # flask run: one process
    finish_config(production_app(tmp_path, RATELIMIT_STORAGE_URI="memory://"))


def gunicorn(tmp_path, *args, workers="1", timeout=60) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GUNICORN_", "RATELIMIT_", "PEERINTERVIEW_", "DATABASE_URL"))}
    env.update({"PEERINTERVIEW_ENV": "production", "SECRET_KEY": "s" * 48, "FORCE_HTTPS": "0",
                "PEERINTERVIEW_INSTANCE": str(tmp_path), "GUNICORN_WORKERS": workers, "GUNICORN_THREADS": "1",
                "GUNICORN_BIND": "127.0.0.1:0", "PYTHONPATH": str(ROOT)})
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115  (closed by the caller's wait)
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), *args],  # noqa: S603
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.mark.parametrize("workers, args", [("2", []), ("1", ["--workers", "3"])])
def test_gunicorn_with_several_workers_and_memory_counts_does_not_start(tmp_path, workers, args):
    """gunicorn.conf.py tells the app the final worker count, also when -w overrides it."""
    process = gunicorn(tmp_path, *args, workers=workers)
    try:
        code = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log = (tmp_path / "gunicorn.log").read_text()
    assert code != 0, log[-3000:]
    assert "counts failed logins per process" in log, log[-3000:]


def test_gunicorn_with_one_worker_and_memory_counts_starts(tmp_path):
    process = gunicorn(tmp_path, workers="1")
    try:
        deadline = time.monotonic() + 60
        log = tmp_path / "gunicorn.log"
        while time.monotonic() < deadline and "Booting worker" not in log.read_text():
            assert process.poll() is None, log.read_text()[-3000:]
            time.sleep(0.2)
        time.sleep(2)  # a worker that fails to load the app stops the server within this
        assert process.poll() is None, log.read_text()[-3000:]
        assert "Booting worker" in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)
