// Sending the queue. Items go in the order they changed, one batch of one interview at a time,
// with exponential back-off, again on the "online" event and on every page load. An item leaves
// the queue only when the server acknowledged it ({"acked": [ids]}). A replay (the reply got
// lost) is harmless: the server stores an upsert where an older change never wins.
//
// Some answers the server acknowledges without storing them, and says why (interview/sync.py):
// a newer change is stored already ("newer": the page shows which answer stays), the change was
// made after the interview was finished ("late"), or the interview was withdrawn or erased (410
// "gone": every answer of it leaves the tablet). Nothing is sent again for ever; the screen tells
// the interviewer what happened.

import { refresh } from "./banner.js";
import { learnClock } from "./clock.js";
import { refreshToken } from "./envelope.js";
import { csrfToken, fetchWithTimeout } from "./network.js";
import { allItems, removeItems } from "./queue-store.js";
import { state } from "./state.js";

const BATCH = 50;
// The server takes 1 MB a request; one long open answer is some 40 kB as an envelope.
const MAX_BATCH_CHARS = 400000;
const MAX_BACKOFF_MS = 60000;
const SENT_FIELDS = ["id", "question_id", "changed_at", "key_id", "epk", "wrapped_key", "iv", "ciphertext"];

const pick = (item, fields) => Object.fromEntries(fields.map((name) => [name, item[name]]));

// What a reply means: {kind: "ok" | "gone" | "login" | "retry" | "rejected", ...}.
async function readReply(response, t0) {
  const type = response.headers.get("Content-Type") || "";
  // An expired login: a redirect to the login page (or 401). The queue stays.
  if (response.type === "opaqueredirect" || response.status === 401) return { kind: "login" };
  if (response.status >= 500 || response.status === 429 || response.status === 408) return { kind: "retry" };
  // A 400 page from the CSRF check (the login changed): a fresh token may help.
  if (!type.startsWith("application/json")) return { kind: response.status === 400 ? "login" : "rejected" };
  const json = await response.json();
  // The interview was withdrawn or erased: nothing of it is stored any more, ever.
  if (response.status === 410 && json.gone === true) return { kind: "gone", acked: json.acked || [] };
  if (!response.ok) return { kind: "rejected", error: json.error };
  learnClock(json.server_time, t0, Date.now());
  return { kind: "ok", acked: json.acked || [], newer: json.newer || [], late: json.late || [], stored: json.stored || {} };
}

async function sendBatch(items) {
  const t0 = Date.now();
  let response;
  try {
    response = await fetchWithTimeout(items[0].sync_url, {
      method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify({ items: items.map((item) => pick(item, SENT_FIELDS)) }),
    });
  } catch (e) {
    return { kind: "retry" };
  }
  return readReply(response, t0);
}

// The oldest items of one interview: at most BATCH, and about MAX_BATCH_CHARS.
function nextBatch(items) {
  const batch = [];
  let size = 0;
  for (const item of items) {
    if (item.sync_url !== items[0].sync_url) continue;
    const itemSize = item.ciphertext.length + (item.epk || item.wrapped_key || "").length + 200;
    if (batch.length && (batch.length >= BATCH || size + itemSize > MAX_BATCH_CHARS)) break;
    batch.push(item);
    size += itemSize;
  }
  return batch;
}

function scheduleRetry() {
  clearTimeout(state.timer);
  state.backoff = Math.min(MAX_BACKOFF_MS, state.backoff ? state.backoff * 2 : 1000);
  const wait = state.backoff / 2 + Math.random() * state.backoff / 2;
  state.timer = setTimeout(flush, wait);
}

// The answer on this page was not stored ("late" or "gone"): its save status says so.
function noteRefused(ids, kind) {
  if (state.lastItem && ids.includes(state.lastItem)) {
    state.waiting = false;
    state.refusedHere = kind;
  }
}

// The interview is gone: every answer of it leaves the tablet, also those not in this batch.
async function dropInterview(items, syncUrl, acked) {
  state.problem = null;
  state.backoff = 0;
  noteRefused(acked, "gone");
  state.notices.gone = true;
  await removeItems(items.filter((item) => item.sync_url === syncUrl).map((item) => item.id));
  return "more";
}

async function settle(result) {
  state.problem = null;
  state.backoff = 0;
  if (result.late.length) {
    state.notices.late = (state.notices.late || 0) + result.late.length;
    noteRefused(result.late, "late");
  }
  if (state.lastItem && result.newer.includes(state.lastItem)) {
    state.waiting = false;
    state.newer = result.stored[state.lastItem] || "";
  }
  // Only an acknowledged answer may make the status say "Opgeslagen" (banner.js).
  if (state.lastItem && result.acked.includes(state.lastItem)) state.acked = state.lastItem;
  await removeItems(result.acked);
  document.dispatchEvent(new CustomEvent("peerinterview:acked", { detail: { ids: result.acked } }));
  return result.acked.length ? "more" : "rejected";
}

// One batch: "empty", "more" (send the next), or why it stopped ("retry", "login", "rejected").
async function flushOnce() {
  const items = await allItems();
  state.count = items.length;
  if (!items.length) return "empty";
  const result = await sendBatch(nextBatch(items));
  if (result.kind === "gone") return dropInterview(items, items[0].sync_url, result.acked);
  if (result.kind !== "ok") return result.kind;
  return settle(result);
}

async function flushAll() {
  for (;;) {
    const outcome = await flushOnce();
    if (outcome === "more") continue;
    if (!state.again) return outcome;
    state.again = false;
  }
}

// Send everything that waits. One flush at a time: a call during a flush makes it go once more.
export function flush() {
  if (state.flushing) { state.again = true; return state.flushing; }
  clearTimeout(state.timer);
  state.flushing = (async () => {
    let outcome;
    try { outcome = await flushAll(); } catch (e) { outcome = "retry"; }
    state.flushing = null;
    if (outcome === "retry") scheduleRetry();
    else if (outcome === "login" || outcome === "rejected") {
      // Kept, and tried again now and then (the login may come back in another tab), with a
      // fresh CSRF token when the server refused the page's own.
      state.problem = outcome;
      if (outcome === "login") refreshToken();
      scheduleRetry();
    }
    await refresh();
    // The queue has been sent as far as it goes: the page may now fetch its next page ahead.
    document.dispatchEvent(new CustomEvent("peerinterview:flushed", { detail: { outcome } }));
    return outcome;
  })();
  return state.flushing;
}
