"""Parallel reading and writing that use every core, and no parallel work for a handful of pages.

Sphinx's parallel write resolves every page in the main process (loading its tree, running the
post-transforms, working out its images), one after another, and hands only the HTML writing to
worker processes. For the toolkit's pages resolving costs as much as writing, so the main
process was the bottleneck: at 1,000 pages a `-j 3` write took longer than a serial one. Here
each worker resolves and writes its own pages, and sends back the images they use, the one
thing the main process needs from writing (to copy them). Sphinx is pinned to 9.0.x in
pyproject.toml because this overrides its private `_read_parallel` and `_write_parallel`;
STOCK_SPHINX_VARIABLE=1 (toolkit/core/protocol.py) builds with Sphinx's own builder instead.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks

from toolkit.core.protocol import stock_sphinx

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)
# Below this many pages a rebuild reads and writes in the main process: each worker costs a
# fork and, when reading, a pickle of the whole environment back (0.1-0.3 s), more than a few
# pages take to read.
PARALLEL_MIN_DOCS = 20
# Each batch a worker takes holds a third (1/BATCH_SHARE) of the pages left per worker, and at
# least MIN_BATCH pages: a batch costs a fork and a pickle back.
BATCH_SHARE = 3
MIN_BATCH = 10
WORKER_GC_YOUNG = 100_000   # new objects within a page before a worker collects its young generation


class ToolkitHTMLBuilder(StandaloneHTMLBuilder):
    def _read_parallel(self, docnames: list[str], nproc: int) -> None:
        """Sphinx's parallel read, except that a worker sends back only what it read: Sphinx's
        sends the whole environment, so the main process unpickled every page read so far once
        per batch (2.8 s of its time at 1,000 pages, competing with the workers for the cores)."""
        if len(docnames) < PARALLEL_MIN_DOCS:
            self._read_serial(docnames)
            return
        for docname in docnames:
            self.events.emit("env-purge-doc", self.env, docname)
            self.env.clear_doc(docname)

        def read_process(docs: list[str]) -> bytes:
            self.env._app = self._app
            for docname in docs:
                self.read_doc(docname, _cache=False)
                gc.collect(0)   # the page's garbage, once (see _collect_less_often)
            _keep_only(self.env, set(docs))
            return pickle.dumps(self.env, pickle.HIGHEST_PROTOCOL)

        def merge(docs: list[str], otherenv: bytes) -> None:
            self.env.merge_info_from(docs, pickle.loads(otherenv), self._app)

        self._in_workers(__("reading sources... "), "purple", docnames, nproc, read_process, merge)

    def _write_parallel(self, docnames: Sequence[str], nproc: int) -> None:
        if len(docnames) < PARALLEL_MIN_DOCS:
            self._write_serial(docnames)
            return
        # Sphinx passes one process fewer than -j, keeping one back for the main process, which
        # here only waits; more workers than cores only contend (-j 3 on 2 cores: 8.3 s, not 6.4).
        from sphinx.builders import _write_docname  # private: imported only when used

        workers = min(nproc + 1, os.cpu_count() or 1)

        def write_process(docs: list[str]) -> dict[str, str]:
            known = set(self.images)
            for docname in docs:
                _write_docname(docname, env=self.env, builder=self, tags=self.tags)
                gc.collect(0)
            return {path: name for path, name in self.images.items() if path not in known}

        # The first page compiles the templates and warms caches once, before the workers fork.
        first, rest = docnames[0], list(docnames[1:])
        _write_docname(first, env=self.env, builder=self, tags=self.tags)

        def chunk_done(docs: list[str], images: dict[str, str]) -> None:
            self.images.update(images)

        self._in_workers(__("writing output... "), "darkgreen", rest, workers, write_process, chunk_done)

    def _in_workers(self, label: str, colour: str, docnames: list[str], workers: int,
                    task: Callable[[list[str]], Any], done: Callable[[list[str], Any], None]) -> None:
        """Run `task` on batches of `docnames` in `workers` processes; `done(batch, result)` runs
        here as each finishes, with Sphinx's progress bar."""
        chunks = _batches(docnames, workers)
        progress = status_iterator(chunks, label, colour, len(chunks), self.config.verbosity)

        def finished(chunk: list[str], result: Any) -> None:
            done(chunk, result)
            next(progress)

        tasks = ParallelTasks(workers)
        with _frozen_at_each_fork():
            # ParallelTasks starts the first `workers` tasks added at once, then the last added
            # first: so the rest go in smallest first, to run largest first.
            for chunk in chunks[:workers] + chunks[workers:][::-1]:
                tasks.add_task(task, chunk, finished)
            tasks.join()
        logger.info("")


