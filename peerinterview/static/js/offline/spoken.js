// A spoken answer (templates/interview/_spoken.html, interview/spoken.py): the interviewer taps
// "Opnemen", the person talks, "Stoppen" ends it (or the time limit does). The recorder itself
// (static/js/recorder.js, its own small bundle) comes only to a page with a spoken question: it
// cuts the audio into chunks and encrypts each with the project's key (envelope.js) before
// anything is kept, so the tablet's queue holds only ciphertext. The clear audio lives in memory
// for playing it back on this page and is gone with it. Here, on every page: chunks are sent when
// online, one by one; the server stores a chunk sent twice once, and the newest complete
// recording of a question is the answer. A recording the server refuses for good leaves the
// tablet at once and the banner says why.

import { refresh } from "./banner.js";
import { sealBytes, uuid } from "./envelope.js";
import { csrfToken, fetchWithTimeout } from "./network.js";
import { data, online } from "./page.js";
import { allChunks, keepRecording, removeChunk, removeRecording } from "./queue-store.js";
import { state } from "./state.js";

let spokenSending = null;  // the running upload (a promise), null when none runs
let shownRecording = null; // the id of the recording this page plays back
let recorderLoading = null; // the recorder's script, loading or loaded (a promise)

const spokenBox = () => document.getElementById("spoken");
const spokenText = (name) => (spokenBox() && spokenBox().getAttribute(`data-text-${name}`)) || "";

function spokenSay(message) {
  const status = spokenBox() && spokenBox().querySelector("[data-spoken-status]");
  if (status) status.textContent = message;
}

function spokenShow(name, visible) {
  const el = spokenBox() && spokenBox().querySelector(`[data-spoken-${name}]`);
  if (el) el.hidden = !visible;
  return el;
}

const SPOKEN_FIELDS = ["recording_id", "question_id", "index", "total", "duration_ms", "mime", "iv", "ciphertext",
                       "epk", "wrapped_key"];

// One chunk to the server: "sent" when it may leave the tablet (stored, or the interview takes
// nothing any more), "keep" to try again later (no network, a login or CSRF page, a server error),
// or why the server refused the recording for good (its JSON reply says so: spoken.py's _refuse).
async function sendChunk(chunk) {
  const body = Object.fromEntries(SPOKEN_FIELDS.filter((name) => chunk[name] !== undefined)
    .map((name) => [name, chunk[name]]));
  let response;
  try {
    response = await fetchWithTimeout(chunk.upload_url, {
      method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (e) {
    return "keep";
  }
  if (response.status === 200 || response.status === 410) return "sent";
  if (![400, 403, 409, 413].includes(response.status)) return "keep";
  if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) return "keep";
  const reply = await response.json().catch(() => ({}));
  return REFUSALS.includes(reply.refused) ? reply.refused : "keep";
}

const REFUSALS = ["too-large", "no-consent", "not-speakable", "conflict", "malformed"];

// The server will never take this recording: none of its chunks stays on the tablet (later
// chunks are not sent), the page stops playing it, and the banner says what happened.
async function dropRecording(chunk, reason) {
  await removeRecording(chunk.recording_id);
  state.notices.recordingRefused = ["too-large", "no-consent", "not-speakable"].includes(reason) ? reason : "other";
  if (chunk.recording_id === shownRecording && spokenBox()) {
    const audio = document.getElementById("spoken-audio");
    if (audio && audio.src) { audio.pause(); URL.revokeObjectURL(audio.src); audio.removeAttribute("src"); }
    spokenShow("audio", false);
    spokenSay("");
  }
}

async function sendAll() {
  let sentHere = false;
  const refused = new Set();
  for (const chunk of await allChunks()) {
    if (refused.has(chunk.recording_id)) continue;
    if (!online()) break;
    const outcome = await sendChunk(chunk);
    if (outcome === "keep") break;
    if (outcome === "sent") {
      await removeChunk(chunk.key);
      if (chunk.question_id === Number(data("question-id")) && chunk.index === chunk.total - 1) sentHere = true;
    } else {
      refused.add(chunk.recording_id);
      await dropRecording(chunk, outcome);
    }
  }
  if (sentHere && spokenBox()) spokenSay(spokenText("sent"));
  await refresh();
}

// Send every waiting chunk, oldest first; stops at the first that does not get through.
export function sendRecordings() {
  if (!spokenSending) spokenSending = sendAll().catch(() => null).finally(() => { spokenSending = null; });
  return spokenSending;
}

// The recorder's script, once per page load (a later page of the interview has it already).
function loadRecorder(url) {
  if (!recorderLoading) {
    recorderLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.addEventListener("load", resolve);
      script.addEventListener("error", reject);
      document.head.appendChild(script);
    });
    recorderLoading.catch(() => { recorderLoading = null; });  // tried again on the next page
  }
  return recorderLoading;
}

// What the recorder may use of the offline code: it records and queues; sending stays here.
const recorderParts = {
  state, data, sealBytes, uuid, keepRecording, refresh, sendRecordings,
  say: spokenSay, show: spokenShow, text: spokenText,
  playing: (recordingId) => { shownRecording = recordingId; },
};

// On every page: wire the buttons of a spoken question, say whether a recording waits here, send.
export async function initSpoken() {
  const box = spokenBox();
  if (box && window.MediaRecorder && navigator.mediaDevices) {
    const page = state.page;
    await loadRecorder(box.getAttribute("data-recorder-url"));
    if (page !== state.page || spokenBox() !== box) return;  // the page changed meanwhile
    window.peerInterviewRecorder(box, recorderParts);
    box.hidden = false;
    const questionId = Number(data("question-id"));
    if ((await allChunks()).some((chunk) => chunk.question_id === questionId && chunk.interview_id === data("interview-id"))) {
      spokenSay(spokenText("waiting"));
    }
  }
  if (online()) sendRecordings();
}
