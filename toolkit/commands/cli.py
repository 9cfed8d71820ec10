"""The `toolkit` command: check, build, serve, new, import and report, for authors and web teams."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.checks.checking import start_checking
from toolkit.commands.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    exit_status,
    load,
    print_problems,
    read_settings,
    today,
)
from toolkit.content.extensions import load_extensions
from toolkit.content.model import Settings
from toolkit.core.guard import report_bug
from toolkit.core.problems import Problem

if TYPE_CHECKING:
    from toolkit.site.build import SphinxRun


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def cmd_check(args: argparse.Namespace) -> int:
    _, problems = load(args)
    return print_problems(problems, args.format, args.strict)


def cmd_build(args: argparse.Namespace) -> int:
    """Check, then build. Sphinx starts importing before the check, and starts building once
    the front matter and references have passed, while the body lints finish; if those fail,
    Sphinx is stopped and nothing is published. One build of a site runs at a time, and the
    cache is used only when this user's toolkit sealed it (trust.py)."""
    from toolkit.core import trust
    from toolkit.site.build import SphinxRun
    from toolkit.site.locking import SiteBusy, one_build_at_a_time
    with SphinxRun(Path(args.site), args.jobs, args.strict) as sphinx:
        try:
            with one_build_at_a_time(sphinx.cache, "build"):
                settings, problems = read_settings(args)
                if settings is None:
                    return _build(args, sphinx, None, problems)
                warning = trust.prepare(sphinx.cache, settings.roots, args.fresh)
                if warning:
                    print(f"toolkit build: warning: {warning}", file=sys.stderr)
                status = _build(args, sphinx, settings, problems)
                if sphinx.ran_to_its_end():   # a build stopped half-way leaves the cache unsealed
                    trust.seal(sphinx.cache)
                return status
        except SiteBusy as exc:
            print(f"toolkit build: {exc}", file=sys.stderr)
            return EXIT_ERRORS


def _build(args: argparse.Namespace, sphinx: SphinxRun, settings: Settings | None, problems: list[Problem]) -> int:
    from toolkit.site.build import build_site, start_build
    if settings is not None:
        site, found, bodies = start_checking(settings, today(args))
        problems += found
        if exit_status(problems, args.strict) == EXIT_OK:
            start_build(site, sphinx, today(args), pdf=args.pdf)
        problems += bodies.problems(site)
    shown = [p for p in problems if p.severity != "info"]
    if print_problems(shown, "text", args.strict, stream=sys.stderr) != EXIT_OK or not sphinx.started:
        print("toolkit build: nothing was built; fix the errors above", file=sys.stderr)
        return EXIT_ERRORS
    return build_site(site, sphinx, out=Path(args.out) if args.out else None, today=today(args), pdf=args.pdf)


def cmd_serve(args: argparse.Namespace) -> int:
    from toolkit.commands.serve import serve
    return serve(args)


def cmd_editor_config(args: argparse.Namespace) -> int:
    from toolkit.commands.editor_config import export_editor
    return export_editor(args)


def cmd_new(args: argparse.Namespace) -> int:
    from toolkit.commands.scaffold import new_page
    return new_page(args)


def cmd_import(args: argparse.Namespace) -> int:
    from toolkit.commands.word_import import import_word
    return import_word(args)


def cmd_report(args: argparse.Namespace) -> int:
    from toolkit.commands.reports import run_report
    return run_report(args)


