"""Search at scale: the requests and bytes a browser needs to answer one query on a 5,000-page
site with Pagefind (search files only, measured in Chromium from responses), with the index whole
and in the shards a build writes, against the size of the `searchindex.js` plain Sphinx emits for
the same pages (which a browser downloads whole).

Pages are synthetic but shaped like the toolkit's: a title, a summary, body paragraphs drawn
from social work vocabulary, and the same Pagefind markup as builder/templates/page.html. The
Pagefind index is written by the toolkit's own indexer (toolkit/search_index.py).

    python bench/search_scale.py [--pages 5000] [--no-sphinx]   # writes bench/results/search-scale.json
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.search_index import (  # noqa: E402
    SEARCH_END,
    SEARCH_FOLDER,
    SEARCH_START,
    SHARD_PAGES,
    STATE,
    index_site,
)

RESULTS = REPO / "bench" / "results" / "search-scale.json"
CHROMIUM = "/usr/bin/chromium"
SEARCH_SCRIPT = REPO / "builder" / "static" / "toolkit-search.js"
WHOLE = 10 ** 9   # pages per shard: the index in one piece
QUERY = "supervision frequency newly qualified"
WORDS = [
    'supervision', 'assessment', 'chronology', 'genogram', 'reflection', 'analysis', 'risk', 'strengths',
    'family', 'child', 'adult', 'carer', 'practice', 'leader', 'manager', 'team', 'caseload', 'workload',
    'recording', 'decision', 'plan', 'outcome', 'review', 'safeguarding', 'capacity', 'consent', 'advocacy',
    'placement', 'student', 'newly', 'qualified', 'frequency', 'policy', 'audit', 'quality', 'feedback',
    'evidence', 'relationship', 'systemic', 'restorative', 'model', 'standard', 'framework', 'statement',
    'wellbeing', 'resilience', 'culture', 'recruitment', 'retention', 'development', 'pathway', 'mentor',
    'educator', 'court', 'conference', 'strategy', 'meeting', 'visit', 'direct', 'work', 'voice', 'rights',
    'duty', 'law', 'guidance', 'procedure',
]
KINDS = ["Practice models", "Core skills", "Leadership and supervision", "Development pathway"]
AUDIENCES = ["Social workers", "Practice supervisors", "Practice leaders", "Senior leaders"]
TOPICS = ["Assessment", "Supervision", "Recording", "Leadership", "Wellbeing", "Safeguarding"]


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def synthetic_pages(count: int, seed: int = 6) -> list[dict]:
    rng = random.Random(seed)
    return [{"id": f"page-{n:05d}", "title": sentence(rng, 4)[:-1], "summary": sentence(rng, 25),
             "paragraphs": [sentence(rng, 60) for _ in range(5)], "kind": rng.choice(KINDS),
             "audience": rng.sample(AUDIENCES, 2), "topic": rng.sample(TOPICS, 2),
             "statement": [f"KSS-PS-{rng.randint(1, 10)}"]} for n in range(count)]


def pagefind_html(page: dict) -> str:
    filters = "".join(f'<span hidden data-pagefind-filter="{name}:{escape(value)}"></span>'
                      for name in ("audience", "topic", "statement") for value in page[name])
    body = "".join(f"<p>{escape(p)}</p>" for p in page["paragraphs"])
    return (f'<!DOCTYPE html><html lang="en"><head><title>{escape(page["title"])}</title></head><body>'
            f'<nav>Home Sections Search</nav>{SEARCH_START}<div class="toolkit-body" data-pagefind-body>'
            f'<span hidden data-pagefind-meta="title:{escape(page["title"])}"></span>'
            f'<span hidden data-pagefind-filter="kind:{escape(page["kind"])}"></span>{filters}'
            f'<h1 data-pagefind-weight="10">{escape(page["title"])}</h1>'
            f'<p class="toolkit-summary" data-pagefind-weight="7">{escape(page["summary"])}</p>{body}'
            f"</div>{SEARCH_END}</body></html>")


def sphinx_rst(page: dict) -> str:
    title = page["title"]
    return f"{title}\n{'=' * len(title)}\n\n{page['summary']}\n\n" + "\n\n".join(page["paragraphs"]) + "\n"


def sphinx_index_bytes(pages: list[dict], folder: Path, jobs: str) -> int:
    """Build the pages with plain Sphinx (html builder, search on) and size its searchindex.js."""
    source = folder / "sphinx-src"
    source.mkdir()
    (source / "conf.py").write_text("project = 'Scale'\nhtml_theme = 'basic'\nexclude_patterns = []\n")
    (source / "index.rst").write_text("Scale\n=====\n\n.. toctree::\n   :glob:\n\n   page-*\n")
    for page in pages:
        (source / f"{page['id']}.rst").write_text(sphinx_rst(page), encoding="utf-8")
    out = folder / "sphinx-html"
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", "-j", jobs, str(source), str(out)],
                   check=True, capture_output=True)
    return (out / "searchindex.js").stat().st_size


def query_bytes(html: Path, query: str) -> dict:
    """Serve `html`, run the search in Chromium with the search page's own script, sum search responses."""
    from playwright.sync_api import sync_playwright

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            """Only the figures are printed."""

    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    (html / "toolkit-search.js").write_bytes(SEARCH_SCRIPT.read_bytes())
    (html / "bench.html").write_text('<!DOCTYPE html><title>bench</title><script src="toolkit-search.js"></script>')
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()

            def record(response) -> None:
                if f"/{SEARCH_FOLDER}/" in response.url:
                    fetched[response.url.split(f"/{SEARCH_FOLDER}/")[1].split("?")[0]] = len(response.body())

            page.on("response", record)
            page.goto(base + "bench.html")
            results = page.evaluate("""async ([bundle, query]) => {
                const pagefind = await window.toolkitSearch.open(bundle);
                const search = await window.toolkitSearch.find(pagefind, query, {});
                await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
                return search.results.length;
            }""", [base + f"{SEARCH_FOLDER}/pagefind.js", query])
            page.wait_for_load_state("networkidle")
            page.remove_listener("response", record)
            browser.close()
    finally:
        server.shutdown()
    return {"results": results, "files": len(fetched), "bytes": sum(fetched.values()),
            "by_kind": {kind: sum(size for name, size in fetched.items() if kind in name)
                        for kind in ("pagefind.js", "pagefind-worker", "wasm", "entry", "pf_meta",
                                     "pf_index", "pf_fragment", "pf_filter")}}


