"""Docutils nodes linking to other pages by docname, resolved by Sphinx to relative URLs."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder


def doc_link(title: str, target: str, refdoc: str) -> addnodes.pending_xref:
    """A link to the page `target` (absolute docname), working at any folder depth."""
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{target}",
                                refexplicit=True, refwarn=True, refdoc=refdoc)
    ref += nodes.inline(title, title)
    return ref


def resolved_link(builder: Builder, title: str, target: str, fromdoc: str) -> nodes.reference:
    """A link made after references are resolved (in `doctree-resolved`)."""
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
