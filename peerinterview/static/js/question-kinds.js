// The add-question form shows only the fields of the chosen kind of question (data-kinds on a
// field's wrapper). Without JavaScript the server shows them after "Toon de velden".
(function () {
  "use strict";

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
  // This script may come after the page: a boosted swap from an interview screen brings the app's
  // bundle along (app.js), once the new page is in place.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpKindFields(document); });
  } else {
    setUpKindFields(document);
  }
  document.addEventListener("htmx:afterSettle", function () { setUpKindFields(document); });
})();
