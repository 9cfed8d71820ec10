"""Navigation rendered once per build (per folder depth), not once per page: Furo's own
per-page tree made builds quadratic. Also breadcrumbs, previous/next along the development
pathway, and the page facts the templates and the search index need."""

from __future__ import annotations

import html
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from builder.sitedata import SiteData, section_of, services_of, site_data
from toolkit.content.schemas import SECTIONS, SIDEBAR_SECTIONS

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# The sidebar: at most seven ways in on the shipped site. The guidance sections readers use most
# (those the page-kind registry puts in the sidebar: toolkit/content/kinds.py), one way in by role
# and career stage, the frameworks. Everything else (topics, glossary, what's new, coverage, the
# other sections) is one step away: on the home page, in the footer and in the listings.
BROWSE = [("audiences/index", "By role and career stage"), ("frameworks/index", "Frameworks and standards")]
PARENTS = {"statements": ("frameworks/index", "Frameworks and standards"),
           "frameworks": ("frameworks/index", "Frameworks and standards"),
           "audiences": ("audiences/index", "By role and career stage"),
           "topics": ("topics/index", "By topic"), "stages": ("audiences/index", "By role and career stage"),
           "services": ("audiences/index", "By role and career stage")}
# Pages kept by URL under one way in: the coverage matrix under the frameworks.
UNDER = {"coverage": "frameworks/index", "stages/index": "audiences/index"}


def nav_items(site: SiteData) -> list[tuple[str, str]]:
    sections = site.listed_sections
    return ([("index", "Home")]
            + [(f"sections/{s}", SECTIONS[s]) for s in SIDEBAR_SECTIONS if s in sections]
            + BROWSE)


@lru_cache(maxsize=16)
def nav_html(depth: int, items: tuple[tuple[str, str], ...]) -> str:
    """The sidebar for pages `depth` folders deep: plain links, all reachable by keyboard."""
    prefix = "../" * depth
    links = "".join(f'<li class="toctree-l1"><a class="reference internal" href="{prefix}{docname}.html">'
                    f"{html.escape(title)}</a></li>" for docname, title in items)
    return (f'<nav aria-label="Sections"><p class="caption" role="heading" aria-level="2">'
            f'<span class="caption-text">Sections</span></p><ul>{links}</ul></nav>')


def current_section(pagename: str, site: SiteData) -> str:
    page = site.pages.get(pagename)
    if page:
        return f"sections/{section_of(page)}"
    folder = pagename.split("/")[0]
    return PARENTS[folder][0] if folder in PARENTS else UNDER.get(pagename, pagename)


def breadcrumbs(pagename: str, site: SiteData) -> list[tuple[str, str]]:
    """(title, docname) from the home page down to this page's parent."""
    if pagename == "index":
        return []
    crumbs = [("Home", "index")]
    page = site.pages.get(pagename)
    folder = pagename.split("/")[0]
    if page:
        crumbs.append((SECTIONS[section_of(page)], f"sections/{section_of(page)}"))
    elif folder in PARENTS and not pagename.endswith("/index"):
        crumbs.append(tuple(reversed(PARENTS[folder])))  # type: ignore[arg-type]
        if folder == "statements":
            set_id = site.statements.get(pagename.split("/")[1], {}).get("set")
            if set_id:
                crumbs.append((site.sets[set_id]["title"], f"frameworks/{set_id}"))
    return crumbs


def pathway_neighbours(pagename: str, site: SiteData) -> tuple[dict | None, dict | None]:
    page = site.pages.get(pagename)
    if not page or page["kind"] != "pathway-stage":
        return None, None
    order = [s["id"] for s in site.vocabulary("career-stages")]
    stages = sorted((p for p in site.listed() if p["kind"] == "pathway-stage"
                     and p["extras"].get("stage") in order),
                    key=lambda p: order.index(p["extras"]["stage"]))
    ids = [p["id"] for p in stages]
    if pagename not in ids:
        return None, None
    at = ids.index(pagename)
    return (stages[at - 1] if at > 0 else None), (stages[at + 1] if at + 1 < len(stages) else None)


def search_filters(page: dict[str, Any], site: SiteData) -> list[tuple[str, str]]:
    """Pagefind filters from the typed front matter: kind (the page's section), service,
    audience, topic, statement."""
    filters = [("kind", SECTIONS[section_of(page)])]
    filters += [("service", label) for label in services_of(page)]
    filters += [("audience", site.label("audiences", a)) for a in page["audience"]]
    filters += [("topic", site.label("topics", t)) for t in page["topics"]]
    filters += [("statement", s) for s in page["maps_to"]]
    return filters


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: Any) -> None:
    site = site_data()
    depth = pagename.count("/")
    items = tuple(nav_items(site))
    current = current_section(pagename, site)
    nav = nav_html(depth, items).replace(f'href="{"../" * depth}{current}.html"',
                                         f'href="{"../" * depth}{current}.html" aria-current="page"', 1)
    context["furo_navigation_tree"] = nav
    context["toolkit_breadcrumbs"] = [(title, app.builder.get_relative_uri(pagename, docname))
                                      for title, docname in breadcrumbs(pagename, site)]
    page = site.pages.get(pagename)
    context["toolkit_indexed"] = bool(page and page["status"] == "published")
    context["toolkit_filters"] = search_filters(page, site) if page else []
    prev_page, next_page = pathway_neighbours(pagename, site)
    context["prev"] = ({"link": app.builder.get_relative_uri(pagename, prev_page["id"]),
                        "title": html.escape(prev_page["title"])} if prev_page else None)
    context["next"] = ({"link": app.builder.get_relative_uri(pagename, next_page["id"]),
                        "title": html.escape(next_page["title"])} if next_page else None)
    settings = site.settings
    context["toolkit_settings"] = settings
    title = page["title"] if page else context.get("title", "")
    if settings.get("contact_email"):
        subject = quote(f"Problem with page: {html.unescape(str(title))}")
        context["toolkit_report_link"] = f"mailto:{settings['contact_email']}?subject={subject}"
    context["toolkit_root"] = "../" * depth


def setup_navigation(app: Sphinx) -> None:
    app.connect("html-page-context", page_context, priority=600)
