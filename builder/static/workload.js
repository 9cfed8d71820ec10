/* Workload calculator (builder/workload.py): counts of each type of work times their tariff points,
 * against capacity for the hours worked. Everything happens on this page: nothing is stored or sent.
 * Without this script the page shows the tariff as a table. */
(function () {
  "use strict";

  function count(input, fallback) {
    var value = Number(input.value);
    return input.value.trim() !== "" && isFinite(value) && value >= 0 ? value : fallback;
  }

  function shown(value) {
    return String(Math.round(value * 10) / 10);
  }

  function plural(value, word) {
    return shown(value) + " " + word + (value === 1 ? "" : "s");
  }

  Array.prototype.forEach.call(document.querySelectorAll(".tk-wl"), function (root) {
    var capacity = Number(root.getAttribute("data-capacity"));
    var hours = root.querySelector(".tk-wl-hours");
    var total = root.querySelector(".tk-wl-total");
    var rows = Array.prototype.map.call(root.querySelectorAll("tbody tr"), function (row) {
      return {
        points: Number(row.getAttribute("data-points")),
        input: row.querySelector(".tk-wl-count"),
        output: row.querySelector(".tk-wl-row-total")
      };
    });
    Array.prototype.forEach.call(root.querySelectorAll(".tk-wl-js"), function (element) {
      element.hidden = false;
    });

    function update() {
      var sum = 0;
      rows.forEach(function (row) {
        var points = count(row.input, 0) * row.points;
        row.output.textContent = shown(points);
        sum += points;
      });
      var percentOfFullTime = count(hours, 100);
      var usable = percentOfFullTime > 0 && percentOfFullTime <= 100;
      var available = capacity * (usable ? percentOfFullTime : 100) / 100;
      var percent = Math.round(sum / available * 100);
      var message = "Total: " + shown(sum) + " of " + plural(available, "point") + " (" + percent +
        " per cent of capacity). ";
      if (!usable) {
        message = "Hours taken as full time: enter a percentage from 1 to 100. " + message;
      }
      if (sum > available) {
        message += "Over capacity by " + plural(sum - available, "point") + ".";
      } else {
        message += plural(available - sum, "point") + " left.";
      }
      total.textContent = message;
      root.classList.toggle("tk-wl-over", sum > available);
    }

    root.addEventListener("input", update);
    root.querySelector(".tk-wl-clear").addEventListener("click", function () {
      rows.forEach(function (row) { row.input.value = "0"; });
      hours.value = "100";
      update();
      rows[0].input.focus();
    });
    update();
  });
})();
