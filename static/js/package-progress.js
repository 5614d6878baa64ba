// Follows the build of an archival package: polls its progress and updates the <progress> bar; reloads the page
// when the build has ended so the download or the error is shown. Without JavaScript, reloading does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-package-progress]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var url = box.getAttribute("data-package-progress");
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.max = data.total || 1;
        bar.value = data.done;
        text.textContent = data.status_display + ": " + data.done + " / " + data.total + " (" + data.percent + "%)";
        if (data.status === "queued" || data.status === "building") {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
