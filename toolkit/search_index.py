"""Pagefind: the static search index built from the finished HTML (no server, no download).

Each page of the build is indexed from the part of it between the search markers (only
published content pages have them), in shards a rebuild writes again only when their pages
changed. Each glossary term becomes a record of its own, linking to its place on
the glossary page: a search for "LADO" or "Local Authority Designated Officer" finds that term,
and a question whose words are spread over unrelated terms does not match the whole glossary.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zlib
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

from toolkit.protocol import GLOSSARY_KIND, SEARCH_END, SEARCH_START, SKIP_END, SKIP_START, TERM_PREFIX
from toolkit.staging import write_if_changed

SEARCH_FOLDER = "pagefind"
GLOSSARY_PAGE = "glossary.html"
TERM_WEIGHT = "0.3"
# Heading permalinks ("#") would otherwise run into every excerpt: "Supervision# A guide...".
NOT_INDEXED = ("a.headerlink",)
# Around the indexed part of a page (builder/templates/page.html).
# Around each part Pagefind is told to skip (builder/translator.py): left out of the record, so
# a change there (another page's title among related pages) does not make the page's shard dirty.
_SKIPPED = re.compile(f"{re.escape(SKIP_START)}.*?{re.escape(SKIP_END)}", re.S)
# The index is split into shards by page, merged in the browser (toolkit-search.js), so that a
# rebuild after an edit indexes one shard again, not the whole site: Pagefind has no update,
# and takes about 2 ms a page. Each shard adds about 4 requests and 50 KB to a reader's first
# search (bench/search_scale.py), so a site under SHARD_PAGES pages has one, and no site more
# than MAX_SHARDS.
SHARD_PAGES = 125
MAX_SHARDS = 8
SHARD_PREFIX = "shard-"
SHARD_LIST = "toolkit-shards.json"   # the merged shards' folders, for the browser
STATE = "search-index.json"          # beside the html folder: digests of pages and shards
# Pagefind indexes about 2 ms a page; a service that stops answering must not hold the build.
SEARCH_TIMEOUT = float(os.environ.get("TOOLKIT_SEARCH_TIMEOUT", "600"))


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


class _NoPause:
    """Stands in for the asyncio module inside pagefind's service client, whose read loop sleeps
    0.1 s before each response (pagefind 1.5): every request then cost 0.1 s at least, and the
    glossary's 62 records alone took 6 s. The read that follows waits for data anyway."""

    def __getattr__(self, name: str) -> object:
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result: object = None) -> object:
        return await asyncio.sleep(0, result)


@dataclass(frozen=True)
class Record:
    """One entry of the index: the indexed part of a page, or a glossary term."""
    url: str     # from the site root: "supervision.html", "glossary.html#term-lado"
    html: str

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.html.encode()).hexdigest()


def page_record(html: Path, page: Path) -> Record | None:
    """The indexed part of a page (between the markers page.html puts around it), or None for a
    page Pagefind would skip: no theme, navigation or footer, a third of the bytes, half the time."""
    text = (html / page).read_text(encoding="utf-8")
    start = text.find(SEARCH_START)
    if start < 0:
        return None
    part = _SKIPPED.sub("", text[start:text.find(SEARCH_END, start)])
    return Record(page.as_posix(), f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'
                                    f"{part}</body></html>")


