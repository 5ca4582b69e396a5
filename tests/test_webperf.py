"""Light on the wire and durable: compressed responses, versioned static files cached
for a year, an autosave answered in a few hundred bytes, the session cookie not sent with every
answer, and the start-up check of the database's durability settings."""
import gzip
import re

import brotli
import pytest
from flask import Flask, url_for
from sqlalchemy import select

from peerinterview import create_app, durability, webperf
from peerinterview.config import ConfigError, DevelopmentConfig, ProductionConfig
from peerinterview.durability import check_database_durability, durability_problems
from peerinterview.extensions import db
from peerinterview.models import Answer

from .builders import html_of, start_interview_http

GZIP = {"Accept-Encoding": "gzip, deflate"}
BROTLI = {"Accept-Encoding": "gzip, deflate, br"}
HTMX_SAVE = {"HX-Request": "true", "HX-Target": "save-status"}


def static_url(app, filename):
    with app.test_request_context():
        return url_for("static", filename=filename)


@pytest.fixture
def interview(world, login_as):
    client, post = login_as("anna")
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    return client, post, interview_id


# --- static files ----------------------------------------------------------------------------

def test_static_urls_carry_the_hash_of_the_file(app, client):
    url = static_url(app, "build/app.min.css")
    match = re.fullmatch(r"/static/build/app\.min\.css\?v=([0-9a-f]{12})", url)
    assert match
    assert url in html_of(client.get("/login"))  # the page links the versioned URL
    # The hash follows the content: another file has another one.
    assert static_url(app, "js/app.js").split("v=")[1] != match.group(1)


def _bundles(page):
    scripts = re.findall(r'<script src="([^"?]+)', page)
    sheets = re.findall(r'<link rel="stylesheet" href="([^"?]+)', page)
    return scripts, sheets


def test_pages_load_one_built_script_and_one_style_sheet_of_their_area(app, client, interview):
    """Each extra file costs a tablet a request and its headers
    (docs/decisions.md#one-script-and-one-style-sheet): a page loads one bundle of scripts, htmx
    in it, and one style sheet. An interview screen loads the interview's bundles, without the
    staff's and panel's scripts and styles; the icon comes inside the page (no request)."""
    page = html_of(client.get("/login"))
    assert _bundles(page) == (["/static/build/app.min.js"], ["/static/build/app.min.css"])
    tablet, _post, interview_id = interview
    question = html_of(tablet.get(f"/interviews/{interview_id}/questions/1"))
    assert _bundles(question) == (["/static/build/interview.min.js"], ["/static/build/interview.min.css"])
    for screen in (question, html_of(tablet.get(f"/interviews/{interview_id}/overview"))):
        assert "interview.min.js" in screen and "app.min.js" not in screen
        icon = re.search(r'<link rel="icon" href="([^"]+)"', screen).group(1)
        assert icon.startswith("data:image/svg+xml,%3Csvg") and "favicon.svg" not in screen
    # Whichever bundles the page came with (a boosted swap keeps the first page's), the service
    # worker keeps the interview's for offline use, the recorder's too.
    kept = re.search(r'data-offline-assets="([^"]+)"', question).group(1).split()
    assert [url.split("?")[0] for url in kept] == [
        "/static/build/interview.min.css", "/static/build/interview.min.js", "/static/build/spoken.min.js"]
    assert all(tablet.get(url).headers["Cache-Control"].endswith("immutable") for url in kept)
    # The project's page is not an interview screen: the app's bundles.
    project = html_of(tablet.get("/projects/"))
    assert "/static/build/app.min.js" in project and '<script src="/static/build/interview.min.js' not in project
    # The offline page is an interview screen: a tablet that goes offline here needs its bundles.
    assert 'data-offline-assets="/static/build/interview.min.css?v=' in project


def _build_assets():
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "build_assets.py"
    spec = importlib.util.spec_from_file_location("build_assets", script)
    build_assets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_assets)
    return build_assets


