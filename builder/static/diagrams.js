/* Chronology filters: the table is complete without this script; it reveals the
   (hidden) filter controls and hides rows that do not match. Native <select>s, so
   keyboard and screen-reader use come for free. Loaded as a file: no inline script. */
(function () {
  "use strict";

  function setUp(block) {
    var controls = block.querySelector(".tk-chron-filters");
    var rows = Array.prototype.slice.call(block.querySelectorAll("tbody tr"));
    var count = block.querySelector(".tk-chron-count");
    if (!controls || !rows.length) { return; }
    var selects = Array.prototype.slice.call(controls.querySelectorAll("select[data-filter]"));

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = selects.every(function (select) {
          return !select.value || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
        });
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      if (count) {
        count.textContent = "Showing " + shown + " of " + rows.length + " entries";
      }
    }

    selects.forEach(function (select) { select.addEventListener("change", apply); });
    controls.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll("[data-tk-chronology]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
