// Small enhancements on top of working HTML forms (progressive enhancement).
// - After a boosted page swap, move focus to the error summary or the page heading, so a
//   screen reader user hears where they are (htmx moves no focus by itself).
// - Show that an autosave is on its way, and say so clearly when it failed.
// - Give the CSRF token to the htmx requests of the page's own forms only.
(function () {
  "use strict";

  // The CSRF token is not on <body hx-headers>: every element inherits that, so one element that
  // got into the page from a user's text (hx-post + hx-trigger="load") would send a valid forged
  // request. Here it goes only with a same-origin, state-changing request of a form that carries
  // the token itself, or of one of that form's own fields (an autosave, the live B1 advice); it is
  // taken from that form. Any other element gets no token, not even one that htmx took along from
  // an enclosing form or through hx-include.
  function ownForm(elt) {
    if (!elt) return null;
    if (elt.tagName === "FORM") return elt;
    return elt.form || null;  // form fields only: an <i> or <div> has no .form
  }

  function tokenOf(form) {
    var field = form && form.elements.namedItem("csrf_token");
    return field && field.value ? field.value : "";
  }

  function sameOrigin(path) {
    try { return new URL(path, document.baseURI).origin === window.location.origin; }
    catch (e) { return false; }
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (!detail || String(detail.verb).toLowerCase() === "get") return;
    var token = sameOrigin(detail.path) ? tokenOf(ownForm(detail.elt)) : "";
    if (token) {
      detail.headers["X-CSRFToken"] = token;
    } else {
      delete detail.parameters.csrf_token;
    }
  });

  function focusMain() {
    var target = document.querySelector("[data-error-summary]") || document.querySelector("main h1");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: false });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    if (detail.boosted || detail.target === document.body) focusMain();
  });

  // A boosted swap replaces the body only: take <html lang> from the new page too, so an
  // interview in English is read out in English (WCAG 3.1.1).
  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    if (!(detail.boosted || detail.target === document.body) || !detail.xhr) return;
    var match = /<html[^>]*\slang="([^"]+)"/.exec(detail.xhr.responseText || "");
    if (match) document.documentElement.lang = match[1];
  });

  // Each area of the app has its own bundles (scripts/build_assets.py): an interview screen loads
  // the interview's, every other page the app's. A boosted swap brings the new page's body but
  // keeps this head, so the bundles of the new page that this one lacks are added here: its style
  // sheet before the swap, its script after the swap has settled (so that it finds the new page
  // in place, as on a page load, and sets it up once). Only our own built files are taken.
  var BUNDLE = /<(?:link rel="stylesheet" href|script src)="(\/static\/build\/([\w-]+\.min\.(?:css|js))\?v=[0-9a-f]+)"/g;
  var waitingScripts = [];
  var styling = null;  // while a style sheet added here loads: the promise that it has (or failed)
  var pendingSwap = null;  // the boosted swap that waits for it

  function bundlesOf(html) {
    var head = html.slice(0, Math.max(html.indexOf("</head>"), 0));
    var found = [];
    var match;
    BUNDLE.lastIndex = 0;
    while ((match = BUNDLE.exec(head))) found.push({ url: match[1], name: match[2] });
    return found;
  }

  // The page has this bundle, or one that holds all of it (app.min.js holds interview.min.js).
  function hasBundle(name) {
    var covers = (window.peerInterviewAssets || {}).covers || {};
    var own = document.querySelectorAll('link[rel="stylesheet"][href^="/static/build/"], script[src^="/static/build/"]');
    return Array.prototype.some.call(own, function (el) {
      var mine = (el.getAttribute("href") || el.getAttribute("src")).split("?")[0].split("/").pop();
      return mine === name || (covers[mine] || []).indexOf(name) !== -1;
    });
  }

  function addBundle(bundle) {
    if (hasBundle(bundle.name)) return;
    var el;
    if (/\.css$/.test(bundle.name)) {
      el = document.createElement("link");
      el.rel = "stylesheet";
      el.href = bundle.url;
      var loaded = styling = new Promise(function (resolve) {
        el.onload = el.onerror = resolve;  // a sheet that fails must not hold the page back
      }).then(function () { if (styling === loaded) styling = null; });
    } else {
      el = document.createElement("script");
      el.src = bundle.url;
      el.async = false;  // in the order the page has them
    }
    document.head.appendChild(el);
  }

  // The new page's style sheets are added now; its scripts are returned, for after the swap.
  function bundlesOfNewPage(html) {
    var scripts = [];
    bundlesOf(html || "").forEach(function (bundle) {
      if (/\.css$/.test(bundle.name)) addBundle(bundle);
      else scripts.push(bundle);
    });
    return scripts;
  }

  function addWaitingScripts() {
    var waiting = waitingScripts;
    waitingScripts = [];
    waiting.forEach(addBundle);
  }

  // A boosted swap while a style sheet is still loading would show the new page unstyled for a
  // moment. So htmx swaps nothing now: this page stays until the sheet is there, then the swap
  // happens as htmx would have done it (the new address in the history: no boosted link or form
  // here sets its own; the page's title; the same events with the same details).
  function swapWhenStyled(detail, scripts) {
    var waiting = pendingSwap = detail;
    detail.shouldSwap = false;
    styling.then(function () {
      if (pendingSwap !== waiting) return;  // gone elsewhere in the meantime
      pendingSwap = null;
      waitingScripts = waitingScripts.concat(scripts);
      var info = detail.pathInfo;
      var path = (info.responsePath || info.finalRequestPath) + (info.anchor ? "#" + info.anchor : "");
      htmx.swap(detail.target, detail.serverResponse,
        { swapStyle: "innerHTML", swapDelay: 0, settleDelay: htmx.config.defaultSettleDelay },
        { eventInfo: detail, anchor: info.anchor, contextElement: detail.elt,
          beforeSwapCallback: function () {
            // As htmx does: this page's entry becomes one htmx restores on "back", then the new one.
            history.replaceState({ htmx: true }, document.title, location.href);
            history.pushState({ htmx: true }, "", path);
          } });
    });
  }

  // Pages that a boosted form gets back with a 4xx and that must be seen, or the button would
  // seem to do nothing (htmx swaps no 4xx by itself, and the text typed would be left behind):
  // - 409: someone else changed it meanwhile; the page of now, with what was typed kept;
  // - 400 or 401 with data-kept-texts: the login ended or the page's token is old; the page
  //   shows what was typed, to copy.
  // A fragment request (an autosave) is left alone: it has its own failure line.
  // Registered before the bundles' listener below, which looks at shouldSwap.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail || {};
    var xhr = detail.xhr;
    if (!detail.boosted || !xhr) return;
    var kept = (xhr.status === 400 || xhr.status === 401)
      && (xhr.responseText || "").indexOf("data-kept-texts") !== -1;
    if (xhr.status !== 409 && !kept) return;
    detail.shouldSwap = true;
    detail.isError = false;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail || {};
    if (!(detail.shouldSwap && detail.xhr && (detail.boosted || detail.target === document.body))) return;
    var scripts = bundlesOfNewPage(detail.xhr.responseText);
    if (styling && detail.boosted) swapWhenStyled(detail, scripts);
    else waitingScripts = waitingScripts.concat(scripts);
  });
  // A page put in place while one waits (the page fetched ahead, "back") wins; a later boosted
  // reply that comes while the sheet still loads waits too, and takes the place of this one.
  document.addEventListener("htmx:afterSettle", function (event) {
    if ((event.detail || {}).boosted) pendingSwap = null;
    addWaitingScripts();
  });
  // Back and forward: htmx fetches the page again (no history cache) and swaps it in.
  document.addEventListener("htmx:historyRestore", function (event) {
    pendingSwap = null;
    waitingScripts = waitingScripts.concat(bundlesOfNewPage((event.detail || {}).serverResponse));
    addWaitingScripts();
  });

  function saveStatus(event) {
    var target = event.detail && event.detail.target;
    return target && target.id === "save-status" ? target : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var status = saveStatus(event);
    if (status) status.setAttribute("aria-busy", "true");
  });

  function showFailure(event) {
    var status = saveStatus(event);
    if (!status) return;
    status.removeAttribute("aria-busy");
    status.textContent = status.getAttribute("data-failed-text") || "";
    status.classList.add("save-failed");
  }
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = saveStatus(event);
    if (status) { status.removeAttribute("aria-busy"); status.classList.remove("save-failed"); }
  });

  // The interview's UUID is made on the tablet, so a resent start makes no second interview
  // (docs/architecture.md#the-interview). The server put one in the form as a fallback (for
  // browsers without crypto.randomUUID, e.g. plain http on a LAN); both make a repeated start with
  // the same form create one interview.
  function deviceUuid() {
    var field = document.querySelector("input[name='interview_id'][data-device-uuid]");
    if (!field || !(window.crypto && window.crypto.randomUUID)) return;
    field.value = window.crypto.randomUUID();
    field.removeAttribute("data-device-uuid");
  }
  document.addEventListener("DOMContentLoaded", deviceUuid);
  document.addEventListener("htmx:afterSettle", deviceUuid);

  // A "Printen" button on a page reached by a boosted link (whose own scripts htmx does not
  // run): shown only with JavaScript, one listener for every such button (Ctrl+P works without).
  function revealPrintButtons() {
    document.querySelectorAll("[data-print-button][hidden]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", revealPrintButtons);
  document.addEventListener("htmx:afterSettle", revealPrintButtons);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print-button]")) { window.print(); }
  });

  // A table behind "Toon tabel" must be on paper too: open those <details> for printing and
  // close them again afterwards (print.css does it without script where the browser can).
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details[data-print-open]:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });
})();
