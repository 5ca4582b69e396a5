"""Bundles by area in a real browser: an interview screen loads only the interview's script and
style sheet; a boosted swap into another area adds that area's bundles to the page once, runs
only the scripts the page did not have, and back in the interview nothing is loaded again. The
new page is swapped in only once its style sheet has loaded: until then the old page stays, so
no page ever shows without its styles."""
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.browser.test_interview_browser import TEXTS, log_in

OURS = """() => [...document.querySelectorAll('script[src^="/static/build/"], link[rel="stylesheet"][href^="/static/build/"]')]
  .map((el) => (el.getAttribute('src') || el.getAttribute('href')).split('?')[0].split('/').pop())"""

# Counts the listeners the scripts add from now on, by event name.
COUNT_LISTENERS = """() => {
  window.added = {};
  const original = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (name, ...rest) {
    window.added[name] = (window.added[name] || 0) + 1;
    return original.call(this, name, ...rest);
  };
}"""

# Watches for the page whose heading is `heading` to come into the DOM, and notes at that moment
# (before the browser can paint it) whether the app's style sheet is there and applies: a list
# with class "plain-list" has no margin only by a rule of app.min.css.
WATCH_FIRST_FRAME = """(heading) => {
  window.firstFrame = null;
  const observer = new MutationObserver(() => {
    const h1 = document.querySelector('main h1');
    if (!h1 || h1.textContent.trim() !== heading) return;
    observer.disconnect();
    const probe = document.createElement('ul');
    probe.className = 'plain-list';
    document.querySelector('main').append(probe);
    window.firstFrame = {
      sheet: [...document.styleSheets].some((s) => (s.href || '').includes('app.min.css')),
      marginTop: getComputedStyle(probe).marginTop,
    };
    probe.remove();
  });
  observer.observe(document.body, { childList: true, subtree: true });
}"""

APP_CSS = re.compile(r"/static/build/app\.min\.css\?")

# A link in the page, followed as htmx follows every link of the page (hx-boost on <body>).
BOOSTED_LINK = """(url) => {
  const link = document.createElement('a');
  link.href = url;
  link.textContent = 'Verder';
  document.querySelector('main').append(link);
  htmx.process(link);
  link.click();
}"""


def leave_the_interview_while_the_style_sheet_is_held(page, texts):
    """A boosted link from the interview to the home page while the app's style sheet is held on
    its way: the interview's page stays; once the sheet is let through, the home page comes in
    with its styles applying from its first frame, as htmx swaps a page (address, title, focus)."""
    page.evaluate(WATCH_FIRST_FRAME, texts["home"])
    held = []
    page.route(APP_CSS, lambda route: held.append(route))
    with page.expect_request(lambda request: "app.min.css" in request.url):
        page.get_by_role("link", name="PeerInterview").click()
    expect(page.get_by_text(texts["progress"])).to_be_visible()
    assert page.evaluate("() => window.firstFrame") is None
    assert len(held) == 1
    held[0].continue_()
    expect(page.get_by_role("heading", level=1, name=texts["home"])).to_be_focused()
    page.unroute(APP_CSS)
    assert page.evaluate("() => window.firstFrame") == {"sheet": True, "marginTop": "0px"}
    assert urlsplit(page.url).path == "/"
    assert page.title().startswith(texts["home"])


def test_each_area_loads_its_own_bundles_and_a_swap_adds_the_other_once(world, new_page):
    texts = TEXTS["nl"]
    # Without the service worker, which would answer the style sheet from its cache: so the test
    # can hold it on its way.
    page = new_page(service_workers="block")
    log_in(page, "anna", texts)
    # The interview, opened cold: the interview's bundles only (the icon is inside the page).
    page.goto(f"/projects/{world.project_id}/interviews/new")
    assert page.evaluate(OURS) == ["interview.min.css", "interview.min.js"]
    page.get_by_label("De Haven").check()
    page.get_by_label(texts["consent"]).check()
    page.get_by_label(texts["consent_data"]).check()
    page.get_by_role("button", name=texts["begin"]).click()
    expect(page.get_by_text(texts["progress"])).to_be_visible()
    page.get_by_label(texts["some"]).check()
    expect(page.get_by_role("status").filter(has_text=texts["saved"])).to_be_visible()
    for width, height in ((820, 1180), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page, f"bundles-first-question-{width}")
    assert page.evaluate(OURS) == ["interview.min.css", "interview.min.js"]
    question_url = page.url

    # A boosted link out of the interview: the app's style sheet and script join the page. Of the
    # app's scripts only those the interview's bundle lacks run; the shared ones do not listen twice.
    # While the app's style sheet is on its way (held here), the interview's page stays as it is;
    # the app's page comes in with its styles applying from its first frame.
    page.evaluate(COUNT_LISTENERS)
    leave_the_interview_while_the_style_sheet_is_held(page, texts)
    page.wait_for_function("() => window.peerInterviewAssets.parts.panel === 1")
    page.wait_for_function("() => [...document.styleSheets].some((s) => (s.href || '').includes('app.min.css'))")
    assert page.evaluate(OURS) == ["interview.min.css", "interview.min.js", "app.min.css", "app.min.js"]
    added = page.evaluate("() => window.added")
    assert added.get("submit", 0) >= 2  # downloads.js and unsaved.js set up
    for shared in ("htmx:configRequest", "htmx:confirm", "DOMContentLoaded"):
        assert added.get(shared, 0) == 0, (shared, added)  # app.js, the offline code: not again
    assert_accessible(page)
    # "Back" goes to the interview's page again.
    page.go_back()
    expect(page.get_by_text(texts["progress"])).to_be_visible()
    assert page.url == question_url

    # Back into the interview by a boosted link: the app's bundles hold the interview's, so
    # nothing is loaded, and the answer still saves through the offline code.
    page.evaluate(BOOSTED_LINK, question_url.replace("/questions/1", "/questions/2"))
    expect(page.get_by_role("heading", level=1, name="Hoe voelt u zich hier?")).to_be_visible()
    page.get_by_label(texts["good"], exact=True).check()
    expect(page.get_by_role("status").filter(has_text=texts["saved"])).to_be_visible()
    assert page.evaluate(OURS) == ["interview.min.css", "interview.min.js", "app.min.css", "app.min.js"]
    assert page.evaluate("() => window.added['htmx:confirm'] || 0") == 0
