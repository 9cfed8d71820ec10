"""Results kept while a file is unchanged: the preview checks the whole site on every save, and
reading, parsing and checking every file again was most of a one-page save's check."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

Version = tuple[int, int]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def file_version(path: Path) -> Version:
    """The file's size and modification time, which any save changes (OSError when it is gone)."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


class PerFileVersion(Generic[K, V]):
    """One result per key, worked out again only when the file it was worked out from changes;
    a file that cannot be looked at is worked out every time (and not kept)."""

    def __init__(self) -> None:
        self._known: dict[K, tuple[Version, V]] = {}

    def get(self, path: Path, key: K, compute: Callable[[], V]) -> V:
        try:
            version = file_version(path)
        except OSError:
            return compute()
        known = self._known.get(key)
        if known is None or known[0] != version:
            known = self._known[key] = (version, compute())
        return known[1]
