// "Volgende" without waiting for the network. Once the answer on a question page is on the server
// (or the page opened with nothing waiting), the page "Volgende" leads to is fetched ahead. The
// server still decides: it applies its skip logic to that request (a question the answers so far
// skip redirects to the next one shown), so the guess is the server's own answer of that moment.
// A tap on "Volgende" with that same answer still on the page shows the fetched page at once and
// posts the form behind it, exactly as without this. Where the server's reply leads elsewhere (an
// answer it refuses, or something changed on the server in between), its page replaces the guess;
// whatever was typed on the guess is put in the queue first, so nothing is lost. Until that reply
// arrives, the page shown is not confirmed and its buttons that would post wait (confirming.js).

import { readAnswer } from "./answer.js";
import { holdPage, letGo, tapped } from "./confirming.js";
import { fetchWithTimeout } from "./network.js";
import { data, isOfflineCopy, online, questionForm } from "./page.js";
import { record, recordingNow } from "./recording.js";
import { state } from "./state.js";

let ahead = null;  // {page, answer, arrived: a promise of ready, ready: {url, html} once it arrived}

const pathOf = (url) => new URL(url, window.location.href).pathname;
const isHtml = (response) => (response.headers.get("Content-Type") || "").startsWith("text/html");
const hasAnswer = (a) => !!(a.value || a.text || a.special);
const answerFields = (form) => !!form.querySelector('[name="answer"], [name="number"], [name="text"]');

function nextUrl() {
  const number = Number(data("number"));
  return number < Number(data("total")) ? data("question-url") + (number + 1) : data("overview-url");
}

// The server refused something of this interview (it was finished, withdrawn or erased), or
// sending is stuck: no guessing then.
const refused = () => data("interview-status") !== "in_progress" || Object.keys(state.notices).length > 0 || !!state.problem;

// Only a real interview page, online, with nothing waiting and the answer on it stored; not a
// change made from the overview (that goes back to the overview) and not an empty answer (the
// server may refuse it: a required question). "Stored" means: the answer on the page is the one
// last put in the queue (or the one the page opened with), and the queue is empty. A tap that is
// still on its way into the queue (the key, the encryption) shows on the page before the queue
// has it; a guess then would use the server's skip logic on the answer before it.
function mayGuess(form) {
  if (!form || !state.key || state.count !== 0 || state.waiting || !online() || isOfflineCopy()) return false;
  if (refused() || recordingNow()) return false;
  if (form.hasAttribute("data-practice") || form.querySelector('input[name="overview"][value="1"]')) return false;
  const answer = readAnswer(form);
  if (JSON.stringify(answer) !== state.last) return false;
  return !answerFields(form) || hasAnswer(answer);
}

export function fetchAhead() {
  const form = questionForm();
  if (!data("question-id") || !mayGuess(form)) { ahead = null; return; }
  const answer = JSON.stringify(readAnswer(form));
  if (ahead && ahead.page === state.page && ahead.answer === answer) return;
  const guess = { page: state.page, answer, ready: null };
  ahead = guess;
  guess.arrived = fetchWithTimeout(nextUrl(), { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then(async (response) => {
      if (response.ok && isHtml(response)) guess.ready = { url: response.url, html: await response.text() };
      return guess.ready;
    })
    .catch(() => null);
}

// Put a page in place of this one, as htmx's boosted swap does (the other scripts hear the same
// event and set the page up: focus on the heading, the offline code, the autosave).
function show(html, url, push) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  document.title = doc.title;
  if (doc.documentElement.lang) document.documentElement.lang = doc.documentElement.lang;
  // A copy of the list first: moving a node out of the parsed page changes its live childNodes.
  document.body.replaceChildren(...Array.from(doc.body.childNodes));
  window.history[push ? "pushState" : "replaceState"]({ htmx: true }, "", url);
  window.scrollTo(0, 0);
  window.htmx.process(document.body);
  window.htmx.trigger(document.body, "htmx:afterSettle", { boosted: true, target: document.body, elt: document.body });
}

// The server's reply to the form: it confirms the page shown, or its own page replaces it.
async function confirm(action, body, shown, shownPage) {
  let response;
  try {
    response = await fetchWithTimeout(action, { method: "POST", body, credentials: "same-origin", redirect: "follow" });
  } catch (e) {
    // Offline, a lost reply, a server that is gone: the answer was on the server already and the
    // page shown is the one it gave; from here "Volgende" goes on as without the page ahead.
    if (state.page === shownPage) letGo();
    return;
  }
  // Gone elsewhere in the meantime (a link): that page stays.
  if (state.page !== shownPage) return;
  const elsewhere = !(response.ok && pathOf(response.url) === pathOf(shown));
  if (!elsewhere || !(response.ok || response.status === 422 || response.status === 409) || !isHtml(response)) {
    letGo();
    return;
  }
  let html;
  try {
    html = await response.text();
  } catch (e) {
    if (state.page === shownPage) letGo();
    return;
  }
  if (state.page !== shownPage) return;
  const form = questionForm();
  // Typed on the guess in the meantime: into the queue first, then the server's page.
  if (form) await record(form).catch(() => null);
  if (state.page === shownPage) show(html, response.url, false);
}

function showGuess(form, ready) {
  const body = new FormData(form);
  body.set("action", "next");
  // Not form.action: the buttons are named "action", which hides the form's property.
  const action = new URL(form.getAttribute("action") || "", window.location.href).href;
  show(ready.html, ready.url, true);
  holdPage();
  confirm(action, body, ready.url, state.page);
}

// "Volgende" tapped: true when the page fetched ahead is shown (and the form posted behind it),
// or will be once it arrived (still on its way: sooner than a new post and its redirect would
// be); `otherwise()` posts the form as usual when it does not arrive.
export function useAhead(event, form, otherwise) {
  const guess = ahead;
  if (!guess || guess.page !== state.page || !mayGuess(form)) return false;
  if (JSON.stringify(readAnswer(form)) !== guess.answer) return false;
  event.preventDefault();
  event.stopPropagation();
  ahead = null;
  tapped();
  if (guess.ready) { showGuess(form, guess.ready); return true; }
  // On its way: this page waits for it as the page ahead waits for the server.
  holdPage();
  const page = state.page;
  guess.arrived.then((ready) => {
    if (state.page !== page) return;
    letGo();
    if (ready && mayGuess(form) && JSON.stringify(readAnswer(form)) === guess.answer) showGuess(form, ready);
    else otherwise();
  });
  return true;
}
