// Panel pages: a box that saves itself while typed (data-autosave, the four questions) shows its
// status: busy, saved, or a clear failure (the text stays in the box). Once a save arrived with
// nothing typed since, the box counts as saved for unsaved.js (field._unsaved = 0).
(function () {
  "use strict";

  function statusOf(detail) {
    var target = detail && detail.target;
    return target && target.classList && target.classList.contains("finding-state") ? target : null;
  }

  function showStatus(status, className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text || "";
    var old = status.querySelector(".save-ok, .save-failed, .save-busy");
    if (old) old.replaceWith(span); else status.appendChild(span);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail || {};
    var elt = detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-autosave")) return;
    // htmx names the swapped element as the source of later events: keep the real one.
    detail.xhr._source = elt;
    detail.xhr._mark = elt._unsaved || 0;
    var status = statusOf(detail);
    if (!status) return;
    status.setAttribute("aria-busy", "true");
    showStatus(status, "save-busy", status.getAttribute("data-busy-text"));
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    var status = statusOf(detail);
    if (!status) return;
    status.removeAttribute("aria-busy");
    var elt = detail.xhr && detail.xhr._source;
    if (elt && status.querySelector(".save-ok") && (elt._unsaved || 0) === (detail.xhr._mark || 0)) {
      elt._unsaved = 0;
    }
  });

  function showFailure(event) {
    var status = statusOf(event.detail);
    if (!status) return;
    status.removeAttribute("aria-busy");
    showStatus(status, "save-failed", status.getAttribute("data-failed-text"));
  }
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:responseError", showFailure);
})();
