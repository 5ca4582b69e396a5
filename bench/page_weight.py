"""Benchmark: bytes on the wire for an interview on a tablet (gzip, HTTP/1.1).

The app runs under gunicorn (gunicorn.conf.py, production config). A client that sends the
request headers of Chrome on an Android tablet (User-Agent, client hints, Sec-Fetch-*, Origin,
Referer, Accept-Encoding: gzip, deflate — Chrome offers Brotli only over HTTPS) goes through an
interview and counts every byte sent and received: request line, headers and body, response
status line, headers and (compressed) body. HTTP/2 behind a TLS proxy would send repeated
headers compressed (HPACK), so these are upper bounds.

  first_screen      the first question page, opened cold, with every asset it loads (the
                    interview's CSS and JS bundles, htmx inside the JS; the icon is a data: URI
                    inside the page; no web fonts). Its question has a picture and four
                    answers with pictures (inline SVG). Budget: 40 KB.
  repeat_screen     the same page once the assets are cached (versioned URLs, cached a year)
  answer_save       each htmx autosave: POST with HX-Request + the "Opgeslagen" fragment.
                    Budget: 2 KB per answer.
  next_question     "Volgende": the boosted form post, its 303 and the next page (not budgeted:
                    a page, not an answer exchange)
  sync_answer       the encrypted answer that the offline code sends instead of the htmx autosave
                    when the browser has WebCrypto (HTTPS): POST /interviews/<id>/sync
  offline_copies    what the service worker fetches once per interview to keep every question
                    page for offline use (all pages, gzip)

    python bench/page_weight.py             # 40 questions
    python bench/page_weight.py --smoke     # 6 questions
"""
import argparse
import asyncio
import base64
import json
import os
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    Browser,
    Gunicorn,
    answer_for,
    app_environment,
    database_name,
    database_url,
    form_fields,
    fresh_app,
    log_in,
    seed_interview_project,
)

FIRST_SCREEN_BUDGET = 40 * 1024
ANSWER_BUDGET = 2 * 1024

CHROME = {
    "Connection": "keep-alive",
    "sec-ch-ua": '"Chromium";v="131", "Not_A Brand";v="24", "Google Chrome";v="131"',
    "sec-ch-ua-mobile": "?0",
    "sec-ch-ua-platform": '"Android"',
    "User-Agent": "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36",
    "Accept-Language": "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7",
}


def navigation(referer):
    return {"Upgrade-Insecure-Requests": "1",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                      "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
            "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-User": "?1",
            "Sec-Fetch-Dest": "document", "Referer": referer}


def asset(referer, path):
    if path.split("?")[0].endswith(".css"):
        accept, dest = "text/css,*/*;q=0.1", "style"
    elif path.split("?")[0].endswith(".js"):
        accept, dest = "*/*", "script"
    else:
        accept, dest = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "image"
    return {"Accept": accept, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "no-cors",
            "Sec-Fetch-Dest": dest, "Referer": referer}


def xhr(origin, page_url, extra=None):
    return {"Accept": "*/*", "Origin": origin, "Referer": page_url, "Sec-Fetch-Site": "same-origin",
            "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty", **(extra or {})}


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        url = a.get("src") if tag == "script" else a.get("href") if tag == "link" and a.get("rel") in ("stylesheet", "icon") else None
        # A data: URI (the icon) costs no request: its bytes are in the page's.
        if url and not url.startswith("data:"):
            self.urls.append(url)


def wire(reply) -> int:
    return reply.sent_bytes + reply.wire_bytes


async def measure(port, seeded, questions, accept_encoding="gzip, deflate"):
    origin = f"http://127.0.0.1:{port}"
    browser = Browser(port, headers=CHROME, accept_encoding=accept_encoding)
    await log_in(browser, seeded.usernames[0])
    start_path, interview_id = await _start_interview(browser, origin, seeded)
    question_url = f"/interviews/{interview_id}/questions/"
    first, parts, cache_headers = await _first_screen(browser, origin, start_path, question_url)
    csrf = next(iter(form_fields(first.text).forms.values()))["csrf_token"]
    saves, nexts = await _answer_every_question(browser, origin, seeded, question_url, csrf)
    repeat = await browser.request("GET", question_url + "1", headers=navigation(origin + question_url + "2"))
    key_reply, syncs = await _sync_every_answer(browser, origin, seeded, interview_id, question_url)
    copies, sw = await _offline_copies(browser, seeded, question_url)
    await browser.close()
    first_screen = sum(parts.values())
    return {
        "first_screen_bytes": first_screen, "first_screen_parts": parts,
        "static_cache_control": sorted(set(cache_headers.values())),
        "repeat_screen_bytes": wire(repeat),
        "answer_save_bytes_max": max(saves), "answer_save_bytes_mean": round(sum(saves) / len(saves)),
        "next_question_bytes_mean": round(sum(nexts) / len(nexts)) if nexts else None,
        "sync_answer_bytes_max": max(syncs), "sync_answer_bytes_mean": round(sum(syncs) / len(syncs)),
        "offline_copies_bytes": copies, "offline_setup_bytes": wire(sw) + wire(key_reply),
        "first_screen_budget": FIRST_SCREEN_BUDGET, "answer_budget": ANSWER_BUDGET,
        "first_screen_within_budget": first_screen <= FIRST_SCREEN_BUDGET,
        "answer_within_budget": max(saves) <= ANSWER_BUDGET,
    }


