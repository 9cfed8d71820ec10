"""HTML translator fixes: toctree captions get `aria-level` (sphinx-doc/sphinx#14030), and
tables sit in a focusable, labelled scroll region so they reflow at 320 px."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class ToolkitTranslator(HTML5Translator):
    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading",
                                           **{"aria-level": "2"}))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
            return
        super().visit_title(node)

    def visit_table(self, node: nodes.table) -> None:
        self.body.append('<div class="toolkit-scroll" tabindex="0" role="region" '
                         'aria-label="Table (scrolls sideways)">')
        super().visit_table(node)

    def depart_table(self, node: nodes.table) -> None:
        super().depart_table(node)
        self.body.append("</div>")


def setup_translator(app: Sphinx) -> None:
    app.set_translator("html", ToolkitTranslator, override=True)
    app.set_translator("dirhtml", ToolkitTranslator, override=True)
