"""Every page a browser test opens is watched for Content-Security-Policy violations
(tests/browser/conftest.py); the pages' HTML is checked for inline code as every role in
tests/test_injection.py. This proves the watch itself: a page that breaks the app's own policy
is reported, through the page's `securitypolicyviolation` event and through the console."""
import urllib.request

from tests.browser.conftest import TABLET


def test_the_watch_reports_a_violation_when_there_is_one(browser, live_server, csp_violations):
    policy = urllib.request.urlopen(f"{live_server}/login").headers["Content-Security-Policy"]  # noqa: S310
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    context = browser.new_context(viewport=TABLET, base_url=live_server)
    page = context.new_page()
    page.route("**/csp-probe", lambda route: route.fulfill(
        status=200, content_type="text/html", headers={"Content-Security-Policy": policy},
        body='<!doctype html><p style="color:red">x</p><script>document.title = "x";</script>'))
    try:
        page.goto("/csp-probe")
        page.wait_for_load_state("load")

        def reported():
            events = [entry.split(": ", 1)[1] for entry in csp_violations]
            return ([e for e in events if e.startswith("style-src")], [e for e in events if e.startswith("script-src")],
                    [e for e in events if "Content Security Policy" in e])

        for _ in range(100):  # the event is a queued task: let it arrive
            if all(reported()) and len(reported()[2]) >= 2:
                break
            page.wait_for_timeout(50)
        styles, scripts, console = reported()
        assert styles and scripts and len(console) >= 2, csp_violations
        assert all(entry.startswith(f"{live_server}/csp-probe: ") for entry in csp_violations), csp_violations
        assert page.title() != "x"
    finally:
        context.close()
    csp_violations.clear()  # expected here; any other test fails on them
