"""Benchmark: how long an interviewer waits on a slow tablet with bad wifi.

The app runs under gunicorn (gunicorn.conf.py, production config) with the demo data
(peerinterview/demo.py). Chromium (Playwright) is slowed down through its DevTools protocol as
a cheap tablet on the wifi of a day centre: `Emulation.setCPUThrottlingRate` 4 (the CPU four
times slower) and `Network.emulateNetworkConditions` (150 ms round trip, 1.6 Mbit/s down,
750 kbit/s up). demo-interviewer logs in; then the browser's cache, Cache Storage and service
worker are emptied (cold cache, the login kept) and a whole interview is done: the start screen,
"Interview beginnen", and on every question a tap on an answer and a tap on "Volgende", about 25
taps. Each step is timed from the moment the tap is sent to the moment the screen shows its
result:

  start         the start screen opened cold, until its `load` event (all scripts ran)
  first         "Interview beginnen" until the first question's heading is on the screen
  status        a tap on an answer until the save status under the question says anything
                (with the offline code: "Bewaard op deze tablet" once the answer is in the
                tablet's queue; without it, or later: "Opgeslagen")
  saved         the same tap until the status says "Opgeslagen" (the server has the answer)
  next          "Volgende" until the next question's heading is on the screen
  held          part of `next`: how long "Volgende" was still disabled when the bench tapped it
                (the page shown ahead waits for the server's reply; only steps where it was)

The times come from the page's own clock (a MutationObserver writes when the status or the
heading changed, `performance.timeOrigin + performance.now()`), against the Python clock at the
moment the tap was sent: both are the machine's wall clock.

Each step has a second figure, `in page`: from the moment the tap reached the page (the time
stamp of its `pointerdown`, or of the `keydown` of a typed answer's Tab) to the same result; for
the start screen, from the start of the navigation to `load`. The first figure also holds what
Playwright does before it sends the tap: it finds the button by its role and name and waits
until it is visible, steady and not covered, each a message to the slowed-down page (measured:
60 to 550 ms on the start form, with the machine's load). A person's finger does none of that;
`in page` is what a person waits.

Targets (median and worst): status ≤ 300 ms, next ≤ 300 ms, start ≤ 1 s, first ≤ 500 ms. The
bench prints one JSON line and a table; it checks nothing (figures vary with the machine).

    python bench/slow_tablet.py               # the full demo interview
    python bench/slow_tablet.py --no-throttle # the same without slowing anything down
    python bench/slow_tablet.py --smoke       # three questions, no throttling: proves it runs
    python bench/slow_tablet.py --cold-server # without warming the server up first (see warm_up)

The service worker is blocked by default: Chromium applies the network emulation to the page's
own requests only, and a page request the service worker answers from the network (every
question page is one) goes out unslowed (measured: 33–100 ms against 164–195 ms for the same
kind of request from the page). Without it every request is slowed down; what is then not
measured is the service worker fetching the interview's blank pages at the start, which shares
the line on a real tablet. `--with-service-worker` measures with it (and with that flaw).
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402
from _common import Gunicorn, app_environment, database_name, database_url, fresh_app  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TARGETS_MS = {"status": 300, "next": 300, "start": 1000, "first": 500}
SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
                "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4

# In every page: when the save status or the page's heading changes, write the moment down
# (sessionStorage: it lives through a full page load, which a boosted swap is not).
WATCH = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const note = (kind, text, at = now()) => {
    const marks = JSON.parse(sessionStorage.getItem("__marks") || "[]");
    marks.push({kind, text, at, origin: performance.timeOrigin});
    sessionStorage.setItem("__marks", JSON.stringify(marks));
  };
  // The moment a tap (or a key) reached the page: where a person's wait begins.
  for (const type of ["pointerdown", "keydown"]) {
    addEventListener(type, (event) => {
      if (event.isTrusted) note("tap", type, performance.timeOrigin + event.timeStamp);
    }, true);
  }
  let status = null, heading = null;
  const look = () => {
    const s = document.getElementById("save-status");
    const st = s ? s.textContent.trim() : null;
    if (st !== status) { status = st; if (st) note("status", st); }
    const h = document.querySelector("main h1, h1");
    const ht = h ? h.textContent.trim() : null;
    if (ht !== heading) { heading = ht; if (ht) note("heading", ht); }
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
  addEventListener("load", () => note("load", location.pathname));
})();
"""


def make_demo(url: str):
    """A fresh database with the demo data; returns the demo project's id."""
    from peerinterview.demo import create_demo
    from peerinterview.extensions import db

    app = fresh_app(url, SECRET_KEY=_common._SECRET_KEY)
    with app.app_context():
        project_id = create_demo().id
        db.session.commit()
        db.session.remove()
    return project_id


