"""Files authors attach (issue 20): `templates:` renders a download list with type and size through
the same download mechanism as `{download}`, on resource pages too; an image without alt text is a
warning; the text of CSV, TXT, Word and Excel attachments goes through the personal-data check."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from bs4 import BeautifulSoup
from conftest import SMALL_SITE, SiteFolder, page
from docx import Document
from test_word_import import png

CSV = "date,source,event\n2026-01-01,School,Attended well\n"


def word_file(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def excel_file(rows: list[list[str]]) -> bytes:
    """A minimal real .xlsx: shared strings and one sheet, as Excel writes them."""
    strings = [cell for row in rows for cell in row]
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    sheet_rows, index = "", 0
    for number, row in enumerate(rows, 1):
        cells = ""
        for column, _ in enumerate(row):
            cells += f'<c r="{"ABCDEFGH"[column]}{number}" t="s"><v>{index}</v></c>'
            index += 1
        sheet_rows += f'<row r="{number}">{cells}</row>'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets><sheet name="Plan" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">{shared}</sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{sheet_rows}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


RECORD = word_file("Supervision record", "Date of supervision:", "Actions agreed:")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    """One build of the small site with a resource page and a skill page that offer downloads."""
    site = SiteFolder(tmp_path_factory.mktemp("attachments") / "site")
    shutil.copytree(SMALL_SITE, site.folder)
    site.write("leading/forms/supervision-record.docx", RECORD)
    site.write("leading/forms/blank-form.txt", "Name of team:\nDate:\n")
    site.write("guides/templates/chronology.csv", CSV)
    resource = page("supervision-record", "Print {download}`the blank form <forms/blank-form.txt>` too.\n\n"
                    "![A supervision record, filled in](forms/example.png)", kind="resource",
                    resource_type="template", audience="[practitioner]", topics="[assessment]",
                    maps_to="[KSS-PS-2]", templates="[forms/supervision-record.docx, forms/blank-form.txt]")
    site.write("leading/supervision-record.md", resource)
    site.write("leading/forms/example.png", png())
    skill = (site.content / "guides" / "genograms.md").read_text(encoding="utf-8").replace(
        "status: published", "templates: [templates/chronology.csv]\nstatus: published")
    site.write("guides/genograms.md", skill)
    result = site.toolkit("build", "-j", "1")
    assert result.status == 0, result.stderr[-3000:]
    return site


def _html(site: SiteFolder, name: str) -> BeautifulSoup:
    return BeautifulSoup((site.folder / "_build/html" / name).read_text(encoding="utf-8"), "html.parser")


def downloads(html: BeautifulSoup) -> BeautifulSoup | None:
    """The page's Downloads section (its anchor sits on its heading)."""
    heading = html.find(id="page-downloads")
    return heading.find_parent("section") if heading else None


def test_a_resource_page_lists_its_templates_with_type_and_size(built: SiteFolder) -> None:
    section = downloads(_html(built, "supervision-record.html"))
    assert section is not None and section.find("h2").get_text(strip=True).startswith("Downloads")
    items = [li.get_text(" ", strip=True) for li in section.find_all("li")]
    assert items == [f"supervision-record.docx (Word document, {round(len(RECORD) / 1024)} KB)",
                     "blank-form.txt (text file, 20 bytes)"]
    out = built.folder / "_build/html"
    for link, original in zip(section.select("li a"), (RECORD, b"Name of team:\nDate:\n"), strict=True):
        assert link["href"].startswith("_downloads/") and (out / link["href"]).read_bytes() == original


def test_templates_and_the_download_role_share_one_mechanism(built: SiteFolder) -> None:
    html = _html(built, "supervision-record.html")
    listed = downloads(html).select("li a")[1]["href"]
    role = next(a["href"] for a in html.select("article a.download") if a.get_text(" ", strip=True) == "the blank form")
    assert role == listed


def test_a_skill_page_lists_its_templates(built: SiteFolder) -> None:
    section = downloads(_html(built, "genograms.html"))
    assert [li.get_text(" ", strip=True) for li in section.find_all("li")] == [
        f"chronology.csv (CSV spreadsheet, {len(CSV)} bytes)"]


