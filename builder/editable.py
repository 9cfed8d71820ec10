"""Template pages (`resource_type: template`) offered as files to fill in, made from the page itself.

When a template page is written, its doctree (as Sphinx resolved it, so `{site}` names and
link texts are filled in) is read into an outline and written as Word and OpenDocument files
(toolkit/site/editable_files.py) into `_downloads/editable/`, where every file of the site is held
to the download allow-list (toolkit/content/publishable.py) and scanned before publishing. The page then
links them, labelled as every other download is (toolkit/site/file_labels.py). An overlay page that
replaces a shipped template is the page written, so it gets its own files.

What the toolkit adds around a page (facts, related pages, history, downloads) is left out of
the files: they hold what the author wrote, which has passed the personal-data check.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from builder.sitedata import site_data
from toolkit.content.publishable import type_problem
from toolkit.core.protocol import DOCS_LIST
from toolkit.site.editable_files import WRITERS, Heading, Outline, Paragraph, Run, Table
from toolkit.site.file_labels import file_size, file_type

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FOLDER = "_downloads/editable"
SECTION_ID = "editable-template"
_SKIPPED = (nodes.raw, nodes.comment, nodes.system_message, nodes.target, nodes.substitution_definition,
            nodes.image, nodes.field_list, nodes.title)
_LIST_STYLES = {nodes.bullet_list: "bullet", nodes.enumerated_list: "number"}


def is_template(page: dict | None) -> bool:
    return bool(page) and page["kind"] == "resource" and page["extras"].get("resource_type") == "template"


def _toolkit_added(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and any(c.startswith("toolkit-") for c in node.get("classes", ()))


def _runs(node: nodes.Node, bold: bool = False, italic: bool = False) -> list[Run]:
    if isinstance(node, nodes.Text):
        text = " ".join(str(node).replace("\xa0", " ").split("\n"))
        return [Run(text, bold, italic)] if text else []
    if _toolkit_added(node) or isinstance(node, (nodes.image, nodes.raw, nodes.target)):
        return []
    bold = bold or isinstance(node, nodes.strong)
    italic = italic or isinstance(node, nodes.emphasis)
    runs = [run for child in node.children for run in _runs(child, bold, italic)]
    address = node.get("refuri", "") if isinstance(node, nodes.reference) else ""
    if address.startswith(("http://", "https://")) and address != node.astext():
        runs.append(Run(f" ({address})", bold, italic))
    return runs


def _joined(runs: list[Run]) -> tuple[Run, ...]:
    """Runs with the paragraph's white space collapsed, as a browser shows it."""
    joined: list[Run] = []
    for run in runs:
        if joined and (joined[-1].bold, joined[-1].italic) == (run.bold, run.italic):
            joined[-1] = Run(joined[-1].text + run.text, run.bold, run.italic)
        else:
            joined.append(run)
    cleaned = [Run(" ".join(r.text.split()) if r.text.strip() else " ", r.bold, r.italic) for r in joined]
    for index, run in enumerate(cleaned[:-1]):   # keep the spaces between runs the collapse took off,
        if joined[index].text[-1:].isspace() or joined[index + 1].text[:1].isspace():   # in plain text
            after = cleaned[index + 1]
            if run.bold or run.italic:
                cleaned[index + 1] = Run(" " + after.text, after.bold, after.italic)
            else:
                cleaned[index] = Run(run.text + " ", run.bold, run.italic)
    return tuple(r for r in cleaned if r.text.strip())


def _table(node: nodes.table) -> Table:
    group = next(iter(node.findall(nodes.tgroup)))
    widths = tuple(int(spec.get("colwidth", 1)) for spec in group.findall(nodes.colspec))
    rows, header_rows = [], 0
    for part in group.children:
        if not isinstance(part, (nodes.thead, nodes.tbody)):
            continue
        for row in part.findall(nodes.row):
            rows.append(tuple(" ".join(entry.astext().replace("\xa0", " ").split()) for entry in row.children))
            header_rows += isinstance(part, nodes.thead)
    return Table(tuple(rows), header_rows, widths)


