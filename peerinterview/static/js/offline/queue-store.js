// The queue on the tablet (IndexedDB): encrypted answers waiting for the server, and the project's
// public key kept for offline use. Nothing kept here can be read on the tablet: the queue holds the
// envelope and non-secret facts (interview, question, number, time); the key is public. Recorded
// answers wait in their own store, as encrypted chunks only (spoken.js).

const DB_NAME = "peerinterview-offline";
const QUEUE = "queue";
const KEYS = "keys";
const SPOKEN = "spoken";

let dbPromise = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 2);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: "seq", autoIncrement: true });
        if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS, { keyPath: "url" });
        if (!db.objectStoreNames.contains(SPOKEN)) db.createObjectStore(SPOKEN, { keyPath: "key" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { dbPromise = null; reject(request.error); };
    });
  }
  return dbPromise;
}

// One transaction on one object store; resolves with what `work` returned once it is complete.
async function transaction(name, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = tx.onabort = () => reject(tx.error);
    result = work(tx.objectStore(name));
  });
}

function eachItem(objectStore, visit) {
  objectStore.openCursor().onsuccess = (event) => {
    const cursor = event.target.result;
    if (!cursor) return;
    visit(cursor);
    cursor.continue();
  };
}

// Every waiting answer, oldest change first (the key counts up).
export const allItems = () => transaction(QUEUE, "readonly", (os) => {
  const out = [];
  eachItem(os, (cursor) => out.push(cursor.value));
  return out;
});

export const addItem = (item) => transaction(QUEUE, "readwrite", (os) => { os.add(item); });

export function removeItems(ids) {
  const wanted = new Set(ids);
  return transaction(QUEUE, "readwrite", (os) => {
    eachItem(os, (cursor) => { if (wanted.has(cursor.value.id)) cursor.delete(); });
  });
}

export const keepKey = (record) => transaction(KEYS, "readwrite", (os) => { os.put(record); });

export async function keptKey(url) {
  const holder = await transaction(KEYS, "readonly", (os) => {
    const found = {};
    os.get(url).onsuccess = (event) => { found.value = event.target.result; };
    return found;
  });
  return holder.value || null;
}

// Every encrypted chunk waiting for the server, by key ("<recording id>/<index>"): not in the
// order they were kept, which does not matter, the server completes a recording when all are in.
export const allChunks = () => transaction(SPOKEN, "readonly", (os) => {
  const out = [];
  eachItem(os, (cursor) => out.push(cursor.value));
  return out;
});

// A whole recording at once (one transaction: never half of it), after the chunks of older
// recordings of the same question that are still waiting: "record again" replaces them.
export const keepRecording = (chunks) => transaction(SPOKEN, "readwrite", (os) => {
  const first = chunks[0];
  eachItem(os, (cursor) => {
    const kept = cursor.value;
    if (kept.interview_id === first.interview_id && kept.question_id === first.question_id
        && kept.recording_id !== first.recording_id) cursor.delete();
  });
  for (const chunk of chunks) os.put(chunk);
});

export const removeChunk = (key) => transaction(SPOKEN, "readwrite", (os) => { os.delete(key); });

// Every chunk of one recording (the server refused it for good).
export const removeRecording = (recordingId) => transaction(SPOKEN, "readwrite", (os) => {
  eachItem(os, (cursor) => { if (cursor.value.recording_id === recordingId) cursor.delete(); });
});
