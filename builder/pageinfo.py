"""What every content page shows around its body: summary, who it is for, topics, the
statements it maps to, owner and review dates, notices, related pages and change history."""

from __future__ import annotations

import heapq
import itertools
from typing import TYPE_CHECKING, Any

from docutils import nodes

from builder.links import joined, page_link
from builder.safety import GENERATED_CLASS
from builder.sitedata import SERVICES, SiteData, site_data
from toolkit.core.dates import long_date

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

RESOURCE_LABELS = {"case-study": "Case study"}
def date_node(iso: str) -> nodes.raw:
    """The date written out, in a `<time>` a machine can still read."""
    return nodes.raw("", f'<time datetime="{iso}">{long_date(iso)}</time>', format="html",
                     classes=[GENERATED_CLASS])


def _field(name: str, body: list[nodes.Node]) -> nodes.field:
    field = nodes.field()
    field += nodes.field_name(name, name)
    paragraph = nodes.paragraph()
    paragraph += body
    field += nodes.field_body("", paragraph)
    return field


def _notice(kind: str, title: str, message: str) -> nodes.Element:
    notice = nodes.admonition(classes=["toolkit-notice", f"toolkit-notice-{kind}"])
    notice += nodes.title(title, title)
    notice += nodes.paragraph(message, message)
    return notice


def notices(page: dict[str, Any], today: str) -> list[nodes.Element]:
    found = []
    if page["status"] == "draft":
        found.append(_notice("draft", "Draft", "This page is a draft and is not published."))
    if page["status"] == "archived":
        found.append(_notice("archived", "Archived", "This page is kept for reference and is no "
                             "longer current guidance."))
    if page["review_by"] < today:
        found.append(_notice("overdue", "Due for review", f"This page was due for review on "
                             f"{long_date(page['review_by'])}. Check with its owner before relying on it."))
    return found


def header(page: dict[str, Any], site: SiteData, builder: Builder, docname: str) -> list[nodes.Element]:
    """Notices, the summary, then a compact block of facts: who and which service it is for, its
    type, owner and review dates. Topics and statements, which can run long, close the page."""
    summary = nodes.paragraph(page["summary"], page["summary"], classes=["toolkit-summary"])
    fields = nodes.field_list(classes=["toolkit-page-facts"])
    if page["audience"]:
        fields += _field("For", joined([page_link(builder, site.label("audiences", a), f"audiences/{a}", docname)
                                        for a in page["audience"]]))
    service = page["extras"].get("service")
    if service:
        fields += _field("Service", [nodes.Text(SERVICES[service])])
    resource_type = page["extras"].get("resource_type")
    if resource_type:
        label = RESOURCE_LABELS.get(resource_type, resource_type.capitalize())
        fields += _field("Type", [nodes.Text(label)])
    if page["owner"]:
        fields += _field("Owner", [nodes.Text(page["owner"])])
    fields += _field("Last reviewed", [date_node(page["last_reviewed"])])
    fields += _field("Next review", [date_node(page["review_by"])])
    return [*notices(page, site.today), summary, fields]


def mapping_facts(page: dict[str, Any], site: SiteData, builder: Builder, docname: str) -> list[nodes.Element]:
    """The topics and framework statements a page supports, at its end."""
    fields = nodes.field_list(classes=["toolkit-page-facts"])
    if page["topics"]:
        fields += _field("Topics", joined([page_link(builder, site.label("topics", t), f"topics/{t}", docname)
                                           for t in page["topics"]]))
    if page["maps_to"]:
        fields += _field("Statements", joined([
            page_link(builder, f"{s} {site.statements[s]['title']}" if s in site.statements else s,
                     f"statements/{s}", docname) for s in page["maps_to"]], "; "))
    if not fields.children:
        return []
    section = nodes.section(ids=["frameworks-and-topics"], classes=["toolkit-related"])
    section += nodes.title("Topics and framework statements", "Topics and framework statements")
    section += fields
    return [section]


SHARED_STATEMENT_PAGES = 5


