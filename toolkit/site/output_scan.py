"""The last look before publishing: every file of the built site is scanned, and one finding
fails the build with nothing published.

Checks and the builder's clean-up (builder.safety) keep script out of pages one construct at
a time; this scan does not trust them. Pages, SVG images, XML and style sheets must carry no
script, frame, embedded object, event handler, `javascript:`/`data:` address, redirect to
another page than the toolkit's own moves, or request to another host. Scripts are allowed
only as the toolkit's own files: those copied unchanged from the toolkit's, the theme's,
Sphinx's and sphinx-design's static folders (known by digest), the two Sphinx writes from its
own templates, and Pagefind's, in the search index folder it writes. Files authors put on the
site (`_images/`, `_downloads/`) must be of a type in the allow-list (toolkit.content.publishable).

A rebuild rewrites a few files of thousands, so the files a clean scan passed are remembered by
path and digest (`CleanFiles`): the same bytes at the same path, read by the same scanner for
the same address, cannot give another verdict, and a script a page loads is scanned itself.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import posixpath
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from toolkit import __version__
from toolkit.content.publishable import DOWNLOAD_TYPES, MARKUP_TYPES, STYLE_TYPES, active_content, active_style
from toolkit.core.trust import read_signed, write_signed
from toolkit.site.search_index import SEARCH_FOLDER

PROJECT = Path(__file__).resolve().parents[2]
#: Packages whose static files the build copies into `_static/`.
_STATIC_PACKAGES = ("furo", "sphinx", "sphinx_design")
#: Scripts Sphinx renders from its own templates (configuration and language data, no author text).
_SPHINX_RENDERED = frozenset({"_static/documentation_options.js", "_static/language_data.js"})
_SCRIPT_TYPES = frozenset({".js", ".mjs", ".cjs"})
#: Folders where Sphinx puts the files authors name (images, downloads).
AUTHOR_FOLDERS = ("_images", "_downloads")
#: The toolkit's redirect pages (builder.overlay) move readers on with a local `meta refresh`.
_REDIRECT_MARK = '<meta name="robots" content="noindex">'


@lru_cache(maxsize=2)
def _static_digests(suffixes: frozenset[str]) -> frozenset[str]:
    """Digests of the files with these suffixes in every static folder the build copies from."""
    folders = [PROJECT / "builder" / "static"]
    for name in _STATIC_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent)
    return frozenset(hashlib.sha256(path.read_bytes()).hexdigest()
                     for folder in folders for path in folder.rglob("*")
                     if path.suffix in suffixes and path.is_file())


def _copied_unchanged(path: Path, suffixes: frozenset[str]) -> bool:
    return hashlib.sha256(path.read_bytes()).hexdigest() in _static_digests(suffixes)


def _own_file(html: Path, relative: PurePosixPath, suffixes: frozenset[str]) -> bool:
    """Whether a script or style sheet of the built site is the toolkit's own (see the module
    docstring): Pagefind's carry their icons as data: images, the theme's too."""
    if relative.as_posix() in _SPHINX_RENDERED:
        return True
    if relative.parts[0] == SEARCH_FOLDER and relative.name.startswith("pagefind"):
        return True
    return relative.parts[0] == "_static" and _copied_unchanged(html / relative, suffixes)


def scan_output(html: Path, files: Iterable[Path], base_url: str | None = None) -> list[str]:
    """`path:line: what` for each thing in the files about to be published that must not be.
    `base_url` is the site's public address: the 404 page names its files from its path."""
    base_path = urlsplit(base_url).path if base_url else None
    found: list[str] = []
    own: dict[str, bool] = {}

    def script_of(page: PurePosixPath) -> Callable[[str], bool]:
        def allowed(src: str) -> bool:
            parts = urlsplit(src)
            if parts.scheme or parts.netloc or not parts.path:
                return False
            if parts.path.startswith("/"):
                if not base_path or not parts.path.startswith(base_path):
                    return False
                target = posixpath.normpath(parts.path[len(base_path):])
            else:
                target = posixpath.normpath(posixpath.join(page.parent.as_posix(), parts.path))
            if target not in own:
                own[target] = (html / target).is_file() and _own_file(html, PurePosixPath(target), _SCRIPT_TYPES)
            return own[target]
        return allowed

    for relative in files:
        path = PurePosixPath(relative.as_posix())
        suffix = path.suffix.lower()
        if path.parts[0] in AUTHOR_FOLDERS and suffix not in DOWNLOAD_TYPES:
            found.append(f"{path}:1: a {suffix or 'extensionless'} file is not a type the site may publish")
            continue
        if suffix in _SCRIPT_TYPES:
            if not _own_file(html, path, _SCRIPT_TYPES):
                found.append(f"{path}:1: a script that is not one of the toolkit's own")
            continue
        if suffix not in MARKUP_TYPES and suffix not in STYLE_TYPES:
            continue
        text = (html / relative).read_bytes().decode("utf-8", errors="replace")
        if suffix in STYLE_TYPES:
            if not _own_file(html, path, STYLE_TYPES):
                found += [f"{path}:{line}: {what}" for line, what in active_style(text)]
            continue
        refresh = suffix == ".html" and _REDIRECT_MARK in text
        found += [f"{path}:{line}: {what}"
                  for line, what in active_content(text, script_of(path), refresh_allowed=refresh)]
    return found


