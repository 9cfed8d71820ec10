"""Navigation on the built shipped site: related pages (own list plus pages sharing statements),
pathway previous/next, browse pages, breadcrumbs and "recently updated", all plain links."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def front_matter(page_id: str) -> dict:
    path = next(p for p in (REPO / "content").rglob("*.md") if re.search(rf"^id: {page_id}$", p.read_text(), re.M))
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def section(html: str, section_id: str) -> str:
    """The section whose heading carries the anchor (or, on generated pages, the section itself)."""
    match = re.search(rf'<section[^>]*>\s*<h\d[^>]* id="{section_id}".*?</section>', html, re.S) or \
        re.search(rf'<section[^>]* id="{section_id}".*?</section>', html, re.S)
    assert match, f"no section {section_id}"
    return match.group(0)


def test_related_pages_add_pages_sharing_statements(shipped_site: Path) -> None:
    html = (shipped_site / "supervision-policy.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([a-z0-9-]+)\.html"', section(html, "related-pages"))
    own = front_matter("supervision-policy")["related"]
    assert links[:len(own)] == own
    extra = links[len(own):]
    assert 1 <= len(extra) <= 5 and "supervision-policy" not in extra
    statements = set(front_matter("supervision-policy")["maps_to"])
    assert all(statements & set(front_matter(page_id).get("maps_to", [])) for page_id in extra)


def test_pathway_stages_link_to_the_previous_and_next_stage(shipped_site: Path) -> None:
    html = (shipped_site / "pathway-practice-supervisor.html").read_text(encoding="utf-8")
    assert 'href="pathway-experienced-practitioner.html"' in html and 'class="prev-page"' in html
    assert 'href="pathway-practice-leader.html"' in html and 'class="next-page"' in html


def test_browse_pages_and_breadcrumbs_are_plain_links(shipped_site: Path) -> None:
    audience = (shipped_site / "audiences" / "practice-supervisor.html").read_text(encoding="utf-8")
    assert 'href="../supervision-policy.html"' in audience
    assert '<nav class="toolkit-breadcrumbs" aria-label="Breadcrumb">' in audience
    for listing in ("topics/supervision.html", "statements/SFE-5.html"):
        assert 'href="../supervision-policy.html"' in (shipped_site / listing).read_text(encoding="utf-8")
    assert 'href="practice-supervisor.html"' in (shipped_site / "audiences" / "index.html").read_text(encoding="utf-8")


def test_the_home_page_lists_recently_updated_pages(shipped_site: Path) -> None:
    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    recent = section(home, "recently-updated")
    assert len(re.findall(r'<dt><a class="reference internal" href="[a-z0-9-]+\.html"', recent)) == 6
