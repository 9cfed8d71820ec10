"""`toolkit build`: what a reader sees on the built site, and that publishing is safe."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SMALL_SITE, SiteFolder, assert_fast_builds_match_a_clean_build, page


def html(site: SiteFolder, name: str) -> str:
    return (site.folder / "_build" / "html" / name).read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    """Roughly the text a reader sees: tags gone, whitespace collapsed."""
    return re.sub(r"\s+([:.,;)])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    site = SiteFolder(tmp_path_factory.mktemp("built") / "site")
    shutil.copytree(SMALL_SITE, site.folder)
    result = site.toolkit("build")
    assert result.status == 0, result.stderr
    return site


def test_build_ends_with_one_summary_line(built: SiteFolder):
    result = built.toolkit("build")
    assert result.status == 0
    assert re.fullmatch(r"toolkit build: \d+ pages, 0 warnings, site in _build/html — view it with: .*\n",
                        result.stdout)


def test_content_page_shows_its_facts(built: SiteFolder):
    body = html(built, "reflective-supervision.html")
    words = text_of(body)
    assert "How to hold supervision that helps social workers think" in words
    assert 'href="audiences/practice-supervisor.html"' in body
    assert 'href="topics/supervision.html"' in body
    assert 'href="statements/KSS-PS-1.html"' in body and "KSS-PS-1 Promote and govern excellent practice" in words
    assert "Owner: Principal Social Worker" in words
    assert "Last reviewed: 1 September 2026" in words and "Next review: 1 September 2027" in words
    assert '<time datetime="2026-09-01">1 September 2026</time>' in body
    # summary first; the statements (a long list on some pages) close the page
    assert body.index("toolkit-summary") < body.index("Owner") < body.index('href="statements/KSS-PS-1.html"')
    assert body.index("Topics and framework statements") < body.index("Related pages")
    assert "Related pages" in words and 'href="genograms.html"' in body
    assert "1 September 2026: Added the four-stage cycle." in words
    assert 'aria-label="Breadcrumb"' in body and 'href="sections/resources.html"' in body
    assert "Report a problem with this page" in words and "mailto:psw@testshire.example" in body


def test_statement_page_lists_the_pages_that_map_to_it(built: SiteFolder):
    body = html(built, "statements/KSS-PS-2.html")
    words = text_of(body)
    assert "Statement KSS-PS-2" in words and re.search(r"<h1[^>]*>Developing excellent practitioners", body)
    assert 'href="../genograms.html"' in body and 'href="../reflective-supervision.html"' in body
    assert "Summary in our words (not the official text): Supervisors help social workers grow." in words
    assert "Read the statement itself in Knowledge and skills statement for practice supervisors" in words
    assert "<blockquote" not in body
    # reflective-supervision both maps to the statement and names it in its text: listed once
    assert body.count('href="../reflective-supervision.html"') == 1
    assert "also mention it" not in words


def test_a_statement_is_quoted_with_its_source_and_licence_where_the_set_allows(built: SiteFolder):
    body = html(built, "statements/KSS-PS-1.html")
    words = text_of(body)
    quote = re.search(r"<blockquote>(.*?)</blockquote>", body, re.DOTALL)
    quoted = text_of(quote.group(1)).strip() if quote else ""
    assert quoted == "Champion high standards of practice and make sure they are kept."
    assert ("Quoted word for word from Knowledge and skills statement for practice supervisors, "
            "Department for Education, 2018, under the Open Government Licence v3.0.") in words
    assert 'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"' in body
    assert "In our words: Supervisors set and keep high standards." in words
    reference = text_of(html(built, "authoring-reference.html"))
    assert "Fields of a statement" in reference and "licence_url" in reference
    assert "copied word for word from the source" in reference and "Open Government Licence v3.0" in reference


def test_framework_audience_topic_and_home_pages(built: SiteFolder):
    framework = text_of(html(built, "frameworks/KSS-PS.html"))
    assert "Shaping and influencing the practice system" in framework
    assert "quotes its official text under the Open Government Licence v3.0" in framework
    assert "the summaries below are in our own words" in framework
    audience = html(built, "audiences/practice-supervisor.html")
    assert "reflective-supervision.html" in audience and "genograms.html" not in audience
    assert "genograms.html" in html(built, "topics/assessment.html")
    home = html(built, "index.html")
    assert "Testshire Practice Toolkit" in home and "sd-card" in home
    assert 'href="sections/skills.html"' in home and 'href="sections/resources.html"' in home


def test_drafts_are_not_published_and_archived_pages_are_marked(built: SiteFolder):
    out = built.folder / "_build" / "html"
    assert not (out / "unfinished.html").exists()
    listings = [p.read_text(encoding="utf-8") for p in (out / "sections").glob("*.html")]
    assert listings and not any("Unfinished" in listing or "old-guidance" in listing for listing in listings)
    archived = text_of(html(built, "old-guidance.html"))
    assert "Archived" in archived and "no longer current guidance" in archived
    assert "data-pagefind-body" not in html(built, "old-guidance.html")


def test_no_asset_comes_from_another_host(built: SiteFolder):
    out = built.folder / "_build" / "html"
    for path in out.rglob("*.html"):
        for match in re.finditer(r'(?:src|href)="(https?:)?//([^"/]+)', path.read_text(encoding="utf-8")):
            tag_start = path.read_text(encoding="utf-8").rfind("<", 0, match.start())
            tag = path.read_text(encoding="utf-8")[tag_start:match.start()]
            assert not tag.startswith(("<script", "<link", "<img")), f"{path.name}: {match.group(0)}"


def test_toctree_captions_carry_aria_level(small_site: SiteFolder):
    small_site.write("toc.md", page("toc", body="```{toctree}\n:caption: Contents\n\ngenograms\n```"))
    assert small_site.toolkit("build").status == 0
    body = html(small_site, "toc.html")
    assert 'role="heading"' in body
    assert all('aria-level="2"' in tag for tag in re.findall(r'<p[^>]*role="heading"[^>]*>', body))


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_the_previous_site_alone(small_site: SiteFolder):
    assert small_site.toolkit("build").status == 0
    out = small_site.folder / "_build" / "html"
    before = _snapshot(out)
    small_site.write("broken.md", page("broken", topics="[no-such-topic]"))
    result = small_site.toolkit("build")
    assert result.status == 1
    assert "nothing was built" in result.stderr
    assert _snapshot(out) == before
    # Front matter passes, so Sphinx starts; the body lint fails meanwhile and stops it.
    (small_site.content / "broken.md").write_text(page("broken", body="<script>alert(1)</script>"))
    result = small_site.toolkit("build")
    assert result.status == 1 and "nothing was built" in result.stderr
    assert "broken.md:12: error: HTML block" in result.stderr
    assert _snapshot(out) == before
    # A label used twice passes the check; Sphinx warns, and --strict makes that fail.
    (small_site.content / "broken.md").write_text(page("broken", body="(twice)=\n## One\n\n(twice)=\n## Two\n"))
    result = small_site.toolkit("build", "--strict")
    assert result.status == 1 and "was left as it was" in result.stderr
    assert _snapshot(out) == before


def test_removed_page_does_not_linger(small_site: SiteFolder):
    guide = small_site.content / "guides" / "genograms.md"
    guide.write_text(guide.read_text() + "\n```{genogram}\npeople:\n  - {id: a, label: Solo, sex: female}\n```\n")
    assert small_site.toolkit("build").status == 0
    diagrams = small_site.folder / "_build" / "html" / "_diagrams"
    assert sorted(p.name for p in diagrams.iterdir()) == ["genograms-genogram-0.html", "genograms-genogram-0.svg"]
    assert 'href="_diagrams/genograms-genogram-0.svg" download=' in html(small_site, "genograms.html")
    guide.unlink()
    (small_site.content / "guides" / "reflective-supervision.md").write_text(
        (SMALL_SITE / "content/guides/reflective-supervision.md").read_text().replace(
            "related: [genograms]\n", ""))
    assert small_site.toolkit("build").status == 0, small_site.toolkit("check").stdout
    out = small_site.folder / "_build" / "html"
    assert not (out / "genograms.html").exists()
    assert "genograms.html" not in html(small_site, "topics/assessment.html")
    assert not list(diagrams.glob("*"))   # its drawing's files are not published either


def test_parallel_and_incremental_builds_match_a_clean_build(tmp_path: Path):
    def copy(name: str) -> SiteFolder:
        shutil.copytree(SMALL_SITE, tmp_path / name)
        return SiteFolder(tmp_path / name)

    edit = ("guides/genograms.md", "A genogram shows who is in a family",
            "A genogram shows who is in a family ({statement}`KSS-PS-3`)")

    def apply_edit(site: SiteFolder) -> None:
        path = site.content / edit[0]
        path.write_text(path.read_text().replace(edit[1], edit[2]).replace(
            "maps_to: [KSS-PS-2]", "maps_to: [KSS-PS-2, KSS-PS-1]"))

    expected = assert_fast_builds_match_a_clean_build(copy, apply_edit)
    assert "../genograms.html" in expected["statements/KSS-PS-3.html"].split("These pages also mention it")[1]
    assert "../genograms.html" in expected["statements/KSS-PS-1.html"]


def test_branding_comes_from_the_settings(small_site: SiteFolder):
    (small_site.folder / "branding").mkdir()
    (small_site.folder / "branding" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    small_site.settings.write_text(small_site.settings.read_text() + "logo: branding/logo.svg\n")
    assert small_site.toolkit("build").status == 0
    body = html(small_site, "genograms.html")
    logo = re.search(r'<img class="sidebar-logo" src="([^"]+)" alt="([^"]*)"', body)
    assert logo and (small_site.folder / "_build/html" / logo.group(1)).is_file()
    assert logo.group(2)                       # the logo has a text alternative
    assert "Testshire Practice Toolkit" in body and "Testshire Council" in text_of(body)
    brand = (small_site.folder / "_build/html/_static/toolkit-brand.css").read_text()
    assert "--color-brand-primary: #1d4f91;" in brand


def test_a_parallel_build_copies_the_images_pages_use(small_site: SiteFolder):
    """Workers write pages in parallel (builder/parallel.py) and must hand back the images those
    pages use, or the main process never copies them."""
    for number in range(30):
        small_site.write(f"notes/note-{number}.md", page(f"note-{number}", body=f"Guidance note {number}."))
    picture = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
    (small_site.content / "notes" / "tree.png").write_bytes(picture)
    small_site.write("notes/note-29.md", page("note-29", body="![A family tree](tree.png)"))
    result = small_site.toolkit("build", "-j", "2")
    assert result.status == 0, result.stderr
    source = re.search(r'<img alt="A family tree" src="([^"]+)"', html(small_site, "note-29.html"))
    assert source and (small_site.folder / "_build" / "html" / source.group(1)).read_bytes() == picture


def test_listings_show_titles_and_summaries_as_text(small_site: SiteFolder):
    """Listings and the coverage table are written straight to HTML (builder/listings.py), not
    through docutils, so escaping the author's words is theirs to get right."""
    title, summary = 'Pros & cons <b>of</b> "shared" plans', "Use <script>alert(1)</script> & more."
    text = page("plans", kind="resource", resource_type="guide", title=f"'{title}'", summary=f"'{summary}'",
                audience="[practice-supervisor]", topics="[supervision]", maps_to="[KSS-PS-1]")
    small_site.write("guides/plans.md", text.replace(f"# '{title}'", "# Pros and cons of shared plans"))
    result = small_site.toolkit("build")
    assert result.status == 0, result.stdout + result.stderr
    for listing in ("audiences/practice-supervisor.html", "topics/supervision.html", "statements/KSS-PS-1.html",
                    "sections/resources.html"):
        body = html(small_site, listing)
        assert "Pros &amp; cons &lt;b&gt;of&lt;/b&gt; &quot;shared&quot; plans" in body, listing
        assert "<b>of</b>" not in body and "<script>alert" not in body, listing
    assert "Use &lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in html(small_site, "topics/supervision.html")