# Below this many files a scan runs here: starting workers costs more than it saves.
PARALLEL_MIN_FILES = 200
_CHUNKS_PER_WORKER = 4


class BackgroundScan:
    """`scan_output` of many files in worker processes, started now and read by `findings()`.

    Scanning a 1,000-page site's files took longer than Sphinx's whole write phase (7 s of one
    core; a regular expression over every tag), after Sphinx had finished; a build starts this
    before indexing the search, so the scan shares the cores with Pagefind instead of following
    it. Findings come back in the order of `files`, as from `scan_output`.
    """

    def __init__(self, html: Path, files: list[Path], base_url: str | None = None) -> None:
        workers = os.cpu_count() or 1
        self._pool: Executor | None = None
        if len(files) < PARALLEL_MIN_FILES or workers < 2:
            self._parts: list[Future[list[str]] | list[str]] = [scan_output(html, files, base_url)]
            return
        self._pool = ProcessPoolExecutor(workers)
        size = -(-len(files) // (workers * _CHUNKS_PER_WORKER))
        self._parts = [self._pool.submit(scan_output, html, files[start:start + size], base_url)
                       for start in range(0, len(files), size)]

    def findings(self) -> list[str]:
        try:
            return [finding for part in self._parts
                    for finding in (part.result() if isinstance(part, Future) else part)]
        finally:
            if self._pool is not None:
                self._pool.shutdown()


_SCANNER_MODULES = ("toolkit/site/output_scan.py", "toolkit/content/publishable.py", "toolkit/content/urls.py")


class CleanFiles:
    """The files of the built site that passed the last clean scan, by path and digest, kept in
    the cache folder; forgotten whenever the scanner's code, the toolkit's version or the site's
    address changes. A scan with any finding records nothing (the build fails and is rerun)."""

    def __init__(self, cache: Path, base_url: str | None) -> None:
        self._file = cache / "scan-cache.json"
        sources = b"".join((PROJECT / name).read_bytes() for name in _SCANNER_MODULES)
        self._version = hashlib.sha256(sources + f"{__version__}|{base_url}".encode()).hexdigest()
        stored = read_signed(self._file)   # signed: a planted list of "clean" files is never read
        known = stored.get("files") if isinstance(stored, dict) and stored.get("version") == self._version else None
        self._known: dict[str, str] = known if isinstance(known, dict) else {}
        self._seen: dict[str, str] = {}

    def unscanned(self, html: Path, files: Iterable[Path]) -> list[Path]:
        """The files whose bytes at their path were not passed before."""
        todo = []
        for relative in files:
            key = relative.as_posix()
            digest = hashlib.blake2b((html / relative).read_bytes(), digest_size=16).hexdigest()
            self._seen[key] = digest
            if self._known.get(key) != digest:
                todo.append(relative)
        return todo

    def remember(self) -> None:
        """Record every file `unscanned` was shown as clean (call only when the scan found nothing)."""
        write_signed(self._file, {"version": self._version, "files": self._seen})
