"""The page editor as an author uses it: `toolkit serve` running for real, Decap CMS in
Debian's Chromium, forms filled and saved, the page then seen in the live preview.

One served site for the module; each test works on its own page id.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import SMALL_SITE, TODAY
from tests.test_accessibility import axe_violations, describe
from toolkit.commands.cli import main as toolkit_main
from toolkit.editor.backend import start_editor

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


@contextmanager
def editor_page(browser, width: int = 1366) -> Iterator:
    """A page in its own browser context that fails the test if it asks any other host."""
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else outside.append(request.url))
    yield page
    context.close()
    assert not outside, f"the editor asked another host for: {outside}"


@pytest.fixture
def editor(browser, served: Served):
    with editor_page(browser) as page:
        yield page


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
    editor.get_by_role("status").get_by_text("content/life-story-work.md: saved, and the check finds no problems"
                                              ).wait_for(timeout=30000)
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


def test_a_shipped_page_is_copied_from_the_toolkit_bar_with_the_keyboard(browser, tmp_path: Path) -> None:
    folder = tmp_path / "org"
    (folder / "local").mkdir(parents=True)
    (folder / "site.yaml").write_text('name: Org\norganisation: Org Council\ncontact: {email: psw@org.example}\n'
                                      'content: ["@toolkit", local]\n', encoding="utf-8")
    server = start_editor(folder / "site.yaml", dt.date.fromisoformat(TODAY), 0, "http://127.0.0.1:1/")
    shipped = next((Path(__file__).resolve().parent.parent / "content").rglob("genograms.md"))
    try:
        with editor_page(browser) as page:
            page.set_default_timeout(60000)   # every request loads the whole shipped site
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/_edit/#/collections/skill",
                      wait_until="domcontentloaded")
            page.get_by_role("link", name="Skills").wait_for()
            for _ in range(80):   # reached with Tab, as a keyboard user would
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.textContent") == "Shipped pages: make a local copy":
                    break
            else:
                pytest.fail("the Shipped pages button is never reached with Tab")
            page.keyboard.press("Enter")
            dialog = page.get_by_role("dialog", name="Pages that come with the toolkit")
            dialog.get_by_label("Find a page").wait_for()
            dialog.get_by_role("button", name="Make a local copy of Genograms").wait_for()
            violations = axe_violations(page)
            assert not violations, describe(violations)
            page.keyboard.type("Genograms")
            dialog.get_by_role("button", name="Make a local copy of Genograms").wait_for()
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            page.wait_for_url("**#/collections/skill/entries/genograms")
            assert page.get_by_label("Title", exact=True).input_value() == "Genograms"
            assert (folder / "local" / "genograms.md").read_bytes() == shipped.read_bytes()
            page.get_by_role("button", name="Shipped pages: make a local copy").click()
            dialog.get_by_label("Find a page").fill("Genograms")
            dialog.get_by_role("button", name="Edit your copy of Genograms").wait_for()   # copied once only
    finally:
        server.shutdown()


@pytest.mark.parametrize(("host", "options"), [("github", ["--base-url", "https://login.anytown.example"]),
                                               ("gitlab", ["--base-url", "https://git.anytown.example/",
                                                           "--app-id", "4d1c0e"])])
def test_the_git_host_editor_loads_its_configuration_without_errors(browser, tmp_path: Path, host: str,
                                                                    options: list[str], monkeypatch) -> None:
    """Decap validates its configuration against its own schema when it loads: an error shows
    'Error loading the CMS configuration'. Served as a web team would, from another address."""
    admin, site = tmp_path / "admin", tmp_path / "site"
    shutil.copytree(SMALL_SITE, site)   # a check writes its cache beside the settings: never in the checkout
    monkeypatch.setenv("TOOLKIT_TODAY", TODAY)
    assert toolkit_main(["editor-config", "--backend", host, "--repo", "anytown/toolkit", *options,
                         "--out", str(admin), "--site", str(site / "site.yaml")]) == 0
    backend = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))["backend"]
    if host == "gitlab":
        assert backend["api_root"] == "https://git.anytown.example/api/v4" and backend["auth_type"] == "pkce"
    asked_elsewhere: list[str] = []

    def from_the_folder(route) -> None:
        url = route.request.url
        if not url.startswith("https://editor.example/admin/"):
            asked_elsewhere.append(url)
            return route.abort()
        file = admin / (url.removeprefix("https://editor.example/admin/").split("?")[0] or "index.html")
        if not file.is_file():
            return route.fulfill(status=404, body=b"")
        types = {".yml": "text/yaml", ".js": "text/javascript", ".css": "text/css", ".html": "text/html"}
        route.fulfill(status=200, body=file.read_bytes(), content_type=types.get(file.suffix, "text/plain"))

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.route("**/*", from_the_folder)
    try:
        page.goto("https://editor.example/admin/")
        page.get_by_role("button", name=f"Login with {'GitHub' if host == 'github' else 'GitLab'}").wait_for()
        assert not page.get_by_text("Error loading the CMS configuration").count()
        assert not asked_elsewhere, asked_elsewhere
    finally:
        context.close()


def test_the_top_bar_fits_a_phone(browser, served: Served) -> None:
    with editor_page(browser, width=390) as page:
        page.goto(served.editor + "#/collections/skill/entries/guides/genograms")
        title = page.get_by_label("Title", exact=True)
        title.wait_for()
        for name in ("Published", "Delete entry"):
            box = page.get_by_role("button", name=name).first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
        back = page.get_by_text("Writing in Skills collection").bounding_box()
        assert back and back["height"] <= 44          # on one or two lines, not squeezed into four
        assert title.bounding_box()["y"] > page.get_by_role("button", name="Delete entry").bounding_box()["y"]


def test_saving_keeps_fields_without_a_form_and_shows_what_the_check_finds(editor, served: Served) -> None:
    """Last in the module: the file it saves has problems, which hold back the preview until it is removed."""
    path = served.folder / "content" / "extra.genogram.yaml"
    before = ("# The family at the first visit.\nindex: child\npeople:\n"
              "  - {id: mum, label: Mother, sex: female, born: 1985, colour_note: keep me}\n"
              "  - {id: child, label: A (9), sex: female, born: 2016}\n"
              "unions:\n  - {partners: [mum, child], status: married}\n"
              "reviewed_by: the PSW   # a field with no form\n")
    path.write_text(before, encoding="utf-8")
    try:
        editor.goto(served.editor + "#/collections/genogram/entries/extra")
        editor.get_by_label(re.compile("^As of")).fill("2026-09-01")
        publish(editor)
        check = editor.get_by_role("status").filter(has_text="extra.genogram.yaml")
        check.get_by_text("the check finds 2 problems").wait_for(timeout=30000)
        assert "Line 5, error: unknown field 'colour_note'" in check.inner_text()
        assert "Line 9, error: unknown field 'reviewed_by'" in check.inner_text()
        assert path.read_text(encoding="utf-8") == before.replace("index: child\n",
                                                                  "index: child\nas_of: 2026-09-01\n")
    finally:
        path.unlink()
