"""The `{statement}` role, and "also mentioned in" lists on statement pages.

Mentions are gathered across pages while reading, kept in the environment with purge and
merge handlers (so `-j N` and incremental builds agree with a clean build), and filled into
placeholders late, when every page has been read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective, SphinxRole

from builder.links import page_link
from builder.sitedata import site_data

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

STORE = "toolkit_mentions"   # env attribute: docname -> sorted statement ids it mentions
MENTIONED = "These pages also mention it:"
WRITTEN = "toolkit_mentions_shown"  # env attribute: statement id -> docnames last written


class mentions_placeholder(nodes.General, nodes.Element):
    """Filled, once every page is read, with the pages that mention a statement."""


def _store(env: BuildEnvironment) -> dict[str, list[str]]:
    if not hasattr(env, STORE):
        setattr(env, STORE, {})
    return getattr(env, STORE)


class StatementRole(SphinxRole):
    """{statement}`KSS-PS-7`: a link to the statement's page, titled with its id and title."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        statement_id = self.text.strip()
        statement = site_data().statements.get(statement_id)
        if statement is None and site_data().statements:
            message = self.inliner.reporter.warning(
                f"unknown framework statement '{statement_id}'", line=self.lineno)
            return [nodes.Text(statement_id)], [message]
        mentions = _store(self.env).setdefault(self.env.docname, [])
        if statement_id not in mentions:
            mentions.append(statement_id)
            mentions.sort()
        title = f"{statement_id} {statement['title']}" if statement else statement_id
        return [page_link(self.env.app.builder, title, f"statements/{statement_id}", self.env.docname)], []


class StatementMentions(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        return [mentions_placeholder(statement=self.arguments[0])]


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _store(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    _store(env).update({d: m for d, m in _store(other).items() if d in docnames})


def mentioning(env: BuildEnvironment) -> dict[str, list[str]]:
    """statement id -> docnames mentioning it, sorted."""
    found: dict[str, list[str]] = {}
    for docname, statements in sorted(_store(env).items()):
        for statement in statements:
            found.setdefault(statement, []).append(docname)
    return found


def outdated_statement_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Statement pages whose mention list changed since they were last written."""
    now = mentioning(env)
    before = getattr(env, WRITTEN, {})
    setattr(env, WRITTEN, now)
    changed = {s for s in set(now) | set(before) if now.get(s) != before.get(s)}
    return sorted(f"statements/{s}" for s in changed if f"statements/{s}" in env.found_docs)


def fill_mentions(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(mentions_placeholder))
    if not placeholders:   # most pages: gathering every mention for each page made builds quadratic
        return
    found = mentioning(app.env)
    site = site_data()
    for placeholder in placeholders:
        statement = placeholder["statement"]
        pages = [d for d in found.get(statement, []) if d in site.pages and statement not in site.pages[d]["maps_to"]]
        if not pages:   # each page is listed once: those supporting the statement are listed above
            placeholder.replace_self([])
            continue
        links = nodes.bullet_list()
        for page_id in pages:
            paragraph = nodes.paragraph()
            paragraph += page_link(app.builder, site.pages[page_id]["title"], page_id, docname)
            links += nodes.list_item("", paragraph)
        placeholder.replace_self(nodes.container("", nodes.paragraph(MENTIONED, MENTIONED), links,
                                                 classes=["toolkit-related"]))


def setup_statements(app: Sphinx) -> None:
    app.add_role("statement", StatementRole())
    app.add_directive("statement-mentions", StatementMentions)
    app.add_node(mentions_placeholder)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-updated", outdated_statement_pages)
    app.connect("doctree-resolved", fill_mentions)