async def _start_interview(browser, origin, seeded):
    """Start the interview (the boosted start form; not counted): (start path, interview id)."""
    start_path = f"/projects/{seeded.project_id}/interviews/new"
    page = await browser.request("GET", start_path, headers=navigation(origin + "/"))
    parsed = form_fields(page.text)
    fields = {**parsed.forms[start_path], "location_id": parsed.radios[start_path]["location_id"][0],
              "language": "nl", "consent": "y", "consent_data": "y", "consent_method": "interviewer_tablet"}
    started = await browser.request("POST", start_path, form=fields, headers=navigation(origin + start_path))
    assert started.status == 303, started.status
    return start_path, started.headers["location"].split("/")[2]


async def _first_screen(browser, origin, start_path, question_url):
    """The first screen, cold: the page and every asset it loads, with their bytes on the wire."""
    first = await browser.request("GET", question_url + "1", headers=navigation(origin + start_path))
    assert first.status == 200, first.status
    parts = {"html": wire(first)}
    found = Assets()
    found.feed(first.text)
    cache_headers = {}
    for url in found.urls:
        reply = await browser.request("GET", url, headers=asset(origin + question_url + "1", url))
        assert reply.status == 200, (url, reply.status)
        parts[url.split("?")[0]] = wire(reply)
        cache_headers[url.split("?")[0]] = reply.headers.get("cache-control", "")
    return first, parts, cache_headers


async def _answer_every_question(browser, origin, seeded, question_url, csrf):
    """Each question autosaved, then "Volgende": the bytes of each save and each next screen."""
    saves, nexts = [], []
    for number, (_question_id, kind, values) in enumerate(seeded.questions, 1):
        page_url = origin + question_url + str(number)
        form = {"csrf_token": csrf, **answer_for(kind, values, number)}
        reply = await browser.request("POST", question_url + f"{number}/answer", form={**form, "action": "save"},
                                      headers=xhr(origin, page_url, {
                                          "HX-Request": "true", "HX-Current-URL": page_url,
                                          "HX-Target": "save-status", "HX-Trigger": "question-read",
                                          "X-CSRFToken": csrf}))
        assert reply.status == 200 and "Opgeslagen" in reply.text, (reply.status, reply.text[:300])
        saves.append(wire(reply))
        if number == len(seeded.questions):
            break
        # "Volgende": a boosted form post; the XHR follows the 303 with the same htmx headers.
        boosted = {"HX-Request": "true", "HX-Boosted": "true", "HX-Current-URL": page_url, "X-CSRFToken": csrf}
        post = await browser.request("POST", question_url + str(number), form={**form, "action": "next"},
                                     headers=xhr(origin, page_url, boosted))
        assert post.status == 303, post.status
        follow = await browser.request("GET", post.headers["location"], headers=xhr(origin, page_url, boosted))
        assert follow.status == 200, follow.status
        nexts.append(wire(post) + wire(follow))
    return saves, nexts


async def _sync_every_answer(browser, origin, seeded, interview_id, question_url):
    """The encrypted path (the offline code with WebCrypto): the public key once, then one POST per
    answer. Returns the key's reply and the bytes of each sync."""
    key_reply = await browser.request("GET", f"/projects/{seeded.project_id}/interview-key",
                                      headers=xhr(origin, origin + question_url + "1", {"Accept": "application/json"}))
    key = json.loads(key_reply.text)
    syncs = []
    for number, (question_id, kind, values) in enumerate(seeded.questions, 1):
        given = answer_for(kind, values, number)
        answer = {"value": given.get("answer"), "text": given.get("text"), "special": None}
        item = envelope(key, interview_id, question_id, int(time.time() * 1000), answer)
        reply = await browser.request("POST", f"/interviews/{interview_id}/sync", json_body={"items": [item]},
                                      headers=xhr(origin, origin + question_url + str(number), {
                                          "Accept": "application/json", "X-CSRFToken": key["csrf_token"]}))
        assert reply.status == 200 and item["id"] in reply.text, (reply.status, reply.text[:300])
        syncs.append(wire(reply))
    return key_reply, syncs


