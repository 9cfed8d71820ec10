"""Publishing a finished build: a fresh folder swapped in by rename, so readers never see half a
site, a failed build changes nothing, and files of removed pages do not linger."""

from __future__ import annotations

import os
import shutil
import threading
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class Publication:
    """A new folder beside `out`, filled in a thread from the files of `built` while the build goes
    on (indexing the search and scanning the output took as long as copying 2,500 files of a
    1,000-page site, 0.45 s, and left a core idle), swapped in by `install` once the build has
    passed its checks. Leaving the `with` block without `install` removes it: `out` stays as it was.
    Until then only its owner can open it (a web server serving the folder `out` is in would
    otherwise serve files that have not yet passed the output scan).

    Files under the `linkable` folders are hard-linked from `built`: they are replaced whole on
    each build. Sphinx rewrites its own output in place, which would change a linked published
    copy; so other files are copied, or linked from the site being replaced when they have not
    changed since (published files are never written to, only replaced with the whole folder).
    """

    def __init__(self, built: Path, files: Iterable[Path], out: Path, linkable: tuple[str, ...] = ()) -> None:
        self.built, self.out, self.linkable = built, out.resolve(), linkable
        self.fresh = self.out.with_name(f".{self.out.name}.new-{os.getpid()}")
        self.folders: set[Path] = set()
        self.failure: BaseException | None = None
        shutil.rmtree(self.fresh, ignore_errors=True)
        self.fresh.mkdir(parents=True, mode=0o700)   # no one else's until it has passed the checks
        self.filling = threading.Thread(target=self._fill, args=(list(files),), daemon=True)
        self.filling.start()

    def __enter__(self) -> Publication:
        return self

    def __exit__(self, *_: object) -> None:
        self.filling.join()
        shutil.rmtree(self.fresh, ignore_errors=True)   # gone by now once installed

    def _fill(self, files: list[Path]) -> None:
        try:
            self._add(files)
        except BaseException as failure:   # raised in the build's own thread, by `install`
            self.failure = failure

    def _add(self, files: Iterable[Path]) -> None:
        for relative in files:
            target = self.fresh / relative
            if target.parent not in self.folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                self.folders.add(target.parent)
            if relative.parts[0] in self.linkable:
                _link_or_copy(self.built / relative, target)
            elif _same_file(self.built / relative, self.out / relative):
                _link_or_copy(self.out / relative, target)
            else:
                shutil.copy2(self.built / relative, target)

    def install(self, files: Iterable[Path] = ()) -> None:
        """Add `files` (written since the publication started) and swap the folder in for `out`."""
        self.filling.join()
        if self.failure is not None:
            raise self.failure
        self._add(files)
        os.chmod(self.fresh, 0o777 & ~_umask())   # as a folder made now would be
        old = self.out.with_name(f".{self.out.name}.old-{os.getpid()}")
        if self.out.exists():
            self.out.rename(old)
        try:
            self.fresh.rename(self.out)
        except BaseException:
            if old.exists() and not self.out.exists():
                old.rename(self.out)
            raise
        shutil.rmtree(old, ignore_errors=True)
