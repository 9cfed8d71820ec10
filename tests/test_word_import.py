"""`toolkit import FILE.docx` with Word documents made here by python-docx (issue 20): front matter
that passes, the body as MyST (headings, emphasis, nested lists, a table, an image with its alt
text, a footnote), what could not be converted said aloud, and every check run on the result."""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SMALL_SITE, Result, SiteFolder
from docx import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Inches

TITLE = "Supervising agency staff"
FIRST_PARAGRAPH = "How to induct and supervise agency social workers so they practise safely from week one."
REAL_LOOKING_PHONE = "020 7123 4567"


def png(width: int = 4, height: int = 3) -> bytes:
    """A tiny real PNG, so the image is a file a browser shows."""
    raw = b"".join(b"\x00" + b"\x1d\x4f\x91" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _bullets(document: Document) -> int:
    """A multi-level bullet list definition (python-docx's template has only single-level ones)."""
    numbering = document.part.numbering_part.element
    levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
                     f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>' for i in range(3))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _list_item(document: Document, text: str, number: int, level: int) -> None:
    paragraph = document.add_paragraph(text)
    numbers = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbers.get_or_add_ilvl().val = level
    numbers.get_or_add_numId().val = number


def _footnote(document: Document, paragraph, text: str) -> None:  # noqa: ANN001
    """Word's footnotes part, which python-docx cannot write itself."""
    blob = (f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
            f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p/></w:footnote>'
            f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, blob.encode(), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))


def guidance_docx(path: Path) -> Path:
    """A council's guidance as Word holds it: every feature the import must carry or report."""
    document = Document()
    document.add_heading(TITLE, level=1)
    opening = document.add_paragraph(FIRST_PARAGRAPH + " ")
    opening.add_run("Read this first").bold = True
    opening.add_run(" and ")
    opening.add_run("ask questions").italic = True
    _footnote(document, opening, "Standards for employers of social workers, 2020.")
    document.add_heading("Induction", level=2)
    bullets = _bullets(document)
    _list_item(document, "Meet the team", bullets, 0)
    _list_item(document, "Shadow a duty worker", bullets, 1)
    _list_item(document, "Read the case notes policy", bullets, 1)
    _list_item(document, "Agree supervision dates", bullets, 0)
    table = document.add_table(rows=3, cols=2)
    for row, (week, task) in enumerate((("Week", "Task"), ("1", "Induction"), ("2", "First visits"))):
        table.cell(row, 0).text, table.cell(row, 1).text = week, task
    document.add_picture(io.BytesIO(png()), width=Inches(1))
    document.inline_shapes[0]._inline.docPr.set("descr", "The induction week as a timeline")
    document.add_picture(io.BytesIO(png(5)), width=Inches(1))   # no alt text
    contact = document.add_paragraph(f"Call the duty desk on {REAL_LOOKING_PHONE}.")
    document.add_comment(contact.runs[0], text="Is this number right?", author="Reviewer", initials="R")
    changed = document.add_paragraph("Supervision happens ")
    changed._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="7" w:author="R" w:date="2026-01-01T00:00:00Z">'
                                '<w:r><w:t>every four weeks</w:t></w:r></w:ins>'))
    changed._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="8" w:author="R" w:date="2026-01-01T00:00:00Z">'
                                '<w:r><w:delText>monthly</w:delText></w:r></w:del>'))
    document.save(path)
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteFolder, Result, Path]:
    """The small site with review_months: 6, and the guidance imported into a local root once."""
    folder = tmp_path_factory.mktemp("word") / "site"
    shutil.copytree(SMALL_SITE, folder)
    site = SiteFolder(folder)
    site.settings.write_text(site.settings.read_text() + "review_months: 6\n")
    word = guidance_docx(folder.parent / "Agency staff.docx")
    result = site.toolkit("import", str(word), "--kind", "resource", "--root", str(site.content / "imported"))
    return site, result, site.content / "imported" / "supervising-agency-staff.md"


def test_front_matter_comes_from_the_document_and_the_site(imported: tuple[SiteFolder, Result, Path]) -> None:
    from toolkit.content.pages import read_page
    site, result, page_file = imported
    assert "Traceback" not in result.stderr
    page, _, problems = read_page(page_file, site.content, 0, "imported.md")
    assert page is not None, problems
    assert (page.title, page.kind, page.status) == (TITLE, "resource", "draft")
    assert page.summary.startswith(FIRST_PARAGRAPH)
    assert (page.last_reviewed.isoformat(), page.review_by.isoformat()) == ("2026-11-22", "2027-05-22")
    assert not [p for p in problems if p.severity == "error"]


