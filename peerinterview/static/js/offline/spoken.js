// A spoken answer (templates/interview/_spoken.html, interview/spoken.py): the interviewer taps
// "Opnemen", the person talks, "Stoppen" ends it (or the time limit does). The audio is cut into
// chunks and each is encrypted with the project's key (envelope.js) before anything is kept: the
// tablet's queue holds only ciphertext. The clear audio lives in memory for playing it back on
// this page and is gone with it. Chunks are sent when online, one by one; the server stores a
// chunk sent twice once, and the newest complete recording of a question is the answer. A
// recording the server refuses for good leaves the tablet at once and the banner says why.

import { refresh } from "./banner.js";
import { sealBytes, uuid } from "./envelope.js";
import { csrfToken, fetchWithTimeout } from "./network.js";
import { data, online } from "./page.js";
import { allChunks, keepRecording, removeChunk, removeRecording } from "./queue-store.js";
import { state } from "./state.js";

const AUDIO_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
const AUDIO_TYPE = /^audio\/(webm|ogg|mp4)(;\s?codecs=[a-z0-9.]{1,20})?$/;

let spokenRun = null;      // the running recording: {recorder, stream, started, timer, parts, page}
let spokenSending = null;  // the running upload (a promise), null when none runs
let shownRecording = null; // the id of the recording this page plays back

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

const clockText = (ms) => {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
};

function audioType() {
  if (!window.MediaRecorder) return null;
  return AUDIO_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || "";
}

async function startRecording() {
  const box = spokenBox();
  const type = audioType();
  if (type === null || !navigator.mediaDevices) { spokenSay(spokenText("no-microphone")); return; }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (e) {
    spokenSay(spokenText("no-microphone"));
    return;
  }
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  const maxMs = Number(box.getAttribute("data-max-ms"));
  spokenRun = { recorder, stream, started: Date.now(), parts: [], page: state.page };
  recorder.addEventListener("dataavailable", (event) => { if (event.data.size) spokenRun.parts.push(event.data); });
  recorder.addEventListener("stop", () => finishRecording(spokenRun, type));
  recorder.start();
  spokenRun.timer = setInterval(() => {
    const ms = Date.now() - spokenRun.started;
    spokenSay(spokenText("recording").replace("{t}", clockText(ms)));
    if (ms >= maxMs) stopRecording();
  }, 500);
  spokenSay(spokenText("recording").replace("{t}", clockText(0)));
  spokenShow("start", false);
  spokenShow("again", false);
  spokenShow("stop", true).focus();
}

function stopRecording() {
  if (!spokenRun || spokenRun.recorder.state === "inactive") return;
  clearInterval(spokenRun.timer);
  spokenRun.durationMs = Math.min(Date.now() - spokenRun.started, Number(spokenBox().getAttribute("data-max-ms")));
  spokenRun.recorder.stop();
  spokenRun.stream.getTracks().forEach((track) => track.stop());
  spokenShow("stop", false);
}

async function finishRecording(run, type) {
  spokenRun = null;
  if (run.page !== state.page || !spokenBox()) return;  // the page changed meanwhile
  const mime = ((run.recorder.mimeType || type || "audio/webm").toLowerCase()).replace(/\s+/g, "");
  const blob = new Blob(run.parts, { type: mime });
  spokenShow("again", true).focus();
  if (blob.size > Number(spokenBox().getAttribute("data-max-bytes"))) { spokenSay(spokenText("too-long")); return; }
  spokenShow("audio", true);
  const audio = document.getElementById("spoken-audio");
  if (audio.src) URL.revokeObjectURL(audio.src);
  audio.src = URL.createObjectURL(blob);
  await queueRecording(new Uint8Array(await blob.arrayBuffer()), run.durationMs || 1,
                       AUDIO_TYPE.test(mime) ? mime : "audio/webm");
}

// Encrypt every chunk, then keep them all in one go.
async function queueRecording(bytes, durationMs, mime) {
  const key = await state.keyReady;
  if (!key) { spokenSay(spokenText("no-microphone")); return; }
  const box = spokenBox();
  const chunkBytes = Number(box.getAttribute("data-chunk-bytes"));
  const interviewId = data("interview-id");
  const questionId = Number(data("question-id"));
  const recordingId = uuid();
  const total = Math.max(1, Math.ceil(bytes.length / chunkBytes));
  const chunks = [];
  for (let index = 0; index < total; index++) {
    const aad = `recording|${interviewId}|${questionId}|${recordingId}|${index}|${total}|${durationMs}|${mime}`;
    const sealed = await sealBytes(key, aad, bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes));
    chunks.push({ key: `${recordingId}/${index}`, interview_id: interviewId, question_id: questionId,
                  recording_id: recordingId, index, total, duration_ms: durationMs, mime,
                  upload_url: box.getAttribute("data-upload-url"), ...sealed });
  }
  await keepRecording(chunks);
  shownRecording = recordingId;
  spokenSay(spokenText("queued"));
  refresh();
  sendRecordings();
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

// On every page: wire the buttons of a spoken question, say whether a recording waits here, send.
export async function initSpoken() {
  const box = spokenBox();
  if (box && window.MediaRecorder && navigator.mediaDevices) {
    box.hidden = false;
    box.querySelector("[data-spoken-start]").addEventListener("click", startRecording);
    box.querySelector("[data-spoken-again]").addEventListener("click", startRecording);
    box.querySelector("[data-spoken-stop]").addEventListener("click", stopRecording);
    const questionId = Number(data("question-id"));
    if ((await allChunks()).some((chunk) => chunk.question_id === questionId && chunk.interview_id === data("interview-id"))) {
      spokenSay(spokenText("waiting"));
    }
  }
  if (online()) sendRecordings();
}
