"""Docutils nodes linking to other pages by docname, as relative URLs."""

from __future__ import annotations

from docutils import nodes
from sphinx.builders import Builder


def page_link(builder: Builder, title: str, target: str, fromdoc: str) -> nodes.reference:
    """A link from `fromdoc` to the page `target` (absolute docname), working at any folder depth.

    The toolkit writes these only to pages it knows exist, so it resolves them itself: a
    `{doc}` cross-reference per link would cost Sphinx a resolving pass over every page's facts,
    statements and related pages (about 17,000 links at 1,000 pages)."""
    reference = nodes.reference("", "", internal=True, refuri=builder.get_relative_uri(fromdoc, target))
    reference += nodes.inline(title, title)
    return reference


def joined(items: list[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for index, item in enumerate(items):
        if index:
            out.append(nodes.Text(separator))
        out.append(item)
    return out
