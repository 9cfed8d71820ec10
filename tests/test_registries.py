"""One registry per extension point: a page kind and a diagram type are one record each.

An installed extension (an entry point in `practice_leadership_toolkit.extensions`) registers a
toy kind and a toy diagram type; a small site using them is checked and built, in the `toolkit`
process and the Sphinx process alike: the page is listed in its kind's section and the
diagram is drawn with its text equivalent, and bad toy data is reported with its code.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from tests.conftest import REPO, SMALL_SITE, SiteFolder, page

EXTENSION = '''
"""A toy extension: one page kind, one diagram type."""
from toolkit.diagrams import DiagramType, diagram_figure, register_diagram_type
from toolkit.diagrams.svg import el, esc
from toolkit.content.kinds import PageKind, Section, register_kind, register_section

import toolkit.content.schemas  # the shipped kinds first


class Tally:
    def __init__(self, items):
        self.items = items


def check(data, checker):
    root = checker.mapping(data, 1, "a tally file", "items: [a, b]")
    if root is None or not checker.fields(root, "the tally", ("items",), ()):
        return None
    items = checker.sequence(root["items"], root.value_line("items"), "items", "[a, b]")
    return Tally([str(item) for item in items]) if items else None


def render(directive, model, caption, id_prefix):
    bars = "".join(el("rect", x=10, y=10 + 20 * i, width=40, height=12) for i, _ in enumerate(model.items))
    svg = el("svg", el("title", esc(caption or "Tally")) + bars, viewBox="0 0 100 100", role="img",
             class_="tk-tally-svg")
    text = el("ul", "".join(el("li", esc(item)) for item in model.items))
    return diagram_figure(directive, caption or "Tally", caption, svg, "Items counted", text, id_prefix)


register_kind(PageKind("case-study", "A worked case study.", "Case study", "Case studies", "case-studies",
                       needs_mapping=True,
                       scaffold="# a worked case study\\n"), section_title="Case studies")
# A section placed by its record: between the shipped skills (20) and resources (30), not in the sidebar.
register_section(Section("exercises", "Team exercises", order=25, sidebar=False,
                         description="Exercises to run with your team."))
register_kind(PageKind("exercise", "A team exercise.", "Exercise", "Exercises", "exercises"))
register_diagram_type(DiagramType("tally", "tally chart", ".tally.yaml", ("tally",), Tally, check, render,
                                  lambda directive, model: [f"Counted: {item}" for item in model.items]))
'''

F = "```"


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    """A site using the toy kind and diagram, with the extension installed (a dist-info on the path)."""
    base = tmp_path_factory.mktemp("registries")
    (base / "ext" / "toy_extension").mkdir(parents=True)
    (base / "ext" / "toy_extension" / "__init__.py").write_text(EXTENSION)
    info = base / "ext" / "toy_extension-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-extension\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[practice_leadership_toolkit.extensions]\ntoy = toy_extension\n")
    site = SiteFolder(base / "site")
    shutil.copytree(SMALL_SITE, site.folder)
    site.write("counts.tally.yaml", "items: [visits, calls, letters]\n")
    site.write("case.md", page("a-case", kind="case-study", audience="[practitioner]", topics="[assessment]",
                               maps_to="[KSS-PS-1]", body=f"{F}{{tally}} counts.tally.yaml\n:caption: Contacts\n{F}\n"))
    site.write("exercise.md", page("an-exercise", kind="exercise"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join([str(base / "ext"), str(REPO)]))
        site.result = site.toolkit("build")   # type: ignore[attr-defined]
        site.write("broken.tally.yaml", "items: 3\n")
        site.write("bare.md", page("bare", kind="case-study"))
        site.checked = site.toolkit("check")   # type: ignore[attr-defined]
    site.uninstalled = site.toolkit("check")   # type: ignore[attr-defined]  (its lint cache kept)
    return site


def test_the_toy_kind_and_diagram_build(extended: SiteFolder) -> None:
    assert extended.result.status == 0, extended.result.stderr[-3000:]


def test_the_toy_kind_page_is_listed_in_its_section(extended: SiteFolder) -> None:
    listing = (extended.folder / "_build" / "html" / "sections" / "case-studies.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Case studies<", listing) and 'href="../a-case.html"' in listing
    home = (extended.folder / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="sections/case-studies.html"' in home.split("Find guidance", 1)[1]   # a card on the home page


def _sidebar(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav aria-label="Sections">(.*?)</nav>', html, re.S)
    assert nav, "no sidebar"
    return re.findall(r'<a class="reference internal" href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))


def test_the_toy_kind_section_is_in_the_sidebar_after_the_shipped_ones(extended: SiteFolder) -> None:
    html = extended.folder / "_build" / "html"
    assert _sidebar((html / "index.html").read_text(encoding="utf-8")) == [
        ("index.html", "Home"),   # the small site has no practice model or pathway stage: not offered
        ("sections/skills.html", "Core skills"), ("sections/resources.html", "Leadership and supervision"),
        ("sections/case-studies.html", "Case studies"),
        ("audiences/index.html", "By role and career stage"), ("frameworks/index.html", "Frameworks and standards")]
    case = (html / "a-case.html").read_text(encoding="utf-8")
    assert ("sections/case-studies.html", "Case studies") in _sidebar(case)
    assert re.search(r'href="sections/case-studies.html" aria-current="page">Case studies<', case)


def test_the_toy_diagram_is_drawn_with_its_text_equivalent(extended: SiteFolder) -> None:
    html = (extended.folder / "_build" / "html" / "a-case.html").read_text(encoding="utf-8")
    assert 'class="tk-tally-svg"' in html and html.count("<rect") >= 3
    assert "Items counted" in html and "<li>letters</li>" in html


def test_the_registries_check_toy_content_too(extended: SiteFolder) -> None:
    out = extended.checked.stdout
    assert "content/bare.md:2: error:" in out and "'maps_to'" in out   # the kind needs mapping
    assert "content/broken.tally.yaml:1: error:" in out and "[tally-not-list]" in out


def test_the_authoring_reference_lists_every_problem_code_with_the_toy_ones(extended: SiteFolder) -> None:
    import toolkit.diagrams  # noqa: F401  (registers the shipped types' codes in this process)
    from toolkit.core.problem_codes import PROBLEM_CODES
    html = (extended.folder / "_build" / "html" / "authoring-reference.html").read_text(encoding="utf-8")
    listed = set(re.findall(r"<code[^>]*><span class=\"pre\">([a-z0-9-]+)</span></code>", html))
    assert set(PROBLEM_CODES) <= listed and "tally-not-list" in listed and "case-study" in listed


def test_without_the_extension_its_content_is_a_plain_error(extended: SiteFolder) -> None:
    result = extended.uninstalled
    assert result.status == 1 and "Traceback" not in result.stderr and "bug" not in result.stderr
    assert "content/case.md:3: error: 'kind' cannot be 'case-study'" in result.stdout
    assert "the {tally} directive is not one the toolkit supports" in result.stdout


def test_a_section_record_places_its_section(extended: SiteFolder) -> None:
    """`order` puts it among the shipped sections on the home page; `sidebar=False` keeps it out of the
    sidebar, a step away; its listing lists its pages."""
    html = extended.folder / "_build" / "html"
    home = (html / "index.html").read_text(encoding="utf-8").split("Find guidance", 1)[1]
    cards = re.findall(r'href="sections/([a-z-]+)\.html"', home)
    assert cards.index("skills") < cards.index("exercises") < cards.index("resources"), cards
    assert "Exercises to run with your team." in home
    sidebar = _sidebar((html / "index.html").read_text(encoding="utf-8"))
    assert ("sections/exercises.html", "Team exercises") not in sidebar
    listing = (html / "sections" / "exercises.html").read_text(encoding="utf-8")
    assert 'href="../an-exercise.html"' in listing
