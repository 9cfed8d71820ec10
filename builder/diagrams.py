"""Sphinx directives: one per diagram directive registered (toolkit/diagrams/types.py: `genogram`,
`eco-map`, `chronology`, `timeline` and any an extension adds), and `genogram-symbols`.

Each reads a data file (relative to the page's original file, `/` meaning the content
root) or its inline YAML body, validates it with toolkit.diagrams and emits a
`diagram_html` node: HTML builders write the prepared fragment, others the text
equivalent. Invalid data is a located warning and no diagram, never a broken one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from builder.diagram_export import merge, note_export, purge, remove_stale, with_exports
from builder.hosting import CONTENT_SECURITY_POLICY
from builder.sources import page_source
from toolkit.core.paths import PathOutsideRoot, confine, resolve_author_path
from toolkit.core.problems import Problem
from toolkit.diagrams import (
    DIAGRAM_TYPES,
    DIRECTIVE_KINDS,
    describe_diagram,
    load_diagram,
    render_diagram,
    validate_directive,
)
from toolkit.diagrams.genogram import symbol_meanings, symbols_table

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


class diagram_html(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """A rendered diagram: `html` for HTML builders; children hold the text equivalent."""


class DiagramDirective(SphinxDirective):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        argument = self.arguments[0].strip() if self.arguments else None
        body = "\n".join(self.content)
        page, root = page_source(self.env, self.env.docname)
        body_line = self._body_line()
        problems = validate_directive(self.name, argument, body, str(page), body_line)
        self._report(problems, inline=True)
        if any(p.severity == "error" for p in problems):
            return []
        kind = DIRECTIVE_KINDS[self.name]
        if argument:
            text, path = self._read(argument, page, root, kind)
            if text is None:
                return []
            model, problems = load_diagram(kind, text, path)
            self._report(problems, inline=False)
        else:  # already validated (and reported with page lines) above
            model, _ = load_diagram(kind, body, str(page))
        if model is None:
            return []
        caption = self.options.get("caption") or None
        serial = self.env.new_serialno("toolkit-diagram")
        prefix = f"tk-{self.name}-{serial}"
        node = diagram_html(html=render_diagram(self.name, model, caption, id_prefix=prefix))
        if self.name != "chronology":   # a table, not a drawing
            node["serial"] = f"{self.name}-{serial}"
            note_export(self.env, self.env.docname, node["serial"])
        self.set_source_info(node)
        if caption:
            node += nodes.paragraph(text=caption)
        items = nodes.bullet_list()
        for line in describe_diagram(self.name, model):
            items += nodes.list_item("", nodes.paragraph(text=line))
        node += items
        return [node]

    def _body_line(self) -> int:
        """The page line where the body starts: MyST counts `content_offset` from the
        directive's own line (after options), docutils from the top of the file."""
        if type(self.state).__module__.startswith("myst_parser"):
            return self.lineno + 1 + self.content_offset
        return self.content_offset + 1

    def _read(self, argument: str, page: Path, root: Path, kind: str) -> tuple[str | None, str]:
        """The data file's text, or None after a located warning (escape, missing, wrong kind)."""
        try:
            resolved = confine(resolve_author_path(argument, page, root), root)
        except PathOutsideRoot:
            self._warn(f"diagram path '{argument}' leads outside the content root",
                       "paths are relative to the page; a leading / means the content root")
            return None, ""
        if not resolved.is_file():
            self._warn(f"diagram file '{argument}' does not exist",
                       "check the file name and that it is relative to this page")
            return None, ""
        wanted = DIAGRAM_TYPES[kind].suffix
        if not resolved.name.endswith(wanted):
            self._warn(f"the {self.name} directive needs a *{wanted} file, not '{resolved.name}'",
                       f"point it at a file named like family{wanted}")
            return None, ""
        self.env.note_dependency(str(resolved))
        return resolved.read_text(encoding="utf-8"), str(resolved)

    def _warn(self, message: str, hint: str) -> None:
        logger.warning(f"{message} ({hint})", location=(self.env.docname, self.lineno),
                       type="toolkit", subtype="diagram")

    def _report(self, problems: list[Problem], *, inline: bool) -> None:
        for problem in problems:
            location: Any = (self.env.docname, problem.line) if inline \
                else f"{problem.path}:{problem.line}"
            text = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
            if problem.severity == "error":
                logger.warning(text, location=location, type="toolkit", subtype="diagram")
            else:
                logger.info(text, location=location)


class GenogramSymbolsDirective(SphinxDirective):
    """`genogram-symbols`: every genogram symbol drawn beside its meaning (no data needed)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        prefix = f"tk-genogram-symbols-{self.env.new_serialno('toolkit-diagram')}"
        node = diagram_html(html=symbols_table(prefix))
        self.set_source_info(node)
        items = nodes.bullet_list()
        for _key, text in symbol_meanings():
            items += nodes.list_item("", nodes.paragraph(text=text))
        node += items
        return [node]


def visit_diagram_html(self: HTML5Translator, node: diagram_html) -> None:
    html = node["html"]
    if node.get("serial"):
        html = with_exports(html, Path(self.builder.outdir), self.builder.current_docname, node["serial"],
                            CONTENT_SECURITY_POLICY, self.builder.config.language or "en")
    self.body.append(html)
    raise nodes.SkipNode


def visit_diagram_text(self: Any, node: diagram_html) -> None:
    """Non-HTML builders render the node's children: the caption and the text equivalent."""


def depart_diagram_text(self: Any, node: diagram_html) -> None:
    pass


def _add_static_path(app: Sphinx, config: Config) -> None:
    if str(STATIC) not in [str(p) for p in config.html_static_path]:
        config.html_static_path.append(str(STATIC))


def setup_diagrams(app: Sphinx) -> None:
    app.add_node(diagram_html, html=(visit_diagram_html, None),
                 latex=(visit_diagram_text, depart_diagram_text),
                 text=(visit_diagram_text, depart_diagram_text),
                 man=(visit_diagram_text, depart_diagram_text),
                 texinfo=(visit_diagram_text, depart_diagram_text))
    for name in DIRECTIVE_KINDS:
        app.add_directive(name, DiagramDirective)
    app.add_directive("genogram-symbols", GenogramSymbolsDirective)
    app.connect("config-inited", _add_static_path)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("build-finished", remove_stale)
    app.add_css_file("diagrams.css")
    app.add_js_file("diagrams.js", loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    """Lets a small test project load the diagrams on their own."""
    setup_diagrams(app)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
