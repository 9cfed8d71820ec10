/* Self-assessment pages: answers kept in this browser's local storage only.
 *
 * Nothing here makes a network request: saving, results, the development plan, dated rounds,
 * CSV downloads (Blob URLs) and 360 feedback all happen on the reader's device. Without this
 * script the page is still a readable questionnaire (see builder/selfassessment.py).
 *
 * 360 feedback: the person sends colleagues the page's link with `?rater=REQUEST` (a random
 * code kept with their answers; the link carries nothing else). Opened that way, the page is a
 * rater form: the rater's answers are kept under their own storage key, never beside the
 * person's, and leave only as a response file or code the rater sends themselves. The person
 * loads those files back; each is checked (this assessment, this request, a rater not already
 * loaded, every rating on the scale) and groups of fewer than three raters are combined.
 * toolkit/evaluation/feedback360.py reads the same files for `toolkit report evaluation`.
 */
(function () {
  "use strict";

  var root = document.querySelector(".tk-sa");
  if (!root) { return; }

  var assessmentId = root.getAttribute("data-assessment");
  var title = root.getAttribute("data-title");
  var scaleSize = parseInt(root.getAttribute("data-scale"), 10);
  var baseKey = "toolkit-self-assessment:" + location.pathname.replace(/[^/]*$/, "") + assessmentId;
  var raterRequest = new URLSearchParams(location.search).get("rater");
  var raterMode = raterRequest !== null;
  var CODE = /^[A-Za-z0-9]{6,32}$/;
  var key = raterMode ? baseKey + ":rater:" + raterRequest : baseKey;
  var questions = Array.prototype.map.call(root.querySelectorAll(".tk-sa-question"), function (fieldset) {
    return {
      id: fieldset.getAttribute("data-question"),
      statement: fieldset.getAttribute("data-statement"),
      statementTitle: fieldset.getAttribute("data-statement-title"),
      set: fieldset.getAttribute("data-set"),
      setTitle: fieldset.getAttribute("data-set-title"),
      fieldset: fieldset,
      labels: Array.prototype.map.call(fieldset.querySelectorAll(".tk-sa-choice"), function (label) {
        return label.textContent.trim();
      })
    };
  });
  var scaleLabels = questions.length ? questions[0].labels : [];
  var statements = [];
  questions.forEach(function (q) {
    if (statements.indexOf(q.statement) < 0) { statements.push(q.statement); }
  });
  var LOWEST = 3;
  var SVG = "http://www.w3.org/2000/svg";

  function empty() {
    return { answers: {}, notes: {}, rounds: [], plan: [], respondent: "", request: "", feedback: [], group: "" };
  }

  var storageWorks = true;

  function load() {
    var text = null;
    try {
      text = window.localStorage.getItem(key);
    } catch (e) {
      storageWorks = false;
    }
    try {
      var stored = JSON.parse(text || "null");
      return stored && typeof stored === "object" ? Object.assign(empty(), stored) : empty();
    } catch (e) {
      return empty();  // unreadable: start again rather than fail
    }
  }

  var state = load();

  function save(quietly) {
    try {
      window.localStorage.setItem(key, JSON.stringify(state));
      if (!quietly) { status("Your answers are saved in this browser only."); }
    } catch (e) {
      storageWorks = false;
      status("This browser is not letting the page save your answers (storage is switched off or full). " +
             "They will be lost when you leave the page.");
    }
  }

  function status(text) {
    var element = root.querySelector(".tk-sa-status");
    if (element.textContent !== text) { element.textContent = text; }
  }

  function el(tag, attributes, children) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") { element.textContent = attributes[name]; } else { element.setAttribute(name, attributes[name]); }
    });
    (children || []).forEach(function (child) { if (child) { element.appendChild(child); } });
    return element;
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }

  function format(value) {
    return Math.round(value) === value ? String(value) : value.toFixed(1);
  }

  /* Ratings ---------------------------------------------------------------------------- */

  function statementMeans(answers) {
    var sums = {};
    questions.forEach(function (q) {
      var value = answers[q.id];
      if (typeof value !== "number") { return; }
      sums[q.statement] = sums[q.statement] || { total: 0, count: 0 };
      sums[q.statement].total += value;
      sums[q.statement].count += 1;
    });
    var means = {};
    Object.keys(sums).forEach(function (s) { means[s] = sums[s].total / sums[s].count; });
    return means;
  }

  function questionFor(statement) {
    return questions.filter(function (q) { return q.statement === statement; })[0];
  }

  function lowestStatements(means) {
    return statements.filter(function (s) { return s in means && means[s] < scaleSize; })
      .sort(function (a, b) { return means[a] - means[b] || statements.indexOf(a) - statements.indexOf(b); })
      .slice(0, LOWEST);
  }

  function statementLink(statement) {
    var source = root.querySelector('.tk-sa-reading-item[data-statement="' + CSS.escape(statement) + '"] a');
    return source ? source.cloneNode(true) : document.createTextNode(statement);
  }

  /* The form --------------------------------------------------------------------------- */

  function restoreForm() {
    questions.forEach(function (q) {
      q.fieldset.querySelectorAll("input[type=radio]").forEach(function (radio) {
        radio.checked = Number(radio.value) === state.answers[q.id];
      });
      var note = q.fieldset.querySelector(".tk-sa-note");
      if (note) { note.value = state.notes[q.id] || ""; }
    });
  }

  root.querySelector(".tk-sa-questions").addEventListener("change", function (event) {
    var fieldset = event.target.closest(".tk-sa-question");
    if (!fieldset || event.target.type !== "radio") { return; }
    state.answers[fieldset.getAttribute("data-question")] = Number(event.target.value);
    save();
    if (!raterMode) {
      renderResults();
      renderAsk();
    }
  });
  root.querySelector(".tk-sa-questions").addEventListener("input", function (event) {
    if (!event.target.classList.contains("tk-sa-note")) { return; }
    state.notes[event.target.closest(".tk-sa-question").getAttribute("data-question")] = event.target.value;
    save();
  });

  /* Results ---------------------------------------------------------------------------- */

  function table(caption, headings, rows) {
    var head = el("tr", {}, headings.map(function (h) { return el("th", { scope: "col", text: h }); }));
    var body = rows.map(function (cells) {
      return el("tr", {}, cells.map(function (cell, index) {
        var td = el(index === 0 ? "th" : "td", index === 0 ? { scope: "row" } : {});
        td.appendChild(typeof cell === "string" ? document.createTextNode(cell) : cell);
        return td;
      }));
    });
    return el("div", { "class": "tk-sa-table" }, [el("table", {}, [
      el("caption", { text: caption }), el("thead", {}, [head]), el("tbody", {}, body)])]);
  }

  function labelFor(mean) {
    return Math.round(mean) === mean ? scaleLabels[mean - 1] || "" : "between " + scaleLabels[Math.floor(mean) - 1] +
      " and " + scaleLabels[Math.ceil(mean) - 1];
  }

  function chart(means, answered) {
    var rowHeight = 28, labelWidth = 92, barWidth = 200, width = labelWidth + barWidth + 28;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (answered.length * rowHeight + 4));
    svg.setAttribute("class", "tk-sa-chart");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    answered.forEach(function (statement, index) {
      var y = index * rowHeight + 4;
      var text = document.createElementNS(SVG, "text");
      text.setAttribute("x", "0");
      text.setAttribute("y", String(y + 16));
      text.textContent = statement;
      var track = document.createElementNS(SVG, "rect");
      track.setAttribute("class", "tk-sa-bar-track");
      track.setAttribute("x", String(labelWidth));
      track.setAttribute("y", String(y + 2));
      track.setAttribute("width", String(barWidth));
      track.setAttribute("height", "18");
      var bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("class", "tk-sa-bar");
      bar.setAttribute("x", String(labelWidth));
      bar.setAttribute("y", String(y + 2));
      bar.setAttribute("width", String(Math.max(2, barWidth * means[statement] / scaleSize)));
      bar.setAttribute("height", "18");
      var value = document.createElementNS(SVG, "text");
      value.setAttribute("x", String(labelWidth + barWidth + 4));
      value.setAttribute("y", String(y + 16));
      value.textContent = format(means[statement]);
      [text, track, bar, value].forEach(function (node) { svg.appendChild(node); });
    });
    return el("figure", { "class": "tk-sa-figure" }, [svg, el("figcaption", {
      text: "Bar chart of your rating for each statement, out of " + scaleSize +
        ". The table “Your ratings by statement” gives the same figures." })]);
  }

  function renderResults() {
    var means = statementMeans(state.answers);
    var answered = statements.filter(function (s) { return s in means; });
    var body = root.querySelector(".tk-sa-results-body");
    body.textContent = "";
    root.querySelector(".tk-sa-results-empty").hidden = answered.length > 0;
    if (!answered.length) { return; }
    body.appendChild(el("p", { text: "You have answered " + Object.keys(state.answers).length + " of " +
      questions.length + " questions." }));
    body.appendChild(table("Your ratings by statement", ["Statement", "Your rating", "Meaning"],
      answered.map(function (s) {
        return [statementLink(s), format(means[s]) + " out of " + scaleSize, labelFor(means[s])];
      })));
    var sets = [];
    answered.forEach(function (s) {
      var q = questionFor(s), found = sets.filter(function (x) { return x.id === q.set; })[0];
      if (!found) { found = { id: q.set, title: q.setTitle, values: [] }; sets.push(found); }
      found.values.push(means[s]);
    });
    body.appendChild(table("Your ratings by framework", ["Framework", "Statements rated", "Average rating"],
      sets.map(function (x) {
        var average = x.values.reduce(function (a, b) { return a + b; }, 0) / x.values.length;
        return [x.title || x.id, String(x.values.length), format(Math.round(average * 10) / 10) + " out of " + scaleSize];
      })));
    body.appendChild(chart(means, answered));
    var lowest = lowestStatements(means);
    body.appendChild(el("h3", { text: "What to read next" }));
    if (!lowest.length) {
      body.appendChild(el("p", { text: "You rated every statement at the top of the scale." }));
      return;
    }
    body.appendChild(el("p", { text: "Your lowest-rated statements, with the toolkit pages that support them:" }));
    body.appendChild(el("ul", { "class": "tk-sa-reading" }, lowest.map(function (s) {
      var source = root.querySelector('.tk-sa-reading-item[data-statement="' + CSS.escape(s) + '"]');
      var item = el("li");
      Array.prototype.forEach.call(source.children, function (child) { item.appendChild(child.cloneNode(true)); });
      return item;
    })));
  }

  /* Development plan ------------------------------------------------------------------- */

  var PLAN_FIELDS = [
    { name: "goal", label: "What I want to develop", multiline: true },
    { name: "action", label: "What I will do", multiline: true },
    { name: "support", label: "Support I need", multiline: true },
    { name: "by", label: "By when", type: "date" }
  ];

  function renderPlan() {
    var list = root.querySelector(".tk-sa-plan-items");
    list.textContent = "";
    root.querySelector(".tk-sa-plan-empty").hidden = state.plan.length > 0;
    root.querySelector(".tk-sa-plan-for").textContent = title + ", development plan, printed " + today();
    state.plan.forEach(function (goal, index) {
      var legendText = "Goal " + (index + 1) + (goal.statement ? ": " + goal.statement + " " + (goal.statementTitle || "") : "");
      var fieldset = el("fieldset", { "class": "tk-sa-goal" }, [el("legend", { text: legendText.trim() })]);
      PLAN_FIELDS.forEach(function (field) {
        var id = "tk-sa-plan-" + index + "-" + field.name;
        var input = field.multiline ? el("textarea", { id: id, rows: "2" }) : el("input", { id: id, type: field.type });
        input.value = goal[field.name] || "";
        input.setAttribute("data-field", field.name);
        input.setAttribute("data-index", String(index));
        fieldset.appendChild(el("div", { "class": "tk-sa-plan-field" }, [el("label", { "for": id, text: field.label }), input]));
      });
      fieldset.appendChild(el("button", { type: "button", "class": "tk-sa-plan-remove tk-sa-no-print",
        "data-index": String(index), text: "Remove goal " + (index + 1) }));
      list.appendChild(el("li", {}, [fieldset]));
    });
  }

  function addGoal(goal) {
    state.plan.push(Object.assign({ statement: "", statementTitle: "", goal: "", action: "", support: "", by: "" }, goal));
  }

  root.querySelector(".tk-sa-plan-fill").addEventListener("click", function () {
    var lowest = lowestStatements(statementMeans(state.answers));
    var planned = state.plan.map(function (g) { return g.statement; });
    var added = lowest.filter(function (s) { return planned.indexOf(s) < 0; });
    added.forEach(function (s) { addGoal({ statement: s, statementTitle: questionFor(s).statementTitle }); });
    save();
    renderPlan();
    status(!lowest.length ? "Answer some questions first: the plan starts from your lowest ratings." :
      added.length ? "Added " + added.length + " goal" + (added.length === 1 ? "" : "s") + " to your plan." :
      "Your lowest-rated statements are already in your plan.");
    if (added.length) {
      root.querySelectorAll(".tk-sa-goal")[state.plan.length - added.length].querySelector("textarea").focus();
    }
  });
  root.querySelector(".tk-sa-plan-add").addEventListener("click", function () {
    addGoal({});
    save();
    renderPlan();
    root.querySelectorAll(".tk-sa-goal")[state.plan.length - 1].querySelector("textarea").focus();
  });
  root.querySelector(".tk-sa-plan-items").addEventListener("input", function (event) {
    var index = event.target.getAttribute("data-index");
    if (index === null) { return; }
    state.plan[Number(index)][event.target.getAttribute("data-field")] = event.target.value;
    save();
  });
  root.querySelector(".tk-sa-plan-items").addEventListener("click", function (event) {
    if (!event.target.classList.contains("tk-sa-plan-remove")) { return; }
    state.plan.splice(Number(event.target.getAttribute("data-index")), 1);
    save();
    renderPlan();
    status("Goal removed from your plan.");
    root.querySelector(".tk-sa-plan-add").focus();
  });
  root.querySelector(".tk-sa-plan-print").addEventListener("click", function () {
    document.documentElement.classList.add("tk-sa-printing-plan");
    window.addEventListener("afterprint", function done() {
      document.documentElement.classList.remove("tk-sa-printing-plan");
      window.removeEventListener("afterprint", done);
    });
    window.print();
  });

  /* CSV downloads (Blob URLs: the file is made in the browser, nothing is uploaded) ------ */

  function csvCell(value, guard) {
    var text = String(value === undefined || value === null ? "" : value);
    if (guard && /^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // spreadsheets would run it as a formula
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function download(name, rows, guard) {
    var text = rows.map(function (row) { return row.map(function (v) { return csvCell(v, guard); }).join(","); }).join("\r\n") + "\r\n";
    saveFile(name, "\ufeff" + text, "text/csv;charset=utf-8");
  }

  function saveFile(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = el("a", { href: url, download: name, hidden: "" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  root.querySelector(".tk-sa-plan-csv").addEventListener("click", function () {
    var rows = [["statement", "statement_title", "what_i_want_to_develop", "what_i_will_do", "support_i_need", "by_when"]];
    state.plan.forEach(function (g) { rows.push([g.statement, g.statementTitle, g.goal, g.action, g.support, g.by]); });
    download(assessmentId + "-plan-" + today() + ".csv", rows, true);
    status("Your plan was downloaded as a CSV file.");
  });

  var exportMessage = root.querySelector(".tk-sa-export-message");
  var respondentInput = root.querySelector(".tk-sa-respondent");
  respondentInput.addEventListener("input", function () {
    state.respondent = respondentInput.value;
    save();
  });
  root.querySelector(".tk-sa-export-csv").addEventListener("click", function () {
    var code = respondentInput.value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(code)) {
      exportMessage.textContent = "Enter an anonymous code of letters, digits and hyphens first, for example GROUP2-07.";
      respondentInput.setAttribute("aria-invalid", "true");
      respondentInput.focus();
      return;
    }
    respondentInput.removeAttribute("aria-invalid");
    var choice = root.querySelector(".tk-sa-export-round").value;
    var round = choice ? state.rounds.filter(function (r) { return r.date === choice; })[0] : null;
    var answers = round ? round.answers : state.answers;
    var date = round ? round.date : today();
    var rows = [["respondent", "statement", "rating", "assessment", "date"]];
    questions.forEach(function (q) {
      if (typeof answers[q.id] === "number") { rows.push([code, q.statement, answers[q.id], assessmentId, date]); }
    });
    if (rows.length === 1) {
      exportMessage.textContent = "There are no ratings to download yet: answer some questions first.";
      return;
    }
    exportMessage.textContent = "";
    download(assessmentId + "-" + code + "-" + date + ".csv", rows, false);
    status("Your ratings were downloaded as a CSV file.");
  });

  /* Dated rounds ----------------------------------------------------------------------- */

  function renderRounds() {
    var body = root.querySelector(".tk-sa-rounds-body");
    body.textContent = "";
    var select = root.querySelector(".tk-sa-export-round");
    var chosen = select.value;
    while (select.options.length > 1) { select.remove(1); }
    state.rounds.forEach(function (round) {
      select.appendChild(el("option", { value: round.date, text: "Round of " + round.date }));
    });
    select.value = state.rounds.some(function (r) { return r.date === chosen; }) ? chosen : "";
    if (!state.rounds.length) {
      body.appendChild(el("p", { text: "You have not saved a round yet." }));
      return;
    }
    var rounds = state.rounds.map(function (r) { return statementMeans(r.answers); });
    var headings = ["Statement"].concat(state.rounds.map(function (r) { return r.date; }));
    if (state.rounds.length > 1) { headings.push("Change since " + state.rounds[0].date); }
    body.appendChild(table("Your ratings in each round", headings, statements.map(function (s) {
      var cells = [statementLink(s)].concat(rounds.map(function (m) { return s in m ? format(m[s]) : "–"; }));
      if (state.rounds.length > 1) {
        var first = rounds[0][s], last = rounds[rounds.length - 1][s];
        var change = first === undefined || last === undefined ? null : Math.round((last - first) * 10) / 10;
        cells.push(change === null ? "–" : (change > 0 ? "+" : change < 0 ? "−" : "") + format(Math.abs(change)));
      }
      return cells;
    })));
  }

  var roundDate = root.querySelector(".tk-sa-round-date");
  roundDate.value = today();
  root.querySelector(".tk-sa-round-save").addEventListener("click", function () {
    var date = roundDate.value || today();
    if (!Object.keys(state.answers).length) {
      status("Answer some questions before saving a round.");
      return;
    }
    var replaced = state.rounds.some(function (r) { return r.date === date; });
    state.rounds = state.rounds.filter(function (r) { return r.date !== date; });
    state.rounds.push({ date: date, answers: Object.assign({}, state.answers) });
    state.rounds.sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
    save();
    renderRounds();
    status((replaced ? "Updated" : "Saved") + " your round of " + date + ".");
  });

  /* 360 feedback ---------------------------------------------------------------------- */

  var KIND = "360-response";
  var GROUPS = ["manager", "peer", "supervisee"];
  var GROUP_NAMES = { manager: ["manager", "managers"], peer: ["peer", "peers"],
    supervisee: ["person you supervise", "people you supervise"] };
  var FEWEST = 3;
  var CODE_PREFIX = "TK360-";

  function randomCode() {
    var bytes = new Uint8Array(9);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return "abcdefghjkmnpqrstuvwxyz23456789ABCDEFGHJKLMNPQRSTUVWXYZ"[b % 56]; }).join("");
  }

  function plural(count, group) {
    return count + " " + GROUP_NAMES[group][count === 1 ? 0 : 1];
  }

  function listWords(items) {
    return items.length < 2 ? items.join("") : items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  function signedText(value) {
    var rounded = Math.round(value * 10) / 10;
    return rounded === 0 ? "0" : (rounded > 0 ? "+" : "−") + format(Math.abs(rounded));
  }

  /* The rater's side: a form for a colleague, sent back as a file or a code. */

  var raterId = "";

  function raterIdentity() {
    // One random code per browser, so a second file from the same rater is recognised.
    if (raterId) { return raterId; }
    try {
      raterId = window.localStorage.getItem(baseKey + ":rater-id") || "";
      if (!raterId) {
        raterId = randomCode();
        window.localStorage.setItem(baseKey + ":rater-id", raterId);
      }
    } catch (e) {
      raterId = raterId || randomCode();
    }
    return raterId;
  }

  var raterMessage = root.querySelector(".tk-sa-rater-message");

  function renderRater() {
    var valid = CODE.test(raterRequest);
    root.querySelector(".tk-sa-rater-send").hidden = !valid;
    raterMessage.textContent = "";
    if (!valid) {
      root.querySelector(".tk-sa-rater p").textContent = "This feedback link is incomplete. Ask your colleague " +
        "to send it again, copied whole from their self-assessment page.";
    }
    root.querySelectorAll("input[name=tk-sa-rater-group]").forEach(function (radio) {
      radio.checked = radio.value === state.group;
    });
    root.querySelector(".tk-sa-rater-code-wrap").hidden = true;
  }

  function raterResponse() {
    if (GROUPS.indexOf(state.group) < 0) {
      raterMessage.textContent = "Choose how you work with your colleague first (at the top of the page).";
      root.querySelector("input[name=tk-sa-rater-group]").focus();
      return null;
    }
    var missing = questions.filter(function (q) { return typeof state.answers[q.id] !== "number"; });
    if (missing.length) {
      raterMessage.textContent = "Answer every question first: " + missing.length + " still to answer, starting with question " +
        (questions.indexOf(missing[0]) + 1) + ".";
      missing[0].fieldset.querySelector("input[type=radio]").focus();
      return null;
    }
    raterMessage.textContent = "";
    return { toolkit: KIND, version: 1, assessment: assessmentId, title: title, request: raterRequest,
      rater: raterIdentity(), group: state.group, date: today(), scale: scaleSize,
      ratings: questions.map(function (q) { return { question: q.id, statement: q.statement, rating: state.answers[q.id] }; }) };
  }

  function encodeCode(text) {
    var bytes = new TextEncoder().encode(text), binary = "";
    bytes.forEach(function (b) { binary += String.fromCharCode(b); });
    return CODE_PREFIX + btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decodeCode(code) {
    var base = code.replace(/\s+/g, "").slice(CODE_PREFIX.length).replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base);
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, function (c) { return c.charCodeAt(0); }));
  }

  if (raterMode) {
    root.querySelector(".tk-sa-rater-group").addEventListener("change", function (event) {
      state.group = event.target.value;
      save();
    });
    root.querySelector(".tk-sa-rater-download").addEventListener("click", function () {
      var response = raterResponse();
      if (!response) { return; }
      saveFile(assessmentId + "-360-" + response.rater + ".json", JSON.stringify(response, null, 1) + "\n",
        "application/json");
      status("Your response was downloaded. Send the file to your colleague.");
    });
    root.querySelector(".tk-sa-rater-copy").addEventListener("click", function () {
      var response = raterResponse();
      if (!response) { return; }
      var box = root.querySelector(".tk-sa-rater-code");
      box.value = encodeCode(JSON.stringify(response));
      root.querySelector(".tk-sa-rater-code-wrap").hidden = false;
      box.focus();
      box.select();
      status("Your response is shown as a code: copy it and paste it into a message to your colleague.");
    });
  }

  /* The person's side: the link to send, the responses loaded back, and the comparison. */

  function checkResponse(data) {
    // A reason the response cannot be used, in plain words, or "" when it can.
    var ids = questions.map(function (q) { return q.id; });
    if (!data || typeof data !== "object" || data.toolkit !== KIND || data.version !== 1 ||
        typeof data.assessment !== "string" || !CODE.test(String(data.rater)) || !Array.isArray(data.ratings)) {
      return "is not a 360 response from this toolkit, or it is damaged. Ask for it to be downloaded again.";
    }
    if (data.assessment !== assessmentId) {
      return "is feedback on a different self-assessment (“" + String(data.title || data.assessment) + "”), not this one.";
    }
    if (data.request !== state.request) {
      return "answers a different request for feedback (someone else’s link, or one from before your answers were deleted).";
    }
    var seen = {};
    var valid = GROUPS.indexOf(data.group) >= 0 && data.scale === scaleSize && data.ratings.length === ids.length &&
      data.ratings.every(function (r) {
        var fine = r && ids.indexOf(r.question) >= 0 && !seen[r.question] && Number.isInteger(r.rating) &&
          r.rating >= 1 && r.rating <= scaleSize;
        if (fine) { seen[r.question] = true; }
        return fine;
      });
    if (!valid) {
      return "does not match this self-assessment’s questions (it is damaged, or the questions have changed since).";
    }
    if (state.feedback.some(function (r) { return r.rater === data.rater; })) {
      return "is from someone whose response is already loaded (the same person twice), so it was not added again.";
    }
    return "";
  }

  function readResponse(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  var askMessages = root.querySelector(".tk-sa-ask-messages");

  function addResponses(items) {
    // items: [{name, data}]; each is added or refused with its reason; nothing loaded is lost.
    var added = 0, refused = [];
    items.forEach(function (item) {
      var reason = checkResponse(item.data);
      if (reason) {
        refused.push(item.name + " " + reason);
        return;
      }
      state.feedback.push({ rater: item.data.rater, group: item.data.group, date: String(item.data.date || ""),
        ratings: item.data.ratings.map(function (r) { return { question: r.question, rating: r.rating }; }) });
      added += 1;
    });
    if (added) { save(true); }
    askMessages.textContent = "";
    askMessages.appendChild(el("p", { text: (added ? "Added " + added + " response" + (added === 1 ? "" : "s") + "." :
      "No response was added.") + (refused.length ? " " + refused.length + " could not be used:" : "") }));
    if (refused.length) {
      askMessages.appendChild(el("ul", {}, refused.map(function (text) { return el("li", { text: text }); })));
    }
    renderAsk();
    return added;
  }

  function displayGroups(responses) {
    // Groups of fewer than FEWEST are combined; if still too few, joined to the smallest group.
    var present = GROUPS.map(function (g) {
      return { keys: [g], count: responses.filter(function (r) { return r.group === g; }).length };
    }).filter(function (x) { return x.count > 0; });
    var small = present.filter(function (x) { return x.count < FEWEST; });
    var large = present.filter(function (x) { return x.count >= FEWEST; });
    if (small.length) {
      var merged = { keys: [].concat.apply([], small.map(function (x) { return x.keys; })),
        count: small.reduce(function (total, x) { return total + x.count; }, 0) };
      if (merged.count >= FEWEST || !large.length) {
        large.push(merged);
      } else {
        var target = large.reduce(function (a, b) { return b.count < a.count ? b : a; });
        target.keys = target.keys.concat(merged.keys);
        target.count += merged.count;
      }
    }
    large.forEach(function (x) { x.keys.sort(function (a, b) { return GROUPS.indexOf(a) - GROUPS.indexOf(b); }); });
    return large.sort(function (a, b) { return GROUPS.indexOf(a.keys[0]) - GROUPS.indexOf(b.keys[0]); });
  }

  function groupLabel(group) {
    var words = group.keys.map(function (g) { return GROUP_NAMES[g][1]; });
    var text = listWords(words);
    return text.charAt(0).toUpperCase() + text.slice(1) + " (" + group.count + ")";
  }

  function othersMean(responses, statement) {
    // The mean of each rater's rating of the statement; null when fewer than FEWEST rated it.
    var values = responses.map(function (r) {
      var answers = {};
      r.ratings.forEach(function (x) { answers[x.question] = x.rating; });
      return statementMeans(answers)[statement];
    }).filter(function (v) { return typeof v === "number"; });
    return values.length < FEWEST ? null : values.reduce(function (a, b) { return a + b; }, 0) / values.length;
  }

  function renderAsk() {
    if (!CODE.test(state.request || "")) {
      state.request = randomCode();  // kept with the next save, or as soon as the link is used
    }
    root.querySelector(".tk-sa-ask-link").value = location.href.split(/[?#]/)[0] + "?rater=" + state.request;
    var body = root.querySelector(".tk-sa-ask-body");
    body.textContent = "";
    var responses = state.feedback;
    if (!responses.length) {
      body.appendChild(el("p", { text: "No responses are loaded yet." }));
      return;
    }
    var counts = GROUPS.filter(function (g) { return responses.some(function (r) { return r.group === g; }); })
      .map(function (g) { return plural(responses.filter(function (r) { return r.group === g; }).length, g); });
    body.appendChild(el("p", { "class": "tk-sa-ask-count", text: "You have loaded " + responses.length + " response" +
      (responses.length === 1 ? "" : "s") + ": " + listWords(counts) + "." }));
    if (responses.length < FEWEST) {
      body.appendChild(el("p", { text: "Load at least " + FEWEST + " responses to see others’ ratings: with fewer, " +
        "a person’s answers could be picked out." }));
    } else {
      renderComparison(body, responses);
    }
    body.appendChild(el("p", {}, [el("button", { type: "button", "class": "tk-sa-ask-clear",
      text: "Remove the loaded responses" })]));
  }

  function renderComparison(body, responses) {
    var groups = displayGroups(responses);
    if (groups.some(function (g) { return g.keys.length > 1; })) {
      body.appendChild(el("p", { text: "Groups of fewer than " + FEWEST + " people are combined, so no one’s answers " +
        "can be picked out: " + listWords(groups.filter(function (g) { return g.keys.length > 1; })
          .map(function (g) { return groupLabel(g).replace(/ \(\d+\)$/, "").toLowerCase(); })) + " are shown together." }));
    }
    var self = statementMeans(state.answers);
    var rows = statements.map(function (s) {
      var all = othersMean(responses, s);
      return { statement: s, self: self[s], all: all,
        gap: typeof self[s] === "number" && all !== null ? all - self[s] : null,
        groups: groups.map(function (g) {
          return othersMean(responses.filter(function (r) { return g.keys.indexOf(r.group) >= 0; }), s);
        }) };
    });
    rows.sort(function (a, b) {
      if ((a.gap === null) !== (b.gap === null)) { return a.gap === null ? 1 : -1; }
      return Math.abs(b.gap || 0) - Math.abs(a.gap || 0) || statements.indexOf(a.statement) - statements.indexOf(b.statement);
    });
    var headings = ["Statement", "You"];
    if (groups.length > 1) { headings = headings.concat(groups.map(groupLabel)); }
    headings.push("All others (" + responses.length + ")", "Difference (others − you)");
    var cell = function (value) { return value === null || value === undefined ? "–" : format(Math.round(value * 10) / 10); };
    body.appendChild(table("Your ratings beside others’, widest differences first", headings, rows.map(function (row) {
      var cells = [statementLink(row.statement), cell(row.self)];
      if (groups.length > 1) { cells = cells.concat(row.groups.map(cell)); }
      var gap = row.gap === null ? "–" : signedText(row.gap) + (Math.round(row.gap * 10) === 0 ? " (the same)" :
        row.gap > 0 ? " (others rate you higher)" : " (others rate you lower)");
      return cells.concat([cell(row.all), gap]);
    })));
    var widest = rows[0];
    if (!Object.keys(self).length) {
      body.appendChild(el("p", { text: "Answer the questions yourself to see where your view and others’ differ." }));
    } else if (widest.gap !== null && Math.round(widest.gap * 10) !== 0) {
      body.appendChild(el("p", { "class": "tk-sa-ask-widest", text: "The widest difference is on " + widest.statement + " " +
        questionFor(widest.statement).statementTitle + ": others rate you " + format(Math.round(Math.abs(widest.gap) * 10) / 10) +
        " point" + (Math.round(Math.abs(widest.gap) * 10) === 10 ? "" : "s") + (widest.gap > 0 ? " higher" : " lower") +
        " than you rate yourself." }));
    }
    body.appendChild(el("p", { text: "Each figure is a mean on the scale of 1 to " + scaleSize + "; a dash means fewer than " +
      FEWEST + " people in that group answered." }));
  }

  if (!raterMode) {
    root.querySelector(".tk-sa-ask-link").addEventListener("focus", function () { save(true); });
    root.querySelector(".tk-sa-ask-copy").addEventListener("click", function () {
      var input = root.querySelector(".tk-sa-ask-link");
      save(true);
      input.select();
      var copied = navigator.clipboard && window.isSecureContext ? navigator.clipboard.writeText(input.value) :
        Promise.reject(new Error("no clipboard"));
      copied.then(function () { status("The link was copied. Paste it into a message to the people you ask."); },
        function () { status("The link is selected: press Ctrl+C (or Cmd+C) to copy it."); });
    });
    root.querySelector(".tk-sa-ask-files").addEventListener("change", function (event) {
      var input = event.target;
      Promise.all(Array.prototype.map.call(input.files, function (file) {
        return file.text().then(function (text) { return { name: "“" + file.name + "”", data: readResponse(text) }; },
          function () { return { name: "“" + file.name + "”", data: null }; });
      })).then(function (items) {
        addResponses(items);
        input.value = "";
      });
    });
    root.querySelector(".tk-sa-ask-add").addEventListener("click", function () {
      var box = root.querySelector(".tk-sa-ask-paste");
      var code = box.value.trim(), data = null;
      try {
        data = code.indexOf(CODE_PREFIX) === 0 ? readResponse(decodeCode(code)) : null;
      } catch (e) {
        data = null;
      }
      if (addResponses([{ name: "The code", data: data }])) { box.value = ""; }
    });
    root.querySelector(".tk-sa-ask-body").addEventListener("click", function (event) {
      if (!event.target.classList.contains("tk-sa-ask-clear")) { return; }
      if (!window.confirm("Remove the responses you loaded from this browser? You can load the files again later.")) { return; }
      state.feedback = [];
      save(true);
      askMessages.textContent = "";
      renderAsk();
      status("The loaded responses were removed from this browser.");
      root.querySelector(".tk-sa-ask-files").focus();
    });
  }

  /* Deleting --------------------------------------------------------------------------- */

  root.querySelector(".tk-sa-delete").addEventListener("click", function () {
    if (!window.confirm(raterMode ? "Delete your feedback answers from this browser?" :
        "Delete all your answers, rounds, plan and loaded feedback for this self-assessment from this browser?")) { return; }
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing was stored */ }
    state = empty();
    respondentInput.value = "";
    restoreForm();
    renderAll();
    status("Your answers were deleted from this browser.");
  });

  function renderAll() {
    if (raterMode) {
      renderRater();
      return;
    }
    renderResults();
    renderPlan();
    renderRounds();
    renderAsk();
  }

  root.classList.add("tk-sa-enhanced");
  root.querySelectorAll(".tk-sa-privacy, " + (raterMode ? ".tk-sa-rater, .tk-sa-rater-send, .tk-sa-rater-only" :
    ".tk-sa-results, .tk-sa-plan, .tk-sa-rounds, .tk-sa-export, .tk-sa-ask"))
    .forEach(function (section) { section.hidden = false; });
  root.querySelector(".tk-sa-self-only").hidden = raterMode;
  respondentInput.value = state.respondent || "";
  restoreForm();
  renderAll();
  // "On this page" lists the sections this mode shows (the others stay hidden there too).
  document.querySelectorAll(".tk-sa-toc-scripted a[href^='#']").forEach(function (link) {
    var heading = document.getElementById(link.getAttribute("href").slice(1));
    var section = heading && heading.closest("section");
    link.closest("li").classList.toggle("tk-sa-toc-shown", !!section && !section.hidden);
  });
  if (!storageWorks) {
    status("This browser is not letting the page save your answers (storage is switched off). " +
           "They will be lost when you leave the page.");
  }
}());
