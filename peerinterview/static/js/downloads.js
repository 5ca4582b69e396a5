// Downloads that take a while (report PDF, exports): say "Even geduld…" until the file is there.
// The download itself is a plain GET form and works without this script. The server answers
// with a cookie named after a token this script adds, so we know when the file has arrived.
(function () {
  "use strict";

  function cookieName(token) { return "download-" + token; }

  function hasCookie(name) {
    return document.cookie.split(";").some(function (part) { return part.trim().indexOf(name + "=") === 0; });
  }

  function clearCookie(name) {
    document.cookie = name + "=; Max-Age=0; path=/; SameSite=Strict";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-download]")) return;
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    var button = event.submitter || form.querySelector("button");
    var status = form.querySelector(".download-status") ||
      document.getElementById(form.getAttribute("data-status") || "");
    var token = Math.random().toString(36).slice(2, 14) + Date.now().toString(36);
    var input = form.querySelector("input[name=wait]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "wait";
      form.appendChild(input);
    }
    input.value = token;
    form.setAttribute("aria-busy", "true");
    var original = button ? button.textContent : "";
    if (button) {
      button.textContent = button.getAttribute("data-waiting-text") || original;
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-waiting");
    }
    if (status && button) status.textContent = button.getAttribute("data-waiting-text") || "";
    var started = Date.now();
    var timer = window.setInterval(function () {
      var arrived = hasCookie(cookieName(token));
      if (!arrived && Date.now() - started < 180000) return;
      window.clearInterval(timer);
      clearCookie(cookieName(token));
      form.removeAttribute("aria-busy");
      if (button) {
        button.textContent = original;
        button.removeAttribute("aria-disabled");
        button.classList.remove("is-waiting");
      }
      if (status) status.textContent = arrived ? (status.getAttribute("data-done-text") || "") : "";
    }, 400);
  });
})();
