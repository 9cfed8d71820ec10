"""Finding the answer in one step, on one build of a small site: the home page leads with search
and the organisation's top tasks, the sidebar has at most seven ways in, pages name their
section (guidance for authors apart), listings are grouped by section with the page made for
a role first, the glossary runs A to Z, pages are summary-first with dates written out, and a
page says which service it is for. A top task naming no page is an error with its line."""

from __future__ import annotations

import html as html_module
import re
import shutil

import pytest
from conftest import SMALL_SITE, SiteFolder, built_pages, page

TOP_TASKS = """top_tasks:
  - {title: Plan my supervision, page: reflective-supervision, description: Hold supervision that helps people think.}
  - {title: Read the standard for supervisors, page: frameworks/KSS-PS, description: Eight statements for supervisors.}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("findability") / "site"
    shutil.copytree(SMALL_SITE, folder)
    small = SiteFolder(folder)
    small.settings.write_text(small.settings.read_text() + TOP_TASKS + "logo: logo.svg\n")
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect/></svg>')
    small.write("guides/about.md", page("about", section="about", title="About this toolkit"))
    small.write("guides/writing-pages.md", page("writing-pages", section="authors", title="Writing pages",
                                                audience="[practice-supervisor]"))
    small.write("guides/supervision-basics.md", page(
        "supervision-basics", kind="resource", resource_type="guide", title="Supervision basics",
        audience="[practice-supervisor, practitioner]", topics="[supervision]", maps_to="[KSS-PS-1]",
        service="children"))
    small.write("vocabularies/glossary.yaml", "- {term: PSW, definition: Principal Social Worker.}\n"
                "- {term: ASYE, definition: The first year in practice.}\n- {term: Ecomap, definition: A diagram.}\n")
    result = small.toolkit("build")
    assert result.status == 0, result.stderr[-3000:]
    return built_pages(small)


def text_of(html: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def main(html: str) -> str:
    return html.split('id="furo-main-content"', 1)[-1] if 'id="furo-main-content"' in html else html


def test_home_leads_with_search_then_the_top_tasks_each_with_a_line(site: dict[str, str]) -> None:
    home = main(site["index.html"])
    assert home.index('action="search.html"') < home.index("Top tasks") < home.index("Find guidance")
    assert 'name="q"' in home and '<label for="toolkit-home-search-input"' in home
    words = text_of(home)
    assert "Plan my supervision Hold supervision that helps people think." in words
    assert "Read the standard for supervisors Eight statements for supervisors." in words
    cards = home.split('<div class="sd-card ')[1:]
    assert len(cards) >= 8
    for card in cards:
        line = re.search(r'<p class="sd-card-text">([^<]+)</p>', card)
        assert line and len(line.group(1).split()) >= 3, f"a card with no description: {text_of(card)[:80]}"


def test_the_sidebar_has_at_most_seven_ways_in(site: dict[str, str]) -> None:
    nav = site["genograms.html"].split('aria-label="Sections"', 1)[1].split("</nav>", 1)[0]
    items = re.findall(r'<li class="toctree-l1">', nav)
    assert 3 <= len(items) <= 7
    assert "By role and career stage" in nav and "About this toolkit" not in nav


def test_guidance_for_authors_has_its_own_section_out_of_readers_listings(site: dict[str, str]) -> None:
    assert "writing-pages.html" in site["sections/authors.html"]
    assert "authoring-reference.html" in site["sections/authors.html"]
    readers = [name for name in site if name.startswith("sections/") and name != "sections/authors.html"]
    for listing in ("audiences/practice-supervisor.html", "index.html", *readers):
        assert "writing-pages.html" not in main(site[listing]), listing
    assert "sections/authors.html" in site["writing-pages.html"]   # its breadcrumb


def test_listings_are_grouped_by_section_with_the_page_made_for_the_role_first(site: dict[str, str]) -> None:
    listing = main(site["audiences/practice-supervisor.html"])
    headings = re.findall(r"<h2[^>]*>([^<]+)", listing)
    assert headings == ["Leadership and supervision"]
    # reflective-supervision is written for supervisors alone, supervision-basics for two roles
    assert listing.index("reflective-supervision.html") < listing.index("supervision-basics.html")
    stage = main(site["audiences/practitioner.html"])
    assert stage.index("Core skills") < stage.index("Leadership and supervision")


def test_pages_are_summary_first_with_dates_written_out_and_their_service(site: dict[str, str]) -> None:
    body = main(site["supervision-basics.html"])
    assert body.index("toolkit-summary") < body.index("Service") < body.index('href="statements/KSS-PS-1.html"')
    assert re.search(r"Service\s*:\s*Children[’']s services", text_of(body))
    assert re.search(r'<time datetime="2026-09-01">1 September 2026</time>', body)
    assert "2026-09-01" not in text_of(body)


def test_a_page_and_a_statement_describe_themselves_to_other_search_engines(site: dict[str, str]) -> None:
    """An intranet's own search and link previews show a page's <meta name="description">."""
    head = site["genograms.html"].split("</head>", 1)[0]
    summary = "Drawing a family tree that shows relationships as well as relatives."
    assert head.count('<meta name="description"') == 1 and f'<meta name="description" content="{summary}">' in head
    statement = site["statements/KSS-PS-2.html"].split("</head>", 1)[0]
    assert '<meta name="description" content="Supervisors help social workers grow.">' in statement


def test_the_glossary_runs_a_to_z_with_jump_links(site: dict[str, str]) -> None:
    glossary = main(site["glossary.html"])
    letters = re.findall(r'<h2[^>]*>(?:<span[^>]*></span>)*([A-Z])<', glossary)
    assert letters == ["A", "E", "P"]
    for letter in letters:
        anchor = re.search(rf'<a class="reference internal" href="#([^"]+)"><span class="std std-ref">{letter}<',
                           glossary).group(1)
        assert f'id="{anchor}"' in glossary


def test_a_top_task_naming_no_page_is_an_error_on_its_line(small_site: SiteFolder) -> None:
    small_site.settings.write_text(small_site.settings.read_text() + "top_tasks:\n"
                                   "  - {title: Draw one, page: genogramz, description: How to draw one.}\n")
    result = small_site.toolkit("check")
    assert result.status == 1
    said = result.stdout + result.stderr
    assert re.search(r"site\.yaml:7: error: page: 'genogramz' is not a known page; did you mean", said), said
    assert "Traceback" not in result.stderr


def test_the_organisations_chrome_logo_favicon_footer_and_credit(site: dict[str, str]) -> None:
    home = site["index.html"]
    assert '<img class="sidebar-logo" src="_static/logo.svg" alt="Testshire Council"/>' in home
    assert re.search(r'<link rel="(shortcut )?icon" href="_static/favicon.svg"', home)   # the default, shipped
    footer = home.split('class="bottom-of-page"', 1)[1]
    assert "Made with" not in footer and "Furo" not in footer and "Copyright &#169; Testshire Council" in footer
    assert "made with the Practice Leadership Toolkit" in text_of(main(site["about.html"]))


def test_a_favicon_that_is_not_an_icon_file_is_an_error_on_its_line(small_site: SiteFolder) -> None:
    small_site.settings.write_text(small_site.settings.read_text() + "favicon: site.yaml\n")
    result = small_site.toolkit("check")
    assert result.status == 1
    assert "site.yaml:6: error: favicon 'site.yaml' is not an .ico, .png or .svg" in result.stdout


def test_each_service_has_its_listing_and_pages_for_both_are_in_each(site: dict[str, str]) -> None:
    children = main(site["services/children.html"])
    assert "supervision-basics.html" in children
    assert "services/adults.html" not in site   # no page is for adults' services yet
    assert "services/children.html" in main(site["index.html"])
