"""Shared fixtures: a small real site to copy and change, and the toolkit command run for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SMALL_SITE = REPO / "tests" / "sites" / "small"
TODAY = "2026-11-22"


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str


@dataclass
class SiteFolder:
    """A copy of the small test site that a test may change freely."""

    folder: Path

    @property
    def settings(self) -> Path:
        return self.folder / "site.yaml"

    @property
    def content(self) -> Path:
        return self.folder / "content"

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def toolkit(self, *args: str, timeout: int = 600) -> Result:
        """Run the real `toolkit` command in a subprocess, as an author would."""
        env = os.environ | {"TOOLKIT_TODAY": TODAY}
        done = subprocess.run([sys.executable, "-m", "toolkit", *args, "--site", str(self.settings)],
                              capture_output=True, text=True, cwd=self.folder, env=env, timeout=timeout)
        return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def small_site(tmp_path: Path) -> SiteFolder:
    shutil.copytree(SMALL_SITE, tmp_path / "site")
    return SiteFolder(tmp_path / "site")


def page(page_id: str, body: str = "Some guidance.", **fields: str) -> str:
    """A valid page's text, with fields overridden (a value of None removes the field)."""
    values = {"id": page_id, "kind": "page", "title": page_id.replace("-", " ").capitalize(),
              "summary": "A short summary.", "status": "published",
              "last_reviewed": "2026-09-01", "review_by": "2027-09-01"} | fields
    front = "\n".join(f"{k}: {v}" for k, v in values.items() if v is not None)
    return f"---\n{front}\n---\n# {values.get('title', page_id)}\n\n{body}\n"


def built_pages(site: SiteFolder) -> dict[str, str]:
    """Every HTML page of a site's last build, by path."""
    out = site.folder / "_build" / "html"
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


def assert_fast_builds_match_a_clean_build(make: Callable[[str], SiteFolder],
                                           edit: Callable[[SiteFolder], None]) -> dict[str, str]:
    """Build a site edited three ways — rebuilt serially after the edit, built once with `-j 2`,
    built clean with `-j 1` — assert they give the same pages, and return the clean build's.

    `make(name)` returns a fresh copy of the site; `edit(site)` changes it."""
    incremental, parallel, clean = make("incremental"), make("parallel"), make("clean")
    assert incremental.toolkit("build", "-j", "1").status == 0
    edit(incremental)
    assert incremental.toolkit("build", "-j", "1").status == 0
    edit(parallel)
    assert parallel.toolkit("build", "-j", "2").status == 0
    edit(clean)
    assert clean.toolkit("build", "-j", "1").status == 0
    expected = built_pages(clean)
    assert built_pages(incremental) == expected
    assert built_pages(parallel) == expected
    return expected


SHIPPED_SETTINGS = """name: Practice Leadership Toolkit
organisation: Testshire Council
colours: {primary: "#1d4f91"}
contact: {email: psw@testshire.example, accessibility: web@testshire.example}
content: ["@toolkit"]
"""


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped toolkit built once per test session, with its own cache; returns the HTML folder."""
    folder = tmp_path_factory.mktemp("shipped")
    (folder / "site.yaml").write_text(SHIPPED_SETTINGS)
    site = SiteFolder(folder)
    result = site.toolkit("build")
    assert result.status == 0, result.stderr[-3000:]
    return folder / "_build" / "html"


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on 127.0.0.1 while the block runs; yields its base URL (ends with /)."""
    import functools
    import http.server
    import threading

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            """Keep test output to what tests print."""

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def served_site(shipped_site: Path) -> Iterator[str]:
    """The built shipped site served over HTTP; yields its base URL."""
    with serving(shipped_site) as url:
        yield url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test` as root, or apt-get install -y chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
