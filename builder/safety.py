"""Defence in depth inside Sphinx: whatever `toolkit check` missed never reaches a reader.

`toolkit check` refuses unsafe markup before a build (toolkit.checks.markup). This
extension assumes that scan can be bypassed or wrong, and makes the build safe anyway:

- every document is read with docutils' `raw_enabled` and `file_insertion_enabled` off,
  so `raw`, `include`, `literalinclude` and `csv-table :file:` produce nothing;
- a page's front matter cannot change MyST's configuration: the `myst`, `substitutions`
  and `html_meta` keys are blanked before MyST reads them (a page could otherwise switch
  on `substitution`, whose Jinja templates are not sandboxed and can run commands on the
  build machine, or switch raw HTML back on with `disable_syntax: []`);
- images and downloads must be of a type on the allow-list (toolkit.content.publishable), the one
  `toolkit check` applies;
- after reading, the document tree loses raw nodes (except our own, marked with the
  class `toolkit-generated`), links and images with `javascript:`/`vbscript:`/`data:`
  URLs, images from other hosts, `<meta http-equiv>` and any `on*` attribute.

- a role or directive not on the allow-list (toolkit.checks.markup, the same one `toolkit check`
  applies) is switched off where MyST would run it: it gives nothing but the warning (math,
  the icon-font roles, `raw`, `include`…), and an `{octicon}` runs only with a plain name and size;
- so no page has math, and Sphinx never adds MathJax (a script from another host).

Each removal is a warning (type `toolkit`, subtype `unsafe`) with the node's location. What
reaches the built files is scanned once more before anything is published (toolkit.site.output_scan).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markdown_it import MarkdownIt
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx import addnodes
from sphinx.util import logging

from toolkit.checks.markup import (
    AUTHOR_DIRECTIVES,
    GENERATED_DIRECTIVES,
    carries_script,
    directive_problem,
    role_problem,
)
from toolkit.content.publishable import type_problem
from toolkit.content.urls import is_dangerous_url, is_remote_url
from toolkit.core.protocol import stock_sphinx

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

GENERATED_CLASS = "toolkit-generated"
#: Front matter keys MyST reads as per-page configuration.
BLOCKED_FRONT_MATTER_KEYS = frozenset({"myst", "substitutions", "html_meta", "mystnb"})
#: Docutils settings forced on every document.
SAFE_DOCUTILS_SETTINGS: dict[str, Any] = {"raw_enabled": False, "file_insertion_enabled": False}
# What str.splitlines() splits on, as MyST reads front matter with it.
_LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# A front matter line as staging writes it: `key: word`.
_PLAIN_LINE = re.compile(r"([a-z_]+): [a-z0-9]+")
_META = getattr(nodes, "meta", nodes.Invisible)   # docutils < 0.18 has no meta node


#: Everything the build runs: what authors may write and what the toolkit's generated pages use.
BUILD_DIRECTIVES = AUTHOR_DIRECTIVES | GENERATED_DIRECTIVES


class _AllowListRenderer(SphinxRenderer):
    """MyST's renderer, running only the roles and directives on the allow-list. Relies on
    MyST's renderer methods (myst-parser is pinned below 6 in pyproject.toml)."""

    def _refused(self, message: str, line: int) -> None:
        logger.warning("unsafe content: %s", message, location=(self.sphinx_env.docname, line),
                       type="toolkit", subtype="unsafe")

    def run_directive(self, name: str, first_line: str, content: str, position: int,
                      *args: Any, **kwargs: Any) -> list[nodes.Element]:
        problem = directive_problem(name, BUILD_DIRECTIVES)
        if problem:
            self._refused(problem, position)
            return []
        return super().run_directive(name, first_line, content, position, *args, **kwargs)

    def render_myst_role(self, token: Any) -> None:
        problem = role_problem(token.meta["name"], token.content)
        if problem:
            self._refused(problem, token.map[0] if token.map else 0)
            return
        super().render_myst_role(token)


