"""Defence in depth inside Sphinx: whatever `toolkit check` missed never reaches a reader.

`toolkit check` refuses unsafe markup before a build (toolkit.lints.markup). This
extension assumes that scan can be bypassed or wrong, and makes the build safe anyway:

- every document is read with docutils' `raw_enabled` and `file_insertion_enabled` off,
  so `raw`, `include`, `literalinclude` and `csv-table :file:` produce nothing;
- a page's front matter cannot change MyST's configuration: the `myst`, `substitutions`
  and `html_meta` keys are blanked before MyST reads them (a page could otherwise switch
  on `substitution`, whose Jinja templates are not sandboxed and can run commands on the
  build machine, or switch raw HTML back on with `disable_syntax: []`);
- after reading, the document tree loses raw nodes (except our own, marked with the
  class `toolkit-generated`), links and images with `javascript:`/`vbscript:`/`data:`
  URLs, images from other hosts, `<meta http-equiv>` and any `on*` attribute.

Each removal is a warning (type `toolkit`, subtype `unsafe`) with the node's location.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from toolkit.lints.markup import is_dangerous_url, is_remote_url

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
# Markup with an event handler or script, smuggled in an attribute value that a
# writer emits unescaped (sphinx-design's icon nodes put author-given classes in SVG).
_MARKUP_WITH_SCRIPT = re.compile(r"(?i)<[^>]*[\s\"'/]on[a-z]+\s*=|<\s*script|javascript:")


def setup_safety(app: Sphinx) -> None:
    """Connect the safety handlers; configuration itself is left to conf.py."""
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
        elif node.parent is not None and any(
            isinstance(v, str) and _MARKUP_WITH_SCRIPT.search(v) for v in node.attributes.values()
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
