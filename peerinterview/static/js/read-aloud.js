// Read aloud ("Voorlezen") with the browser's speech synthesis.
// A button [data-read-aloud="#target"] reads the [data-read] parts inside the target (or the
// parts its data-read-parts selector names), each in a
// voice for its own lang (questions are Dutch content, lang="nl"). The button stays hidden (as in
// the HTML) when JavaScript is off. When the tablet has no voice for the text's language, the
// button still shows and, tapped, says so and how to add one (never a Dutch text in an English voice).
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  var speakingButton = null;

  function baseLang(lang) {
    return (lang || "").toLowerCase().split("-")[0];
  }

  function voiceFor(lang) {
    if (!synth) return null;
    var wanted = baseLang(lang);
    var voices = synth.getVoices() || [];
    var match = null;
    for (var i = 0; i < voices.length; i++) {
      if (baseLang(voices[i].lang) === wanted) {
        if (voices[i].localService !== false) return voices[i];
        match = match || voices[i];
      }
    }
    return match;
  }

  function langOf(element) {
    var withLang = element.closest("[lang]");
    return withLang ? withLang.getAttribute("lang") : document.documentElement.lang;
  }

  function revealButtons() {
    var buttons = document.querySelectorAll("[data-read-aloud]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      button.hidden = false;
      if (!button.hasAttribute("data-text-read")) button.setAttribute("data-text-read", button.textContent);
    }
  }

  function noteFor(button) {
    var note = button.nextElementSibling;
    return note && note.hasAttribute("data-read-aloud-note") ? note : null;
  }

  function sayNoVoice(button) {
    var note = noteFor(button);
    if (note) note.textContent = button.getAttribute("data-text-no-voice") || "";
  }

  function resetButton() {
    if (!speakingButton) return;
    speakingButton.textContent = speakingButton.getAttribute("data-text-read");
    speakingButton.setAttribute("aria-pressed", "false");
    speakingButton = null;
  }

  // Reads each part in a voice for its own lang; returns the last utterance, or null when
  // nothing could be read (no voice for the language).
  function speakParts(parts) {
    synth.cancel();
    resetButton();
    var last = null;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].closest("[hidden]")) continue;  // e.g. the consent text in another language
      var text = parts[i].textContent.trim();
      var voice = voiceFor(langOf(parts[i]));
      if (!text || !voice) continue; // never read Dutch with an English voice
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = voice.lang;
      utterance.voice = voice;
      utterance.rate = 0.9;
      synth.speak(utterance);
      last = utterance;
    }
    return last;
  }

  function speak(button) {
    var target = document.querySelector(button.getAttribute("data-read-aloud"));
    if (!target) return;
    var last = speakParts(target.querySelectorAll(button.getAttribute("data-read-parts") || "[data-read]"));
    if (!last) { sayNoVoice(button); return; }
    var note = noteFor(button);
    if (note) note.textContent = "";
    last.onend = resetButton;
    speakingButton = button;
    button.textContent = button.getAttribute("data-text-stop");
    button.setAttribute("aria-pressed", "true");
  }

  // A hard word in the question: open its explanation under the question and read it aloud.
  // Without a voice the explanation still opens; the note under "Voorlezen" says why it is quiet.
  function explainWord(button) {
    var details = document.getElementById(button.getAttribute("data-explain"));
    if (!details) return;
    details.open = true;
    button.setAttribute("aria-expanded", "true");
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;
    var readButton = document.querySelector("[data-read-aloud]");
    if (!speakParts(details.querySelectorAll("[data-explain-read]")) && readButton) sayNoVoice(readButton);
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.id || !details.classList || !details.classList.contains("word-explanation")) return;
    var buttons = document.querySelectorAll('[data-explain="' + details.id + '"]');
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-expanded", details.open ? "true" : "false");
  }, true);

  document.addEventListener("click", function (event) {
    var word = event.target.closest && event.target.closest("[data-explain]");
    if (word) { explainWord(word); return; }
    var button = event.target.closest && event.target.closest("[data-read-aloud]");
    if (!button) return;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { sayNoVoice(button); return; }
    if (speakingButton === button) {
      synth.cancel();
      resetButton();
    } else {
      speak(button);
    }
  });

  document.addEventListener("DOMContentLoaded", revealButtons);
  document.addEventListener("htmx:afterSettle", revealButtons);
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;
  if (synth.addEventListener) synth.addEventListener("voiceschanged", revealButtons);
  // A boosted page swap brings new buttons; stop reading the old page.
  document.addEventListener("htmx:afterSettle", function () {
    if (speakingButton && !document.body.contains(speakingButton)) { synth.cancel(); speakingButton = null; }
    revealButtons();
  });
})();
