"""Publishing a finished build: a fresh folder swapped in by rename, so readers never see half a
site, a failed build changes nothing, and files of removed pages do not linger."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path


def _link_or_copy(source: Path, target: Path, link: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copy2(source, target)


def publish(built: Path, files: Iterable[Path], out: Path, linkable: tuple[str, ...] = ()) -> None:
    """Copy `files` (relative to `built`) into a new folder beside `out`, then swap it in.

    Only files under the `linkable` folders are hard-linked: they are replaced whole on each
    build. Sphinx rewrites its own output in place, which would change a linked published copy.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = out.with_name(f".{out.name}.new-{os.getpid()}")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        for relative in files:
            _link_or_copy(built / relative, fresh / relative, relative.parts[0] in linkable)
        if out.exists():
            out.rename(old)
        fresh.rename(out)
    except BaseException:
        if old.exists() and not out.exists():
            old.rename(out)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
