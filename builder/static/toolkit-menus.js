// Furo opens its navigation and contents drawers with <label for="checkbox">, which a keyboard
// cannot reach (and a label may not take the role of a button). Put a real button in place of
// each opener (Tab, Enter, Space), name the drawers, say whether they are open, and close them
// with Escape or when focus leaves; and keep "Back to top" inside a landmark. Loaded as a file.
(function () {
  "use strict";
  var DRAWERS = {
    "__navigation": { opener: "Open the site menu", drawer: ".sidebar-drawer", name: "Site menu" },
    "__toc": { opener: "Show the contents of this page", drawer: ".toc-drawer", name: "Contents of this page" },
  };

  function setUp(id) {
    var box = document.getElementById(id);
    var drawer = document.querySelector(DRAWERS[id].drawer);
    var openers = Array.prototype.slice.call(document.querySelectorAll(
      "label[for='" + id + "']:not(.overlay)"));
    if (!box || !drawer) { return; }
    drawer.setAttribute("aria-label", DRAWERS[id].name);
    drawer.id = drawer.id || "toolkit-drawer" + id;
    var last = null;

    function update() {
      openers.forEach(function (opener) { opener.setAttribute("aria-expanded", String(box.checked)); });
    }
    function close() {
      if (!box.checked) { return; }
      box.checked = false;
      update();
      if (last) { last.focus(); }
    }
    openers = openers.map(function (label) {
      var opener = document.createElement("button");
      opener.type = "button";
      opener.className = label.className + " toolkit-drawer-opener";
      opener.innerHTML = label.innerHTML;
      opener.setAttribute("aria-label", DRAWERS[id].opener);
      opener.setAttribute("aria-controls", drawer.id);
      label.parentNode.replaceChild(opener, label);
      opener.addEventListener("click", function () {
        last = opener;
        box.checked = !box.checked;
        update();
        if (box.checked) {
          var first = drawer.querySelector("a[href], input, button");
          // Wait for the drawer to become visible (CSS visibility) before moving focus into it.
          window.setTimeout(function () { if (first) { first.focus(); } }, 50);
        }
      });
      return opener;
    });
    box.addEventListener("change", update);
    drawer.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
    });
    drawer.addEventListener("focusout", function (event) {
      if (box.checked && event.relatedTarget && !drawer.contains(event.relatedTarget)
          && openers.indexOf(event.relatedTarget) < 0) {
        box.checked = false;
        update();
      }
    });
    update();
  }

  // Furo's "Back to top" link, shown while a reader scrolls up, sits outside every landmark, where
  // a screen reader moving by landmarks never meets it: keep it at the start of the main one.
  function landBackToTop() {
    var link = document.querySelector(".back-to-top");
    var main = document.querySelector("[role='main'], main");
    if (link && main && !main.contains(link)) { main.insertBefore(link, main.firstChild); }
  }

  function init() { Object.keys(DRAWERS).forEach(setUp); landBackToTop(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
