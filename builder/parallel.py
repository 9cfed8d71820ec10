"""Parallel writing that uses every core, and no parallel work for a handful of pages.

Sphinx's parallel write resolves every page in the main process (loading its tree, running the
post-transforms, working out its images), one after another, and hands only the HTML writing to
worker processes. For the toolkit's pages resolving costs as much as writing, so the main
process was the bottleneck: at 1,000 pages a `-j 3` write took longer than a serial one. Here
each worker resolves and writes its own pages, and sends back the images they use, the one
thing the main process needs from writing (to copy them). Sphinx is pinned to 9.0.x in
pyproject.toml because this overrides its private `_write_parallel`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sphinx.builders import _write_docname
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks, make_chunks

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)
# Below this many pages a rebuild reads and writes in the main process: each worker costs a
# fork and, when reading, a pickle of the whole environment back (0.1-0.3 s), more than a few
# pages take to read.
PARALLEL_MIN_DOCS = 20


class ToolkitHTMLBuilder(StandaloneHTMLBuilder):
    def _read_parallel(self, docnames: list[str], nproc: int) -> None:
        if len(docnames) < PARALLEL_MIN_DOCS:
            self._read_serial(docnames)
        else:
            super()._read_parallel(docnames, nproc)

    def _write_parallel(self, docnames: Sequence[str], nproc: int) -> None:
        if len(docnames) < PARALLEL_MIN_DOCS:
            self._write_serial(docnames)
            return
        # Sphinx passes one process fewer than -j, keeping one back for the main process, which
        # here only waits; more workers than cores only contend (-j 3 on 2 cores: 8.3 s, not 6.4).
        workers = min(nproc + 1, os.cpu_count() or 1)

        def write_process(docs: list[str]) -> dict[str, str]:
            known = set(self.images)
            for docname in docs:
                _write_docname(docname, env=self.env, builder=self, tags=self.tags)
            return {path: name for path, name in self.images.items() if path not in known}

        # The first page compiles the templates and warms caches once, before the workers fork.
        first, rest = docnames[0], list(docnames[1:])
        _write_docname(first, env=self.env, builder=self, tags=self.tags)
        chunks = make_chunks(rest, workers)
        progress = status_iterator(chunks, __("writing output... "), "darkgreen", len(chunks),
                                   self.config.verbosity)

        def chunk_done(docs: list[str], images: dict[str, str]) -> None:
            self.images.update(images)
            next(progress)

        tasks = ParallelTasks(workers)
        for chunk in chunks:
            tasks.add_task(write_process, chunk, chunk_done)
        tasks.join()
        logger.info("")


def setup_parallel(app: Sphinx) -> None:
    app.add_builder(ToolkitHTMLBuilder, override=True)
