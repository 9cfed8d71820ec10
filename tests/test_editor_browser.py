"""The page editor as an author uses it: `toolkit serve` running for real, Decap CMS in
Debian's Chromium, forms filled and saved, the page then seen in the live preview.

One served site for the module; each test works on its own page id.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SMALL_SITE, TODAY
from tests.test_accessibility import axe_violations, describe

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c63f8cfc0f01f0005000201a0e1f5f30000000049454e44ae426082")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    folder: Path
    preview: str
    editor: str


def _wait_for(url: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"toolkit serve stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("editor-browser") / "site"
    shutil.copytree(SMALL_SITE, folder)
    port, editor_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", "--site", str(folder / "site.yaml"), "--port", str(port),
         "--editor-port", str(editor_port)],
        cwd=folder, env=os.environ | {"TOOLKIT_TODAY": TODAY}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/index.html", 240, process)
        _wait_for(f"http://127.0.0.1:{editor_port}/_edit/", 30, process)
        yield Served(folder, f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{editor_port}/_edit/")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def editor(browser, served: Served):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else outside.append(request.url))
    yield page
    context.close()
    assert not outside, f"the editor asked another host for: {outside}"


def choose(page, label: str, option: str) -> None:
    """Pick an option of a select list as a keyboard user does: focus, type, Enter."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Entry saved").wait_for(timeout=15000)


def wait_for_preview(url: str, text: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                html = response.read().decode("utf-8")
                if text in html:
                    return html
        except urllib.error.URLError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} never showed {text!r}")


def test_an_author_creates_a_skill_page_in_the_form_and_sees_it_in_the_preview(editor, served: Served) -> None:
    started = time.monotonic()
    editor.goto(served.editor + "#/collections/skill/new")
    editor.get_by_label("Id", exact=True).fill("life-story-work")
    editor.get_by_label("Title", exact=True).fill("Life story work")
    editor.get_by_label("Summary", exact=True).fill("Helping a child understand their own history.")
    choose(editor, "Status", "published")
    editor.get_by_label("Last reviewed", exact=True).fill("2026-11-01")
    editor.get_by_label("Review by", exact=True).fill("2027-11-01")
    choose(editor, "Audience", "Practitioner")
    choose(editor, "Topics", "Assessment")
    choose(editor, "Maps to", "KSS-PS-2")
    editor.locator('.cms-editor-raw [contenteditable="true"], .cms-editor-raw textarea').first.click()
    editor.keyboard.type("# Life story work\n\nA life story book helps a child.\n\n"
                         "![A life story book](templates/photo.png)\n")
    editor.get_by_role("button", name="Add templates").click()   # an image to download, chosen as authors do
    editor.get_by_role("button", name="Choose a file").first.click()
    editor.locator("input[type=file]").first.set_input_files(files=[{"name": "photo.png", "mimeType": "image/png",
                                                                      "buffer": PNG}])
    editor.get_by_role("button", name="Choose selected").click()
    publish(editor)
    html = wait_for_preview(served.preview + "life-story-work.html", "A life story book helps a child.")
    elapsed = time.monotonic() - started
    print(f"editor opened to page in the preview: {elapsed:.1f} s")
    written = (served.folder / "content" / "life-story-work.md").read_text(encoding="utf-8")
    assert written.startswith("---\nid: life-story-work\nkind: skill\ntitle: Life story work\n")
    assert "maps_to: [KSS-PS-2]\n" in written and "last_reviewed: 2026-11-01\n" in written
    assert "KSS-PS-2" in html and "photo.png" in html
    assert "templates: [templates/photo.png]\n" in written
    assert (served.folder / "content" / "templates" / "photo.png").read_bytes() == PNG


def test_editing_an_existing_page_changes_only_the_edited_field(editor, served: Served) -> None:
    path = served.folder / "content" / "guides" / "genograms.md"
    before = path.read_text(encoding="utf-8")
    editor.goto(served.editor + "#/collections/skill/entries/guides/genograms")
    title = editor.get_by_label("Title", exact=True)
    title.fill("Genograms and family trees")
    publish(editor)
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("title: Genograms\n", "title: Genograms and family trees\n")
    wait_for_preview(served.preview + "genograms.html", "Genograms and family trees")


def test_the_editor_passes_axe(editor, served: Served) -> None:
    editor.goto(served.editor + "#/collections/skill/new")
    editor.get_by_label("Title", exact=True).wait_for()
    editor.wait_for_function("() => ![...document.querySelectorAll('body > canvas')]"
                             ".some(bar => getComputedStyle(bar).display !== 'none')")   # loading bar gone
    violations = axe_violations(editor)
    assert not violations, describe(violations)


def test_the_editor_is_not_in_the_built_site(served: Served) -> None:
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(served.preview + "_edit/")
