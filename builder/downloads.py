"""A page's `templates:` as a "Downloads" list: each file linked with its type and size.

The links are Sphinx's own download references, the node the `{download}` role makes, so the
files are copied, named and checked exactly as `{download}` files are (builder/assets.py points
them at the staged copy; the published-file rules apply to both). Added as a transform before
that one, so Sphinx collects them like any other download.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from builder.sitedata import site_data
from builder.sources import page_source
from toolkit.core.paths import PathOutsideRoot, resolve_author_path
from toolkit.site.file_labels import file_size, file_type

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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