def test_an_image_without_alt_text_is_a_warning(small_site: SiteFolder) -> None:
    small_site.write("images/key.png", png())
    small_site.write("a.md", page("a", "![](images/key.png)\n\n```{figure} images/key.png\n:width: 200px\n```\n\n"
                                  "![The key to the symbols](images/key.png)\n\n"
                                  "```\n![](code-is-not-checked.png)\n```"))
    result = small_site.toolkit("check")
    assert result.status == 0
    warnings = [line for line in result.stdout.splitlines() if "has no alt text" in line]
    assert [w.split(": warning")[0] for w in warnings] == ["content/a.md:12", "content/a.md:14"]
    assert "![What the image shows](images/key.png)" in warnings[0] and ":alt:" in warnings[1]
    assert small_site.toolkit("check", "--strict").status == 1


@pytest.mark.parametrize(("name", "content", "where"), [
    ("contacts.csv", "name,phone\nA,020 7123 4567\n", "(line 2)"),
    ("notes.txt", "Case notes\nNHS number 943 476 5919\n", "(line 2)"),
    ("record.docx", word_file("Supervision record", "Call mum on 07123 456789"), "(paragraph 2)"),
    ("plan.xlsx", excel_file([["Name", "Postcode"], ["A", "SW1A 1AA"]]), "(sheet 'Plan', row 2)"),
])
def test_attachments_go_through_the_personal_data_check(small_site: SiteFolder, name: str, content: str | bytes,
                                                        where: str) -> None:
    small_site.write(f"forms/{name}", content)
    result = small_site.toolkit("check")
    assert result.status == 1
    line = next(line for line in result.stdout.splitlines() if line.startswith(f"content/forms/{name}:"))
    assert "error:" in line and where in line and "personal_data_allow in the settings" in line
    for real in ("020 7123 4567", "943 476 5919", "07123 456789", "SW1A 1AA"):
        assert real not in result.stdout


def zipped(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
          + ']><w:document xmlns:w="w"><w:p><w:t>&j;</w:t></w:p></w:document>')


def test_hostile_attachments_are_refused_at_once_with_a_plain_error(small_site: SiteFolder) -> None:
    """A zip bomb (60 MB of XML in 60 KB), a billion-laughs entity bomb and 40,000 unclosed tags (which
    took minutes as patterns) each get one plain error; an inline-string cell is still read."""
    small_site.write("forms/bomb.docx", zipped({"word/document.xml": " " * 60_000_000}))
    small_site.write("forms/laughs.docx", zipped({"word/document.xml": LAUGHS}))
    small_site.write("forms/unclosed.xlsx", zipped({"xl/worksheets/sheet1.xml": "<row>" + "<c" * 40_000}))
    small_site.write("forms/inline.xlsx", zipped({"xl/worksheets/sheet1.xml": '<worksheet><sheetData><row>'
                                                  '<c t="inlineStr"><is><t>Call 07123 456789</t></is></c>'
                                                  "</row></sheetData></worksheet>"}))
    result = small_site.toolkit("check", timeout=60)
    assert "Traceback" not in result.stderr
    mine = {line.split(":")[0]: line for line in result.stdout.splitlines() if line.startswith("content/forms/")}
    assert sorted(mine) == [f"content/forms/{name}" for name in ("bomb.docx", "inline.xlsx", "laughs.docx",
                                                                  "unclosed.xlsx")], result.stdout
    assert "unzipped, the file would be 60,000,000 bytes" in mine["content/forms/bomb.docx"]
    assert "[file-too-big]" in mine["content/forms/bomb.docx"]
    for name in ("laughs.docx", "unclosed.xlsx"):
        assert "cannot be opened to check it for personal data" in mine[f"content/forms/{name}"]
    assert "(sheet 1, row 1)" in mine["content/forms/inline.xlsx"] and "07123 456789" not in result.stdout


def test_fictional_attachments_pass(small_site: SiteFolder) -> None:
    small_site.write("forms/contacts.csv", "name,phone\nDuty desk,020 7946 0123\n")
    small_site.write("forms/record.docx", word_file("Email psw@anytown.example", "NHS number 999 123 4567"))
    small_site.write("forms/broken.docx", b"not a zip")
    result = small_site.toolkit("check")
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == ["content/forms/broken.docx:1"]
    assert "cannot be opened to check it for personal data" in result.stdout
