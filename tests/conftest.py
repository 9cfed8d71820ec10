"""Shared fixtures: a small real site to copy and change, and the toolkit command run for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
