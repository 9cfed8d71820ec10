"""The warm preview's environment written by a forked copy of the process, while the save goes on.

Sphinx pickles its whole environment after every build that read a page: at 5,000 pages 1.1 s of
a one-page save's 3.7 s in Sphinx (cProfile of the warm process), spent before it writes the page.
In the warm Sphinx (builder/warm.py) a fork writes it instead: the fork holds the environment as it
was, writes it beside its place and renames it over, so the file is always a whole environment
(one left from an earlier save at worst, from which a new process re-reads the pages changed
since). Each write waits for the one before, and the process waits for the last before it ends.
Sphinx calls `pickle.dump` from `sphinx.builders` (pinned to 9.0.x in pyproject.toml); doctrees
and everything else are pickled as before. STOCK_SPHINX_VARIABLE=1 leaves Sphinx's own in place.
"""

from __future__ import annotations

import os
import pickle
import signal
import types
from typing import IO, Any

import sphinx.builders
from sphinx.environment import BuildEnvironment

_writing: list[int] = []   # the fork writing the environment, if any


def _dump(obj: Any, file: IO[bytes], protocol: int | None = None) -> None:
    if not isinstance(obj, BuildEnvironment):
        pickle.dump(obj, file, protocol)
        return
    finish_writing()
    path = file.name
    pid = os.fork()
    if pid:
        _writing.append(pid)
        return
    status = 1
    try:   # the fork: Ctrl+C and a service manager's stop reach it too, and it finishes first
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as out:
            pickle.dump(obj, out, protocol)
        os.replace(temporary, path)
        status = 0
    finally:   # at once: nothing of the warm process's own (its buffered output) runs twice
        os._exit(status)


def finish_writing() -> None:
    """Wait for the environment being written, if it is."""
    while _writing:
        os.waitpid(_writing.pop(), 0)


def write_environment_in_fork() -> None:
    """From now on, Sphinx's builders hand the environment to a fork to write."""
    sphinx.builders.pickle = types.SimpleNamespace(  # type: ignore[attr-defined]
        dump=_dump, dumps=pickle.dumps, loads=pickle.loads, load=pickle.load,
        HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL)
