// Recording an answer: read from the page, encrypted, put in the queue. The htmx autosave posts to
// the server as before until the project's key is there; from then on the queue replaces it.

import { readAnswer } from "./answer.js";
import { refresh, setSaveStatus } from "./banner.js";
import { stamp } from "./clock.js";
import { encrypt, uuid } from "./envelope.js";
import { data, isOfflineCopy, online } from "./page.js";
import { addItem } from "./queue-store.js";
import { state } from "./state.js";
import { flush } from "./sync.js";

// What a page says about the answer on it, taken at the moment of the change: by the time the key
// is ready or the previous answer is stored, htmx may have swapped in another page.
export function snapshot(form) {
  return {
    page: state.page, form, answer: readAnswer(form), interviewId: data("interview-id"),
    questionId: Number(data("question-id")), number: Number(data("number")), syncUrl: data("sync-url"),
    keyReady: state.keyReady,
  };
}

async function enqueue(key, snap, samePage) {
  const changedAt = stamp();
  const envelope = await encrypt(key, snap.interviewId, snap.questionId, changedAt, snap.answer);
  envelope.id = uuid();
  if (samePage) { state.lastItem = envelope.id; state.newer = null; state.refusedHere = null; }
  Object.assign(envelope, { interview_id: snap.interviewId, question_id: snap.questionId, number: snap.number,
                            changed_at: changedAt, sync_url: snap.syncUrl });
  await addItem(envelope);
}

// Put one answer in the queue; true when it was added, false when it was the same as before.
async function recordOne(snap, json) {
  const key = await snap.keyReady;
  if (!key) throw new Error("no key");
  const samePage = snap.page === state.page;
  // On the same page an unchanged answer is not sent again; from a page that is gone already, it
  // is (a repeat is harmless: the server keeps the newest change).
  if (samePage && json === state.last) return false;
  const previous = state.last;
  if (samePage) { state.last = json; state.touched = true; }
  try {
    await enqueue(key, snap, samePage);
  } catch (error) {
    if (samePage) state.last = previous;
    throw error;
  }
  state.count = (state.count || 0) + 1;
  if (samePage) state.waiting = true;
  return true;
}

// Recording is serial: when record() resolves, every earlier answer is in IndexedDB too (so
// navigating away right after it loses nothing).
let recording = Promise.resolve(false);
let inFlight = 0;
export function record(snapOrForm) {
  const snap = snapOrForm instanceof HTMLFormElement ? snapshot(snapOrForm) : snapOrForm;
  if (!snap.keyReady || !snap.interviewId || !snap.questionId || snap.answer.invalid) return recording;
  const json = JSON.stringify(snap.answer);
  inFlight += 1;
  recording = recording.catch(() => false).then(() => recordOne(snap, json)).finally(() => { inFlight -= 1; });
  return recording;
}

// An answer is on its way into the queue (encrypting, writing): the queue does not show it yet.
export const recordingNow = () => inFlight > 0;

async function recordAndSend(snap, detail, status) {
  const key = await snap.keyReady;
  if (!key) { detail.issueRequest(true); return; }
  if (await record(snap)) {
    // The answer sits encrypted in the tablet's queue now: say so at once, honestly ("Bewaard op
    // deze tablet"); "Opgeslagen" follows only when the server acknowledged it (refresh()).
    if (snap.page === state.page && state.waiting) setSaveStatus("kept");
    await flush();
    return;
  }
  // Nothing changed after all (typed and undone): the answer on the page is the one the server
  // has, unless it still waits.
  if (status) status.removeAttribute("aria-busy");
  await refresh();
  const a = snap.answer;
  if (snap.page === state.page && !state.queuedHere[snap.questionId] && (a.value || a.text || a.special)) {
    setSaveStatus("saved");
  }
}

// htmx:confirm of the autosave: replaces htmx's POST once the key is there; without a key (never
// fetched, and offline) htmx sends it as before.
export function onAutosave(event) {
  const detail = event.detail || {};
  if (!detail.target || detail.target.id !== "save-status" || !state.keyReady || !data("question-id")) return;
  const form = detail.elt && detail.elt.closest ? detail.elt.closest("form.question-form") : null;
  if (!form || !document.body.contains(form)) return;
  const snap = snapshot(form);
  event.preventDefault();
  // An answer the server would refuse (interview/encoding.py): never queued. Online, htmx sends it
  // so the server's message comes back; offline, the page says it is not saved.
  if (snap.answer.invalid) {
    if (online() && !isOfflineCopy()) detail.issueRequest(true);
    else setSaveStatus("invalid");
    return;
  }
  // "Opgeslagen" belonged to the answer before this change: it comes back when the server
  // confirms the new one.
  setSaveStatus(null);
  const status = document.getElementById("save-status");
  if (status) status.setAttribute("aria-busy", "true");
  recordAndSend(snap, detail, status).catch(() => setSaveStatus("failed"));
}
