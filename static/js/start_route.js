/* Obieg: "Send for approval" — the document being sent is not offered as its own attachment.
 * Checkboxes carrying data-attachments-of="SELECT_ID" are hidden (and unticked) while their value is the one chosen
 * in that select. Without JavaScript the server refuses the combination with a clear message. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-attachments-of]").forEach(function (box) {
    var select = document.getElementById(box.getAttribute("data-attachments-of"));
    if (!select) { return; }
    var row = box.closest("div") || box;
    function sync() {
      var own = box.value === select.value;
      if (own) { box.checked = false; }
      box.disabled = own;
      row.hidden = own;
    }
    select.addEventListener("change", sync);
    sync();
  });
})();
