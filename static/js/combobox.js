/* Obieg: search-as-you-type combobox (WAI-ARIA 1.2 combobox with a listbox popup), no dependencies.
 *
 * Markup: <input role="combobox" aria-controls="LIST" data-combobox-url="/…/szukaj/" [data-combobox-target="HIDDEN"]>
 *         <ul id="LIST" role="listbox" hidden></ul> and an element "<input id>_status" (role=status) for counts.
 * The endpoint answers {"results": [{"id", "label", "detail"?, "value"?, "disabled"?}]}.
 * Choosing an option writes its id into the hidden input (if any) and its label (or `value`) into the text box.
 * Keys: ↓/↑ move, Enter chooses, Escape closes (twice: clears), Home/End in the text; Tab leaves.
 */
(function () {
  "use strict";

  var lang = (document.documentElement.lang || "pl").slice(0, 2);
  var TEXT = {
    pl: {
      none: "Brak wyników.",
      some: function (n) {
        var word = n === 1 ? "wynik" : (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20)) ? "wyniki" : "wyników";
        return n + " " + word + ". Strzałkami w dół i w górę wybierz pozycję, Enter zatwierdza.";
      },
      chosen: function (label) { return "Wybrano: " + label; },
      disabled: "niedostępne"
    },
    en: {
      none: "No results.",
      some: function (n) { return n + (n === 1 ? " result" : " results") + ". Use the up and down arrows, Enter to choose."; },
      chosen: function (label) { return "Chosen: " + label; },
      disabled: "unavailable"
    }
  };
  var t = TEXT[lang] || TEXT.pl;

  function Combobox(input) {
    this.input = input;
    this.list = document.getElementById(input.getAttribute("aria-controls"));
    this.status = document.getElementById(input.id + "_status");
    this.hidden = input.dataset.comboboxTarget ? document.getElementById(input.dataset.comboboxTarget) : null;
    this.url = input.dataset.comboboxUrl;
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.request = 0;
    this.chosenLabel = this.hidden && this.hidden.value ? input.value : null;
    this.bind();
  }

  Combobox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () {
      if (self.hidden) { self.hidden.value = ""; }
      self.chosenLabel = null;
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.search(); }, 200);
    });
    this.input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("blur", function () {
      setTimeout(function () { self.close(); }, 150);
    });
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.list.addEventListener("click", function (event) {
      var li = event.target.closest("li[role=option]");
      if (li) { self.choose(Number(li.dataset.index)); }
    });
  };

  Combobox.prototype.search = function () {
    var self = this;
    var q = this.input.value.trim();
    if (q.length < 2) { this.render([]); this.close(); return; }
    var id = ++this.request;
    fetch(this.url + "?q=" + encodeURIComponent(q), {
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin"
    })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (id === self.request) { self.render(data.results || []); } })
      .catch(function () { if (id === self.request) { self.render([]); } });
  };

  Combobox.prototype.render = function (results) {
    var self = this;
    this.options = results;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    results.forEach(function (item, index) {
      var li = document.createElement("li");
      li.id = self.input.id + "_opt_" + index;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.index = String(index);
      if (item.disabled) { li.setAttribute("aria-disabled", "true"); }
      li.appendChild(document.createTextNode(item.label));
      if (item.detail) {
        var span = document.createElement("span");
        span.className = "detail";
        span.textContent = item.detail;
        li.appendChild(span);
      }
      self.list.appendChild(li);
    });
    if (this.input.value.trim().length >= 2) {
      this.open();
      this.announce(results.length ? t.some(results.length) : t.none);
    }
  };

  Combobox.prototype.open = function () {
    if (!this.options.length) { this.close(); return; }
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
    Array.prototype.forEach.call(this.list.children, function (li) { li.setAttribute("aria-selected", "false"); });
  };

  Combobox.prototype.isOpen = function () { return !this.list.hidden; };

  Combobox.prototype.move = function (delta) {
    if (!this.options.length) { return; }
    if (!this.isOpen()) { this.open(); }
    var next = this.active + delta;
    if (next < 0) { next = this.options.length - 1; }
    if (next >= this.options.length) { next = 0; }
    this.highlight(next);
  };

  Combobox.prototype.highlight = function (index) {
    var items = this.list.children;
    if (this.active >= 0 && items[this.active]) { items[this.active].setAttribute("aria-selected", "false"); }
    this.active = index;
    var li = items[index];
    li.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.choose = function (index) {
    var item = this.options[index];
    if (!item || item.disabled) { return; }
    this.input.value = item.value || item.label;
    if (this.hidden) { this.hidden.value = item.id; }
    this.chosenLabel = this.input.value;
    this.close();
    this.announce(t.chosen(item.label));
    this.input.dispatchEvent(new CustomEvent("combobox:chosen", { detail: item, bubbles: true }));
  };

  Combobox.prototype.announce = function (text) {
    if (this.status) { this.status.textContent = text; }
  };

  Combobox.prototype.onKey = function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!this.isOpen() && !this.options.length) { this.search(); } else { this.move(1); }
        break;
      case "ArrowUp":
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
        if (this.isOpen()) {
          event.preventDefault();  // never submit the form while choosing
          if (this.active >= 0) { this.choose(this.active); }
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          if (this.hidden) { this.hidden.value = ""; }
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[role=combobox][data-combobox-url]"), function (el) {
      if (!el.dataset.comboboxReady) {
        el.dataset.comboboxReady = "1";
        new Combobox(el);  // eslint-disable-line no-new
      }
    });
    // A double click on a submit button sends the form once; the server also refuses a repeated idempotency key.
    Array.prototype.forEach.call(document.querySelectorAll("button[data-once]"), function (button) {
      button.form.addEventListener("submit", function () {
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
    // Move focus to the error summary so keyboard and screen-reader users start from it.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
