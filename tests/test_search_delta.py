"""A fresh build writes one search index; a rebuild after an edit leaves it as it is and writes
only a small delta of the changed records, and what a reader finds is up to date, edited and
removed pages included. The index repairs itself when its files or state are damaged, and is
written whole again when the delta would grow too large. (Ranking and filter counts with a
delta: test_search_quality.py.)"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import Result, SiteFolder, serving

from bench.synthetic import page_specs, write_site
from toolkit.core.protocol import SEARCH_START
from toolkit.site.search_index import DELTA_FOLDER, SEARCH_FOLDER, SHARD_LIST, STATE, index_site

PAGES = 40
NEW_WORD = "quokkaphrase"

FIND = """async ([bundle, word]) => {
  const pagefind = await window.toolkitSearch.open(bundle);
  const search = await window.toolkitSearch.find(pagefind, word, {});
  return Promise.all(search.results.map(async (result) => (await result.data()).url));
}"""


def build(site: Path) -> Result:
    return SiteFolder(site).toolkit("build")


def index_of(site: Path) -> Path:
    return site / "_build" / "html" / SEARCH_FOLDER


def listing(site: Path) -> dict:
    return json.loads((index_of(site) / SHARD_LIST).read_text(encoding="utf-8"))


ONE_INDEX = {"merge": [], "exclude": [], "twins": {}}


def base_files(index: Path) -> dict[str, int]:
    """The base index's files (relative path -> inode), the delta and the browser's list left out."""
    return {path.relative_to(index).as_posix(): path.stat().st_ino for path in index.rglob("*")
            if path.is_file() and path.name != SHARD_LIST and DELTA_FOLDER not in path.relative_to(index).parts}


def found(browser, site: Path, word: str) -> list[str]:
    """The URLs a search for `word` lists, with the site served under a sub-path (/html/), as a
    council might host it: the merged delta must give URLs under it too."""
    with serving(site / "_build") as url:
        page = browser.new_page()
        try:
            page.goto(url + "html/search.html")
            return page.evaluate(FIND, [url + f"html/{SEARCH_FOLDER}/pagefind.js", word])
        finally:
            page.close()


def source_of(site: Path, number: int) -> tuple[Path, str]:
    spec = page_specs(PAGES)[number]
    return site / "content" / spec.folder / f"{spec.id}.md", spec.id


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    write_site(folder, PAGES)
    result = build(folder)
    assert result.status == 0, result.stderr[-3000:]
    return folder


def test_a_fresh_build_has_one_index(site: Path) -> None:
    index = index_of(site)
    assert listing(site) == ONE_INDEX
    assert not (index / DELTA_FOLDER).exists() and (index / "pagefind-entry.json").stat().st_size


def test_the_benchmarks_baseline_is_one_plain_index_finding_the_same_pages(browser, site: Path,
                                                                           tmp_path: Path) -> None:
    """bench/search_scale.py weighs a reader's first search against one plain Pagefind index of the
    same records: that index must answer as the build's does, or the comparison means nothing."""
    from bench.search_scale import one_index_copy

    with ThreadPoolExecutor(1) as apart:   # away from the browser's event loop
        copy = apart.submit(one_index_copy, site / "_build" / "html", tmp_path / "one").result()

    def found_in(folder: Path) -> list[str]:
        with serving(folder.parent) as url:
            page = browser.new_page()
            try:
                page.goto(url + f"{folder.name}/search.html")
                urls = page.evaluate(FIND, [url + f"{folder.name}/{SEARCH_FOLDER}/pagefind.js", "genograms"])
            finally:
                page.close()
        return sorted(address.split(f"/{folder.name}/", 1)[1] for address in urls)

    assert found_in(copy) == found_in(site / "_build" / "html") != []


def test_an_edit_writes_only_a_delta_and_is_found_once(browser, site: Path) -> None:
    index = index_of(site)
    before = base_files(index)
    source, page_id = source_of(site, 3)
    source.write_text(source.read_text(encoding="utf-8") + f"\nA {NEW_WORD} is a made-up word.\n", encoding="utf-8")
    result = build(site)
    assert result.status == 0, result.stderr[-3000:]
    assert base_files(index) == before, "the base index was written again for one edit"
    assert listing(site)["merge"] == [f"{DELTA_FOLDER}/"]
    assert f"{page_id}.html" in json.loads((site / "_build" / "cache" / STATE).read_text())["delta"]
    # Merged, the delta uses the base's script and WebAssembly.
    assert not list((index / DELTA_FOLDER).glob("*.js")) and not list((index / DELTA_FOLDER).glob("wasm.*"))
    assert found(browser, site, NEW_WORD) == [f"/html/{page_id}.html"]
    # The base's older copy of the page is left out: the page is listed once for its own words.
    title = next(line for line in source.read_text(encoding="utf-8").splitlines() if line.startswith("title:"))
    words = title.split(": ")[-1].strip("\"'")
    assert found(browser, site, words).count(f"/html/{page_id}.html") == 1


