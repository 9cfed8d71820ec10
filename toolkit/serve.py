"""`toolkit serve`: build and serve with live reload while an author writes.

sphinx-autobuild watches the content roots and the settings file; before each rebuild the
toolkit validates again and re-stages (errors are printed, and the last good staging is kept,
so the server never stops). The current problems are also written to PREVIEW_PROBLEMS in the
served folder, where every preview page's script (builder/preview.py) reads them into a
banner: an author looking at the browser, not the terminal, sees what to fix. Drafts are
shown, with a banner.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from toolkit import trust
from toolkit.build import PROJECT, cache_folder
from toolkit.cli import EXIT_ERRORS, EXIT_OK, load, print_problems, today
from toolkit.editor.backend import start_editor
from toolkit.problems import Problem
from toolkit.protocol import MANIFEST, MANIFEST_VARIABLE
from toolkit.staging import SOURCE, stage, write_if_changed

SERVE_MODE = "serve"
PREVIEW_PROBLEMS = "_preview/problems.json"   # under the served folder; builder/preview.py reads it


def serve_cache(cache: Path) -> Path:
    return cache / SERVE_MODE


def write_preview_problems(cache: Path, problems: list[Problem]) -> None:
    """The problems the preview banner lists: every error, and the warnings on the author's own
    files (the shipped toolkit's are for its maintainers), in file and line order."""
    shown = sorted((p for p in problems if p.severity == "error"
                    or (p.severity == "warning" and not p.path.startswith("@toolkit/"))),
                   key=lambda p: (p.severity != "error", p.path, p.line))
    write_if_changed(cache / "html" / PREVIEW_PROBLEMS, json.dumps(
        [{"path": p.path, "line": p.line, "severity": p.severity, "message": p.message, "hint": p.hint}
         for p in shown], indent=1).encode("utf-8"))


def restage(args: argparse.Namespace) -> int:
    """Validate and stage for the live server; on errors keep the last good staging. The terminal
    and the preview banner both get the problems."""
    site, problems = load(args)
    shown = [p for p in problems if p.severity != "info"]
    write_preview_problems(serve_cache(cache_folder(Path(args.site))), shown)
    if print_problems(shown, "text", stream=sys.stderr) != EXIT_OK or site is None:
        print("toolkit serve: the preview was not updated; fix the errors above", file=sys.stderr)
        return EXIT_OK
    stage(site, serve_cache(cache_folder(site.settings.path)), today(args), mode=SERVE_MODE)
    return EXIT_OK


def serve(args: argparse.Namespace) -> int:
    """Start the preview; with errors, from the last version that passed (the banner lists them),
    or not at all when there is none yet."""
    site, problems = load(args)
    shown = [p for p in problems if p.severity != "info"]
    passed = print_problems(shown, "text", stream=sys.stderr) == EXIT_OK
    if site is None:
        return EXIT_ERRORS
    cache = serve_cache(cache_folder(site.settings.path))
    warning = trust.prepare(cache, site.settings.roots, fresh=False)   # sealed again when the preview stops
    if warning:
        print(f"toolkit serve: warning: {warning}", file=sys.stderr)
    if passed:
        source = stage(site, cache, today(args), mode=SERVE_MODE)
    elif (cache / MANIFEST).is_file():
        source = cache / SOURCE
        print("toolkit serve: showing the last version that passed the check; fix the errors above",
              file=sys.stderr)
    else:
        print("toolkit serve: nothing to preview yet; fix the errors above and start again", file=sys.stderr)
        return EXIT_ERRORS
    write_preview_problems(cache, shown)
    python = Path(sys.executable).as_posix()
    settings = Path(args.site).resolve().as_posix()
    restage_command = f'"{python}" -m toolkit stage --site "{settings}"'
    if args.today:
        restage_command += f" --today {args.today}"
    command = [sys.executable, "-m", "sphinx_autobuild", str(source), str(cache / "html"),
               "-c", str(PROJECT), "-d", str(cache / "doctrees"), "-q",
               "--host", args.host, "--port", str(args.port),
               "--re-ignore", re.escape(str(source)) + ".*", "--pre-build", restage_command,
               "--post-build", f'"{python}" -m toolkit.preview_scan "{(cache / "html").as_posix()}"',
               "--post-build", f'"{python}" -m toolkit.search_index "{(cache / "html").as_posix()}"']
    for watched in (*site.settings.roots, site.settings.path):   # pages, data files and the settings
        command += ["--watch", str(watched)]
    try:
        editor = start_editor(Path(args.site), today(args), args.editor_port or args.port + 1,
                              f"http://{args.host}:{args.port}/")
        print(f"toolkit serve: edit pages in a form at http://127.0.0.1:{editor.server_address[1]}/_edit/",
              file=sys.stderr)
    except OSError as exc:
        print(f"toolkit serve: the page editor could not start ({exc.strerror}); "
              "choose another port with --editor-port N", file=sys.stderr)
    print(f"toolkit serve: previewing on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    environment = {MANIFEST_VARIABLE: str(cache / MANIFEST)}
    try:
        server = subprocess.Popen(command, cwd=PROJECT, env=os.environ | environment)
    except OSError as exc:
        print(f"toolkit serve: could not start the preview server: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    signal.signal(signal.SIGTERM, _stop)   # a service manager's stop ends the server too
    try:
        status = server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        status = EXIT_OK
    trust.seal(cache)
    return status


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
