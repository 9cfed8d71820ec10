"""Search: the search page (a form whose fields are the URL of a search, so any search can be
shared and bookmarked), what Pagefind indexes and how much each part of a page weighs."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from builder.navigation import search_filters
from builder.safety import GENERATED_CLASS
from builder.search_words import search_vocabulary
from builder.sitedata import SERVICES, SiteData, read_every_build, site_data
from toolkit.content.schemas import AUTHOR_SECTION, PAGE_KINDS, SECTIONS
from toolkit.core.protocol import GLOSSARY_KIND, SEARCH_END, SEARCH_START

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SEARCH_PAGE = "search"
# Framework and statement pages are results of their own kinds. Every indexed page carries its exact
# id as a filter, so a search for "KSS-PS-7" or "pcf 6" answers with that page first, and so does a
# search for a glossary term ("MSP") with the page the glossary points to.
FRAMEWORK_KIND = "Frameworks"
STATEMENT_KIND = "Framework statements"
ID_FILTER = "id"
# Readers' results leave out the pages for authors unless that kind is chosen (toolkit-search.js).
AUTHORS_KIND = SECTIONS[AUTHOR_SECTION]

# Attributes Pagefind reads, by the class of the element carrying them. The summary is what a
# page is about, so it weighs like a heading; the facts block, related pages and history repeat
# other pages' titles and words on every page, so they are left out of the index.
STATEMENT_ID_CLASS = "toolkit-statement-id"
FRAMEWORK_ID_CLASS = "toolkit-framework-id"   # indexed: a framework is searched for by its short name
SEARCH_ATTRIBUTES: dict[str, dict[str, str]] = {
    STATEMENT_ID_CLASS: {"data-pagefind-ignore": ""},
    "toolkit-summary": {"data-pagefind-weight": "10"},
    "toolkit-page-facts": {"data-pagefind-ignore": ""},
    "toolkit-notice": {"data-pagefind-ignore": ""},
    "toolkit-related": {"data-pagefind-ignore": ""},
    "toolkit-history": {"data-pagefind-ignore": ""},
}


_SKIPPED_CLASSES = frozenset(name for name, attributes in SEARCH_ATTRIBUTES.items()
                             if "data-pagefind-ignore" in attributes)


def search_skipped(node: nodes.Node) -> bool:
    """Whether Pagefind is told to skip the element written for `node` (asked twice of every
    node a page is written from)."""
    return isinstance(node, nodes.Element) and not _SKIPPED_CLASSES.isdisjoint(node.get("classes", ()))


# A statement page is a sentence or two, and Pagefind favours short records: its words weigh less,
# so the guidance on a subject comes before the statement naming it (an id still finds it first).
# A framework's page is its title, short name and issuer: weighed as guidance, it comes first for
# its name ("kss for practice supervisors") and after the pages that use the name in their text.
STATEMENT_WEIGHT = "0.5"
WEIGHTS = {"statements": STATEMENT_WEIGHT, "frameworks": "1"}
TITLE_WEIGHT = "10"  # Pagefind's most; its default for an H1 is 7


def search_attributes(node: nodes.Element, tagname: str) -> dict[str, str]:
    """The Pagefind attributes the element written for `node` carries (for the translator)."""
    found: dict[str, str] = {"data-pagefind-weight": TITLE_WEIGHT} if tagname == "h1" else {}
    for name in node.get("classes", []):
        found |= SEARCH_ATTRIBUTES.get(name, {})
    return found


def generated_search(pagename: str, site: SiteData) -> tuple[str, list[tuple[str, str]]] | None:
    """(title, filters) of a framework or statement page, indexed as results of their own kind."""
    folder, _, name = pagename.partition("/")
    if folder == "statements" and name in site.statements:
        statement = site.statements[name]
        return statement["title"], [("kind", STATEMENT_KIND), (ID_FILTER, name), ("statement", name)]
    if folder == "frameworks" and name in site.sets:
        return site.sets[name]["title"], [("kind", FRAMEWORK_KIND), (ID_FILTER, name)]
    return None


FilterGroup = tuple[str, str, list[tuple[str, str, str]]]  # name, legend, [(value, label, framework)]


def filter_groups(site: SiteData) -> list[FilterGroup]:
    """(filter name, legend, [(value, label, framework set)]) for every filter some indexed page
    carries, in the order of the site's sections, vocabularies and framework sets."""
    used = {pair for page in site.listed() for pair in search_filters(page, site)}
    if site.sets:
        used |= {("kind", FRAMEWORK_KIND), ("kind", STATEMENT_KIND)}
        used |= {("statement", statement_id) for statement_id in site.statements}
    if site.glossary:
        used.add(("kind", GLOSSARY_KIND))
    kinds = [title for title in SECTIONS.values() if title != AUTHORS_KIND]
    kinds += [FRAMEWORK_KIND, STATEMENT_KIND, GLOSSARY_KIND, AUTHORS_KIND]
    statements = [(st["id"], f"{st['id']}: {st['title']}", set_id)
                  for set_id, statement_set in site.sets.items() for st in statement_set["statements"]]
    groups: list[FilterGroup] = [
        ("kind", "Type of page", [(k, k, "") for k in kinds]),
        ("service", "Service", [(label, label, "") for key, label in SERVICES.items() if key != "both"]),
        ("audience", "Who it is for", [(e["label"], e["label"], "") for e in site.vocabulary("audiences")]),
        ("topic", "Topic", [(e["label"], e["label"], "") for e in site.vocabulary("topics")]),
        ("statement", "Framework statement", statements)]
    return [(name, legend, [v for v in values if (name, v[0]) in used]) for name, legend, values in groups]


