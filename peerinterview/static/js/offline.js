// No answer is ever lost (docs/architecture.md#offline-and-encryption). Progressive enhancement
// on top of the htmx autosave:
//
// - An answer given on a question page is encrypted at once for the server (a fresh
//   AES-256-GCM key per answer, agreed by ECDH P-256 with the project's public key), put in a queue
//   in IndexedDB, and sent to /interviews/<id>/sync. The queue holds only the envelope and
//   non-secret facts (interview, question, number, time); nothing on the tablet can read it.
//   An item leaves the queue only when the server acknowledged it ({"acked": [ids]}).
// - Items are sent in the order they changed, one batch at a time, with exponential back-off,
//   again on the "online" event and on every page load. A replay (the reply got lost) is
//   harmless: the server stores an upsert where an older change never wins.
// - "Opgeslagen" appears only after the server acknowledged; a banner says "Nog niet
//   verstuurd: N"; logging out and finishing the interview wait until the queue is empty.
// - Some answers the server acknowledges without storing them, and says why (interview/sync.py):
//   a newer change is stored already ("newer": the page shows which answer stays), the change
//   was made after the interview was finished ("late"), or the interview was withdrawn or erased
//   (410 "gone": every answer of it leaves the tablet). Nothing is sent again for ever; the
//   screen tells the interviewer what happened.
// - Offline, "Volgende"/"Vorige" open the next/previous page by number from the service
//   worker's cache (sw.js). Skip logic is decided on the server; offline we cannot ask it,
//   so we go to the next page by number and the page says that a question may be skippable.
//
// All texts come from data attributes on #offline-status (templates/interview/_offline.html).
// Without IndexedDB or WebCrypto (e.g. plain http on a LAN address) nothing here runs and the
// htmx autosave works as before.
(function () {
  "use strict";
  if (!window.indexedDB || !window.crypto || !window.crypto.subtle || !window.fetch || !window.Promise) return;

  var DB_NAME = "peerinterview-offline";
  var QUEUE = "queue";
  var KEYS = "keys";
  var BATCH = 50;
  var MAX_BATCH_CHARS = 400000;
  var TIMEOUT_MS = 10000;
  var MAX_BACKOFF_MS = 60000;
  var CLOCK_KEY = "peerinterview.clock";

  var state = {
    count: null,         // items in the queue (all interviews), null until known
    queuedHere: {},      // question id -> true, for the current interview
    flushing: null,      // the running flush (a promise)
    again: false,
    backoff: 0,
    timer: null,
    problem: null,       // null, "login" or "rejected"
    notices: {},         // what the server did not store, for the banner: {gone: true, late: n}
    lastItem: null,      // the id of the last answer queued from this page
    newer: null,         // the stored answer (in words) that this page's last answer lost to
    refusedHere: null,   // "late" or "gone": this page's last answer was not stored
    key: null,           // {id, cryptoKey, url}
    csrf: null,
    touched: false,      // the answer on this page was changed here
    last: null,          // JSON of the last answer recorded on this page (in memory only)
    hadQueued: false,    // this question had a queued answer when the page opened
    message: null,       // an extra message in the banner (logout / finish blocked)
  };

  // --------------------------------------------------------------------------------------
  // Page facts

  function box() { return document.getElementById("offline-status"); }
  function data(name) { var el = box(); return el ? el.getAttribute("data-" + name) : null; }
  function text(name) { return data("text-" + name) || ""; }
  function isOfflineCopy() { return !!document.querySelector("[data-offline-copy]"); }
  function questionForm() { return document.querySelector("form.question-form"); }
  function csrfToken() {
    // The server's answer with the public key carries the token of the current login; a form of
    // this page (the header's logout form is on every page after logging in) has it too.
    if (state.csrf) return state.csrf;
    var field = document.querySelector('input[name="csrf_token"]');
    return field && field.value ? field.value : "";
  }

  // --------------------------------------------------------------------------------------
  // IndexedDB

  var dbPromise = null;
  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: "seq", autoIncrement: true });
          if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS, { keyPath: "url" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  function store(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
        result = work(tx.objectStore(name));
      });
    });
  }

  function allItems() {
    return store(QUEUE, "readonly", function (os) {
      var out = [];
      os.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (cursor) { out.push(cursor.value); cursor.continue(); }
      };
      return out;
    });
  }

  function addItem(item) { return store(QUEUE, "readwrite", function (os) { os.add(item); }); }

  function removeItems(ids) {
    var wanted = {};
    ids.forEach(function (id) { wanted[id] = true; });
    return store(QUEUE, "readwrite", function (os) {
      os.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) return;
        if (wanted[cursor.value.id]) cursor.delete();
        cursor.continue();
      };
    });
  }

  // --------------------------------------------------------------------------------------
  // Encoding and crypto

  function b64(buffer) {
    var bytes = new Uint8Array(buffer), s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }
  function unb64(value) {
    var s = atob(value), bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes.buffer;
  }
  function utf8(value) { return new TextEncoder().encode(value); }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = "";
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + ([3, 5, 7, 9].indexOf(i) >= 0 ? "-" : "");
    return h;
  }

  // The project's key: ECDH on P-256 (a fresh key pair per answer), or RSA-OAEP for projects
  // made before ECDH (interview/sync.py explains both).
  var ECDH = { name: "ECDH", namedCurve: "P-256" };
  function importKey(record) {
    var alg = record.alg || "RSA-OAEP-256";
    var imported = alg === "ECDH-P256"
      ? crypto.subtle.importKey("spki", unb64(record.spki), ECDH, false, [])
      : crypto.subtle.importKey("spki", unb64(record.spki), { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"]);
    return imported.then(function (cryptoKey) { return { id: record.key_id, alg: alg, cryptoKey: cryptoKey, url: record.url }; });
  }

  // The public key: from the server when online (and kept: it is not secret), else the kept one.
  function loadKey() {
    var url = data("key-url");
    if (!url) return Promise.resolve(null);
    var t0 = Date.now();
    var fromServer = fetchWithTimeout(url, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("key " + response.status);
        return response.json();
      })
      .then(function (body) {
        learnClock(body.server_time, t0, Date.now());
        if (body.csrf_token) state.csrf = body.csrf_token;
        var record = { url: url, key_id: body.key_id, alg: body.alg, spki: body.spki };
        return store(KEYS, "readwrite", function (os) { os.put(record); }).then(function () { return record; });
      });
    var kept = function () { return store(KEYS, "readonly", function (os) {
      var holder = {}; os.get(url).onsuccess = function (e) { holder.value = e.target.result; }; return holder;
    }).then(function (holder) { return holder.value || null; }); };
    return fromServer.catch(kept).then(function (record) {
      if (!record) return null;
      return importKey(record).then(function (key) { state.key = key; return key; });
    }).catch(function () { return null; });
  }

  function encrypt(key, interviewId, questionId, changedAt, answer) {
    var aad = utf8(interviewId + "|" + questionId + "|" + changedAt);
    var iv = crypto.getRandomValues(new Uint8Array(12));
    if (key.alg === "ECDH-P256") {
      // A fresh key pair: ECDH with the project's key, HKDF-SHA256 makes the AES key. Only the
      // fresh public key goes with the envelope; its private half is forgotten at once.
      return crypto.subtle.generateKey(ECDH, true, ["deriveBits"]).then(function (fresh) {
        return crypto.subtle.deriveBits({ name: "ECDH", public: key.cryptoKey }, fresh.privateKey, 256)
          .then(function (shared) { return crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]); })
          .then(function (secret) {
            return crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8("peerinterview answer v2") },
                                           secret, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
          })
          .then(function (aesKey) {
            return Promise.all([
              crypto.subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: aad, tagLength: 128 }, aesKey, utf8(JSON.stringify(answer))),
              crypto.subtle.exportKey("raw", fresh.publicKey),
            ]);
          });
      }).then(function (parts) {
        return { key_id: key.id, iv: b64(iv), ciphertext: b64(parts[0]), epk: b64(parts[1]) };
      });
    }
    return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]).then(function (aesKey) {
      return Promise.all([
        crypto.subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: aad, tagLength: 128 }, aesKey, utf8(JSON.stringify(answer))),
        crypto.subtle.exportKey("raw", aesKey).then(function (raw) {
          return crypto.subtle.encrypt({ name: "RSA-OAEP" }, key.cryptoKey, raw);
        }),
      ]);
    }).then(function (parts) {
      return { key_id: key.id, iv: b64(iv), ciphertext: b64(parts[0]), wrapped_key: b64(parts[1]) };
    });
  }

  // --------------------------------------------------------------------------------------
  // Time: changes are stamped with the tablet's clock, corrected by the server's clock (a
  // cheap tablet's clock may be minutes off, and the plain form posts use the server's time).
  // The stamp never goes backwards, so the order of changes on this tablet is kept.

  function clock() {
    try { return JSON.parse(localStorage.getItem(CLOCK_KEY) || "{}"); } catch (e) { return {}; }
  }
  function learnClock(serverTime, t0, t1) {
    if (typeof serverTime !== "number") return;
    var c = clock();
    var offset = Math.round(serverTime - (t0 + t1) / 2);
    if (typeof c.offset !== "number" || Math.abs(offset - c.offset) > 1500 + (t1 - t0) / 2) {
      c.offset = offset;
      try { localStorage.setItem(CLOCK_KEY, JSON.stringify(c)); } catch (e) { /* private mode */ }
    }
  }
  function stamp() {
    var c = clock();
    var now = Date.now() + (typeof c.offset === "number" ? c.offset : 0);
    var t = Math.max(now, (c.last || 0) + 1);
    c.last = t;
    try { localStorage.setItem(CLOCK_KEY, JSON.stringify(c)); } catch (e) { /* private mode */ }
    return t;
  }

  // --------------------------------------------------------------------------------------
  // Network

  function fetchWithTimeout(url, options) {
    var controller = window.AbortController ? new AbortController() : null;
    if (controller) options.signal = controller.signal;
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { if (controller) controller.abort(); reject(new Error("timeout")); }, TIMEOUT_MS);
      fetch(url, options).then(function (r) { clearTimeout(timer); resolve(r); }, function (e) { clearTimeout(timer); reject(e); });
    });
  }

  // One batch: the oldest items of one interview, in order of change.
  function sendBatch(items) {
    var url = items[0].sync_url;
    var t0 = Date.now();
    var body = JSON.stringify({ items: items.map(function (item) {
      return { id: item.id, question_id: item.question_id, changed_at: item.changed_at, key_id: item.key_id,
               epk: item.epk, wrapped_key: item.wrapped_key, iv: item.iv, ciphertext: item.ciphertext };
    }) });
    return fetchWithTimeout(url, {
      method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: body,
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      // An expired login: a redirect to the login page (or 401). The queue stays.
      if (response.type === "opaqueredirect" || response.status === 401) return { kind: "login" };
      if (response.status >= 500 || response.status === 429 || response.status === 408) return { kind: "retry" };
      if (type.indexOf("application/json") !== 0) {
        // A 400 page from the CSRF check (the login changed): a fresh token may help.
        return { kind: response.status === 400 ? "login" : "rejected" };
      }
      return response.json().then(function (json) {
        // The interview was withdrawn or erased: nothing of it is stored any more, ever.
        if (response.status === 410 && json.gone === true) return { kind: "gone", acked: json.acked || [] };
        if (!response.ok) return { kind: "rejected", error: json.error };
        learnClock(json.server_time, t0, Date.now());
        return { kind: "ok", acked: json.acked || [], newer: json.newer || [], late: json.late || [],
                 stored: json.stored || {} };
      });
    }, function () { return { kind: "retry" }; });
  }

  function scheduleRetry() {
    clearTimeout(state.timer);
    state.backoff = Math.min(MAX_BACKOFF_MS, state.backoff ? state.backoff * 2 : 1000);
    var wait = state.backoff / 2 + Math.random() * state.backoff / 2;
    state.timer = setTimeout(flush, wait);
  }

  function flushOnce() {
    return allItems().then(function (items) {
      state.count = items.length;
      if (!items.length) return "empty";
      var first = items[0];
      // The oldest items of one interview, at most BATCH and about MAX_BATCH_CHARS (the server
      // takes 1 MB a request; one long open answer is some 40 kB as an envelope).
      var batch = [], size = 0;
      items.some(function (item) {
        if (item.sync_url !== first.sync_url) return false;
        var itemSize = item.ciphertext.length + (item.epk || item.wrapped_key || "").length + 200;
        if (batch.length && (batch.length >= BATCH || size + itemSize > MAX_BATCH_CHARS)) return true;
        batch.push(item);
        size += itemSize;
        return false;
      });
      return sendBatch(batch).then(function (result) {
        if (result.kind === "gone") {
          // Every answer of this interview goes, also those not in this batch.
          state.problem = null;
          state.backoff = 0;
          noteRefused(result.acked, "gone");
          state.notices.gone = true;
          var ids = items.filter(function (item) { return item.sync_url === first.sync_url; })
            .map(function (item) { return item.id; });
          return removeItems(ids).then(function () { return "more"; });
        }
        if (result.kind !== "ok") return result.kind;
        state.problem = null;
        state.backoff = 0;
        if (result.late.length) {
          state.notices.late = (state.notices.late || 0) + result.late.length;
          noteRefused(result.late, "late");
        }
        if (state.lastItem && result.newer.indexOf(state.lastItem) >= 0) {
          state.waiting = false;
          state.newer = result.stored[state.lastItem] || "";
        }
        return removeItems(result.acked).then(function () {
          document.dispatchEvent(new CustomEvent("peerinterview:acked", { detail: { ids: result.acked } }));
          return result.acked.length ? "more" : "rejected";
        });
      });
    });
  }

  // The answer on this page was not stored ("late" or "gone"): its save status says so.
  function noteRefused(ids, kind) {
    if (state.lastItem && ids.indexOf(state.lastItem) >= 0) {
      state.waiting = false;
      state.refusedHere = kind;
    }
  }

  function flush() {
    if (state.flushing) { state.again = true; return state.flushing; }
    clearTimeout(state.timer);
    var loop = function () {
      return flushOnce().then(function (outcome) {
        if (outcome === "more") return loop();
        if (state.again) { state.again = false; return loop(); }
        return outcome;
      });
    };
    state.flushing = loop().catch(function () { return "retry"; }).then(function (outcome) {
      state.flushing = null;
      if (outcome === "retry") scheduleRetry();
      else if (outcome === "login" || outcome === "rejected") {
        // Kept, and tried again now and then (the login may come back in another tab).
        state.problem = outcome;
        scheduleRetry();
      }
      return refresh().then(function () { return outcome; });
    });
    return state.flushing;
  }

  // --------------------------------------------------------------------------------------
  // What the screen says

  function setSaveStatus(kind, stored) {
    var status = document.getElementById("save-status");
    if (!status) return;
    status.removeAttribute("aria-busy");
    status.classList.remove("save-failed");
    status.textContent = "";
    if (!kind) return;
    if ((kind === "saved" || kind === "queued") && window.peerInterviewAnswerSaved) window.peerInterviewAnswerSaved();
    var span = document.createElement("span");
    span.className = kind === "saved" ? "save-ok" : kind === "queued" ? "save-queued" : "save-failed";
    span.textContent = text(kind);
    status.appendChild(span);
    if (kind === "newer") {
      // The answer that stays, as text (never markup).
      span.className += " save-newer";
      var words = document.createElement("p");
      var label = document.createElement("span");
      label.className = "help-label";
      label.textContent = text("newer-stored") + ":";
      words.appendChild(label);
      words.appendChild(document.createTextNode(" " + (stored || "")));
      span.appendChild(words);
    }
  }

  function paragraph(content, className) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = content;
    return p;
  }

  var shown = "";
  function renderBanner() {
    var el = box();
    if (!el) return;
    var parts = [];
    if (!state.count) state.message = null;
    if (state.message) parts.push([state.message, "notice notice-error offline-message"]);
    if (state.notices.gone) parts.push([text("gone"), "offline-refused"]);
    if (state.notices.late) parts.push([text("late").replace("{n}", String(state.notices.late)), "offline-refused"]);
    if (state.count) {
      parts.push([text("unsent").replace("{n}", String(state.count)), "offline-count"]);
      parts.push([state.problem === "login" ? text("login") : state.problem === "rejected" ? text("rejected") : text("unsent-help"), ""]);
    }
    if (isOfflineCopy()) parts.push([text("offline-copy"), ""]);
    else if (navigator.onLine === false) parts.push([text("offline"), ""]);
    var key = JSON.stringify(parts);
    if (key === shown) return;
    shown = key;
    el.textContent = "";
    if (!parts.length) { el.classList.remove("offline-active"); return; }
    el.classList.add("offline-active");
    var notice = document.createElement("div");
    notice.className = "notice notice-warning";
    parts.forEach(function (part) { notice.appendChild(paragraph(part[0], part[1])); });
    el.appendChild(notice);
  }

  function markOverview(items) {
    var interviewId = data("interview-id");
    var base = data("question-url");
    if (!base || document.getElementById("save-status")) return;
    document.querySelectorAll(".queued-note").forEach(function (n) { n.remove(); });
    items.forEach(function (item) {
      if (item.interview_id !== interviewId || !item.number) return;
      var href = base + item.number;
      var link = document.querySelector('dl a[href="' + href + '"], dl a[href="' + href + '?overview=1"]');
      var row = link && link.closest("div");
      if (!row || row.querySelector(".queued-note")) return;
      var cell = row.querySelector("dd[data-answer]");
      var note = document.createElement(cell ? "span" : "dd");
      note.className = "queued-note";
      note.textContent = text("queued");
      if (cell) cell.appendChild(note);
      else row.insertBefore(note, link.closest("dd"));
    });
  }

  // The interviewer's list: "Nog niet verstuurd: N" next to an interview whose answers wait.
  function markList(items) {
    if (data("interview-id")) return;
    document.querySelectorAll(".queued-count").forEach(function (n) { n.remove(); });
    var counts = {};
    items.forEach(function (item) { counts[item.interview_id] = (counts[item.interview_id] || 0) + 1; });
    Object.keys(counts).forEach(function (interviewId) {
      var link = document.querySelector('tr a[href^="/interviews/' + interviewId + '/"]');
      var cell = link && link.closest("td");
      if (!cell) return;
      var note = document.createElement("span");
      note.className = "queued-note queued-count";
      note.textContent = text("unsent").replace("{n}", String(counts[interviewId]));
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(note);
    });
  }

  function refresh() {
    return allItems().then(function (items) {
      state.count = items.length;
      var interviewId = data("interview-id");
      var questionId = Number(data("question-id"));
      state.queuedHere = {};
      items.forEach(function (item) { if (item.interview_id === interviewId) state.queuedHere[item.question_id] = true; });
      if (questionId) {
        if (state.queuedHere[questionId]) setSaveStatus("queued");
        else if (state.refusedHere) { setSaveStatus(state.refusedHere === "gone" ? "gone" : "late-here"); state.refusedHere = null; }
        else if (state.newer !== null) { setSaveStatus("newer", state.newer); state.newer = null; }
        else if (state.waiting) { state.waiting = false; setSaveStatus("saved"); }
      }
      if (state.hadQueued && !state.touched && !items.length && navigator.onLine !== false && !isOfflineCopy()
          && !state.notices.gone) {
        // What waited is now on the server: show the page as the server has it (this page
        // was made before, so it shows the older answer or none).
        state.hadQueued = false;
        window.location.reload();
        return;
      }
      if (isOfflineCopy() && !items.length && navigator.onLine !== false && !state.touched) {
        pingAndReload();
      }
      markOverview(items);
      markList(items);
      renderBanner();
    }).catch(function () { renderBanner(); });
  }

  var pinged = false;
  function pingAndReload() {
    if (pinged) return;
    pinged = true;
    // Ask the server, not the service worker (which would answer with the cached copy).
    var url = data("key-url");
    if (!url) return;
    fetchWithTimeout(url, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(function (response) { if (response.ok) window.location.reload(); else pinged = false; },
            function () { pinged = false; });
  }

  // --------------------------------------------------------------------------------------
  // Recording an answer

  // Invisible control characters (pasted from elsewhere) are refused by the server, as in every
  // form (security/input_guard.py): one of them would keep the whole queue from being sent. They
  // are left out here; tab and line breaks stay.
  var CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
  function withoutControl(value) { return String(value || "").replace(CONTROL, ""); }

  // The same reading as answer_from_form() in interview/forms.py (the encoding is described in
  // interview/encoding.py). An answer the server would refuse (a number out of range, boxes
  // ticked and "Weet ik niet" chosen) is marked `invalid`: it is never queued, the server's
  // own check shows the message.
  function readAnswer(form) {
    var fd = new FormData(form);
    var special = null, value = null, typed = null, invalid = false;
    var sp = fd.get("special");
    var chosenSpecial = sp && sp.indexOf("special:") === 0 ? sp.slice(8) : null;
    if (form.querySelector('input[type="checkbox"][name="answer"]')) {
      // Multiple choice: the ticked values in the order of the choices, joined by ",".
      var ticked = fd.getAll("answer").filter(function (v) { return v; });
      value = ticked.length ? ticked.join(",") : null;
      if (value && chosenSpecial) invalid = true;
      else if (!value) special = chosenSpecial;
    } else if (form.querySelector('[name="answer"]')) {
      var chosen = fd.get("answer");
      if (chosen && chosen.indexOf("special:") === 0) special = chosen.slice(8);
      else value = chosen || null;
    } else if (form.querySelector('[name="number"]')) {
      var field = form.querySelector('[name="number"]');
      var raw = String(fd.get("number") || "").replace(/\s+/g, "").replace(/^\+/, "");
      if (field.validity && field.validity.badInput) invalid = true;
      else if (raw) {
        var low = field.getAttribute("min"), high = field.getAttribute("max");
        if (!/^-?\d{1,9}$/.test(raw)) invalid = true;
        else {
          var n = parseInt(raw, 10);
          if ((low !== null && n < Number(low)) || (high !== null && n > Number(high)) || chosenSpecial) invalid = true;
          else value = String(n);
        }
      } else special = chosenSpecial;
    } else if (form.querySelector('[name="text"]')) {
      typed = withoutControl(fd.get("text")).trim() || null;
      if (!typed) special = chosenSpecial;
    }
    var answer = { value: value, text: typed, special: special };
    if (form.querySelector('[name="note"]')) answer.note = withoutControl(fd.get("note")).trim() || null;
    if (invalid) answer.invalid = true;
    return answer;
  }

  // What a page says about the answer on it, taken at the moment of the change: by the time
  // the key is ready or the previous answer is stored, htmx may have swapped in another page.
  function snapshot(form) {
    return {
      page: state.page, form: form, answer: readAnswer(form), interviewId: data("interview-id"),
      questionId: Number(data("question-id")), number: Number(data("number")), syncUrl: data("sync-url"),
      keyReady: state.keyReady,
    };
  }

  // Recording is serial: when record() resolves, every earlier answer is in IndexedDB too
  // (so navigating away right after it loses nothing).
  var recording = Promise.resolve(false);
  function record(snap) {
    if (snap instanceof HTMLFormElement) snap = snapshot(snap);
    if (!snap.keyReady || !snap.interviewId || !snap.questionId || snap.answer.invalid) return recording;
    var json = JSON.stringify(snap.answer);
    var keyReady = snap.keyReady;
    recording = recording.catch(function () { return false; }).then(function () {
      return keyReady;
    }).then(function (key) {
      if (!key) throw new Error("no key");
      var samePage = snap.page === state.page;
      // On the same page an unchanged answer is not sent again; from a page that is gone
      // already, it is (a repeat is harmless: the server keeps the newest change).
      if (samePage && json === state.last) return false;
      var previous = state.last;
      if (samePage) { state.last = json; state.touched = true; }
      var changedAt = stamp();
      return encrypt(key, snap.interviewId, snap.questionId, changedAt, snap.answer).then(function (envelope) {
        envelope.id = uuid();
        if (samePage) { state.lastItem = envelope.id; state.newer = null; state.refusedHere = null; }
        envelope.interview_id = snap.interviewId;
        envelope.question_id = snap.questionId;
        envelope.number = snap.number;
        envelope.changed_at = changedAt;
        envelope.sync_url = snap.syncUrl;
        return addItem(envelope);
      }).then(function () {
        state.count = (state.count || 0) + 1;
        if (samePage) state.waiting = true;
        return true;
      }, function (error) {
        if (samePage) state.last = previous;
        throw error;
      });
    });
    return recording;
  }

  // The autosave: replaces htmx's POST once the key is there; without a key (never fetched,
  // and offline) htmx sends it as before.
  document.addEventListener("htmx:confirm", function (event) {
    var detail = event.detail || {};
    if (!detail.target || detail.target.id !== "save-status" || !state.keyReady || !data("question-id")) return;
    var form = detail.elt && detail.elt.closest ? detail.elt.closest("form.question-form") : null;
    if (!form || !document.body.contains(form)) return;
    var snap = snapshot(form);
    event.preventDefault();
    // An answer the server would refuse (interview/encoding.py): never queued. Online, htmx
    // sends it so the server's message comes back; offline, the page says it is not saved.
    if (snap.answer.invalid) {
      if (navigator.onLine !== false && !isOfflineCopy()) detail.issueRequest(true);
      else setSaveStatus("invalid");
      return;
    }
    // "Opgeslagen" belonged to the answer before this change: it comes back when the server
    // confirms the new one.
    setSaveStatus(null);
    var status = document.getElementById("save-status");
    if (status) status.setAttribute("aria-busy", "true");
    snap.keyReady.then(function (key) {
      if (!key) { detail.issueRequest(true); return null; }
      return record(snap).then(function (added) {
        if (added) return flush();
        // Nothing changed after all (typed and undone): the answer on the page is the one the
        // server has, unless it still waits.
        if (status) status.removeAttribute("aria-busy");
        return refresh().then(function () {
          var a = snap.answer;
          if (snap.page === state.page && !state.queuedHere[snap.questionId] && (a.value || a.text || a.special)) {
            setSaveStatus("saved");
          }
        });
      });
    }).catch(function () { setSaveStatus("failed"); });
  });

  // --------------------------------------------------------------------------------------
  // Going on: Volgende / Vorige, the overview, logging out

  function pageUrl(action) {
    var number = Number(data("number"));
    var total = Number(data("total"));
    var base = data("question-url");
    if (action === "previous") return number > 1 ? base + (number - 1) : null;
    // Opened with "Veranderen" from the overview: back to the overview.
    if (document.querySelector('form.question-form input[name="overview"][value="1"]')) return data("overview-url");
    // Offline fallback: the next page by number. The server applies skip logic; here we
    // cannot, so the page tells the interviewer that a question may be skippable.
    return number < total ? base + (number + 1) : data("overview-url");
  }

  function goOffline(action) {
    var url = pageUrl(action);
    if (url) window.location.assign(url);
  }

  var resubmitting = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var action = form.getAttribute("action") || "";

    if (data("logout-url") && action === data("logout-url")) {
      if (state.count === 0) { forgetPages(); return; }
      event.preventDefault();
      event.stopPropagation();
      if (state.count === null) {
        refresh().then(function () { if (state.count === 0) form.requestSubmit(); });
        return;
      }
      state.message = text("logout-blocked");
      renderBanner();
      flush();
      return;
    }

    // Finishing or stopping the interview waits until every answer reached the server.
    if ((data("overview-url") && action === data("overview-url") || form.hasAttribute("data-wait-for-sync"))
        && !form.classList.contains("question-form")) {
      if (state.count === 0 && !isOfflineCopy()) return;
      event.preventDefault();
      event.stopPropagation();
      flush().then(function () {
        if (state.count === 0 && !isOfflineCopy() && navigator.onLine !== false) { form.requestSubmit(); return; }
        state.message = text("finish-blocked");
        renderBanner();
      });
      return;
    }

    if (!form.classList.contains("question-form") || resubmitting || !state.key) return;
    var submitter = event.submitter;
    var choice = submitter && submitter.value === "previous" ? "previous" : "next";
    // Online with nothing waiting: the normal form post (the server checks and skips).
    if (state.count === 0 && !isOfflineCopy() && navigator.onLine !== false) return;
    event.preventDefault();
    event.stopPropagation();
    record(form).then(function () { return flush(); }).then(function () {
      if (state.count === 0 && !isOfflineCopy() && navigator.onLine !== false && !(state.hadQueued && !state.touched)) {
        resubmitting = true;
        form.requestSubmit(submitter || undefined);
        resubmitting = false;
      } else {
        // Offline, or the page did not show the real answer (so its form must not be posted
        // over the answer on the server): open the next page by number.
        goOffline(choice);
      }
    }, function () { goOffline(choice); });
  }, true);

  // A boosted form post or link that could not reach the server: go on from the cache.
  function onSendFailed(event) {
    var detail = event.detail || {};
    var elt = detail.elt;
    if (!detail.boosted && !(elt && elt.matches && elt.matches("form.question-form, form.question-form *"))) return;
    var form = elt && elt.closest ? elt.closest("form.question-form") : null;
    if (form && state.key) {
      var submitter = detail.requestConfig && detail.requestConfig.triggeringEvent && detail.requestConfig.triggeringEvent.submitter;
      var choice = submitter && submitter.value === "previous" ? "previous" : "next";
      record(form).then(function () { flush(); goOffline(choice); }, function () { goOffline(choice); });
      return;
    }
    var path = detail.pathInfo && detail.pathInfo.requestPath;
    if (detail.requestConfig && detail.requestConfig.verb === "get" && path) window.location.assign(path);
  }
  document.addEventListener("htmx:sendError", onSendFailed);
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status >= 500) onSendFailed(event);
  });
  document.addEventListener("htmx:timeout", onSendFailed);

  // --------------------------------------------------------------------------------------
  // The service worker: keep this interview's pages on the tablet

  function serviceWorker() {
    if (!("serviceWorker" in navigator) || !data("sw-url")) return Promise.resolve(null);
    return navigator.serviceWorker.register(data("sw-url"), { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .catch(function () { return null; });
  }

  function assets() {
    var urls = [];
    document.querySelectorAll('script[src], link[rel="stylesheet"], link[rel="icon"]').forEach(function (el) {
      var url = el.getAttribute("src") || el.getAttribute("href");
      if (url && url.indexOf("/static/") === 0) urls.push(url);
    });
    return urls;
  }

  function keepInterview(registration) {
    var interviewId = data("interview-id");
    if (!registration || !registration.active) return;
    registration.active.postMessage({ type: "cache-assets", urls: assets().concat([data("offline-url")]) });
    if (!interviewId || data("interview-status") !== "in_progress" || isOfflineCopy()) return;
    var urls = [];
    for (var n = 1; n <= Number(data("total")); n++) urls.push(data("question-url") + n);
    urls.push(data("overview-url"));
    // Once per interview; again if a page is missing (the network dropped while caching).
    caches.open("pi-pages-" + interviewId).then(function (cache) { return cache.keys(); }).then(function (keys) {
      if (keys.length >= urls.length) {
        document.documentElement.setAttribute("data-interview-cached", interviewId);
        return;
      }
      registration.active.postMessage({ type: "cache-interview", interviewId: interviewId, urls: urls });
    });
  }

  function forgetPages() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget-all" });
    }
  }

  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "interview-cached") {
        document.documentElement.setAttribute("data-interview-cached", event.data.interviewId);
      }
    });
  }

  // --------------------------------------------------------------------------------------
  // Start, on every page (also after a boosted swap)

  var swReady = null;
  function init() {
    state.page = (state.page || 0) + 1;
    state.touched = false;
    state.waiting = false;
    state.message = null;
    state.notices = {};
    state.lastItem = null;
    state.newer = null;
    state.refusedHere = null;
    state.hadQueued = false;
    state.csrf = null;
    state.key = null;
    pinged = false;
    var form = questionForm();
    // The answer as the page shows it when it opens (read now, before anyone taps).
    state.last = form ? JSON.stringify(readAnswer(form)) : null;
    var ready = data("key-url") ? loadKey() : Promise.resolve(null);
    state.keyReady = data("key-url") ? ready : null;
    ready.then(function () {
      return allItems();
    }).then(function (items) {
      var questionId = Number(data("question-id"));
      var interviewId = data("interview-id");
      // A question page: its own answer waits. The overview: any answer of the interview waits.
      var overview = !questionId && data("interview-status") === "in_progress";
      state.hadQueued = items.some(function (i) {
        return i.interview_id === interviewId && (overview || i.question_id === questionId);
      });
      if (data("interview-status") && data("interview-status") !== "in_progress" && !items.some(function (i) { return i.interview_id === interviewId; })) {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.controller.postMessage({ type: "forget-interview", interviewId: interviewId });
        }
      }
      return refresh();
    }).then(function () { if (state.count) flush(); }).catch(function () { renderBanner(); });
    if (!swReady) swReady = serviceWorker();
    swReady.then(keepInterview);
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    if (detail.boosted || detail.target === document.body) init();
  });
  window.addEventListener("online", function () { state.backoff = 0; renderBanner(); flush(); });
  window.addEventListener("offline", renderBanner);
  window.addEventListener("pageshow", function (event) { if (event.persisted) init(); });
})();
