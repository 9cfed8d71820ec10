"""A page's `templates:` as a "Downloads" list: each file linked with its type and size.

The links are Sphinx's own download references, the node the `{download}` role makes, so the
files are copied, named and checked exactly as `{download}` files are (builder/assets.py points
them at the staged copy; the published-file rules apply to both). Added as a transform before
that one, so Sphinx collects them like any other download.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from builder.sitedata import site_data
from builder.sources import page_source
from toolkit.paths import PathOutsideRoot, resolve_author_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FILE_TYPES = {
    ".doc": "Word document", ".docx": "Word document", ".dotx": "Word template", ".odt": "OpenDocument text",
    ".xls": "Excel spreadsheet", ".xlsx": "Excel spreadsheet", ".ods": "OpenDocument spreadsheet",
    ".csv": "CSV spreadsheet", ".pdf": "PDF", ".ppt": "PowerPoint presentation",
    ".pptx": "PowerPoint presentation", ".odp": "OpenDocument presentation", ".txt": "text file",
    ".md": "Markdown text", ".rtf": "Rich Text document", ".png": "PNG image", ".jpg": "JPEG image",
    ".jpeg": "JPEG image", ".svg": "SVG image", ".zip": "ZIP archive",
}


def file_type(path: Path) -> str:
    return FILE_TYPES.get(path.suffix.lower(), f"{path.suffix.lstrip('.').upper() or 'plain'} file")


def file_size(size: int) -> str:
    """Sizes as GOV.UK writes them: 912 bytes, 24 KB, 1.5 MB."""
    if size < 1024:
        return f"{size} byte{'s' * (size != 1)}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class DownloadList(SphinxTransform):
    default_priority = 5  # before StagedAssetPaths (10), which points download references at the staged copy

    def apply(self, **kwargs: object) -> None:
        docname = self.env.docname
        page = site_data().pages.get(docname)
        written = (page or {}).get("extras", {}).get("templates") or []
        if not written:
            return
        source, root = page_source(self.env, docname)
        items = nodes.bullet_list(classes=["toolkit-downloads"])
        for name in written:
            try:
                target = resolve_author_path(name, source, root)
            except PathOutsideRoot:
                continue   # refused by `toolkit check` before any build
            label = target.name
            link = addnodes.download_reference("", "", reftarget=name, refdoc=docname, refexplicit=True,
                                               refdomain="", reftype="download")
            link += nodes.inline(label, label)
            details = f" ({file_type(target)}, {file_size(target.stat().st_size)})" if target.is_file() else ""
            items += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(details)))
        section = nodes.section(ids=["page-downloads"], classes=["toolkit-downloads"])
        section += nodes.title("Downloads", "Downloads")
        section += items
        sections = [n for n in self.document.children if isinstance(n, nodes.section)]
        (sections[0] if len(sections) == 1 else self.document).append(section)


def setup_downloads(app: Sphinx) -> None:
    app.add_transform(DownloadList)
