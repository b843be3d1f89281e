// Dropping a small text file of hash values on the lookup box reads it into the box.
// The file input next to it does the same without scripts; this only saves a click.
(function () {
  "use strict";
  var MAX_BYTES = 2 * 1024 * 1024;
  document.querySelectorAll("[data-drop-target]").forEach(function (zone) {
    var box = document.getElementById(zone.getAttribute("data-drop-target"));
    var hint = zone.querySelector(".drop-hint");
    if (!box || !window.FileReader) {
      return;
    }
    if (hint) {
      hint.hidden = false;
    }
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("drop-active");
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("drop-active");
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("drop-active");
      var file = event.dataTransfer && event.dataTransfer.files[0];
      if (!file || file.size > MAX_BYTES) {
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        var text = String(reader.result || "");
        box.value = box.value ? box.value.replace(/\s*$/, "\n") + text : text;
      };
      reader.readAsText(file);
    });
  });
})();
