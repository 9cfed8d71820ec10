"""The folder `toolkit serve` serves: a copy of the built site, updated file by file once a
rebuild has finished and its changed files have passed the output scan.

Sphinx rewrites pages in place, so serving its output folder sent readers half-written pages
(the server then broke off the answer). Here each changed file is copied beside its place and
renamed over it, so a request gets the whole old file or the whole new one; files the build no
longer has are removed. A file the scan refuses is withheld: a page is replaced by a notice
naming what was found, any other file served empty (the rest of the site stays usable, and the
problem banner lists the findings).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from html import escape
from pathlib import Path

from toolkit.site.output_scan import scan_output


def _same(source: str, target: str) -> bool:
    try:
        a, b = os.stat(source), os.stat(target)
    except FileNotFoundError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def changed(built: Path, served: Path, files: Iterable[Path]) -> list[Path]:
    """The files (relative) that differ between the built and the served folder (paths joined as
    strings: this runs over every file of the site on every save)."""
    return [f for f in files if not _same(f"{built}/{f}", f"{served}/{f}")]


def withheld_page(findings: list[str]) -> bytes:
    """What the preview shows instead of a page the scan refused."""
    items = "".join(f"<li>{escape(finding)}</li>" for finding in findings)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Not shown in the preview</title></head><body><main>"
            "<h1>This page is not shown in the preview</h1>"
            "<p>It would carry something a reader's browser would run, or fetch from another host, "
            f"so a build would not publish it:</p><ul>{items}</ul>"
            "<p>Fix it and save again. Please report this: the check should have refused it.</p>"
            "</main></body></html>\n").encode()


def install(built: Path, served: Path, files: list[Path], base_url: str | None,
            prune: Path = Path(), leave: tuple[str, ...] = ()) -> list[str]:
    """Copy the changed `files` (relative) into `served` after the output scan, withholding each
    file it refuses, and remove the served files under `prune` that are not in `files`, but for its
    top-level folders named in `leave`. Returns the scan's findings ("path:line: what")."""
    updated = changed(built, served, files)
    unsafe = scan_output(built, updated, base_url)
    refused: dict[str, list[str]] = {}
    for finding in unsafe:
        refused.setdefault(finding.split(":", 1)[0], []).append(finding)
    for relative in updated:
        target = served / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.preview-tmp")
        if relative.as_posix() in refused:
            temporary.write_bytes(withheld_page(refused[relative.as_posix()]) if relative.suffix == ".html" else b"")
        else:
            shutil.copy2(built / relative, temporary)
        os.replace(temporary, target)
    wanted = {f"{served}/{f}" for f in files}
    root = served / prune
    for parent, folders, names in os.walk(root):
        if parent == str(root):
            folders[:] = [name for name in folders if name not in leave]
        for name in names:
            if os.path.join(parent, name) not in wanted:
                os.unlink(os.path.join(parent, name))
    return unsafe
