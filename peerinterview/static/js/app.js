// Small enhancements on top of working HTML forms (progressive enhancement).
// - After a boosted page swap, move focus to the error summary or the page heading, so a
//   screen reader user hears where they are (htmx moves no focus by itself).
// - Show that an autosave is on its way, and say so clearly when it failed.
(function () {
  "use strict";

  function focusMain() {
    var target = document.querySelector("[data-error-summary]") || document.querySelector("main h1");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: false });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    if (detail.boosted || detail.target === document.body) focusMain();
  });

  // A boosted swap replaces the body only: take <html lang> from the new page too, so an
  // interview in English is read out in English (WCAG 3.1.1).
  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    if (!(detail.boosted || detail.target === document.body) || !detail.xhr) return;
    var match = /<html[^>]*\slang="([^"]+)"/.exec(detail.xhr.responseText || "");
    if (match) document.documentElement.lang = match[1];
  });

  function saveStatus(event) {
    var target = event.detail && event.detail.target;
    return target && target.id === "save-status" ? target : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var status = saveStatus(event);
    if (status) status.setAttribute("aria-busy", "true");
  });

  function showFailure(event) {
    var status = saveStatus(event);
    if (!status) return;
    status.removeAttribute("aria-busy");
    status.textContent = status.getAttribute("data-failed-text") || "";
    status.classList.add("save-failed");
  }
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = saveStatus(event);
    if (status) { status.removeAttribute("aria-busy"); status.classList.remove("save-failed"); }
  });

  // The interview's UUID is made on the tablet (DESIGN.md §5). The server put one in the form
  // as a fallback (for browsers without crypto.randomUUID, e.g. plain http on a LAN); both make
  // a repeated start with the same form create one interview.
  function deviceUuid() {
    var field = document.querySelector("input[name='interview_id'][data-device-uuid]");
    if (!field || !(window.crypto && window.crypto.randomUUID)) return;
    field.value = window.crypto.randomUUID();
    field.removeAttribute("data-device-uuid");
  }
  document.addEventListener("DOMContentLoaded", deviceUuid);
  document.addEventListener("htmx:afterSettle", deviceUuid);
})();
