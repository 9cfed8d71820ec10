"""Listings on generated pages (pages by kind, audience, topic, stage and statement; the
coverage table), written straight to HTML when the page is written.

A listing names thousands of pages on a large site. As Markdown with a `{doc}` link per page
it cost about a quarter of a 1,000-page build (a parse, ~30 tree transforms over every entry and
a cross-reference each); as one node it costs a line of HTML per entry. Each entry's title and
summary are in the directive's text (`markup.page_list`), so the generated source changes —
and Sphinx re-reads and rewrites the listing — whenever what it shows changes.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from toolkit.search_index import SKIP_END, SKIP_START

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from builder.translator import ToolkitTranslator

EMPTY = "There are no pages here yet."


class page_listing(nodes.General, nodes.Element):
    """Pages as a definition list: `entries` is [[docname, title, summary], ...]."""


class coverage_table(nodes.General, nodes.Element):
    """Statements and the pages supporting each: `rows` is
    [[statement docname, statement id, statement title, [[docname, title], ...]], ...]."""


class _JsonLines(SphinxDirective):
    has_content = True

    def rows(self) -> list[list]:
        return [json.loads(line) for line in self.content if line.strip()]


class PageListDirective(_JsonLines):
    def run(self) -> list[nodes.Node]:
        entries = self.rows()
        if not entries:
            return [nodes.paragraph(EMPTY, EMPTY)]
        return [page_listing(entries=entries)]


class CoverageTableDirective(_JsonLines):
    def run(self) -> list[nodes.Node]:
        return [coverage_table(rows=self.rows())]


def _link(translator: ToolkitTranslator, docname: str, title: str) -> str:
    uri = translator.builder.get_relative_uri(translator.builder.current_docname, docname)
    return f'<a class="reference internal" href="{html.escape(uri)}">{html.escape(title)}</a>'


def visit_page_listing(translator: ToolkitTranslator, node: page_listing) -> None:
    """Other pages' titles and summaries: left out of the index of a page that is searched (a
    statement page), so a search for a page's words finds that page, not the lists naming it."""
    translator.body.append(SKIP_START + '<dl class="simple toolkit-listing" data-pagefind-ignore>\n' + "".join(
        f"<dt>{_link(translator, docname, title)}</dt><dd><p>{html.escape(summary)}</p></dd>\n"
        for docname, title, summary in node["entries"]) + "</dl>" + SKIP_END + "\n")
    raise nodes.SkipNode


def visit_coverage_table(translator: ToolkitTranslator, node: coverage_table) -> None:
    label = translator.unique_table_label(node, None)
    rows = []
    for docname, statement_id, title, pages in node["rows"]:
        links = ", ".join(_link(translator, page, name) for page, name in pages) or "<strong>None yet</strong>"
        rows.append(f"<tr><td><p>{_link(translator, docname, statement_id)} {html.escape(title)}</p></td>"
                    f"<td><p>{links}</p></td></tr>\n")
    translator.body.append(
        f'<div class="toolkit-scroll" tabindex="0" role="region" aria-label="{html.escape(label)}">'
        '<table class="docutils align-default">\n<thead>\n<tr><th class="head"><p>Statement</p></th>'
        '<th class="head"><p>Pages</p></th></tr>\n</thead>\n<tbody>\n' + "".join(rows) + "</tbody>\n</table></div>\n")
    raise nodes.SkipNode


def setup_listings(app: Sphinx) -> None:
    app.add_directive("page-list", PageListDirective)
    app.add_directive("coverage-table", CoverageTableDirective)
    app.add_node(page_listing, html=(visit_page_listing, None))
    app.add_node(coverage_table, html=(visit_coverage_table, None))
