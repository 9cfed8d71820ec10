"""The Sphinx `toolkit serve` keeps warm: one process that checks, stages and builds on request.

A new `sphinx-build` for every save paid, each time, for starting Python, importing Sphinx,
MyST and the theme, and unpickling the environment (at 1,000 pages most of the wait). This
process does that once, then for each WARM_BUILD line on stdin runs the toolkit's check and
staging (its caches stay warm too) and an incremental Sphinx build of what changed, and answers
with one WARM_REPLY line (with the seconds the check and Sphinx took). The configuration is read
once: toolkit/site/warm.py starts a new process when the settings or the toolkit's code change.

Python's garbage collector scans every object it tracks, and this process holds the whole
environment: at 5,000 pages one full collection that fell inside a save added 0.8 s to its check.
So what a build leaves is collected once the preview has gone a moment without a request, and then
frozen (`gc.freeze`), so the collections during the next save scan only what that save made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import select
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from builder.env_writer import finish_writing, write_environment_in_fork
from builder.generated import write_generated
from builder.search_words import search_vocabulary
from builder.sitedata import site_data
from builder.source_changes import Listing, list_source, outdated_pages, told
from builder.start import preload
from toolkit.commands.serve import restage, serve_cache
from toolkit.content.shipped import PROJECT
from toolkit.core.protocol import (
    WARM_BUILD,
    WARM_BUILT,
    WARM_CHECK_FAILED,
    WARM_CRASHED,
    WARM_REPLY,
    WARM_STOPPED,
    stock_sphinx,
)
from toolkit.site.staging import SOURCE

IDLE_SECONDS = 1.0   # no request for this long: collect the garbage now, not inside the next save


def _skip_after_the_first_build(app: Sphinx) -> None:
    """What a rebuild in this process need not do (Sphinx 9.0, pinned in pyproject.toml), 0.3 s
    of a save at 5,000 pages: compare every page's output with its source and the templates
    (here every page read is written in the same build, and a template or settings change starts
    a new process, whose first build compares them), and write `objects.inv`, an index for other
    Sphinx projects to link to that nobody reads from a preview."""
    app.builder.get_outdated_docs = lambda: ()  # type: ignore[method-assign]
    app.builder.dump_inventory = lambda: None  # type: ignore[attr-defined]


def _requests() -> Iterator[str]:
    """The lines on stdin; between two, a full garbage collection once the wait is long enough
    (the preview sends one line and waits for the reply, so no line is left in stdin's buffer)."""
    while True:
        if not select.select([sys.stdin], [], [], IDLE_SECONDS)[0]:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        line = sys.stdin.readline()
        if not line:
            return
        yield line


def _reply(outcome: str, detail: str = "") -> None:
    print(f"{WARM_REPLY} {outcome} {detail}".rstrip(), flush=True)


def _serve(args: argparse.Namespace) -> None:
    cache = serve_cache(Path(args.site).resolve().parent / "_build" / "cache")
    app: Sphinx | None = None
    read: list[float] = []   # when Sphinx had read the changed pages (its env-updated event)
    listed: Listing = {}   # the staged source folder as the last build found it
    with patch_docutils(PROJECT), docutils_namespace():
        for line in _requests():
            if line.strip() != WARM_BUILD:
                return
            steps: dict[str, float] = {"check": 0.0, "staging": 0.0}
            passed = restage(args, steps)
            checked = time.perf_counter()
            if not passed and app is not None:   # the last good preview stays; the banner says why
                _reply(WARM_CHECK_FAILED)
                continue
            first = app is None
            if app is None:   # the first build: with a failed check, of the last good staging
                # On every core, as `toolkit build -j auto`: serially, the first preview of 5,000
                # pages had not finished after 25 minutes. A save's few pages are built in this
                # process (builder/parallel.py), so the warm caches still serve them.
                app = Sphinx(cache / SOURCE, PROJECT, cache / "html", cache / "doctrees", "html",
                             status=None, warning=sys.stdout, keep_going=True, parallel=os.cpu_count() or 1)
                app.connect("env-updated", lambda *_: read.append(time.perf_counter()))
            else:   # what a new process does when its builder starts: listings from the new manifest
                write_generated(app)
            app.statuscode = 0
            read.clear()
            before, listed = listed, list_source(app.env)
            with told(app.env, None if first else outdated_pages(app.env, before, listed)):
                app.build()
            if first:
                _skip_after_the_first_build(app)
            done = time.perf_counter()
            reading = (read[-1] if read else done) - checked   # env-updated: the pages are read
            timing = " ".join(f"{s:.2f}" for s in (steps["check"], steps["staging"], reading, done - checked - reading))
            _reply(WARM_BUILT if passed else WARM_CHECK_FAILED, f"{app.statuscode} {timing}")
            if first:   # the first build read the search page in a worker: count the words here, now,
                search_vocabulary(site_data())   # not in the first save (8 s of it at 5,000 pages)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder.warm")
    parser.add_argument("--site", required=True)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    try:
        preload()
        if not stock_sphinx(os.environ):
            write_environment_in_fork()
        _serve(args)
    except KeyboardInterrupt:   # Ctrl+C reaches this process too: toolkit serve says it stopped
        _reply(WARM_STOPPED)
        return 1
    except Exception as exc:  # noqa: BLE001 - reported in plain words by toolkit/site/warm.py
        if os.environ.get("TOOLKIT_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        _reply(WARM_CRASHED, f"{type(exc).__name__}: {exc}".replace("\n", " "))
        return 1
    finally:
        finish_writing()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
