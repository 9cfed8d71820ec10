"""`python -m bench.hostile_pages [SHAPE ...]`: `toolkit check` timed on one page of each shape that
markdown-it or a lint reads slowly, made as large as the page limits allow (toolkit/core/limits.py:
5,000 markup characters a paragraph, 20,000 a page, 20,000 lines, 1,000,000 characters).

The limits are what keeps these in seconds: past them a page is refused before it is parsed. Each
line prints the wall time of the whole command and the problem codes it reported.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from toolkit.core.limits import MARKUP, MAX_PAGE_CHARACTERS, MAX_PAGE_LINES, MAX_PAGE_MARKUP, MAX_PARAGRAPH_MARKUP

SMALL_SITE = Path(__file__).resolve().parent.parent / "tests" / "sites" / "small"
FRONT = ("---\nid: hostile\nkind: page\ntitle: Hostile\nsummary: A hostile page.\nstatus: published\n"
         "last_reviewed: 2026-01-01\nreview_by: 2027-01-01\n---\n")
# One repeated unit per shape; paragraphs of it up to the limits.
UNITS = {"open-brackets": "[", "open-images": "![", "brackets-and-images": "[![", "emphasis": "*_",
         "smart-quotes": "\"'", "backticks": "`a``", "autolinks": "<a:", "attributes": "[a]{", "fields": ":a: b\n",
         "definitions": "a\n: b\n", "bracket-lines": "[\n", "references": "[a]: <", "entities": "&#",
         "unclosed-fences": ":::{note}\n", "dotted-run": "a.", "one-word": "a", "words": "ab "}


def page(unit: str) -> str:
    markup = len(MARKUP.findall(unit))
    if markup == 0:
        return unit * ((MAX_PAGE_CHARACTERS - 1_000) // len(unit))
    paragraph = unit * ((MAX_PARAGRAPH_MARKUP - 10) // markup)
    count = min((MAX_PAGE_MARKUP - 100) // len(MARKUP.findall(paragraph)),
                (MAX_PAGE_LINES - 100) // (paragraph.count("\n") + 2), MAX_PAGE_CHARACTERS // (len(paragraph) + 2))
    return "\n\n".join([paragraph] * max(count, 1))


def main(shapes: list[str]) -> None:
    toolkit = Path(sys.executable).parent / "toolkit"
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(SMALL_SITE, site)
        for name in shapes or UNITS:
            (site / "content" / "guides" / "hostile.md").write_text(FRONT + page(UNITS[name]) + "\n", encoding="utf-8")
            shutil.rmtree(site / "_build", ignore_errors=True)
            started = time.perf_counter()
            done = subprocess.run([str(toolkit), "check", "--today", "2026-06-01"], cwd=site, capture_output=True,
                                  text=True, timeout=600)
            codes = sorted(set(re.findall(r"\[([a-z-]+)\]", done.stdout)))
            print(f"{name:20s} {time.perf_counter() - started:6.2f} s  exit {done.returncode}  {' '.join(codes)}",
                  flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
