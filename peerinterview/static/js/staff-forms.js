// Staff forms (progressive enhancement: each form works without this file).
// - A form marked data-warn-unsaved asks before the page is left while something typed in it is
//   not saved yet: on closing or reloading the tab (beforeunload) and on a boosted link or
//   another form (htmx:confirm), with the question the form carries in the attribute.
// - The add-question form shows only the fields of the chosen kind of question (data-kinds on
//   a field's wrapper). Without JavaScript the server shows them after "Toon de velden".
(function () {
  "use strict";

  function dirtyForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form[data-warn-unsaved]"), function (form) {
      return form.dataset.dirty === "1";
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (form && form.hasAttribute("data-warn-unsaved")) form.dataset.dirty = "1";
  });
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) form.dataset.dirty = "1";
  });
  // Sending the form itself is saving it: no question then.
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-warn-unsaved")) delete event.target.dataset.dirty;
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (dirtyForms().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A boosted link or another form replaces the page without unloading it.
  document.addEventListener("htmx:confirm", function (event) {
    var detail = event.detail || {};
    var elt = detail.elt;
    // The form's own submission saves it; a link inside it ("Terug zonder opslaan") leaves it.
    var dirty = dirtyForms().filter(function (form) { return form !== elt; });
    if (!dirty.length || !(elt && (elt.tagName === "A" || elt.tagName === "FORM"))) return;
    // Only a request that leaves this page (a boosted link or form), not a live check in the page.
    if (!detail.target || detail.target !== document.body) return;
    event.preventDefault();
    if (window.confirm(dirty[0].getAttribute("data-warn-unsaved"))) {
      dirty.forEach(function (form) { delete form.dataset.dirty; });
      detail.issueRequest(true);
    }
  });

  function showKindFields(form) {
    var checked = form.querySelector('input[name="kind"]:checked');
    if (!checked) return;
    Array.prototype.forEach.call(form.querySelectorAll("[data-kinds]"), function (box) {
      box.hidden = box.getAttribute("data-kinds").split(" ").indexOf(checked.value) === -1;
    });
  }

  function setUpKindFields(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("form[data-kind-fields]"), function (form) {
      Array.prototype.forEach.call(form.querySelectorAll("[data-no-js]"), function (button) { button.hidden = true; });
      showKindFields(form);
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "kind" && event.target.form && event.target.form.hasAttribute("data-kind-fields")) {
      showKindFields(event.target.form);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { setUpKindFields(document); });
  document.addEventListener("htmx:afterSettle", function () { setUpKindFields(document); });
})();