def test_built_assets_are_what_the_sources_make():
    """The committed bundles match the sources: after editing static/js or static/css, run
    scripts/build_assets.py (this test says so when it was forgotten)."""
    build_assets = _build_assets()
    for name, build in build_assets.BUNDLES.items():
        committed = (build_assets.BUILD / name).read_text(encoding="utf-8")
        assert committed == build(), f"static/build/{name} is out of date: run scripts/build_assets.py"
    assert_compressed_copies_hold_the_bundles(build_assets)

    def built(name):
        return (build_assets.BUILD / name).read_text(encoding="utf-8")

    # Every script of a bundle is in it (the minifier keeps the code, drops the comments).
    core = ("htmx:afterSettle", "speechSynthesis", "large-text", "htmx:beforeSwap")
    # htmx as it is, first, run once per page however many bundles bring it.
    htmx = (build_assets.STATIC / build_assets.HTMX).read_text(encoding="utf-8").strip()
    for name in ("app.min.js", "interview.min.js"):
        assert built(name).split("\n", 1)[1].startswith("if(!window.htmx){\n" + htmx + "\n}\n"), name
    assert "var htmx" not in built("spoken.min.js")
    staff = ("data-download", "data-kind-fields", "finding-state", "data-unsaved")
    recorder = ("getUserMedia", "peerInterviewRecorder=")
    for marker in (*core, "indexedDB", *staff):
        assert marker in built("app.min.js"), marker
    for marker in (*core, "indexedDB", "data-recorder-url"):
        assert marker in built("interview.min.js"), marker
    for marker in (*staff, *recorder, "data-speed"):
        assert marker not in built("interview.min.js"), marker
    for marker in (*recorder, "data-speed"):
        assert marker in built("spoken.min.js"), marker
    assert "getUserMedia" not in built("app.min.js")


def assert_compressed_copies_hold_the_bundles(build_assets):
    """Beside each bundle its .gz and .br, each holding exactly the bundle. The contents are
    compared, not the bytes: another machine's Zopfli or Brotli may compress the same bundle into
    other bytes. Nothing else in static/build/ (a copy of a bundle that is gone would be served)."""
    expected = set()
    for name in build_assets.BUNDLES:
        bundle = (build_assets.BUILD / name).read_bytes()
        expected |= {name, f"{name}.gz", f"{name}.br"}
        for suffix, decompress in ((".gz", gzip.decompress), (".br", brotli.decompress)):
            copy = build_assets.BUILD / f"{name}{suffix}"
            assert copy.is_file(), f"static/build/{name}{suffix} is missing: run scripts/build_assets.py"
            assert decompress(copy.read_bytes()) == bundle, f"static/build/{name}{suffix} is stale: run scripts/build_assets.py"
        # Compressed at the formats' best, not merely compressed (Zopfli beats gzip -9; Brotli 11 beats 9).
        assert len((build_assets.BUILD / f"{name}.gz").read_bytes()) < len(gzip.compress(bundle, 9, mtime=0)), name
        assert len((build_assets.BUILD / f"{name}.br").read_bytes()) < len(brotli.compress(bundle, quality=9)), name
    assert {path.name for path in build_assets.BUILD.iterdir()} == expected


def test_the_freshness_check_fails_on_a_missing_or_stale_compressed_copy(tmp_path, monkeypatch):
    """What the freshness test relies on: a missing, stale or broken copy fails it; copies with
    other bytes for the same contents (another compressor version) pass."""
    build_assets = _build_assets()
    bundle = (build_assets.BUILD / "spoken.min.js").read_bytes()
    monkeypatch.setattr(build_assets, "BUILD", tmp_path)
    monkeypatch.setattr(build_assets, "BUNDLES", {"a.min.js": None})
    (tmp_path / "a.min.js").write_bytes(bundle)
    build_assets._write_compressed(tmp_path / "a.min.js", bundle)
    assert_compressed_copies_hold_the_bundles(build_assets)
    assert gzip.decompress((tmp_path / "a.min.js.gz").read_bytes()) == bundle
    assert (tmp_path / "a.min.js.gz").read_bytes()[4:8] == b"\0\0\0\0"  # no time in the header: the same bytes each build

    (tmp_path / "a.min.js").write_bytes(b"var a=2;")  # built again, copies forgotten
    with pytest.raises(AssertionError, match="a.min.js.gz is stale"):
        assert_compressed_copies_hold_the_bundles(build_assets)
    build_assets._write_compressed(tmp_path / "a.min.js", b"var a=2;")
    assert brotli.decompress((tmp_path / "a.min.js.br").read_bytes()) == b"var a=2;"
    (tmp_path / "a.min.js.br").write_bytes(b"not brotli")
    with pytest.raises(brotli.error):
        assert_compressed_copies_hold_the_bundles(build_assets)
    (tmp_path / "a.min.js.br").unlink()
    with pytest.raises(AssertionError, match="a.min.js.br is missing"):
        assert_compressed_copies_hold_the_bundles(build_assets)


