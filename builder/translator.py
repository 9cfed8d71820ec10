"""HTML translator fixes: toctree captions get `aria-level` (sphinx-doc/sphinx#14030), and
tables sit in a focusable, labelled scroll region so they reflow at 320 px; sections' anchors sit
on their headings (Pagefind's sub-results); elements get the
attributes that tell Pagefind what to weigh or skip, and what it skips is marked for the indexer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

from builder.search import search_attributes, search_skipped
from toolkit.core.protocol import SKIP_END, SKIP_START

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class ToolkitTranslator(HTML5Translator):
    def __init__(self, document: nodes.document, builder: Any) -> None:
        super().__init__(document, builder)
        self.table_labels: dict[str, int] = {}  # name -> tables so far with it, on this page

    def starttag(self, node: nodes.Node, tagname: str, suffix: str = "\n", empty: bool = False,
                 **attributes: object) -> str:
        if isinstance(node, nodes.Element):
            attributes |= search_attributes(node, tagname)
        return super().starttag(node, tagname, suffix, empty, **attributes)

    def dispatch_visit(self, node: nodes.Node) -> None:
        if search_skipped(node):
            self.body.append(SKIP_START)
        super().dispatch_visit(node)

    def dispatch_departure(self, node: nodes.Node) -> None:
        super().dispatch_departure(node)
        if search_skipped(node):
            self.body.append(SKIP_END)

    def visit_section(self, node: nodes.section) -> None:
        """A section's anchors go on its heading (section_title_tags), where Pagefind looks for
        them: a search result then opens at the section that matched, not at the page's top."""
        ids, node["ids"] = node["ids"], []
        super().visit_section(node)
        node["ids"] = ids

    def section_title_tags(self, node: nodes.title) -> tuple[str, str]:
        start, close = super().section_title_tags(node)
        ids = node.parent["ids"]
        if ids and not node["ids"]:
            tag = start.split(" ", 1)[0].split(">", 1)[0]
            start = start.replace(tag, f'{tag} id="{ids[0]}"', 1) + "".join(f'<span id="{i}"></span>' for i in ids[1:])
        return start, close

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading",
                                           **{"aria-level": "2"}))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
            return
        super().visit_title(node)

    def visit_table(self, node: nodes.table) -> None:
        titles = [child for child in node.children if isinstance(child, nodes.title)]
        label = self.unique_table_label(node, titles[0].astext() if titles else None)
        self.body.append(f'<div class="toolkit-scroll" tabindex="0" role="region" aria-label="{self.attval(label)}">')
        super().visit_table(node)

    def unique_table_label(self, node: nodes.Element, caption: str | None) -> str:
        """A name unique on the page (landmarks must differ): the table's caption, else its
        section's heading, numbered when a section holds more than one table."""
        section = node.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        heading = section[0].astext() if section is not None and isinstance(section[0], nodes.title) else "Table"
        name = caption or heading
        self.table_labels[name] = self.table_labels.get(name, 0) + 1
        count = self.table_labels[name]
        number = f" {count}" if count > 1 else ""
        return f"{name}{number} (table, scrolls sideways)"

    def depart_table(self, node: nodes.table) -> None:
        super().depart_table(node)
        self.body.append("</div>")


def setup_translator(app: Sphinx) -> None:
    app.set_translator("html", ToolkitTranslator, override=True)
    app.set_translator("dirhtml", ToolkitTranslator, override=True)
