/* Background job page: follows the job's progress without reloading (the page has a meta refresh inside
   <noscript> for browsers without JavaScript). Polls the JSON status once a second and reloads the page
   once the job has finished, so the server draws the download link or the failure message. */
(function () {
  var box = document.querySelector("[data-job-status-url]");
  if (!box || box.getAttribute("data-job-finished") === "1") { return; }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("[data-job-progress]");
  var label = box.querySelector("[data-job-status-label]");
  var count = box.querySelector("[data-job-count]");
  var waiting = box.querySelector("[data-job-waiting]");
  var failures = 0;

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        if (state.finished) { window.location.reload(); return; }
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        if (state.status !== "queued") { bar.removeAttribute("aria-busy"); if (waiting) { waiting.hidden = true; } }
        label.textContent = state.status_label;
        count.textContent = state.total ? state.done + " / " + state.total : "";
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        failures += 1;
        window.setTimeout(poll, Math.min(30000, 1000 * Math.pow(2, failures)));
      });
  }
  window.setTimeout(poll, 500);
})();
