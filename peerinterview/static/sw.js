// PeerInterview service worker: the interview goes on without internet
// (docs/architecture.md#the-service-worker).
// Served from /sw.js (see interview/sync.py) so that its scope covers /interviews/.
//
// - Static assets: served from the cache at once and refreshed in the background.
// - Interview pages (every question page and the overview): network first; without network
//   (or when the server answers 5xx while it restarts) the copy from the cache.
// - POST requests are never touched and never cached: answers travel only through the page.
//
// Answers never rest in the Cache Storage, which is not encrypted. The pages it keeps are blank
// copies that the server renders when asked with the request header
// X-PeerInterview-Offline-Copy: 1 (interview/routes.py: _blank_question, _blank_overview): no
// answer filled in, no save status, every question listed (offline, the tablet cannot apply
// skip logic), and a data-offline-copy marker, so the offline code knows that the page does not show
// the real answers and never posts its empty form over them. The server says so in the reply's
// header X-PeerInterview-Offline-Copy: blank, and only a reply with that header is ever stored:
// a page viewed online, which may show answers, is not.
"use strict";

const STATIC_CACHE = "pi-static-v1";
const PAGES_PREFIX = "pi-pages-";
const OFFLINE_URL = "/offline";
const PAGE_TIMEOUT_MS = 6000;
const PAGE_PATH = /^\/interviews\/([0-9a-fA-F-]{36})\/(questions\/\d+|overview)$/;
const OFFLINE_COPY_HEADER = "X-PeerInterview-Offline-Copy";
const PRECACHE_PARALLEL = 4;  // gentle on shaky wifi: a long questionnaire has 70+ pages

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    try {
      const cache = await caches.open(STATIC_CACHE);
      await cache.add(new Request(OFFLINE_URL, { cache: "no-store" }));
    } catch (error) { /* cached again on the next start */ }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

const isBlankCopy = (response) =>
  response.ok && !response.redirected && response.type === "basic"
  && response.headers.get(OFFLINE_COPY_HEADER) === "blank"
  && (response.headers.get("Content-Type") || "").startsWith("text/html");

// Ask the server for the blank copy of one page and keep it; true if it was kept.
async function storeBlankCopy(interviewId, url) {
  // The request header also asks for a question that skip logic hides right now.
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "follow",
                                      headers: { [OFFLINE_COPY_HEADER]: "1" } });
  if (!isBlankCopy(response)) return false;
  const cache = await caches.open(PAGES_PREFIX + interviewId);
  await cache.put(url, response);
  return true;
}

async function cacheInterview(message, client) {
  const urls = (message.urls || []).slice();
  let done = 0;
  const worker = async () => {
    for (let url = urls.shift(); url; url = urls.shift()) {
      try {
        if (await storeBlankCopy(message.interviewId, url)) done += 1;
      } catch (error) { /* tried again when a page of the interview opens the next time */ }
    }
  };
  await Promise.all(Array.from({ length: PRECACHE_PARALLEL }, worker));
  if (client) client.postMessage({ type: "interview-cached", interviewId: message.interviewId, pages: done });
}

async function cacheAssets(urls) {
  const cache = await caches.open(STATIC_CACHE);
  await Promise.all((urls || []).map(async (url) => {
    try {
      if (!(await cache.match(url))) await cache.add(url);
    } catch (error) { /* tried again on the next page */ }
  }));
}

async function forget(prefix) {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(prefix)).map((name) => caches.delete(name)));
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "cache-interview") event.waitUntil(cacheInterview(message, event.source));
  else if (message.type === "cache-assets") event.waitUntil(cacheAssets(message.urls));
  else if (message.type === "forget-interview") event.waitUntil(caches.delete(PAGES_PREFIX + message.interviewId));
  else if (message.type === "forget-all") event.waitUntil(forget(PAGES_PREFIX));
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
                 (error) => { clearTimeout(timer); reject(error); });
  });
}

async function offlinePage() {
  const hit = await caches.match(OFFLINE_URL, { ignoreVary: true });
  return hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

// A page of an interview this tablet keeps, viewed online, whose blank copy is missing (the
// network dropped while the interview's pages were first fetched): fetch that copy now. The
// page just viewed is never stored itself, as it may show answers.
async function fillMissingCopy(interviewId, key) {
  try {
    if (!(await caches.has(PAGES_PREFIX + interviewId))) return;
    if (await caches.match(key, { cacheName: PAGES_PREFIX + interviewId, ignoreVary: true, ignoreSearch: true })) return;
    await storeBlankCopy(interviewId, key);
  } catch (error) { /* tried again when the page is viewed the next time */ }
}

async function page(request, interviewId) {
  const url = new URL(request.url);
  const key = url.origin + url.pathname;
  // caches.match with cacheName, not caches.open: opening would make an empty cache, and so
  // mark as kept an interview the tablet does not keep.
  const fromCache = async () =>
    (await caches.match(key, { cacheName: PAGES_PREFIX + interviewId, ignoreVary: true, ignoreSearch: true }))
    || offlinePage();
  let response;
  try {
    response = await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
  } catch (error) {
    return fromCache();
  }
  return response.status >= 500 ? fromCache() : response;
}

async function asset(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  const fresh = fetch(request).then((response) => {
    if (response.ok && response.type === "basic") cache.put(request, response.clone());
    return response;
  });
  if (hit) { fresh.catch(() => {}); return hit; }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) { event.respondWith(asset(request)); return; }
  const match = url.pathname.match(PAGE_PATH);
  if (match) {
    const reply = page(request, match[1]);
    event.respondWith(reply);
    // A page that opened (not one sent on elsewhere): its blank copy is there, or is fetched now.
    event.waitUntil(reply.then((response) => {
      if (response.ok && !response.redirected) return fillMissingCopy(match[1], url.origin + url.pathname);
      return undefined;
    }, () => undefined));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});
