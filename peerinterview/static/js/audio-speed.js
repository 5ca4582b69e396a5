// Speed buttons under a recording (templates/macros/audio.html): 0.75×, 1×, 1.25×, 1.5×. Only a
// script can change the speed of an audio element, so the buttons show only when it runs; after
// every swap of the page too (the interview swaps its screens).
(function () {
  "use strict";

  function reveal() {
    document.querySelectorAll("[data-speed-for]").forEach(function (group) {
      if (document.getElementById(group.getAttribute("data-speed-for"))) group.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-speed]");
    var group = button && button.closest("[data-speed-for]");
    var audio = group && document.getElementById(group.getAttribute("data-speed-for"));
    if (!audio) return;
    audio.playbackRate = Number(button.getAttribute("data-speed"));
    group.querySelectorAll("[data-speed]").forEach(function (other) {
      other.setAttribute("aria-pressed", String(other === button));
    });
  });
  // A new recording starts at the speed its buttons show.
  document.addEventListener("loadedmetadata", function (event) {
    var group = event.target.id && document.querySelector('[data-speed-for="' + event.target.id + '"]');
    var pressed = group && group.querySelector('[aria-pressed="true"]');
    if (pressed) event.target.playbackRate = Number(pressed.getAttribute("data-speed"));
  }, true);
  reveal();
  document.addEventListener("htmx:afterSettle", reveal);
})();
