"""The search page in Chromium: a shared URL runs its search with its filters, filters and the
back button keep the URL in step, results are announced and link correctly under a sub-path."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect


@pytest.fixture(scope="module")
def deep_site(shipped_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The shipped site served at /la/toolkit/, as a council might host it."""
    root = tmp_path_factory.mktemp("deep")
    (root / "la").mkdir()
    (root / "la" / "toolkit").symlink_to(shipped_site, target_is_directory=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None  # type: ignore[method-assign]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/la/toolkit/"
    server.shutdown()


def results(page, status: str = "result") -> list[str]:
    """The result links, once the live region has announced `status` (the site's CSP forbids eval)."""
    expect(page.locator("#toolkit-search-status")).to_contain_text(status)
    return page.eval_on_selector_all("#toolkit-search-results h2 a", "links => links.map(a => a.href)")


def found(page) -> int:
    """The number of results the live region announced."""
    return int(page.text_content("#toolkit-search-status").split()[0])


def test_a_shared_url_runs_its_search_with_its_filters_under_a_sub_path(browser, deep_site: str) -> None:
    page = browser.new_page()
    page.goto(deep_site + "search.html?q=supervision&audience=" + quote("Practice supervisors"))
    links = results(page)
    assert links and all(link.startswith(deep_site) for link in links)
    assert page.input_value("#toolkit-search-input") == "supervision"
    assert page.is_checked("input[name=audience][value='Practice supervisors']")
    status = page.text_content("#toolkit-search-status")
    assert f"{len(links)} results" in status or "results for" in status
    assert "with the chosen filters" in status
    assert page.locator("#toolkit-search-results mark").count() > 0
    excerpts = page.eval_on_selector_all(".toolkit-result-excerpt", "ps => ps.map(p => p.textContent)")
    assert excerpts and not any("#" in text for text in excerpts)   # heading permalinks not indexed
    page.click("#toolkit-search-results h2 a >> nth=0")
    page.wait_for_load_state()
    assert page.url.startswith(deep_site) and page.locator("h1").count() == 1
    page.close()


def test_filters_narrow_results_and_the_back_button_restores_the_search(browser, served_site: str) -> None:
    page = browser.new_page()
    page.goto(served_site + "search.html")
    page.fill("#toolkit-search-input", "supervision")
    page.press("#toolkit-search-input", "Enter")
    results(page)
    everything = found(page)
    page.click("details[data-filter=kind] summary")
    page.check("input[name=kind][value='Core skills']")
    page.wait_for_url("**kind=Core+skills**")
    results(page, "with the chosen filters")
    assert 0 < found(page) < everything
    page.go_back()
    page.wait_for_url(lambda url: "kind=" not in url)
    results(page, "results for")
    assert not page.is_checked("input[name=kind][value='Core skills']")
    assert page.input_value("#toolkit-search-input") == "supervision"
    page.close()


def test_glossary_aliases_lead_to_the_term(browser, served_site: str) -> None:
    page = browser.new_page()
    page.goto(served_site + "search.html?q=" + quote("Local Authority Designated Officer"))
    links = results(page)
    assert links[0].endswith("glossary.html#term-lado")
    page.close()


def test_every_page_has_a_labelled_search_box_that_reaches_the_search_page(shipped_site: Path) -> None:
    for relative in ("index.html", "supervision-policy.html", "audiences/practice-supervisor.html"):
        text = (shipped_site / relative).read_text(encoding="utf-8")
        depth = relative.count("/")
        assert f'action="{"../" * depth}search.html"' in text
        assert 'name="q" aria-label="Search"' in text


def test_only_published_content_pages_and_statements_are_indexed(shipped_site: Path) -> None:
    indexed = {p.relative_to(shipped_site).as_posix() for p in shipped_site.rglob("*.html")
               if "data-pagefind-body" in p.read_text(encoding="utf-8")}
    assert {"supervision-policy.html", "statements/KSS-PS-7.html", "frameworks/PCF.html"} <= indexed
    framework_pages = {name for name in indexed if name.startswith(("statements/", "frameworks/"))}
    listings = [name for name in indexed - framework_pages if "/" in name or name in
                ("index.html", "glossary.html", "search.html", "whats-new.html", "coverage.html", "404.html")]
    assert listings == []
