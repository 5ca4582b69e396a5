// The "Printen" button of a login card: shown only when JavaScript runs (Ctrl+P works without).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
