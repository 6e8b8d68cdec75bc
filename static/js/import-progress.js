// Follows a participant import running in the background: every 2 seconds it asks the
// import's progress endpoint (counts and status only) and updates the progress bar and
// the polite live region in place; when the run ends it reloads the page once, which
// then shows the result. Without JavaScript the page's "Refresh" link does the same.
(function () {
  "use strict";
  var section = document.querySelector("[data-import-progress]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-import-progress");
  var bar = section.querySelector("[data-progress-bar]");
  var text = section.querySelector("[data-progress-text]");
  var INTERVAL = 2000;

  function show(progress) {
    if (progress.total > 0) {
      bar.max = progress.total;
      bar.value = progress.done;
      bar.setAttribute("aria-valuenow", String(progress.done));
      bar.setAttribute("aria-valuemax", String(progress.total));
    }
    // Said only when it changes, so a screen reader is not told the same thing again.
    if (text.textContent !== progress.text) {
      text.textContent = progress.text;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("progress: " + response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        show(progress);
        if (progress.running) {
          window.setTimeout(poll, INTERVAL);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // Session expired or the server is away: stop; the "Refresh" link remains.
        section.setAttribute("data-progress-stopped", "");
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
