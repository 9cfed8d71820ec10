"""No Python traceback ever reaches a user: an unexpected exception becomes a plain request for
a bug report naming the file being processed (exit status 3).

Loading marks each file as it starts on it, so the message can say where the toolkit was.
`TOOLKIT_DEBUG=1` shows the traceback, for whoever fixes the bug.
"""

from __future__ import annotations

import os
import sys
import traceback
from contextvars import ContextVar

EXIT_BUG = 3

_processing: ContextVar[str | None] = ContextVar("processing", default=None)


def now_processing(shown: str | None) -> None:
    """Say which file (as messages show it) the toolkit is working on; None between files."""
    _processing.set(shown)


class FailedOn(Exception):
    """An unexpected exception, with the file it happened on (from a worker process, where the
    main process cannot know it)."""

    def __init__(self, shown: str, detail: str) -> None:
        super().__init__(shown, detail)   # both in args, so it survives pickling back from a worker
        self.shown, self.detail = shown, detail


def report_bug(exc: BaseException) -> int:
    """Print the bug-report message for `exc`; return the exit status for it."""
    where = exc.shown if isinstance(exc, FailedOn) else _processing.get()
    detail = exc.detail if isinstance(exc, FailedOn) else f"{type(exc).__name__}: {exc}".strip()
    print_bug(f"while reading {where}" if where else "", detail, where)
    if os.environ.get("TOOLKIT_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    return EXIT_BUG


def print_bug(place: str, detail: str, file: str | None = None) -> None:
    """The message for a bug: what happened in a few words, and what to send."""
    if len(detail) > 300:
        detail = detail[:300] + "..."
    sys.stderr.write(f"toolkit: something went wrong inside the toolkit{' ' + place if place else ''} ({detail}).\n"
                     "This is a bug in the toolkit, not a mistake of yours: please report it to the toolkit's "
                     "maintainers with this message" + (f" and, if you can, a copy of {file}" if file else "")
                     + ".\nNothing was published; the site stays as it was.\n")
