// "Grotere letters": a toggle (aria-pressed) that sets html.large-text (every rem size grows 1.5x). Only this preference is
// kept in localStorage, never an answer. Buttons stay hidden without JavaScript.
(function () {
  "use strict";

  var KEY = "peerinterview.largeText";

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  function remember(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: just this page */ }
  }

  function apply(on) {
    var buttons = document.querySelectorAll("[data-large-text]");
    // Only a screen with the toggle (the interview screens) grows; other pages keep their size.
    on = on && buttons.length > 0;
    document.documentElement.classList.toggle("large-text", on);
    document.body.classList.toggle("large-text", on);
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-large-text]");
    if (!button) return;
    var on = !document.documentElement.classList.contains("large-text");
    remember(on);
    apply(on);
  });

  document.addEventListener("DOMContentLoaded", function () { apply(stored()); });
  // After a boosted swap: the stored choice, for the new page (with or without the toggle).
  document.addEventListener("htmx:afterSettle", function () { apply(stored()); });
})();
