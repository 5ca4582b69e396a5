// What the screen says: the save status under a question, the banner "Nog niet verstuurd: N",
// and the notes on the overview and the interviewer's list. Every text is set as text, never as
// markup (a stored answer shown here was typed by someone).

import { fetchWithTimeout } from "./network.js";
import { box, data, isOfflineCopy, online, text } from "./page.js";
import { allChunks, allItems } from "./queue-store.js";
import { state } from "./state.js";

const SAVE_CLASSES = { saved: "save-ok", queued: "save-queued", kept: "save-queued" };

// The status under a question: "saved", "kept" (in the queue, being sent), "queued", "newer" (with the answer that stays), "failed",
// "invalid", "gone", "late-here", or null for none.
export function setSaveStatus(kind, stored) {
  const status = document.getElementById("save-status");
  if (!status) return;
  status.removeAttribute("aria-busy");
  status.classList.remove("save-failed");
  status.textContent = "";
  if (!kind) return;
  if ((kind === "saved" || kind === "kept" || kind === "queued") && window.peerInterviewAnswerSaved) window.peerInterviewAnswerSaved();
  const span = document.createElement("span");
  span.className = SAVE_CLASSES[kind] || "save-failed";
  span.textContent = text(kind);
  status.appendChild(span);
  if (kind === "newer") {
    span.className += " save-newer";
    const words = document.createElement("p");
    const label = document.createElement("span");
    label.className = "help-label";
    label.textContent = `${text("newer-stored")}:`;
    words.append(label, ` ${stored || ""}`);
    span.appendChild(words);
  }
}

function paragraph(content, className) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = content;
  return p;
}

function bannerParts() {
  const parts = [];
  if (!state.count) state.message = null;
  if (state.message) parts.push([state.message, "notice notice-error offline-message"]);
  if (state.notices.gone) parts.push([text("gone"), "offline-refused"]);
  if (state.notices.late) parts.push([text("late").replace("{n}", String(state.notices.late)), "offline-refused"]);
  if (state.notices.recordingRefused) parts.push([text(`recording-refused-${state.notices.recordingRefused}`), "offline-refused"]);
  if (state.count) {
    parts.push([text("unsent").replace("{n}", String(state.count)), "offline-count"]);
    const help = { login: "login", rejected: "rejected" }[state.problem] || "unsent-help";
    parts.push([text(help), ""]);
  }
  if (state.recordings) parts.push([text("recordings").replace("{n}", String(state.recordings)), "offline-count"]);
  if (isOfflineCopy()) parts.push([text("offline-copy"), ""]);
  else if (!online()) parts.push([text("offline"), ""]);
  return parts;
}

// Drawn again only when it says something else (a screen reader would read it again).
let shownBanner = "";
export function renderBanner() {
  const el = box();
  if (!el) return;
  const parts = bannerParts();
  const key = JSON.stringify(parts);
  if (key === shownBanner) return;
  shownBanner = key;
  el.textContent = "";
  if (!parts.length) { el.classList.remove("offline-active"); return; }
  el.classList.add("offline-active");
  const notice = document.createElement("div");
  notice.className = "notice notice-warning";
  for (const [content, className] of parts) notice.appendChild(paragraph(content, className));
  el.appendChild(notice);
}

// The overview: "Nog niet verstuurd" at every answer that waits.
function markOverview(items) {
  const interviewId = data("interview-id");
  const base = data("question-url");
  if (!base || document.getElementById("save-status")) return;
  document.querySelectorAll(".queued-note").forEach((n) => n.remove());
  for (const item of items) {
    if (item.interview_id !== interviewId || !item.number) continue;
    const href = base + item.number;
    const link = document.querySelector(`dl a[href="${href}"], dl a[href="${href}?overview=1"]`);
    const row = link && link.closest("div");
    if (!row || row.querySelector(".queued-note")) continue;
    const cell = row.querySelector("dd[data-answer]");
    const note = document.createElement(cell ? "span" : "dd");
    note.className = "queued-note";
    note.textContent = text("queued");
    if (cell) cell.appendChild(note);
    else row.insertBefore(note, link.closest("dd"));
  }
}

// The interviewer's list: "Nog niet verstuurd: N" next to an interview whose answers wait.
function markList(items) {
  if (data("interview-id")) return;
  document.querySelectorAll(".queued-count").forEach((n) => n.remove());
  const counts = {};
  for (const item of items) counts[item.interview_id] = (counts[item.interview_id] || 0) + 1;
  for (const [interviewId, count] of Object.entries(counts)) {
    const link = document.querySelector(`tr a[href^="/interviews/${interviewId}/"]`);
    const cell = link && link.closest("td");
    if (!cell) continue;
    const note = document.createElement("span");
    note.className = "queued-note queued-count";
    note.textContent = text("unsent").replace("{n}", String(count));
    cell.append(" ", note);
  }
}

// The save status of this page's question, from the queue and what the server last said.
function showQuestionStatus(questionId) {
  if (state.queuedHere[questionId]) setSaveStatus("queued");
  else if (state.refusedHere) { setSaveStatus(state.refusedHere === "gone" ? "gone" : "late-here"); state.refusedHere = null; }
  else if (state.newer !== null) { setSaveStatus("newer", state.newer); state.newer = null; }
  // Not just "no longer in the queue": a refresh that read the queue just before the answer went
  // in would say so too. Only the server's acknowledgement counts.
  else if (state.waiting && state.acked === state.lastItem) { state.waiting = false; setSaveStatus("saved"); }
}

// An offline copy while the network is back: ask the server, not the service worker (which would
// answer with the cached copy), and show the real page once it answers.
function pingAndReload() {
  const url = data("key-url");
  if (state.pinged || !url) return;
  state.pinged = true;
  fetchWithTimeout(url, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
    .then((response) => { if (response.ok) window.location.reload(); else state.pinged = false; },
          () => { state.pinged = false; });
}

// Read the queue and bring everything on the screen up to date.
export async function refresh() {
  try {
    const items = await allItems();
    state.count = items.length;
    state.recordings = new Set((await allChunks()).map((chunk) => chunk.recording_id)).size;
    const interviewId = data("interview-id");
    const questionId = Number(data("question-id"));
    state.queuedHere = {};
    for (const item of items) if (item.interview_id === interviewId) state.queuedHere[item.question_id] = true;
    if (questionId) showQuestionStatus(questionId);
    if (state.hadQueued && !state.touched && !items.length && online() && !isOfflineCopy() && !state.notices.gone) {
      // What waited is now on the server: show the page as the server has it (this page was
      // made before, so it shows the older answer or none).
      state.hadQueued = false;
      window.location.reload();
      return;
    }
    if (isOfflineCopy() && !items.length && online() && !state.touched) pingAndReload();
    markOverview(items);
    markList(items);
    renderBanner();
  } catch (e) {
    renderBanner();
  }
}
