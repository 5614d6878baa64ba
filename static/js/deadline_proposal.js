/* Case-opening form: the kind of statutory deadline follows the JRWA class and the title while the person has
   not chosen another one by hand; the proposal and its reason are read out (live region). Without JavaScript
   the server proposes the same on submit and asks for confirmation. */
(function () {
  "use strict";

  function init() {
    var select = document.getElementById("id_deadline_kind");
    if (!select || !select.dataset.proposalUrl) return;
    var form = select.form;
    var shown = form.querySelector("[name=deadline_proposed]");
    var jrwa = form.querySelector("[name=jrwa]");
    var title = form.querySelector("[name=title]");
    var help = document.getElementById("id_deadline_kind_helptext");
    var status = document.getElementById("deadline-status");
    var asked = 0;

    function refresh() {
      var mine = ++asked;
      var query = new URLSearchParams({
        jrwa: jrwa ? jrwa.value : "", title: title ? title.value : "", subject: select.dataset.subject || ""
      });
      fetch(select.dataset.proposalUrl + "?" + query.toString(), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (found) {
        if (!found || mine !== asked) return;  // an older answer arriving late
        var followed = !select.value || select.value === shown.value;  // not changed by hand
        shown.value = String(found.kind);
        if (followed && select.value !== String(found.kind)) {
          select.value = String(found.kind);
          if (status) status.textContent = found.text;
        }
        if (help) help.textContent = found.text;
        select.dataset.proposalSource = found.source;
      }).catch(function () { /* the server checks again on submit */ });
    }

    if (jrwa) {
      jrwa.addEventListener("combobox:chosen", refresh);
      jrwa.addEventListener("change", refresh);
    }
    if (title) title.addEventListener("change", refresh);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
