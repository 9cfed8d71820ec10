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
import tempfile
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
# Around the indexed part of a page (builder/templates/page.html).
SEARCH_START = "<!--toolkit-search-->"
SEARCH_END = "<!--/toolkit-search-->"


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


def write_search_copies(html: Path, folder: Path) -> None:
    """Copy the indexed part of every page (between the markers page.html puts around it) into
    `folder`, at the page's own path, so the page keeps its URL in the index. Pagefind then
    reads a third of the bytes (no theme, navigation or footer), which halves its time."""
    for page in html.rglob("*.html"):
        if page.is_relative_to(html / SEARCH_FOLDER):
            continue
        text = page.read_text(encoding="utf-8")
        start = text.find(SEARCH_START)
        if start < 0:
            continue
        end = text.find(SEARCH_END, start)
        target = folder / page.relative_to(html)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'
                          f"{text[start:end]}</body></html>", encoding="utf-8")


class _NoPause:
    """Stands in for the asyncio module inside pagefind's service client, whose read loop sleeps
    0.1 s before each response (pagefind 1.5): every request then cost 0.1 s at least, and the
    glossary's 62 records alone took 6 s. The read that follows waits for data anyway."""

    def __getattr__(self, name: str) -> object:
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result: object = None) -> object:
        return await asyncio.sleep(0, result)


async def _write_index(html: Path) -> None:
    import pagefind.service
    from pagefind.index import IndexConfig, PagefindIndex

    pagefind.service.asyncio = _NoPause()  # type: ignore[assignment]
    config = IndexConfig(force_language="en", output_path=str(html / SEARCH_FOLDER),
                         exclude_selectors=list(NOT_INDEXED))
    with tempfile.TemporaryDirectory(prefix="toolkit-search-") as copies:
        write_search_copies(html, Path(copies))
        async with PagefindIndex(config=config) as index:
            await index.add_directory(copies)
            await asyncio.gather(*(index.add_html_file(content=term_record(term), url=f"/{GLOSSARY_PAGE}#{term.anchor}")
                                   for term in glossary_terms(html)))


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
