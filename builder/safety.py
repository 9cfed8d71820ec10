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


def _clean_doctree(app: Sphinx, doctree: nodes.document) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if GENERATED_CLASS not in raw.get("classes", []):
            _removed(raw, f"raw {raw.get('format', '')} output removed".replace("  ", " "))
            raw.parent.remove(raw)
    for meta in list(doctree.findall(getattr(nodes, "meta", nodes.Invisible))):
        if isinstance(meta, nodes.Element) and any("http-equiv" in str(k) for k in meta.attributes):
            _removed(meta, "<meta http-equiv> removed")
            meta.parent.remove(meta)
    for ref in list(doctree.findall(nodes.reference)):
        if is_dangerous_url(str(ref.get("refuri", ""))):
            _removed(ref, "link with a script or data URL replaced by its text")
            ref.replace_self(nodes.inline("", "", *ref.children))
    for image in list(doctree.findall(nodes.image)):
        uri = str(image.get("uri", ""))
        if is_dangerous_url(uri) or is_remote_url(uri):
            _removed(image, "image from another host or a data/script URL removed")
            image.replace_self(nodes.inline("", str(image.get("alt", ""))))
    for element in list(doctree.findall(nodes.Element)):
        if element.parent is not None and any(
            isinstance(v, str) and _MARKUP_WITH_SCRIPT.search(v) for v in element.attributes.values()
        ):
            _removed(element, f"{element.tagname} carrying markup with script removed")
            element.parent.remove(element)
            continue
        for name in [k for k in element.attributes if str(k).lower().startswith("on")]:
            _removed(element, f"event-handler attribute {name!r} removed")
            del element.attributes[name]


def _removed(node: nodes.Node, message: str) -> None:
    logger.warning("unsafe content: %s", message, location=node, type="toolkit", subtype="unsafe")
