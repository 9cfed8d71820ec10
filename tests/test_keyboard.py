"""Keyboard use, tested by pressing keys in Debian's Chromium on the built shipped site: the skip
link comes first and works; every control (search, sidebar links, theme toggle, the menu at
320 px, chronology filters) is reached by Tab and works with Enter or Space; each shows a
visible focus indicator and stays on screen; and Tab cycles through the page (no trap)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
CONTENT_PAGE = "chronologies.html"  # a content page with a table, a chronology and its filters

# Run in the page at each Tab: what has focus, where, and how it is drawn focused.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  const r = e.getBoundingClientRect();
  const s = getComputedStyle(e);
  (window.tkSeen = window.tkSeen || []).push(e);
  return {index: window.tkSeen.length - 1, tag: e.tagName.toLowerCase(), classes: e.className.baseVal ?? e.className,
          text: (e.getAttribute('aria-label') || e.innerText || e.value || e.getAttribute('href') || '').trim()
                .slice(0, 60),
          inMain: !!e.closest('[role=main]'), inside: r.right > 0 && r.bottom > 0 && r.left < innerWidth
          && r.top < innerHeight && r.width > 0 && r.height > 0,
          focusVisible: e.matches(':focus-visible'),
          ring: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | ')};
}"""
# After the walk: how each element is drawn without focus.
UNFOCUSED = """() => { document.activeElement.blur();
  return window.tkSeen.map(e => { const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | '); }); }"""


@pytest.fixture(scope="module")
def contexts(browser) -> Iterator[dict[str, object]]:
    # Reduced motion: focus is scrolled into view at once, not smoothly, so it can be measured.
    made = {name: browser.new_context(viewport=size, reduced_motion="reduce")
            for name, size in (("wide", WIDE), ("narrow", NARROW))}
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def wide(contexts, served_site: str):
    page = contexts["wide"].new_page()
    yield page
    page.close()


@pytest.fixture
def narrow(contexts, served_site: str):
    page = contexts["narrow"].new_page()
    yield page
    page.close()


def tab_through(page, limit: int) -> list[dict]:
    """Press Tab until focus comes back to the first element reached (or `limit` presses)."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue  # the browser's own UI between the end and the start of the page
        if stops and focused["classes"] == stops[0]["classes"] and focused["text"] == stops[0]["text"]:
            return stops
        stops.append(focused)
    pytest.fail(f"Tab did not come back to the start within {limit} presses (a keyboard trap?): "
                f"last stops {[s['text'] for s in stops[-5:]]}")


def focusable_count(page) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
        .filter(e => e.tabIndex >= 0 && e.getClientRects().length).length""")