def test_a_withdrawn_page_is_no_longer_found(browser, site: Path) -> None:
    """Sphinx leaves a withdrawn page's HTML in its output folder: the index must not use it, and
    the base's copy is left out."""
    source, page_id = source_of(site, 7)
    spec = page_specs(PAGES)[7]
    title_words = spec.title.split(": ")[1]          # "<adjective> practice note 42"
    assert f"/html/{page_id}.html" in found(browser, site, title_words)
    source.write_text(source.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                      encoding="utf-8")
    result = build(site)
    assert result.status == 0, result.stderr[-3000:]
    assert f"/html/{page_id}.html" not in found(browser, site, title_words)
    assert not (site / "_build" / "html" / f"{page_id}.html").exists()


def test_a_damaged_delta_or_state_is_written_again(browser, site: Path) -> None:
    index = index_of(site)
    (index / DELTA_FOLDER / "pagefind-entry.json").unlink()
    result = build(site)
    assert result.status == 0, result.stderr[-3000:]
    assert (index / DELTA_FOLDER / "pagefind-entry.json").is_file()
    assert found(browser, site, NEW_WORD) == [f"/html/{source_of(site, 3)[1]}.html"]
    state = site / "_build" / "cache" / STATE
    state.write_text('{"settings": [', encoding="utf-8")       # as if cut off mid-write
    result = build(site)
    assert result.status == 0, result.stderr[-3000:]
    assert json.loads(state.read_text(encoding="utf-8"))["base"]
    assert listing(site) == ONE_INDEX     # indexed whole again
    assert found(browser, site, NEW_WORD) == [f"/html/{source_of(site, 3)[1]}.html"]


def test_a_damaged_base_is_written_again(site: Path) -> None:
    index = index_of(site)
    next((index / "fragment").iterdir()).write_bytes(b"")
    result = build(site)
    assert result.status == 0, result.stderr[-3000:]
    assert all(path.stat().st_size for path in (index / "fragment").iterdir())


def test_more_changes_than_a_delta_holds_give_one_index_again(site: Path, tmp_path: Path) -> None:
    """Checked on a copy of the built pages, indexed directly: a delta of at most two records."""
    html = tmp_path / "html"
    shutil.copytree(site / "_build" / "html", html)
    shutil.copy(site / "_build" / "cache" / STATE, tmp_path / STATE)
    pages = sorted(path.relative_to(html) for path in html.glob("*.html"))
    indexed = [page for page in pages if SEARCH_START in (html / page).read_text(encoding="utf-8")]

    def change(count: int) -> dict:
        for page in indexed[:count]:
            text = (html / page).read_text(encoding="utf-8")
            (html / page).write_text(text.replace(SEARCH_START, f"{SEARCH_START}<p>Changed.</p>", 1), encoding="utf-8")
        with ThreadPoolExecutor(1) as thread:   # Playwright keeps an event loop running in this one
            assert thread.submit(index_site, html, pages, 2).result()
        return json.loads((html / SEARCH_FOLDER / SHARD_LIST).read_text(encoding="utf-8"))

    assert change(1)["merge"] == [f"{DELTA_FOLDER}/"]
    assert change(3) == ONE_INDEX
    assert not (html / SEARCH_FOLDER / DELTA_FOLDER).exists()



def _children_named(parent: int, name: bytes) -> list[int]:
    """The processes `parent` started whose command line holds `name`."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat, open(f"/proc/{entry}/cmdline", "rb") as command:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) == parent and name in command.read():
                    found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


INDEX_IN_A_PROCESS = ("import sys; from pathlib import Path; from toolkit.site.search_index import index_site; "
                      "html = Path(sys.argv[1]); pages = sorted(p.relative_to(html) for p in html.glob('*.html')); "
                      "sys.exit(0 if index_site(html, pages) else 3)")


def test_a_pagefind_that_ends_half_way_fails_the_index_at_once(site: Path, tmp_path: Path) -> None:
    """Pagefind's own client waits for ever (here: the 600 s limit) for replies from a Pagefind that
    was killed; a preview stopping during a search index then did not stop."""
    html = tmp_path / "html"
    shutil.copytree(site / "_build" / "html", html)
    indexing = subprocess.Popen([sys.executable, "-c", INDEX_IN_A_PROCESS, str(html)], stderr=subprocess.PIPE,
                                text=True)
    killed = []
    try:
        while not killed and indexing.poll() is None:
            killed = _children_named(indexing.pid, b"pagefind")
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)
        _, stderr = indexing.communicate(timeout=60)
    finally:
        indexing.kill()
        indexing.wait()
    assert killed, "the index was written before its Pagefind could be killed"
    assert indexing.returncode == 3, stderr
    assert "toolkit build: Pagefind failed: Pagefind ended before the index was written" in stderr, stderr
    assert "Traceback" not in stderr
