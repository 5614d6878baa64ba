// Progress of a bulk dispatch: asks the server every 2 s until every item has left the queue (at most 5 minutes).
(function () {
  var box = document.getElementById("progress");
  if (!box || !box.dataset.ids) return;
  var bar = document.getElementById("progress-bar");
  var text = document.getElementById("progress-text");
  var rounds = 0;
  function tick() {
    fetch(box.dataset.url + "?ids=" + encodeURIComponent(box.dataset.ids), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var pending = data.pending, parts = [];
        Object.keys(data.states).forEach(function (s) { parts.push(data.states[s] + " – " + s); });
        bar.value = data.total - pending;
        text.textContent = data.total + ": " + parts.join(", ");
        if (pending > 0 && ++rounds < 150) setTimeout(tick, 2000);
      });
  }
  tick();
})();
