"""PDFs of each section and of the whole site, from the same built pages (`toolkit build --pdf`).

WeasyPrint turns HTML and CSS into PDF with no browser and no network: each page's content (the
part the search indexes, so no navigation) is put after a cover with the organisation's name
and logo and a contents list whose page numbers WeasyPrint fills in (`target-counter`). Links
between pages in the same PDF become links inside it; links to pages it does not hold point to
the site's address when the settings give one, and are plain text otherwise. Diagrams stay
vector graphics (inline SVG) with their text equivalents, and every PDF page carries
"Uncontrolled when printed" and the print date. The PDF is tagged for screen readers.
"""

from __future__ import annotations

import datetime as dt
import html as html_escape
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from toolkit.content.model import Settings
from toolkit.core.dates import long_date
from toolkit.core.protocol import (
    PDF_FOLDER,
    PDF_LINK_CLASS,
    SEARCH_END,
    SEARCH_START,
    SECTIONS_LIST,
    WHOLE_PDF,
)
from toolkit.site.file_labels import file_size

PDF_CSS = Path(__file__).with_name("pdf.css")
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_HIDDEN = re.compile(r"<span hidden[^>]*></span>")
_ID = re.compile(r'\bid="([^"]*)"')
_HREF = re.compile(r'\bhref="([^"]*)"')
_SIZE_LINK = re.compile(rf'(<a class="{PDF_LINK_CLASS}" href="\.\./{PDF_FOLDER}/([\w-]+)\.pdf">[^<]*?)'
                        r"\(PDF[^)]*\)")


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    pages: list[str]


def page_content(html: Path, page_id: str) -> str:
    """The page's own content, as the search indexes it: no navigation, theme or footer."""
    text = (html / f"{page_id}.html").read_text(encoding="utf-8")
    start = text.find(SEARCH_START)
    end = text.find(SEARCH_END, start)
    return _HIDDEN.sub("", _HEADERLINK.sub("", text[start + len(SEARCH_START):end])) if start >= 0 else ""


def anchor(page_id: str, fragment: str = "") -> str:
    """The id of a page, or of a place in it, inside a PDF holding several pages."""
    return f"pdf-{page_id}" + (f"--{fragment}" if fragment else "")


def relink(content: str, page_id: str, held: set[str], base_url: str | None) -> str:
    """Ids made unique to the page; links to pages in this PDF made internal, others made
    absolute from the site's address (or left as plain text when it has none)."""
    content = _ID.sub(lambda m: f'id="{anchor(page_id, m.group(1))}"', content)

    def href(match: re.Match[str]) -> str:
        target = html_escape.unescape(match.group(1))
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            return match.group(0)                              # http(s), mailto: kept as they are
        path, _, fragment = target.partition("#")
        linked = path.removesuffix(".html") if path else page_id
        if linked in held:
            return f'href="#{anchor(linked, fragment)}"'
        if base_url:
            return f'href="{html_escape.escape(base_url + target, quote=True)}"'
        return 'data-toolkit-unlinked=""'
    return _HREF.sub(href, content)


def document(sections: list[Section], html: Path, settings: Settings, today: dt.date, title: str) -> str:
    """One PDF's HTML: cover, contents, then each section's pages in the listing's order."""
    held = {page_id for section in sections for page_id in section.pages}
    titles = {page_id: _title(html, page_id) for page_id in held}
    logo = ""
    if settings.logo is not None and (html / "_static" / settings.logo.name).is_file():
        logo = f'<img class="pdf-logo" src="_static/{html_escape.escape(settings.logo.name)}" alt="">'
    printed = long_date(today)
    parts = [f'<section class="pdf-cover">{logo}<p class="pdf-organisation">{html_escape.escape(settings.organisation)}'
             f'</p><h1 class="pdf-title">{html_escape.escape(settings.name)}</h1>'
             f'<p class="pdf-subtitle">{html_escape.escape(title)}</p>'
             f'<p class="pdf-printed">Made on {printed}. Uncontrolled when printed: check the online '
             "version before relying on it.</p></section>",
             '<nav class="pdf-contents" aria-label="Contents"><h2>Contents</h2>']
    for section in sections:
        if len(sections) > 1:
            parts.append(f"<h3>{html_escape.escape(section.title)}</h3>")
        parts.append("<ol>" + "".join(f'<li><a href="#{anchor(p)}">{html_escape.escape(titles[p])}</a></li>'
                                      for p in section.pages) + "</ol>")
    parts.append("</nav>")
    for section in sections:
        for page_id in section.pages:
            content = relink(page_content(html, page_id), page_id, held, settings.base_url)
            parts.append(f'<article class="pdf-page" id="{anchor(page_id)}" '
                         f'data-section="{html_escape.escape(section.title, quote=True)}">{content}</article>')
    stylesheets = "".join(f'<link rel="stylesheet" href="_static/{name}">' for name in ("diagrams.css",)
                          if (html / "_static" / name).is_file())
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{html_escape.escape(settings.name + ': ' + title)}</title>"
            f'<meta name="author" content="{html_escape.escape(settings.organisation, quote=True)}">'
            f'<meta name="dcterms.created" content="{today.isoformat()}">{stylesheets}'
            f'<style>@page {{ @bottom-left {{ content: "Uncontrolled when printed · made on {printed}"; }} }}'
            f"</style></head><body>{''.join(parts)}</body></html>")


def _title(html: Path, page_id: str) -> str:
    found = re.search(r'data-pagefind-meta="title:([^"]*)"', (html / f"{page_id}.html").read_text(encoding="utf-8"))
    return html_escape.unescape(found.group(1)) if found else page_id


def render(source: str, html: Path, target: Path) -> None:
    from weasyprint import CSS, HTML

    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=source, base_url=str(html) + "/").write_pdf(
        target, stylesheets=[CSS(filename=str(PDF_CSS))], pdf_tags=True, uncompressed_pdf=False)


def write_pdfs(html: Path, settings: Settings, today: dt.date) -> bool:
    """A PDF per section and one of the whole site into html/pdf/, and their sizes into the
    section pages' links; False (with the reason shown) if they could not be made."""
    try:
        sections = [Section(**s) for s in json.loads((html / SECTIONS_LIST).read_text(encoding="utf-8"))]
        folder = html / PDF_FOLDER
        made = {}
        for section in sections:
            made[section.slug] = folder / f"{section.slug}.pdf"
            render(document([section], html, settings, today, section.title), html, made[section.slug])
        made[WHOLE_PDF] = folder / f"{WHOLE_PDF}.pdf"
        render(document(sections, html, settings, today, "The whole toolkit"), html, made[WHOLE_PDF])
        for old in folder.glob("*.pdf"):
            if old not in made.values():
                old.unlink()
        sizes = {name: file_size(path.stat().st_size) for name, path in made.items()}
        for section in sections:
            page = html / "sections" / f"{section.slug}.html"
            text = page.read_text(encoding="utf-8")
            text = _SIZE_LINK.sub(lambda m: f"{m.group(1)}(PDF, {sizes.get(m.group(2), '?')})", text)
            written = page.with_name(page.name + ".tmp")
            written.write_text(text, encoding="utf-8")
            written.replace(page)   # replaced, never rewritten: a published site may share the file
    except Exception as error:   # WeasyPrint may fail on anything; the build then publishes nothing
        print(f"toolkit build: making the PDFs failed: {error}", file=sys.stderr)
        return False
    return True