class AllowListParser(MystParser):
    """MyST's Sphinx parser with `_AllowListRenderer`, and the project's MyST configuration for every
    page: MyST's own merges in what a page's front matter sets, which here is blanked before it could
    (`_strip_page_configuration`) and is not read at all. One markdown-it parser serves every page a
    process reads, one after another: MyST made one a page (with reading the front matter for
    configuration, 0.37 ms a page)."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        config = document.settings.env.myst_config
        # A parse within a parse makes its own; so does every page with TOOLKIT_STOCK_SPHINX=1, as
        # MyST does (the parser kept relies on its renderer starting afresh on each render).
        parser = None if stock_sphinx(os.environ) else _IDLE_PARSERS.pop(id(config), None)
        if parser is None:
            parser = create_md_parser(config, _AllowListRenderer)
        parser.options["document"] = document
        try:
            parser.render(inputstring)
        finally:
            del parser.options["document"]
            _IDLE_PARSERS[id(config)] = parser


# The parser each MyST configuration last used, while no page is being parsed with it, by the
# configuration's id (the parser holds the configuration, so the id is not reused meanwhile).
_IDLE_PARSERS: dict[int, MarkdownIt] = {}


def setup_safety(app: Sphinx) -> None:
    """Connect the safety handlers; configuration itself is left to conf.py."""
    app.add_source_parser(AllowListParser, override=True)
    app.connect("env-before-read-docs", _force_docutils_settings)
    app.connect("source-read", _strip_page_configuration)
    # Before the environment collectors (priority 500), so they never see removed nodes.
    app.connect("doctree-read", _clean_doctree, priority=100)


def setup(app: Sphinx) -> dict[str, Any]:
    """So conf.py can list `builder.safety` in `extensions` directly."""
    setup_safety(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def _force_docutils_settings(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """`env.settings` are the docutils settings every document is parsed with."""
    env.settings.update(SAFE_DOCUTILS_SETTINGS)


def _strip_page_configuration(app: Sphinx, docname: str, source: list[str]) -> None:
    source[0], removed = strip_page_configuration(source[0])
    for key, line in removed:
        logger.warning(
            "front matter key %r is not allowed: MyST configuration comes from the project",
            key,
            location=(docname, line),
            type="toolkit",
            subtype="unsafe",
        )


def strip_page_configuration(text: str) -> tuple[str, list[tuple[str, int]]]:
    """Blank the front matter keys that would change MyST's configuration.

    Lines are replaced by `#` comments, so every other line keeps its number. Front
    matter is found exactly as MyST finds it (`read_topmatter`); if the keys survive
    blanking (YAML merge keys, escapes in quoted keys), all of it is blanked.
    Returns the new text and (key, line) for each key removed.
    """
    from myst_parser.config.main import TopmatterReadError, read_topmatter

    if _plain_front_matter(text):
        return text, []
    try:
        matter = read_topmatter(text)
    except TopmatterReadError:
        return text, []  # MyST ignores front matter it cannot read
    if not matter or not BLOCKED_FRONT_MATTER_KEYS & {str(k) for k in matter}:
        return text, []
    lines = text.splitlines(keepends=True)
    end = next((i for i in range(1, len(lines)) if lines[i].startswith(("---", "..."))), len(lines))
    removed: list[tuple[str, int]] = []
    blanking = False
    for i in range(1, end):
        stripped = lines[i].rstrip(_LINE_ENDS)
        if stripped and not stripped[0].isspace() and not stripped.startswith(("#", "-", "]", "}")):
            key = stripped.split(":", 1)[0].strip().strip("\"'")
            blanking = key in BLOCKED_FRONT_MATTER_KEYS
            if blanking:
                removed.append((key, i + 1))
        if blanking:
            lines[i] = "#" + lines[i][len(stripped) :]
    try:
        still = read_topmatter("".join(lines))
    except TopmatterReadError:
        still = {}
    if still is not None and BLOCKED_FRONT_MATTER_KEYS & {str(k) for k in still}:
        for i in range(1, end):
            body = lines[i].rstrip(_LINE_ENDS)
            lines[i] = "#" + lines[i][len(body) :]
        removed = removed or [("front matter", 1)]
    if end > 1 and all(not x.strip() or x.startswith("#") for x in lines[1:end]):
        # nothing left: an empty mapping, not an empty document MyST would warn about
        lines[1] = "{}" + lines[1][len(lines[1].rstrip(_LINE_ENDS)) :]
    return "".join(lines), removed


def _plain_front_matter(text: str) -> bool:
    """Front matter of plain `key: word` lines none of which is blocked, as staging writes it:
    YAML cannot read another key into it, so it need not be parsed (a parse per page)."""
    if not text.startswith("---\n"):
        return False
    end = text.find("\n---\n", 3)
    if end < 0:
        return False
    lines = text[4:end].split("\n")
    return all(not line or ((match := _PLAIN_LINE.fullmatch(line)) and match[1] not in BLOCKED_FRONT_MATTER_KEYS)
               for line in lines)


def _clean_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """One walk over the tree (each extra walk costs about 1% of a build)."""
    removed: list[nodes.Element] = []
    for node in list(doctree.findall(nodes.Element)):
        if removed and _inside(node, removed):
            continue
        if isinstance(node, nodes.raw) and GENERATED_CLASS not in node.get("classes", []):
            _removed(node, f"raw {node.get('format', '')} output removed".replace("  ", " "))
            node.parent.remove(node)
            removed.append(node)
        elif isinstance(node, _META) and any("http-equiv" in str(k) for k in node.attributes):
            _removed(node, "<meta http-equiv> removed")
            node.parent.remove(node)
            removed.append(node)
        elif isinstance(node, nodes.reference) and is_dangerous_url(str(node.get("refuri", ""))):
            _removed(node, "link with a script or data URL replaced by its text")
            node.replace_self(nodes.inline("", "", *node.children))
        elif isinstance(node, nodes.image) and (is_dangerous_url(str(node.get("uri", "")))
                                                or is_remote_url(str(node.get("uri", "")))):
            _removed(node, "image from another host or a data/script URL removed")
            node.replace_self(nodes.inline("", str(node.get("alt", ""))))
        elif isinstance(node, nodes.image) and (refused := type_problem(str(node.get("uri", "")), "image")):
            _removed(node, f"image removed: {refused}")
            node.replace_self(nodes.inline("", str(node.get("alt", ""))))
        elif isinstance(node, addnodes.download_reference) and (
                refused := type_problem(str(node.get("reftarget", "")), "download")):
            _removed(node, f"download replaced by its text: {refused}")
            node.replace_self(nodes.inline("", "", *node.children))
        elif node.parent is not None and any(
            isinstance(v, str) and carries_script(v) for v in node.attributes.values()
        ):
            _removed(node, f"{node.tagname} carrying markup with script removed")
            node.parent.remove(node)
            removed.append(node)
        else:
            for name in [k for k in node.attributes if str(k).lower().startswith("on")]:
                _removed(node, f"event-handler attribute {name!r} removed")
                del node.attributes[name]


def _inside(node: nodes.Node, removed: list[nodes.Element]) -> bool:
    """Whether `node` is in a subtree already taken out of the document."""
    while node is not None:
        if any(node is r for r in removed):
            return True
        node = node.parent
    return False


def _removed(node: nodes.Node, message: str) -> None:
    logger.warning("unsafe content: %s", message, location=node, type="toolkit", subtype="unsafe")
