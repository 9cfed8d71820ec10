"""Pagefind: the static search index built from the finished HTML (no server, no download)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SEARCH_FOLDER = "pagefind"


def index_site(html: Path) -> bool:
    """Index `html` into html/pagefind; False (with Pagefind's message shown) on failure."""
    shutil.rmtree(html / SEARCH_FOLDER, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(html), "--output-subdir", SEARCH_FOLDER,
         "--force-language", "en", "--quiet"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        return False
    print("toolkit build: search index written", file=sys.stderr)
    return True
