"""The problem banner of the real preview (issue 20): `toolkit serve` on a free port, Chromium on
its pages; a save that breaks the check shows file, line, message and fix on every page, the
terminal still prints it, and fixing it clears the banner. The settings file and data files are
watched too, and a preview started while a page is broken shows the last good version with the banner."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import TODAY, SiteFolder
from test_accessibility import AXE_SOURCE, WCAG_TAGS

BANNER = ".toolkit-problems"


@contextmanager
def previewing(site: SiteFolder, code: Path | None = None) -> Iterator[tuple[str, Path]]:
    """`toolkit serve` for real, in its own process group; yields its address and its log.
    `code`: a copy of the checkout to run instead (a test that edits the toolkit's code must not
    edit the one every other test is running)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = site.folder / "serve.log"
    env = os.environ | {"TOOLKIT_TODAY": TODAY, "PYTHONUNBUFFERED": "1"} | ({"PYTHONPATH": str(code)} if code else {})
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", "--site", str(site.settings),
                                   "--port", str(port)], cwd=site.folder, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    address = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: _get(address + "genograms.html") is not None, "the first build", log, server)
        yield address, log
    finally:
        before = log.read_text()
        os.killpg(server.pid, signal.SIGTERM)   # as a service manager stops it: the warm Sphinx too
        server.wait(timeout=60)
        # Stopping must not start a new Sphinx for a rebuild the signal cut short (that made a stop
        # take over a minute on a loaded 2-core machine).
        assert "Sphinx started again" not in log.read_text()[len(before):], log.read_text()[-3000:]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")
    except OSError:
        return None


def wait_for(condition: Callable[[], object], what: str, log: Path, server: subprocess.Popen | None = None,
             timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server is None or server.poll() is None, log.read_text()
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")


def _banner_text(tab) -> str:  # noqa: ANN001
    """The banner's text, or "" (also while live reload is reloading the page)."""
    from playwright.sync_api import Error

    try:
        banner = tab.query_selector(BANNER)
        return banner.inner_text() if banner else ""
    except Error:
        return ""


def _no_banner(tab) -> bool:  # noqa: ANN001
    from playwright.sync_api import Error

    try:
        return tab.evaluate("document.readyState") == "complete" and tab.query_selector(BANNER) is None
    except Error:
        return False


def _axe_on_banner(tab) -> dict:  # noqa: ANN001
    """axe-core on the banner, tried again if live reload replaces the page meanwhile."""
    from playwright.sync_api import Error

    for _ in range(5):
        try:
            tab.wait_for_selector(BANNER, timeout=10000)
            tab.add_script_tag(content=AXE_SOURCE)
            return tab.evaluate("([banner, tags]) => axe.run({include: [banner]}, "
                                "{runOnly: {type: 'tag', values: tags}})", [BANNER, WCAG_TAGS])
        except Error:
            time.sleep(1)
    pytest.fail("the page kept reloading")


def test_a_broken_save_shows_a_banner_on_every_page_until_it_is_fixed(small_site: SiteFolder, browser) -> None:  # noqa: ANN001
    source = small_site.content / "guides" / "genograms.md"
    good = source.read_text(encoding="utf-8")
    settings = small_site.settings.read_text(encoding="utf-8")
    with previewing(small_site) as (address, log):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        tab, other = context.new_page(), context.new_page()
        tab.goto(address + "genograms.html")
        other.goto(address + "reflective-supervision.html")
        time.sleep(2.5)   # time for the pages to read the problems file
        assert _no_banner(tab) and _no_banner(other)

        source.write_text(good.replace("title: Genograms", "title: Genograms: a guide"), encoding="utf-8")
        expected = ("content/guides/genograms.md:4", "the value of 'title' contains ': '",
                    'Fix: put the whole value in double quotes: title: "Genograms: a guide"',
                    "last version that passed the check")
        wait_for(lambda: all(all(words in _banner_text(page) for words in expected) for page in (tab, other)),
                 "the banner on both pages", log)
        assert "content/guides/genograms.md:4: error:" in log.read_text()      # the terminal still says it
        assert "Genograms" in tab.inner_text("article")                         # the last good page stays
        found = _axe_on_banner(tab)
        assert found["violations"] == [] and found["passes"], found["violations"]
        tab.screenshot(path=str(small_site.folder / "banner.png"))

        source.write_text(good, encoding="utf-8")
        wait_for(lambda: _no_banner(tab) and _no_banner(other), "the banner to clear", log)

        small_site.settings.write_text(settings.replace('"#1d4f91"', "#0b6e4f"), encoding="utf-8")
        wait_for(lambda: "site.yaml:3" in _banner_text(tab), "the settings problem in the banner", log)
        assert 'primary: "#0b6e4f"' in _banner_text(tab)
        small_site.settings.write_text(settings, encoding="utf-8")
        wait_for(lambda: _no_banner(tab), "the banner to clear after the settings fix", log)

        data = small_site.write("guides/family.genogram.yaml", "people:\n  - {id: a, label: A, sex: female\n")
        wait_for(lambda: "content/guides/family.genogram.yaml:2" in _banner_text(tab), "the data file problem", log)
        data.write_text("people:\n  - {id: a, label: A, sex: female}\n", encoding="utf-8")
        wait_for(lambda: _no_banner(tab), "the banner to clear after the data file fix", log)
        assert "Traceback" not in log.read_text()
        context.close()

    source.write_text(good.replace("kind: skill", "kind: skil"), encoding="utf-8")   # broken before a restart
    with previewing(small_site) as (address, log):
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(address + "genograms.html")
        wait_for(lambda: "content/guides/genograms.md:3" in _banner_text(tab), "the banner after a restart", log)
        assert "showing the last version that passed the check" in log.read_text()
        context.close()
