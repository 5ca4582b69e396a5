// The recorder of a spoken answer (templates/interview/_spoken.html), its own small bundle: the
// offline code (static/js/offline/spoken.js) loads it only on a page with a spoken question and
// hands it what it may use. The interviewer taps "Opnemen", the person talks, "Stoppen" ends it
// (or the time limit does). The audio is cut into chunks and each is encrypted with the project's
// key before anything is kept: the tablet's queue holds only ciphertext. The clear audio lives in
// memory for playing it back on this page and is gone with it. Sending is the offline code's.
(() => {
  "use strict";

  const AUDIO_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
  const AUDIO_TYPE = /^audio\/(webm|ogg|mp4)(;\s?codecs=[a-z0-9.]{1,20})?$/;

  let offline = null;   // what spoken.js hands over: state, data, sealBytes, uuid, keepRecording, ...
  let spokenRun = null; // the running recording: {recorder, stream, started, timer, parts, page}

  const spokenBox = () => document.getElementById("spoken");

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
    if (type === null || !navigator.mediaDevices) { offline.say(offline.text("no-microphone")); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      offline.say(offline.text("no-microphone"));
      return;
    }
    const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
    const maxMs = Number(box.getAttribute("data-max-ms"));
    spokenRun = { recorder, stream, started: Date.now(), parts: [], page: offline.state.page };
    recorder.addEventListener("dataavailable", (event) => { if (event.data.size) spokenRun.parts.push(event.data); });
    recorder.addEventListener("stop", () => finishRecording(spokenRun, type));
    recorder.start();
    spokenRun.timer = setInterval(() => {
      const ms = Date.now() - spokenRun.started;
      offline.say(offline.text("recording").replace("{t}", clockText(ms)));
      if (ms >= maxMs) stopRecording();
    }, 500);
    offline.say(offline.text("recording").replace("{t}", clockText(0)));
    offline.show("start", false);
    offline.show("again", false);
    offline.show("stop", true).focus();
  }

  function stopRecording() {
    if (!spokenRun || spokenRun.recorder.state === "inactive") return;
    clearInterval(spokenRun.timer);
    spokenRun.durationMs = Math.min(Date.now() - spokenRun.started, Number(spokenBox().getAttribute("data-max-ms")));
    spokenRun.recorder.stop();
    spokenRun.stream.getTracks().forEach((track) => track.stop());
    offline.show("stop", false);
  }

  async function finishRecording(run, type) {
    spokenRun = null;
    if (run.page !== offline.state.page || !spokenBox()) return;  // the page changed meanwhile
    const mime = ((run.recorder.mimeType || type || "audio/webm").toLowerCase()).replace(/\s+/g, "");
    const blob = new Blob(run.parts, { type: mime });
    offline.show("again", true).focus();
    if (blob.size > Number(spokenBox().getAttribute("data-max-bytes"))) { offline.say(offline.text("too-long")); return; }
    offline.show("audio", true);
    const audio = document.getElementById("spoken-audio");
    if (audio.src) URL.revokeObjectURL(audio.src);
    audio.src = URL.createObjectURL(blob);
    await queueRecording(new Uint8Array(await blob.arrayBuffer()), run.durationMs || 1,
                         AUDIO_TYPE.test(mime) ? mime : "audio/webm");
  }

  // Encrypt every chunk, then keep them all in one go.
  async function queueRecording(bytes, durationMs, mime) {
    const key = await offline.state.keyReady;
    if (!key) { offline.say(offline.text("no-microphone")); return; }
    const box = spokenBox();
    const chunkBytes = Number(box.getAttribute("data-chunk-bytes"));
    const interviewId = offline.data("interview-id");
    const questionId = Number(offline.data("question-id"));
    const recordingId = offline.uuid();
    const total = Math.max(1, Math.ceil(bytes.length / chunkBytes));
    const chunks = [];
    for (let index = 0; index < total; index++) {
      const aad = `recording|${interviewId}|${questionId}|${recordingId}|${index}|${total}|${durationMs}|${mime}`;
      const sealed = await offline.sealBytes(key, aad, bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes));
      chunks.push({ key: `${recordingId}/${index}`, interview_id: interviewId, question_id: questionId,
                    recording_id: recordingId, index, total, duration_ms: durationMs, mime,
                    upload_url: box.getAttribute("data-upload-url"), ...sealed });
    }
    await offline.keepRecording(chunks);
    offline.playing(recordingId);
    offline.say(offline.text("queued"));
    offline.refresh();
    offline.sendRecordings();
  }

  // Wire the buttons of this page's spoken question.
  window.peerInterviewRecorder = (box, parts) => {
    offline = parts;
    box.querySelector("[data-spoken-start]").addEventListener("click", startRecording);
    box.querySelector("[data-spoken-again]").addEventListener("click", startRecording);
    box.querySelector("[data-spoken-stop]").addEventListener("click", stopRecording);
  };
})();
