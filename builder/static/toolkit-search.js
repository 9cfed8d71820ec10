// Search page on the Pagefind JS API. The form's fields are the search: `q` and one parameter
// per ticked filter (kind, audience, topic, statement), so the URL can be shared, the back button
// works, and a URL opened later runs the same search. Works under any sub-path.
(function () {
  "use strict";
  var PAGE_SIZE = 10;
  var FILTERS = ["kind", "audience", "topic", "statement"];

  // Words that carry no meaning in a question. Pagefind finds pages holding every word, so
  // "how often should my NQSW be supervised?" would otherwise need "how", "should" and "my".
  var STOP_WORDS = ("a about am an and any are as at be been but by can could did do does for from get got " +
    "has have how i if in into is it its me my of on or our should so that the their them then there " +
    "they this to us was we were what when where which who why will with would you your").split(" ");

  function words(q) {
    var all = (q || "").toLowerCase().replace(/[^\p{L}\p{N}'\-]+/gu, " ").trim().split(/\s+/).filter(Boolean);
    var meaningful = all.filter(function (word) { return STOP_WORDS.indexOf(word) === -1; });
    return meaningful.length ? meaningful : all;
  }

  // Pagefind's ranking: titles count for more than a word deep in a long page.
  var RANKING = { metaWeights: { title: 10 } };

  // A large site's index is in shards (toolkit/search_index.py), listed beside the bundle; each
  // is merged in. They sit inside the bundle's folder, so Pagefind takes the folder above
  // `pagefind/` as the base of their result URLs, as it does for the bundle's own.
  var SHARD_LIST = "toolkit-shards.json";

  var opened = {};

  // Once per bundle: merging a shard twice would count its pages twice.
  function open(bundle) {
    if (!opened[bundle]) { opened[bundle] = openBundle(bundle); }
    return opened[bundle];
  }

  function openBundle(bundle) {
    var folder = new URL("./", bundle);
    var shards = fetch(new URL(SHARD_LIST, folder)).then(function (response) {
      return response.ok ? response.json() : [];
    }).catch(function () { return []; });
    return import(bundle).then(function (pf) {
      return pf.options({ ranking: RANKING }).then(function () { return pf.init(); }).then(function () {
        return shards;
      }).then(function (list) {
        return Promise.all(list.map(function (shard) {
          return pf.mergeIndex(new URL(shard, folder).pathname, { ranking: RANKING });
        }));
      }).then(function () { return pf; });
    });
  }

  // The search the page runs: the question's meaningful words. When no page has them all, pages
  // having most of them, best first (marked `partial`), rather than nothing.
  function find(pf, q, filters) {
    var terms = words(q);
    var options = { filters: filters || {} };
    if (!terms.length) { return pf.search(null, options); }
    return pf.search(terms.join(" "), options).then(function (search) {
      if (search.results.length || terms.length < 2) { return search; }
      return Promise.all(terms.map(function (term) { return pf.search(term, options); })).then(function (each) {
        var pages = {};
        each.forEach(function (single) {
          single.results.forEach(function (result) {
            var page = pages[result.id] || (pages[result.id] = { result: result, words: 0, score: 0 });
            page.words += 1;
            page.score += result.score;
          });
        });
        var results = Object.keys(pages).map(function (id) { return pages[id]; }).sort(function (a, b) {
          return b.words - a.words || b.score - a.score;
        }).map(function (page) { return page.result; });
        return { results: results, filters: null, partial: results.length > 0 };
      });
    });
  }

  window.toolkitSearch = { open: open, find: find, words: words };

  var form = document.querySelector(".toolkit-search-form");
  if (!form || !window.URLSearchParams) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("toolkit-search-status");
  var list = document.getElementById("toolkit-search-results");
  var more = document.querySelector(".toolkit-search-more");
  var clear = form.querySelector(".toolkit-search-clear");
  var root = new URL("./", window.location.href);
  var shown = [];
  var latest = 0;
  var typingTimer = null;

  function load() {
    // The bundle's own path sets Pagefind's base URL, so result URLs carry this site's sub-path.
    return open(new URL("pagefind/pagefind.js", root).href);
  }

  function state() {
    var params = new URLSearchParams();
    var q = input.value.trim();
    if (q) { params.set("q", q); }
    FILTERS.forEach(function (name) {
      form.querySelectorAll("input[name=" + name + "]:checked").forEach(function (box) { params.append(name, box.value); });
    });
    return params;
  }

  function applyState(params) {
    input.value = params.get("q") || "";
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = params.getAll(box.name).indexOf(box.value) !== -1;
    });
    form.querySelectorAll("details.toolkit-filter").forEach(function (group) {
      var chosen = group.querySelectorAll("input:checked").length;
      if (chosen) { group.open = true; }
      group.querySelector(".toolkit-filter-chosen").textContent = chosen ? "(" + chosen + " chosen)" : "";
    });
  }

  function chosenFilters(params) {
    var filters = {};
    FILTERS.forEach(function (name) {
      var values = params.getAll(name);
      if (values.length) { filters[name] = { any: values }; }
    });
    return filters;
  }

  function describe(params, count, partial) {
    var q = params.get("q");
    var filtered = FILTERS.some(function (name) { return params.getAll(name).length; });
    var what = (q ? " for \u201c" + q + "\u201d" : "") + (filtered ? " with the chosen filters" : "");
    if (count === 0) { return "No results" + what + ". Try fewer words or fewer filters."; }
    var found = count + (count === 1 ? " result" : " results") + what + ".";
    return partial ? "No page has all your words. " + found + " Pages with the most of them come first." : found;
  }

  function updateCounts(counts) {
    form.querySelectorAll(".toolkit-filter-count").forEach(function (span) {
      var group = span.closest("details").getAttribute("data-filter");
      var n = (counts[group] || {})[span.getAttribute("data-count-for")] || 0;
      span.textContent = "(" + n + ")";
    });
  }

  function render(data) {
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || (data.meta.term ? data.meta.term + " (glossary)" : data.url);
    heading.appendChild(link);
    item.appendChild(heading);
    var kind = (data.filters.kind || [])[0];
    if (kind) {
      var meta = document.createElement("p");
      meta.className = "toolkit-result-kind";
      meta.textContent = kind;
      item.appendChild(meta);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "toolkit-result-excerpt";
    excerpt.innerHTML = data.excerpt;  // Pagefind's excerpt: the page's text, escaped, with <mark>
    item.appendChild(excerpt);
    return item;
  }

  function showMore() {
    var batch = shown.splice(0, PAGE_SIZE);
    more.hidden = true;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      var firstNew = null;
      pages.forEach(function (data) {
        var item = render(data);
        firstNew = firstNew || item;
        list.appendChild(item);
      });
      more.hidden = shown.length === 0;
      return firstNew;
    });
  }

  function run(params) {
    var ticket = ++latest;
    var q = params.get("q");
    var filters = chosenFilters(params);
    clear.hidden = Object.keys(filters).length === 0;
    if (!q && !Object.keys(filters).length) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return load().then(function (pf) { return pf.filters(); }).then(function (counts) {
        if (ticket === latest) { updateCounts(counts); }
      }).catch(function () {});
    }
    status.textContent = "Searching\u2026";
    return load().then(function (pf) {
      return find(pf, q, filters);
    }).then(function (search) {
      if (ticket !== latest) { return; }
      list.replaceChildren();
      shown = search.results.slice();
      if (search.filters) { updateCounts(search.filters); }
      return showMore().then(function () {
        if (ticket === latest) { status.textContent = describe(params, search.results.length, search.partial); }
      });
    }).catch(function () {
      status.textContent = "Search is not available. Browse the sections and topics instead.";
    });
  }

  function navigate(push) {
    var params = state();
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url !== window.location.pathname + window.location.search) {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }
    return run(params);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(typingTimer);
    navigate(true);
  });
  input.addEventListener("input", function () {
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () { navigate(false); }, 300);
  });
  form.addEventListener("change", function (event) {
    if (event.target.type !== "checkbox") { return; }
    applyState(state());
    navigate(true);
  });
  clear.addEventListener("click", function () {
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) { box.checked = false; });
    applyState(state());
    navigate(true);
    input.focus();
  });
  more.addEventListener("click", function () {
    showMore().then(function (first) {
      if (first) { first.querySelector("a").focus(); }
    });
  });
  window.addEventListener("popstate", function () {
    var params = new URLSearchParams(window.location.search);
    applyState(params);
    run(params);
  });

  var initial = new URLSearchParams(window.location.search);
  applyState(initial);
  form.classList.add("toolkit-search-ready");
  load();  // start fetching the small entry files while the reader types
  run(initial);
})();
