/* Obieg: the search page. The facet column is open on wide screens; on narrow ones it starts folded so the results
 * come first (the <details> toggle opens it). Without JavaScript it simply stays open. */
(function () {
  "use strict";
  var facets = document.querySelector("#facets details");
  if (facets && window.matchMedia && window.matchMedia("(max-width: 59.99em)").matches) {
    facets.open = false;
  }
})();
