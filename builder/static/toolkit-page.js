// Loaded at the start of <body> on every page, as a file so the Content-Security-Policy holds.
// Furo's colour theme choice (its own inline script did this), and the print footer's date
// and address.
(function () {
  "use strict";
  try {
    document.body.dataset.theme = localStorage.getItem("theme") || "auto";
  } catch (error) {
    document.body.dataset.theme = "auto";
  }
  function fillPrintFooter() {
    var date = document.querySelector('[data-toolkit-print="date"]');
    var address = document.querySelector('[data-toolkit-print="address"]');
    if (date) {
      var today = new Date();
      date.textContent = today.toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric"});
      date.setAttribute("datetime", [today.getFullYear(), ("0" + (today.getMonth() + 1)).slice(-2),
                                     ("0" + today.getDate()).slice(-2)].join("-"));
    }
    if (address && window.location.protocol.indexOf("http") === 0) {
      address.textContent = window.location.href.split("#")[0];
    }
  }
  document.addEventListener("DOMContentLoaded", fillPrintFooter);
  window.addEventListener("beforeprint", fillPrintFooter);
})();
