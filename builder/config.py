"""Sphinx configuration derived from the site settings: the one place conf.py gets its values.

Everything here depends only on the settings (not on pages or dates), so the configuration
is the same from build to build and Sphinx never re-reads every page for a config change.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from builder.sitedata import SiteData
from toolkit.checks.tokens import MYST_EXTENSIONS
from toolkit.site.staging import ASSETS

HERE = Path(__file__).resolve().parent


def sphinx_config(site: SiteData) -> dict[str, Any]:
    settings = site.settings
    # Furo prints the title raw in the header and sidebar (and escapes it, after `striptags`
    # undoes entities, in <title>), so the name goes in already escaped: shown as written.
    title = escape(settings["name"])
    config: dict[str, Any] = {
        "project": title,
        "author": settings["organisation"],
        "copyright": settings["organisation"],
        "language": "en",
        "extensions": ["myst_parser", "sphinx_design", "builder"],
        "root_doc": "index",
        "source_suffix": {".md": "markdown"},
        "exclude_patterns": [f"{ASSETS}/**"],
        "templates_path": [str(HERE / "templates")],
        "html_static_path": [str(HERE / "static")],
        "html_theme": "furo",
        "html_title": title,
        "html_short_title": title,
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_show_sphinx": False,   # the credit is on the About page (builder/pageinfo.py)
        "html_use_index": False,
        "html_domain_indices": False,
        "html_permalinks_icon": "#",
        "html_last_updated_fmt": None,
        "html_baseurl": settings.get("base_url") or "",
        "html_theme_options": {
            "light_css_variables": {"color-brand-primary": settings["primary"],
                                    "color-brand-content": settings["primary"],
                                    "color-brand-visited": settings["primary"]},
            "dark_css_variables": {"color-brand-primary": settings["primary_dark"],
                                   "color-brand-content": settings["primary_dark"],
                                   "color-brand-visited": settings["primary_dark"]},
            "navigation_with_keys": False,
            "top_of_page_buttons": [],
        },
        "myst_enable_extensions": list(MYST_EXTENSIONS),
        "myst_disable_syntax": ["html_block", "html_inline"],
        "myst_heading_anchors": 3,
        "myst_footnote_transition": False,
        "suppress_warnings": ["myst.header"],
        # MyST's `smartquotes` extension already curls quotes as it parses; Sphinx's own pass
        # would walk every page's text again to do it twice (about 5% of a build).
        "smartquotes": False,
        # Settings shown on pages (contacts, footer links): a change re-reads every page.
        "toolkit_settings": settings,
    }
    if settings.get("logo"):
        config["html_logo"] = settings["logo"]
    config["html_favicon"] = settings.get("favicon") or str(HERE / "static" / "favicon.svg")
    return config
