"""The Sphinx side of the toolkit: one extension whose parts each register themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemBytecodeCache

from builder.assets import setup_assets
from builder.contacts import setup_contacts
from builder.diagram_export import view_pages
from builder.diagrams import setup_diagrams
from builder.documents import setup_documents
from builder.downloads import setup_downloads
from builder.duties import setup_duties
from builder.editable import setup_editable
from builder.generated import setup_generated
from builder.hosting import setup_hosting
from builder.listings import setup_listings
from builder.navigation import setup_navigation
from builder.overlay import redirects, setup_overlay
from builder.pageinfo import setup_pageinfo
from builder.parallel import setup_parallel
from builder.preview import setup_preview
from builder.private_speedups import speed_up_private_code
from builder.safety import setup_safety
from builder.search import setup_search
from builder.selfassessment import setup_selfassessment
from builder.sitedata import site_data
from builder.statements import setup_statements
from builder.terms import setup_terms
from builder.translator import setup_translator
from builder.updates import setup_updates
from builder.workload import setup_workload
from toolkit.content.extensions import load_extensions
from toolkit.core.protocol import DOCS_LIST

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"


# The shape of what the builder keeps in Sphinx's environment: bump it by hand when that changes
# (Sphinx then reads every page again). A new version of the toolkit re-reads the pages through
# staging's fingerprint instead (toolkit/site/staging.py), so editing a module no longer does.
ENV_VERSION = 2


def _no_sphinx_search(app: Sphinx) -> None:
    """Pagefind searches the site; Sphinx's own index would cost time and bytes for nothing."""
    if hasattr(app.builder, "search"):
        app.builder.search = False


def _cache_templates(app: Sphinx) -> None:
    """Keep the page templates compiled between builds (beside the doctrees): compiling them took
    a fifth of a second in every build, and again in each parallel worker."""
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        folder = Path(app.doctreedir) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        templates.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def _list_pages(app: Sphinx, exception: Exception | None) -> None:
    """Name every page of this build, so publishing leaves out HTML of removed pages."""
    if exception is None and app.builder.format == "html":
        names = sorted(set(app.env.found_docs) | set(redirects(site_data(), app.env.found_docs))
                       | set(view_pages(app.env)))
        (Path(app.outdir) / DOCS_LIST).write_text(json.dumps(names), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    load_extensions()   # before anything reads the registries (page kinds, diagram directives)
    speed_up_private_code(app.verbosity)
    setup_safety(app)
    setup_parallel(app)
    setup_assets(app)
    setup_downloads(app)
    setup_editable(app)
    setup_generated(app)
    setup_listings(app)
    setup_pageinfo(app)
    setup_statements(app)
    setup_terms(app)
    setup_navigation(app)
    setup_search(app)
    setup_translator(app)
    setup_diagrams(app)
    setup_contacts(app)
    setup_hosting(app)
    setup_overlay(app)
    setup_selfassessment(app)
    setup_workload(app)
    setup_updates(app)
    setup_duties(app)
    setup_documents(app)
    setup_preview(app)
    app.connect("builder-inited", _no_sphinx_search)
    app.connect("builder-inited", _cache_templates)
    app.connect("build-finished", _list_pages)
    app.add_config_value("toolkit_settings", {}, "env", types=frozenset({dict}))
    app.add_css_file("toolkit.css")
    app.add_js_file("toolkit-menus.js", loading_method="defer")
    return {"version": __version__, "env_version": ENV_VERSION,
            "parallel_read_safe": True, "parallel_write_safe": True}
