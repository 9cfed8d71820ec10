"""The document library: every template and download on the site on one generated page, with
the page that offers it, its owner and review date, so staff find the supervision agreement
without knowing which page holds it.

Sphinx already knows every file a page offers for download (`{download}` roles, and the
`templates:` lists rendered through them), so the library is filled from that record when the
page is written, and it is written again whenever what it lists has changed (`env-updated`), so it
is never stale and a save that changes no download leaves it alone.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from builder.links import page_link
from builder.sitedata import site_data, write_when_changed
from builder.updates import DIGEST_FOLDER
from toolkit.core.dates import long_date
from toolkit.site.file_labels import file_size, file_type

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DOCUMENTS_PAGE = "documents"
DOWNLOADS = "_downloads"   # where Sphinx's HTML builder puts files offered for download
class document_list(nodes.General, nodes.Element):
    """Where the library's table goes (filled when the page is written)."""


class DocumentListDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [document_list()]


def _cell(*children: nodes.Node) -> nodes.entry:
    paragraph = nodes.paragraph()
    paragraph += children
    return nodes.entry("", paragraph)


def _table(rows: list[list[nodes.entry]], headers: list[str]) -> nodes.table:
    table = nodes.table(classes=["toolkit-documents"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in headers]
    head = nodes.thead()
    head += nodes.row("", *(nodes.entry("", nodes.paragraph(h, h)) for h in headers))
    group += head
    body = nodes.tbody()
    body += [nodes.row("", *cells) for cells in rows]
    group += body
    return table


@dataclass(frozen=True)
class Listed:
    """One file offered on one page, as the document library shows it."""
    name: str
    href: str
    size: int
    page: str
    title: str
    owner: str | None
    review_by: str


def listed_documents(app: Sphinx, docname: str = DOCUMENTS_PAGE) -> dict[str, list[Listed]]:
    """Every file offered for download, under its file type, with each page offering it."""
    site = site_data()
    source = Path(app.srcdir)
    by_type: dict[str, list[Listed]] = {}
    for filename, (docnames, destination) in sorted(app.env.dlfiles.items(), key=lambda i: Path(i[0]).name.lower()):
        if Path(filename).parts[0] == DIGEST_FOLDER:
            continue
        href = "../" * docname.count("/") + posixpath.join(DOWNLOADS, str(destination))
        size = (source / filename).stat().st_size if (source / filename).is_file() else 0
        for page_id in sorted(d for d in docnames if d in site.pages):
            page = site.pages[page_id]
            by_type.setdefault(file_type(Path(filename)).capitalize(), []).append(Listed(
                Path(filename).name, href, size, page_id, page["title"], page["owner"], page["review_by"]))
    return by_type


def fill_document_list(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """One table per file type (a reader after a Word template skips the rest), each file with
    its page, owner and next review."""
    places = list(doctree.findall(document_list))
    if not places:
        return
    by_type = {kind: [[_cell(nodes.reference("", f.name, refuri=f.href, internal=True),
                             nodes.Text(f" ({file_size(f.size)})")),
                       _cell(page_link(app.builder, f.title, f.page, docname)),
                       _cell(nodes.Text(f.owner or "Not named")),
                       _cell(nodes.Text(long_date(f.review_by)))] for f in files]
               for kind, files in listed_documents(app, docname).items()}
    content: list[nodes.Node] = []
    if not by_type:
        content.append(nodes.paragraph("", "No page offers a document to download yet."))
    else:
        jump = nodes.paragraph("", "Types of document: ")
        for index, kind in enumerate(sorted(by_type)):
            if index:
                jump += nodes.Text(" · ")
            jump += nodes.reference("", f"{kind} ({len(by_type[kind])})", refid=nodes.make_id("documents-" + kind),
                                    internal=True)
        content.append(jump)
    for kind in sorted(by_type):
        section = nodes.section(ids=[nodes.make_id("documents-" + kind)])
        section += nodes.title(kind, kind)
        section += _table(by_type[kind], ["Document", "On the page", "Owner", "Next review"])
        content.append(section)
    for place in places:
        place.replace_self(content)


def setup_documents(app: Sphinx) -> None:
    app.add_node(document_list)
    app.add_directive("document-list", DocumentListDirective)
    app.connect("doctree-resolved", fill_document_list)
    app.connect("env-updated", write_when_changed(DOCUMENTS_PAGE, listed_documents))
