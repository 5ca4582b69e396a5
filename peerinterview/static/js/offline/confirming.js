// A page shown ahead is not yet confirmed. "Volgende" shows the page fetched ahead at once
// (ahead.js) and posts the form behind it; until the server's reply to that post arrives, the page
// on the screen is the tablet's guess. While it is, every button on it that would post ("Volgende",
// "Vorige", "Interview afronden" on the overview) is really disabled, so a second tap cannot send
// a page the server has not led to yet. Answer choices stay open: they go to the tablet's queue as
// always. The wait ends with the server's reply, or with its failure (offline, a lost reply, a
// server that is gone), never on its own: a window of time would also swallow a quick deliberate
// tap, and a slow reply would outlast it.
//
// The second tap of a double tap is the other way past a question nobody saw: it lands on
// whatever the page shown in between has at that spot (an answer, a link). A click that
// continues a multi-click begun on the page before (its `detail`, the click count, above 1) is
// dropped, until a click of its own or a key on the new page.

import { text } from "./page.js";

// A wait shorter than this needs no words: the disabled look says enough.
const MOMENT_MS = 1000;

const POSTING = 'button:not([type="button"]):not([type="reset"]), input[type="submit"]';

let held = null;          // {buttons, bar, note, timer} of the page that waits for the server
let continuing = false;   // the tap that showed this page may still be going on (a double tap)

// Disable the buttons that would post, under `main` (not the header's log-out: leaving is fine).
export function holdPage() {
  letGo();
  const scope = document.querySelector("main") || document.body;
  const buttons = Array.from(scope.querySelectorAll(POSTING)).filter((b) => !b.disabled);
  if (!buttons.length) return;
  for (const button of buttons) button.disabled = true;
  const last = buttons[buttons.length - 1];
  const bar = last.closest(".nav-buttons") || last.parentElement;
  bar.setAttribute("aria-busy", "true");
  // A live region that is there, empty, before it speaks: screen readers read what changes in it.
  const note = document.createElement("p");
  note.className = "confirm-wait";
  note.setAttribute("role", "status");
  bar.after(note);
  const timer = setTimeout(() => { note.textContent = text("confirming"); }, MOMENT_MS);
  held = { buttons, bar, note, timer };
}

// The server answered (or cannot): the page is the server's own now, or as good as it gets.
export function letGo() {
  if (!held) return;
  clearTimeout(held.timer);
  for (const button of held.buttons) button.disabled = false;
  held.bar.removeAttribute("aria-busy");
  held.note.remove();
  held = null;
}

// "Volgende" was tapped and the page ahead takes over.
export function tapped() {
  continuing = true;
}

// Capture phase, before htmx and the browser act on the click.
export function onClick(event) {
  if (!continuing) return;
  if (event.detail > 1) {
    event.preventDefault();
    event.stopImmediatePropagation();
    return;
  }
  continuing = false;
}

export function onKey() {
  continuing = false;
}
