"""`toolkit build`: stage the merged content, run Sphinx in a subprocess, index, publish.

Sphinx runs as `python -m sphinx -c <this project>` so configuration only ever comes from
the toolkit, never from a content root, and a runaway build can be stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from toolkit.model import Site
from toolkit.publish import publish
from toolkit.staging import MANIFEST, stage

PROJECT = Path(__file__).resolve().parent.parent          # holds conf.py
BUILD_TIMEOUT = int(os.environ.get("TOOLKIT_BUILD_TIMEOUT", "3600"))
DOCS_LIST = "toolkit-docs.json"   # written by the builder: every page of this build
WARNING = re.compile(r"\bWARNING\b|\bERROR\b")
# Sphinx lines that mislead or distract an author (the cache folder is not the site).
NOISE = ("myst v", "Running Sphinx", "The HTML pages are in", "Writing evaluated template",
         "loading translations", "making output directory", "building [mo]", "loading pickled")


def cache_folder(site: Site) -> Path:
    return site.settings.folder / "_build" / "cache"


def default_out(site: Site) -> Path:
    return site.settings.folder / "_build" / "html"


def _jobs(jobs: str) -> str:
    """`auto` is one process per core: the builder's parallel write (builder/parallel.py) keeps
    none back for the main process, so more would only contend for the cores."""
    if jobs == "auto":
        return str(os.cpu_count() or 1)
    return jobs


def run_sphinx(site: Site, source: Path, cache: Path, jobs: str, strict: bool = False
               ) -> tuple[int, int]:
    """Run Sphinx, streaming its progress with staged paths shown as the author's; return
    (exit status, warnings)."""
    staged_names = {str(source / f"{page_id}.md"): page.shown for page_id, page in site.pages.items()}
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(PROJECT),
               "-d", str(cache / "doctrees"), "-j", _jobs(jobs), "--keep-going",
               str(source), str(cache / "html")]
    if strict:
        command.insert(-2, "-W")
    env = os.environ | {"TOOLKIT_MANIFEST": str(cache / MANIFEST), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env, cwd=PROJECT, bufsize=1)
    warnings = 0
    assert process.stdout is not None
    try:
        for line in process.stdout:
            for staged, shown in staged_names.items():
                if staged in line:
                    line = line.replace(staged, shown)
            warnings += bool(WARNING.search(line))
            if not line.startswith(NOISE):
                sys.stderr.write(line)
        status = process.wait(timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        print(f"toolkit build: Sphinx took longer than {BUILD_TIMEOUT} s and was stopped",
              file=sys.stderr)
        return 1, warnings
    return status, warnings


def site_files(html: Path) -> list[Path]:
    """The files of this build: current pages (Sphinx leaves removed ones behind) and assets."""
    pages = set(json.loads((html / DOCS_LIST).read_text()))
    files = []
    for path in html.rglob("*"):
        if not path.is_file() or path.name in (DOCS_LIST, ".buildinfo"):
            continue
        relative = path.relative_to(html)
        if path.suffix == ".html" and relative.with_suffix("").as_posix() not in pages:
            continue
        files.append(relative)
    return sorted(files)


def build_site(site: Site, out: Path | None, jobs: str, today: dt.date, strict: bool = False) -> int:
    from toolkit.search_index import SEARCH_FOLDER, index_site
    cache = cache_folder(site)
    out = out or default_out(site)
    print("toolkit build: staging content", file=sys.stderr)
    source = stage(site, cache, today)
    status, warnings = run_sphinx(site, source, cache, jobs, strict)
    if status != 0:
        print(f"toolkit build: Sphinx failed (exit {status}); {out} was left as it was", file=sys.stderr)
        return 1
    html = cache / "html"
    if not index_site(html):
        print(f"toolkit build: search indexing failed; {out} was left as it was", file=sys.stderr)
        return 1
    files = site_files(html)
    publish(html, files, out, linkable=(SEARCH_FOLDER,))
    pages = sum(1 for f in files if f.suffix == ".html")
    shown = os.path.relpath(out, Path.cwd())
    print(f"toolkit build: {pages} pages, {warnings} warning{'s' * (warnings != 1)}, site in {shown}"
          f" — view it with: python -m http.server -d {shown} 8000, then open http://127.0.0.1:8000/")
    return 0
