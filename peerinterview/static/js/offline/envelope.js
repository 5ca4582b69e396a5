// The envelope: an answer encrypted for the server the moment it is given. A fresh AES-256-GCM key
// per answer, agreed by ECDH P-256 with the project's public key (or wrapped with RSA-OAEP for
// projects made before ECDH); interview/sync.py opens both (docs/decisions.md).

import { learnClock } from "./clock.js";
import { fetchWithTimeout } from "./network.js";
import { data, isOfflineCopy } from "./page.js";
import { keepKey, keptKey } from "./queue-store.js";
import { state } from "./state.js";

const ECDH = { name: "ECDH", namedCurve: "P-256" };
const ECDH_INFO = "peerinterview answer v2";

function b64(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = "";
  for (const byte of bytes) s += String.fromCharCode(byte);
  return btoa(s);
}

function unb64(value) {
  const s = atob(value);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes.buffer;
}

const utf8 = (value) => new TextEncoder().encode(value);

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  let h = "";
  for (let i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + ([3, 5, 7, 9].includes(i) ? "-" : "");
  return h;
}

async function importKey(record) {
  const alg = record.alg || "RSA-OAEP-256";
  const cryptoKey = alg === "ECDH-P256"
    ? await crypto.subtle.importKey("spki", unb64(record.spki), ECDH, false, [])
    : await crypto.subtle.importKey("spki", unb64(record.spki), { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"]);
  return { id: record.key_id, alg, cryptoKey, url: record.url };
}

// The key as the server sends it, kept on the tablet for offline use (it is not secret).
async function keyFromServer(url) {
  const t0 = Date.now();
  const response = await fetchWithTimeout(url, { credentials: "same-origin", redirect: "manual", cache: "no-store" });
  if (!response.ok) throw new Error(`key ${response.status}`);
  const body = await response.json();
  learnClock(body.server_time, t0, Date.now());
  if (body.csrf_token) state.csrf = body.csrf_token;
  const record = { url, key_id: body.key_id, alg: body.alg, spki: body.spki };
  await keepKey(record);
  return record;
}

// The key of the page before (a boosted page keeps this script): no IndexedDB read for it again.
let imported = null;

// The kept key, when it is the one the page names (data-key-id: the key the server has now).
// Then no request: on a slow connection that is a round trip before the page could queue an
// answer, on every page. A page that names no key (the project has none yet) or another one (the
// key was made again) asks the server. An offline copy may be old, and its CSRF token too: it
// asks the server first, as before.
async function currentKeptKey(url) {
  const wanted = data("key-id");
  if (!wanted || isOfflineCopy()) return null;
  if (imported && imported.url === url && imported.id === wanted) return imported;
  try {
    const record = await keptKey(url);
    return record && record.key_id === wanted ? await importKey(record) : null;
  } catch (e) {
    return null;  // then the server's
  }
}

// The server refused the page's CSRF token (the login changed since the page was made, or it was
// kept in the browser's back-forward cache): a fresh one comes with the key. Logged out or
// offline, none comes; the next try finds out again.
export async function refreshToken() {
  const url = data("key-url");
  if (!url || isOfflineCopy()) return;
  try {
    await keyFromServer(url);
  } catch (e) {
    /* the next try */
  }
}

// The project's public key: the kept one the page names, else from the server (and kept); when
// the server cannot be reached, the kept one; null without either.
export async function loadKey() {
  const url = data("key-url");
  if (!url) return null;
  try {
    let key = await currentKeptKey(url);
    if (!key) {
      let record;
      try {
        record = await keyFromServer(url);
      } catch (e) {
        record = await keptKey(url);
      }
      if (!record) return null;
      key = await importKey(record);
    }
    imported = key;
    state.key = key;
    return key;
  } catch (e) {
    return null;
  }
}

// A fresh key pair: ECDH with the project's key, HKDF-SHA256 makes the AES key. Only the fresh
// public key goes with the envelope; its private half is forgotten at once.
async function ecdhSeal(key, iv, aad, plaintext) {
  const fresh = await crypto.subtle.generateKey(ECDH, true, ["deriveBits"]);
  const shared = await crypto.subtle.deriveBits({ name: "ECDH", public: key.cryptoKey }, fresh.privateKey, 256);
  const secret = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  const aesKey = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8(ECDH_INFO) },
    secret, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
  const [ciphertext, epk] = await Promise.all([
    crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad, tagLength: 128 }, aesKey, plaintext),
    crypto.subtle.exportKey("raw", fresh.publicKey),
  ]);
  return { key_id: key.id, iv: b64(iv), ciphertext: b64(ciphertext), epk: b64(epk) };
}

// Projects made before ECDH: a fresh AES key, wrapped with the project's RSA key.
async function rsaSeal(key, iv, aad, plaintext) {
  const aesKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
  const [ciphertext, wrapped] = await Promise.all([
    crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad, tagLength: 128 }, aesKey, plaintext),
    crypto.subtle.exportKey("raw", aesKey).then((raw) => crypto.subtle.encrypt({ name: "RSA-OAEP" }, key.cryptoKey, raw)),
  ]);
  return { key_id: key.id, iv: b64(iv), ciphertext: b64(ciphertext), wrapped_key: b64(wrapped) };
}

// One encrypted piece of a recording (spoken.js): the same envelope around raw audio bytes, bound
// by its additional data to its interview, question, recording and place (interview/spoken.py).
export function sealBytes(key, aadText, bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const aad = utf8(aadText);
  return key.alg === "ECDH-P256" ? ecdhSeal(key, iv, aad, bytes) : rsaSeal(key, iv, aad, bytes);
}

// The envelope of one answer. The additional data binds it to its interview, question and time:
// the server refuses an envelope moved to another question.
export function encrypt(key, interviewId, questionId, changedAt, answer) {
  const aad = utf8(`${interviewId}|${questionId}|${changedAt}`);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = utf8(JSON.stringify(answer));
  return key.alg === "ECDH-P256" ? ecdhSeal(key, iv, aad, plaintext) : rsaSeal(key, iv, aad, plaintext);
}
