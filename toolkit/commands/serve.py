"""`toolkit serve`: build and serve with live reload while an author writes.

The preview server (toolkit/commands/preview_server.py) watches the content roots, the settings file and
the toolkit's own code and templates (a change to those starts a new Sphinx: toolkit/site/warm.py);
on a save, a Sphinx kept warm between rebuilds (builder/warm.py, driven by toolkit/site/warm.py)
validates again, re-stages and builds only what changed (errors are printed, and the last good
staging is kept, so the server never stops). The changed files pass the output scan and are
then swapped into the served folder (toolkit/site/preview_site.py), never half-written; the search
index follows. The current problems are also written to PREVIEW_PROBLEMS in the served folder,
where every preview page's script (builder/preview.py) reads them into a banner: an author
looking at the browser, not the terminal, sees what to fix. Drafts are shown, with a banner.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from toolkit.commands.common import EXIT_ERRORS, EXIT_OK, load, print_problems, read_settings, today
from toolkit.core import trust
from toolkit.core.guard import print_bug
from toolkit.core.problems import Problem
from toolkit.core.protocol import MANIFEST, WARM_CRASHED, WARM_STEPS, WARM_STOPPED
from toolkit.site.build import cache_folder, site_files
from toolkit.site.preview_site import install
from toolkit.site.publish import files_under
from toolkit.site.search_index import SEARCH_FOLDER, index_site
from toolkit.site.staging import stage, write_if_changed
from toolkit.site.warm import CODE, WarmSphinx

SERVE_MODE = "serve"
PREVIEW_PROBLEMS = "_preview/problems.json"   # under the served folder; builder/preview.py reads it
SERVED = "site"   # the served folder, in the preview's cache beside Sphinx's output
UNSAFE_OUTPUT = "unsafe-output"   # the code of a finding of the output scan in the banner


def serve_cache(cache: Path) -> Path:
    return cache / SERVE_MODE


def write_preview_problems(cache: Path, problems: list[Problem]) -> None:
    """The problems the preview banner lists: every error, and the warnings on the author's own
    files (the shipped toolkit's are for its maintainers), in file and line order."""
    shown = sorted((p for p in problems if p.severity == "error"
                    or (p.severity == "warning" and not p.path.startswith("@toolkit/"))),
                   key=lambda p: (p.severity != "error", p.path, p.line))
    write_if_changed(cache / SERVED / PREVIEW_PROBLEMS, json.dumps(
        [{"path": p.path, "line": p.line, "severity": p.severity, "message": p.message, "hint": p.hint}
         for p in shown], indent=1).encode("utf-8"))


def restage(args: argparse.Namespace, steps: dict[str, float] | None = None) -> bool:
    """Validate and stage for the live server; on errors keep the last good staging and return
    False. The terminal and the preview banner both get the problems. `steps` gets the seconds
    the check and the staging took."""
    started = time.perf_counter()
    site, problems = load(args)
    if steps is not None:
        steps["check"] = time.perf_counter() - started
    shown = [p for p in problems if p.severity != "info"]
    write_preview_problems(serve_cache(cache_folder(Path(args.site))), shown)
    if print_problems(shown, "text", stream=sys.stderr) != EXIT_OK or site is None:
        print("toolkit serve: the preview was not updated; fix the errors above", file=sys.stderr)
        return False
    staging = time.perf_counter()
    stage(site, serve_cache(cache_folder(site.settings.path)), today(args), mode=SERVE_MODE)
    if steps is not None:
        steps["staging"] = time.perf_counter() - staging
    return True


def publish_preview(cache: Path, base_url: str | None, reload: Callable[[], None]) -> tuple[float, float]:
    """Swap the rebuilt pages into the served folder and reload the open pages; then index the
    search and swap its files in. Unsafe output is reported and not served. Returns the seconds
    the pages and the search took."""
    started = time.perf_counter()
    html, served = cache / "html", cache / SERVED
    files = site_files(html)
    unsafe = preview_install(html, served, files, base_url, leave=(SEARCH_FOLDER, PREVIEW_PROBLEMS.split("/")[0]))
    reload()
    installed = time.perf_counter()
    if not unsafe and index_site(html, [f for f in files if f.suffix == ".html"]):
        search = [SEARCH_FOLDER / f for f in files_under(html / SEARCH_FOLDER)]
        preview_install(html, served, search, base_url, prune=Path(SEARCH_FOLDER))
    return installed - started, time.perf_counter() - installed


def preview_install(html: Path, served: Path, files: list[Path], base_url: str | None,
                    prune: Path = Path(), leave: tuple[str, ...] = ()) -> bool:
    """`preview_site.install`, with what the output scan found printed and listed in the problem
    banner (the author looks at the browser); True when it found any."""
    unsafe = install(html, served, files, base_url, prune, leave)
    for finding in unsafe:
        print(f"toolkit serve: unsafe output withheld from the preview: {finding}", file=sys.stderr)
    if unsafe:
        show_in_banner(served, unsafe)
    return bool(unsafe)


def show_in_banner(served: Path, findings: list[str]) -> None:
    """Add the scan's findings to the problems the banner lists (written by `restage`)."""
    banner = served / PREVIEW_PROBLEMS
    try:
        listed = [p for p in json.loads(banner.read_text(encoding="utf-8")) if p.get("code") != UNSAFE_OUTPUT]
    except (OSError, ValueError):
        listed = []
    for finding in findings:
        path, line, what = finding.split(":", 2)
        listed.append({"path": f"{path} (as built)", "line": int(line), "severity": "error", "message": what.strip(),
                       "hint": "withheld from the preview, and toolkit build would publish nothing: remove what is "
                               "named, and please report it, since toolkit check should have refused it",
                       "code": UNSAFE_OUTPUT})
    write_if_changed(banner, json.dumps(listed, indent=1).encode("utf-8"))


def _rebuild_preview(warm: WarmSphinx, args: argparse.Namespace, cache: Path, reload: Callable[[], None]) -> None:
    """One save: check, stage and build in the warm Sphinx, then swap the changed files in."""
    started = time.perf_counter()
    outcome, detail = warm.rebuild()
    built = time.perf_counter() - started
    if outcome == WARM_CRASHED:
        print_bug("while building the preview", detail)
    if outcome in (WARM_CRASHED, WARM_STOPPED) or not detail:   # nothing was built; the banner says why
        reload()
        return
    settings, _ = read_settings(args)
    copying, search = publish_preview(cache, settings.base_url if settings else None, reload)
    steps = dict(zip(WARM_STEPS, (float(s) for s in detail.split()[1:]), strict=False))
    print(f"toolkit serve: preview updated in {built + copying:.2f} s ("
          + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items())
          + f", scan and copy {copying:.2f} s); search index {search:.2f} s", file=sys.stderr)


