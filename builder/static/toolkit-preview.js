/* The preview's problem banner (builder/preview.py): lists what `toolkit check` found at the
   last save, with file, line and fix, above every page; gone once the problems are fixed. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = document.documentElement.getAttribute("data-content_root") || "";
  var address = root + script.getAttribute("data-problems");
  var last = null;

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  }

  function banner(problems) {
    var errors = problems.filter(function (p) { return p.severity === "error"; }).length;
    var warnings = problems.length - errors;
    var section = document.createElement("section");
    section.className = "toolkit-problems" + (errors ? "" : " toolkit-problems-warnings");
    section.setAttribute("role", "alert");
    section.setAttribute("aria-labelledby", "toolkit-problems-title");
    var counts = [];
    if (errors) counts.push(errors + (errors === 1 ? " error" : " errors"));
    if (warnings) counts.push(warnings + (warnings === 1 ? " warning" : " warnings"));
    var title = text("h2", counts.join(" and ") + (errors
      ? " to fix: this preview still shows the last version that passed the check"
      : " on your pages"));
    title.id = "toolkit-problems-title";
    section.appendChild(title);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.appendChild(text("code", problem.path + ":" + problem.line));
      item.appendChild(text("span", " " + problem.severity + ": ", "toolkit-problems-severity"));
      item.appendChild(document.createTextNode(problem.message));
      if (problem.hint) {
        item.appendChild(document.createElement("br"));
        item.appendChild(text("strong", "Fix: "));
        item.appendChild(document.createTextNode(problem.hint));
      }
      list.appendChild(item);
    });
    section.appendChild(list);
    section.appendChild(text("p", "Save the file again once it is fixed; this banner goes by itself."));
    return section;
  }

  function show(body) {
    if (body === last) return;
    last = body;
    var old = document.querySelector(".toolkit-problems");
    if (old) old.remove();
    var problems = [];
    try { problems = JSON.parse(body); } catch (e) { return; }
    if (!problems.length) return;
    var main = document.querySelector("article[role=main]") || document.querySelector("main") || document.body;
    var icons = main.querySelector(":scope > .content-icon-container");   // Furo's theme toggle stays first
    main.insertBefore(banner(problems), icons ? icons.nextSibling : main.firstChild);
  }

  function poll() {
    fetch(address, { cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.text() : "[]"; })
      .then(show)
      .catch(function () { /* the server is restarting: try again at the next poll */ });
  }

  // Live reload reloads every page after each rebuild, when the file is already written; reading
  // it then (and when the author comes back to the browser), not on a timer, never races a write.
  poll();
  window.addEventListener("focus", poll);
})();
