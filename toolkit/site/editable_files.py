"""A template page as a file to fill in: Word (.docx) and OpenDocument (.odt), from one outline.

The builder reads the page as Sphinx parsed it into an outline (headings, paragraphs, lists,
tables; builder/editable.py) and this module writes that outline twice, so the printable page
and both files come from one source and cannot drift. python-docx and odfpy write the files:
both are pure Python (nothing to install on a build server, unlike pandoc or LibreOffice) and
give what a form needs that a converter does not: bordered tables whose header row repeats on
every printed page, and blank answer cells tall enough to write in. They are imported with the
module, so the builder's preload (builder/start.py) imports them once, before its workers fork:
imported on first use, each write batch with a template paid for both again.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from odf import dc
from odf.opendocument import OpenDocumentText
from odf.style import (
    ListLevelProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
    TextProperties,
)
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P, Span

#: A table row whose last cell is empty is an answer row: its cells are made this tall (cm).
ANSWER_ROW_CM = 1.6


@dataclass(frozen=True, slots=True)
class Run:
    """Text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Heading:
    level: int            # 1 is the page title
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]
    list_style: str = ""  # "", "bullet" or "number"
    depth: int = 0        # nesting of the list it is in


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 0
    widths: tuple[int, ...] = ()   # relative widths, as a list-table's :widths: gives them


Block = Heading | Paragraph | Table


@dataclass
class Outline:
    """A page as a sequence of blocks; `title`, `organisation` and `dated` (the page's last review)
    are the file's properties, in place of whatever the library's blank document carries."""

    title: str
    organisation: str
    dated: dt.date
    blocks: list[Block] = field(default_factory=list)


def is_answer_row(row: tuple[str, ...]) -> bool:
    return len(row) > 1 and not row[-1].strip()


def _widths(table: Table, columns: int) -> list[float]:
    widths = list(table.widths) if len(table.widths) == columns else [1] * columns
    total = sum(widths) or 1
    return [w / total for w in widths]


#: The styles write_docx uses; what they are based on, followed by or linked to is kept with them.
DOCX_STYLES = ("Normal", "Title", *(f"Heading {level}" for level in range(1, 10)), "List Bullet", "List Bullet 2",
               "List Bullet 3", "List Number", "List Number 2", "List Number 3", "Table Grid")