def test_the_minifier_keeps_the_names_scripts_share():
    """The minifier shortens names inside functions only: what one script sets on `window` for
    another (the recorder in spoken.min.js for the offline code, the interview screen for the
    banner, the bundles' own bookkeeping) keeps its name in every script that uses it."""
    build_assets = _build_assets()
    shared = {}
    for name in {part for bundle in build_assets.SCRIPT_BUNDLES for part in build_assets._parts(bundle)}:
        if name == build_assets.HTMX:
            continue
        source = (build_assets.bundle_modules(build_assets.STATIC / name) if name.endswith("/")
                  else (build_assets.STATIC / name).read_text(encoding="utf-8"))
        shared[name] = set(re.findall(r"\bwindow\.(peerInterview\w+)", source))
        minified = build_assets._script(name)
        for global_name in shared[name]:
            assert re.search(rf"\.{global_name}\b", minified), (name, global_name)
    assert {"peerInterviewRecorder", "peerInterviewAnswerSaved"} <= set().union(*shared.values())


def test_a_second_bundle_runs_only_the_scripts_the_page_lacks():
    """After a boosted swap into another area, the page loads that area's bundle too: each of its
    scripts is guarded, so the ones the page runs already do not run (and listen) twice; and a
    bundle names the others it holds entirely, so those are not loaded at all."""
    build_assets = _build_assets()
    app_js = (build_assets.BUILD / "app.min.js").read_text(encoding="utf-8")
    for key in ("app", "read-aloud", "offline", "panel"):
        assert f'if(!P["{key}"]){{P["{key}"]=1;' in app_js, key
    assert build_assets.covers("app.min.js") == ["interview.min.js"]
    assert build_assets.covers("app.min.css") == ["interview.min.css"]
    assert build_assets.covers("interview.min.js") == [] and build_assets.covers("spoken.min.js") == []
    assert '"app.min.js":["interview.min.js"]' in app_js


def test_the_interview_style_sheet_leaves_out_only_what_interview_screens_do_not_use():
    """interview.min.css is app.css without the blocks marked for staff screens (and without print
    rules). No class that an interview screen's template or script uses may be styled in such a
    block: it would look different on the tablet than in the app."""
    from pathlib import Path

    build_assets = _build_assets()
    root = Path(__file__).resolve().parent.parent
    templates = root / "templates"
    screens = ["interview/question.html", "interview/overview.html", "interview/start.html",
               "interview/stop.html", "interview/change_answer.html", "interview/not_ready.html",
               "interview/offline.html", "design/preview.html", "base.html"]
    seen, todo = set(), list(screens)
    while todo:
        name = todo.pop()
        if name in seen or not (templates / name).exists():
            continue
        seen.add(name)
        source = (templates / name).read_text(encoding="utf-8")
        assert name not in screens[:-2] or '{% set asset_area = "interview" %}' in source, name
        todo += re.findall(r'{%-?\s*(?:include|extends|from|import)\s+"([^"]+)"', source)
    used = set()
    for name in seen:
        for classes in re.findall(r'class="([^"]*)"', (templates / name).read_text(encoding="utf-8")):
            used |= set(re.findall(r"[\w-]+", re.sub(r"{[{%].*?[%}]}", " ", classes)))
    scripts = [*(root / "peerinterview/static/js/offline").glob("*.js"),
               *[root / "peerinterview/static/js" / name for name in ("app.js", "read-aloud.js", "large-text.js",
                                                                       "interview-screen.js", "recorder.js")]]
    for path in scripts:
        used |= set(re.findall(r'classList\.(?:add|remove|toggle|contains)\("([\w-]+)"', path.read_text(encoding="utf-8")))
    css = (root / "peerinterview/static/css/app.css").read_text(encoding="utf-8")
    staff_only = "".join(build_assets.STAFF_ONLY.findall(css))
    assert staff_only, "the staff blocks are marked"
    selectors = re.findall(r"([^{}]+)\{", re.sub(r"/\*.*?\*/", "", staff_only, flags=re.DOTALL))
    # A selector reaches an interview screen when every class it names is used there.
    reaching = [one.strip() for selector in selectors if not selector.strip().startswith("@")
                for one in selector.split(",")
                if re.findall(r"\.([a-zA-Z][\w-]*)", one) and set(re.findall(r"\.([a-zA-Z][\w-]*)", one)) <= used]
    assert {"question-heading", "answer-option", "offline-status", "button"} <= used  # the scan finds them
    assert len(selectors) > 100 and reaching == []
    interview_css = (build_assets.BUILD / "interview.min.css").read_text(encoding="utf-8")
    assert ".question-heading" in interview_css and ".panel-nav" not in interview_css
    print_rules = build_assets._minify("text/css", (root / "peerinterview/static/css/print.css").read_text(encoding="utf-8"))
    assert print_rules not in interview_css and print_rules in (build_assets.BUILD / "app.min.css").read_text(encoding="utf-8")


