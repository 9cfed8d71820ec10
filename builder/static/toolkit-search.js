// Pagefind search on the search page: results under any sub-path, the query kept in the URL.
(function () {
  "use strict";
  function start() {
    var base = window.location.pathname.replace(/[^/]*$/, "");
    var params = new URLSearchParams(window.location.search);
    var ui = new PagefindUI({
      element: "#toolkit-search-results",
      baseUrl: base,
      bundlePath: base + "pagefind/",
      showImages: false,
      resetStyles: false,
      autofocus: false,
    });
    var fallback = document.querySelector(".toolkit-search-fallback");
    if (fallback) { fallback.hidden = true; }
    var q = params.get("q");
    if (q) { ui.triggerSearch(q); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
