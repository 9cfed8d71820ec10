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

  /* Diagram export: "View full size" and "Download SVG" are plain links to files the build
     wrote (builder/diagram_export.py), so they work without this script. "Download PNG" is
     made here, in the reader's browser, from the SVG on the page, copied black on white with
     the few styles it needs; nothing is sent anywhere. */
  var EXPORT_STYLE = ".tk-age{paint-order:stroke;stroke:#fff;stroke-width:3px;" +
    "stroke-linejoin:round;font-weight:600}";

  function standalone(svg) {
    var copy = svg.cloneNode(true);
    var box = svg.viewBox.baseVal;
    copy.setAttribute("width", String(box.width));
    copy.setAttribute("height", String(box.height));
    copy.setAttribute("color", "#000");
    copy.style.color = "#000";
    var ns = "http://www.w3.org/2000/svg";
    var style = document.createElementNS(ns, "style");
    style.textContent = EXPORT_STYLE;
    var back = document.createElementNS(ns, "rect");
    back.setAttribute("x", String(box.x));
    back.setAttribute("y", String(box.y));
    back.setAttribute("width", "100%");
    back.setAttribute("height", "100%");
    back.setAttribute("fill", "#fff");
    back.setAttribute("stroke", "none");
    var first = copy.querySelector("desc") || copy.firstChild;
    copy.insertBefore(back, first ? first.nextSibling : null);
    copy.insertBefore(style, back);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
  }

  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "tk-diagram-action";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function png(svgText, box, name) {
    var scale = 2;  // sharp when printed or zoomed
    var image = new Image();  // a data: URL, which the site's Content-Security-Policy allows
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = Math.ceil(box.width * scale);
      canvas.height = Math.ceil(box.height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) { if (blob) { save(blob, name + ".png"); } }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText);
  }

  function addExport(figure) {
    var svg = figure.querySelector("svg");
    var bar = figure.querySelector(".tk-diagram-actions");
    if (!svg || !bar || bar.querySelector("button")) { return; }
    var name = figure.getAttribute("data-tk-export") || "diagram";
    bar.appendChild(button("Download PNG", function () {
      png(standalone(svg), svg.viewBox.baseVal, name);
    }));
  }

  function init() {
    document.querySelectorAll("[data-tk-chronology]").forEach(setUp);
    document.querySelectorAll("figure[data-tk-export]").forEach(addExport);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
