// PeerInterview service worker: the interview goes on without internet
// (docs/architecture.md#the-service-worker).
// Served from /sw.js (see interview/sync.py) so that its scope covers /interviews/.
//
// - Static assets: served from the cache at once and refreshed in the background.
// - Interview pages (every question page and the overview): network first; without network
//   (or when the server answers 5xx while it restarts) the copy from the cache.
// - POST requests are never touched and never cached: answers travel only through the page.
//
// Answers never rest in the Cache Storage. A page the server renders may show the current
// answer (a checked radio, typed text in a textarea, the overview list). Before any page goes
// into the cache it is made blank: checked/selected attributes, textarea contents, typed input
// values, the "Opgeslagen" status and the answers of the overview (<dd data-answer>) are
// removed. The pages are first fetched when the interview starts, before there are answers,
// and every later copy is made blank in the same way. A blank copy gets a marker
// (data-offline-copy), so offline.js knows that the page does not show the real answers and
// never posts its empty form over them.
"use strict";

var STATIC_CACHE = "pi-static-v1";
var PAGES_PREFIX = "pi-pages-";
var OFFLINE_URL = "/offline";
var PAGE_TIMEOUT_MS = 6000;
var PAGE_PATH = /^\/interviews\/([0-9a-fA-F-]{36})\/(questions\/\d+|overview)$/;
var KEPT_HEADERS = ["content-security-policy", "x-frame-options", "referrer-policy", "x-content-type-options"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.add(new Request(OFFLINE_URL, { cache: "no-store" })); })
      .catch(function () { /* cached again on the next start */ })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function blank(html) {
  return html
    .replace(/(<textarea\b[^>]*>)[\s\S]*?(<\/textarea>)/gi, "$1$2")
    .replace(/(<input\b[^>]*?)\s+checked(?:="[^"]*")?(?=[\s\/>])/gi, "$1")
    .replace(/(<option\b[^>]*?)\s+selected(?:="[^"]*")?(?=[\s\/>])/gi, "$1")
    .replace(/(<input\b(?![^>]*\btype="(?:hidden|radio|checkbox|submit)")[^>]*?)\s+value="[^"]*"/gi, "$1")
    .replace(/(<dd\b[^>]*\bdata-answer\b[^>]*>)[\s\S]*?(<\/dd>)/gi, "$1$2")
    .replace(/<span class="save-ok">[\s\S]*?<\/span>/gi, "")
    .replace(/(<body\b[^>]*>)/i, "$1<div hidden data-offline-copy></div>");
}

function blankCopy(response) {
  return response.text().then(function (html) {
    var headers = new Headers({ "Content-Type": "text/html; charset=utf-8" });
    KEPT_HEADERS.forEach(function (name) {
      var value = response.headers.get(name);
      if (value) headers.set(name, value);
    });
    return new Response(blank(html), { status: 200, headers: headers });
  });
}

function cacheable(response) {
  var type = response.headers.get("Content-Type") || "";
  return response.ok && !response.redirected && response.type === "basic" && type.indexOf("text/html") === 0;
}

function storePage(interviewId, url, response) {
  if (!cacheable(response)) return Promise.resolve(false);
  return Promise.all([caches.open(PAGES_PREFIX + interviewId), blankCopy(response)])
    .then(function (both) { return both[0].put(url, both[1]); })
    .then(function () { return true; });
}

var PRECACHE_PARALLEL = 4;  // gentle on shaky wifi: a long questionnaire has 70+ pages

function cacheInterview(message, client) {
  var urls = (message.urls || []).slice();
  var done = 0;
  function one(url) {
    // The header asks for every question, also one that skip logic hides right now.
    return fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "follow",
                        headers: { "X-PeerInterview-Offline-Copy": "1" } })
      .then(function (response) { return storePage(message.interviewId, url, response); })
      .then(function (stored) { if (stored) done += 1; })
      .catch(function () { /* tried again when a page of the interview opens the next time */ });
  }
  function worker() {
    var url = urls.shift();
    return url ? one(url).then(worker) : Promise.resolve();
  }
  var workers = [];
  for (var i = 0; i < PRECACHE_PARALLEL; i++) workers.push(worker());
  return Promise.all(workers).then(function () {
    if (client) client.postMessage({ type: "interview-cached", interviewId: message.interviewId, pages: done });
  });
}

function cacheAssets(urls) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return Promise.all((urls || []).map(function (url) {
      return cache.match(url).then(function (hit) { return hit || cache.add(url); }).catch(function () {});
    }));
  });
}

function forget(prefix) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(prefix) === 0; })
      .map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type === "cache-interview") event.waitUntil(cacheInterview(message, event.source));
  else if (message.type === "cache-assets") event.waitUntil(cacheAssets(message.urls));
  else if (message.type === "forget-interview") event.waitUntil(caches.delete(PAGES_PREFIX + message.interviewId));
  else if (message.type === "forget-all") event.waitUntil(forget(PAGES_PREFIX));
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (v) { clearTimeout(timer); resolve(v); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

function offlinePage() {
  return caches.match(OFFLINE_URL, { ignoreVary: true }).then(function (hit) {
    return hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  });
}

function page(request, interviewId) {
  var url = new URL(request.url);
  var key = url.origin + url.pathname;
  function fromCache() {
    return caches.open(PAGES_PREFIX + interviewId)
      .then(function (cache) { return cache.match(key, { ignoreVary: true, ignoreSearch: true }); })
      .then(function (hit) { return hit || offlinePage(); });
  }
  return withTimeout(fetch(request), PAGE_TIMEOUT_MS).then(function (response) {
    if (response.status >= 500) return fromCache();
    if (cacheable(response)) {
      // Keep the copy up to date (made blank first), but only for an interview this tablet keeps.
      var copy = response.clone();
      caches.has(PAGES_PREFIX + interviewId).then(function (kept) {
        if (kept) storePage(interviewId, key, copy);
      });
    }
    return response;
  }, fromCache);
}

function asset(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
      if (hit) { fresh.catch(function () {}); return hit; }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) { event.respondWith(asset(request)); return; }
  var match = url.pathname.match(PAGE_PATH);
  if (match) { event.respondWith(page(request, match[1])); return; }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});
