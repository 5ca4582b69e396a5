"""Nothing typed is left behind by accident: every form a person types text into and sends as a
page (not one that saves itself while typed) carries data-unsaved-warning, so static/js/unsaved.js
asks before the page is left with that text unsaved. Checked on the pages themselves: each role
walks every page it can reach by links from the start page and its projects (the builder, the
proposals, the report texts, the follow-up, the process, the check of open answers, ...)."""
import re
from collections import deque
from urllib.parse import urlsplit

from .builders import html_of, make_completed
from .helpers import login

# Files and downloads are not pages with forms.
NOT_A_PAGE = re.compile(r"\.(pdf|csv|xlsx|sav|zip|qdpx|svg|png|jpg|json|js|css|docx|odt|txt|xml|mp3|webm|ogg)$"
                        r"|/static/|/download|/export|/inlogkaart|/logboek\.")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


def _unguarded_text_forms(html: str) -> list[str]:
    found = []
    for match in FORM.finditer(html):
        tag, body = match.group(1), match.group(2)
        if 'method="post"' not in tag or "<textarea" not in body or "data-unsaved-warning" in tag:
            continue
        if "question-form" in tag or "data-wait-for-sync" in tag:
            continue  # the interview's own forms: what is typed waits in the tablet's queue
        action = re.search(r'action="([^"]*)"', tag)
        found.append(action.group(1) if action else tag.strip()[:80])
    return found


def _walk(client, starts, limit=250):
    seen, queue, pages, missing = set(starts), deque(starts), 0, {}
    while queue and pages < limit:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        pages += 1
        html = html_of(response)
        for action in _unguarded_text_forms(html):
            missing.setdefault(action, url)
        for href in re.findall(r'href="([^"#]+)', html):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.netloc or not href.startswith("/") or NOT_A_PAGE.search(parts.path):
                continue
            if href not in seen:
                seen.add(href)
                queue.append(href)
    return pages, missing


def test_every_text_form_sent_as_a_page_asks_before_its_text_is_left(app, world, draft_project, recs):
    make_completed(app, world.project_id, "anna", [{"q1": "elke_dag", "q3": "Meer rust in de ochtend."},
                                                   {"q1": "soms", "q3": "Een stille kamer zou fijn zijn."}])
    make_completed(app, world.project_id, "anna", [{"q3": "Bel Jan op 06-12345678."}], released=False)
    for username in ("staf", "petra", "dirk"):
        client = login(app.test_client(), username)
        pages, missing = _walk(client, ["/", f"/projects/{world.project_id}", f"/projects/{draft_project}"])
        assert pages > 10, (username, pages)
        assert not missing, f"{username}: forms without data-unsaved-warning (action: page): {missing}"
