"""Search: the search page (a form whose fields are the URL of a search, so any search can be
shared and bookmarked), what Pagefind indexes and how much each part of a page weighs."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from builder.navigation import search_filters
from builder.safety import GENERATED_CLASS
from builder.sitedata import SECTIONS, SiteData, site_data
from toolkit.protocol import GLOSSARY_KIND, SEARCH_END, SEARCH_START

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SEARCH_PAGE = "search"

# Attributes Pagefind reads, by the class of the element carrying them. The summary is what a
# page is about, so it weighs like a heading; the facts block, related pages and history repeat
# other pages' titles and words on every page, so they are left out of the index.
SEARCH_ATTRIBUTES: dict[str, dict[str, str]] = {
    "toolkit-summary": {"data-pagefind-weight": "10"},
    "toolkit-page-facts": {"data-pagefind-ignore": ""},
    "toolkit-notice": {"data-pagefind-ignore": ""},
    "toolkit-related": {"data-pagefind-ignore": ""},
    "toolkit-history": {"data-pagefind-ignore": ""},
}


def search_skipped(node: nodes.Node) -> bool:
    """Whether Pagefind is told to skip the element written for `node`."""
    return isinstance(node, nodes.Element) and any(
        "data-pagefind-ignore" in SEARCH_ATTRIBUTES.get(name, {}) for name in node.get("classes", []))


# Pages about the toolkit itself (hosting, authoring, accessibility) answer fewer of a
# practitioner's questions than the guidance: their text weighs less, their titles still count.
KIND_WEIGHTS = {"page": "0.5"}
TITLE_WEIGHT = "10"  # Pagefind's most; its default for an H1 is 7


def search_attributes(node: nodes.Element, tagname: str) -> dict[str, str]:
    """The Pagefind attributes the element written for `node` carries (for the translator)."""
    found: dict[str, str] = {"data-pagefind-weight": TITLE_WEIGHT} if tagname == "h1" else {}
    for name in node.get("classes", []):
        found |= SEARCH_ATTRIBUTES.get(name, {})
    return found


def filter_groups(site: SiteData) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(filter name, legend, [(value, label)]) for every filter some indexed page carries,
    in the order of the site's sections, vocabularies and framework sets."""
    used = {pair for page in site.listed() for pair in search_filters(page, site)}
    kinds = [(title, title) for title in SECTIONS.values()] + [(GLOSSARY_KIND, GLOSSARY_KIND)]
    audiences = [(e["label"], e["label"]) for e in site.vocabulary("audiences")]
    topics = [(e["label"], e["label"]) for e in site.vocabulary("topics")]
    statements = [(st["id"], f"{st['id']}: {st['title']}")
                  for statement_set in site.sets.values() for st in statement_set["statements"]]
    groups = [("kind", "Type of page", kinds), ("audience", "Who it is for", audiences),
              ("topic", "Topic", topics), ("statement", "Framework statement", statements)]
    if site.glossary:
        used.add(("kind", GLOSSARY_KIND))
    return [(name, legend, [(v, label) for v, label in values if (name, v) in used])
            for name, legend, values in groups]


def _fieldset(name: str, legend: str, values: list[tuple[str, str]]) -> str:
    boxes = "".join(
        f'<li><input type="checkbox" id="filter-{name}-{index}" name="{name}" value="{html.escape(value)}">'
        f'<label for="filter-{name}-{index}">{html.escape(label)}'
        f' <span class="toolkit-filter-count" data-count-for="{html.escape(value)}"></span></label></li>'
        for index, (value, label) in enumerate(values))
    return (f'<details class="toolkit-filter" data-filter="{name}"><summary>{html.escape(legend)}'
            f' <span class="toolkit-filter-chosen"></span></summary>'
            f'<fieldset><legend class="toolkit-visually-hidden">{html.escape(legend)}</legend>'
            f'<ul>{boxes}</ul></fieldset></details>')


def search_html(site: SiteData) -> str:
    filters = "".join(_fieldset(name, legend, values) for name, legend, values in filter_groups(site) if values)
    return f"""<div class="toolkit-search" data-pagefind-ignore="all">
<form class="toolkit-search-form" action="search.html" method="get" role="search">
<label for="toolkit-search-input" class="toolkit-search-label">Search the toolkit</label>
<div class="toolkit-search-row"><input id="toolkit-search-input" type="search" name="q" autocomplete="off"
 aria-describedby="toolkit-search-hint"> <button type="submit">Search</button></div>
<p id="toolkit-search-hint" class="toolkit-search-hint">Type a question or a few words.
Narrow the results with the filters.</p>
<div class="toolkit-search-filters" role="group" aria-label="Filters">{filters}
<button type="button" class="toolkit-search-clear" hidden>Clear all filters</button></div>
</form>
<noscript><p>Search needs JavaScript. Without it, browse
<a href="sections/practice-models.html">by section</a>, <a href="audiences/index.html">by who you are</a>,
<a href="topics/index.html">by topic</a>, <a href="frameworks/index.html">by framework</a> or the
<a href="glossary.html">glossary</a>.</p></noscript>
<p id="toolkit-search-status" class="toolkit-search-status" role="status" aria-live="polite" aria-atomic="true"></p>
<ol id="toolkit-search-results" class="toolkit-search-results"></ol>
<button type="button" class="toolkit-search-more" hidden>Show more results</button>
</div>
"""


class SearchBox(SphinxDirective):
    """The search form, results list and filters; toolkit-search.js brings it to life."""

    def run(self) -> list[nodes.Node]:
        return [nodes.raw("", search_html(site_data()), format="html", classes=[GENERATED_CLASS])]


def search_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: Any) -> None:
    """Give Pagefind each indexed page's own title (the H1's text would carry its permalink
    sign) and the weight of its kind. Glossary terms are indexed one by one (search_index.py)."""
    page = site_data().pages.get(pagename)
    indexed = bool(page and context.get("toolkit_indexed"))
    context["toolkit_search_meta"] = [("title", page["title"])] if indexed else []
    context["toolkit_search_weight"] = KIND_WEIGHTS.get(page["kind"]) if indexed else None
    context["toolkit_search_markers"] = (SEARCH_START, SEARCH_END)   # around what the indexer reads


def reread_search_page(app: Sphinx, env: Any, added: set[str], changed: set[str],
                       removed: set[str]) -> list[str]:
    """The filters list every value pages carry, so the (small) search page is read every build."""
    return [SEARCH_PAGE] if SEARCH_PAGE in env.found_docs else []


def setup_search(app: Sphinx) -> None:
    app.add_directive("search-box", SearchBox)
    app.connect("env-get-outdated", reread_search_page)
    app.connect("html-page-context", search_context, priority=650)
