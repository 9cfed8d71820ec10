"""Template pages as files to fill in, and the workload calculator, as a council would meet them.

One small site is built for the module: a template page and a workload tariff in the shipped-like
root, and an organisation's overlay replacing both. The Word and OpenDocument files are opened with
python-docx and odfpy; the calculator is driven by keyboard in Chromium.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from tests.conftest import SMALL_SITE, SiteFolder, page, serving
from tests.test_accessibility import axe_violations, describe

RESOURCE = {"kind": "resource", "resource_type": "template", "audience": "[practice-supervisor]",
            "topics": "[supervision]", "maps_to": "[KSS-PS-1]"}
FORM_BODY = """Use this with {{doc}}`reflective-supervision`. Written for {{site}}`organisation`.

## {section}

Fill in each part **before** the session:

- what the worker wants to discuss
- what went well
  - and what did not

```{{list-table}}
:header-rows: 1
:widths: 30 70

* - Part
  - Record
* - Date and attendees
  - &nbsp;
* - Decisions and reasons
  - &nbsp;
```

1. Agree the actions.
2. Sign the record.

## After the session

1. File the record.

```{{note}}
Keep a copy *each*.
```
"""
SHIPPED_TARIFF = """id: team-tariff
title: Team tariff
capacity: 60
items:
  - {id: cp, label: Child protection plan, points: 5, type: case}
  - {id: duty, label: Duty day, points: 4, type: duty, note: per week}
"""
LOCAL_TARIFF = """id: team-tariff
title: Testshire tariff
capacity: 40
items:
  - {id: cp, label: Child protection plan, points: 6, type: case}
  - {id: court, label: Court work, points: 2.5, type: case}
  - {id: duty, label: Duty day, points: 3, type: duty, note: per week}
