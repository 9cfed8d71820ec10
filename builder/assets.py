"""Images and downloads an author names relative to their own file, pointed at the staged copy.

Pages are staged as `<id>.md` at the top of the source folder, away from the files next to
them, so each relative target is resolved against the author's original file (inside its
root, or refused) and rewritten to the root's staged copy before Sphinx collects it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from builder.sources import page_source, staged_asset
from toolkit.core.paths import PathOutsideRoot, resolve_author_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class StagedAssetPaths(SphinxTransform):
    default_priority = 10  # before anything that collects images or downloads

    def apply(self, **kwargs: object) -> None:
        docname = self.env.docname
        source, root = page_source(self.env, docname)
        for node in list(self.document.findall(nodes.image)):
            node["uri"] = self._staged(node["uri"], source, root, node) or node["uri"]
        for node in list(self.document.findall(addnodes.download_reference)):
            node["reftarget"] = self._staged(node["reftarget"], source, root, node) or node["reftarget"]

    def _staged(self, written: str, source: Path, root: Path, node: nodes.Element) -> str | None:
        if "://" in written or written.startswith(("data:", "mailto:")):
            return None
        try:
            target = resolve_author_path(written, source, root)
        except PathOutsideRoot as exc:
            logger.warning(str(exc), location=node, type="toolkit", subtype="path")
            return "/_assets/missing"
        return staged_asset(self.env.docname, target)


def setup_assets(app: Sphinx) -> None:
    app.add_transform(StagedAssetPaths)
