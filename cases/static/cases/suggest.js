// Suggestions as one types, from the server: an <input data-suggest="/api/v1/..."> with a
// list="..." <datalist> gets the entries whose code or name starts with what was typed.
// Without this script the datalist keeps the common entries the page was served with.
(function () {
  "use strict";
  var DELAY_MS = 150;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    if (!list || !url || !window.fetch) {
      return;
    }
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var typed = input.value.trim();
        if (typed.length < 2 || typed === asked) {
          return;
        }
        asked = typed;
        window
          .fetch(url + "?q=" + encodeURIComponent(typed), {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          })
          .then(function (response) {
            return response.ok ? response.json() : [];
          })
          .then(function (entries) {
            if (input.value.trim() !== typed) {
              return; // the reader typed on: a newer answer is coming
            }
            list.textContent = "";
            entries.forEach(function (entry) {
              var option = document.createElement("option");
              option.value = entry.name;
              option.textContent = entry.code;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-suggest][list]").forEach(attach);
})();
