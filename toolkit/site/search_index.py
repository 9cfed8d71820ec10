"""Pagefind: the static search index built from the finished HTML (no server, no download).

Each page of the build is indexed from the part of it between the search markers (only
published content pages have them), in one index and, after a rebuild, a small delta of the
records changed since. Each glossary term becomes a record of its own, linking to its place on
the glossary page: a search for "LADO" or "Local Authority Designated Officer" finds that term,
and a question whose words are spread over unrelated terms does not match the whole glossary.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

from toolkit.core.protocol import (
    GLOSSARY_DOC,
    GLOSSARY_KIND,
    SEARCH_END,
    SEARCH_START,
    SKIP_END,
    SKIP_START,
    TERM_PREFIX,
)
from toolkit.site.publish import relative_files
from toolkit.site.staging import write_if_changed

SEARCH_FOLDER = "pagefind"
GLOSSARY_PAGE = f"{GLOSSARY_DOC}.html"
TERM_WEIGHT = "0.3"
# Heading permalinks ("#") would otherwise run into every excerpt: "Supervision# A guide...".
NOT_INDEXED = ("a.headerlink",)
# Around the indexed part of a page (builder/templates/page.html).
# Around each part Pagefind is told to skip (builder/translator.py): left out of the record, so
# a change there (another page's title among related pages) does not put the page in the delta.
_SKIPPED = re.compile(f"{re.escape(SKIP_START)}.*?{re.escape(SKIP_END)}", re.S)
# Pagefind has no update and takes about 2 ms a page, so a rebuild does not index the site again:
# a fresh build writes one index (the base), as cheap for a reader's first search as Pagefind
# allows; a rebuild writes the records changed since the base into a small delta index, merged
# in the browser (toolkit-search.js), and every base record carries a filter value of its own
# (RECORD_FILTER) by which the browser leaves out the base's copies of records in the delta and
# of removed ones. Pagefind ranks each index by its own word statistics, which in a delta of
# one page would rank that page far from where one index would; so a delta result takes the
# score of its twin in the base (its copy from before the edit; "twins" in the browser's list),
# and the delta is filled up to DELTA_MIN records with unchanged records moved from the base,
# so a new page's statistics are not those of a handful of pages. It holds at most a twentieth
# of the records (DELTA_SHARE, at least DELTA_MIN): when more changed, the build writes one base
# again (bench/NOTES.md). Filling it to the most it may hold cost a 5,000-page site's rebuild
# 250 records to index for one edit.
DELTA_SHARE = 20
DELTA_MIN = 25
DELTA_FOLDER = "delta"
RECORD_FILTER = "record"
SHARD_LIST = "toolkit-shards.json"   # the delta to merge and the base records to leave out, for the browser
STATE = "search-index.json"          # beside the html folder: digests of pages, base and delta
FRAGMENT_SIGNATURE = b"pagefind_dcd"
# Pagefind, finding none of a question's words in an index, searches it for shorter forms of them
# ("appreci", then "a"), so a delta without the words would answer with pages one index never
# lists. The delta therefore holds one more record, never shown (GHOST_CODE is always left out),
# with every word of the base (WORDS, written beside the state with the base).
GHOST_CODE = "ghost"
GHOST_URL = "toolkit-every-word.html"
WORDS = "search-words.txt"
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
# Pagefind's files are looked at every ENTRY_LOOK seconds, ENTRY_TRIES times (10 s), until whole.
# Two looks are the least a build waits (50 ms apart, they were a third of indexing one edit).
ENTRY_LOOK = 0.02
ENTRY_TRIES = 500
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
    glossary's 62 records alone took 6 s. The read that follows waits for data anyway. It also
    starts Pagefind in a session of its own."""

    def __getattr__(self, name: str) -> object:
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result: object = None) -> object:
        return await asyncio.sleep(0, result)

    @staticmethod
    async def create_subprocess_exec(*command: str, **options: object) -> asyncio.subprocess.Process:
        """Pagefind in its own session: a stop signal to the preview's process group then lets the
        index under way finish instead of killing Pagefind half-way."""
        return await asyncio.create_subprocess_exec(*command, start_new_session=True, **options)  # type: ignore[arg-type]


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


def coded(record: Record, code: str) -> Record:
    """A base record carrying its own RECORD_FILTER value, inside the part Pagefind indexes, so
    the browser can leave out this copy once the delta holds a newer one."""
    body = record.html.find("data-pagefind-body")
    at = record.html.find(">", body) + 1 if body >= 0 else record.html.find("<body>") + len("<body>")
    span = f'<span hidden data-pagefind-filter="{RECORD_FILTER}:{code}"></span>'
    return Record(record.url, record.html[:at] + span + record.html[at:])