def related_pages(page: dict[str, Any], site: SiteData) -> list[str]:
    """The page's own `related` list, then up to five published pages sharing the most
    framework statements with it (most shared first, then by title).

    Every page asks, so this does not count every page sharing a statement (at 5,000 pages that
    was 2.5 million sort keys, seconds of each build): pages sharing two or more are the
    statements' set intersections, few, counted one by one; those sharing one come after, in
    title order, so the statements' title-ordered lists are merged only as far as needed."""
    related = [r for r in page["related"] if r in site.pages]
    taken = {page["id"], *related}
    mapped = [site.statement_pages(s) for s in dict.fromkeys(page["maps_to"])]
    sets = [ids for _, ids in mapped]
    several = set().union(*(a & b for i, a in enumerate(sets) for b in sets[i + 1:])) - taken
    rank = site.listed_rank
    best = sorted(several, key=lambda page_id: (-sum(page_id in s for s in sets), rank[page_id]))
    once = (page_id for page_id in heapq.merge(*(ids for ids, _ in mapped), key=rank.__getitem__)
            if page_id not in taken and page_id not in several)
    best += itertools.islice(once, max(0, SHARED_STATEMENT_PAGES - len(best)))
    return related + best[:SHARED_STATEMENT_PAGES]


CREDIT_PAGE = "about"
CREDIT = ("This site is made with the Practice Leadership Toolkit, an open-source generator built on "
          "Sphinx and the Furo theme, with Pagefind for search.")


class related_placeholder(nodes.General, nodes.Element):
    """Filled with the related pages' links as the page is written (`fill_related`)."""


def footer(page: dict[str, Any], site: SiteData, builder: Builder, docname: str,
           related: bool) -> list[nodes.Element]:
    """Topics and statements, the credit (on the About page, not every page's footer), a place
    for the related pages if it has any, and the page's history."""
    parts: list[nodes.Element] = mapping_facts(page, site, builder, docname)
    if page["id"] == CREDIT_PAGE:
        parts.append(nodes.paragraph(CREDIT, CREDIT, classes=["toolkit-credit"]))
    if related:   # the heading now, for "On this page"; the links as the page is written
        section = nodes.section(ids=["related-pages"], classes=["toolkit-related"])
        section += nodes.title("Related pages", "Related pages")
        section += related_placeholder()
        parts.append(section)
    if page["changes"]:
        section = nodes.section(ids=["page-history"], classes=["toolkit-history"])
        section += nodes.title("Page history", "Page history")
        items = nodes.bullet_list()
        for change in sorted(page["changes"], key=lambda c: c["date"], reverse=True):
            paragraph = nodes.paragraph("", "", date_node(change["date"]), nodes.Text(f": {change['summary']}"))
            items += nodes.list_item("", paragraph)
        section += items
        parts.append(section)
    return parts


def add_page_info(app: Sphinx, doctree: nodes.document) -> None:
    """Insert the header under the page title and the footer after the body."""
    docname = app.env.docname
    site = site_data()
    page = site.pages.get(docname)
    if page is None:
        return
    first = next(iter(doctree.findall(nodes.section)))
    position = first.first_child_matching_class(nodes.title)
    index = (position or 0) + 1
    for offset, node in enumerate(header(page, site, app.builder, docname)):
        first.insert(index + offset, node)
    for node in footer(page, site, app.builder, docname, bool(related_of(app.env).get(docname))):
        first += node


