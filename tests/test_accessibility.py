"""WCAG 2.2 AA, measured: axe-core in Debian's Chromium on every page type of the shipped site,
in light and dark colour schemes and at 320 CSS pixels wide (reflow), plus what axe cannot see:
heading order, reflow without sideways scrolling, and the diagrams' names and text equivalents.

axe-core is the copy pinned inside the `axe-playwright-python` package (nothing is downloaded).
Each page x mode is its own test; one browser, one context per mode.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from tests.conftest import REPO

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules for what the WCAG tags leave out but a screen-reader user relies on.
EXTRA_RULES = ["heading-order", "landmark-one-main", "landmark-unique", "page-has-heading-one", "region"]
NARROW = 320


def _first_self_assessment() -> list[tuple[str, str]]:
    """A self-assessment page, when the shipped content has one."""
    for path in sorted((REPO / "content" / "self-assessments").glob("**/*.md")):
        found = re.search(r"^id:\s*(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        if found:
            return [("self-assessment", f"{found.group(1)}.html")]
    return []


PAGES = [
    ("home", "index.html"),
    ("page", "about.html"),
    ("practice-model", "attachment-theory.html"),
    ("skill", "assessment.html"),
    ("resource", "reflective-supervision.html"),
    ("pathway-stage", "pathway-asye.html"),
    *_first_self_assessment(),
    ("accessibility-statement", "accessibility.html"),
    ("statement", "statements/PCF-1.html"),
    ("framework", "frameworks/PCF.html"),
    ("coverage", "coverage.html"),
    ("audience", "audiences/practitioner.html"),
    ("topic", "topics/supervision.html"),
    ("glossary", "glossary.html"),
    ("whats-new", "whats-new.html"),
    ("digest", "digest.html"),
    ("legal-duties", "legal-duties.html"),
    ("duty", "adult-safeguarding.html"),
    ("documents", "documents.html"),
    ("search", "search.html?q=supervision"),
    ("search-filtered", "search.html?q=geneogram&kind=Core+skills&statement=KSS-CFP-6"),
    ("service", "services/children.html"),
    ("for-authors", "sections/authors.html"),
    ("genogram", "genograms.html"),
    ("diagram-full-size", "_diagrams/genograms-genogram-1.html"),
    ("eco-map", "eco-maps.html"),
    ("chronology", "chronologies.html"),
    ("timeline", "timelines.html"),
    ("404", "404.html"),
]
MODES = {
    "light": {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
    "dark": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 900}},
    "320px": {"color_scheme": "light", "viewport": {"width": NARROW, "height": 640}},
}
DIAGRAM_PAGES = {"genograms.html": "genogram", "eco-maps.html": "eco-map", "timelines.html": "timeline"}


@pytest.fixture(scope="module")
def contexts(browser) -> Iterator[dict[str, object]]:
    """One browser context per colour scheme / width, shared by every test of this module."""
    # bypass_csp: the pages' Content-Security-Policy (rightly) refuses the injected axe-core.
    made = {name: browser.new_context(**options, bypass_csp=True) for name, options in MODES.items()}
    yield made
    for context in made.values():
        context.close()


@pytest.fixture(scope="module", params=list(MODES))
def mode(request: pytest.FixtureRequest, contexts) -> tuple[str, object]:
    return request.param, contexts[request.param]


def open_page(context, base: str, path: str):
    """Load a page as a reader would see it; the search page with results shown and filters open."""
    page = context.new_page()
    page.goto(base + path, wait_until="load")
    if path.startswith("search.html"):
        page.wait_for_function("""() => [...document.querySelectorAll('main a[href], [role=main] a[href]')]
            .some(a => /\\.html/.test(a.getAttribute('href')) && a.closest('[aria-live], [class*=result]'))""",
                               timeout=15000)
        page.evaluate("() => document.querySelectorAll('[role=main] details').forEach(d => { d.open = true; })")
        page.wait_for_load_state("networkidle")
    return page


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE_SOURCE)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS},
               "rules": {rule: {"enabled": True} for rule in EXTRA_RULES}}
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def describe(violations: list[dict]) -> str:
    """The violations by rule and element: what to fix, where."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule.get('impact')}): {rule['help']} — {rule['helpUrl']}")
        for node in rule["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:300]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"       {summary[:400]}")
    return "\n".join(lines)


@pytest.mark.parametrize(("kind", "path"), PAGES, ids=[kind for kind, _ in PAGES])
def test_axe_finds_no_violations(served_site: str, mode, kind: str, path: str) -> None:
    name, context = mode
    page = open_page(context, served_site, path)
    try:
        if name == "dark":  # the dark scheme really applies (else this would test light twice)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert sum(map(int, re.findall(r"\d+", background)[:3])) < 150, background
        if kind == "404":
            assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
        violations = axe_violations(page)
        report = describe(violations)
        print(report)
        assert not violations, f"axe-core found on {path} ({name}):\n{report}"
        assert not heading_problems(page), heading_problems(page)
        duplicates = page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
            return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]; }""")
        assert not duplicates, f"ids used twice on {path}: {duplicates}"
    finally:
        page.close()


HEADINGS = """() => [...document.querySelectorAll('[role=main] :is(h1, h2, h3, h4, h5, h6)')]
    .filter(h => h.offsetParent !== null).map(h => [Number(h.tagName[1]), h.textContent.trim()])"""


def heading_problems(page) -> list[str]:
    """One h1, first; no level skipped on the way down (axe's heading-order allows a first h2)."""
    headings = page.evaluate(HEADINGS)
    levels = [level for level, _ in headings]
    problems = [] if levels[:1] == [1] and levels.count(1) == 1 else [f"expected one h1, first: {headings}"]
    problems += [f"heading '{b[1]}' (h{b[0]}) after h{a[0]}" for a, b in zip(headings, headings[1:], strict=False)
                 if b[0] > a[0] + 1]
    return problems


SIDEWAYS = f"""() => {{
  const wide = [...document.querySelectorAll('[role=main] *')].filter(e => {{
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > {NARROW} + 1 && getComputedStyle(e).position !== 'fixed';
  }});
  const regions = [...document.querySelectorAll('[role=main] *')].filter(e =>
    e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX));
  const outside = wide.filter(e => !regions.some(r => r.contains(e)));
  return {{
    page: document.documentElement.scrollWidth,
    outside: outside.slice(0, 5).map(e => e.outerHTML.slice(0, 160)),
    regions: regions.map(r => [r.className, r.tabIndex, r.getAttribute('role'), r.getAttribute('aria-label')]),
  }};
}}"""


@pytest.mark.parametrize(("kind", "path"), PAGES, ids=[kind for kind, _ in PAGES])
def test_reflows_at_320px_without_sideways_scrolling(served_site: str, contexts, kind: str, path: str) -> None:
    """Only wide tables and diagrams scroll sideways, each in its own focusable, named region."""
    page = open_page(contexts["320px"], served_site, path)
    try:
        found = page.evaluate(SIDEWAYS)
    finally:
        page.close()
    assert found["page"] <= NARROW, f"{path} scrolls sideways ({found['page']} px): {found['outside']}"
    assert not found["outside"], f"{path} has content beyond 320 px: {found['outside']}"
    for class_name, tab_index, role, label in found["regions"]:
        assert tab_index >= 0 and role == "region" and label, \
            f"{path}: scrolling region '{class_name}' is not focusable and named ({tab_index}, {role}, {label})"


DIAGRAMS = """() => [...document.querySelectorAll('svg.tk-diagram-svg')].map(svg => {
  const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const block = svg.closest('.tk-diagram');
  const text = block && block.querySelector('.tk-diagram-text');
  return {
    role: svg.getAttribute('role'),
    name: ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim(),
    title: (svg.querySelector('title') || {}).textContent || '',
    text: text ? text.innerText.trim() : '',
    visible: !!text && text.getBoundingClientRect().height > 0 && getComputedStyle(text).visibility === 'visible',
  };
})"""


@pytest.mark.parametrize("path", list(DIAGRAM_PAGES), ids=list(DIAGRAM_PAGES.values()))
@pytest.mark.parametrize("media", ["screen", "print"])
def test_diagrams_have_a_name_and_a_readable_text_equivalent(served_site: str, contexts, path: str,
                                                               media: str) -> None:
    page = open_page(contexts["light"], served_site, path)
    try:
        page.emulate_media(media=media)
        diagrams = page.evaluate(DIAGRAMS)
        if media == "screen":  # what the browser hands to a screen reader: the title, then the description
            for index, diagram in enumerate(diagrams):
                name = re.compile(re.escape(diagram["title"].strip()) + r"\W+\w{3,}")
                expect(page.locator("svg.tk-diagram-svg").nth(index)).to_have_accessible_name(name)
    finally:
        page.close()
    assert diagrams, f"{path} shows no {DIAGRAM_PAGES[path]}"
    for diagram in diagrams:
        assert diagram["role"] == "img", diagram
        assert diagram["title"].strip() and diagram["title"].strip() in diagram["name"], diagram
        assert len(diagram["text"].split()) >= 8, f"text equivalent too short: {diagram}"
        assert diagram["visible"], f"text equivalent hidden ({media}): {diagram}"


def test_chronology_is_a_captioned_table_in_a_focusable_region(served_site: str, contexts) -> None:
    page = open_page(contexts["320px"], served_site, "chronologies.html")
    try:
        table = page.locator(".tk-chronology table").first
        caption = table.locator("caption").inner_text()
        region = page.locator(".tk-chronology [role=region]").first
        assert caption.strip()
        assert region.get_attribute("tabindex") == "0"
        assert caption.strip() in (region.get_attribute("aria-label") or "")
        assert table.locator("th[scope=col]").count() >= 3
        assert table.locator("tbody tr").count() >= 3
    finally:
        page.close()


def test_accessibility_statement_names_the_organisation_and_says_how_it_was_tested(served_site: str,
                                                                                  contexts) -> None:
    """The shipped statement is filled in from the settings (tests/conftest.py SHIPPED_SETTINGS)."""
    page = open_page(contexts["light"], served_site, "accessibility.html")
    try:
        main = page.get_by_role("main")
        assert page.get_by_role("heading", level=1).inner_text().startswith("Accessibility statement")
        assert "Accessibility statement for Practice Leadership Toolkit" in main.inner_text()
        assert "published by Testshire Council" in main.inner_text()
        href = main.get_by_role("link", name="web@testshire.example").get_attribute("href") or ""
        assert unquote(href) == "mailto:web@testshire.example"
        tested = page.get_by_role("heading", name="How we tested this website").locator("xpath=..").inner_text()
    finally:
        page.close()
    for covered in ("axe-core", "WCAG 2.0, 2.1 and 2.2", "dark colour scheme", "320 pixels", "Tab",
                    "skip link", "genogram", "cannot find every problem"):
        assert covered in tested, f"'How we tested' does not mention {covered}"
