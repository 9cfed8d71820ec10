"""What a self-hosted site needs around its pages: a Content-Security-Policy it really keeps,
the brand colours as a stylesheet (not an inline `<style>`), footer and print details, a
sitemap when the site has a public address, and a 404 page that works at any depth.
"""

from __future__ import annotations

import re
from html import escape as escape_html
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from sphinx.highlighting import PygmentsBridge

from builder.sitedata import SiteData, site_data
from toolkit.core.dates import long_date
from toolkit.site.staging import write_if_changed

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Every page carries this policy in a <meta> tag (many intranet hosts cannot set headers);
#: deploy/nginx.conf sends it as a header too. Pagefind runs WebAssembly: 'wasm-unsafe-eval'.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
                           "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'")
BRAND_CSS = "toolkit-brand.css"
NOT_FOUND = "404"
NOT_IN_SITEMAP = frozenset({NOT_FOUND, "search"})
_RELATIVE_URL = re.compile(r'(\s(?:href|src|action)=")(?![a-z][a-z0-9+.-]*:|/|#)([^"]*)"')
_CONTENT_ROOT = re.compile(r'data-content_root="[^"]*"')


def page_address(site: SiteData, pagename: str) -> str:
    """The page's public address when the site has one, else its path (JavaScript fills in the rest)."""
    return f"{site.settings.get('base_url') or ''}{pagename}.html"


def footer_links(site: SiteData, root: str) -> list[tuple[str, str]]:
    """(label, href): relative addresses in the settings are relative to the site's root."""
    return [(link["label"], link["url"] if urlsplit(link["url"]).scheme or link["url"].startswith(("/", "#"))
             else root + link["url"]) for link in site.settings.get("footer_links", [])]


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    site = site_data()
    # Live reload injects its own script, so a preview carries no policy.
    context["toolkit_csp"] = "" if site.mode == "serve" else CONTENT_SECURITY_POLICY
    context["toolkit_footer_links"] = footer_links(site, "../" * pagename.count("/"))
    context["toolkit_page_address"] = page_address(site, pagename)
    context["toolkit_build_date"] = site.today
    context["toolkit_build_date_long"] = long_date(site.today)


def write_brand_css(app: Sphinx) -> None:
    """Furo's theme colours (brand and code blocks), rendered from Furo's own partial into a file."""
    from furo import get_pygments_style_colors

    if app.builder.format != "html":
        return
    options = app.config.html_theme_options
    styles = {"light": app.builder.highlighter.formatter_args["style"],
              "dark": PygmentsBridge("html", app.config.pygments_dark_style).formatter_args["style"]}
    fallbacks = {"light": {"foreground": "black", "background": "white"},
                 "dark": {"foreground": "white", "background": "black"}}
    context = {"theme_light_css_variables": options.get("light_css_variables", {}),
               "theme_dark_css_variables": options.get("dark_css_variables", {}),
               "furo_pygments": {mode: get_pygments_style_colors(style, fallbacks=fallbacks[mode])
                                 for mode, style in styles.items()}}
    rendered = app.builder.templates.render("partials/_head_css_variables.html", context)
    css = rendered.split("<style>", 1)[1].rsplit("</style>", 1)[0].strip() + "\n"
    if app.config.html_logo:   # Sphinx copies it beside this file; beside the name, it is decorative
        css += (f'.mobile-header .header-center .brand::before {{ content: ""; display: inline-block; width: 2rem;'
                f' height: 2rem; margin-right: .5rem; vertical-align: middle;'
                f' background: url("{Path(app.config.html_logo).name}") center / contain no-repeat; }}\n')
    write_if_changed(Path(app.outdir) / "_static" / BRAND_CSS, css.encode("utf-8"))


def sitemap(site: SiteData, docnames: list[str]) -> str:
    """sitemap.xml for search engines on the intranet: every published page at its public address."""
    base = site.settings["base_url"]
    entries = []
    for docname in sorted(docnames):
        if docname in NOT_IN_SITEMAP:
            continue
        page = site.pages.get(docname)
        entry = f"<url><loc>{escape(base + docname + '.html')}</loc>"
        if page:
            entry += f"<lastmod>{page['last_changed']}</lastmod>"
        entries.append(entry + "</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(entries) + "\n</urlset>\n")


def absolute_not_found(text: str, base_path: str) -> str:
    """The 404 page with its relative URLs made absolute from the site's path, so it works when the
    server shows it for a missing address at any depth. Idempotent: absolute URLs are left alone."""
    base_path = escape_html(base_path)
    text = _RELATIVE_URL.sub(lambda m: f'{m.group(1)}{base_path}{m.group(2).removeprefix("./")}"', text)
    return _CONTENT_ROOT.sub(lambda _: f'data-content_root="{base_path}"', text, count=1)


def finish_site(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    site = site_data()
    base_url = site.settings.get("base_url")
    outdir = Path(app.outdir)
    if not base_url:
        (outdir / "sitemap.xml").unlink(missing_ok=True)
        return
    write_if_changed(outdir / "sitemap.xml", sitemap(site, list(app.env.found_docs)).encode("utf-8"))
    not_found = outdir / f"{NOT_FOUND}.html"
    if not_found.is_file():
        text = not_found.read_text(encoding="utf-8")
        write_if_changed(not_found, absolute_not_found(text, urlsplit(base_url).path).encode("utf-8"))


def setup_hosting(app: Sphinx) -> None:
    app.connect("builder-inited", write_brand_css, priority=900)   # after Furo's own set-up
    app.connect("html-page-context", page_context)
    app.connect("build-finished", finish_site)
    app.add_css_file(BRAND_CSS)
    app.add_css_file("print.css", media="print")
