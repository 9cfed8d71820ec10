"""What the warm Sphinx must read again, from one listing of the staged source folder.

Sphinx finds what to read by listing the source folder with a `Path` for every file, then
comparing each page's and each dependency's modification time with the time it read it: 0.3 s
at 5,000 pages on every save, when most saves change one file. The preview's warm Sphinx
(builder/warm.py) instead lists the folder with `os.scandir` before each build (and the files
outside it that pages depend on), compares the listing with the one before its last build, and
hands Sphinx the pages whose file, or a file they depend on (a diagram's data, an image),
changed. When a page was added or removed, or the settings changed, Sphinx looks for itself,
as in any other build.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Listing = dict[str, tuple[int, int]]   # absolute path -> (modification time in ns, size)
PAGE_SUFFIX = ".md"


def list_source(env: Any) -> Listing:
    """Every file under Sphinx's source folder, and every file outside it that a page depends on
    (a diagram's data file is read from the author's folder), with its time and size."""
    found: Listing = {}
    todo = [str(env.srcdir)]
    while todo:
        with os.scandir(todo.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                else:
                    stat = entry.stat()
                    found[entry.path] = (stat.st_mtime_ns, stat.st_size)
    source = str(env.srcdir) + os.sep
    for dependency in {str(d) for dependencies in env.dependencies.values() for d in dependencies}:
        if not dependency.startswith(source):
            try:
                stat = os.stat(dependency)
                found[dependency] = (stat.st_mtime_ns, stat.st_size)
            except OSError:   # gone: the pages depending on it are read again, and warn
                found[dependency] = (-1, -1)
    return found


def outdated_pages(env: Any, before: Listing, now: Listing) -> set[str] | None:
    """Docnames to read again, or None when Sphinx must find them itself (a page was added or
    removed). A file a page came to depend on in the last build is not in `before`, so that page
    is read once more than it need be."""
    source = str(env.srcdir) + os.sep

    def page(path: str) -> bool:
        return path.startswith(source) and path.endswith(PAGE_SUFFIX)

    if {p for p in before if page(p)} != {p for p in now if page(p)}:
        return None
    changed = {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
    pages = set()
    for path in filter(page, changed):
        docname = path[len(source):-len(PAGE_SUFFIX)].replace(os.sep, "/")
        if docname not in env.found_docs:
            return None
        pages.add(docname)
    others = {path for path in changed if not page(path)}
    if others:
        pages |= {docname for docname, dependencies in env.dependencies.items()
                  if not others.isdisjoint(map(str, dependencies))}
    return pages | (set(env.reread_always) & env.found_docs)


@contextmanager
def told(env: Any, pages: set[str] | None) -> Iterator[None]:
    """Within the block, have a build's reading take `pages` as the changed ones instead of
    looking (None: Sphinx looks). Both of Sphinx's methods are replaced on this environment for
    one call each and put back as they are called, before any page is read (so before a parallel
    read forks and pickles the environment), or at the latest when the block ends."""
    def find_files(*args: Any) -> None:   # no page was added or removed: the same pages
        del env.find_files

    def get_outdated_files(config_changed: bool) -> tuple[set[str], set[str], set[str]]:
        del env.get_outdated_files
        if config_changed or pages is None:
            return env.get_outdated_files(config_changed)
        return set(), set(pages), set()

    if pages is not None:
        env.find_files, env.get_outdated_files = find_files, get_outdated_files
    try:
        yield
    finally:
        env.__dict__.pop("find_files", None)
        env.__dict__.pop("get_outdated_files", None)
