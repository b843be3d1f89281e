// The dashboard's "Print a one-page report" button: shown only when scripts run (without
// them the browser's own Print does the same, with the print stylesheet).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
