// Follows a running triage job: asks the API for its progress every two seconds and
// moves the bar; reloads the page once the job has finished, to show its results.
(function () {
  "use strict";
  var section = document.querySelector("[data-status-url]");
  if (!section || section.getAttribute("data-finished") === "true" || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-status-url");
  var bar = section.querySelector("progress");
  var percent = section.querySelector("[data-field=progress]");
  var finished = ["done", "failed", "cancelled"];
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (job) {
        if (!job) {
          return;
        }
        if (bar) {
          bar.value = job.progress;
          bar.textContent = job.progress + "%";
        }
        if (percent) {
          percent.textContent = String(job.progress);
        }
        if (finished.indexOf(job.status) >= 0) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