# Parts of python-docx's blank document a form has no use for: a thumbnail of that blank page, a
# bibliography store, and Word 2010's second copy of every style.
_UNUSED_PARTS = (RT.THUMBNAIL, RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")


def _blank_docx() -> bytes:
    """python-docx's blank document with the styles DOCX_STYLES needs and none of _UNUSED_PARTS.
    Its full set of Word's built-in styles is 438 KB of XML, stored twice: reading and writing it
    was most of what each file cost (8 ms to open, 7 ms to save; with the styles used, 1 and 1).
    Word offers its other built-in styles all the same: they are listed as latent styles."""
    document = Document()
    styles = {style.get(qn("w:styleId")): style for style in document.styles.element.findall(qn("w:style"))}
    by_name = {style.find(qn("w:name")).get(qn("w:val")).lower(): style_id for style_id, style in styles.items()}
    kept: set[str] = set()
    waiting = [by_name[name.lower()] for name in DOCX_STYLES]
    while waiting:
        style_id = waiting.pop()
        if style_id in kept or style_id not in styles:
            continue
        kept.add(style_id)
        waiting += [link.get(qn("w:val")) for tag in ("w:basedOn", "w:next", "w:link")
                    if (link := styles[style_id].find(qn(tag))) is not None]
    for style_id, style in styles.items():
        if style_id not in kept and style.get(qn("w:default")) != "1":
            style.getparent().remove(style)
    for rels in (document.part.package.rels, document.part.rels):
        for rel_id in [rel_id for rel_id, rel in rels.items() if rel.reltype in _UNUSED_PARTS]:
            del rels[rel_id]
    blank = io.BytesIO()
    document.save(blank)
    return blank.getvalue()


_BLANK_DOCX = _blank_docx()   # made with the module: once per build, before the builder's workers fork


def write_docx(outline: Outline, target: Path) -> None:
    document = Document(io.BytesIO(_BLANK_DOCX))
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = outline.title, outline.organisation, ""
    properties.comments = properties.keywords = properties.subject = ""
    properties.created = properties.modified = dt.datetime.combine(outline.dated, dt.time())
    page_width = Cm(16)   # A4 less the default margins
    style_ids: dict[str, str] = {}

    def styled(name: str) -> object:
        """A new paragraph in a style. Looking a style up by name scans Word's few hundred built-in
        styles (half a second a page), so each is looked up once and set by its id."""
        paragraph = document.add_paragraph()
        if name != "Normal":
            if name not in style_ids:
                style_ids[name] = document.styles[name].style_id
            paragraph._p.style = style_ids[name]
        return paragraph

    restart_at: int | None = None   # each numbered list starts at 1 (Word's list style runs on otherwise)
    previous: Block | None = None
    for block in outline.blocks:
        if isinstance(block, Heading):
            styled("Title" if block.level == 1 else f"Heading {min(block.level - 1, 9)}").add_run(block.text)
        elif isinstance(block, Paragraph):
            style = {"bullet": "List Bullet", "number": "List Number"}.get(block.list_style, "Normal")
            if block.list_style and block.depth > 0:
                style += f" {min(block.depth + 1, 3)}"
            paragraph = styled(style)
            if block.list_style == "number" and block.depth == 0:
                in_this_list = isinstance(previous, Paragraph) and (
                    previous.list_style == "number" or (previous.list_style and previous.depth > 0))
                if restart_at is None or not in_this_list:
                    restart_at = _new_numbering(document, document.styles[style])
                paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = restart_at
            for run in block.runs:
                written = paragraph.add_run(run.text)
                if run.bold:
                    written.bold = True
                if run.italic:
                    written.italic = True
        else:
            columns = max(len(row) for row in block.rows)
            table = document.add_table(rows=0, cols=columns)
            table.style = "Table Grid"
            widths = [int(page_width * share) for share in _widths(block, columns)]
            for number, cells in enumerate(block.rows):
                row = table.add_row()
                if number < block.header_rows:   # repeated at the top of every printed page
                    header = OxmlElement("w:tblHeader")
                    header.set(qn("w:val"), "true")
                    row._tr.get_or_add_trPr().append(header)
                elif is_answer_row(cells):
                    row.height, row.height_rule = Cm(ANSWER_ROW_CM), WD_ROW_HEIGHT_RULE.AT_LEAST
                for column, text in enumerate(cells):
                    cell = row.cells[column]
                    cell.width = widths[column]
                    if text:
                        cell.paragraphs[0].add_run(text).bold = number < block.header_rows or None
            document.add_paragraph()
        previous = block
    document.save(str(target))


def _new_numbering(document: object, style: object) -> int:
    """A new instance of the list style's numbering, restarting at 1; returns its id."""
    numbering = document.part.numbering_part.element
    style_num = numbering.num_having_numId(style.element.pPr.numPr.numId.val)
    instance = numbering.add_num(style_num.abstractNumId.val)
    instance.add_lvlOverride(ilvl=0).add_startOverride(1)
    return instance.numId


def write_odt(outline: Outline, target: Path) -> None:
    document = OpenDocumentText()
    document.meta.addElement(_odf_meta("Title", outline.title))
    document.meta.addElement(_odf_meta("Creator", outline.organisation))
    document.meta.addElement(_odf_meta("Date", f"{outline.dated.isoformat()}T00:00:00"))
    styles, automatic = document.styles, document.automaticstyles

    def style(name: str, family: str, *properties: object, auto: bool = False) -> Style:
        """A style; ODF names have no spaces, so "Heading 1" is named Heading_20_1 and shown as itself."""
        made = Style(name=name.replace(" ", "_20_"), displayname=name, family=family)
        for item in properties:
            made.addElement(item)
        (automatic if auto else styles).addElement(made)
        return made

    for level, size in ((1, "20pt"), (2, "16pt"), (3, "13pt"), (4, "12pt")):
        style(f"Heading {level}", "paragraph", TextProperties(fontsize=size, fontweight="bold"),
              ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm", keepwithnext="always"))
    style("Body", "paragraph", TextProperties(fontsize="11pt"), ParagraphProperties(marginbottom="0.2cm"))
    style("Cell", "paragraph", TextProperties(fontsize="10.5pt"))
    strong = style("Strong", "text", TextProperties(fontweight="bold"), auto=True)
    emphasis = style("Emphasis", "text", TextProperties(fontstyle="italic"), auto=True)
    strong_emphasis = style("StrongEmphasis", "text", TextProperties(fontweight="bold", fontstyle="italic"),
                            auto=True)
    bordered = style("Bordered", "table-cell", TableCellProperties(border="0.5pt solid #000000", padding="0.1cm"),
                     auto=True)
    answer_row = style("AnswerRow", "table-row", TableRowProperties(minrowheight=f"{ANSWER_ROW_CM}cm"), auto=True)
    list_styles = {}
    for kind in ("bullet", "number"):
        made = ListStyle(name=f"{kind.capitalize()}List")
        for depth in range(1, 4):
            level = (ListLevelStyleBullet(level=depth, bulletchar="•") if kind == "bullet"
                     else ListLevelStyleNumber(level=depth, numformat="1", numsuffix="."))
            level.addElement(ListLevelProperties(spacebefore=f"{0.6 * depth:.1f}cm", minlabelwidth="0.6cm"))
            made.addElement(level)
        automatic.addElement(made)
        list_styles[kind] = made

    def runs_into(paragraph: P, runs: tuple[Run, ...]) -> P:
        for run in runs:
            chosen = strong_emphasis if run.bold and run.italic else strong if run.bold else \
                emphasis if run.italic else None
            paragraph.addElement(Span(stylename=chosen, text=run.text) if chosen else Span(text=run.text))
        return paragraph

    open_lists: list[tuple[List, str]] = []   # the lists the next list item may join, outermost first
    for number, block in enumerate(outline.blocks):
        if isinstance(block, Heading):
            open_lists = []
            document.text.addElement(H(outlinelevel=block.level, stylename=f"Heading_20_{min(block.level, 4)}",
                                       text=block.text))
        elif isinstance(block, Paragraph):
            paragraph = runs_into(P(stylename="Body"), block.runs)
            if not block.list_style:
                document.text.addElement(paragraph)
                open_lists = []
                continue
            if not open_lists or (block.depth == 0 and open_lists[0][1] != block.list_style):
                open_lists = [(List(stylename=list_styles[block.list_style]), block.list_style)]
                document.text.addElement(open_lists[0][0])
            del open_lists[block.depth + 1:]
            while len(open_lists) <= block.depth:   # a nested list sits inside the item before it
                holder = open_lists[-1][0]
                if not holder.childNodes:
                    holder.addElement(ListItem())
                inner = List()
                holder.childNodes[-1].addElement(inner)
                open_lists.append((inner, block.list_style))
            item = ListItem()
            item.addElement(paragraph)
            open_lists[-1][0].addElement(item)
            continue
        else:
            columns = max(len(row) for row in block.rows)
            table = OdfTable(name=f"Table{number}", stylename=style(
                f"Table{number}", "table", TableProperties(width="16cm", align="left"), auto=True))
            for column, share in enumerate(_widths(block, columns)):
                table.addElement(TableColumn(stylename=style(
                    f"Table{number}.{column}", "table-column", TableColumnProperties(columnwidth=f"{16 * share:.2f}cm"),
                    auto=True)))
            header = TableHeaderRows() if block.header_rows else None
            if header is not None:
                table.addElement(header)
            for row_number, cells in enumerate(block.rows):
                in_header = row_number < block.header_rows
                row = TableRow(stylename=answer_row) if not in_header and is_answer_row(cells) else TableRow()
                for text in cells:
                    cell = TableCell(stylename=bordered, valuetype="string")
                    cell.addElement(runs_into(P(stylename="Cell"), (Run(text, bold=in_header),)) if text
                                    else P(stylename="Cell"))
                    row.addElement(cell)
                (header if in_header and header is not None else table).addElement(row)
            document.text.addElement(table)
            document.text.addElement(P(stylename="Body"))
            open_lists = []
    document.save(str(target))


def _odf_meta(name: str, value: str) -> object:
    return getattr(dc, name)(text=value)


#: The editable formats, by suffix, each with its writer.
WRITERS = {".docx": write_docx, ".odt": write_odt}
