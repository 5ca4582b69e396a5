// The interview screens, on top of working HTML forms:
// - A real answer and "Weet ik niet" / "Wil ik niet zeggen" exclude each other: choosing one
//   clears the other before the autosave reads the form (capture phase, so before htmx and
//   offline.js see the change). Without JavaScript the server keeps the part chosen last.
// - A message the autosave put at a field goes away once an answer is saved.
// - A form marked data-unsaved-guard (the debrief) asks before the page is left with typed or
//   ticked input that is not saved yet: a link, the browser's back button, closing the tab.
//   A field marked data-saved-at-once (the aftercare flag) saves itself and does not count.
(function () {
  "use strict";

  function questionForm(element) {
    return element && element.closest ? element.closest("form.question-form") : null;
  }

  function clearSpecials(form) {
    form.querySelectorAll('input[name="special"]').forEach(function (radio) { radio.checked = false; });
  }

  function clearRealAnswer(form) {
    form.querySelectorAll('input[type="checkbox"][name="answer"]').forEach(function (box) { box.checked = false; });
    form.querySelectorAll('input[name="number"], textarea[name="text"]').forEach(function (field) { field.value = ""; });
  }

  function onChoice(event) {
    var input = event.target;
    var form = questionForm(input);
    if (!form) return;
    if (input.name === "special") {
      if (input.checked) clearRealAnswer(form);
    } else if (input.name === "answer" && input.type === "checkbox") {
      if (input.checked) clearSpecials(form);
    } else if (input.name === "number" || input.name === "text") {
      if (String(input.value || "").trim()) clearSpecials(form);
    }
  }
  document.addEventListener("change", onChoice, true);
  document.addEventListener("input", onChoice, true);

  // The start page: the consent text and the note about missing translations follow the
  // chosen language (without JavaScript every language's text and note show).
  function showLanguage() {
    var chosen = document.querySelector('input[name="language"]:checked');
    if (!chosen) return;
    var language = chosen.value;
    var consents = document.querySelectorAll("[data-consent-language]");
    var hasOwn = document.querySelector('[data-consent-language="' + language + '"]');
    consents.forEach(function (block) {
      var own = block.getAttribute("data-consent-language");
      block.hidden = hasOwn ? own !== language : own !== "nl";  // no translation: the Dutch text
    });
    document.querySelectorAll("[data-for-language]").forEach(function (note) {
      note.hidden = note.getAttribute("data-for-language") !== language;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "language") showLanguage();
  });
  document.addEventListener("DOMContentLoaded", showLanguage);
  document.addEventListener("htmx:afterSettle", showLanguage);

  function clearFieldErrors() {
    document.querySelectorAll("[data-autosave-error]").forEach(function (slot) { slot.textContent = ""; });
    document.querySelectorAll("form.question-form [aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
    });
  }
  // offline.js says the same when it stored or queued an answer.
  window.peerInterviewAnswerSaved = clearFieldErrors;

  var dirty = null;  // the guarded form with unsaved input, if any

  function guardedForm(element) {
    return element && element.closest ? element.closest("form[data-unsaved-guard]") : null;
  }

  function onEdit(event) {
    var form = guardedForm(event.target);
    if (form && !event.target.hasAttribute("data-saved-at-once")) dirty = form;
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  document.addEventListener("submit", function (event) {
    if (!dirty) return;
    if (event.target === dirty || !document.body.contains(dirty)) { dirty = null; return; }  // saved with it
    // Another form (logging out) would leave the page too.
    if (window.confirm(dirty.getAttribute("data-unsaved-text") || "")) { dirty = null; return; }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);

  // Links (boosted or not): ask first. Capture phase, before htmx's own handler on the link.
  document.addEventListener("click", function (event) {
    if (!dirty || !document.body.contains(dirty)) { dirty = null; return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.getAttribute("href").charAt(0) === "#" || link.target === "_blank") return;
    if (window.confirm(dirty.getAttribute("data-unsaved-text") || "")) { dirty = null; return; }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (!dirty || !document.body.contains(dirty)) return;
    event.preventDefault();
    event.returnValue = "";
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    if (detail.boosted || detail.target === document.body) dirty = null;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    if (detail.target && detail.target.id === "save-status" && detail.xhr && detail.xhr.status < 400) clearFieldErrors();
  });
})();
