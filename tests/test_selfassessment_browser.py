"""Self-assessment pages as a reader meets them: an accessible form that keeps answers on the
device, results with what to read next, a development plan, dated rounds and CSV downloads,
and not one network request beyond the page itself."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import SiteFolder, page
from tests.test_accessibility import axe_violations, describe
from toolkit.commands.evaluation import evaluation, read_ratings

ASSESSMENT = "leadership-self-assessment"
KEY = "toolkit-self-assessment:/" + ASSESSMENT
# question name -> rating chosen by keyboard; the lowest three statements are KSS-PS-3, PCF-9, KSS-CFP-9
RATINGS = {"values": 2, "own-learning": 3, "explaining-decisions": 4, "listening-upwards": 1,
           "noticing-stress": 5, "seeking-support": 2}
REFLECTIONS = {"own-learning": "I keep a learning log", "listening-upwards": "I rarely pass things on"}


def tab_to(browser_page, condition: str, limit: int = 400) -> None:
    """Press Tab until `condition` (JavaScript about document.activeElement) holds."""
    for _ in range(limit):
        browser_page.keyboard.press("Tab")
        if browser_page.evaluate(f"(() => {{ const e = document.activeElement; return !!({condition}); }})()"):
            return
    raise AssertionError(f"Tab never reached: {condition}")


def fill_by_keyboard(browser_page, ratings: dict[str, int]) -> None:
    for name, rating in ratings.items():
        tab_to(browser_page, f"e.name === 'tk-sa-{name}'")
        if rating == 1:
            browser_page.keyboard.press("Space")
        for _ in range(rating - 1):
            browser_page.keyboard.press("ArrowRight")
        if name in REFLECTIONS:
            tab_to(browser_page, f"e.id === 'tk-sa-{name}-note'")
            browser_page.keyboard.type(REFLECTIONS[name])


def press_button(browser_page, css_class: str) -> None:
    tab_to(browser_page, f"e.classList.contains('{css_class}')")
    browser_page.keyboard.press("Enter")


def download_by_keyboard(browser_page, css_class: str) -> str:
    tab_to(browser_page, f"e.classList.contains('{css_class}')")
    with browser_page.expect_download() as info:
        browser_page.keyboard.press("Enter")
    return Path(info.value.path()).read_text(encoding="utf-8-sig")


def test_fill_keep_plan_download_and_delete_without_any_network_request(served_site: str, browser,
                                                                       tmp_path: Path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1024, "height": 900})
    browser_page = context.new_page()
    requests: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    browser_page.goto(served_site + ASSESSMENT + ".html")
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.locator(".tk-sa-privacy").is_visible()
    assert "Nothing is sent to" in browser_page.inner_text(".tk-sa-privacy")
    assert not browser_page.locator(".tk-sa-nojs").is_visible()
    loaded = len(requests)

    fill_by_keyboard(browser_page, RATINGS)
    assert requests[loaded:] == [], "saving answers made a request"
    assert browser_page.inner_text(".tk-sa-status") == "Your answers are saved in this browser only."

    browser_page.reload()
    for name, rating in RATINGS.items():
        assert browser_page.locator(f"input[name='tk-sa-{name}'][value='{rating}']").is_checked(), name
    assert browser_page.input_value("#tk-sa-own-learning-note") == REFLECTIONS["own-learning"]

    results = browser_page.inner_text(".tk-sa-results")
    assert "You have answered 6 of 6 questions." in results
    assert re.search(r"KSS-PS-3 Shaping and influencing the practice system\s+1 out of 5\s+1 – not yet", results)
    reading = browser_page.locator(".tk-sa-reading > li")
    assert reading.count() == 3
    assert [reading.nth(i).locator("a").first.inner_text().split()[0] for i in range(3)] == \
        ["KSS-PS-3", "PCF-9", "KSS-CFP-9"]
    assert reading.nth(0).locator("ul a").count() >= 1, "no page to read next for the lowest statement"
    assert "same figures" in browser_page.inner_text(".tk-sa-figure figcaption")

    loaded = len(requests)
    press_button(browser_page, "tk-sa-plan-fill")
    assert browser_page.locator(".tk-sa-goal").count() == 3
    browser_page.keyboard.type("Pass on what my team tells me")
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.type("Add a standing item to team meetings")
    assert browser_page.locator(".tk-sa-goal legend").first.inner_text() == \
        "Goal 1: KSS-PS-3 Shaping and influencing the practice system"
    plan = download_by_keyboard(browser_page, "tk-sa-plan-csv")
    assert plan.splitlines()[0] == "statement,statement_title,what_i_want_to_develop,what_i_will_do," \
                                   "support_i_need,by_when"
    assert "KSS-PS-3,Shaping and influencing the practice system,Pass on what my team tells me," \
           "Add a standing item to team meetings,," in plan

    browser_page.emulate_media(media="print")
    browser_page.evaluate("document.documentElement.classList.add('tk-sa-printing-plan')")
    assert browser_page.locator(".tk-sa-plan").is_visible()
    assert not browser_page.locator(".tk-sa-questions").is_visible()
    assert not browser_page.locator(".tk-sa-plan-fill").is_visible()
    browser_page.evaluate("document.documentElement.classList.remove('tk-sa-printing-plan')")
    browser_page.emulate_media(media="screen")

    browser_page.fill("#tk-sa-round-date", "2026-01-10")
    press_button(browser_page, "tk-sa-round-save")
    tab_to(browser_page, "e.name === 'tk-sa-values'")
    browser_page.keyboard.press("ArrowRight")
    browser_page.keyboard.press("ArrowRight")
    browser_page.fill("#tk-sa-round-date", "2026-07-10")
    press_button(browser_page, "tk-sa-round-save")
    rounds = browser_page.inner_text(".tk-sa-rounds-body")
    assert "Change since 2026-01-10" in rounds
    assert re.search(r"PCF-9 Professional leadership\s+2\s+4\s+\+2", rounds), rounds

    tab_to(browser_page, "e.id === 'tk-sa-respondent'")
    browser_page.keyboard.type("GROUP2-07")
    exported = []
    for date in ("2026-01-10", "2026-07-10"):
        browser_page.select_option("#tk-sa-export-round", date)
        text = download_by_keyboard(browser_page, "tk-sa-export-csv")
        assert text.splitlines()[0] == "respondent,statement,rating,assessment,date"
        path = tmp_path / f"{date}.csv"
        path.write_text(text, encoding="utf-8")
        ratings, problems = read_ratings(path, path.name)
        assert problems == [] and len(ratings) == 6 and {r.respondent for r in ratings} == {"GROUP2-07"}
        exported.append(ratings)
    rows = {row["statement"]: row for row in evaluation(*exported)["statements"]}
    assert rows["PCF-9"]["change"] == 2.0 and rows["KSS-PS-3"]["change"] == 0.0

    browser_page.once("dialog", lambda dialog: dialog.accept())
    press_button(browser_page, "tk-sa-delete")
    assert browser_page.inner_text(".tk-sa-status") == "Your answers were deleted from this browser."
    assert browser_page.evaluate(f"localStorage.getItem('{KEY}')") is None
    browser_page.reload()
    assert browser_page.locator(".tk-sa input[type=radio]:checked").count() == 0
    assert browser_page.locator(".tk-sa-goal").count() == 0
    assert "not saved a round" in browser_page.inner_text(".tk-sa-rounds-body")

    elsewhere = [url for url in requests if urlparse(url.removeprefix("blob:")).hostname != "127.0.0.1"]
    assert elsewhere == []
    assert errors == []
    context.close()


def test_narrow_screen_and_no_javascript(served_site: str, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    browser_page = context.new_page()
    browser_page.goto(served_site + ASSESSMENT + ".html")
    assert browser_page.locator(".tk-sa-nojs").is_visible()
    assert browser_page.locator("fieldset.tk-sa-question").count() == 6
    assert browser_page.locator("fieldset.tk-sa-question legend").first.inner_text().startswith("1. Leading yourself")
    assert browser_page.locator("input[name='tk-sa-values']").count() == 5
    assert not browser_page.locator(".tk-sa-results").is_visible()
    assert not browser_page.locator(".tk-sa-delete").is_visible()
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()

    # bypass_csp: the page's Content-Security-Policy (rightly) refuses the injected axe-core.
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    browser_page = context.new_page()
    browser_page.goto(served_site + ASSESSMENT + ".html")
    browser_page.check("input[name='tk-sa-values'][value='3']")
    browser_page.check("input[name='tk-sa-noticing-stress'][value='1']")
    browser_page.click(".tk-sa-plan-fill")
    browser_page.click(".tk-sa-round-save")
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= 320
    # From the top, as a reader arrives: scrolled, the phone's sticky header covers whatever passes under it.
    browser_page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    violations = axe_violations(browser_page)
    assert not violations, describe(violations)
    context.close()


def test_on_this_page_lists_every_section_and_its_links_reach_them(served_site: str, browser):
    """Furo's "On this page" lists the form's sections too; without JavaScript only those shown."""
    sections = ["Questions", "Your results", "My development plan", "Before and after",
                "Share your ratings anonymously", "Ask others for feedback (360)"]
    for scripted, expected in ((True, sections), (False, ["Questions"])):
        context = browser.new_context(java_script_enabled=scripted, viewport={"width": 1366, "height": 900})
        browser_page = context.new_page()
        browser_page.goto(served_site + ASSESSMENT + ".html")
        links = [a for a in browser_page.locator(".toc-tree a").all() if a.is_visible()]
        shown = [a.inner_text() for a in links]
        assert [s for s in shown if s in sections or s.startswith("Feedback")] == expected, shown
        for link in links:
            if link.inner_text() in expected:
                heading = browser_page.locator(link.get_attribute("href"))
                assert heading.inner_text() == link.inner_text() and heading.is_visible()
        if scripted:
            browser_page.locator(".toc-tree a", has_text="My development plan").click()
            assert browser_page.evaluate("location.hash") == "#tk-sa-plan-heading"
            assert browser_page.locator("#tk-sa-plan-heading").is_visible()
            browser_page.goto(served_site + ASSESSMENT + ".html?rater=R1")
            shown = [a.inner_text() for a in browser_page.locator(".toc-tree a").all() if a.is_visible()]
            assert "Feedback for a colleague" in shown and "Your results" not in shown, shown
        context.close()


@pytest.mark.parametrize("name", ["practice-supervisor-self-assessment", "practitioner-self-assessment",
                                  "pcf-self-assessment", ASSESSMENT])
def test_shipped_assessments_are_forms_with_their_script_only_there(shipped_site: Path, name: str):
    html = (shipped_site / f"{name}.html").read_text(encoding="utf-8")
    assert html.count('<fieldset class="tk-sa-question"') >= 6
    assert "_static/selfassessment.js" in html and "_static/selfassessment.css" in html
    assert "selfassessment.js" not in (shipped_site / "genograms.html").read_text(encoding="utf-8")


SELF_ASSESSMENT = page(
    "check-in", kind="self-assessment", title="Supervisor check-in",
    questions="\n  - {id: standards, text: 'I set <b>high</b> standards & \"model\" them', maps_to: KSS-PS-1,"
              " reflection: true}\n  - {id: system, text: I shape the system, maps_to: KSS-PS-3}")


def test_form_escapes_author_text_and_follows_the_pages_that_map_to_a_statement(small_site: SiteFolder):
    small_site.write("check-in.md", SELF_ASSESSMENT)
    result = small_site.toolkit("build")
    assert result.status == 0, result.stderr[-3000:]
    built = small_site.folder / "_build" / "html" / "check-in.html"
    html = built.read_text(encoding="utf-8")
    assert "I set &lt;b&gt;high&lt;/b&gt; standards &amp; &quot;model&quot; them" in html
    assert "<b>high</b>" not in html
    assert html.count('type="radio" name="tk-sa-standards"') == 5
    assert "5 – confident and could teach others" in html
    assert 'id="tk-sa-standards-note"' in html and 'id="tk-sa-system-note"' not in html
    assert '<a href="statements/KSS-PS-1.html">KSS-PS-1 Promote and govern excellent practice</a>' in html
    source = html[html.index('data-statement="KSS-PS-3"><p>'):]
    assert "No toolkit page is mapped to this statement yet" in source.split("</div>")[0]

    genograms = small_site.content / "guides" / "genograms.md"
    genograms.write_text(genograms.read_text().replace("maps_to: [KSS-PS-2]", "maps_to: [KSS-PS-2, KSS-PS-3]"))
    result = small_site.toolkit("build")
    assert result.status == 0, result.stderr[-3000:]
    html = built.read_text(encoding="utf-8")
    source = html[html.index('data-statement="KSS-PS-3"><p>'):]
    assert '<a href="genograms.html">Genograms</a>' in source.split("</div>")[0]
