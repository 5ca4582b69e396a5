// Going on: "Volgende" / "Vorige", the overview, finishing, logging out. Offline, "Volgende" and
// "Vorige" open the next or previous page by number from the service worker's cache. Skip logic is
// decided on the server; offline we cannot ask it, so we go to the next page by number and the
// page says that a question may be skippable.

import { useAhead } from "./ahead.js";
import { renderBanner, refresh } from "./banner.js";
import { data, isOfflineCopy, online, text } from "./page.js";
import { record } from "./recording.js";
import { state } from "./state.js";
import { forgetPages } from "./pages-cache.js";
import { flush } from "./sync.js";

function pageUrl(action) {
  const number = Number(data("number"));
  const total = Number(data("total"));
  const base = data("question-url");
  if (action === "previous") return number > 1 ? base + (number - 1) : null;
  // Opened with "Veranderen" from the overview: back to the overview.
  if (document.querySelector('form.question-form input[name="overview"][value="1"]')) return data("overview-url");
  return number < total ? base + (number + 1) : data("overview-url");
}

function goOffline(action) {
  const url = pageUrl(action);
  if (url) window.location.assign(url);
}

const choiceOf = (submitter) => (submitter && submitter.value === "previous" ? "previous" : "next");

// Nothing waits, and the server can be reached: the page may do what it does without us.
const clearToGo = () => state.count === 0 && !isOfflineCopy() && online();

function stop(event) {
  event.preventDefault();
  event.stopPropagation();
}

// Logging out waits until every answer reached the server (the queue is readable only with a login).
function onLogout(event, form) {
  if (state.count === 0) { forgetPages(); return; }
  stop(event);
  if (state.count === null) {
    refresh().then(() => { if (state.count === 0) form.requestSubmit(); });
    return;
  }
  state.message = text("logout-blocked");
  renderBanner();
  flush();
}

// Finishing or stopping the interview waits until every answer reached the server.
function onFinish(event, form) {
  if (state.count === 0 && !isOfflineCopy()) return;
  stop(event);
  flush().then(() => {
    if (clearToGo()) { form.requestSubmit(); return; }
    state.message = text("finish-blocked");
    renderBanner();
  });
}

let resubmitting = false;

function resubmit(form, submitter) {
  resubmitting = true;
  form.requestSubmit(submitter || undefined);
  resubmitting = false;
}

// "Volgende" / "Vorige" on a question page.
function onQuestionSubmit(event, form) {
  if (resubmitting || !state.key) return;
  const submitter = event.submitter;
  const choice = choiceOf(submitter);
  // The next page, fetched ahead while this answer was stored: shown at once (ahead.js).
  if (choice === "next" && useAhead(event, form, () => resubmit(form, submitter))) return;
  // Online with nothing waiting: the normal form post (the server checks and skips).
  if (clearToGo()) return;
  stop(event);
  record(form).then(() => flush()).then(() => {
    if (clearToGo() && !(state.hadQueued && !state.touched)) {
      resubmit(form, submitter);
    } else {
      // Offline, or the page did not show the real answer (so its form must not be posted over
      // the answer on the server): open the next page by number.
      goOffline(choice);
    }
  }, () => goOffline(choice));
}

export function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const action = form.getAttribute("action") || "";
  const isQuestion = form.classList.contains("question-form");
  if (data("logout-url") && action === data("logout-url")) onLogout(event, form);
  else if (!isQuestion && ((data("overview-url") && action === data("overview-url")) || form.hasAttribute("data-wait-for-sync"))) {
    onFinish(event, form);
  } else if (isQuestion) onQuestionSubmit(event, form);
}

// A boosted form post or link that could not reach the server: go on from the cache.
export function onSendFailed(event) {
  const detail = event.detail || {};
  const elt = detail.elt;
  if (!detail.boosted && !(elt && elt.matches && elt.matches("form.question-form, form.question-form *"))) return;
  const form = elt && elt.closest ? elt.closest("form.question-form") : null;
  if (form && state.key) {
    const trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
    const choice = choiceOf(trigger && trigger.submitter);
    record(form).then(() => { flush(); goOffline(choice); }, () => goOffline(choice));
    return;
  }
  const path = detail.pathInfo && detail.pathInfo.requestPath;
  if (detail.requestConfig && detail.requestConfig.verb === "get" && path) window.location.assign(path);
}

export function onResponseError(event) {
  const xhr = event.detail && event.detail.xhr;
  if (xhr && xhr.status >= 500) onSendFailed(event);
}
