"""Every path an author or a settings file names stays inside its root: one check for all.

Pages and data files found in a root, images, downloads, templates and diagram data a page
names, and the settings' logo all go through `confine`: the path is resolved (symbolic links
followed), must lie inside its root, and may not hold a NUL byte. Output names are built only
from validated ids, never from a path.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class PathOutsideRoot(ValueError):
    """The path would leave its root (`..`, absolute, a NUL byte, or a symlink out)."""


def confine(path: Path, root: Path, written: str | None = None) -> Path:
    """`path` resolved, when it is inside `root` (both resolved, so a symlink anywhere on the
    way counts where it leads); else PathOutsideRoot, naming `written` (the path as the author
    wrote it) or the path itself."""
    shown = written if written is not None else str(path)
    if "\0" in str(path):
        raise PathOutsideRoot(f"'{shown.replace(chr(0), '')}' contains a NUL byte, which no file name may hold")
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:   # a symlink loop, or a name the system refuses
        raise PathOutsideRoot(f"'{shown}' cannot be read as a path ({exc.strerror or exc})") from None
    if not resolved.is_relative_to(root.resolve()):
        raise PathOutsideRoot(f"'{shown}' points outside the content root")
    return resolved


def resolve_author_path(written: str, page_file: Path, root: Path) -> Path:
    """Resolve a path as the contract says: relative to the page's folder, `/` means the root.

    Raises PathOutsideRoot when the result, symlinks followed, is not inside `root`.
    Whether the file exists is the caller's question.
    """
    posix = PurePosixPath(written.replace("\\", "/"))
    if "\\" in written or (len(written) > 1 and written[1] == ":"):
        raise PathOutsideRoot(f"'{written}' is not a relative path inside the content root")
    base = root if posix.is_absolute() else page_file.parent
    candidate = base.joinpath(*[part for part in posix.parts if part != "/"])
    confine(candidate, root, written)
    return candidate
