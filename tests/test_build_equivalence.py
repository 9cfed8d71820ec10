"""Fast builds give the same site as a clean one: `-j 2` and an incremental rebuild after an edit
to one page's body and maps_to, on a synthetic site of 30 pages with diagrams, statements and links
(the generator `make bench` uses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import edit_one_page, edit_shown, page_specs, write_site
from tests.conftest import SiteFolder, assert_fast_builds_match_a_clean_build
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