def fill_related(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The related pages' links, from the record of this build's manifest (`outdated_footers`)."""
    for placeholder in list(doctree.findall(related_placeholder)):
        items = nodes.bullet_list()
        for page_id, title in related_of(app.env).get(docname, ()):
            items += nodes.list_item("", nodes.paragraph("", "", page_link(app.builder, title, page_id, docname)))
        placeholder.replace_self(items)


def add_title_section(app: Sphinx, doctree: nodes.document) -> None:
    """A page with no single top heading (say, only `##` headings) is put under one titled
    with its front-matter title, so it has one h1, its headings keep their order, and the
    browser tab names it. Runs before Sphinx collects the page title."""
    page = site_data().pages.get(app.env.docname)
    if page is None or len([n for n in doctree.children if isinstance(n, nodes.section)]) == 1:
        return
    first = nodes.section(ids=["page"])
    first += nodes.title(page["title"], page["title"])
    # Front matter (docinfo) stays on top, where Sphinx reads it as metadata and removes it.
    docinfo = [n for n in doctree.children if isinstance(n, nodes.docinfo)]
    first += [n for n in doctree.children if not isinstance(n, nodes.docinfo)]
    doctree.children = []
    doctree += [*docinfo, first]


# The manifest the footers were last worked out from (site_data() is the same object until it
# changes): in the preview's warm Sphinx a save of a page's body leaves it as it was, and working
# out every page's related pages again cost 0.5 s of a one-page rebuild at 1,000 pages.
_FOOTERS_OF: list[SiteData] = []
RELATED = "toolkit_related_pages"   # env attribute: page id -> [(related page id, its title)]
REWRITE = "toolkit_related_rewrite"  # env attribute: pages whose related pages changed, to write


def related_of(env: Any) -> dict[str, list[tuple[str, str]]]:
    return getattr(env, RELATED, {})


def outdated_footers(app: Sphinx, env: Any, added: set[str], changed: set[str],
                     removed: set[str]) -> list[str]:
    """Work out every page's related pages once per manifest, before reading: another page's edit
    can change this page's list without touching its source. A page that gained its first or lost
    its last related page is read again (its heading is in "On this page"); one whose list only
    changed is written again (`footers_to_write`), since the links are filled in as it is written:
    a `maps_to` save changes the lists of dozens of pages, and reading them all again was most
    of that save's wait in the preview."""
    site = site_data()
    previous = related_of(env)
    if _FOOTERS_OF and _FOOTERS_OF[0] is site and previous:   # the same manifest: the same footers
        return []
    before = _FOOTERS_OF[0] if _FOOTERS_OF and previous else None
    _FOOTERS_OF[:] = [site]
    asked = site.pages.keys() if before is None else _may_differ(before, site)
    keys = {page_id: key for page_id, key in previous.items() if page_id in site.pages} | {
        page_id: [(r, site.pages[r]["title"]) for r in related_pages(site.pages[page_id], site)] for page_id in asked}
    setattr(env, RELATED, keys)
    differ = [page_id for page_id in asked   # the others kept their lists
              if page_id in previous and previous[page_id] != keys[page_id] and page_id in env.all_docs]
    setattr(env, REWRITE, [page_id for page_id in differ if bool(previous[page_id]) == bool(keys[page_id])])
    return [page_id for page_id in differ if bool(previous[page_id]) != bool(keys[page_id])]


def _shown_in_footers(page: dict[str, Any]) -> tuple:
    """What of a page the related-pages lists depend on: whether it is listed, where, and its own lists."""
    return page["title"], page["status"], page["maps_to"], page["related"]


def _may_differ(before: SiteData, site: SiteData) -> set[str]:
    """The pages whose related pages a change from `before` to `site` can have changed: those
    changed, those sharing a statement with them (before or after), and those naming them as
    related (at 5,000 pages a `maps_to` save asks about hundreds of pages, not every one)."""
    changed = {page_id for page_id in before.pages.keys() | site.pages.keys()
               if page_id not in before.pages or page_id not in site.pages
               or _shown_in_footers(before.pages[page_id]) != _shown_in_footers(site.pages[page_id])}
    if not changed:
        return set()
    statements = {s for data in (before, site) for page_id in changed if page_id in data.pages
                  for s in data.pages[page_id]["maps_to"]}
    return {page_id for page_id, page in site.pages.items() if page_id in changed
            or not statements.isdisjoint(page["maps_to"]) or not changed.isdisjoint(page["related"])}


def footers_to_write(app: Sphinx, env: Any) -> list[str]:
    """The pages whose related pages changed but which need not be read again."""
    return env.__dict__.pop(REWRITE, [])


def setup_pageinfo(app: Sphinx) -> None:
    app.connect("doctree-read", add_title_section, priority=300)
    app.connect("doctree-read", add_page_info)
    app.add_node(related_placeholder)
    app.connect("env-get-outdated", outdated_footers)
    app.connect("env-get-updated", footers_to_write)
    app.connect("doctree-resolved", fill_related)
