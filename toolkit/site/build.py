"""`toolkit build`: stage the merged content, run Sphinx in a subprocess, index, publish.

Sphinx runs as `python -m builder.start -c <this project>` (sphinx-build, started early) so
configuration only ever comes from the toolkit, never from a content root, and a runaway build
can be stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from toolkit.content.model import Site
from toolkit.content.shipped import PROJECT
from toolkit.core.guard import EXIT_BUG, print_bug
from toolkit.core.protocol import DOCS_LIST, MANIFEST, MANIFEST_VARIABLE, PDF_FOLDER, START_SIGNAL
from toolkit.site.output_scan import BackgroundScan, CleanFiles, scan_output
from toolkit.site.pdf import write_pdfs
from toolkit.site.publish import Publication, files_under, relative_files
from toolkit.site.search_index import SEARCH_FOLDER, index_site
from toolkit.site.staging import SOURCE, stage

BUILD_TIMEOUT = int(os.environ.get("TOOLKIT_BUILD_TIMEOUT", "3600"))
SPHINX_CRASH = "Versions"   # the first line of Sphinx's report of an exception it did not expect
CRASH_LOG = "The full traceback has been saved in:"
WARNING = re.compile(r"\bWARNING\b|\bERROR\b")
# Sphinx lines that mislead or distract an author (the cache folder is not the site).
NOISE = ("myst v", "Running Sphinx", "The HTML pages are in", "Writing evaluated template",
         "loading translations", "making output directory", "building [mo]", "loading pickled")


def cache_folder(settings_file: Path) -> Path:
    return settings_file.resolve().parent / "_build" / "cache"


def default_out(site: Site) -> Path:
    return site.settings.folder / "_build" / "html"


def _jobs(jobs: str) -> str:
    """`auto` is one process per core: the builder's parallel write (builder/parallel.py) keeps
    none back for the main process, so more would only contend for the cores."""
    if jobs == "auto":
        return str(os.cpu_count() or 1)
    return jobs


class SphinxRun:
    """Sphinx in a subprocess (`builder.start`), started before the pages are checked so that its
    imports overlap the check; it builds only once `start` is called, and leaving the `with`
    block stops it if it is still running."""

    def __init__(self, settings_file: Path, jobs: str, strict: bool = False) -> None:
        self.cache = cache_folder(settings_file)
        command = [sys.executable, "-m", "builder.start", "-b", "html", "--no-color", "-c", str(PROJECT),
                   "-d", str(self.cache / "doctrees"), "-j", _jobs(jobs), "--keep-going",
                   str(self.cache / SOURCE), str(self.cache / "html")]
        if strict:
            command.insert(-2, "-W")
        self.started = False
        self.crash: list[str] | None = None   # Sphinx's own crash report (a bug in the toolkit)
        env = os.environ | {MANIFEST_VARIABLE: str(self.cache / MANIFEST), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=env, cwd=PROJECT, bufsize=1)

    def __enter__(self) -> SphinxRun:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None and not stream.closed:
                stream.close()

    def ran_to_its_end(self) -> bool:
        """Sphinx ended by itself, or never started building: the cache is as it left it."""
        return not self.started or self.process.poll() is not None

    def start(self) -> None:
        """Let Sphinx build the staged pages; its output waits in the pipe until `finish`."""
        assert self.process.stdin is not None
        self.started = True
        try:
            self.process.stdin.write(START_SIGNAL + "\n")
            self.process.stdin.close()
        except BrokenPipeError:  # it failed while importing; its output says why
            pass

    def finish(self, site: Site) -> tuple[int, int]:
        """Stream Sphinx's progress with staged paths shown as the author's, until it ends;
        return (exit status, warnings)."""
        assert self.process.stdout is not None
        staged_names = {str(self.cache / SOURCE / f"{page_id}.md"): page.shown
                        for page_id, page in site.pages.items()}
        warnings = 0
        try:
            for line in self.process.stdout:
                if line.rstrip() == SPHINX_CRASH or self.crash is not None:   # versions, traceback, a request
                    self.crash = (self.crash or []) + [line.strip()]            # for a Sphinx bug report
                    continue
                for staged, shown in staged_names.items():
                    if staged in line:
                        line = line.replace(staged, shown)
                warnings += bool(WARNING.search(line))
                if not line.startswith(NOISE):
                    sys.stderr.write(line)
            status = self.process.wait(timeout=BUILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            print(f"toolkit build: Sphinx took longer than {BUILD_TIMEOUT} s and was stopped",
                  file=sys.stderr)
            return 1, warnings
        return status, warnings


def _crash_summary(report: list[str]) -> str:
    """The exception that ended Sphinx (the last line of its traceback), and where it saved the rest."""
    saved = report.index(CRASH_LOG) if CRASH_LOG in report else len(report)
    exception = next((line for line in reversed(report[:saved]) if line), "an unexpected exception")
    log = report[saved + 1] if saved + 1 < len(report) else ""
    return exception + (f"; the details are in {log}" if log else "")


def site_files(html: Path) -> list[Path]:
    """The files of this build but its search index: current pages (Sphinx leaves removed ones
    behind) and assets."""
    pages = set(json.loads((html / DOCS_LIST).read_text()))
    return [Path(relative) for relative in relative_files(html, leave_out=(SEARCH_FOLDER,))
            if relative.rpartition("/")[2] not in (DOCS_LIST, ".buildinfo")
            and (not relative.endswith(".html") or relative.removesuffix(".html") in pages)]


def start_build(site: Site, sphinx: SphinxRun, today: dt.date, pdf: bool = False) -> None:
    """Stage the pages and let Sphinx start on them."""
    stage(site, sphinx.cache, today, pdf=pdf)
    sphinx.start()


def build_site(site: Site, sphinx: SphinxRun, out: Path | None, today: dt.date, pdf: bool = False) -> int:
    """Wait for Sphinx (see `start_build`), make the PDFs if asked, index, and publish."""
    cache = sphinx.cache
    out = out or default_out(site)
    status, warnings = sphinx.finish(site)
    if sphinx.crash is not None:
        print_bug("while building the site", _crash_summary(sphinx.crash))
        return EXIT_BUG
    if status != 0:
        print(f"toolkit build: Sphinx failed (exit {status}); {out} was left as it was", file=sys.stderr)
        return 1
    html = cache / "html"
    if pdf:
        if not write_pdfs(html, site.settings, today):
            print(f"toolkit build: the PDFs could not be made; {out} was left as it was", file=sys.stderr)
            return 1
    else:
        shutil.rmtree(html / PDF_FOLDER, ignore_errors=True)   # none left from an earlier --pdf build
    files = site_files(html)
    pages = [f for f in files if f.suffix == ".html"]
    clean = CleanFiles(cache, site.settings.base_url)
    scan = BackgroundScan(html, clean.unscanned(html, files), site.settings.base_url)   # beside Pagefind
    with Publication(html, files, out, linkable=(SEARCH_FOLDER,)) as publication:   # filled meanwhile
        indexed = index_site(html, pages)
        unsafe = scan.findings()
        if not indexed:
            print(f"toolkit build: search indexing failed; {out} was left as it was", file=sys.stderr)
            return 1
        search = [SEARCH_FOLDER / f for f in files_under(html / SEARCH_FOLDER)]
        unsafe += scan_output(html, clean.unscanned(html, search), site.settings.base_url)
        if unsafe:
            for finding in unsafe:
                print(f"toolkit build: unsafe output: {finding}", file=sys.stderr)
            print(f"toolkit build: the built site carries script, frames or requests to other hosts "
                  f"(listed above), so nothing was published and {out} was left as it was; please report "
                  f"this as a bug if `toolkit check` did not name the page", file=sys.stderr)
            return 1
        clean.remember()
        publication.install(search)
    shown = os.path.relpath(out, Path.cwd())
    print(f"toolkit build: {len(pages)} pages, {warnings} warning{'s' * (warnings != 1)}, site in {shown}"
          f" — view it with: python -m http.server -d {shown} 8000, then open http://127.0.0.1:8000/")
    return 0
