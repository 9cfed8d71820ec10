"""`toolkit serve`: build and serve with live reload while an author writes.

sphinx-autobuild watches the content roots; before each rebuild the toolkit validates again
and re-stages (errors are printed, and the last good staging is kept, so the server never
stops). Drafts are shown, with a banner.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from toolkit.build import PROJECT, cache_folder
from toolkit.cli import EXIT_ERRORS, EXIT_OK, load_buildable, today
from toolkit.editor.backend import start_editor
from toolkit.protocol import MANIFEST, MANIFEST_VARIABLE
from toolkit.staging import stage

SERVE_MODE = "serve"


def serve_cache(cache: Path) -> Path:
    return cache / SERVE_MODE


def restage(args: argparse.Namespace) -> int:
    """Validate and stage for the live server; on errors keep the last good staging."""
    site = load_buildable(args)
    if site is None:
        print("toolkit serve: the preview was not updated; fix the errors above", file=sys.stderr)
        return EXIT_OK
    stage(site, serve_cache(cache_folder(site.settings.path)), today(args), mode=SERVE_MODE)
    return EXIT_OK


def serve(args: argparse.Namespace) -> int:
    site = load_buildable(args)
    if site is None:
        return EXIT_ERRORS
    cache = serve_cache(cache_folder(site.settings.path))
    source = stage(site, cache, today(args), mode=SERVE_MODE)
    python = Path(sys.executable).as_posix()
    settings = Path(args.site).resolve().as_posix()
    restage_command = f'"{python}" -m toolkit stage --site "{settings}"'
    if args.today:
        restage_command += f" --today {args.today}"
    command = [sys.executable, "-m", "sphinx_autobuild", str(source), str(cache / "html"),
               "-c", str(PROJECT), "-d", str(cache / "doctrees"), "-q",
               "--host", args.host, "--port", str(args.port),
               "--re-ignore", re.escape(str(source)) + ".*", "--pre-build", restage_command,
               "--post-build", f'"{python}" -m toolkit.search_index "{(cache / "html").as_posix()}"']
    for root in site.settings.roots:
        command += ["--watch", str(root)]
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
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return EXIT_OK


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
