"""Shared parts of the benchmarks: a fresh migrated database, a seeded project with a frozen
questionnaire, gunicorn started with the project's gunicorn.conf.py, and a small asyncio HTTP/1.1
client that behaves like a tablet's browser (cookies, keep-alive, gzip, htmx headers).

Only the standard library and the project's own dependencies: the bench runs on a fresh install.
"""
import asyncio
import gzip
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PEERINTERVIEW_INSTANCE", tempfile.mkdtemp(prefix="peerinterview-bench-"))

PASSWORD = "bench-wachtwoord"
USER_AGENT = "PeerInterview-bench (tablet)"


# --- database --------------------------------------------------------------------------------

def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or \
        f"sqlite:///{Path(os.environ['PEERINTERVIEW_INSTANCE']) / 'bench.sqlite'}"


def database_name(url: str) -> str:
    return "postgresql" if url.startswith("postgres") else url.split(":", 1)[0]


def fresh_app(url: str, **settings):
    """An app on `url` with the schema made from the migrations, on an empty database."""
    from flask_migrate import downgrade, upgrade

    from peerinterview import create_app
    from peerinterview.config import TestConfig
    from peerinterview.extensions import db

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                                                 **settings})
    app = create_app(config)
    with app.app_context():
        try:
            downgrade(revision="base")
        except Exception:  # noqa: BLE001  (an empty database has nothing to take down)
            db.session.rollback()
        upgrade()
        db.session.remove()
    return app


@dataclass
class Seeded:
    project_id: int
    version_id: int
    location_ids: list
    questions: list  # (id, kind, choice values)
    usernames: list
    user_ids: list
    staff_id: int


# Pictures of the first question and its four answers when a bench asks for them (OpenMoji codes).
FIRST_QUESTION_PICTURES = ("1F3E0", ["2705", "274C", "1F937", "1F914"])


def seed_interview_project(app, *, interviewers: int, questions: int, tag: str = "bench",
                           pictures: bool = False) -> Seeded:
    """A project with `questions` frozen questions (single choice, 5-point scale, open) and
    `interviewers` interviewer accounts, all with PASSWORD (a full-strength argon2 hash).
    `pictures`: the first question and its answers get pictures (the first screen's heaviest case)."""
    from argon2 import PasswordHasher

    from peerinterview.accounts.services import create_user, set_membership
    from peerinterview.design.builder.services import (
        add_question,
        freeze_version,
        questionnaire_of,
    )
    from peerinterview.extensions import db
    from peerinterview.projects.services import add_location, create_project

    strong_hash = PasswordHasher().hash(PASSWORD)  # what production stores; hashed once, shared
    with app.app_context():
        staff = create_user(username=f"{tag}-staf", display_name="Staf", password=PASSWORD, is_staff=True)
        project = create_project(by=staff, name=f"Bench {tag}", research_question="Hoe gaat het?",
                                 consent_text="Doet u mee? Ja.")
        locations = [add_location(project, f"Locatie {i + 1}", by=staff) for i in range(3)]
        version = questionnaire_of(project).draft
        made = []
        for i in range(questions):
            kind = ("single", "scale5", "open")[i % 3]
            q = add_question(version, kind=kind, text=f"Vraag {i + 1}: hoe vindt u dat?", by=staff,
                             choice_labels=["Ja", "Nee", "Soms", "Weet niet goed"] if kind == "single" else None)
            made.append(q)
        if pictures and made:
            made[0].picture = FIRST_QUESTION_PICTURES[0]
            for choice, picture in zip(made[0].choices, FIRST_QUESTION_PICTURES[1]):
                choice.picture = picture
        freeze_version(version, by=staff)
        users = []
        for n in range(interviewers):
            user = create_user(username=f"{tag}-int-{n:03d}", display_name=f"Interviewer {n}", password=PASSWORD)
            user.password_hash = strong_hash
            set_membership(user=user, project_id=project.id, roles={"interviewer"}, by=staff)
            users.append(user)
        db.session.commit()
        seeded = Seeded(project.id, version.id, [loc.id for loc in locations],
                        [(q.id, q.kind, [c.value for c in q.choices]) for q in made],
                        [u.username for u in users], [u.id for u in users], staff.id)
        db.session.remove()
        return seeded


