"""Paths an author writes (diagram data, images, downloads, templates) stay inside their root."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class PathOutsideRoot(ValueError):
    """The written path would leave the content root (`..`, absolute, or a symlink out)."""


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
    real_root = root.resolve()
    if not candidate.resolve().is_relative_to(real_root):
        raise PathOutsideRoot(f"'{written}' points outside the content root")
    return candidate