def test_the_body_keeps_headings_emphasis_lists_tables_images_and_footnotes(
        imported: tuple[SiteFolder, Result, Path]) -> None:
    _, _, page_file = imported
    body = page_file.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body.startswith(f"# {TITLE}\n") and body.count(f"# {TITLE}") == 1
    assert "## Induction" in body
    assert "**Read this first**" in body and "*ask questions*" in body
    assert ("- Meet the team\n  - Shadow a duty worker\n  - Read the case notes policy\n"
            "- Agree supervision dates") in body
    assert "| Week | Task |\n| --- | --- |\n| 1 | Induction |\n| 2 | First visits |" in body
    assert "![The induction week as a timeline](supervising-agency-staff-1.png)" in body
    assert (page_file.parent / "supervising-agency-staff-1.png").read_bytes() == png()
    assert "*ask questions*[^1]" in body and body.endswith("\n[^1]: Standards for employers of social workers, 2020.\n")
    assert "every four weeks" in body and "monthly" not in body


def test_what_could_not_be_converted_is_said(imported: tuple[SiteFolder, Result, Path]) -> None:
    _, result, _ = imported
    notes = [line for line in result.stderr.splitlines() if "could not convert" in line]
    assert any("1 comment in Word not imported" in line for line in notes)
    assert any("tracked changes (1 inserted, 1 deleted)" in line for line in notes)
    assert any("supervising-agency-staff-2.png has no alt text" in line for line in notes)
    assert "Is this number right?" not in result.stderr + result.stdout   # comments are not echoed


def test_the_result_goes_through_every_check(imported: tuple[SiteFolder, Result, Path]) -> None:
    site, result, page_file = imported
    assert result.status == 1
    assert "content/imported/supervising-agency-staff.md:" in result.stderr
    assert "UK phone number" in result.stderr and REAL_LOOKING_PHONE not in result.stderr
    check = site.toolkit("check")
    assert check.status == 1 and "UK phone number" in check.stdout


def test_once_fixed_the_imported_page_builds(imported: tuple[SiteFolder, Result, Path]) -> None:
    site, _, page_file = imported
    text = page_file.read_text(encoding="utf-8").replace(REAL_LOOKING_PHONE, "020 7946 0123")
    page_file.write_text(text.replace("![](supervising-agency-staff-2.png)",
                                      "![A second copy of the timeline](supervising-agency-staff-2.png)"),
                         encoding="utf-8")
    page_file.write_text(page_file.read_text().replace("status: draft", "status: published"))
    built = site.toolkit("build")
    assert built.status == 0, built.stderr[-2000:]
    html = BeautifulSoup((site.folder / "_build/html/supervising-agency-staff.html").read_text(), "html.parser")
    article = html.find("article") or html
    assert [li.get_text(" ", strip=True) for li in article.select("ul ul > li")] == [
        "Shadow a duty worker", "Read the case notes policy"]
    assert article.find("table").find("th").get_text(strip=True) == "Week"
    image = article.find("img", alt="The induction week as a timeline")
    assert image is not None and (site.folder / "_build/html" / image["src"]).is_file()
    assert article.select_one("aside.footnote, .footnote-list, .footnote") is not None


def test_a_file_that_is_not_a_word_document_is_refused_in_plain_words(small_site: SiteFolder) -> None:
    fake = small_site.folder / "notes.docx"
    fake.write_text("not really a Word file")
    result = small_site.toolkit("import", str(fake))
    assert result.status == 1
    assert "not a Word document that can be read" in result.stderr and "save it again as .docx" in result.stderr
    old = small_site.toolkit("import", str(small_site.folder / "old.doc"))
    assert old.status == 2 and "save it as Word Document (.docx)" in old.stderr
    assert "Traceback" not in result.stderr + old.stderr


def test_the_title_style_or_property_names_the_page_and_headings_move_under_it(tmp_path: Path) -> None:
    from toolkit.commands.word_import import convert_docx
    document = Document()
    document.add_heading("Duty policy", level=0)            # Word's Title style
    document.add_paragraph("What the duty team does each day.")
    document.add_heading("Mornings", level=1)
    document.add_heading("Handover", level=2)
    document.save(tmp_path / "styled.docx")
    styled = convert_docx(tmp_path / "styled.docx", lambda title: "duty")
    assert (styled.title, styled.summary) == ("Duty policy", "What the duty team does each day.")
    assert "## Mornings\n" in styled.body and "### Handover\n" in styled.body and "Duty policy" not in styled.body
    document = Document()
    document.core_properties.title = "Referral guidance"
    document.add_paragraph(("A long opening sentence that goes on. " * 12).strip())
    document.save(tmp_path / "property.docx")
    titled = convert_docx(tmp_path / "property.docx", lambda title: "referral")
    assert titled.title == "Referral guidance"
    assert len(titled.summary) <= 300 and titled.summary.endswith("…")


def test_a_page_imported_outside_the_content_roots_is_not_passed_as_checked(small_site: SiteFolder) -> None:
    document = Document()
    document.add_heading("Duty policy", level=1)
    document.add_paragraph("What the duty team does.")
    document.save(small_site.folder / "duty.docx")
    result = small_site.toolkit("import", str(small_site.folder / "duty.docx"), "--root",
                                str(small_site.folder / "elsewhere"))
    assert result.status == 1 and "is not one of this site's content roots" in result.stderr
    assert (small_site.folder / "elsewhere" / "duty-policy.md").is_file()
