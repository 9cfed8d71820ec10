"""Publishing a finished build: a fresh folder swapped in by rename, so readers never see half a
site, a failed build changes nothing, and files of removed pages do not linger."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path


def relative_files(folder: Path, leave_out: tuple[str, ...] = ()) -> list[str]:
    """Every file under `folder` as a relative POSIX path, in the order of `files_under`, but those
    in the top-level folders named in `leave_out`. Strings, not paths: the preview lists its 6,000
    files at 5,000 pages on every save, and a Path per file was most of that."""
    found: list[str] = []
    top = str(folder)
    for parent, folders, names in os.walk(folder):
        if parent == top:
            folders[:] = [name for name in folders if name not in leave_out]
            found += names
        else:
            prefix = os.path.relpath(parent, top).replace(os.sep, "/") + "/"
            found += [prefix + name for name in names]
    return sorted(found, key=lambda relative: relative.split("/"))


def files_under(folder: Path, leave_out: tuple[str, ...] = ()) -> list[Path]:
    """Every file under `folder`, relative to it and sorted, but those in the top-level folders
    named in `leave_out`."""
    return [Path(relative) for relative in relative_files(folder, leave_out)]


def _same_file(a: Path, b: Path) -> bool:
    """Same size and modification time: copies keep the time, and Sphinx rewriting a page changes it."""
    try:
        first, second = a.stat(), b.stat()
    except OSError:
        return False
    return (first.st_size, first.st_mtime_ns) == (second.st_size, second.st_mtime_ns)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(built: Path, files: Iterable[Path], out: Path, linkable: tuple[str, ...] = ()) -> None:
    """Copy `files` (relative to `built`) into a new folder beside `out`, then swap it in.

    Only files under the `linkable` folders are hard-linked from `built`: they are replaced whole
    on each build. Sphinx rewrites its own output in place, which would change a linked published
    copy; so other files are copied, or linked from the site being replaced when they have not
    changed since (published files are never written to, only replaced with the whole folder).
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = out.with_name(f".{out.name}.new-{os.getpid()}")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        folders: set[Path] = set()
        for relative in files:
            target = fresh / relative
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            if relative.parts[0] in linkable:
                _link_or_copy(built / relative, target)
            elif _same_file(built / relative, out / relative):
                _link_or_copy(out / relative, target)
            else:
                shutil.copy2(built / relative, target)
        if out.exists():
            out.rename(old)
        fresh.rename(out)
    except BaseException:
        if old.exists() and not out.exists():
            old.rename(out)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