def record_code(number: int) -> str:
    """A short filter value for the base's n-th record (base 36: three characters up to 46,655)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    code = ""
    while True:
        number, digit = divmod(number, 36)
        code = digits[digit] + code
        if not number:
            return code


def words_of(records: list[Record]) -> str:
    """Every distinct word of the records' text, once each."""
    return " ".join(sorted({word for record in records for word in _WORD.findall(_TAG.sub(" ", record.html))}))


def ghost_record(words: str) -> Record:
    """The delta's record holding every word of the base: found for them, always left out."""
    page = f'<html lang="en"><body><div data-pagefind-body><p>{escape(words)}</p></div></body></html>'
    return coded(Record(GHOST_URL, page), GHOST_CODE)


def delta_limit(records: int) -> int:
    """The most records a delta holds before the base is written again with them."""
    return max(DELTA_MIN, records // DELTA_SHARE)


class _Pages:
    """Each page's search record, read again only when Sphinx has rewritten the page; the digests
    are kept between builds (in STATE beside the html folder) with the index they made."""

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


def _page_files(records: list[Record], folder: Path) -> None:
    """Pages are handed to Pagefind as files (it reads a folder faster than it takes one message a
    page), in `folder`; glossary terms, whose URLs carry an anchor, go as messages."""
    for record in records:
        if "#" not in record.url:
            (folder / record.url).parent.mkdir(parents=True, exist_ok=True)
            (folder / record.url).write_text(record.html, encoding="utf-8")


def _pages_folder(folder: Path) -> Path:
    return folder.with_name(f"{folder.name}-pages")


async def _write_part(service: object, config: dict, records: list[Record], folder: Path) -> None:
    index = await service.create_index(config)  # type: ignore[attr-defined]
    pages = _pages_folder(folder)
    if pages.is_dir():
        await index.add_directory(str(pages))
    await asyncio.gather(*(index.add_html_file(content=r.html, url=f"/{r.url}") for r in records if "#" in r.url))
    await index.write_files(output_path=str(folder))
    await _written(folder / "pagefind-entry.json")


async def _written(entry: Path) -> None:
    """Wait until Pagefind's files are on disk whole: it answers before its writes have all
    landed, and a service stopped at once has left empty files (an empty entry file or
    pagefind.js: a site whose search could not start, seen under load). Whole: the entry file
    reads as JSON, no script, style or JSON file is empty, and two looks ENTRY_LOOK apart agree."""
    folder, before = entry.parent, None
    for _ in range(ENTRY_TRIES):
        sizes = {path: path.stat().st_size for path in folder.rglob("*") if path.is_file()}
        try:
            json.loads(entry.read_text(encoding="utf-8"))
            whole = not any(size == 0 and path.suffix in (".js", ".css", ".json") for path, size in sizes.items())
        except (OSError, ValueError):
            whole = False
        if whole and sizes == before:
            return
        before = sizes
        await asyncio.sleep(ENTRY_LOOK)
    raise RuntimeError(f"Pagefind did not finish writing its files in {folder}")


async def _write_parts(parts: dict[str, list[Record]], scratch: Path,
                       files_written: Callable[[], object] = lambda: None) -> None:
    """Each part's index in scratch/<part>; `files_written` is called once the pages' files are
    written, while Pagefind indexes them."""
    import pagefind.service
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    for name, records in parts.items():
        _page_files(records, _pages_folder(scratch / name))
    files_written()
    pagefind.service.asyncio = _NoPause()  # type: ignore[assignment]
    config = IndexConfig(force_language="en", exclude_selectors=list(NOT_INDEXED))
    service = await PagefindService().launch()
    writing = asyncio.gather(*(_write_part(service, config, records, scratch / name)
                               for name, records in parts.items()))
    # pagefind 1.5's client waits for ever for replies from a Pagefind that has ended (killed, or
    # crashed): its read loop (`_poll_task`) ends and the replies never come, or a request fails
    # to reach it. So whichever ends first, and on a failure, whether Pagefind is still there.
    reading = service._poll_task
    await asyncio.wait({writing, reading}, return_when=asyncio.FIRST_COMPLETED)
    if not writing.done():   # the read loop ended first: Pagefind has gone, or answered nonsense
        with contextlib.suppress(ProcessLookupError):
            service._backend.kill()
        writing.cancel()
    elif (failure := writing.exception()) is None:
        await service.close()
        return
    else:
        try:
            await asyncio.wait_for(service._backend.wait(), 1)
        except TimeoutError:   # still running: Pagefind refused a request, and its message says why
            await service.close()
            raise failure from None
    reading.cancel()
    await asyncio.gather(writing, reading, return_exceptions=True)   # retrieved: not logged
    raise RuntimeError(f"Pagefind ended before the index was written (exit status {await service._backend.wait()})")


def _install_base(written: Path, index: Path) -> None:
    """Put a freshly written base in place of the old index, delta included. Files are replaced,
    never rewritten, so a published site hard-linked to them keeps its own."""
    index.mkdir(parents=True, exist_ok=True)
    for old in index.iterdir():
        if old.name != SHARD_LIST:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    for new in written.iterdir():
        new.rename(index / new.name)


def _install_delta(written: Path | None, index: Path) -> None:
    """Put a freshly written delta (or none) in place of the old one. The merged delta uses the
    base's script and WebAssembly, so its own are dropped."""
    shutil.rmtree(index / DELTA_FOLDER, ignore_errors=True)
    if written is None:
        return
    for bundle in [*written.glob("*.js"), *written.glob("*.css"), *written.glob("wasm.*")]:
        bundle.unlink()
    written.rename(index / DELTA_FOLDER)


def _read_state(path: Path) -> dict:
    """The last build's digests; a missing or damaged file only means indexing everything again."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def index_files(folder: Path) -> str:
    """A fingerprint of an index's files as installed (names, sizes, times), the delta and the
    browser's list left out: files are replaced, never rewritten, so any other value means an
    index missing or damaged since, to write again."""
    listing = []
    for relative in relative_files(folder, leave_out=(DELTA_FOLDER,)):
        if relative.rpartition("/")[2] != SHARD_LIST:
            stat = os.stat(os.path.join(folder, relative))
            listing.append((relative, stat.st_size, stat.st_mtime_ns))
    return hashlib.sha1(repr(sorted(listing)).encode()).hexdigest()


def _kept(state: dict, key: str, files: str, valid: type) -> dict | None:
    """The base or delta the last build recorded, when its files are still as it left them."""
    value = state.get(key)
    recorded = state.get("files")
    if not isinstance(value, dict) or not isinstance(recorded, dict) or recorded.get(key) != files:
        return None
    return value if all(isinstance(v, valid) for v in value.values()) else None


def fragment_ids(folder: Path) -> dict[str, str]:
    """Each record's URL (as the toolkit writes it) -> the id Pagefind gives its results, read from
    the index's fragment files (gzipped JSON after a signature)."""
    ids = {}
    for fragment in (folder / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(FRAGMENT_SIGNATURE))
        url = data["url"].removeprefix("/")
        ids[f"{url}index.html" if url.endswith("/") or not url else url] = fragment.name.removesuffix(".pf_fragment")
    return ids


@dataclass
class _Plan:
    """What this build's index holds: the base's records (url -> [digest, code, result id]), the
    delta's (url -> digest), which of the two must be written, and each delta record's twin in
    the base (delta result id -> base result id), found once the delta is written."""
    base: dict[str, list[str]]
    delta: dict[str, str]
    write_base: bool
    write_delta: bool
    twins: dict[str, str]


def _spread(url: str) -> str:
    """An order of the records that is the same every build and unrelated to their URLs."""
    return hashlib.sha1(url.encode()).hexdigest()


def _plan(current: dict[str, str], state: dict, index: Path, base_files: str, limit: int | None) -> _Plan:
    base = _kept(state, "base", base_files, list)
    if base is not None and any(len(entry) != 3 for entry in base.values()):
        base = None
    if base is not None:
        changed = [url for url, digest in current.items() if base.get(url, [None])[0] != digest]
        size = delta_limit(len(current)) if limit is None else limit
        if len(changed) <= size:
            unchanged = [url for url in sorted(current, key=_spread) if url not in changed]
            moved = unchanged[:max(0, min(size, DELTA_MIN) - len(changed))] if changed else []
            delta = {url: current[url] for url in [*changed, *moved]}
            files = index_files(index / DELTA_FOLDER)
            before, twins = _kept(state, "delta", files, str), _kept(state, "twins", files, str)
            if delta == before and twins is not None:
                return _Plan(base, delta, False, False, twins)
            return _Plan(base, delta, False, True, {})
    base = {url: [current[url], record_code(n), ""] for n, url in enumerate(sorted(current))}
    return _Plan(base, {}, True, True, {})


def _write_index(html: Path, pages: list[Path], limit: int | None) -> None:
    state = _read_state(html.parent / STATE)
    settings = [version("pagefind"), list(NOT_INDEXED), TERM_WEIGHT, RECORD_FILTER, "twins"]
    same = state.get("settings") == settings
    reader = _Pages(html, state.get("pages", {}) if same and isinstance(state.get("pages"), dict) else {})
    terms = {f"{GLOSSARY_PAGE}#{t.anchor}": Record(f"{GLOSSARY_PAGE}#{t.anchor}", term_record(t))
             for t in glossary_terms(html)}
    digests = {page.as_posix(): reader.digest(page) for page in pages}
    current = {url: digest for url, digest in digests.items() if digest}
    current.update({url: term.digest for url, term in terms.items()})
    index = html / SEARCH_FOLDER
    base_files = index_files(index)
    plan = _plan(current, state if same else {}, index, base_files, limit)

    def record(url: str) -> Record:
        return terms.get(url) or reader.record(Path(url))  # type: ignore[return-value]

    parts: dict[str, list[Record]] = {}
    words = html.parent / WORDS
    if plan.write_base:
        parts["base"] = [coded(record(url), code) for url, (_, code, _) in plan.base.items()]
    if plan.write_delta and plan.delta:
        if not words.is_file():   # removed since the base was written: read again from the pages
            write_if_changed(words, words_of([record(url) for url in plan.base if url in current]).encode())
        every = ghost_record(words.read_text(encoding="utf-8"))
        parts[DELTA_FOLDER] = [record(url) for url in sorted(plan.delta)] + [every]
    scratch = Path(tempfile.mkdtemp(prefix="search-scratch-", dir=html.parent))   # this run's own
    try:
        # The base's words are counted while Pagefind indexes it, once its files are written (a
        # thread counting beside the writing would hold it up): 0.15 s at 1,000 pages.
        counted: list[Future[str]] = []
        with ThreadPoolExecutor(1) as beside:

            def count_words() -> None:
                if plan.write_base:
                    counted.append(beside.submit(words_of, parts["base"]))

            if parts:
                asyncio.run(asyncio.wait_for(_write_parts(parts, scratch, count_words), SEARCH_TIMEOUT))
        if counted:
            write_if_changed(words, counted[0].result().encode())
        if plan.write_base:
            _install_base(scratch / "base", index)
            base_files = index_files(index)
            for url, result in fragment_ids(index).items():
                plan.base[url][2] = result
        if plan.write_delta:
            _install_delta(scratch / DELTA_FOLDER if plan.delta else None, index)
            plan.twins = {result: plan.base[url][2] for url, result in fragment_ids(index / DELTA_FOLDER).items()
                          if url in plan.base}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    stale = sorted(code for url, (digest, code, _) in plan.base.items()
                   if url in plan.delta or current.get(url) != digest)
    if plan.delta:
        stale.append(GHOST_CODE)
    listing = {"merge": [f"{DELTA_FOLDER}/"] if plan.delta else [], "exclude": stale, "twins": plan.twins}
    write_if_changed(index / SHARD_LIST, json.dumps(listing).encode())   # replaced, not rewritten
    kept = {page.as_posix(): reader.known[page.as_posix()] for page in pages}
    delta_files = index_files(index / DELTA_FOLDER)
    state = {"settings": settings, "pages": kept, "base": plan.base, "delta": plan.delta, "twins": plan.twins,
             "files": {"base": base_files, "delta": delta_files, "twins": delta_files}}
    write_if_changed(html.parent / STATE, json.dumps(state).encode())


def index_site(html: Path, pages: list[Path], limit: int | None = None) -> bool:
    """Index `pages` (the build's, relative to `html`) into html/pagefind: one index, or the records
    changed since it in a delta of at most `limit` records (default `delta_limit`); False (with
    Pagefind's message shown) on failure."""
    try:
        _write_index(html, pages, limit)
    except TimeoutError:
        print(f"toolkit build: search indexing took longer than {SEARCH_TIMEOUT:g} s and was stopped "
              "(TOOLKIT_SEARCH_TIMEOUT sets the limit)", file=sys.stderr)
        return False
    except Exception as error:  # Pagefind runs as a service; any failure of it fails the build
        print(f"toolkit build: Pagefind failed: {error or type(error).__name__}", file=sys.stderr)
        return False
    print("toolkit build: search index written", file=sys.stderr)
    return True