def answer_for(kind: str, values: list, n: int) -> dict:
    """A plausible answer for question kind `kind` (n varies it)."""
    if kind == "open":
        return {"text": f"De zorg is goed, maar het wachten duurt lang ({n})."}
    return {"answer": values[n % len(values)]}


# --- gunicorn --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn -c gunicorn.conf.py <module>, on a free local port, stopped on exit."""

    def __init__(self, module: str, env: dict, *, workers: int | None = None, threads: int | None = None,
                 health_path: str | None = "/healthz", log: Path | None = None):
        self.port = free_port()
        self.module = module
        self.env = {**os.environ, **env, "PYTHONPATH": str(ROOT), "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        if workers:
            self.env["GUNICORN_WORKERS"] = str(workers)
        if threads:
            self.env["GUNICORN_THREADS"] = str(threads)
        self.health_path = health_path
        self.log = log or Path(os.environ["PEERINTERVIEW_INSTANCE"]) / f"gunicorn-{self.port}.log"
        self.process = None

    def __enter__(self):
        self.logfile = open(self.log, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), self.module],
            cwd=ROOT, env=self.env, stdout=self.logfile, stderr=subprocess.STDOUT,
        )
        # Five workers import the app at once: on a busy 2-core machine that can take minutes.
        deadline = time.monotonic() + float(os.environ.get("BENCH_START_TIMEOUT", "240"))
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if self.health_path is None:
                        break
                    s.sendall(f"GET {self.health_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
                    if b" 200 " in s.recv(200):
                        break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            self.__exit__(None, None, None)
            raise RuntimeError(f"gunicorn did not answer in time: {self.log.read_text()[-3000:]}")
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.logfile.close()

    def errors_logged(self) -> list:
        return [line for line in self.log.read_text().splitlines()
                if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line]


# One secret key for every server a bench run starts: the project's interview key is stored
# encrypted with it, so a server started later with another key could not read it (as in production).
_SECRET_KEY = secrets.token_urlsafe(48)


def app_environment(url: str) -> dict:
    """The app as production runs it, on the bench database, over plain http on localhost."""
    return {"PEERINTERVIEW_ENV": "production", "SECRET_KEY": _SECRET_KEY, "DATABASE_URL": url,
            "FORCE_HTTPS": "0", "SESSION_COOKIE_SECURE": "0", "RATELIMIT_STORAGE_URI": "memory://",
            # Several workers on one machine, no Redis: the logins are not what is measured.
            "RATELIMIT_PER_PROCESS_ACCEPTED": "1"}


# --- a tablet's browser ----------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes  # decoded (gunzipped)
    wire_bytes: int  # bytes received: status line + headers + body as sent
    sent_bytes: int
    cookies: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """One tablet: one keep-alive connection, a cookie jar, gzip like a browser on http."""

    def __init__(self, port: int, *, accept_encoding: str = "gzip, deflate", headers: dict | None = None):
        self.port = port
        self.accept_encoding = accept_encoding
        self.headers = headers or {"User-Agent": USER_AGENT, "Accept": "text/html,*/*", "Accept-Language": "nl"}
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def _connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, *, form: dict | None = None, json_body=None,
                      headers: dict | None = None) -> Reply:
        if json_body is not None:
            import json

            body = json.dumps(json_body, separators=(",", ":")).encode()
            content_type = "application/json"
        else:
            body = urlencode(form or {}, doseq=True).encode() if form is not None else b""
            content_type = "application/x-www-form-urlencoded"
        merged = {name.lower(): (name, value) for name, value in self.headers.items()}
        merged["accept-encoding"] = ("Accept-Encoding", self.accept_encoding)
        merged.update({name.lower(): (name, value) for name, value in (headers or {}).items()})
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{name}: {value}" for name, value in merged.values() if value is not None]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None or json_body is not None:
            lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):
            if self.writer is None:
                await self._connect()
            try:
                self.writer.write(raw)
                await self.writer.drain()
                reply = await self._read_reply()
                break
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                # A keep-alive connection the server closed while we were idle: once more on a
                # new one, as browsers do.
                await self.close()
                if attempt == 2 or getattr(error, "partial", b"x"):
                    raise
        reply.sent_bytes = len(raw)
        for cookie in reply.cookies:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=thu, 01 jan 1970" in cookie.lower() or "max-age=0" in cookie.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        if reply.headers.get("connection", "").lower() == "close":
            await self.close()
        return reply

    async def _read_reply(self) -> Reply:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers, cookies = {}, []
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
        wire = len(head)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size_line = await self.reader.readuntil(b"\r\n")
                wire += len(size_line)
                size = int(size_line.split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                wire += len(chunk)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            payload = b"".join(chunks)
        elif "content-length" in headers:
            payload = await self.reader.readexactly(int(headers["content-length"]))
            wire += len(payload)
        elif status in (204, 304) or 100 <= status < 200:
            payload = b""
        else:
            payload = await self.reader.read()
            wire += len(payload)
            headers["connection"] = "close"
        encoding = headers.get("content-encoding", "")
        if encoding == "gzip":
            payload = gzip.decompress(payload)
        elif encoding == "deflate":
            payload = zlib.decompress(payload)
        elif encoding == "br":
            import brotli

            payload = brotli.decompress(payload)
        return Reply(status, headers, payload, wire, 0, cookies)

    async def follow(self, reply: Reply, **kwargs) -> Reply:
        """Follow a 303/302 with a GET, as the browser does after a form post."""
        while reply.status in (301, 302, 303, 307, 308):
            location = urlsplit(reply.headers["location"])
            reply = await self.request("GET", location.path + (f"?{location.query}" if location.query else ""), **kwargs)
        return reply


class FormFields(HTMLParser):
    """The fields of the forms in a page: {form action: {name: value}} (first radio, checked boxes)."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self.radios: dict[str, dict] = {}
        self._form = None
        self._action = ""
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._action = a.get("action") or ""
            self._form = self.forms.setdefault(self._action, {})
            self.radios.setdefault(self._action, {})
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "radio":
                self.radios[self._action].setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    self._form[a["name"]] = a.get("value", "on")
            elif kind == "checkbox":
                if "checked" in a:
                    self._form[a["name"]] = a.get("value", "y")
            elif kind not in ("submit", "button"):
                self._form[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and (self._select not in self._form or "selected" in a):
            self._form[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def form_fields(html: str) -> FormFields:
    parser = FormFields()
    parser.feed(html)
    return parser


async def log_in(browser: Browser, username: str, password: str = PASSWORD) -> Reply:
    page = await browser.request("GET", "/login")
    fields = form_fields(page.text).forms.get("/login") or next(iter(form_fields(page.text).forms.values()))
    reply = await browser.request("POST", "/login", form={**fields, "username": username, "password": password})
    if reply.status != 303:
        raise RuntimeError(f"login of {username} failed: {reply.status}")
    return await browser.follow(reply)


async def start_interview(browser: Browser, project_id: int) -> tuple[str, Reply]:
    """The start screen, consent ticked, the first location: returns (interview id, question 1)."""
    path = f"/projects/{project_id}/interviews/new"
    page = await browser.request("GET", path)
    parsed = form_fields(page.text)
    fields = dict(parsed.forms[path])
    radios = parsed.radios[path]
    fields.update(location_id=radios["location_id"][0], language="nl", consent="y", consent_data="y",
                  consent_method="interviewer_tablet")
    reply = await browser.request("POST", path, form=fields)
    if reply.status != 303:
        raise RuntimeError(f"start failed: {reply.status} {reply.text[:500]}")
    location = urlsplit(reply.headers["location"]).path
    interview_id = location.split("/")[2]
    return interview_id, await browser.follow(reply)


def percentiles(seconds: list) -> dict:
    """p50/p95/p99 in milliseconds (nearest rank)."""
    if not seconds:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    ordered = sorted(seconds)

    def rank(p):
        return round(ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000, 2)

    return {"p50_ms": rank(50), "p95_ms": rank(95), "p99_ms": rank(99),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 2)}