class Tablet:
    """One Chromium page, slowed down (or not), that remembers when things changed."""

    def __init__(self, browser, base_url: str, throttle: bool, service_worker: bool = False):
        self.context = browser.new_context(base_url=base_url, viewport={"width": 820, "height": 1180},
                                           locale="nl-NL", service_workers="allow" if service_worker else "block")
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        # The page's own requests and their replies, for the message when a step gets stuck.
        self.requests = []
        self.page.on("response", lambda r: self.requests.append(
            f"{r.request.method} {r.url.split('/', 3)[-1]} {r.status} {round(now_ms())}"))
        self.cdp = self.context.new_cdp_session(self.page)
        self.throttle = throttle

    def slow_down(self):
        self.cdp.send("Network.enable")
        if self.throttle:
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            self.cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)

    def empty_caches(self, origin: str):
        """Cold cache: no HTTP cache, no Cache Storage, no service worker; the login stays."""
        self.cdp.send("Network.enable")
        self.cdp.send("Network.clearBrowserCache")
        self.cdp.send("Storage.clearDataForOrigin",
                      {"origin": origin, "storageTypes": "cache_storage,service_workers"})

    def since_tap(self, sent: float, result: dict) -> float:
        """Milliseconds from the tap sent at `sent` reaching the page to `result` (a mark)."""
        return result["at"] - self.first_mark(sent, "tap", timeout=5)["at"]

    def marks(self) -> list:
        return self.page.evaluate("JSON.parse(sessionStorage.getItem('__marks') || '[]')")

    def first_mark(self, since: float, kind: str, accept=lambda text: True, timeout: float = 30):
        """The first moment (epoch ms) after `since` that `kind` changed to a text `accept`s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for mark in self.marks():
                if mark["kind"] == kind and mark["at"] >= since and accept(mark["text"]):
                    return mark
            time.sleep(0.02)
        raise TimeoutError(f"no {kind} after the tap on {self.page.url}; last marks: {self.marks()[-4:]}")


def now_ms() -> float:
    return time.time() * 1000


def answer_here(page):
    """Tap an answer on this question page; returns what was done, or None (no answer field)."""
    radios = page.locator("form.question-form input[type=radio][name=answer]")
    boxes = page.locator("form.question-form input[type=checkbox][name=answer]")
    if radios.count():
        label = page.locator(f"label[for='{radios.first.get_attribute('id')}']")
        return ("tap", label)
    if boxes.count():
        return ("tap", page.locator(f"label[for='{boxes.first.get_attribute('id')}']"))
    number = page.locator("form.question-form input[name=number]")
    if number.count():
        return ("type", number, "3")
    text = page.locator("form.question-form textarea[name=text]")
    if text.count():
        return ("type", text, "Het is hier rustig en de koffie is goed.")
    return None


def do_answer(tablet: Tablet, how) -> float:
    """Give the answer; returns the moment (epoch ms) the answer was given."""
    if how[0] == "tap":
        started = now_ms()
        how[1].click()
        return started
    how[1].fill(how[2])
    started = now_ms()
    how[1].press("Tab")  # the autosave of a typed answer goes on "change"
    return started


def log_in(page, password: str):
    page.goto("/login")
    page.locator("input[name=username]").fill("demo-interviewer")
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda address: "/login" not in address)


def fill_start_form(page):
    if not page.locator("input[name=location_id]").count():
        raise RuntimeError(f"no start screen at {page.url}: {page.title()}")
    page.locator("input[name=location_id]").first.check()
    for name in ("consent", "consent_data"):
        box = page.locator(f"input[name={name}]")
        if box.count():
            box.check()
    method = page.locator("input[name=consent_method]")
    if method.count():
        method.first.check()


def warm_up(browser, base_url: str, project_id: int, password: str):
    """One interview started and its first two questions opened, unslowed, in a browser of its
    own: a server process that just started compiles its templates and fills its caches on the
    first requests (a few hundred milliseconds once), which a server in use has long done. The
    tablet measured afterwards still starts with a cold cache of its own."""
    context = browser.new_context(base_url=base_url, locale="nl-NL", service_workers="block")
    page = context.new_page()
    log_in(page, password)
    page.goto(f"/projects/{project_id}/interviews/new")
    fill_start_form(page)
    page.get_by_role("button", name="Interview beginnen").click()
    page.wait_for_url(lambda address: "/questions/1" in address)
    page.goto(page.url[:-1] + "2")
    page.goto(f"/projects/{project_id}/interviews/new")
    context.close()


def run_interview(tablet: Tablet, project_id: int, questions: int | None) -> dict:
    page = tablet.page
    steps = []
    origin = page.url.split("/", 3)
    tablet.empty_caches(f"{origin[0]}//{origin[2]}")
    tablet.page.evaluate("sessionStorage.removeItem('__marks')")
    tablet.slow_down()

    started = now_ms()
    page.goto(f"/projects/{project_id}/interviews/new")
    load = tablet.first_mark(started, "load")
    steps.append(("start", load["at"] - started, "", load["at"] - load["origin"]))

    fill_start_form(page)
    started = now_ms()
    page.get_by_role("button", name="Interview beginnen").click()
    # The start form is boosted (htmx swaps the page in): no `load` event, the heading changes.
    first = tablet.first_mark(started, "heading", lambda text: text != "Nieuw interview", timeout=60)
    steps.append(("first", first["at"] - started, first["text"][:40], tablet.since_tap(started, first)))

    done = 0
    while "/questions/" in page.url and (questions is None or done < questions):
        heading = page.locator("h1").first.inner_text().strip()
        how = answer_here(page)
        if how is not None:
            tapped = do_answer(tablet, how)
            first = tablet.first_mark(tapped, "status")
            steps.append(("status", first["at"] - tapped, first["text"][:40], tablet.since_tap(tapped, first)))
            saved = tablet.first_mark(tapped, "status", lambda text: text.startswith("Opgeslagen"))
            steps.append(("saved", saved["at"] - tapped, heading[:40], tablet.since_tap(tapped, saved)))
        done += 1
        button = page.locator("form.question-form button[value=next]")
        started = now_ms()
        if button.is_disabled():
            # The page shown ahead still waits for the server's reply to the post behind it:
            # a tap now would do nothing. `next` counts this wait too.
            page.wait_for_function("b => !b.disabled", arg=button.element_handle(), polling="raf")
            steps.append(("held", now_ms() - started, heading[:40], None))
        button.click()
        moved = tablet.first_mark(started, "heading", lambda text, old=heading: text != old)
        steps.append(("next", moved["at"] - started, moved["text"][:40], tablet.since_tap(started, moved)))
    return steps


def summary(steps) -> dict:
    out = {}
    for kind in ("start", "first", "status", "saved", "next", "held"):
        times = [ms for k, ms, _note, _in_page in steps if k == kind]
        in_page = [ms for k, _ms, _note, ms in steps if k == kind and ms is not None]
        if times:
            out[kind] = {"n": len(times), "median_ms": round(statistics.median(times), 1),
                         "worst_ms": round(max(times), 1)}
        if in_page:
            out[kind].update(in_page_median_ms=round(statistics.median(in_page), 1),
                             in_page_worst_ms=round(max(in_page), 1))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-throttle", action="store_true", help="no CPU or network slow-down")
    parser.add_argument("--smoke", action="store_true", help="three questions, no slow-down: proves the bench runs")
    parser.add_argument("--questions", type=int, default=None, help="stop after this many questions")
    parser.add_argument("--with-service-worker", action="store_true",
                        help="let the service worker run (its own requests are not slowed down)")
    parser.add_argument("--cold-server", action="store_true",
                        help="no warm-up: the tablet's requests are the server's first")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from peerinterview.demo import DEMO_PASSWORD

    questions = 3 if args.smoke else args.questions
    throttle = not (args.no_throttle or args.smoke)
    os.environ.setdefault("PEERINTERVIEW_INSTANCE", str(Path("/tmp") / f"bench-slow-tablet-{os.getpid()}"))
    Path(os.environ["PEERINTERVIEW_INSTANCE"]).mkdir(parents=True, exist_ok=True)
    url = database_url()
    project_id = make_demo(url)
    with Gunicorn("app:app", app_environment(url), workers=1, threads=4) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        base_url = f"http://127.0.0.1:{server.port}"
        if not args.cold_server:
            warm_up(browser, base_url, project_id, DEMO_PASSWORD)
        tablet = Tablet(browser, base_url, throttle, args.with_service_worker)
        log_in(tablet.page, DEMO_PASSWORD)
        try:
            steps = run_interview(tablet, project_id, questions)
        except Exception:
            print(f"stuck at {tablet.page.url} ({tablet.page.title()}); last marks: {tablet.marks()[-6:]}; "
                  f"last requests: {tablet.requests[-12:]}", flush=True)
            raise
        browser.close()
        errors = server.errors_logged()
    row = {"bench": "slow_tablet", "database": database_name(url), "throttled": throttle,
           "service_worker": args.with_service_worker, "warm_server": not args.cold_server,
           "cpu_slowdown": CPU_SLOWDOWN if throttle else 1, "network": SLOW_NETWORK if throttle else None,
           "steps": [[k, round(ms, 1), note, None if in_page is None else round(in_page, 1)]
                     for k, ms, note, in_page in steps],
           "summary": summary(steps),
           "server_errors": len(errors), "ok": bool(steps) and not errors}
    print(json.dumps(row), flush=True)
    print(f"\n{'step':<8} {'ms':>7} {'in page':>8}  note")
    for kind, ms, note, in_page in steps:
        print(f"{kind:<8} {ms:>7.0f} {'' if in_page is None else round(in_page):>8}  {note}")
    print(f"\n{'part':<8} {'n':>3} {'median':>8} {'worst':>8} {'in page: median':>16} {'worst':>6} {'target':>7}")
    for kind, figures in row["summary"].items():
        target = TARGETS_MS.get(kind)
        print(f"{kind:<8} {figures['n']:>3} {figures['median_ms']:>8.0f} {figures['worst_ms']:>8.0f} "
              f"{figures.get('in_page_median_ms', ''):>16} {figures.get('in_page_worst_ms', ''):>6} "
              f"{target if target else '':>7}")
    return row


if __name__ == "__main__":
    sys.exit(0 if main()["ok"] else 1)
