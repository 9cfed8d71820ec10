"""The `{term}` role: a glossary term in a page's text, linked to its entry on the glossary page.

`{term}`PSW`` or `{term}`principal social workers <PSW>``: the target is a term or one of its
aliases, in any case; the text is shown as written. `toolkit check` refuses an unknown term with a
"did you mean" (toolkit/checks/page_lints.py); the build warns and shows the text unlinked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from builder.links import page_link
from builder.sitedata import site_data
from toolkit.content.vocabularies import glossary_anchor
from toolkit.core.protocol import GLOSSARY_DOC

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_EXPLICIT = re.compile(r"^(?P<text>.+?)\s*<(?P<target>[^<>]+)>$", re.S)


def term_named(written: str) -> str | None:
    """The glossary term a term or alias names (any case), or None."""
    wanted = written.strip().lower()
    return next((term["term"] for term in site_data().glossary
                 if wanted in (name.lower() for name in (term["term"], *term["aliases"]))), None)


class TermRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        explicit = _EXPLICIT.match(self.text)
        shown, target = (explicit["text"], explicit["target"]) if explicit else (self.text, self.text)
        term = term_named(target)
        if term is None:
            message = self.inliner.reporter.warning(f"'{target.strip()}' is not a glossary term", line=self.lineno)
            return [nodes.Text(shown)], [message]
        link = page_link(self.env.app.builder, shown, GLOSSARY_DOC, self.env.docname)
        link["refuri"] += "#" + nodes.make_id(glossary_anchor(term))   # the id docutils gives the label
        link["classes"].append("toolkit-term")
        return [link], []


def setup_terms(app: Sphinx) -> None:
    # Sphinx's own {term} finds terms of a glossary directive; this site's glossary is its data file.
    app.add_role_to_domain("std", "term", TermRole(), override=True)
