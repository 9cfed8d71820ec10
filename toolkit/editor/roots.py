"""Which content roots the editor may write: the site's own roots inside the settings folder,
never the shipped toolkit content, so every path the editor names is relative to one folder."""

from __future__ import annotations

from pathlib import Path

from toolkit.content.model import Settings


def editable_roots(settings: Settings) -> list[Path]:
    """Local roots inside the settings folder, in the settings' order (the shipped root and
    roots elsewhere on disk are left out: the editor names every file relative to one folder)."""
    folder = settings.folder.resolve()
    shipped = settings.toolkit_root.resolve()
    return [root.resolve() for root in settings.roots
            if root.resolve() != shipped and root.resolve().is_relative_to(folder)
            and not root.resolve().is_relative_to(shipped)]


def relative(path: Path, settings: Settings) -> str:
    """A path as the editor names it: posix, relative to the settings folder."""
    return path.resolve().relative_to(settings.folder.resolve()).as_posix()
