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

from toolkit.site.search_index import SKIP_END, SKIP_START

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from builder.translator import ToolkitTranslator

EMPTY = "There are no pages here yet."


class page_listing(nodes.General, nodes.Element):
    """Pages as a definition list: `entries` is [[docname, title, summary], ...]."""


class coverage_table(nodes.General, nodes.Element):
    """Statements against sections: `rows` is [[section title, ...], then per statement
    [statement docname, statement id, statement title, [pages in each section, ...]], ...]."""


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
    columns, *statements = node["rows"]
    rows = []
    for docname, statement_id, title, counts in statements:
        total = sum(counts)
        cells = "".join(f'<td class="toolkit-count{" toolkit-zero" * (not n)}"><p>{n}</p></td>' for n in counts)
        shown = str(total) if total else "<strong>None yet</strong>"
        gap = "" if total else ' class="toolkit-gap"'
        rows.append(f'<tr{gap}><th scope="row"><p>'
                    f"{_link(translator, docname, statement_id)} {html.escape(title)}</p></th>{cells}"
                    f'<td class="toolkit-count"><p>{shown}</p></td></tr>\n')
    heads = "".join(f'<th class="head" scope="col"><p>{html.escape(c)}</p></th>' for c in [*columns, "All pages"])
    translator.body.append(
        f'<div class="toolkit-scroll" tabindex="0" role="region" aria-label="{html.escape(label)}">'
        '<table class="docutils align-default toolkit-coverage">\n<thead>\n<tr>'
        f'<th class="head" scope="col"><p>Statement</p></th>{heads}</tr>\n</thead>\n<tbody>\n'
        + "".join(rows) + "</tbody>\n</table></div>\n")
    raise nodes.SkipNode


def setup_listings(app: Sphinx) -> None:
    app.add_directive("page-list", PageListDirective)
    app.add_directive("coverage-table", CoverageTableDirective)
    app.add_node(page_listing, html=(visit_page_listing, None))
    app.add_node(coverage_table, html=(visit_coverage_table, None))
