// Nothing typed is left behind by accident. A form marked data-unsaved-warning="<question>" asks
// that question before the page is left while something typed or ticked in it is not saved:
// a link (boosted or not), another form on the page (logging out, another step), the back
// button, a reload or closing the tab. Sending the form itself saves it, so it never asks then.
//
// What is unsaved is kept per field (field._unsaved counts the edits):
// - a field marked data-saved-at-once saves itself when it changes and never counts;
// - a field that saves itself while typed (the panel's boxes) is clean again once its save
//   arrived with nothing typed since: the page's own script sets field._unsaved = 0 then.
// Without JavaScript nothing asks, and every form still works.
(function () {
  "use strict";

  function guardedForm(element) {
    return element && element.closest ? element.closest("form[data-unsaved-warning]") : null;
  }

  function isDirty(form) {
    return Array.prototype.some.call(form.elements, function (field) { return field._unsaved > 0; });
  }

  function dirtyForm(except) {
    var forms = document.querySelectorAll("form[data-unsaved-warning]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i] !== except && isDirty(forms[i])) return forms[i];
    }
    return null;
  }

  function forget(form) {
    Array.prototype.forEach.call(form.elements, function (field) { field._unsaved = 0; });
  }

  // Every edit fires "input" (typing, ticking, choosing). Not "change": it also fires when a box
  // that already saved itself loses focus, which would make it look unsaved again.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!guardedForm(field) || field.hasAttribute("data-saved-at-once")) return;
    field._unsaved = (field._unsaved || 0) + 1;
  });

  // Asks, and says whether the page may be left. Leaving forgets what was typed.
  function mayLeave(except) {
    var form = dirtyForm(except);  // the form being sent saves itself
    if (!form) return true;
    if (!window.confirm(form.getAttribute("data-unsaved-warning") || "")) return false;
    var forms = document.querySelectorAll("form[data-unsaved-warning]");
    Array.prototype.forEach.call(forms, forget);
    return true;
  }

  // Capture phase: before htmx (boosted forms and links) and before the browser follows a link.
  // A form that htmx sends to change part of this page does not leave it.
  function staysOnPage(form) {
    var inPage = ["hx-post", "hx-get", "hx-put", "hx-patch", "hx-delete"].some(function (name) {
      return form.hasAttribute(name);
    });
    return inPage && form.getAttribute("hx-target") !== "body";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (staysOnPage(form) || mayLeave(form)) {
      if (form.hasAttribute("data-unsaved-warning")) forget(form);  // sending it saves it
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.getAttribute("href").charAt(0) === "#" || link.target === "_blank") return;
    if (mayLeave(null)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (!dirtyForm(null)) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
