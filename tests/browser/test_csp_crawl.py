"""A real-browser crawl of every GET page in the URL map, as each role of the access
matrix (anonymous, interviewers A and B, panel, designer, staff, staff of another project),
records zero Content-Security-Policy violations: none in the console, and no
`securitypolicyviolation` event in the page. Pages a role may not open are crawled too (their
403 page and the login page must be clean as well). Non-HTML answers (JSON, downloads, the
service worker) are fetched, not rendered."""
import pytest

from tests.access_areas.roles import ANONYMOUS, ROLES
from tests.helpers import PASSWORD
from tests.test_access import ACCESS, matrix_world, routes, url_for_rule  # noqa: F401  (fixture)

# The headers and the pages' own scripts do not depend on the database (tests/test_injection.py
# reads every page as every role on both databases).
pytestmark = pytest.mark.database_independent

# Collected by the page itself: Chromium fires this event for every blocked script, style or image.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " "
                              + (event.sourceFile || "") + ":" + (event.lineNumber || 0));
});
"""


def get_urls(app, world) -> list[tuple[str, str]]:
    order = list(ACCESS)
    found = []
    for rule in sorted(routes(app), key=lambda r: order.index(r.endpoint)):
        if "GET" in rule.methods:
            found.append((rule.endpoint, url_for_rule(app, rule, world)))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_csp_violations_on_any_page(app, matrix_world, browser, live_server, role):  # noqa: F811
    from tests.browser.conftest import TABLET

    context = browser.new_context(viewport=TABLET, locale="nl-NL", base_url=live_server)
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: "Content Security Policy" in message.text and console.append(message.text))
    try:
        if role != ANONYMOUS:
            page.goto("/login")
            page.get_by_label("Gebruikersnaam").fill(role)
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.get_by_role("heading", level=1, name="Mijn onderzoeken").wait_for()
        problems = []
        visited = 0
        for endpoint, url in get_urls(app, matrix_world):
            head = context.request.get(url, max_redirects=0)
            kind = head.headers.get("content-type", "")
            if not (kind.startswith("text/html") or head.status in (301, 302, 303)):
                continue  # JSON, JavaScript, CSV, PDF …: nothing is rendered
            console.clear()
            page.goto(url)
            page.wait_for_load_state("load")
            page.wait_for_timeout(150)  # violation events are queued tasks: let them arrive
            violations = page.evaluate("window.__cspViolations || []")
            visited += 1
            if console or violations:
                problems.append(f"{role} {endpoint} {url}: {console + violations}")
        assert visited >= 5, f"{role} crawled only {visited} pages"
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_the_crawl_sees_a_violation_when_there_is_one(browser, live_server):
    """The detector itself: a page with an inline style and an inline script under the app's own
    Content-Security-Policy header is reported both ways."""
    import urllib.request

    from tests.browser.conftest import TABLET

    policy = urllib.request.urlopen(f"{live_server}/login").headers["Content-Security-Policy"]  # noqa: S310
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    context = browser.new_context(viewport=TABLET, base_url=live_server)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: "Content Security Policy" in message.text and console.append(message.text))
    page.route("**/csp-probe", lambda route: route.fulfill(
        status=200, content_type="text/html", headers={"Content-Security-Policy": policy},
        body='<!doctype html><p style="color:red">x</p><script>document.title = "x";</script>'))
    try:
        page.goto("/csp-probe")
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)
        violations = page.evaluate("window.__cspViolations || []")
        assert any(v.startswith("style-src") for v in violations), violations
        assert any(v.startswith("script-src") for v in violations), violations
        assert len(console) >= 2
        assert page.title() != "x"
    finally:
        context.close()
