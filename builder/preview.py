"""The preview's problem banner: in `toolkit serve` only, every page reads the problems the last
save left (toolkit/commands/serve.py writes them beside the pages) and lists them above the content.

A script, not a rebuilt page: when the check fails the pages are not rebuilt (the last good
preview stays), so only something read at view time can say what is wrong now. The preview server
(toolkit/commands/preview_server.py) reloads every open page after each rebuild, failed check or not, so
reading the file as the page loads is enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.sitedata import site_data
from toolkit.commands.serve import PREVIEW_PROBLEMS, SERVE_MODE

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _add_banner_script(app: Sphinx) -> None:
    if site_data().mode == SERVE_MODE:
        app.add_js_file("toolkit-preview.js", loading_method="defer", **{"data-problems": PREVIEW_PROBLEMS})


def setup_preview(app: Sphinx) -> None:
    app.connect("builder-inited", _add_banner_script)
