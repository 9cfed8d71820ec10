// Search page on the Pagefind JS API. The form's fields are the search: `q` and one parameter
// per ticked filter (kind, audience, topic, statement), so the URL can be shared, the back button
// works, and a URL opened later runs the same search. Works under any sub-path.
(function () {
  "use strict";
  var PAGE_SIZE = 10;
  var FILTERS = ["kind", "service", "audience", "topic", "statement"];

  // Words that carry no meaning in a question. Pagefind finds pages holding every word, so
  // "how often should my NQSW be supervised?" would otherwise need "how", "should" and "my".
  var STOP_WORDS = ("a about am an and any are as at be been but by can could did do does for from get got " +
    "has have how i if in into is it its me my of on or our should so that the their them then there " +
    "they this to too us very was we were what when where which who why will with would you your " +
    "become becoming").split(" ");

  function words(q) {
    var all = (q || "").toLowerCase().replace(/[^\p{L}\p{N}'\-]+/gu, " ").trim().split(/\s+/).filter(Boolean);
    var meaningful = all.filter(function (word) { return STOP_WORDS.indexOf(word) === -1; });
    return meaningful.length ? meaningful : all;
  }

  // Pagefind's ranking: titles count for more than a word deep in a long page.
  var RANKING = { metaWeights: { title: 10 } };

  // After a rebuild, the records changed since the site's index was written are in a small delta
  // index beside it (toolkit/site/search_index.py), listed with the index's own copies of them to leave
  // out, by the filter value each of its records carries. The delta sits inside the bundle's
  // folder, so Pagefind takes the folder above `pagefind/` as the base of its result URLs too.
  var SHARD_LIST = "toolkit-shards.json";
  var RECORD = "record";

  var opened = {};

  // Once per bundle: merging the delta twice would count its pages twice.
  function open(bundle) {
    if (!opened[bundle]) { opened[bundle] = openBundle(bundle); }
    return opened[bundle];
  }

  function openBundle(bundle) {
    var folder = new URL("./", bundle);
    var listing = fetch(new URL(SHARD_LIST, folder)).then(function (response) {
      return response.ok ? response.json() : {};
    }).catch(function () { return {}; });
    return import(bundle).then(function (pf) {
      return pf.options({ ranking: RANKING }).then(function () { return pf.init(); }).then(function () {
        return listing;
      }).then(function (list) {
        return Promise.all((list.merge || []).map(function (part) {
          return pf.mergeIndex(new URL(part, folder).pathname, { ranking: RANKING });
        })).then(function () { return current(pf, list.exclude || [], list.twins || {}); });
      });
    });
  }

  function zeroed(counts) {
    var none = {};
    Object.keys(counts || {}).forEach(function (name) {
      none[name] = {};
      Object.keys(counts[name]).forEach(function (value) { none[name][value] = 0; });
    });
    return none;
  }

  function withoutRecords(counts) {
    if (counts) { delete counts[RECORD]; }
    return counts;
  }

  // Pagefind ranks each index by its own word statistics, so a page in the small delta would
  // rank far from where one index puts it. Most delta records have a twin in the base (its copy
  // from before the edit, or the same record moved): a delta result takes its twin's score, as
  // the same search without the leaving-out gives it, and the results are sorted again.
  function rankLikeTheBase(found, unfiltered, twins) {
    var scores = {};
    unfiltered.results.forEach(function (result) { scores[result.id] = result.score; });
    found.results.forEach(function (result) {
      var twin = twins[result.id];
      if (twin && scores[twin] !== undefined) { result.score = scores[twin]; }
    });
    found.results.sort(function (a, b) { return b.score - a.score; });
    return found;
  }

  // Pagefind's search and filters as one index of the current pages would give them: the
  // replaced records left out of results and counts, ranked as the base ranks them, and the
  // record filter out of sight.
  function current(pf, replaced, twins) {
    var stale = replaced.length ? { none: replaced } : null;
    function search(term, options) {
      var filters = {};
      Object.keys((options || {}).filters || {}).forEach(function (name) { filters[name] = options.filters[name]; });
      if (!stale) {
        return pf.search(term, options).then(function (found) {
          withoutRecords(found.filters);
          withoutRecords(found.totalFilters);
          return found;
        });
      }
      var narrowed = Object.keys(filters).length > 0;
      filters[RECORD] = stale;
      var ranked = function (found) {
        if (term === null) { return found; }   // filter-only results are in index order, unranked
        return pf.search(term, options || {}).then(function (all) { return rankLikeTheBase(found, all, twins); });
      };
      return pf.search(term, { filters: filters }).then(ranked).then(function (found) {
        withoutRecords(found.filters);
        // Pagefind's totals ignore every filter, the leaving-out included, so they come from a
        // search with only that; without a term, they are nothing (as Pagefind has them).
        if (term === null || !narrowed) {
          found.totalFilters = term === null ? zeroed(found.filters) : found.filters;
          return found;
        }
        var only = {};
        only[RECORD] = stale;
        return pf.search(term, { filters: only }).then(function (wide) {
          found.totalFilters = withoutRecords(wide.filters);
          return found;
        });
      });
    }
    // All filters' counts: Pagefind loads every filter's file for this first.
    function filters() {
      if (!stale) { return pf.filters().then(withoutRecords); }
      return pf.filters().then(function () { return search(null, {}); }).then(function (found) { return found.filters; });
    }
    return { search: search, filters: filters };
  }

  // The site's own vocabulary, written into the search page at build time (builder/search_words.py):
  // its words most frequent first, run-together forms of its hyphenated words, the framework and
  // statement ids, and the kind of page kept for authors.
  var vocabulary = null;

  function siteVocabulary() {
    if (vocabulary) { return vocabulary; }
    var box = document.querySelector(".toolkit-search[data-words]");
    var read = function (name) { return box ? box.getAttribute("data-" + name) || "" : ""; };
    vocabulary = { words: read("words").split(" ").filter(Boolean), known: {}, ids: {}, terms: {},
                   joined: JSON.parse(read("joined") || "{}"), authors: read("authors-kind") };
    vocabulary.words.forEach(function (word) { vocabulary.known[word] = true; });
    var terms = JSON.parse(read("terms") || "{}");   // glossary term or alias -> the page it points to
    Object.keys(terms).forEach(function (term) { vocabulary.terms[phrase(words(term))] = terms[term]; });
    read("ids").split(" ").filter(Boolean).forEach(function (id) { vocabulary.ids[squash(id)] = id; });
    return vocabulary;
  }

  function phrase(terms) { return terms.join(" ").replace(/-/g, " "); }   // "life-story work" as "life story work"

  function squash(text) { return text.toUpperCase().replace(/[^A-Z0-9]/g, ""); }

  // Edits (insert, delete, change, swap two neighbours) from a to b; more than `limit` stops early.
  function distance(a, b, limit) {
    var before = null, previous = [], row;
    for (var j = 0; j <= b.length; j++) { previous.push(j); }
    for (var i = 1; i <= a.length; i++) {
      row = [i];
      var smallest = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var best = Math.min(previous[k] + 1, row[k - 1] + 1, previous[k - 1] + cost);
        if (before && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          best = Math.min(best, before[k - 2] + 1);
        }
        row.push(best);
        smallest = Math.min(smallest, best);
      }
      if (smallest > limit) { return limit + 1; }
      before = previous;
      previous = row;
    }
    return previous[b.length];
  }

  // British and American spellings, and the noun and verb of "practice": each pair of endings is
  // tried both ways, and the form the site uses most wins ("behavior" -> "behaviour",
  // "organization" -> "organisation", "practise" -> "practice").
  var SPELLINGS = [["ization", "isation"], ["izing", "ising"], ["ized", "ised"], ["ize", "ise"], ["izes", "ises"],
    ["yze", "yse"], ["yzed", "ysed"], ["yzing", "ysing"], ["or", "our"], ["ors", "ours"], ["ored", "oured"],
    ["er", "re"], ["ers", "res"], ["og", "ogue"], ["ense", "ence"], ["ise", "ice"], ["ising", "icing"],
    ["gment", "gement"], ["gram", "gramme"], ["grams", "grammes"], ["aging", "ageing"]];

  function rank(word) {
    var at = siteVocabulary().words.indexOf(word);
    return at === -1 ? Infinity : at;
  }

  function commonSpelling(word) {
    var best = word, bestRank = rank(word);
    SPELLINGS.forEach(function (pair) {
      [[pair[0], pair[1]], [pair[1], pair[0]]].forEach(function (way) {
        if (word.length <= way[0].length + 2 || word.slice(-way[0].length) !== way[0]) { return; }
        var other = word.slice(0, -way[0].length) + way[1];
        if (rank(other) < bestRank) { best = other; bestRank = rank(other); }
      });
    });
    return best;
  }

  // A word run together from two the site uses, each of four letters or more ("lifestory",
  // "casefile"), as the site writes them.
  function split(word, shortest) {
    var v = siteVocabulary();
    for (var cut = shortest; cut <= word.length - shortest; cut++) {
      if (v.known[word.slice(0, cut)] && v.known[word.slice(cut)]) { return word.slice(0, cut) + " " + word.slice(cut); }
    }
    return null;
  }

  // A word the site does not use, as the site writes it: "ecomap" -> "eco map", "geneogram" ->
  // "genogram" (the most used of the nearest words), "behavior" -> "behaviour". Short words,
  // numbers and beginnings of words the site uses (Pagefind finds those) are left as they are.
  function correct(word) {
    var v = siteVocabulary();
    if (word.length < 4 || /\d/.test(word) || !v.words.length) { return word; }
    var spelt = commonSpelling(word);
    if (spelt !== word || v.known[word]) { return spelt; }
    if (v.joined[word]) { return v.joined[word]; }
    if (v.words.some(function (known) { return known.indexOf(word) === 0; })) { return word; }
    var parts = split(word, 4);
    if (parts) { return parts; }
    var limit = word.length >= 7 ? 2 : 1;
    var nearest = null;
    v.words.forEach(function (known) {
      if (Math.abs(known.length - word.length) > limit) { return; }
      var d = distance(word, known, limit);
      if (d <= limit) { nearest = known; limit = d - 1; }
    });
    return nearest || split(word, 3) || word;
  }

  // Words a question may put around a framework's or statement's id: "pcf domain 6", "sfe standard 5".
  var ID_WORDS = ["domain", "domains", "standard", "standards", "statement", "statements", "framework",
    "frameworks", "number", "no"];

  // The page a question names: a framework or statement by its id, however it is typed ("pcf 6",
  // "kss-ps-7", "PCF6", "pcf domain 6"), or the page the glossary gives for a term ("MSP", "what is DCS").
  function namedId(terms) {
    var v = siteVocabulary();
    var named = terms.filter(function (term) { return ID_WORDS.indexOf(term) === -1; });
    return v.ids[squash(terms.join(""))] || (named.length ? v.ids[squash(named.join(""))] : null)
      || v.terms[phrase(terms)] || null;
  }

  function isStatementId(id) { return siteVocabulary().ids[squash(id)] === id; }

  // Readers' results leave out the pages for authors, unless that kind is chosen.
  function forReaders(filters) {
    var authors = siteVocabulary().authors;
    var chosen = (filters.kind || {}).any || [];
    if (!authors || chosen.indexOf(authors) !== -1) { return filters; }
    var narrowed = { not: { kind: authors } };
    Object.keys(filters).forEach(function (name) { narrowed[name] = filters[name]; });
    return narrowed;
  }

  // The search the page runs: the question's meaningful words, each as the site writes it. When no
  // page has them all, pages having most of them, best first (marked `partial`), rather than
  // nothing. A framework or statement named by its id comes first.
  function find(pf, q, filters, exact) {
    var asked = words(q);
    var terms = exact ? asked : asked.map(correct).join(" ").split(" ");
    var corrected = terms.join(" ") !== asked.join(" ") ? terms.join(" ") : null;
    var options = { filters: forReaders(filters || {}) };
    var id = namedId(asked);
    var named = id ? pf.search(null, { filters: Object.assign({}, options.filters, { id: id }) })
      : Promise.resolve({ results: [] });
    var search = !asked.length ? pf.search(null, options) : pf.search(terms.join(" "), options).then(function (search) {
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
        // Pagefind counts pages having every word; for these no count is known, so none is shown.
        return { results: results, filters: results.length ? null : search.filters,
                 totalFilters: search.totalFilters, partial: results.length > 0 };
      });
    });
    return Promise.all([named, search]).then(function (both) {
      var first = both[0].results;
      var ids = first.map(function (result) { return result.id; });
      var results = first.concat(both[1].results.filter(function (result) { return ids.indexOf(result.id) === -1; }));
      return (first.length ? Promise.resolve(results) : titledFirst(results, terms)).then(function (ordered) {
        return { results: ordered, filters: both[1].filters, totalFilters: both[1].totalFilters,
                 partial: both[1].partial && !first.length, corrected: corrected, terms: terms };
      });
    });
  }

  // A page whose title is what was asked ("practice supervisor self assessment") comes first,
  // before pages whose longer titles hold the same words ("Adult practice supervisor ..."). Only
  // the first few results are looked at: the page shows them anyway.
  var TITLE_LOOK = 5;

  function titledFirst(results, terms) {
    var asked = phrase(terms);
    return Promise.all(results.slice(0, TITLE_LOOK).map(function (result) { return result.data(); })).then(function (pages) {
      var at = pages.findIndex(function (data) { return phrase(words(data.meta.title || "")) === asked; });
      return at > 0 ? [results[at]].concat(results.slice(0, at), results.slice(at + 1)) : results;
    });
  }

  window.toolkitSearch = { open: open, find: find, words: words, correct: correct };

  var form = document.querySelector(".toolkit-search-form");
  if (!form || !window.URLSearchParams) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("toolkit-search-status");
  var list = document.getElementById("toolkit-search-results");
  var more = document.querySelector(".toolkit-search-more");
  var clear = form.querySelector(".toolkit-search-clear");
  var root = new URL("./", window.location.href);
  var shown = [];
  var shownTerms = [];
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
    var current = new URLSearchParams(window.location.search);
    if (q && current.get("exact") === "1" && current.get("q") === q) { params.set("exact", "1"); }
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
      group.querySelectorAll("details").forEach(function (set) {
        if (set.querySelector("input:checked")) { set.open = true; }
      });
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

  function describe(params, count, partial, corrected) {
    var q = corrected || params.get("q");
    var filtered = FILTERS.some(function (name) { return params.getAll(name).length; });
    var what = (q ? " for \u201c" + q + "\u201d" : "") + (filtered ? " with the chosen filters" : "");
    if (count === 0) { return "No results" + what + ". Try fewer words or fewer filters."; }
    var found = count + (count === 1 ? " result" : " results") + what + ".";
    return partial ? "No page has all your words. " + found + " Pages with the most of them come first." : found;
  }

  // "Showing results for genogram": with a link that searches for the words exactly as typed.
  function showCorrection(params, corrected) {
    var note = document.getElementById("toolkit-search-corrected");
    note.replaceChildren();
    note.hidden = !corrected;
    if (!corrected) { return; }
    var exact = new URLSearchParams(params);
    exact.set("exact", "1");
    var link = document.createElement("a");
    link.href = "?" + exact.toString();
    link.textContent = "search for \u201c" + params.get("q") + "\u201d instead";
    note.append("Did you mean \u201c" + corrected + "\u201d? Showing results for it; ", link, ".");
  }

  // The results each filter would give. Pages for authors are left out of readers' results, so
  // their count is the one they would give when chosen.
  function updateCounts(counts, totals) {
    var authors = siteVocabulary().authors;
    form.querySelectorAll(".toolkit-filter-count").forEach(function (span) {
      var group = span.closest("[data-filter]").getAttribute("data-filter");
      var value = span.getAttribute("data-count-for");
      var source = group === "kind" && value === authors && totals ? totals : counts;
      span.textContent = source ? "(" + ((source[group] || {})[value] || 0) + ")" : "";
    });
  }

  function render(data, terms) {
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = data.url;
    var id = (data.filters.id || [])[0];   // a framework's or statement's, kept out of the words searched
    link.textContent = (id && isStatementId(id) && data.meta.title ? id + ": " + data.meta.title : data.meta.title)
      || (data.meta.term ? data.meta.term + " (glossary)" : data.url);
    heading.appendChild(link);
    item.appendChild(heading);
    var section = bestSection(data, terms);
    if (section) {
      link.href = section.url;
      var part = document.createElement("span");
      part.className = "toolkit-result-section";
      part.textContent = " \u2013 " + section.title;
      link.appendChild(part);
    }
    var kind = (data.filters.kind || [])[0];
    if (kind) {
      var meta = document.createElement("p");
      meta.className = "toolkit-result-kind";
      meta.textContent = kind;
      item.appendChild(meta);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "toolkit-result-excerpt";
    excerpt.innerHTML = (section || data).excerpt;  // Pagefind's excerpt: the page's text, escaped, with <mark>
    item.appendChild(excerpt);
    return item;
  }

  // The section of a page that answers (Pagefind's sub-results), so the result opens there: the
  // one whose heading has most of the words, then the one holding most of them. None when that is
  // the top of the page.
  function bestSection(data, terms) {
    var best = null, most = 0;
    var named = function (text) {
      var lower = text.toLowerCase();
      return terms.filter(function (term) { return lower.indexOf(term.slice(0, 5)) !== -1; }).length;
    };
    // A page whose title holds every word asked opens at its top: it is about the question.
    if (terms.length && named(data.meta.title || "") === terms.length) { return null; }
    (data.sub_results || []).forEach(function (sub) {
      if (sub.url === data.url || sub.title === data.meta.title) { return; }
      var score = named(sub.title) * 1000 + (sub.locations || []).length;
      if (score > most) { best = sub; most = score; }
    });
    var top = (data.sub_results || [])[0];
    return best && (!top || most > 1000 || (best.locations || []).length > (top.locations || []).length) ? best : null;
  }

  // The count beside a filter is what ticking it would give. Within a group, ticking more widens
  // the results (any of them), so a group's counts come from the search without its own filter.
  function facetCounts(pf, search, q, filters, exact) {
    if (!search.filters) { return Promise.resolve({ counts: null }); }
    var counts = {};
    Object.keys(search.filters).forEach(function (name) { counts[name] = search.filters[name]; });
    return Promise.all(Object.keys(filters).map(function (name) {
      var others = {};
      Object.keys(filters).forEach(function (other) { if (other !== name) { others[other] = filters[other]; } });
      return find(pf, q, others, exact).then(function (wider) {
        if (wider.filters) { counts[name] = wider.filters[name]; }
      });
    })).then(function () { return { counts: counts, totals: search.totalFilters }; });
  }

  function showMore() {
    var batch = shown.splice(0, PAGE_SIZE);
    more.hidden = true;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      var firstNew = null;
      pages.forEach(function (data) {
        var item = render(data, shownTerms);
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
    showCorrection(params, null);
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
    var exact = params.get("exact") === "1";
    return load().then(function (pf) {
      return find(pf, q, filters, exact).then(function (search) {
        return facetCounts(pf, search, q, filters, exact).then(function (facets) {
          search.facets = facets;
          return search;
        });
      });
    }).then(function (search) {
      if (ticket !== latest) { return; }
      list.replaceChildren();
      shown = search.results.slice();
      shownTerms = search.terms;
      updateCounts(search.facets.counts, search.facets.totals);
      showCorrection(params, search.corrected);
      return showMore().then(function () {
        if (ticket === latest) {
          status.textContent = describe(params, search.results.length, search.partial, search.corrected);
        }
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