def shard_count(pages: int, shard_pages: int) -> int:
    return max(1, min(MAX_SHARDS, -(-pages // shard_pages)))


def shard_of(url: str, count: int) -> int:
    """Which shard a record belongs to: stable while the count stays, so an edit dirties one.
    Glossary terms are spread like pages: all in one shard, they would outweigh its pages."""
    return zlib.crc32(url.encode()) % count


def shard_folder(index: Path, shard: int) -> Path:
    return index if shard == 0 else index / f"{SHARD_PREFIX}{shard}"


class _Pages:
    """Each page's search record, read again only when Sphinx has rewritten the page; the digests
    are kept between builds (in STATE beside the html folder) with the shards they made."""

    def __init__(self, html: Path, known: dict[str, list]) -> None:
        self.html = html
        self.known = known
        self.records: dict[str, Record | None] = {}

    def digest(self, page: Path) -> str | None:
        """The record's digest (None: not indexed), from the last build when the file is the same."""
        stat = (self.html / page).stat()
        stamp = [stat.st_mtime_ns, stat.st_size]
        key = page.as_posix()
        if self.known.get(key, [None, None])[:2] == stamp:
            return self.known[key][2]
        record = self.record(page)
        self.known[key] = [*stamp, record.digest if record else None]
        return self.known[key][2]

    def record(self, page: Path) -> Record | None:
        key = page.as_posix()
        if key not in self.records:
            self.records[key] = page_record(self.html, page)
        return self.records[key]


async def _write_shard(service: object, config: dict, records: list[Record], folder: Path) -> None:
    """Pages are handed over as files (Pagefind reads a folder faster than it takes one message a
    page); glossary terms, whose URLs carry an anchor, as messages."""
    pages = folder.with_name(f"{folder.name}-pages")
    for record in records:
        if "#" not in record.url:
            (pages / record.url).parent.mkdir(parents=True, exist_ok=True)
            (pages / record.url).write_text(record.html, encoding="utf-8")
    index = await service.create_index(config)  # type: ignore[attr-defined]
    if pages.is_dir():
        await index.add_directory(str(pages))
    await asyncio.gather(*(index.add_html_file(content=r.html, url=f"/{r.url}") for r in records if "#" in r.url))
    await index.write_files(output_path=str(folder))


def _install(written: Path, index: Path, shard: int) -> None:
    """Put a freshly written shard in place of the old one. Files are replaced, never rewritten, so
    a published site hard-linked to them keeps its own. Merged shards use the first shard's
    script and WebAssembly, so theirs are dropped."""
    target = shard_folder(index, shard)
    if shard == 0:
        target.mkdir(parents=True, exist_ok=True)
        for old in target.iterdir():
            if not old.name.startswith(SHARD_PREFIX) and old.name != SHARD_LIST:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        for new in written.iterdir():
            new.rename(target / new.name)
        return
    for bundle in [*written.glob("*.js"), *written.glob("*.css"), *written.glob("wasm.*")]:
        bundle.unlink()
    shutil.rmtree(target, ignore_errors=True)
    written.rename(target)


@dataclass
class _Plan:
    """What this build's index holds, shard by shard, and which shards must be written again."""
    count: int
    records: list[list[Record]]     # only for the dirty shards (read lazily otherwise)
    digests: list[str]
    dirty: list[int]


def _plan(html: Path, pages: list[Path], reader: _Pages, before: list[str], shard_pages: int) -> _Plan:
    digests = {page.as_posix(): reader.digest(page) for page in pages}
    indexed = sorted(url for url, digest in digests.items() if digest)
    count = shard_count(len(indexed), shard_pages)
    terms = [Record(f"{GLOSSARY_PAGE}#{t.anchor}", term_record(t)) for t in glossary_terms(html)]
    members: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    for url in indexed:
        members[shard_of(url, count)].append((url, digests[url] or ""))
    for term in terms:
        members[shard_of(term.url, count)].append((term.url, term.digest))
    shard_digests = [hashlib.sha1(repr(m).encode()).hexdigest() for m in members]
    index = html / SEARCH_FOLDER
    dirty = [n for n in range(count) if n >= len(before) or before[n] != shard_digests[n]
             or not (shard_folder(index, n) / "pagefind-entry.json").is_file()]
    by_url = {term.url: term for term in terms}
    records = [[r for url, _ in members[n] if (r := by_url.get(url) or reader.record(Path(url)))]
               if n in dirty else [] for n in range(count)]
    return _Plan(count, records, shard_digests, dirty)


async def _write_shards(plan: _Plan, scratch: Path) -> None:
    import pagefind.service
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    pagefind.service.asyncio = _NoPause()  # type: ignore[assignment]
    config = IndexConfig(force_language="en", exclude_selectors=list(NOT_INDEXED))
    service = await PagefindService().launch()
    try:
        await asyncio.gather(*(_write_shard(service, config, plan.records[n], scratch / str(n)) for n in plan.dirty))
    finally:
        await service.close()


def _read_state(path: Path) -> dict:
    """The last build's digests; a missing or damaged file only means indexing everything again."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def shard_files(index: Path, shard: int) -> str:
    """A fingerprint of a shard's files as installed (names, sizes, times): files are replaced,
    never rewritten, so any other value means a shard missing or damaged since, to write again."""
    folder = shard_folder(index, shard)
    listing = []
    for parent, folders, names in os.walk(folder):
        if parent == str(folder):
            folders[:] = [name for name in folders if not name.startswith(SHARD_PREFIX)]
        for name in names:
            path = Path(parent) / name
            if path.name != SHARD_LIST:
                stat = path.stat()
                listing.append((path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns))
    return hashlib.sha1(repr(sorted(listing)).encode()).hexdigest()


def _write_index(html: Path, pages: list[Path], shard_pages: int) -> None:
    state = _read_state(html.parent / STATE)
    settings = [version("pagefind"), list(NOT_INDEXED), TERM_WEIGHT, shard_pages]
    same = state.get("settings") == settings
    reader = _Pages(html, state.get("pages", {}) if same else {})
    index = html / SEARCH_FOLDER
    installed = state.get("files", []) if same else []
    shards = [digest if n < len(installed) and installed[n] == shard_files(index, n) else ""
              for n, digest in enumerate(state.get("shards", []) if same else [])]
    plan = _plan(html, pages, reader, shards, shard_pages)
    scratch = Path(tempfile.mkdtemp(prefix="search-scratch-", dir=html.parent))   # this run's own
    try:
        if plan.dirty:
            asyncio.run(asyncio.wait_for(_write_shards(plan, scratch), SEARCH_TIMEOUT))
        for n in plan.dirty:
            _install(scratch / str(n), index, n)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for extra in index.glob(f"{SHARD_PREFIX}*"):
        if int(extra.name.removeprefix(SHARD_PREFIX)) >= plan.count:
            shutil.rmtree(extra)
    shards = [f"{shard_folder(index, n).name}/" for n in range(1, plan.count)]
    write_if_changed(index / SHARD_LIST, json.dumps(shards).encode())   # replaced, not rewritten
    kept = {page.as_posix(): reader.known[page.as_posix()] for page in pages}
    state = {"settings": settings, "pages": kept, "shards": plan.digests,
             "files": [shard_files(index, n) for n in range(plan.count)]}
    write_if_changed(html.parent / STATE, json.dumps(state).encode())


def index_site(html: Path, pages: list[Path], shard_pages: int = SHARD_PAGES) -> bool:
    """Index `pages` (the build's, relative to `html`) into html/pagefind, writing again only the
    shards whose pages changed; False (with Pagefind's message shown) on failure."""
    try:
        _write_index(html, pages, shard_pages)
    except TimeoutError:
        print(f"toolkit build: search indexing took longer than {SEARCH_TIMEOUT:g} s and was stopped "
              "(TOOLKIT_SEARCH_TIMEOUT sets the limit)", file=sys.stderr)
        return False
    except Exception as error:  # Pagefind runs as a service; any failure of it fails the build
        print(f"toolkit build: Pagefind failed: {error}", file=sys.stderr)
        return False
    print("toolkit build: search index written", file=sys.stderr)
    return True


if __name__ == "__main__":  # the live preview indexes after each rebuild
    from toolkit.build import site_files
    built = Path(sys.argv[1])
    sys.exit(0 if index_site(built, [f for f in site_files(built) if f.suffix == ".html"]) else 1)
