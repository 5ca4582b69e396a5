"""Adversarial input: every form of the app (every POST route in the URL map) gets
random, huge, empty, control-character, right-to-left and wrong-type input from hypothesis, as a
role that may use it. The server never answers 500; when it refuses the input (4xx) it says so in
a B1 page (an error summary, or an error page with a heading) and nothing in the database changed.
Input a form accepts (3xx) may change things: that is the form working.

The fields come from the forms the role's pages actually show (every GET page is read once), plus
names the route does not expect. FUZZ_EXAMPLES sets the examples per form (default 160; the
nightly run uses more, e.g. FUZZ_EXAMPLES=2000). SQLite and PostgreSQL each try inputs of their own."""
import functools
import hashlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from peerinterview.extensions import db
from peerinterview.security.throttle import failures

from .access_areas.roles import ANONYMOUS
from .helpers import csrf_token, login
from .test_access import ACCESS, matrix_world, routes, url_for_rule  # noqa: F401  (fixture)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "160"))
# Each database tries inputs of its own. With one seed for both, the PostgreSQL run (fewer
# examples, see scripts/test) would mostly repeat the first inputs the SQLite run already tried.
SEED = 1 if os.environ.get("TEST_DATABASE_URL") else 0
# Who fuzzes a form: anonymous if everyone may use it (the login form), else the first of these.
PREFERRED = ("staf", "anna", "petra", "dirk", "bram", "andere-staf", "beheerder")
# Not fuzzed: logging out ends the session the fuzzing needs; the sync and the recording upload
# take JSON only (tests/test_sync.py and tests/test_spoken.py send them malformed JSON).
SKIP = {"accounts.logout", "interview.sync", "interview.upload_recording"}
# Tables whose rows may change without the form accepting anything: the logboek (a refused login
# is logged) and nothing else.
IGNORED_TABLES = {"audit_event"}
# Live helpers that htmx calls while someone types: an empty 4xx (nothing to advise on) is fine,
# the form itself shows the messages.
EMPTY_4XX_OK = {"design.b1_advice"}
DEFAULT_FIELDS = ("name", "text", "code", "answer", "value", "action", "username", "password")

RTL = st.sampled_from(["\u202eevil\u202c", "مرحبا بالعالم", "שלום עולם", "\u200f\u200e\u061c", "abc\u2067x\u2069"])
CONTROL = st.text(alphabet=st.characters(max_codepoint=0x1f), min_size=1, max_size=20)
# Long but allowed, and over the 1 MiB request limit (413).
HUGE = st.sampled_from([5_000, 20_000, 1_100_000]).map(lambda n: "x" * n)
NUMBERS = st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(str))
WEIRD = st.sampled_from(["", " ", "0", "-1", "null", "None", "true", "[]", "{}", "<script>alert(1)</script>",
                         "' OR 1=1 --", "%00", "../../etc/passwd", "2024-02-30", "9999-12-31", "special:hack",
                         "\ud7ff", "𝕏" * 50, "é" * 300])
VALUE = st.one_of(st.text(max_size=60), RTL, CONTROL, HUGE, NUMBERS, WEIRD)


