// The interview screens, on top of working HTML forms:
// - A real answer and "Weet ik niet" / "Wil ik niet zeggen" exclude each other: choosing one
//   clears the other before the autosave reads the form (capture phase, so before htmx and
//   the offline code see the change). Without JavaScript the server keeps the part chosen last.
// - A message the autosave put at a field goes away once an answer is saved.
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
  // The offline code says the same when it stored or queued an answer.
  window.peerInterviewAnswerSaved = clearFieldErrors;

  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    if (detail.target && detail.target.id === "save-status" && detail.xhr && detail.xhr.status < 400) clearFieldErrors();
  });
})();
