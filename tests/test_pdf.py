"""`toolkit build --pdf`, opened as a reader would open the PDF: its text in the listing's order,
contents page numbers that match, links that land inside it, and the print warning on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from tests.conftest import SMALL_SITE, SiteFolder, page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    import shutil

    folder = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(SMALL_SITE, folder)
    built = SiteFolder(folder)
    built.write("another-skill.md", page(
        "another-skill", kind="skill", title="Analysing risk", audience="[practitioner]", topics="[assessment]",
        maps_to="[KSS-PS-2]", body="Read the {doc}`genograms` page first, then the [external guide](https://www.gov.uk/).\n\n"
        "## Weighing it up\n\nWeigh strengths against worries."))
    result = built.toolkit("build", "--pdf")
    assert result.status == 0, result.stdout + result.stderr
    return built


def reader(site: SiteFolder, name: str) -> pypdf.PdfReader:
    return pypdf.PdfReader(site.folder / "_build/html/pdf" / name)


def page_texts(pdf: pypdf.PdfReader) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in pdf.pages]


def test_each_section_and_the_whole_site_have_a_pdf_linked_with_its_size(site: SiteFolder) -> None:
    out = site.folder / "_build/html"
    assert sorted(p.name for p in (out / "pdf").glob("*.pdf")) == ["resources.pdf", "skills.pdf", "toolkit.pdf"]
    section = (out / "sections/skills.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="toolkit-pdf-link" href="../pdf/skills.pdf">Download this section \(PDF, (\d+) KB\)',
                     section)
    assert link and abs(int(link.group(1)) - (out / "pdf/skills.pdf").stat().st_size / 1024) <= 1


def test_the_pdf_holds_every_section_page_in_order_with_contents_page_numbers(site: SiteFolder) -> None:
    pdf = reader(site, "toolkit.pdf")
    texts = page_texts(pdf)
    assert "Testshire Council" in texts[0] and "Testshire Practice Toolkit" in texts[0]
    contents = pdf.pages[1].extract_text().splitlines()
    listed = [found.groups() for line in contents if (found := re.match(r"^(\S.*?)\s*\.{3,}\s*(\d+)$", line.strip()))]
    assert [title for title, _ in listed] == ["Analysing risk", "Genograms", "Reflective supervision"]
    for title, number in listed:   # the page the contents names starts with that page's title
        assert texts[int(number) - 1].find(title) >= 0, (title, number)
    assert texts.index(next(t for t in texts if "Analysing risk" in t and "Weigh strengths" in t)) < \
        texts.index(next(t for t in texts if "A genogram shows who is in a family" in t))
    for text in texts:
        assert "Uncontrolled when printed" in text and "22 November 2026" in text


def test_summaries_and_review_dates_are_in_the_pdf(site: SiteFolder) -> None:
    text = " ".join(page_texts(reader(site, "skills.pdf")))
    assert "Drawing a family tree that shows relationships as well as relatives." in text
    assert "Next review" in text and "1 September 2027" in text


def test_links_between_pages_land_inside_the_pdf(site: SiteFolder) -> None:
    pdf = reader(site, "skills.pdf")
    targets = []
    for pdf_page in pdf.pages:
        for annotation in pdf_page.get("/Annots") or []:
            link = annotation.get_object()
            action = link.get("/A")
            if action and action.get("/URI"):
                targets.append(("uri", str(action["/URI"])))
            elif link.get("/Dest") is not None:
                destination = link["/Dest"]
                named = pdf.named_destinations.get(str(destination)) if isinstance(destination, str) else None
                landing = pdf.get_destination_page_number(named) if named else \
                    pdf.get_page_number(destination[0].get_object())
                targets.append(("page", landing))
    assert ("uri", "https://www.gov.uk/") in targets
    internal = [landing for kind, landing in targets if kind == "page"]
    genograms = next(i for i, t in enumerate(page_texts(pdf)) if "A genogram shows who is in a family" in t)
    assert genograms in internal   # "Read the Genograms page first" and the contents lead there


def test_a_build_without_pdf_publishes_none(site: SiteFolder, tmp_path: Path) -> None:
    result = site.toolkit("build")
    assert result.status == 0
    out = site.folder / "_build/html"
    assert not (out / "pdf").exists()
    assert "toolkit-pdf-link" not in (out / "sections/skills.html").read_text(encoding="utf-8")
