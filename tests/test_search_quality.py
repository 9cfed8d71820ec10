"""Search quality: real questions run through the built shipped site's Pagefind search in
Chromium (Pagefind's Python and Node packages build indexes but do not search). The page that
answers a question must come first for at least 90% of them, with the index whole (as a
fresh build has it) and with the largest delta a rebuild leaves, merged in the browser."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import serving

from toolkit.core.protocol import SEARCH_START
from toolkit.site.search_index import SEARCH_FOLDER, SHARD_LIST, STATE, delta_limit, glossary_terms, index_site

QUESTIONS = Path(__file__).parent / "search_questions.yaml"
TARGET = 0.9

# What the search page does (toolkit-search.js): the site's own bundle imported from where it is
# served with the page's ranking options (toolkitSearch.open), and a question searched the way
# the page searches it (toolkitSearch.find).
SEARCH = """async ([bundle, questions]) => {
  const pagefind = await window.toolkitSearch.open(bundle);
  const answers = [];
  for (const [question, filters] of questions) {
    const search = await window.toolkitSearch.find(pagefind, question, filters);
    const top = await Promise.all(search.results.slice(0, 3).map((result) => result.data()));
    answers.push(top.map((data) => data.url));
  }
  return answers;
}"""


def index_in_thread(html: Path) -> None:
    with ThreadPoolExecutor(1) as thread:   # Playwright keeps an event loop running in this one
        assert thread.submit(index_site, html, [p.relative_to(html) for p in html.rglob("*.html")]).result()


@pytest.fixture(scope="session")
def delta_site(shipped_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The built shipped site as a rebuild leaves it at most: its index written with the pages
    that answer the questions different, then those pages as built, which fill the delta with
    what was changed (the base's copies left out in the browser). Yields its URL."""
    html = tmp_path_factory.mktemp("delta") / "html"
    shutil.copytree(shipped_site, html)
    shutil.rmtree(html / SEARCH_FOLDER)
    indexed = [p for p in html.rglob("*.html") if SEARCH_START in p.read_text(encoding="utf-8")]
    size = delta_limit(len(indexed) + len(glossary_terms(html)))
    answers = list(dict.fromkeys(f"{c['page']}.html" for c in questions()))[:size]
    built = {name: (html / name).read_text(encoding="utf-8") for name in answers}
    for name, text in built.items():
        (html / name).write_text(text.replace(SEARCH_START, f"{SEARCH_START}<p>Outdated wording.</p>", 1),
                                 encoding="utf-8")
    index_in_thread(html)
    assert len(json.loads((html.parent / STATE).read_text())["base"]) == len(indexed) + len(glossary_terms(html))
    for name, text in built.items():
        (html / name).write_text(text, encoding="utf-8")
    index_in_thread(html)
    listing = json.loads((html / SEARCH_FOLDER / SHARD_LIST).read_text())
    assert listing["merge"] == ["delta/"] and len(listing["exclude"]) == size + 1   # and the every-word record
    with serving(html) as url:
        yield url


@pytest.fixture(params=["one index", "delta"])
def searched_site(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("served_site" if request.param == "one index" else "delta_site")


def questions() -> list[dict[str, str]]:
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))


def page_id(url: str, base_path: str) -> str:
    return url.removeprefix(base_path).split("#")[0].removesuffix(".html")


def ask(browser, served_site: str, asked: list[str], filters: list[dict] | None = None) -> list[list[str]]:
    """The top three result URLs for each question, from the served site's search (with the
    filters a reader chose for it, Pagefind's form: {"kind": {"any": ["For authors"]}})."""
    page = browser.new_page()
    try:
        page.goto(served_site + "search.html")
        chosen = filters or [{}] * len(asked)
        return page.evaluate(SEARCH, [served_site + "pagefind/pagefind.js", list(zip(asked, chosen, strict=True))])
    finally:
        page.close()


def test_the_question_set_is_real_and_points_at_shipped_pages(shipped_site: Path) -> None:
    cases = questions()
    assert len(cases) >= 30
    assert len({c["question"] for c in cases}) == len(cases), "a question is listed twice"
    missing = [c["page"] for c in cases if not (shipped_site / f"{c['page']}.html").is_file()]
    assert not missing, f"expected pages not in the shipped site: {missing}"


def test_the_right_page_comes_first_for_nine_questions_in_ten(browser, searched_site: str) -> None:
    cases = questions()
    chosen = [{name: {"any": values} for name, values in c.get("filters", {}).items()} for c in cases]
    answers = ask(browser, searched_site, [c["question"] for c in cases], chosen)
    base_path = "/"
    misses = []
    for case, urls in zip(cases, answers, strict=True):
        found = [page_id(url, base_path) for url in urls]
        if not found or found[0] != case["page"]:
            misses.append(f"{case['question']!r}: expected {case['page']}, got {found}")
    share = 1 - len(misses) / len(cases)
    print(f"\nsearch quality: right page first for {len(cases) - len(misses)}/{len(cases)} "
          f"questions ({share:.0%})" + "".join(f"\n  miss {m}" for m in misses))
    assert share >= TARGET, "\n".join(misses)


def test_a_delta_ranks_every_question_as_one_index(browser, served_site: str, delta_site: str) -> None:
    """Pagefind ranks each index by its own statistics; delta results take their base twin's score,
    so the top three for every question are those of one index."""
    cases = questions()
    chosen = [{name: {"any": values} for name, values in c.get("filters", {}).items()} for c in cases]
    asked = [c["question"] for c in cases]
    assert ask(browser, delta_site, asked, chosen) == ask(browser, served_site, asked, chosen)


@pytest.mark.parametrize("alias", ["LADO", "Local Authority Designated Officer", "PLO", "Public Law Outline"])
def test_glossary_terms_are_found_by_their_aliases(browser, searched_site: str, alias: str) -> None:
    [urls] = ask(browser, searched_site, [alias])
    assert any(page_id(url, "/") == "glossary" for url in urls), urls


FILTERS = """async (bundle) => {
  const pagefind = await window.toolkitSearch.open(bundle);
  const practice = await pagefind.search(null, {filters: {kind: {any: ["Practice models"]}}});
  const pages = await Promise.all(practice.results.map((result) => result.data()));
  const asked = await window.toolkitSearch.find(pagefind, "supervision", {kind: {any: ["Core skills"]}});
  const urls = await Promise.all(asked.results.map(async (result) => (await result.data()).url));
  return {counts: await pagefind.filters(), practice: pages.map((data) => data.url).sort(),
          asked: {urls: urls.sort(), filters: asked.filters, totals: asked.totalFilters}};
}"""


def test_a_delta_gives_the_same_results_filters_and_counts_as_one_index(browser, served_site: str,
                                                                        delta_site: str) -> None:
    """The filter counts beside each checkbox (with and without a question), a filter-only
    search and a question's results are those of one index: the base's replaced copies are
    neither found nor counted."""
    seen = []
    for site in (served_site, delta_site):
        page = browser.new_page()
        try:
            page.goto(site + "search.html")
            seen.append(page.evaluate(FILTERS, site + "pagefind/pagefind.js"))
        finally:
            page.close()
    whole, delta = seen
    assert len(whole["practice"]) >= 9 and whole["counts"]["statement"] and whole["asked"]["urls"]
    assert "record" not in whole["counts"]
    assert delta == whole
