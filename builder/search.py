"""The search page: Pagefind's UI, loaded from the site itself, with a no-JavaScript fallback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from builder.safety import GENERATED_CLASS

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SEARCH_HTML = """<div class="toolkit-search" data-pagefind-ignore>
<form class="toolkit-search-fallback" action="search.html" method="get" role="search">
<label for="toolkit-search-input">Search the toolkit</label>
<input id="toolkit-search-input" type="search" name="q">
<button type="submit">Search</button>
</form>
<noscript><p>Search needs JavaScript. Without it, browse the
<a href="sections/practice-models.html">sections</a>, <a href="topics/index.html">topics</a> or
<a href="glossary.html">glossary</a>.</p></noscript>
<div id="toolkit-search-results" aria-live="polite"></div>
</div>
"""


class SearchBox(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [nodes.raw("", SEARCH_HTML, format="html", classes=[GENERATED_CLASS])]


def setup_search(app: Sphinx) -> None:
    app.add_directive("search-box", SearchBox)