class _FormFields(HTMLParser):
    """Field names of every POST form on a page, by the form's action path."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, set[str]] = {}
        self._action = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._action = (attrs.get("action") or "").split("?")[0].split("#")[0]
            self.fields.setdefault(self._action, set())
        elif tag in ("input", "select", "textarea", "button") and self._action is not None and attrs.get("name"):
            if attrs["name"] != "csrf_token":
                self.fields[self._action].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def role_for(endpoint):
    allowed = ACCESS[endpoint]["POST"]
    if ANONYMOUS in allowed:
        return ANONYMOUS
    return next((role for role in PREFERRED if role in allowed), None)


def post_endpoints():
    return [endpoint for endpoint, methods in ACCESS.items() if "POST" in methods and endpoint not in SKIP]


class _RowHashSum:
    """SQLite aggregate: the sum of the rows' hashes, so the order of the rows does not matter.
    Python's string hash is fixed within one test process, and snapshots are only compared
    within one."""

    def __init__(self):
        self.total = 0

    def step(self, row):
        self.total = (self.total + hash(row)) & 0x7FFF_FFFF_FFFF_FFFF  # SQLite integers are signed 64-bit

    def finalize(self):
        return self.total


@functools.cache
def _fingerprint_sql(dialect) -> str:
    """One query: per table its number of rows and a checksum of all their values, computed by
    the database. Reading and sorting every row per example cost more than the request itself."""
    quote = dialect.identifier_preparer.quote
    parts = []
    for table in db.metadata.sorted_tables:
        if table.name in IGNORED_TABLES:
            continue
        name = quote(table.name)
        if dialect.name == "postgresql":
            checksum = "coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)"
        else:
            row = " || '|' || ".join(f"quote(t.{quote(column.name)})" for column in table.columns)
            checksum = f"coalesce(row_hash_sum({row}), 0)"
        parts.append(f"SELECT '{table.name}', count(*), {checksum} FROM {name} AS t")
    return " UNION ALL ".join(parts)


class _WriteCounter:
    """How many statements that may change a table the fingerprint covers have run through the
    app's engine. A refused input that ran none changed nothing, and the fingerprint (a few ms
    per example, a fifth of the fuzzing's time) is skipped; one that ran any, even one rolled
    back afterwards, is checked by its fingerprint. Writes to the ignored tables do not count."""

    def __init__(self):
        self.count = 0
        self._engines: set[int] = set()

    def watch(self, engine) -> None:
        if id(engine) not in self._engines:
            self._engines.add(id(engine))
            event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection, _cursor, statement, *_args):
        if not _READS.match(statement) and _WRITE_TO.match(statement)[1] not in IGNORED_TABLES:
            self.count += 1


# Statements that change nothing; and the table a write goes to (None when the statement is not
# one of those three forms: it counts, whatever it is).
_READS = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_WRITE_TO = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)|', re.IGNORECASE)
WRITES = _WriteCounter()


def fingerprint():
    """{table: (rows, checksum of their values)} of every table but the ignored ones."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.create_aggregate("row_hash_sum", 1, _RowHashSum)
    result = connection.exec_driver_sql(_fingerprint_sql(connection.dialect)).all()
    return {name: (count, str(checksum)) for name, count, checksum in result}