def _blocks(node: nodes.Node, outline: Outline, depth: int, list_style: str = "", list_depth: int = -1) -> None:
    for child in node.children:
        if _toolkit_added(child) or isinstance(child, _SKIPPED):
            continue
        if isinstance(child, nodes.section):
            title = next((c for c in child.children if isinstance(c, nodes.title)), None)
            if title is not None:
                outline.blocks.append(Heading(depth + 1, " ".join(title.astext().split())))
            _blocks(child, outline, depth + 1)
        elif isinstance(child, nodes.TextElement):   # paragraphs, lines, code, terms, captions...
            runs = _joined(_runs(child, bold=isinstance(child, nodes.rubric)))
            if runs:
                outline.blocks.append(Paragraph(runs, list_style, max(list_depth, 0)))
        elif isinstance(child, tuple(_LIST_STYLES)):
            _blocks(child, outline, depth, _LIST_STYLES[type(child)], list_depth + 1)
        elif isinstance(child, nodes.table):
            outline.blocks.append(_table(child))
        elif isinstance(child, nodes.Admonition):
            heading = next((c.astext() for c in child.children if isinstance(c, nodes.title)),
                           child.tagname.capitalize())   # a note or warning is named by its kind
            outline.blocks.append(Paragraph((Run(heading, bold=True),)))
            _blocks(child, outline, depth, list_style, list_depth)
        elif isinstance(child, nodes.Element):
            _blocks(child, outline, depth, list_style, list_depth)


def page_outline(doctree: nodes.document, title: str, organisation: str, dated: dt.date) -> Outline:
    outline = Outline(title, organisation, dated)
    _blocks(doctree, outline, 0)
    return outline


def _links_section(docname: str, written: list[Path]) -> nodes.section:
    section = nodes.section(ids=[SECTION_ID], classes=["toolkit-downloads", "toolkit-editable"])
    section += nodes.title("Download to fill in", "Download to fill in")
    lead = "This template as a file you can fill in on your computer, in Word, LibreOffice or another word processor."
    section += nodes.paragraph(lead, lead)
    items = nodes.bullet_list(classes=["toolkit-downloads"])
    prefix = "../" * docname.count("/")
    for path in written:
        label = f"Download as {file_type(path)} ({path.suffix})"
        link = nodes.reference(label, label, refuri=f"{prefix}{FOLDER}/{path.name}")
        details = f" ({path.name}, {file_size(path.stat().st_size)})"
        items += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(details)))
    section += items
    return section


def write_editable_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Write the page's Word and OpenDocument files and link them before its first subheading."""
    page = site_data().pages.get(docname)
    if app.builder.format != "html" or not is_template(page):
        return
    folder = Path(app.outdir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    outline = page_outline(doctree, page["title"], site_data().settings.get("organisation", ""),
                           dt.date.fromisoformat(page["last_reviewed"]))
    written = []
    for suffix, write in WRITERS.items():
        target = folder / f"{page['id']}{suffix}"
        assert type_problem(target.name, "download") is None, "editable formats are on the download allow-list"
        write(outline, target)
        written.append(target)
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    first_subsection = next((i for i, c in enumerate(top.children) if isinstance(c, nodes.section)), len(top.children))
    top.insert(first_subsection, _links_section(docname, written))


def remove_stale_files(app: Sphinx, exception: Exception | None) -> None:
    """Files of pages that are no longer templates (or no longer there) are not published."""
    folder = Path(app.outdir) / FOLDER
    if exception is not None or not folder.is_dir() or not (Path(app.outdir) / DOCS_LIST).is_file():
        return
    current = {page["id"] for page in site_data().pages.values() if is_template(page)}
    current &= set(json.loads((Path(app.outdir) / DOCS_LIST).read_text()))
    for path in folder.iterdir():
        if path.stem not in current or path.suffix not in WRITERS:
            path.unlink()


def setup_editable(app: Sphinx) -> None:
    app.connect("doctree-resolved", write_editable_files)
    app.connect("build-finished", remove_stale_files, priority=600)   # after the list of pages (500)
