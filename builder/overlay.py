"""An organisation's overlay as readers see it: redirect pages for renamed ids (`aliases`), so
bookmarks and links from case-management systems survive; the about page's list of the
shipped pages this organisation replaced with its own versions; and links to pages it hides
shown as plain text.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from docutils import nodes

from builder.links import page_link
from builder.sitedata import SiteData, site_data

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

ABOUT_PAGE = "about"
REDIRECT_TEMPLATE = "toolkit-redirect.html"


def redirects(site: SiteData, docnames: set[str] | frozenset[str] = frozenset()) -> dict[str, dict[str, Any]]:
    """alias -> the page it now names; an alias never shadows a real page."""
    return {alias: page for page in site.pages.values() for alias in page["aliases"]
            if alias not in site.pages and alias not in docnames}


def redirect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    for alias, page in redirects(site_data(), set(app.env.found_docs)).items():
        yield alias, {"title": page["title"], "target": f"{page['id']}.html"}, REDIRECT_TEMPLATE


def replacements(site: SiteData) -> list[dict[str, Any]]:
    """Published pages that replace a page of an earlier root (usually the shipped toolkit)."""
    return [p for p in site.listed() if p["replaces"]]


def replacements_section(site: SiteData, builder: Builder, docname: str) -> nodes.section:
    section = nodes.section(ids=["local-versions"], classes=["toolkit-local-versions"])
    section += nodes.title("Local versions of toolkit pages", "Local versions of toolkit pages")
    replaced = replacements(site)
    if not replaced:
        text = "This site publishes the toolkit's pages as they ship, with no local replacements."
        section += nodes.paragraph(text, text)
        return section
    intro = (f"{site.settings['organisation']} has replaced these toolkit pages with its own versions, "
             "which may reflect local procedures:")
    section += nodes.paragraph(intro, intro)
    items = nodes.bullet_list()
    for page in replaced:
        paragraph = nodes.paragraph()
        paragraph += page_link(builder, page["title"], page["id"], docname)
        items += nodes.list_item("", paragraph)
    section += items
    return section


def add_replacements(app: Sphinx, doctree: nodes.document) -> None:
    if app.env.docname != ABOUT_PAGE:
        return
    first = next(iter(doctree.findall(nodes.section)), None)
    (first if first is not None else doctree).append(replacements_section(site_data(), app.builder, ABOUT_PAGE))


def about_outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """Re-read the about page when the list of replacements changes (its own source may not)."""
    listed = json.dumps([[p["id"], p["title"]] for p in replacements(site_data())])
    if getattr(env, "toolkit_replacements", None) == listed:
        return []
    env.toolkit_replacements = listed  # type: ignore[attr-defined]
    return [ABOUT_PAGE] if ABOUT_PAGE in env.found_docs else []


def withheld_link(app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Element
                  ) -> nodes.Element | None:
    """A {doc} link to a page this site does not publish (hidden by the settings, or a draft)
    is shown as its text; `toolkit check` has already warned about it."""
    title = site_data().raw.get("withheld", {}).get(node.get("reftarget", "").lstrip("/"))
    if node.get("reftype") != "doc" or title is None:
        return None
    return contnode if node.get("refexplicit") else nodes.inline(title, title)


def setup_overlay(app: Sphinx) -> None:
    app.connect("missing-reference", withheld_link)
    app.connect("html-collect-pages", redirect_pages)
    app.connect("doctree-read", add_replacements, priority=450)   # before the related pages and history
    app.connect("env-get-outdated", about_outdated)