def _batches(docnames: list[str], workers: int) -> list[list[str]]:
    """Batches that shrink as the pages run out (each a share of what is left), so the workers end
    together: with Sphinx's batches of equal size one worker read or wrote the last batch alone
    while the other core idled (0.3-0.6 s at each end at 1,000 pages)."""
    batches, rest = [], list(docnames)
    while rest:
        size = max(MIN_BATCH, len(rest) // (BATCH_SHARE * workers))
        batches.append(rest[:size])
        rest = rest[size:]
    return batches


_freezing: list[bool] = []


def _freeze_if_asked() -> None:
    if _freezing:
        gc.freeze()


def _collect_less_often() -> None:
    """In a worker: the young generation is collected once after each page (the page's tree, made
    of cycles, is garbage only then), and otherwise only every WORKER_GC_YOUNG new objects, not
    Python's 700, for a page that makes far more. Collecting while a page was read or written went
    through its tree, all alive, again and again: with collections every 5,000 objects, they took
    1.1 s of the workers' CPU at 1,000 pages, with one a page 0.7 s (gc callbacks timing every
    collection, a one-off); Python's 700 took 3.2 s."""
    if _freezing:
        gc.set_threshold(WORKER_GC_YOUNG, *gc.get_threshold()[1:])


os.register_at_fork(before=_freeze_if_asked, after_in_child=_collect_less_often)


@contextmanager
def _frozen_at_each_fork() -> Iterator[None]:
    """The workers are forks of this process: their collections went through everything they
    inherited (a sixth of the build's CPU at 1,000 pages, and a copy of each page of memory they
    touched), so what is here when each forks (the merged pages so far, too) is left out of
    collections until they are done. A process that had frozen objects of its own (the preview's
    warm Sphinx, builder/warm.py) keeps them all frozen until it next collects."""
    frozen_before = gc.get_freeze_count() > 0
    _freezing.append(True)
    try:
        yield
    finally:
        _freezing.clear()
        if not frozen_before:
            gc.unfreeze()


# Environment records keyed by page that merging reads only for the pages a worker read
# (sphinx.environment.collectors: title, metadata, toctree), and the toolkit's related-pages
# record, which the main process keeps and merging never reads.
_PER_PAGE = ("tocs", "toc_num_entries", "titles", "longtitles", "metadata")
_MAIN_ONLY = ("toolkit_related_pages",)


def _keep_only(env: BuildEnvironment, docs: set[str]) -> None:
    """In a worker about to exit: drop other pages' records before the environment is sent back."""
    for name in _PER_PAGE:
        setattr(env, name, {d: v for d, v in getattr(env, name).items() if d in docs})
    for name in _MAIN_ONLY:
        if hasattr(env, name):
            setattr(env, name, {})


def setup_parallel(app: Sphinx) -> None:
    """The faster builder, unless STOCK_SPHINX_VARIABLE=1 asks for Sphinx's own (if an upgrade of
    Sphinx ever breaks the private methods overridden here, that is the way back)."""
    if not stock_sphinx(os.environ):
        app.add_builder(ToolkitHTMLBuilder, override=True)
