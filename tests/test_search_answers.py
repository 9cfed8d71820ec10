"""Search that answers in one step, in Chromium on the built shipped site: the filter counts beside
a query are right, a statement id answers with its page first, a misspelt word still finds the
page (and says what was searched), guidance for authors stays out of readers' results until
chosen, and a result opens at the section that matched."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from test_search_ui import found, results

from tests.conftest import REPO
from toolkit.content.schemas import AUTHOR_SECTION, SECTIONS

AUTHORS = SECTIONS[AUTHOR_SECTION]


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


def search(page, served_site: str, query: str) -> list[str]:
    page.goto(served_site + "search.html?q=" + quote(query))
    return results(page)


def kind_counts(page) -> dict[str, int]:
    labels = page.eval_on_selector_all("[data-filter=kind] label", "l => l.map(a => a.textContent.trim())")
    return {label.rsplit(" (", 1)[0]: int(label.rsplit("(", 1)[1].rstrip(")")) for label in labels}


def test_filter_counts_with_a_query_add_up_to_its_results(page, served_site: str) -> None:
    search(page, served_site, "supervision")
    everything = found(page)
    counts = kind_counts(page)
    readers = {kind: n for kind, n in counts.items() if kind != AUTHORS}
    assert sum(readers.values()) == everything   # each result is of one kind
    assert sum(1 for n in readers.values() if n) >= 3, counts
    page.click("details[data-filter=kind] summary")
    page.check("input[name=kind][value='Core skills']")
    results(page, "with the chosen filters")
    assert found(page) == counts["Core skills"]
    assert kind_counts(page) == counts   # ticking another kind would widen the results by as many


@pytest.mark.parametrize(("typed", "expected"), [("KSS-PS-7", "statements/KSS-PS-7"), ("pcf 6", "statements/PCF-6"),
                                                 ("kss cfp 3", "statements/KSS-CFP-3"), ("PCF", "frameworks/PCF"),
                                                 ("PCF6", "statements/PCF-6"), ("pcf domain 9", "statements/PCF-9"),
                                                 ("sfe standard 5", "statements/SFE-5"),
                                                 ("pcf domains", "frameworks/PCF")])
def test_a_statement_id_answers_with_its_page_first(page, served_site: str, typed: str, expected: str) -> None:
    links = search(page, served_site, typed)
    assert links[0] == served_site + expected + ".html", links[:3]
    assert page.text_content("#toolkit-search-results .toolkit-result-kind") in ("Framework statements", "Frameworks")


MISSPELT = [("geneogram", "genogram", "genograms"), ("supervison policy", "supervision policy", "supervision-policy"),
            ("chronolgy", "chronology", "chronologies"),
            # American spellings and "practise" as the site writes them; a run-together pair of its words
            ("relationship based practise", "relationship based practice", "relationship-based-practice"),
            ("leadership program evaluation", "leadership programme evaluation", "evaluating-leadership-programmes"),
            ("casefile audit", "case file audit", "case-file-audit")]


@pytest.mark.parametrize(("typed", "meant", "expected"), MISSPELT)
def test_a_misspelt_word_finds_the_page_and_says_what_it_searched(page, served_site: str, typed: str,
                                                                  meant: str, expected: str) -> None:
    links = search(page, served_site, typed)
    assert links[0].split("#")[0] == served_site + expected + ".html", links[:3]
    note = page.locator("#toolkit-search-corrected")
    expect(note).to_contain_text(f"Did you mean \u201c{meant}\u201d")
    note.locator("a").click()   # "search for what I typed instead"
    expect(page.locator("#toolkit-search-status")).to_contain_text(typed)
    assert "exact=1" in page.url
    expect(note).to_be_hidden()


@pytest.mark.parametrize(("typed", "expected"), [("MSP", "adult-safeguarding"), ("what is a DCS?", "pathway-director"),
                                                 ("Best-interests decision", "mental-capacity")])
def test_a_glossary_term_answers_with_the_page_the_glossary_gives_then_the_term(page, served_site: str, typed: str,
                                                                                expected: str) -> None:
    links = search(page, served_site, typed)
    assert links[0] == served_site + expected + ".html", links[:3]
    assert any("glossary.html#" in link for link in links[:3]), links[:3]   # the definition close behind


def test_the_page_titled_as_asked_comes_before_longer_titles_with_the_same_words(page, served_site: str) -> None:
    links = search(page, served_site, "practice supervisor self assessment")
    assert links[0] == served_site + "practice-supervisor-self-assessment.html", links[:3]   # at its top
    assert any(link.startswith(served_site + "adult-practice-supervisor-self-assessment.html") for link in links[1:3])


def test_guidance_for_authors_stays_out_of_readers_results_until_chosen(page, served_site: str) -> None:
    links = search(page, served_site, "genogram data format")
    assert links and not any("genogram-format.html" in link for link in links)
    page.click("details[data-filter=kind] summary")
    page.check(f"input[name=kind][value='{AUTHORS}']")
    assert any("genogram-format.html" in link for link in results(page, "with the chosen filters"))


def test_a_result_opens_at_the_section_that_matched(page, served_site: str) -> None:
    first = search(page, served_site, "genogram symbols")[0]
    assert "genograms.html#" in first
    page.goto(first)
    anchor = first.split("#")[1]
    assert page.eval_on_selector(f"[id='{anchor}']", "e => e.tagName") in ("H2", "H3", "H4")
    assert "symbol" in page.text_content(f"[id='{anchor}']").lower()


def test_statement_filters_are_grouped_by_framework_and_collapsed(page, served_site: str) -> None:
    page.goto(served_site + "search.html")
    groups = page.locator("[data-filter=statement] details.toolkit-filter-set")
    shipped = len(list((REPO / "content" / "frameworks").glob("*.yaml")))
    assert groups.count() == shipped   # one per shipped framework
    assert page.locator("[data-filter=statement] details[open]").count() == 0
    page.goto(served_site + "search.html?statement=KSS-PS-7")
    results(page, "with the chosen filters")
    opened = page.locator("[data-filter=statement] details.toolkit-filter-set[open] summary")
    expect(opened).to_have_count(1)
    expect(opened).to_contain_text("KSS-PS")


def test_the_service_filter_keeps_to_one_service(page, served_site: str) -> None:
    page.goto(served_site + "search.html?q=safeguarding&service=" + quote("Adults' services"))
    links = results(page, "with the chosen filters")
    assert any("adult-safeguarding.html" in link for link in links)
    assert not any(name in link for link in links for name in ("signs-of-safety.html", "family-safeguarding.html"))
    page.goto(served_site + "search.html?q=safeguarding&service=" + quote("Children's services"))
    links = results(page, "with the chosen filters")
    assert any("family-safeguarding.html" in link for link in links)
    assert not any("adult-safeguarding.html" in link for link in links)
