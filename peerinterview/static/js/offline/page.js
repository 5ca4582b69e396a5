// What the page tells the offline code. Every fact and every text comes from data attributes on
// #offline-status (templates/interview/_offline.html), so the texts are translated on the server.

export const box = () => document.getElementById("offline-status");

export function data(name) {
  const el = box();
  return el ? el.getAttribute(`data-${name}`) : null;
}

export const text = (name) => data(`text-${name}`) || "";

// A page from the service worker's cache: it never shows the real answers (the server made it
// blank), so its form must never be posted over them.
export const isOfflineCopy = () => !!document.querySelector("[data-offline-copy]");

export const questionForm = () => document.querySelector("form.question-form");

// The browser says it has no network. `true` when it does not know.
export const online = () => navigator.onLine !== false;