def _box(name: str, index: int, value: str, label: str) -> str:
    return (f'<li><input type="checkbox" id="filter-{name}-{index}" name="{name}" value="{html.escape(value)}">'
            f'<label for="filter-{name}-{index}">{html.escape(label)}'
            f' <span class="toolkit-filter-count" data-count-for="{html.escape(value)}"></span></label></li>')


def _fieldset(name: str, legend: str, values: list[tuple[str, str, str]], site: SiteData) -> str:
    """A group of filters, collapsed; statements in one collapsed group per framework."""
    numbered = list(enumerate(values))
    if name == "statement":
        frameworks = dict.fromkeys(framework for _, _, framework in values)
        boxes = "".join(
            f'<li><details class="toolkit-filter-set"><summary>{html.escape(site.sets[framework]["title"])}'
            f' ({html.escape(framework)})</summary><ul>'
            + "".join(_box(name, i, value, label) for i, (value, label, f) in numbered if f == framework)
            + "</ul></details></li>" for framework in frameworks)
    else:
        boxes = "".join(_box(name, i, value, label) for i, (value, label, _) in numbered)
    return (f'<details class="toolkit-filter" data-filter="{name}"><summary>{html.escape(legend)}'
            f' <span class="toolkit-filter-chosen"></span></summary>'
            f'<fieldset><legend class="toolkit-visually-hidden">{html.escape(legend)}</legend>'
            f'<ul>{boxes}</ul></fieldset></details>')


def glossary_pages(site: SiteData) -> dict[str, str]:
    """{a glossary term or alias, lower case: the id of the listed page it points to ("See ...")}."""
    listed = {page["id"] for page in site.listed()}
    return {name.lower(): term["see"] for term in site.glossary if term.get("see") in listed
            for name in (term["term"], *term["aliases"])}


def search_html(site: SiteData) -> str:
    filters = "".join(_fieldset(name, legend, values, site)
                      for name, legend, values in filter_groups(site) if values)
    words, joined = search_vocabulary(site)
    ids = " ".join([*site.sets, *site.statements])
    data = {"ids": ids, "words": " ".join(words), "joined": json.dumps(joined),
            "terms": json.dumps(glossary_pages(site)), "authors-kind": AUTHORS_KIND}
    vocabulary = "".join(f' data-{name}="{html.escape(value)}"' for name, value in data.items())
    return f"""<div class="toolkit-search" data-pagefind-ignore="all"{vocabulary}>
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
<p id="toolkit-search-corrected" class="toolkit-search-corrected" hidden></p>
<p id="toolkit-search-status" class="toolkit-search-status" role="status" aria-live="polite" aria-atomic="true"></p>
<ol id="toolkit-search-results" class="toolkit-search-results"></ol>
<button type="button" class="toolkit-search-more" hidden>Show more results</button>
</div>
"""


class SearchForm(SphinxDirective):
    """A search box leading to the search page (the home page's first element)."""

    def run(self) -> list[nodes.Node]:
        form = f"""<form class="toolkit-home-search" action="{SEARCH_PAGE}.html" method="get" role="search">
<label for="toolkit-home-search-input" class="toolkit-search-label">Search the toolkit</label>
<div class="toolkit-search-row"><input id="toolkit-home-search-input" type="search" name="q" autocomplete="off"
 aria-describedby="toolkit-home-search-hint"> <button type="submit">Search</button></div>
<p id="toolkit-home-search-hint" class="toolkit-search-hint">A question, a few words or a statement id
such as <span class="toolkit-nowrap">KSS-PS-7</span>.</p>
</form>"""
        return [nodes.raw("", form, format="html", classes=[GENERATED_CLASS])]


class SearchBox(SphinxDirective):
    """The search form, results list and filters; toolkit-search.js brings it to life."""

    def run(self) -> list[nodes.Node]:
        return [nodes.raw("", search_html(site_data()), format="html", classes=[GENERATED_CLASS])]


def page_description(pagename: str, site: SiteData) -> str | None:
    """What a page is about in a sentence, for its <meta name="description"> (an intranet's own
    search engine and link previews show it): a page's summary, a statement's summary."""
    if pagename in site.pages:
        return site.pages[pagename]["summary"]
    folder, _, name = pagename.partition("/")
    return site.statements[name]["summary"] if folder == "statements" and name in site.statements else None


def search_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: Any) -> None:
    """Give Pagefind each indexed page's own title (the H1's text would carry its permalink
    sign) and the weight of its kind. Glossary terms are indexed one by one (search_index.py)."""
    site = site_data()
    page = site.pages.get(pagename)
    indexed = bool(page and context.get("toolkit_indexed"))
    context["toolkit_search_meta"] = [("title", page["title"])] if indexed else []
    context["toolkit_search_weight"] = PAGE_KINDS[page["kind"]].search_weight if indexed else None
    context["toolkit_search_markers"] = (SEARCH_START, SEARCH_END)   # around what the indexer reads
    if indexed:
        context["toolkit_filters"] = [*context.get("toolkit_filters", []), (ID_FILTER, pagename)]
    described = page_description(pagename, site)
    if described:
        context["metatags"] = context.get("metatags", "") + (
            f'<meta name="description" content="{html.escape(described, quote=True)}">\n')
    generated = None if page else generated_search(pagename, site)
    if generated:
        title, filters = generated
        context |= {"toolkit_indexed": True, "toolkit_search_meta": [("title", title)], "toolkit_filters": filters,
                    "toolkit_search_weight": WEIGHTS[pagename.partition("/")[0]]}


def setup_search(app: Sphinx) -> None:
    app.add_directive("search-box", SearchBox)
    app.add_directive("search-form", SearchForm)
    app.connect("env-get-outdated", read_every_build(SEARCH_PAGE))   # its filters list every page's values
    app.connect("html-page-context", search_context, priority=650)