def cmd_init(args: argparse.Namespace) -> int:
    from toolkit.commands.init import init_site
    return init_site(args)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", default="site.yaml", help="the settings file (default: site.yaml)")
    common.add_argument("--today", type=_date, help="the date to check review dates against")
    top = argparse.ArgumentParser(prog="toolkit", description="Check, build and serve a practice "
                                  "leadership toolkit site.")
    top.add_argument("--version", action="version", version=f"toolkit (practice-leadership-toolkit) {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], text: str
            ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    init = commands.add_parser("init", help="start an organisation's site folder (settings, a local page, CI)",
                               description="Create a new site folder: site.yaml, local/, branding/, a "
                               "README for the web team and CI files. Never overwrites anything.")
    init.set_defaults(handler=cmd_init)
    init.add_argument("folder", help="a new or empty folder")
    init.add_argument("--name", help="the site's name, e.g. 'Anytown Practice Toolkit' (asked if not given)")
    init.add_argument("--organisation", help="who publishes it, e.g. 'Anytown Council' (asked if not given)")
    init.add_argument("--today", type=_date, help="the date the example page is reviewed on")

    check = add("check", cmd_check, "validate every page and data file")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json"), default="text")

    build = add("build", cmd_build, "check, then build the site (the old site stays on failure)")
    build.add_argument("--out", help="output folder (default: _build/html beside the settings)")
    build.add_argument("-j", "--jobs", default="auto", help="parallel Sphinx jobs: N or auto")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--pdf", action="store_true", help="also make a PDF of each section and of the whole site")
    build.add_argument("--fresh", action="store_true",
                       help="ignore every cache and build from scratch (for CI and release builds)")

    serve = add("serve", cmd_serve, "build and serve with live reload, for authors")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--editor-port", type=int, help="port of the page editor on 127.0.0.1 (default: --port + 1)")

    editor = add("editor-config", cmd_editor_config, "write the page editor for a Git host's editorial workflow")
    editor.add_argument("--backend", choices=("github", "gitlab"), default="github")
    editor.add_argument("--repo", required=True, help="owner/name of the repository holding site.yaml")
    editor.add_argument("--branch", default="main")
    editor.add_argument("--base-url", help="the address of a self-hosted GitLab, or of the login (OAuth) service "
                                            "for GitHub")
    editor.add_argument("--app-id", help="GitLab: the application id of an OAuth application (login with PKCE, "
                                          "no login service needed)")
    editor.add_argument("--out", default="editor", help="folder to write (default: editor)")

    new = add("new", cmd_new, "write a new page with front matter to fill in")
    new.add_argument("kind")
    new.add_argument("title")
    new.add_argument("--root", help="content root to write into (default: the last local root)")

    word = add("import", cmd_import, "turn a Word document (.docx) into a draft page")
    word.add_argument("file", help="the Word document, FILE.docx")
    word.add_argument("--kind", default="page", help="the kind of page (default: page)")
    word.add_argument("--root", help="content root to write into (default: the last local root)")

    report = add("report", cmd_report, "coverage, review, overrides and evaluation reports")
    report.add_argument("report", choices=("coverage", "review", "overrides", "evaluation"))
    report.add_argument("files", nargs="*", help="for evaluation: BEFORE AFTER (CSV files, 360 response "
                        "files or folders of them)")
    report.add_argument("--format", choices=("text", "json", "csv", "html"), default="text",
                        help="html: a printable page (evaluation only)")
    report.add_argument("--fail-on-change", action="store_true",
                        help="overrides: exit 1 when a replaced page changed since its replacement was reviewed")
    report.add_argument("--accept", nargs="+", metavar="ID",
                        help="overrides: record these pages as reviewed against the pages they replace")
    report.add_argument("--due", action="store_true", help="review: only pages overdue or due soon")
    report.add_argument("--local", action="store_true", help="review: only your own pages, not shipped ones")
    return top


def command_summaries() -> list[tuple[str, str]]:
    """(usage, what it does) of every command an author or web team runs, for the generated
    authoring reference, so it always matches the command line itself."""
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return [(" ".join(sub.format_usage().removeprefix("usage: ").replace(" [-h]", "").split()), sub.description or "")
            for sub in commands.choices.values() if not (sub.description or "").startswith("(")]


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        load_extensions()   # page kinds and diagram types an installed extension adds
        return args.handler(args)
    except UsageError as exc:
        print(f"toolkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:   # a bug, never the author's mistake: no traceback (guard.py)
        return report_bug(exc)


if __name__ == "__main__":
    sys.exit(main())