_FIELDS_BY_ROLE: dict[str, dict[str, set[str]]] = {}
ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def _code_digest() -> str:
    """A digest of everything the forms on the pages come from: the app's code and templates,
    and the tests' code (which builds the world the pages show)."""
    digest = hashlib.sha256()
    for folder, pattern in (("peerinterview", "*.py"), ("templates", "*.html"), ("tests", "*.py")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def discovered_fields(app, client, world, role, cache=None) -> dict[str, set[str]]:
    """{endpoint: field names} of every POST form on the pages this role can open. Reading every
    page takes seconds per role, so it is done once per role and test process, and kept in
    pytest's cache (`cache`, when given) for the other xdist worker and the next database's run,
    as long as no code, template or test changed."""
    key = f"peerinterview/fuzz-fields/{role}/{_code_digest()}"
    if role not in _FIELDS_BY_ROLE and cache is not None and (kept := cache.get(key, None)) is not None:
        _FIELDS_BY_ROLE[role] = {endpoint: set(names) for endpoint, names in kept.items()}
    if role not in _FIELDS_BY_ROLE:
        parser = _FormFields()
        for rule in routes(app):
            if "GET" in rule.methods and role in ACCESS[rule.endpoint]["GET"]:
                url = url_for_rule(app, rule, world)
                if "." in url.rsplit("/", 1)[-1]:
                    continue  # a file (report.pdf, export.xlsx, sw.js) holds no form, and a PDF takes seconds
                response = client.get(url)
                if response.mimetype == "text/html":
                    parser.feed(response.get_data(as_text=True))
        adapter = app.url_map.bind("localhost")
        by_endpoint: dict[str, set[str]] = {}
        for action, names in parser.fields.items():
            try:
                endpoint, _args = adapter.match(action, method="POST")
            except Exception:  # noqa: BLE001  (a form posting elsewhere, or to the page itself)
                continue
            by_endpoint.setdefault(endpoint, set()).update(names)
        _FIELDS_BY_ROLE[role] = by_endpoint
        if cache is not None:
            cache.set(key, {endpoint: sorted(names) for endpoint, names in by_endpoint.items()})
    return _FIELDS_BY_ROLE[role]


def says_what_went_wrong(response) -> bool:
    """A B1 message: the error summary of a form, an error page with its heading, or the
    autosave's refusal (a fragment: the save status says it, and the message at the field)."""
    if response.mimetype == "application/json":
        body = response.get_json(silent=True) or {}
        return bool(body.get("error") or body.get("message"))
    html = response.get_data(as_text=True)
    refused_autosave = re.search(r'<span class="save-failed">[^<]{3,}</span>', html) and 'class="error-message"' in html
    return ('class="error-summary"' in html or bool(re.search(r"<h1[^>]*>[^<]{3,}</h1>", html))
            or bool(refused_autosave))


@pytest.mark.parametrize("endpoint", post_endpoints())
def test_every_form_survives_adversarial_input(app, matrix_world, endpoint, request):  # noqa: F811
    role = role_for(endpoint)
    assert role is not None, endpoint
    client = app.test_client()
    if role != ANONYMOUS:
        login(client, role)
    token = csrf_token(client, "/login" if role == ANONYMOUS else "/")
    rule = next(rule for rule in routes(app) if rule.endpoint == endpoint)
    url = url_for_rule(app, rule, matrix_world)
    fields = sorted(discovered_fields(app, client, matrix_world, role,
                                               getattr(request.config, "cache", None)).get(endpoint, set()) | set(DEFAULT_FIELDS))
    state = {}

    def snapshot():
        """The fingerprint now; read again only when something that may write ran since."""
        if state.get("writes") == WRITES.count:
            return
        with app.app_context():
            WRITES.watch(db.engine)
            state["rows"] = fingerprint()
            db.session.remove()
        state["writes"] = WRITES.count

    snapshot()

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.lists(st.tuples(st.sampled_from(fields) | st.text(max_size=20), VALUE), max_size=8),
           htmx=st.booleans())
    def check(data, htmx):
        failures.reset()  # failed logins must not turn every later example into 429
        form = MultiDict([("csrf_token", token), *data])
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(url, data=form, headers=headers)
        assert response.status_code < 500, (endpoint, data, response.get_data(as_text=True)[:800])
        if not 400 <= response.status_code < 500:
            snapshot()  # accepted: the form may have changed things, that is its job
            return
        before = state["rows"]
        snapshot()
        changed = [name for name in before if before[name] != state["rows"][name]]
        assert not changed, (endpoint, response.status_code, changed, data)
        if response.status_code != 401 and not (endpoint in EMPTY_4XX_OK and not response.data):
            # (401 + HX-Redirect: htmx goes to the login page)
            assert says_what_went_wrong(response), (endpoint, response.status_code,
                                                    response.get_data(as_text=True)[:500])

    check()


def test_the_write_counter_sees_every_write_the_fingerprint_covers(app, world):
    """The fingerprint is skipped when no statement that may write ran: so every write to a
    covered table must count, also one rolled back; reads and the logboek do not."""
    from peerinterview.models import AuditEvent, Project

    with app.app_context():
        WRITES.watch(db.engine)
        start = WRITES.count
        db.session.scalars(db.select(Project)).all()
        assert WRITES.count == start
        db.session.add(AuditEvent(action="login_failed"))
        db.session.flush()
        assert WRITES.count == start  # the logboek is not covered
        project = db.session.get(Project, world.project_id)
        project.name = "Anders"
        db.session.flush()
        assert WRITES.count == start + 1
        db.session.rollback()
        db.session.execute(db.text('DELETE FROM "project" WHERE id = -1'))
        assert WRITES.count == start + 2
        db.session.rollback()


def test_the_fields_kept_in_the_cache_are_the_fields_the_pages_show(app, matrix_world, monkeypatch):  # noqa: F811
    """The second worker and the next database's run read the form fields from pytest's cache:
    what they read is what reading the pages gives."""

    class Cache(dict):
        def set(self, key, value):
            self[key] = value

    cache = Cache()
    monkeypatch.setattr("tests.test_fuzz_forms._FIELDS_BY_ROLE", {})
    client = app.test_client()
    login(client, "anna")
    read = discovered_fields(app, client, matrix_world, "anna", cache)
    assert read and list(cache) == [f"peerinterview/fuzz-fields/anna/{_code_digest()}"]
    monkeypatch.setattr("tests.test_fuzz_forms._FIELDS_BY_ROLE", {})
    assert discovered_fields(app, None, matrix_world, "anna", cache) == read  # no page read: no client
