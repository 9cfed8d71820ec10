"""A large site's search index is split into shards: a rebuild after an edit writes again only
the shard holding the edited page, and what a reader finds is up to date, edited and removed
pages included. (Ranking and filters across shards: test_search_quality.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Result, SiteFolder, serving

from bench.synthetic import page_specs, write_site
from toolkit.search_index import SEARCH_FOLDER, SHARD_LIST, SHARD_PREFIX, STATE, shard_of

PAGES = 300           # three shards (search_index.SHARD_PAGES is 125)
NEW_WORD = "quokkaphrase"

FIND = """async ([bundle, word]) => {
  const pagefind = await window.toolkitSearch.open(bundle);
  const search = await window.toolkitSearch.find(pagefind, word, {});
  return Promise.all(search.results.map(async (result) => (await result.data()).url));
}"""


def build(site: Path) -> Result:
    return SiteFolder(site).toolkit("build")


def shard_files(index: Path) -> dict[int, dict[str, int]]:
    """Each shard's files (relative path -> inode); shard 0's are those beside the shard folders."""
    shards: dict[int, dict[str, int]] = {}
    for path in index.rglob("*"):
        if path.is_file() and path.name != SHARD_LIST:
            top = path.relative_to(index).parts[0]
            number = int(top.removeprefix(SHARD_PREFIX)) if top.startswith(SHARD_PREFIX) else 0
            shards.setdefault(number, {})[path.relative_to(index).as_posix()] = path.stat().st_ino
    return shards


def found(browser, site: Path, word: str) -> list[str]:
    """The URLs a search for `word` lists, with the site served under a sub-path (/html/), as a
    council might host it: merged shards must give URLs under it too."""
    with serving(site / "_build") as url:
        page = browser.new_page()
        try:
            page.goto(url + "html/search.html")
            return page.evaluate(FIND, [url + f"html/{SEARCH_FOLDER}/pagefind.js", word])
        finally:
            page.close()


def page_in_shard(shard: int):
    """A page of the site in `shard` of three: those beyond the first come through the merge."""
    return next(spec for spec in page_specs(PAGES) if shard_of(f"{spec.id}.html", 3) == shard)


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("large")
    write_site(site, PAGES)
    result = build(site)
    assert result.status == 0, result.stderr[-3000:]
    return site


def test_a_large_site_has_its_index_in_shards(large_site: Path) -> None:
    index = large_site / "_build" / "html" / SEARCH_FOLDER
    assert json.loads((index / SHARD_LIST).read_text()) == [f"{SHARD_PREFIX}1/", f"{SHARD_PREFIX}2/"]
    assert set(shard_files(index)) == {0, 1, 2}
    # Merged shards use the first one's script and WebAssembly.
    assert not list(index.glob(f"{SHARD_PREFIX}*/*.js")) and not list(index.glob(f"{SHARD_PREFIX}*/wasm.*"))


def test_an_edit_writes_one_shard_again_and_is_found(browser, large_site: Path) -> None:
    index = large_site / "_build" / "html" / SEARCH_FOLDER
    before = shard_files(index)
    spec = page_in_shard(1)
    source = large_site / "content" / spec.folder / f"{spec.id}.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\nA {NEW_WORD} is a made-up word.\n",
                      encoding="utf-8")
    result = build(large_site)
    assert result.status == 0, result.stderr[-3000:]
    after = shard_files(index)
    rewritten = sorted(n for n in before if before[n] != after[n])
    assert rewritten == [shard_of(f"{spec.id}.html", len(before))]
    assert found(browser, large_site, NEW_WORD) == [f"/html/{spec.id}.html"]


def test_a_withdrawn_page_is_no_longer_found(browser, large_site: Path) -> None:
    """Sphinx leaves a withdrawn page's HTML in its output folder: the index must not use it."""
    spec = page_in_shard(2)
    title_words = spec.title.split(": ")[1]          # "<adjective> practice note 42"
    assert f"/html/{spec.id}.html" in found(browser, large_site, title_words)
    source = large_site / "content" / spec.folder / f"{spec.id}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                      encoding="utf-8")
    result = build(large_site)
    assert result.status == 0, result.stderr[-3000:]
    assert f"/html/{spec.id}.html" not in found(browser, large_site, title_words)
    assert not (large_site / "_build" / "html" / f"{spec.id}.html").exists()


def test_a_damaged_index_state_only_means_indexing_again(large_site: Path) -> None:
    state = large_site / "_build" / "cache" / STATE
    state.write_text('{"settings": [', encoding="utf-8")       # as if cut off mid-write
    result = build(large_site)
    assert result.status == 0, result.stderr[-3000:]
    assert json.loads(state.read_text(encoding="utf-8"))["shards"]