"""
CALCULATOR_PAGE = "Check an allocation.\n\n```{workload-calculator} team-tariff\n```\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("templates") / "site"
    shutil.copytree(SMALL_SITE, folder)
    site = SiteFolder(folder)
    settings = site.settings.read_text().replace("content: [content]", "content: [content, local]")
    site.settings.write_text(settings)
    site.write("forms/supervision-form.md", page("supervision-form", FORM_BODY.format(section="Shipped parts"),
                                                  title="Supervision form", **RESOURCE))
    site.write("tariffs/team.yaml", SHIPPED_TARIFF)
    site.write("workload.md", page("workload", CALCULATOR_PAGE, title="Workload calculator"))
    local = folder / "local"
    (local / "tariffs").mkdir(parents=True)
    (local / "tariffs" / "ours.yaml").write_text(LOCAL_TARIFF)
    (local / "supervision-form.md").write_text(
        page("supervision-form", FORM_BODY.format(section="Testshire parts"), title="Supervision form", **RESOURCE))
    result = site.toolkit("build")
    assert result.status == 0, result.stdout + result.stderr[-3000:]
    return folder / "_build" / "html"


@pytest.fixture(scope="module")
def served(built: Path):
    with serving(built) as url:
        yield url


def _editable_links(html: Path) -> dict[str, tuple[str, str]]:
    """Link text -> (address, the details after it) in the page's "Download to fill in" section."""
    soup = BeautifulSoup((html / "supervision-form.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.find(id="editable-template").parent
    return {a.get_text(): (a["href"], a.next_sibling.strip()) for a in section.find_all("a", href=True)
            if not a["href"].startswith("#")}


def test_a_template_page_offers_word_and_opendocument_files_labelled_like_downloads(built: Path):
    links = _editable_links(built)
    assert set(links) == {"Download as Word document (.docx)", "Download as OpenDocument text (.odt)"}
    for address, details in links.values():
        file = built / address
        assert file.is_file() and file.stat().st_size > 1000
        assert details.startswith(f"({file.name}, ") and details.endswith(" KB)")
    # The page without the links is the printable template: print hides them.
    assert ".toolkit-editable" in (built / "_static" / "print.css").read_text()


def _docx(built: Path):
    import docx
    return docx.Document(str(built / "_downloads" / "editable" / "supervision-form.docx"))


def test_the_word_file_has_the_overlays_headings_lists_and_a_table_to_fill_in(built: Path):
    document = _docx(built)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert paragraphs[0] == ("Title", "Supervision form")
    assert ("Heading 1", "Testshire parts") in paragraphs          # the overlay's page, not the shipped one
    assert all("Shipped parts" not in text for _, text in paragraphs)
    assert ("List Bullet", "what the worker wants to discuss") in paragraphs
    assert ("List Bullet 2", "and what did not") in paragraphs
    assert ("List Number", "Agree the actions.") in paragraphs
    numbers = {p.text: p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style.name == "List Number"}
    assert numbers["Agree the actions."] == numbers["Sign the record."] != numbers["File the record."]  # from 1 again
    assert ("Normal", "Use this with Reflective supervision. Written for Testshire Council.") in paragraphs
    assert paragraphs[-2:] == [("Normal", "Note"), ("Normal", "Keep a copy each.")]
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert "before" in bold and "Note" in bold
    assert [run.text for p in document.paragraphs for run in p.runs if run.italic] == ["each"]
    # Nothing the toolkit adds around a page (facts, related pages, history) is in the file.
    assert not any(text in ("Related pages", "Download to fill in") for _, text in paragraphs)
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [["Part", "Record"], ["Date and attendees", ""], ["Decisions and reasons", ""]]
    assert table.style.name == "Table Grid"                       # bordered boxes to write in
    assert table.rows[1].height is not None and table.rows[1].height.cm >= 1.5
    properties = document.core_properties
    assert (properties.author, properties.last_modified_by, properties.created.date().isoformat()) == \
        ("Testshire Council", "", "2026-09-01")   # the organisation and the page's review, nothing of the build
    # No preview picture of another (blank) document for a file manager to show, nothing else unused.
    with zipfile.ZipFile(built / "_downloads" / "editable" / "supervision-form.docx") as file:
        assert not [name for name in file.namelist() if "thumbnail" in name or "customXml" in name
                    or "stylesWithEffects" in name]


def test_the_opendocument_file_has_the_same_headings_lists_and_table(built: Path):
    from odf import opendocument, table, text
    from odf.element import Element

    document = opendocument.load(str(built / "_downloads" / "editable" / "supervision-form.odt"))

    def words(element: Element) -> str:
        return "".join(str(node) if node.nodeType == node.TEXT_NODE else words(node) for node in element.childNodes)

    headings = [(h.getAttribute("outlinelevel"), words(h)) for h in document.getElementsByType(text.H)]
    assert headings == [("1", "Supervision form"), ("2", "Testshire parts"), ("2", "After the session")]
    lists = [[words(item) for item in element.childNodes] for element in document.text.childNodes
             if element.qname == (text.List().qname)]
    assert lists == [["what the worker wants to discuss", "what went welland what did not"],
                     ["Agree the actions.", "Sign the record."], ["File the record."]]
    (form,) = document.getElementsByType(table.Table)
    rows = [[words(cell) for cell in row.getElementsByType(table.TableCell)]
            for row in form.getElementsByType(table.TableRow)]
    assert rows == [["Part", "Record"], ["Date and attendees", ""], ["Decisions and reasons", ""]]
    assert len(form.getElementsByType(table.TableHeaderRows)) == 1   # repeated on each printed page


def test_without_javascript_the_calculator_is_the_overlays_tariff_as_a_table(built: Path):
    soup = BeautifulSoup((built / "workload.html").read_text(encoding="utf-8"), "html.parser")
    calculator = soup.select_one(".tk-wl")
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"]) if not cell.has_attr("hidden")]
            for row in calculator.select("tbody tr")]
    assert rows == [["Child protection plan", "6"], ["Court work", "2.5"], ["Duty day (per week)", "3"]]
    assert "capacity: 40 points" in calculator.get_text(" ", strip=True)
    shown = [element for element in calculator.select("input, button, .tk-wl-total")
             if not element.has_attr("hidden") and element.find_parent(attrs={"hidden": True}) is None]
    assert shown == []   # no box that would do nothing without the script
    assert soup.select_one("script[src*='workload.js']") is not None
    other = BeautifulSoup((built / "supervision-form.html").read_text(encoding="utf-8"), "html.parser")
    assert other.select_one("script[src*='workload.js']") is None   # only where a calculator is


def test_the_calculator_totals_the_overlays_tariff_by_keyboard_and_sends_nothing(served: str, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)
    browser_page = context.new_page()
    requests: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    browser_page.goto(served + "workload.html")
    browser_page.focus("#tk-wl-team-tariff-hours")
    browser_page.keyboard.press("Control+A")
    browser_page.keyboard.type("75")                         # capacity 40 x 75% = 30
    for field, count in (("cp", "3"), ("court", "2"), ("duty", "1")):
        browser_page.keyboard.press("Tab")
        assert browser_page.evaluate("document.activeElement.id") == f"tk-wl-team-tariff-{field}"
        browser_page.keyboard.press("Control+A")
        browser_page.keyboard.type(count)
    total = browser_page.locator(".tk-wl-total")
    assert total.get_attribute("role") == "status"
    # 3 x 6 + 2 x 2.5 + 1 x 3 = 26 of 30
    assert total.inner_text() == "Total: 26 of 30 points (87 per cent of capacity). 4 points left."
    assert browser_page.locator("label[for='tk-wl-team-tariff-court']").inner_text() == "How many: Court work"
    browser_page.fill("#tk-wl-team-tariff-cp", "4")
    assert total.inner_text() == "Total: 32 of 30 points (107 per cent of capacity). Over capacity by 2 points."
    browser_page.fill("#tk-wl-team-tariff-hours", "0")
    assert total.inner_text().startswith("Hours taken as full time: enter a percentage from 1 to 100. Total: 32 of 40")
    browser_page.emulate_media(media="print")                 # printed for supervision: figures, no buttons
    assert total.is_visible() and browser_page.input_value("#tk-wl-team-tariff-cp") == "4"
    assert not browser_page.locator(".tk-wl-clear").is_visible()
    browser_page.emulate_media(media="screen")
    browser_page.click(".tk-wl-clear")
    assert total.inner_text() == "Total: 0 of 40 points (0 per cent of capacity). 40 points left."
    assert {urlparse(address).netloc for address in requests} == {urlparse(served).netloc}
    assert browser_page.evaluate("localStorage.length + sessionStorage.length") == 0
    # as a reader arrives: no sticky header over the links
    browser_page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    violations = axe_violations(browser_page)      # light, desktop; dark and 320 px below
    assert not violations, describe(violations)
    context.close()


@pytest.mark.parametrize(("scheme", "width"), [("dark", 1024), ("light", 320)])
def test_the_calculator_is_accessible(served: str, browser, scheme: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme,
                                  bypass_csp=True)
    browser_page = context.new_page()
    browser_page.goto(served + "workload.html")
    violations = axe_violations(browser_page)   # as a reader arrives
    assert not violations, describe(violations)
    browser_page.fill("#tk-wl-team-tariff-court", "2")   # the live total shown: still no sideways scroll
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_tariff_and_calculator_mistakes_are_named_with_file_line_and_fix(small_site: SiteFolder):
    small_site.write("tariffs/bad.yaml", "id: bad\ntitle: Bad\ncapacity: 0\nitems:\n"
                     "  - {id: a, label: A, points: three, type: case}\n"
                     "  - {id: b, label: Call 07911 123456, points: 2, type: job}\n"
                     "  - {id: c, label: C, points: 1, type: duty}\n"
                     "  - {id: c, label: D, points: 1, type: duty}\n")
    small_site.write("tariffs/empty.yaml", "")
    small_site.write("tariffs/good.yaml", "id: team-tariff\ntitle: T\ncapacity: 60\nitems:\n"
                     "  - {id: a, label: A, points: 1, type: case}\n")
    small_site.write("tariffs/again.yaml", "id: team-tariff\ntitle: T\ncapacity: 50\nitems:\n"
                     "  - {id: a, label: A, points: 1, type: case}\n")
    small_site.write("calc.md", page("calc", "Intro.\n\n```{workload-calculator} team-tarif\n```\n\n"
                                             "```{workload-calculator}\n```\n\n"
                                             "```{workload-calculator} team-tariff\n- Court work: 3\n```\n\n"
                                             "````markdown\n```{workload-calculator} an-example\n```\n````\n"))
    result = small_site.toolkit("check")
    assert result.status == 1 and "Traceback" not in result.stderr
    out = result.stdout
    assert "content/tariffs/good.yaml:1: error: tariff id 'team-tariff' is also used by " \
           "content/tariffs/again.yaml" in out
    assert "content/tariffs/empty.yaml:1: error: the tariff should be a set of key: value fields, found nothing" in out
    assert "content/tariffs/bad.yaml:3: error: capacity 0 should be more than 0" in out
    assert "content/tariffs/bad.yaml:5: error: points should be a number from 0 to 1000, found 'three'" in out
    assert "content/tariffs/bad.yaml:6: error: 'type' cannot be 'job'" in out
    assert "content/tariffs/bad.yaml:8: error: item id 'c' is used twice (first on line 7)" in out
    assert "content/calc.md:14: error: tariff: 'team-tarif' is not a known workload tariff; " \
           "did you mean 'team-tariff'?" in out
    assert "content/calc.md:17: error: {workload-calculator} needs a tariff id" in out
    assert "content/calc.md:21: error: {workload-calculator} takes no text" in out
    assert "an-example" not in out   # shown in a code block, not used
    assert any(line.startswith("content/tariffs/bad.yaml:6:") and "phone" in line.lower()
               for line in out.splitlines()), out


def test_the_authoring_reference_documents_templates_and_the_tariff_format(built: Path):
    soup = BeautifulSoup((built / "authoring-reference.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(" ", strip=True).rstrip("# ") for h in soup.find_all(["h2", "h3"])]
    assert {"Templates to fill in", "Workload tariffs", "Each of its items"} <= set(headings), headings
    tariff_table = soup.find(id="workload-tariffs").find_next("table")
    fields = [row.find("td").get_text(strip=True) for row in tariff_table.select("tbody tr")]
    assert fields == ["id", "title", "capacity", "items"]
