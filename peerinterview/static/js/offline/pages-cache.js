// The service worker (sw.js) keeps this interview's pages on the tablet: every question page and
// the overview, as blank copies the server makes (no answers in them), and the static files.

import { data, isOfflineCopy } from "./page.js";

export async function serviceWorker() {
  if (!("serviceWorker" in navigator) || !data("sw-url")) return null;
  try {
    await navigator.serviceWorker.register(data("sw-url"), { scope: "/" });
    return await navigator.serviceWorker.ready;
  } catch (e) {
    return null;
  }
}

function assets() {
  const urls = [];
  document.querySelectorAll('script[src], link[rel="stylesheet"], link[rel="icon"]').forEach((el) => {
    const url = el.getAttribute("src") || el.getAttribute("href");
    if (url && url.startsWith("/static/")) urls.push(url);
  });
  // Those of the interview's pages too, when this page has other bundles (or the recorder is
  // not loaded yet): offline, a question page opens from the cache with them.
  return urls.concat((data("offline-assets") || "").split(" ").filter((url) => url.startsWith("/static/")));
}

const markCached = (interviewId) => document.documentElement.setAttribute("data-interview-cached", interviewId);

export async function keepInterview(registration) {
  const interviewId = data("interview-id");
  if (!registration || !registration.active) return;
  registration.active.postMessage({ type: "cache-assets", urls: [...assets(), data("offline-url")] });
  if (!interviewId || data("interview-status") !== "in_progress" || isOfflineCopy()) return;
  const urls = [];
  for (let n = 1; n <= Number(data("total")); n++) urls.push(data("question-url") + n);
  urls.push(data("overview-url"));
  // Once per interview; again if a page is missing (the network dropped while caching).
  const keys = await (await caches.open(`pi-pages-${interviewId}`)).keys();
  if (keys.length >= urls.length) markCached(interviewId);
  else registration.active.postMessage({ type: "cache-interview", interviewId, urls });
}

function tellWorker(message) {
  if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage(message);
}

export const forgetPages = () => tellWorker({ type: "forget-all" });

export const forgetInterview = (interviewId) => tellWorker({ type: "forget-interview", interviewId });

export function onWorkerMessage(event) {
  if (event.data && event.data.type === "interview-cached") markCached(event.data.interviewId);
}
