// Talking to the server from the offline code.

import { state } from "./state.js";

const TIMEOUT_MS = 10000;

// fetch() that gives up after TIMEOUT_MS: on shaky wifi a request can hang for minutes.
export async function fetchWithTimeout(url, options) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return await fetch(url, { ...options, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

// The server's answer with the public key carries the token of the current login; a form of this
// page (the header's logout form is on every page after logging in) has it too.
export function csrfToken() {
  if (state.csrf) return state.csrf;
  const field = document.querySelector('input[name="csrf_token"]');
  return field && field.value ? field.value : "";
}
