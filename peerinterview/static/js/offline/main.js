// No answer is ever lost (docs/architecture.md#offline-and-encryption). Progressive enhancement on
// top of the htmx autosave: an answer given on a question page is encrypted at once for the server
// (envelope.js), put in a queue on the tablet (queue-store.js) and sent (sync.js); "Opgeslagen"
// appears only after the server acknowledged, a banner says "Nog niet verstuurd: N", logging out
// and finishing the interview wait until the queue is empty (banner.js, navigation.js), and offline
// the interview goes on from the pages the service worker keeps (pages-cache.js).
//
// Without IndexedDB or WebCrypto (e.g. plain http on a LAN address) nothing here runs and the htmx
// autosave works as before.

import { fetchAhead } from "./ahead.js";
import { readAnswer } from "./answer.js";
import { refresh, renderBanner } from "./banner.js";
import { letGo, onClick, onKey } from "./confirming.js";
import { loadKey } from "./envelope.js";
import { onResponseError, onSendFailed, onSubmit } from "./navigation.js";
import { data, questionForm } from "./page.js";
import { forgetInterview, keepInterview, onWorkerMessage, serviceWorker } from "./pages-cache.js";
import { allItems } from "./queue-store.js";
import { onAutosave } from "./recording.js";
import { initSpoken, sendRecordings } from "./spoken.js";
import { state } from "./state.js";
import { flush } from "./sync.js";

const supported = () => !!(window.indexedDB && window.crypto && window.crypto.subtle && window.fetch);

function resetPage() {
  Object.assign(state, {
    page: state.page + 1, touched: false, waiting: false, acked: null, message: null, notices: {}, lastItem: null,
    newer: null, refusedHere: null, hadQueued: false, csrf: null, key: null, pinged: false,
  });
  const form = questionForm();
  // The answer as the page shows it when it opens (read now, before anyone taps).
  state.last = form ? JSON.stringify(readAnswer(form)) : null;
}

// After the key (or without one): what waits in the queue for this page, then send it.
async function lookAtQueue(ready) {
  await ready;
  const items = await allItems();
  const questionId = Number(data("question-id"));
  const interviewId = data("interview-id");
  const status = data("interview-status");
  // A question page: its own answer waits. The overview: any answer of the interview waits.
  const overview = !questionId && status === "in_progress";
  const mine = items.filter((i) => i.interview_id === interviewId);
  state.hadQueued = mine.some((i) => overview || i.question_id === questionId);
  // A finished interview with nothing waiting: its pages leave the tablet.
  if (status && status !== "in_progress" && !mine.length) forgetInterview(interviewId);
  await refresh();
  if (state.count) flush();
  else fetchAhead();
}

let swReady = null;

// On every page, also after a boosted swap.
function init() {
  // A new page (or one back from the browser's cache): no wait of an earlier page holds it.
  letGo();
  resetPage();
  const ready = data("key-url") ? loadKey() : Promise.resolve(null);
  state.keyReady = data("key-url") ? ready : null;
  lookAtQueue(ready).catch(() => renderBanner());
  initSpoken().catch(() => null);
  if (!swReady) swReady = serviceWorker();
  swReady.then(keepInterview);
}

if (supported()) {
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", (event) => {
    const detail = event.detail || {};
    if (detail.boosted || detail.target === document.body) init();
  });
  document.addEventListener("htmx:confirm", onAutosave);
  document.addEventListener("peerinterview:flushed", fetchAhead);
  document.addEventListener("submit", onSubmit, true);
  window.addEventListener("click", onClick, true);
  window.addEventListener("keydown", onKey, true);
  document.addEventListener("htmx:sendError", onSendFailed);
  document.addEventListener("htmx:responseError", onResponseError);
  document.addEventListener("htmx:timeout", onSendFailed);
  if (navigator.serviceWorker) navigator.serviceWorker.addEventListener("message", onWorkerMessage);
  window.addEventListener("online", () => { state.backoff = 0; renderBanner(); flush(); sendRecordings(); });
  // No reply will come now: "Volgende" goes on by number (navigation.js).
  window.addEventListener("offline", () => { letGo(); renderBanner(); });
  window.addEventListener("pageshow", (event) => { if (event.persisted) init(); });
}
