"""The shipped diagram pages in a real browser: chronology filters by keyboard alone with
the count announced, every drawn diagram named for screen readers with its text
equivalent beside it, and the genogram fitting an A4 page when printed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.test_selfassessment_browser import tab_to

A4_PRINTABLE_CSS_PX = (210 - 2 * 10) / 25.4 * 96  # A4 less Chromium's default 10 mm margins


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    yield context.new_page()
    context.close()


def visible_rows(page) -> list[str]:
    return page.locator(".tk-chron-table tbody tr:not([hidden])").evaluate_all(
        "rows => rows.map(r => r.dataset.significance + '|' + r.dataset.source)")


def test_chronology_filters_work_by_keyboard_and_announce_the_count(served_site: str, tab) -> None:
    tab.goto(served_site + "chronologies.html")
    block = tab.locator("[data-tk-chronology]").first
    total = block.locator("tbody tr").count()
    count = block.locator(".tk-chron-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_text(f"Showing {total} of {total} entries")

    tab_to(tab, "e.matches('select[data-filter=significance]')")
    tab.keyboard.press("ArrowDown")  # All -> High
    rows = visible_rows(tab)
    assert rows and all(r.startswith("high|") for r in rows)
    assert len(rows) < total
    expect(count).to_have_text(f"Showing {len(rows)} of {total} entries")

    tab_to(tab, "e.matches('select[data-filter=source]')")
    tab.keyboard.press("End")  # the last source, e.g. Primary school or Police
    source = tab.evaluate("document.activeElement.value")
    both = visible_rows(tab)
    assert all(r == f"high|{source}" for r in both)
    expect(count).to_have_text(f"Showing {len(both)} of {total} entries")

    tab.keyboard.press("Shift+Tab")  # back to significance: the labels take no focus
    assert tab.evaluate("document.activeElement.dataset.filter") == "significance"
    tab.keyboard.press("Home")  # All again
    assert all(r.endswith(f"|{source}") for r in visible_rows(tab))
    tab_to(tab, "e.matches('select[data-filter=source]')")
    tab.keyboard.press("Home")
    assert len(visible_rows(tab)) == total
    expect(count).to_have_text(f"Showing {total} of {total} entries")


@pytest.mark.parametrize("page_id, kind", [("genograms", "genogram"), ("eco-maps", "eco-map"),
                                           ("timelines", "timeline")])
def test_each_diagram_is_a_named_image_with_its_text_beside_it(served_site: str, tab,
                                                               page_id: str, kind: str) -> None:
    tab.goto(served_site + f"{page_id}.html")
    diagrams = tab.locator(f".tk-diagram.tk-{kind}")
    assert diagrams.count() >= 1
    for i in range(diagrams.count()):
        diagram = diagrams.nth(i)
        svg = diagram.locator("svg")
        expect(svg).to_have_attribute("role", "img")
        title = svg.locator("title").text_content()
        assert title and title.strip()
        desc = svg.locator("desc").text_content() or ""
        # named by its title and description together (aria-labelledby names both)
        expect(svg).to_have_accessible_name(re.compile(re.escape(title.strip()) + ".+" + re.escape(desc[:40])))
        items = diagram.locator(".tk-diagram-text li")
        assert items.count() >= 3
        expect(items.first).to_be_visible()


def test_genogram_fits_a4_width_when_printed(served_site: str, browser) -> None:
    """Laid out as Chromium prints A4 (page width less margins), each genogram is scaled
    to the text column, not clipped or pushing the page sideways; the PDF then renders."""
    width = int(A4_PRINTABLE_CSS_PX)
    context = browser.new_context(viewport={"width": width, "height": 1100})
    tab = context.new_page()
    tab.goto(served_site + "genograms.html")
    tab.emulate_media(media="print")
    boxes = tab.locator(".tk-genogram svg").evaluate_all(
        "els => els.map(e => [e.getBoundingClientRect().left, e.getBoundingClientRect().right,"
        " e.viewBox.baseVal.width])")
    assert boxes
    for left, right, drawn in boxes:
        assert 0 <= left < right <= width, (left, right)
        assert right - left <= drawn + 1  # drawn at its size or scaled down to the column, never cut
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    pdf = tab.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    context.close()
