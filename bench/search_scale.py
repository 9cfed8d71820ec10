"""A reader's first search: the requests and bytes a browser downloads to answer one question
through a built site's own search page (search.html?q=..., in Chromium, served over HTTP),
against one plain Pagefind index of the same pages written in the same run; and the time the
toolkit's indexer takes to index a site whole and again after one page changed.

    python -m bench.search_scale SITE_FOLDER     # a site built with `toolkit build` (SITE/_build)

bench/run.py calls these on each synthetic site after its fresh build and after its rebuild.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from toolkit.core.protocol import SEARCH_START
from toolkit.site.search_index import (
    GLOSSARY_PAGE,
    SEARCH_FOLDER,
    STATE,
    Record,
    _install_base,
    _write_parts,
    glossary_terms,
    index_site,
    page_record,
    term_record,
)

CHROMIUM = "/usr/bin/chromium"
QUERY = "reflective supervision family meeting"


def first_search(html: Path, query: str = QUERY) -> dict:
    """Open the site's search page with `query` in a new browser and count what comes from the
    search index (pagefind/) until the results are shown and the network is idle."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import serving

    fetched: dict[str, int] = {}
    with serving(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()

        def record(response) -> None:
            if f"/{SEARCH_FOLDER}/" in response.url:
                fetched[response.url.split(f"/{SEARCH_FOLDER}/", 1)[1]] = len(response.body())

        page.on("response", record)
        page.goto(f"{base}search.html?q={query.replace(' ', '+')}")
        page.locator("#toolkit-search-status", has_text="result").wait_for()
        page.wait_for_load_state("networkidle")
        results = page.locator("#toolkit-search-results > li").count()
        browser.close()
    return {"requests": len(fetched), "bytes": sum(fetched.values()), "results_shown": results}


def _records(html: Path) -> list[Record]:
    pages = sorted(path.relative_to(html) for path in html.rglob("*.html")
                   if SEARCH_FOLDER not in path.relative_to(html).parts)
    found = [record for page in pages if (record := page_record(html, page))]
    return found + [Record(f"{GLOSSARY_PAGE}#{t.anchor}", term_record(t)) for t in glossary_terms(html)]


def one_index_copy(html: Path, target: Path) -> Path:
    """A copy of the built site whose search is one plain Pagefind index of the same records (no
    delta, no record filter): the baseline."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(html, target, ignore=shutil.ignore_patterns(SEARCH_FOLDER))
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        asyncio.run(_write_parts({"one": _records(target)}, Path(scratch)))
        _install_base(Path(scratch) / "one", target / SEARCH_FOLDER)
    return target


def index_times(html: Path, work: Path) -> dict:
    """Seconds to index a copy of the site whole (no state kept), then again after one indexed
    page's text changed."""
    copy = work / "html"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(html, copy, ignore=shutil.ignore_patterns(SEARCH_FOLDER))
    pages = sorted(path.relative_to(copy) for path in copy.rglob("*.html"))
    started = time.perf_counter()
    assert index_site(copy, pages), "indexing failed"
    whole = time.perf_counter() - started
    edited = next(copy / page for page in pages if SEARCH_START in (copy / page).read_text(encoding="utf-8"))
    edited.write_text(edited.read_text(encoding="utf-8").replace(SEARCH_START, f"{SEARCH_START}<p>An edit.</p>", 1),
                      encoding="utf-8")
    started = time.perf_counter()
    assert index_site(copy, pages), "indexing failed"
    after_edit = time.perf_counter() - started
    (copy.parent / STATE).unlink(missing_ok=True)
    return {"whole_s": round(whole, 3), "after_one_edit_s": round(after_edit, 3)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site folder built with `toolkit build`")
    args = parser.parse_args(argv)
    html = args.site / "_build" / "html"
    with tempfile.TemporaryDirectory() as temp:
        baseline = first_search(one_index_copy(html, Path(temp) / "one"))
        result = {"site": first_search(html), "one_index": baseline, "index": index_times(html, Path(temp) / "t")}
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