def pagefind_figures(html: Path, shard_pages: int) -> dict:
    """Index the pages of `html` afresh in shards of `shard_pages`, then ask the query."""
    shutil.rmtree(html / SEARCH_FOLDER, ignore_errors=True)
    (html.parent / STATE).unlink(missing_ok=True)
    pages = sorted(p.relative_to(html) for p in html.glob("page-*.html"))
    started = time.perf_counter()
    if not index_site(html, pages, shard_pages):
        raise SystemExit("Pagefind indexing failed")
    index_seconds = time.perf_counter() - started
    index_total = sum(f.stat().st_size for f in (html / SEARCH_FOLDER).rglob("*") if f.is_file())
    return {"downloaded_for_query": query_bytes(html, QUERY), "index_on_disk_bytes": index_total,
            "index_seconds": round(index_seconds, 1)}


def measure(count: int, jobs: str = "2", with_sphinx: bool = True) -> dict:
    pages = synthetic_pages(count)
    with tempfile.TemporaryDirectory(prefix="search-scale-") as temp:
        folder = Path(temp)
        html = folder / "html"
        html.mkdir()
        for page in pages:
            (html / f"{page['id']}.html").write_text(pagefind_html(page), encoding="utf-8")
        whole = pagefind_figures(html, WHOLE)
        sharded = pagefind_figures(html, SHARD_PAGES)
        result = {"pages": count, "query": QUERY, "pagefind": whole, "pagefind_in_shards": sharded}
        if with_sphinx:
            started = time.perf_counter()
            sphinx_bytes = sphinx_index_bytes(pages, folder, jobs)
            result["sphinx"] = {"searchindex_js_bytes": sphinx_bytes,
                                "build_seconds": round(time.perf_counter() - started, 1)}
            result["ratio_sphinx_to_pagefind"] = round(sphinx_bytes / whole["downloaded_for_query"]["bytes"], 2)
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("-j", "--jobs", default="2")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-sphinx", action="store_true", help="leave out plain Sphinx's searchindex.js")
    args = parser.parse_args(argv)
    result = measure(args.pages, args.jobs, not args.no_sphinx)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
