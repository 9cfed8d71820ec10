"""Pagefind: the static search index built from the finished HTML (no server, no download).

Content pages are indexed as Pagefind finds them (only published ones carry
`data-pagefind-body`). Each glossary term becomes a record of its own, linking to its place on
the glossary page: a search for "LADO" or "Local Authority Designated Officer" finds that term,
and a question whose words are spread over unrelated terms does not match the whole glossary.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path

SEARCH_FOLDER = "pagefind"
GLOSSARY_PAGE = "glossary.html"
TERM_PREFIX = "term-"
GLOSSARY_KIND = "Glossary"
TERM_WEIGHT = "0.3"
# Heading permalinks ("#") would otherwise run into every excerpt: "Supervision# A guide...".
NOT_INDEXED = ("a.headerlink",)


@dataclass(frozen=True)
class Term:
    anchor: str
    term: str
    definition: str


class _GlossaryReader(HTMLParser):
    """Terms of the generated glossary: each `<dl id="term-...">` with its `<dt>` and `<dd>`."""

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[Term] = []
        self._anchor: str | None = None
        self._part: str | None = None
        self._text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        anchor = dict(attrs).get("id") or ""
        if tag == "dl" and anchor.startswith(TERM_PREFIX):
            self._anchor, self._text = anchor, {"dt": [], "dd": []}
        elif self._anchor and tag in ("dt", "dd"):
            self._part = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("dt", "dd"):
            self._part = None
        elif tag == "dl" and self._anchor:
            term, definition = (" ".join("".join(self._text[p]).split()) for p in ("dt", "dd"))
            self.terms.append(Term(self._anchor, term, definition))
            self._anchor = None

    def handle_data(self, data: str) -> None:
        if self._anchor and self._part:
            self._text[self._part].append(data)


def glossary_terms(html: Path) -> list[Term]:
    page = html / GLOSSARY_PAGE
    if not page.is_file():
        return []
    reader = _GlossaryReader()
    reader.feed(page.read_text(encoding="utf-8"))
    return reader.terms


def term_record(term: Term) -> str:
    """One glossary term as a page for the index. A term's record is a few words long, and
    Pagefind favours short records, so its words weigh less: the guidance a term points to
    (its "See" page) still comes first for the term's own words."""
    return (f'<html lang="en"><body><div data-pagefind-body data-pagefind-weight="{TERM_WEIGHT}">'
            f'<span hidden data-pagefind-meta="term:{escape(term.term)}"></span>'
            f'<span hidden data-pagefind-filter="kind:{GLOSSARY_KIND}"></span>'
            f"<p>{escape(term.term)}. {escape(term.definition)}</p></div></body></html>")


async def _write_index(html: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(force_language="en", output_path=str(html / SEARCH_FOLDER),
                         exclude_selectors=list(NOT_INDEXED))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(html))
        for term in glossary_terms(html):
            await index.add_html_file(content=term_record(term), url=f"/{GLOSSARY_PAGE}#{term.anchor}")


def index_site(html: Path) -> bool:
    """Index `html` into html/pagefind; False (with Pagefind's message shown) on failure."""
    shutil.rmtree(html / SEARCH_FOLDER, ignore_errors=True)
    try:
        asyncio.run(_write_index(html))
    except Exception as error:  # Pagefind runs as a service; any failure of it fails the build
        print(f"toolkit build: Pagefind failed: {error}", file=sys.stderr)
        return False
    print("toolkit build: search index written", file=sys.stderr)
    return True


if __name__ == "__main__":  # the live preview indexes after each rebuild
    sys.exit(0 if index_site(Path(sys.argv[1])) else 1)
