"""Fast builds give the same site as a clean one: `-j 2` and an incremental rebuild after an edit
to one page's body and maps_to, on a synthetic site of 30 pages with diagrams, statements and links
(the generator `make bench` uses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import edit_one_page, edit_shown, page_specs, write_site
from tests.conftest import SiteFolder, assert_fast_builds_match_a_clean_build, built_pages
from toolkit.core.protocol import STOCK_SPHINX_VARIABLE

PAGES = 30


@pytest.mark.parametrize("stock", ["0", "1"], ids=["toolkit-builder", "stock-sphinx"])
def test_parallel_and_incremental_builds_of_a_synthetic_site_match_a_clean_build(
        tmp_path: Path, stock: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(STOCK_SPHINX_VARIABLE, stock)   # with and without the private speed work
    def make(name: str) -> SiteFolder:
        write_site(tmp_path / name, PAGES)
        return SiteFolder(tmp_path / name)

    edited: list[tuple[str, str]] = []

    def edit(site: SiteFolder) -> None:
        edited.append(edit_one_page(site.folder, PAGES))

    expected = assert_fast_builds_match_a_clean_build(make, edit)
    page_id, statement = edited[0]
    assert edit_shown(tmp_path / "incremental", page_id, statement) == []
    drawn = {spec.diagram: expected[f"{spec.id}.html"] for spec in page_specs(PAGES) if spec.diagram}
    assert sorted(drawn) == ["chronology", "eco-map", "genogram"]
    for kind, text in drawn.items():
        assert f'class="tk-diagram tk-{kind}' in text


def test_a_page_whose_related_pages_another_page_changed_matches_a_clean_build(tmp_path: Path):
    """Related pages are filled in as a page is written: a page whose list another page's
    `maps_to` changed is written again, not read again, and shows what a clean build shows."""
    specs = page_specs(PAGES)
    shown = next(s for s in specs if len(s.maps_to) == 3)   # a page with related pages before the edit
    joining = next(s for s in specs if not set(s.maps_to) & set(shown.maps_to))
    before: list[str] = []

    def make(name: str) -> SiteFolder:
        write_site(tmp_path / name, PAGES)
        return SiteFolder(tmp_path / name)

    def edit(site: SiteFolder) -> None:
        built = site.folder / "_build" / "html" / f"{shown.id}.html"
        if built.exists():   # the rebuilt copy, as it was before the edit
            before.append(built.read_text(encoding="utf-8"))
        path = site.content / joining.folder / f"{joining.id}.md"
        path.write_text(path.read_text(encoding="utf-8").replace(
            f"maps_to: [{', '.join(joining.maps_to)}]", f"maps_to: [{', '.join(shown.maps_to)}]"), encoding="utf-8")

    expected = assert_fast_builds_match_a_clean_build(make, edit)
    related = expected[f"{shown.id}.html"].split('id="related-pages"')[1].split("</section>")[0]
    assert 'id="related-pages"' in before[0] and f'href="{joining.id}.html"' not in before[0]
    assert f'href="{joining.id}.html"' in related


def test_the_speed_work_changes_no_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The builder's replacements of Sphinx's, docutils' and MyST's private code (parallel work,
    settings made once, tree walks without recursion, one MyST parser for every page) give the
    pages stock Sphinx gives."""
    built = {}
    for stock in ("1", "0"):
        monkeypatch.setenv(STOCK_SPHINX_VARIABLE, stock)
        write_site(tmp_path / stock, PAGES)
        site = SiteFolder(tmp_path / stock)
        assert site.toolkit("build", "-j", "2").status == 0
        built[stock] = built_pages(site)
    assert len(built["0"]) > PAGES
    assert built["0"] == built["1"]
