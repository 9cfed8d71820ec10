"""Search quality: real questions run through the built shipped site's Pagefind search in
Chromium (Pagefind's Python and Node packages build indexes but do not search). The page that
answers a question must come first for at least 90% of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

QUESTIONS = Path(__file__).parent / "search_questions.yaml"
TARGET = 0.9

# What the search page does (toolkit-search.js): the site's own bundle imported from where it is
# served with the page's ranking options (toolkitSearch.open), and a question searched the way
# the page searches it (toolkitSearch.find).
SEARCH = """async ([bundle, questions]) => {
  const pagefind = await window.toolkitSearch.open(bundle);
  const answers = [];
  for (const question of questions) {
    const search = await window.toolkitSearch.find(pagefind, question, {});
    const top = await Promise.all(search.results.slice(0, 3).map((result) => result.data()));
    answers.push(top.map((data) => data.url));
  }
  return answers;
}"""


def questions() -> list[dict[str, str]]:
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))


def page_id(url: str, base_path: str) -> str:
    return url.removeprefix(base_path).split("#")[0].removesuffix(".html")


def ask(browser, served_site: str, asked: list[str]) -> list[list[str]]:
    """The top three result URLs for each question, from the served site's search."""
    page = browser.new_page()
    try:
        page.goto(served_site + "search.html")
        return page.evaluate(SEARCH, [served_site + "pagefind/pagefind.js", asked])
    finally:
        page.close()


def test_the_question_set_is_real_and_points_at_shipped_pages(shipped_site: Path) -> None:
    cases = questions()
    assert len(cases) >= 30
    assert len({c["question"] for c in cases}) == len(cases), "a question is listed twice"
    missing = [c["page"] for c in cases if not (shipped_site / f"{c['page']}.html").is_file()]
    assert not missing, f"expected pages not in the shipped site: {missing}"


def test_the_right_page_comes_first_for_nine_questions_in_ten(browser, served_site: str) -> None:
    cases = questions()
    answers = ask(browser, served_site, [c["question"] for c in cases])
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


@pytest.mark.parametrize("alias", ["LADO", "Local Authority Designated Officer", "PLO", "Public Law Outline"])
def test_glossary_terms_are_found_by_their_aliases(browser, served_site: str, alias: str) -> None:
    [urls] = ask(browser, served_site, [alias])
    assert any(page_id(url, "/") == "glossary" for url in urls), urls
