// Panel pages: nothing typed is lost.
// - A box that saves itself while typed (data-autosave) shows its status: busy, saved, or a
//   clear failure (the text stays in the box).
// - A form marked data-unsaved-warning asks before the page is left while something typed in
//   it is not saved: a reload or closing the tab (beforeunload), and a boosted link or form
//   elsewhere on the page (htmx would replace the page without asking the browser).
(function () {
  "use strict";

  function guardedForm(elt) {
    return elt && elt.closest ? elt.closest("form[data-unsaved-warning]") : null;
  }

  function dirtyFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) { return el._unsaved > 0; });
  }

  function dirtyForm(except) {
    var forms = document.querySelectorAll("form[data-unsaved-warning]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i] !== except && dirtyFields(forms[i]).length) return forms[i];
    }
    return null;
  }

  document.addEventListener("input", function (event) {
    if (guardedForm(event.target)) event.target._unsaved = (event.target._unsaved || 0) + 1;
  });

  document.addEventListener("submit", function (event) {
    var form = guardedForm(event.target);
    if (form) dirtyFields(form).forEach(function (el) { el._unsaved = 0; });
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (dirtyForm(null)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  function statusOf(detail) {
    var target = detail && detail.target;
    return target && target.classList && target.classList.contains("finding-state") ? target : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail || {};
    var elt = detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-autosave")) {
      // htmx names the swapped element as the source of later events: keep the real one.
      detail.xhr._source = elt;
      detail.xhr._mark = elt._unsaved || 0;
      var status = statusOf(detail);
      if (status) {
        status.setAttribute("aria-busy", "true");
        var busy = status.querySelector(".save-ok, .save-failed, .save-busy");
        var text = document.createElement("span");
        text.className = "save-busy";
        text.textContent = status.getAttribute("data-busy-text") || "";
        if (busy) busy.replaceWith(text); else status.appendChild(text);
      }
      return;
    }
    // Leaving the page through a boosted link or another form: ask first.
    if (!detail.boosted) return;
    var source = guardedForm(elt);
    var form = dirtyForm(source);
    if (form && !window.confirm(form.getAttribute("data-unsaved-warning"))) event.preventDefault();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    var status = statusOf(detail);
    if (!status) return;
    status.removeAttribute("aria-busy");
    var elt = detail.xhr && detail.xhr._source;
    // Saved, and nothing typed since the request left: this box has nothing unsaved.
    if (elt && status.querySelector(".save-ok") && (elt._unsaved || 0) === (detail.xhr._mark || 0)) {
      elt._unsaved = 0;
    }
  });

  function showFailure(event) {
    var status = statusOf(event.detail);
    if (!status) return;
    status.removeAttribute("aria-busy");
    var failed = document.createElement("span");
    failed.className = "save-failed";
    failed.textContent = status.getAttribute("data-failed-text") || "";
    var old = status.querySelector(".save-ok, .save-failed, .save-busy");
    if (old) old.replaceWith(failed); else status.appendChild(failed);
  }
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:responseError", showFailure);
})();
