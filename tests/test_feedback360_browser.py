"""360 feedback without a server, as people meet it in Chromium: the person sends a link, three
colleagues answer in their own browsers and send back a file or a code, and the person sees their
ratings beside others' by group, widest differences first. Bad files are refused in plain words and
nothing already loaded is lost; no request goes to any other host; axe finds nothing."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import REPO, SMALL_SITE, SiteFolder, page, serving
from tests.test_accessibility import axe_violations, describe
from tests.test_selfassessment_browser import fill_by_keyboard, press_button, tab_to

QUESTIONS = [("standards", "KSS-PS-1"), ("growth", "KSS-PS-2"), ("system", "KSS-PS-3"), ("influence", "KSS-PS-3")]
CHECK_IN = page("check-in", kind="self-assessment", title="Supervisor check-in", questions="".join(
    f"\n  - {{id: {q}, text: I do {q} well, maps_to: {s}}}" for q, s in QUESTIONS))
SELF = {"standards": 4, "growth": 2, "system": 3, "influence": 3}
# The three colleagues: a manager and two peers (combined into one group of three).
RATERS = [("manager", {"standards": 4, "growth": 4, "system": 2, "influence": 3}),
          ("peer", {"standards": 5, "growth": 4, "system": 3, "influence": 3}),
          ("peer", {"standards": 4, "growth": 5, "system": 2, "influence": 2})]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("feedback360") / "site"
    shutil.copytree(SMALL_SITE, folder)
    built = SiteFolder(folder)
    built.write("check-in.md", CHECK_IN)
    result = built.toolkit("build")
    assert result.status == 0, result.stderr[-3000:]
    with serving(folder / "_build" / "html") as url:
        yield url


def choose_group(browser_page, group: str) -> None:
    tab_to(browser_page, "e.name === 'tk-sa-rater-group'")
    for _ in range(["manager", "peer", "supervisee"].index(group)):
        browser_page.keyboard.press("ArrowDown")
    if group == "manager":
        browser_page.keyboard.press("Space")


def load_files_by_keyboard(browser_page, paths: list[Path]) -> None:
    tab_to(browser_page, "e.id === 'tk-sa-ask-files'")
    with browser_page.expect_file_chooser() as chooser:
        browser_page.keyboard.press("Space")
    chooser.value.set_files([str(p) for p in paths])


def watch(browser_page, requests: list[str], errors: list[str]) -> None:
    browser_page.on("request", lambda request: requests.append(request.url))
    browser_page.on("pageerror", lambda error: errors.append(str(error)))


def test_three_raters_and_a_self_assessment_by_keyboard_with_no_request_elsewhere(site: str, browser,
                                                                                 tmp_path: Path):
    requests: list[str] = []
    errors: list[str] = []
    person_context = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 900},
                                         bypass_csp=True)
    person = person_context.new_page()
    # Playwright turns on file-chooser interception without waiting for the browser to confirm, so
    # a key pressed straight after `expect_file_chooser` can open a real (invisible) dialog instead:
    # a listener from the start has it on long before the first file is chosen.
    person.on("filechooser", lambda chooser: None)
    watch(person, requests, errors)
    person.goto(site + "check-in.html")
    fill_by_keyboard(person, SELF)
    assert person.locator(".tk-sa-ask").is_visible() and not person.locator(".tk-sa-rater").is_visible()
    link = person.input_value("#tk-sa-ask-link")
    assert link.startswith(site + "check-in.html?rater=") and len(link) < len(site) + 40
    assert "No responses are loaded yet." in person.inner_text(".tk-sa-ask-body")

    files, code = [], ""
    for number, (group, ratings) in enumerate(RATERS):
        # Each colleague in their own browser (a fresh context: nothing of the person's is there).
        context = browser.new_context(accept_downloads=True, bypass_csp=True)
        rater = context.new_page()
        watch(rater, requests, errors)
        rater.goto(link)
        assert rater.locator(".tk-sa-rater").is_visible() and rater.locator(".tk-sa-rater-send").is_visible()
        for hidden in (".tk-sa-results", ".tk-sa-plan", ".tk-sa-rounds", ".tk-sa-export", ".tk-sa-ask"):
            assert not rater.locator(hidden).is_visible(), hidden
        assert "Rate your colleague" in rater.inner_text(".tk-sa-rater-only")
        press_button(rater, "tk-sa-rater-download")
        assert "Choose how you work with your colleague first" in rater.inner_text(".tk-sa-rater-message")
        choose_group(rater, group)
        fill_by_keyboard(rater, dict(list(ratings.items())[:3]))
        press_button(rater, "tk-sa-rater-download")
        assert "1 still to answer, starting with question 4" in rater.inner_text(".tk-sa-rater-message")
        fill_by_keyboard(rater, dict(list(ratings.items())[3:]))
        tab_to(rater, "e.classList.contains('tk-sa-rater-download')")
        with rater.expect_download() as info:
            rater.keyboard.press("Enter")
        path = tmp_path / f"rater{number}.json"
        info.value.save_as(path)
        response = json.loads(path.read_text())
        assert response["group"] == group and response["assessment"] == "check-in"
        assert {r["question"]: r["rating"] for r in response["ratings"]} == ratings
        assert path.stat().st_size < 1000
        files.append(path)
        if number == 2:
            press_button(rater, "tk-sa-rater-copy")
            code = rater.input_value("#tk-sa-rater-code")
            assert code.startswith("TK360-") and rater.evaluate("document.activeElement.id") == "tk-sa-rater-code"
        assert rater.evaluate("Object.keys(localStorage).every(k => k.includes(':rater'))")
        if number == 0:
            # Scrolled up, as a reader does: Furo's "Back to top" link shows, inside the main landmark.
            rater.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            rater.wait_for_function("(window.scrollBy(0, -40), "
                                    "getComputedStyle(document.querySelector('.back-to-top')).display !== 'none')")
            violations = axe_violations(rater)
            assert not violations, describe(violations)
        context.close()

    messages = person.locator(".tk-sa-ask-messages")
    load_files_by_keyboard(person, files[:1])
    expect(messages).to_contain_text("Added 1 response.")
    assert "Load at least 3 responses" in person.inner_text(".tk-sa-ask-body")
    assert person.locator(".tk-sa-ask-body table").count() == 0, "one rater's answers shown on their own"
    load_files_by_keyboard(person, files[1:])
    expect(messages).to_contain_text("Added 2 responses.")
    # The third rater's code is the same response as their file: read, and refused as a second copy.
    tab_to(person, "e.id === 'tk-sa-ask-paste'")
    person.keyboard.insert_text(code)
    press_button(person, "tk-sa-ask-add")
    expect(messages).to_contain_text("The code is from someone whose response is already loaded")
    assert person.input_value("#tk-sa-ask-paste") == code, "the pasted code was lost"

    def comparison() -> list[list[str]]:
        table = person.locator(".tk-sa-ask-body table")
        return [[cell.strip() for cell in row.split("\t")] for row in table.inner_text().splitlines()[1:]]

    expected = [
        ["Statement", "You", "All others (3)", "Difference (others − you)"],
        ["KSS-PS-2 Developing excellent practitioners", "2", "4.3", "+2.3 (others rate you higher)"],
        ["KSS-PS-3 Shaping and influencing the practice system", "3", "2.5", "−0.5 (others rate you lower)"],
        ["KSS-PS-1 Promote and govern excellent practice", "4", "4.3", "+0.3 (others rate you higher)"],
    ]
    assert comparison() == expected
    body = person.inner_text(".tk-sa-ask-body")
    assert "You have loaded 3 responses: 1 manager and 2 peers." in body
    assert "managers and peers are shown together" in body
    assert ("The widest difference is on KSS-PS-2 Developing excellent practitioners: others rate you 2.3 "
            "points higher than you rate yourself.") in body

    # Bad files: each refused with its reason, and the three loaded responses kept.
    response = json.loads(files[0].read_text())
    (tmp_path / "other.json").write_text(json.dumps(response | {"assessment": "pcf-self-assessment",
                                                                "title": "PCF self-assessment"}))
    (tmp_path / "damaged.json").write_text(files[1].read_text()[:60])
    (tmp_path / "someone-else.json").write_text(json.dumps(response | {"rater": "zzzzzzzz9", "request": "abcdefghj"}))
    (tmp_path / "copy.json").write_bytes(files[1].read_bytes())
    person.set_input_files("#tk-sa-ask-files", [str(tmp_path / n) for n in ("other.json", "damaged.json",
                                                                            "someone-else.json", "copy.json")])
    expect(messages).to_contain_text("No response was added.")
    messages = messages.inner_text()
    assert "No response was added. 4 could not be used:" in messages
    assert "“other.json” is feedback on a different self-assessment (“PCF self-assessment”)" in messages
    assert "“damaged.json” is not a 360 response from this toolkit, or it is damaged." in messages
    assert "“someone-else.json” answers a different request for feedback" in messages
    assert "“copy.json” is from someone whose response is already loaded (the same person twice)" in messages
    assert comparison() == expected

    person.reload()
    assert comparison() == expected, "the loaded responses were not kept"
    assert person.input_value("#tk-sa-ask-link") == link, "the link changed, so earlier raters' files would not fit"
    violations = axe_violations(person)
    assert not violations, describe(violations)

    elsewhere = [url for url in requests if urlparse(url.removeprefix("blob:")).hostname != "127.0.0.1"]
    assert elsewhere == [] and errors == []
    person_context.close()

    # The same files feed `toolkit report evaluation` (here the same round twice: no change).
    rounds = tmp_path / "round"
    rounds.mkdir()
    for path in files:
        shutil.copy(path, rounds)
    done = subprocess.run([sys.executable, "-m", "toolkit", "report", "evaluation", str(rounds), str(rounds),
                           "--format", "json"], capture_output=True, text=True, timeout=60,
                          env=os.environ | {"PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["overall"]["respondents_in_both"] == 3


def response(request: str, rater: str, group: str, ratings: dict[str, int]) -> str:
    return json.dumps({"toolkit": "360-response", "version": 1, "assessment": "check-in", "request": request,
                       "rater": rater, "group": group, "date": "2026-12-01", "scale": 5,
                       "ratings": [{"question": q, "statement": s, "rating": ratings[q]} for q, s in QUESTIONS]})


def test_groups_of_three_are_shown_apart_and_a_lone_manager_is_combined_narrow_and_dark(site: str, browser,
                                                                                         tmp_path: Path):
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme="dark", bypass_csp=True)
    person = context.new_page()
    person.goto(site + "check-in.html")
    request = person.input_value("#tk-sa-ask-link").split("?rater=")[1]
    groups = ["manager"] + ["peer"] * 3 + ["supervisee"] * 3
    paths = []
    for number, group in enumerate(groups):
        rating = 5 if group == "supervisee" else 3
        path = tmp_path / f"r{number}.json"
        path.write_text(response(request, f"rater{number:04d}", group, dict.fromkeys(SELF, rating)))
        paths.append(path)
    person.set_input_files("#tk-sa-ask-files", [str(p) for p in paths[:-1]])
    expect(person.locator(".tk-sa-ask-body table")).to_be_visible()
    code = "TK360-" + base64.urlsafe_b64encode(paths[-1].read_bytes()).decode().rstrip("=")
    person.fill("#tk-sa-ask-paste", code)
    person.click(".tk-sa-ask-add")
    expect(person.locator(".tk-sa-ask-count")).to_contain_text("You have loaded 7 responses")
    header = person.locator(".tk-sa-ask-body table thead").inner_text().split("\t")
    assert [h.strip() for h in header] == ["Statement", "You", "Managers and peers (4)", "People you supervise (3)",
                                           "All others (7)", "Difference (others − you)"]
    first = person.locator(".tk-sa-ask-body tbody tr").first.inner_text().split("\t")
    assert [c.strip() for c in first[1:]] == ["–", "3", "5", "3.9", "–"]
    assert "Answer the questions yourself" in person.inner_text(".tk-sa-ask-body")
    assert person.evaluate("document.documentElement.scrollWidth") <= 390
    violations = axe_violations(person)
    assert not violations, describe(violations)
    context.close()
