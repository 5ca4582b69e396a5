"""Light on the wire: tablets on weak wifi (docs/decisions.md#light-on-the-wire).

* Pages and fragments are compressed (Flask-Compress: Brotli or gzip, whichever the browser
  asks for first). Tiny responses (under 500 bytes, such as the "Opgeslagen" fragment of an
  autosave) go as they are: compressing them would make them larger.
* Static files get a version in their URL (`/static/css/app.css?v=<hash of the content>`,
  added by url_for). A request with the current version may be cached for a year
  (`immutable`); without it (or with an old one) the browser must check first (`no-cache`,
  answered with 304 when nothing changed). A new deploy changes the hash, so tablets load the
  new file at once.
* The built bundles (static/build/) are compressed at build time: scripts/build_assets.py writes
  a `.gz` (Zopfli) and a `.br` (Brotli at its best level) beside each, and those copies are sent.
  Other static files (a source a public page loads on its own, the icon) are compressed here at
  fast levels, a few milliseconds even for the largest. Either way once per file version and
  process, kept in memory. Static files carry only the headers a file needs.
* Flask sends the session cookie again with every response, only to push its expiry date on;
  here that happens at most every 10 minutes (the login's idle and absolute timeouts are
  checked on the server, security/sessions.py).
* An htmx fragment goes without the headers only a page uses (CSP, X-Frame-Options).

BREACH (compressed HTTPS pages that carry a secret and reflect input): the session cookie is
SameSite=Lax, so another site cannot make a tablet send the cross-site requests the attack
needs. That is the defence relied on. (Only pages with personal data or secrets are also sent
no-store, see g.no_store; that keeps them out of caches and does nothing against BREACH.)
"""
import gzip
import hashlib
import logging
import os
import threading
import time
import zlib

import brotli
from flask import abort, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_compress import Compress

from .process_cache import ProcessCache

compress = Compress()

STATIC_MAX_AGE = 365 * 24 * 3600
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                "application/json", "text/html", "text/plain"}


log = logging.getLogger(__name__)

# The copies scripts/build_assets.py writes beside each bundle, and how to read them back.
BUILT_COPIES = {"gzip": (".gz", gzip.decompress), "br": (".br", brotli.decompress)}
COPY_SUFFIXES = tuple(suffix for suffix, _decompress in BUILT_COPIES.values())


def _compress_now(raw: bytes, algorithm: str) -> bytes:
    """A static file the build does not compress: fast levels (about 1 to 3 % larger than the
    build's), milliseconds even for the largest file, so no request waits for it."""
    if algorithm == "br":
        return brotli.compress(raw, quality=5)
    return gzip.compress(raw, compresslevel=9, mtime=0)


def _built_copy(path: str, raw: bytes, algorithm: str) -> bytes | None:
    """The compressed copy the build wrote beside the file, if it holds exactly this file. A copy
    that is stale (the bundle was built again without it) is never sent: that would be old code."""
    suffix, decompress = BUILT_COPIES[algorithm]
    try:
        with open(path + suffix, "rb") as file:
            data = file.read()
    except OSError:  # none made (a file outside static/build/)
        return None
    try:
        if decompress(data) == raw:
            return data
    except (OSError, EOFError, zlib.error, brotli.error):
        pass
    log.warning("%s is not a compressed copy of %s: run scripts/build_assets.py", path + suffix, path)
    return None


class StaticFiles:
    """Content hashes and compressed copies of the static files, per file version."""

    def __init__(self, folder: str):
        self.folder = os.path.realpath(folder)
        self._hashes: dict[str, tuple[tuple, str]] = {}
        self._compressed: dict[tuple, bytes] = {}
        self._lock = threading.Lock()

    def _path(self, filename: str) -> str | None:
        path = os.path.realpath(os.path.join(self.folder, filename))
        if not path.startswith(self.folder + os.sep) or not os.path.isfile(path):
            return None
        return path

    @staticmethod
    def _stamp(path: str) -> tuple:
        stat = os.stat(path)
        return stat.st_mtime_ns, stat.st_size

    def version(self, filename: str) -> str | None:
        path = self._path(filename)
        if path is None:
            return None
        stamp = self._stamp(path)
        known = self._hashes.get(path)
        if known and known[0] == stamp:
            return known[1]
        with open(path, "rb") as file:
            digest = hashlib.sha256(file.read()).hexdigest()[:12]
        self._hashes[path] = (stamp, digest)
        return digest

    def compressed(self, filename: str, algorithm: str) -> bytes | None:
        path = self._path(filename)
        if path is None:
            return None
        key = (path, self._stamp(path), algorithm)
        data = self._compressed.get(key)
        if data is None:
            with open(path, "rb") as file:
                raw = file.read()
            data = _built_copy(path, raw, algorithm) or _compress_now(raw, algorithm)
            with self._lock:
                # Old versions of the same file go: the cache holds one copy per file and algorithm.
                for old in [k for k in self._compressed if k[0] == path and k[2] == algorithm]:
                    del self._compressed[old]
                self._compressed[key] = data
        return data


class ThriftySessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, with the sliding expiry renewed at most every REFRESH_SECONDS.

    Flask sends Set-Cookie with every response of a permanent session. Here the cookie goes
    out when the session changed, or when it was last renewed REFRESH_SECONDS ago or more; the
    session then ends at most REFRESH_SECONDS earlier than with a renewal on every request.
    """

    REFRESH_SECONDS = 600
    STAMP = "_renewed"

    def should_set_cookie(self, app, session) -> bool:
        if session.modified:
            session[self.STAMP] = int(time.time())
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        now = int(time.time())
        if now - int(session.get(self.STAMP, 0)) >= self.REFRESH_SECONDS:
            session[self.STAMP] = now  # written into the cookie that is sent now
            return True
        return False


def _accepted(header: str) -> str | None:
    offered = {}
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip()] = quality
    for algorithm in ("br", "gzip"):
        if offered.get(algorithm, 0) > 0:
            return algorithm
    return None


# A static file is never shown as a download, and is cached by its versioned URL and ETag.
STATIC_HEADERS_NOT_NEEDED = ("Content-Disposition", "Last-Modified", "Accept-Ranges")
# The page's Content-Security-Policy protects documents; a script or stylesheet ignores it. An
# SVG opened on its own is a document: it may load nothing and run nothing, and no site may
# frame it. Fewer bytes per static file, and stricter for SVG.
NO_DOCUMENT_TYPES = ("text/javascript", "application/javascript", "text/css")
STATIC_CSP = {"default-src": "'none'", "style-src": "'unsafe-inline'", "frame-ancestors": "'none'"}


def _lighter_static_headers(app) -> None:
    view = app.view_functions.get("static")
    if view is None:
        return

    def static(filename):
        # The build's compressed copies have no URL of their own: Werkzeug would send one with
        # its Content-Encoding to a browser that never asked for it. They go out for the bundle's
        # own URL, to a browser that accepts that encoding.
        if filename.endswith(COPY_SUFFIXES):
            abort(404)
        return view(filename=filename)

    static.talisman_view_options = {"content_security_policy": STATIC_CSP, "frame_options": None,
                                    "permissions_policy": {}}
    app.view_functions["static"] = static


# Headers that only a document (a page the browser shows) uses. An htmx fragment is read by
# XMLHttpRequest and swapped into a page that already has them; a browser can never open it as
# a page, because a navigation cannot send HX-Request. Fewer bytes per autosave.
DOCUMENT_ONLY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy")


def _is_fragment_request() -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def lean_headers() -> None:
    """For a response that no browser shows as a page (the encrypted sync: a POST with JSON
    from fetch()): leave out the document-only headers too, as for an htmx fragment."""
    g.lean_headers = True


def lean_fragment_headers(response):
    if _is_fragment_request() or g.get("lean_headers"):
        for name in DOCUMENT_ONLY_HEADERS:
            response.headers.pop(name, None)
    elif request.endpoint == "static" and response.mimetype in NO_DOCUMENT_TYPES:
        # Never a document: a script or a style sheet ignores a CSP of its own (the page's
        # applies). sw.js, a worker whose own CSP counts, is not a static file (interview/sync.py).
        response.headers.pop("Content-Security-Policy", None)
    return response


_WTFORMS_TRANSLATIONS = ProcessCache("wtforms_translations", limit=16)  # locale -> catalogue


class CachedWTFormsTranslations:
    """WTForms' own messages (Flask-WTF reads them from disk for every request that builds a
    form): loaded once per language and process. The language is still the request's own,
    looked up when a message is first needed, as Flask-WTF does."""

    def _translations(self):
        from babel import support
        from flask_babel import get_locale
        from wtforms.i18n import messages_path

        locale = get_locale()
        return _WTFORMS_TRANSLATIONS.get(
            str(locale), lambda: support.Translations.load(messages_path(), [locale], domain="wtforms"))

    def ugettext(self, string):
        return self._translations().ugettext(string)

    def ungettext(self, singular, plural, n):
        return self._translations().ungettext(singular, plural, n)


def init_app(app) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    compress.init_app(app)
    app.session_interface = ThriftySessionInterface()
    files = StaticFiles(app.static_folder)
    app.extensions["static_files"] = files

    _lighter_static_headers(app)

    @app.url_defaults
    def version_static_urls(endpoint, values):
        if endpoint == "static" and "v" not in values and values.get("filename"):
            version = files.version(values["filename"])
            if version:
                values["v"] = version


def wtforms_translations_once() -> None:
    """WTForms' own messages from memory: see CachedWTFormsTranslations."""
    request.wtforms_translations = CachedWTFormsTranslations()  # read by flask_wtf.i18n


def cache_and_compress_static(response):
    """A static file: cache headers by its version, and its compressed copy from memory."""
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    files = current_app.extensions["static_files"]
    filename = (request.view_args or {}).get("filename", "")
    wanted = request.args.get("v")
    if wanted and wanted == files.version(filename):
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    else:
        response.cache_control.max_age = None
        response.cache_control.public = None
        response.cache_control.no_cache = True
    response.vary.add("Accept-Encoding")
    for name in STATIC_HEADERS_NOT_NEEDED:
        response.headers.pop(name, None)
    if response.status_code != 200:
        return response
    algorithm = _accepted(request.headers.get("Accept-Encoding", ""))
    if algorithm is None or response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
        return response
    data = files.compressed(filename, algorithm)
    if data is None:
        return response
    original = response.response
    response.direct_passthrough = False
    response.set_data(data)
    if hasattr(original, "close"):
        original.close()
    response.headers["Content-Encoding"] = algorithm
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-{algorithm}", weak=weak)
    return response.make_conditional(request)