async def _offline_copies(browser, seeded, question_url):
    """The service worker's copies of every page of the interview (once per interview), and the
    service worker itself: (bytes of the copies, the worker's reply)."""
    copies = 0
    for number in range(1, len(seeded.questions) + 1):
        reply = await browser.request("GET", question_url + str(number),
                                      headers={"Accept": "*/*", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty",
                                               "X-PeerInterview-Offline-Copy": "1"})
        copies += wire(reply)
    sw = await browser.request("GET", "/sw.js", headers={"Accept": "*/*", "Service-Worker": "script"})
    return copies, sw


def envelope(key, interview_id, question_id, changed_at, answer):
    """One queued answer exactly as the offline code makes it for a project of today (ECDH-P256: a fresh
    P-256 key pair, HKDF-SHA256, AES-256-GCM; interview/sync.py)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    if key["alg"] != "ECDH-P256":
        raise ValueError(f"the bench seals for ECDH-P256 projects only, not {key['alg']}")
    project = serialization.load_der_public_key(base64.b64decode(key["spki"]))
    fresh = ec.generate_private_key(ec.SECP256R1())
    secret = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"peerinterview answer v2") \
        .derive(fresh.exchange(ec.ECDH(), project))
    iv = os.urandom(12)
    sealed = AESGCM(secret).encrypt(iv, json.dumps(answer).encode(), f"{interview_id}|{question_id}|{changed_at}".encode())
    point = fresh.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"id": str(uuid.uuid4()), "question_id": question_id, "changed_at": changed_at, "key_id": key["key_id"],
            "epk": base64.b64encode(point).decode(), "iv": base64.b64encode(iv).decode(),
            "ciphertext": base64.b64encode(sealed).decode()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--smoke", action="store_true", help="6 questions: proves the bench runs")
    args = parser.parse_args(argv)
    questions = 6 if args.smoke else args.questions
    url = database_url()
    app = fresh_app(url)
    # The first question has pictures with the question and its four answers (inline SVG).
    seeded = seed_interview_project(app, interviewers=1, questions=questions, tag="weight", pictures=True)
    with Gunicorn("app:app", app_environment(url), workers=1, threads=2) as server:
        result = asyncio.run(measure(server.port, seeded, questions))
        # The same over HTTPS, where Chrome also offers Brotli (and zstd, which we do not use).
        brotli = asyncio.run(measure(server.port, seeded, questions, "gzip, deflate, br, zstd"))
    row = {"bench": "page_weight", "database": database_name(url), "questions": questions, **result,
           "first_screen_bytes_br": brotli["first_screen_bytes"], "answer_save_bytes_max_br": brotli["answer_save_bytes_max"],
           "sync_answer_bytes_max_br": brotli["sync_answer_bytes_max"]}
    print(json.dumps(row), flush=True)
    print(f"\n{'what':<28} {'bytes':>8} {'budget':>8}")
    print(f"{'first screen (cold)':<28} {row['first_screen_bytes']:>8} {FIRST_SCREEN_BUDGET:>8}")
    for part, size in row["first_screen_parts"].items():
        print(f"  {part:<26} {size:>8}")
    print(f"{'first screen, Brotli (HTTPS)':<28} {row['first_screen_bytes_br']:>8} {FIRST_SCREEN_BUDGET:>8}")
    print(f"{'same screen, assets cached':<28} {row['repeat_screen_bytes']:>8}")
    print(f"{'answer save (max)':<28} {row['answer_save_bytes_max']:>8} {ANSWER_BUDGET:>8}")
    print(f"{'answer save (mean)':<28} {row['answer_save_bytes_mean']:>8}")
    print(f"{'encrypted sync (max)':<28} {row['sync_answer_bytes_max']:>8}")
    print(f"{'next question (mean)':<28} {row['next_question_bytes_mean']!s:>8}")
    print(f"{'offline copies, once':<28} {row['offline_copies_bytes']:>8}")
    return row


if __name__ == "__main__":
    main()
