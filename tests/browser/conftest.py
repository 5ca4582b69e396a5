"""Browser fixtures: the app on a real local HTTP server, Debian's Chromium through Playwright,
and an axe-core check with the target-size rule switched on.

Every page any browser test opens is watched for Content-Security-Policy violations (a blocked
inline script or style, a script from elsewhere): the test fails when there was one.

Browser tests check what happens in the browser; what the server stores is checked over HTTP on
every database. So they run once, on SQLite, except those marked `every_database`: they make
requests that overlap for real (double taps, two people at once, an autosave while the next
page loads), which the test client cannot do and which each database serialises its own way."""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server



def _chromium() -> str:
    """Debian's chromium-headless-shell where it is installed, else its chromium. The headless
    shell is the same Chromium (Blink, V8, the DevTools protocol, service workers, axe's rules see
    the same page) without the desktop browser around it, and it needs about 40 % less CPU per
    test (docs/architecture.md, "Testing"). CHROMIUM_PATH chooses another."""
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    for candidate in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium"):
        if Path(candidate).exists():
            return candidate
    return "/usr/bin/chromium"


CHROMIUM = _chromium()
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
TABLET = {"width": 820, "height": 1180}
# How long a step or an expectation may wait. Generous: CI runs two xdist workers (each with its
# own server and Chromium) on two cores, so a page that appears in 0.2 s alone can take seconds
# there. A test that passes only needs as long as the page needs.
STEP_TIMEOUT = 20_000
EXPECT_TIMEOUT = 15_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not item.get_closest_marker("every_database"):
                item.add_marker(pytest.mark.database_independent)


def _is_real_error(message) -> bool:
    # An invalid form answers 422 on purpose (it is swapped in with its error summary), and a
    # change based on an outdated page 409 (the page again, saying so).
    return message.type == "error" and "status of 422" not in message.text and "status of 409" not in message.text


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


# Chromium fires this event for every script, style or image the policy blocks; the page passes
# it on to the test. (Chromium also logs each one to the console, which is watched too.)
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(event.violatedDirective + " " + (event.blockedURI || "inline") + " "
                              + (event.sourceFile || "") + ":" + (event.lineNumber || 0));
});
"""


class WatchedBrowser:
    """The browser, but every context made with it reports CSP violations into `violations`
    (emptied for every test by the `csp_violations` fixture)."""

    def __init__(self, browser):
        self._browser = browser
        self.violations: list[str] = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.expose_binding("__reportCspViolation",
                               lambda source, text: self.violations.append(f"{source['page'].url}: {text}"))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", lambda message: "Content Security Policy" in message.text
                   and self.violations.append(f"{message.page.url if message.page else '?'}: {message.text}"))
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium-headless-shell or chromium package")
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def csp_violations(browser):
    """No page of the test broke the Content-Security-Policy. Set up before (so torn down
    after) the fixtures that close the test's contexts: every report has arrived by then."""
    browser.violations.clear()
    yield browser.violations
    found, browser.violations[:] = list(browser.violations), []
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture
def new_page(browser, live_server):
    """new_page(locale="nl-NL", java_script_enabled=True) -> a tablet-sized page on the live server."""
    contexts = []

    def make(locale="nl-NL", **options):
        context = browser.new_context(viewport=TABLET, locale=locale, base_url=live_server, **options)
        context.set_default_timeout(STEP_TIMEOUT)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: _is_real_error(msg) and page.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
