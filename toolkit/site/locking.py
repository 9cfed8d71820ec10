"""One build of a site at a time: a lock on the site's cache folder.

Two builds of one site (an author's double-click, two CI jobs) shared the cache's staging,
Sphinx output and search scratch folders: one hung in Pagefind, one crashed, and the site they
published found nothing. Now the second waits, saying which build is running, and gives up
with a clear message after TOOLKIT_LOCK_TIMEOUT seconds. filelock's lock is the operating
system's (flock, or Windows' own), so a build that dies releases it.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

LOCK = "build.lock"
WHO = "build.lock.who"     # who holds the lock, for the message a waiting build shows
LOCK_TIMEOUT = float(os.environ.get("TOOLKIT_LOCK_TIMEOUT", "1800"))


class SiteBusy(Exception):
    """Another build of the site held the lock for longer than the timeout."""


def _holder(cache: Path) -> str:
    try:
        return (cache / WHO).read_text(encoding="utf-8").strip() or "another build"
    except OSError:
        return "another build"


@contextmanager
def one_build_at_a_time(cache: Path, command: str) -> Iterator[None]:
    """Hold the site's lock while the block runs, waiting for another build to finish first."""
    cache.mkdir(parents=True, exist_ok=True)
    lock = FileLock(cache / LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"toolkit {command}: waiting for {_holder(cache)} of this site to finish "
              f"(at most {LOCK_TIMEOUT:.0f} s)", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=LOCK_TIMEOUT)
        except Timeout:
            raise SiteBusy(f"{_holder(cache)} of this site is still running after {LOCK_TIMEOUT:.0f} s; "
                           "nothing was built. Wait for it to finish, or stop it, then build again") from None
    try:
        started = dt.datetime.now().astimezone().strftime("%H:%M:%S")
        (cache / WHO).write_text(f"the {command} started at {started} by process {os.getpid()} on "
                                 f"{socket.gethostname()}", encoding="utf-8")
        yield
    finally:
        lock.release()
