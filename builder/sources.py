"""Where a staged page came from: its author's file and content root.

Pages are staged as `<id>.md`; paths an author writes are relative to the original file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from builder.sitedata import site_data
from toolkit.site.staging import asset_name

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def page_source(env: BuildEnvironment, docname: str) -> tuple[Path, Path]:
    """(original page file, its content root); the staged file and srcdir outside the toolkit."""
    record = site_data().pages.get(docname)
    if record is None:
        return Path(env.doc2path(docname)), Path(env.srcdir)
    return Path(record["source"]), Path(record["root"])


def staged_asset(docname: str, target: Path) -> str | None:
    """The staged, srcdir-absolute name ('/_assets/k/...') of a file inside the page's root."""
    record = site_data().pages.get(docname)
    if record is None:
        return None
    return "/" + asset_name(record["root_index"], Path(record["root"]), target)