def serve(args: argparse.Namespace) -> int:
    """Start the preview; with errors, from the last version that passed (the banner lists them),
    or not at all when there is none yet."""
    from toolkit.commands.preview_server import PreviewServer
    from toolkit.editor.backend import start_editor

    site, problems = load(args)
    shown = [p for p in problems if p.severity != "info"]
    passed = print_problems(shown, "text", stream=sys.stderr) == EXIT_OK
    if site is None:
        return EXIT_ERRORS
    cache = serve_cache(cache_folder(site.settings.path))
    warning = trust.prepare(cache, site.settings.roots, fresh=False)   # sealed again when the preview stops
    if warning:
        print(f"toolkit serve: warning: {warning}", file=sys.stderr)
    if not passed and not (cache / MANIFEST).is_file():
        print("toolkit serve: nothing to preview yet; fix the errors above and start again", file=sys.stderr)
        return EXIT_ERRORS
    if not passed:
        print("toolkit serve: showing the last version that passed the check; fix the errors above",
              file=sys.stderr)
    warm = WarmSphinx(Path(args.site), cache, args.today.isoformat() if args.today else None)

    def rebuild(changed: Sequence[Path] = (), reload: Callable[[], None] = lambda: None) -> None:
        try:
            _rebuild_preview(warm, args, cache, reload)
        except Exception as exc:  # noqa: BLE001 - the preview keeps serving the last good site
            print_bug("while updating the preview", f"{type(exc).__name__}: {exc}")

    signal.signal(signal.SIGTERM, _stop)   # a service manager's stop ends the preview too
    try:
        rebuild()
        try:
            editor = start_editor(Path(args.site), today(args), args.editor_port or args.port + 1,
                                  f"http://{args.host}:{args.port}/")
            print(f"toolkit serve: edit pages in a form at http://127.0.0.1:{editor.server_address[1]}/_edit/",
                  file=sys.stderr)
        except OSError as exc:
            print(f"toolkit serve: the page editor could not start ({exc.strerror}); "
                  "choose another port with --editor-port N", file=sys.stderr)
        print(f"toolkit serve: previewing on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
        watched = [*site.settings.roots, site.settings.path, *CODE]
        PreviewServer(cache / SERVED, watched, rebuild, warm.stopping, args.host, args.port).run()
    except KeyboardInterrupt:
        pass
    finally:
        if warm.stop(final=True):   # a build stopped half-way leaves a cache not to be trusted
            trust.seal(cache)
    return EXIT_OK


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
