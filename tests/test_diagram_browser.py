"""The shipped diagram pages in a real browser: chronology filters by keyboard alone with
the count announced, every drawn diagram named for screen readers with its text
equivalent beside it, export with and without JavaScript, and the genogram fitting an A4
page (landscape, a page of its own) when printed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.test_selfassessment_browser import tab_to

A4_PRINTABLE_CSS_PX = (210 - 2 * 10) / 25.4 * 96  # A4 less Chromium's default 10 mm margins
A4_LANDSCAPE_CSS_PX = ((297 - 2 * 10) / 25.4 * 96, (210 - 2 * 10) / 25.4 * 96)


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


def test_genogram_keeps_its_size_on_a_phone_and_scrolls_by_keyboard(served_site: str, browser) -> None:
    """At 390 px the genogram is not shrunk (its text stays at least 12 px): it scrolls
    sideways inside a labelled region that takes focus and answers the arrow keys."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(served_site + "genograms.html")
    canvas = tab.locator(".tk-genogram .tk-diagram-canvas").first
    expect(canvas).to_have_attribute("role", "region")
    expect(canvas).to_have_attribute("tabindex", "0")
    expect(canvas).to_have_accessible_name(re.compile("scrolls sideways"))
    drawn, natural = canvas.locator("svg").evaluate(
        "s => [s.getBoundingClientRect().width, s.viewBox.baseVal.width]")
    assert abs(drawn - natural) < 1
    smallest = canvas.locator("svg").evaluate(
        "s => Math.min(...[...s.querySelectorAll('text')].filter(t => !t.closest('.tk-legend-symbol'))"
        ".map(t => t.getBoundingClientRect().height ? parseFloat(getComputedStyle(t).fontSize) : 99))")
    assert smallest >= 12
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself does not
    assert canvas.evaluate("c => c.scrollWidth > c.clientWidth")
    canvas.focus()
    for _ in range(5):
        tab.keyboard.press("ArrowRight")
    tab.wait_for_function("c => c.scrollLeft > 0", arg=canvas.element_handle())
    context.close()


def test_svg_download_and_full_size_view_work_without_javascript(served_site: str, browser) -> None:
    """With scripting off, "Download SVG" is a link to the built drawing (standalone, black on
    white, with its title) and "View full size" a page of its own with the text equivalent;
    only "Download PNG" needs the script, so it is not offered."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True,
                                  java_script_enabled=False)
    tab = context.new_page()
    tab.goto(served_site + "eco-maps.html")
    bar = tab.locator(".tk-eco-map figure").first.locator(".tk-diagram-actions")
    expect(bar).to_have_attribute("role", "group")
    expect(bar.get_by_role("button", name="Download PNG")).to_have_count(0)
    with tab.expect_download() as svg_download:
        bar.get_by_role("link", name="Download SVG").click()
    svg_text = svg_download.value.path().read_text(encoding="utf-8")
    named = tab.locator(".tk-eco-map figure").first.get_attribute("data-tk-export")
    assert svg_download.value.suggested_filename == f"{named}.svg"   # from the diagram's title
    assert svg_text.startswith("<?xml") and "<title" in svg_text and 'fill="#fff"' in svg_text
    import xml.etree.ElementTree as ET
    root = ET.fromstring(svg_text.split("?>", 1)[1])
    assert root.get("width") and root.get("color") == "#000"
    title = root.find("{http://www.w3.org/2000/svg}title").text
    bar.get_by_role("link", name="View full size").click()
    tab.wait_for_load_state()
    assert tab.title() == f"{title} (full size)"
    image = tab.get_by_role("img")
    assert image.evaluate("i => i.complete && i.naturalWidth") == round(float(root.get("width")))
    assert tab.locator(".tk-diagram-text li").count() >= 5   # the systems, listed
    tab.get_by_role("link", name="Back to the page").click()
    assert tab.url == served_site + "eco-maps.html"
    context.close()


def test_png_download_is_made_in_the_browser(served_site: str, browser) -> None:
    """"Download PNG" draws the page's SVG at twice its size: no request leaves for anywhere else."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(served_site + "eco-maps.html")
    bar = tab.locator(".tk-eco-map figure").first.locator(".tk-diagram-actions")
    loaded = len(requests)
    with tab.expect_download() as png_download:
        bar.get_by_role("button", name="Download PNG").click()
    data = png_download.value.path().read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    natural = tab.locator(".tk-eco-map svg").first.evaluate("s => s.viewBox.baseVal.width")
    assert int.from_bytes(data[16:20], "big") == round(2 * natural)  # sharp in print
    assert all(url.startswith((served_site, "data:")) for url in requests[loaded:]), requests
    context.close()


def pdf_page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's (width, height) in points: A4 portrait is (595, 842)."""
    import io

    from pypdf import PdfReader
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in PdfReader(io.BytesIO(pdf)).pages]


def test_printed_genograms_have_landscape_pages_of_their_own(served_site: str, browser) -> None:
    """Chromium's print to PDF, with the page sizes the CSS asks for: each drawing is on an A4
    landscape page (the text around it stays portrait), and the full-size view prints the
    drawing landscape with its list after it."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    tab.goto(served_site + "genograms.html")
    drawings = tab.locator(".tk-genogram svg.tk-diagram-svg").count()
    view = served_site + tab.locator(".tk-diagram-actions a", has_text="View full size").first.get_attribute("href")
    sizes = pdf_page_sizes(tab.pdf(prefer_css_page_size=True))
    assert sizes.count((842, 595)) >= drawings >= 1 and sizes[0] == (595, 842), sizes
    context.close()
    width, height = A4_LANDSCAPE_CSS_PX   # the view page's printable area
    context = browser.new_context(viewport={"width": int(width), "height": int(height)})
    tab = context.new_page()
    tab.goto(view)
    tab.emulate_media(media="print")
    image = tab.get_by_role("img").bounding_box()
    assert image["x"] + image["width"] <= width and image["y"] + image["height"] <= height, image
    sizes = pdf_page_sizes(tab.pdf(prefer_css_page_size=True))
    assert set(sizes) == {(842, 595)} and len(sizes) >= 2, sizes   # the drawing, then its list
    context.close()


def test_genogram_fits_a4_landscape_when_printed(served_site: str, browser) -> None:
    """Printed on landscape A4, each genogram fits the page's width and height whole."""
    width, height = (int(v) for v in A4_LANDSCAPE_CSS_PX)
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto(served_site + "genograms.html")
    tab.emulate_media(media="print")
    boxes = tab.locator(".tk-genogram svg").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.height]; })")
    assert boxes
    for left, right, tall in boxes:
        assert 0 <= left < right <= width and tall <= height, (left, right, tall)
    expect(tab.locator(".tk-diagram-actions").first).to_be_hidden()
    pdf = tab.pdf(width="297mm", height="210mm")
    assert pdf.startswith(b"%PDF")
    context.close()