def tab_to(page, predicate: str, limit: int = 200) -> dict:
    """Press Tab until the focused element matches `predicate` (JS, given the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!e && ({predicate}); }}"):
            return page.evaluate(FOCUSED)
    pytest.fail(f"no element matching {predicate} reached by Tab")


@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_skip_link_is_first_and_moves_focus_to_the_main_content(served_site: str, contexts, width: str) -> None:
    page = contexts[width].new_page()
    try:
        page.goto(served_site + CONTENT_PAGE)
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUSED)
        assert first["text"] == "Skip to content", first
        page.wait_for_timeout(400)  # Furo slides the link into view
        assert page.evaluate(FOCUSED)["inside"], "the skip link is not on screen when focused"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        after = page.evaluate(FOCUSED)
        assert after["inMain"], f"after the skip link, Tab went to {after}, not the main content"
    finally:
        page.close()


@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_every_stop_is_visible_and_tab_cycles_without_a_trap(served_site: str, contexts, width: str) -> None:
    page = contexts[width].new_page()
    try:
        page.goto(served_site + CONTENT_PAGE)
        stops = tab_through(page, focusable_count(page) + 10)
        page.wait_for_timeout(100)
        unfocused = page.evaluate(UNFOCUSED)
    finally:
        page.close()
    names = " / ".join(s["text"] for s in stops)
    expected = ["Skip to content", "Toggle Light / Dark / Auto color theme"]
    expected += ["Frameworks and standards", "Search"] if width == "wide" else ["Open the site menu"]
    for text in expected:
        assert any(s["text"] == text for s in stops), f"'{text}' is not reached by Tab: {names}"
    if width == "wide":
        assert any(s["tag"] == "input" and "search" in s["classes"] for s in stops), names
    assert any(s["tag"] == "select" for s in stops), f"chronology filters not reached: {names}"
    for stop in stops[1:]:  # the skip link slides in; checked above
        assert stop["inside"], f"focus went off screen to {stop}"
    for stop in stops:
        assert stop["focusVisible"] and stop["ring"] != unfocused[stop["index"]], \
            f"no visible focus indicator on {stop} (unfocused: {unfocused[stop['index']]})"


def test_theme_toggle_works_with_enter_and_space(served_site: str, wide) -> None:
    wide.goto(served_site + CONTENT_PAGE)
    tab_to(wide, "e.classList.contains('theme-toggle')")
    themes = [wide.evaluate("document.body.dataset.theme")]
    for key in ("Enter", "Space"):
        wide.keyboard.press(key)
        themes.append(wide.evaluate("document.body.dataset.theme"))
    assert len(set(themes)) == 3, f"the theme toggle cycled {themes}"


def test_sidebar_link_opens_with_enter(served_site: str, wide) -> None:
    wide.goto(served_site + CONTENT_PAGE)
    tab_to(wide, "e.closest('.sidebar-tree') && e.textContent.trim() === 'Frameworks and standards'")
    with wide.expect_navigation():
        wide.keyboard.press("Enter")
    assert wide.url.endswith("frameworks/index.html")


def test_search_box_searches_with_the_keyboard(served_site: str, wide) -> None:
    wide.goto(served_site + CONTENT_PAGE)
    tab_to(wide, "e.tagName === 'INPUT' && (e.type === 'search' || e.name === 'q')")
    wide.keyboard.type("supervision")
    with wide.expect_navigation():
        wide.keyboard.press("Enter")
    assert "search.html" in wide.url and "supervision" in wide.url
    wide.wait_for_function("""() => [...document.querySelectorAll('[role=main] a[href]')]
        .some(a => /supervision/i.test(a.textContent) && a.closest('[aria-live], [class*=result]'))""",
                           timeout=15000)


def test_chronology_filters_work_with_the_keyboard(served_site: str, wide) -> None:
    wide.goto(served_site + CONTENT_PAGE)
    tab_to(wide, "e.tagName === 'SELECT' && e.dataset.filter === 'significance'")
    rows = "() => [...document.querySelectorAll('.tk-chronology tbody tr')].filter(r => !r.hidden).length"
    before = wide.evaluate(rows)
    wide.keyboard.press("ArrowDown")  # "All" -> the first significance
    chosen = wide.evaluate("document.activeElement.value")
    after = wide.evaluate(rows)
    count = wide.locator(".tk-chron-count").first.inner_text()
    assert chosen and 0 < after < before, (chosen, before, after)
    assert f"Showing {after} of {before}" in count


def test_menu_at_320px_opens_and_closes_with_the_keyboard(served_site: str, narrow) -> None:
    narrow.goto(served_site + CONTENT_PAGE)
    opener = tab_to(narrow, "e.tagName === 'BUTTON' && e.closest('.mobile-header')"
                            " && e.getAttribute('aria-controls') === document.querySelector('.sidebar-drawer').id")
    assert opener["text"] == "Open the site menu" and opener["inside"]
    for key in ("Enter", "Space"):
        narrow.keyboard.press(key)
        narrow.wait_for_timeout(400)  # the drawer slides in
        inside = narrow.evaluate(FOCUSED)
        assert narrow.evaluate("document.getElementById('__navigation').checked")
        assert inside["inside"] and inside["focusVisible"], f"focus did not move into the open menu: {inside}"
        tab_to(narrow, "e.closest('.sidebar-tree') && e.textContent.trim() === 'Frameworks and standards'", limit=30)
        assert narrow.evaluate(FOCUSED)["inside"]
        narrow.keyboard.press("Escape")
        narrow.wait_for_timeout(400)
        assert not narrow.evaluate("document.getElementById('__navigation').checked")
        back = narrow.evaluate(FOCUSED)
        assert back["text"] == "Open the site menu", f"Escape left focus on {back}"
        assert narrow.locator(".mobile-header [aria-controls]").first.get_attribute("aria-expanded") == "false"