# A bundle goes with the copies the build compressed; another static file is compressed here.
@pytest.mark.parametrize("name", ["build/interview.min.js", "vendor/htmx-2.0.11/htmx.min.js"])
def test_versioned_static_files_are_cached_a_year_and_compressed(app, client, name):
    url = static_url(app, name)
    raw = (webperf.__file__.rsplit("/", 1)[0] + "/static/" + name)
    with open(raw, "rb") as file:
        original = file.read()

    zipped = client.get(url, headers=GZIP)
    assert zipped.status_code == 200
    assert zipped.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == original
    assert len(zipped.data) < len(original) / 2
    assert int(zipped.headers["Content-Length"]) == len(zipped.data)

    smaller = client.get(url, headers=BROTLI)
    assert smaller.headers["Content-Encoding"] == "br"
    assert brotli.decompress(smaller.data) == original
    assert len(smaller.data) < len(zipped.data)

    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers and plain.data == original

    # Each encoding has its own ETag; asking again with it gives 304 and no body.
    assert zipped.headers["ETag"] != smaller.headers["ETag"] != plain.headers["ETag"]
    again = client.get(url, headers={**GZIP, "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_a_bundle_is_sent_as_the_build_compressed_it_not_compressed_again(app, client):
    """What a tablet gets for a bundle is the build's own .gz or .br, byte for byte (Zopfli,
    Brotli 11): no server process spends tenths of a second on it at the first request."""
    for name in ("build/interview.min.js", "build/interview.min.css", "build/spoken.min.js", "build/app.min.css"):
        built = webperf.__file__.rsplit("/", 1)[0] + "/static/" + name
        for headers, suffix in ((GZIP, ".gz"), (BROTLI, ".br")):
            response = client.get(static_url(app, name), headers=headers)
            with open(built + suffix, "rb") as file:
                assert response.data == file.read(), name + suffix
            assert response.headers["Content-Encoding"] == {".gz": "gzip", ".br": "br"}[suffix]
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            # The copy has no URL of its own (it would come compressed to a browser that never asked).
            assert client.get(f"/static/{name}{suffix}").status_code == 404


def test_only_a_copy_that_holds_the_file_is_sent(tmp_path, monkeypatch, caplog):
    """The build's copy is used only while it holds exactly the file: a bundle built again
    without its copies is compressed here (at fast levels) rather than sent as old code; a file
    without copies is compressed here too."""
    (tmp_path / "build").mkdir()
    bundle = tmp_path / "build" / "x.min.js"
    bundle.write_bytes(b"var x=1;" * 200)
    (tmp_path / "build" / "x.min.js.gz").write_bytes(gzip.compress(b"var x=1;" * 200))
    (tmp_path / "build" / "x.min.js.br").write_bytes(brotli.compress(b"var x=1;" * 200))
    (tmp_path / "alone.js").write_bytes(b"var y=2;" * 200)
    files = webperf.StaticFiles(str(tmp_path))
    fresh = {algorithm: files.compressed("build/x.min.js", algorithm) for algorithm in ("gzip", "br")}
    assert fresh["gzip"] == (tmp_path / "build" / "x.min.js.gz").read_bytes()
    assert fresh["br"] == (tmp_path / "build" / "x.min.js.br").read_bytes()

    bundle.write_bytes(b"var x=2;" * 300)  # a new version (another size): the copies are stale
    (tmp_path / "build" / "x.min.js.br").write_bytes(b"not brotli at all")
    with caplog.at_level("WARNING", logger="peerinterview.webperf"):
        assert gzip.decompress(files.compressed("build/x.min.js", "gzip")) == b"var x=2;" * 300
        assert brotli.decompress(files.compressed("build/x.min.js", "br")) == b"var x=2;" * 300
    assert "x.min.js.gz is not a compressed copy" in caplog.text and "x.min.js.br is not" in caplog.text
    assert gzip.decompress(files.compressed("alone.js", "gzip")) == b"var y=2;" * 200
    assert files.compressed("build/../../outside.js", "gzip") is None


def test_unversioned_or_old_static_urls_must_be_checked_first(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache", url
        assert "max-age" not in response.headers["Cache-Control"]


def test_static_files_carry_only_the_headers_they_need(app, client):
    # A script or a style sheet is never a document: a CSP of its own would be bytes for nothing.
    for name in ("build/interview.min.js", "build/interview.min.css", "vendor/htmx-2.0.11/htmx.min.js"):
        asset = client.get(static_url(app, name), headers=GZIP)
        assert asset.status_code == 200 and asset.headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" not in asset.headers, name
    response = client.get(static_url(app, "favicon.svg"))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # An SVG opened on its own may run and load nothing, and nobody may frame it.
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    for name in ("Content-Disposition", "Last-Modified", "Accept-Ranges", "X-Frame-Options"):
        assert name not in response.headers, name


def test_a_missing_static_file_is_a_plain_404(client):
    assert client.get("/static/css/nothing-here.css").status_code == 404
    assert client.get("/static/../peerinterview/__init__.py").status_code == 404


# --- pages and fragments ---------------------------------------------------------------------

def test_pages_are_compressed(client):
    response = client.get("/login", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.data).decode()
    assert "<form" in page and "csrf_token" in page
    # The page itself keeps its security headers.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_an_autosave_is_answered_in_a_few_hundred_bytes(app, interview):
    _client, post, interview_id = interview
    response = post(f"/interviews/{interview_id}/questions/1", {"answer": "1", "action": "save"},
                    headers={**HTMX_SAVE, **GZIP})
    assert response.status_code == 200
    assert "Opgeslagen" in response.get_data(as_text=True)
    assert len(response.data) < 200
    # Too small to gain from compression; headers only a page (a document) needs are left out.
    assert "Content-Encoding" not in response.headers
    for name in webperf.DOCUMENT_ONLY_HEADERS:
        assert name not in response.headers, name
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    header_bytes = sum(len(k) + len(v) + 4 for k, v in response.headers.items())
    assert header_bytes < 400
    with app.app_context():
        stored = db.session.scalars(select(Answer).where(Answer.interview_id == interview_id)).all()
        assert [(a.value, a.asked) for a in stored] == [("1", True)]
        db.session.remove()


def test_an_autosave_costs_few_database_statements(app, interview):
    """The autosave is most of the traffic: it reads the user with their memberships
    and writes the answer in one statement that checks the interview is in progress. The
    interview's fixed facts (project, version, interviewer, language) and the question are read
    once per process. No other question, no project, no answer is read."""
    from sqlalchemy import event

    _client, post, interview_id = interview
    url = f"/interviews/{interview_id}/questions/1"
    assert post(url, {"answer": "1", "action": "save"}, headers=HTMX_SAVE).status_code == 200  # question cached
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        response = post(url, {"answer": "2", "action": "save"}, headers=HTMX_SAVE)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert response.status_code == 200 and "Opgeslagen" in response.get_data(as_text=True)
    assert statements == ["SELECT", "INSERT"], statements
    with app.app_context():
        assert db.session.scalars(select(Answer.value).where(Answer.interview_id == interview_id)).all() == ["2"]
        db.session.remove()


def test_emptying_an_unanswered_question_stores_nothing(app, interview):
    """An autosave of an empty answer clears a stored one (tests/test_interview.py), but makes
    no row for a question that has none."""
    _client, post, interview_id = interview
    response = post(f"/interviews/{interview_id}/questions/3", {"text": "", "action": "save"}, headers=HTMX_SAVE)
    assert response.status_code == 200
    assert "Opgeslagen" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Answer).where(Answer.interview_id == interview_id)).all() == []
        db.session.remove()


def test_a_boosted_page_keeps_its_security_headers(interview):
    client, _, interview_id = interview
    response = client.get(f"/interviews/{interview_id}/questions/2",
                          headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_an_htmx_request_for_json_keeps_the_page_headers_only_if_boosted(client):
    plain = client.get("/healthz")
    assert "script-src 'self'" in plain.headers["Content-Security-Policy"]
    fragment = client.get("/healthz", headers={"HX-Request": "true"})
    assert "Content-Security-Policy" not in fragment.headers
    boosted = client.get("/healthz", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert boosted.headers["X-Frame-Options"] == "DENY"


# --- the session cookie ----------------------------------------------------------------------

def session_cookies(response):
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_the_session_cookie_is_not_sent_with_every_answer(interview, monkeypatch):
    client, post, interview_id = interview
    url = f"/interviews/{interview_id}/questions/1"
    assert session_cookies(post(url, {"answer": "1", "action": "save"}, headers=HTMX_SAVE)) == []
    assert session_cookies(client.get(url)) == []
    # Ten minutes later the sliding expiry is renewed once, then again not for a while.
    later = webperf.time.time() + webperf.ThriftySessionInterface.REFRESH_SECONDS + 1
    monkeypatch.setattr(webperf.time, "time", lambda: later)
    renewed = session_cookies(post(url, {"answer": "2", "action": "save"}, headers=HTMX_SAVE))
    assert len(renewed) == 1 and "Expires=" in renewed[0]
    assert session_cookies(post(url, {"answer": "3", "action": "save"}, headers=HTMX_SAVE)) == []
    # Still logged in with the renewed cookie.
    assert client.get(url).status_code == 200


def test_logging_in_and_out_still_sets_the_cookie(world, client):
    from .helpers import csrf_token

    token = csrf_token(client)
    response = client.post("/login", data={"username": "anna", "password": "een-goed-wachtwoord",
                                           "csrf_token": token})
    assert response.status_code == 303
    assert session_cookies(response)


# --- durability check at start ---------------------------------------------------------------

def test_durable_settings_have_no_problems():
    assert durability_problems("sqlite", {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 10000}) == []
    assert durability_problems("postgresql", {"fsync": "on", "synchronous_commit": "on"}) == []
    assert durability_problems("postgresql", {"fsync": "on", "synchronous_commit": "local"}) == []


@pytest.mark.parametrize("dialect, settings, word", [
    ("sqlite", {"journal_mode": "delete", "synchronous": 2, "busy_timeout": 10000}, "journal_mode"),
    ("sqlite", {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 10000}, "synchronous"),
    ("sqlite", {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 0}, "busy_timeout"),
    ("postgresql", {"fsync": "off", "synchronous_commit": "on"}, "fsync"),
    ("postgresql", {"fsync": "on", "synchronous_commit": "off"}, "synchronous_commit"),
])
def test_each_unsafe_setting_is_named(dialect, settings, word):
    problems = durability_problems(dialect, settings)
    assert len(problems) == 1 and word in problems[0]


def test_the_running_database_passes_the_check(app):
    assert check_database_durability(app, db) == []


def test_production_refuses_a_database_that_is_not_durable(tmp_path, monkeypatch):
    monkeypatch.setattr(durability, "read_settings", lambda connection: {"journal_mode": "delete", "synchronous": 1,
                                                                         "busy_timeout": 10000})
    prod = Flask(__name__, instance_path=str(tmp_path))
    prod.config.from_object(type("P", (ProductionConfig,), {
        "SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}"}))
    from flask_sqlalchemy import SQLAlchemy

    other_db = SQLAlchemy()
    other_db.init_app(prod)
    with pytest.raises(ConfigError, match="journal_mode.*synchronous"):
        check_database_durability(prod, other_db)


def test_development_only_warns(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("PEERINTERVIEW_INSTANCE", str(tmp_path))
    monkeypatch.setattr(durability, "read_settings", lambda connection: {"journal_mode": "wal", "synchronous": 1,
                                                                         "busy_timeout": 10000})
    config = type("D", (DevelopmentConfig,), {"SECRET_KEY": "d" * 40,
                                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.sqlite'}"})
    create_app(config)
    assert any("not durable" in record.getMessage() and "synchronous" in record.getMessage()
               for record in caplog.records)
