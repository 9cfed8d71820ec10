"""The `toolkit` command: check, build, serve, new and report, for authors and web teams."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from toolkit.loading import load_site, start_loading
from toolkit.model import Settings, Site
from toolkit.problems import Problem
from toolkit.settings import SettingsNotFound, load_settings

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called (exit status 2)."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def today(args: argparse.Namespace) -> dt.date:
    """--today, else TOOLKIT_TODAY, else the real date: tests and snapshots pin it."""
    if args.today:
        return args.today
    if os.environ.get("TOOLKIT_TODAY"):
        try:
            return dt.date.fromisoformat(os.environ["TOOLKIT_TODAY"])
        except ValueError:
            raise UsageError("TOOLKIT_TODAY is not a date written YYYY-MM-DD") from None
    return dt.date.today()


def read_settings(args: argparse.Namespace) -> tuple[Settings | None, list[Problem]]:
    try:
        return load_settings(Path(args.site))
    except SettingsNotFound as exc:
        raise UsageError(str(exc)) from None


def load(args: argparse.Namespace) -> tuple[Site | None, list[Problem]]:
    """Settings, then every root: the one way every command reads a site."""
    settings, problems = read_settings(args)
    if settings is None:
        return None, problems
    site, found = load_site(settings, today(args))
    return site, problems + found


def exit_status(problems: Sequence[Problem], strict: bool) -> int:
    """The exit status the problems call for: errors fail, and warnings too when strict."""
    failing = ("error", "warning") if strict else ("error",)
    return EXIT_ERRORS if any(p.severity in failing for p in problems) else EXIT_OK


def print_problems(problems: Sequence[Problem], output_format: str, strict: bool = False,
                   stream=sys.stdout) -> int:
    """Print every problem sorted by file and line; return the exit status they call for."""
    ordered = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.code, p.message))
    if output_format == "json":
        json.dump([p.as_dict() for p in ordered], stream, indent=2)
        stream.write("\n")
    else:
        for problem in ordered:
            stream.write(problem.as_text() + "\n")
    errors = sum(p.severity == "error" for p in ordered)
    warnings = sum(p.severity == "warning" for p in ordered)
    if output_format == "text":
        files = len({p.path for p in ordered if p.severity != "info"})
        verdict = "no problems" if not errors and not warnings else \
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {files} " \
            f"file{'s' * (files != 1)}"
        print(f"toolkit check: {verdict}", file=sys.stderr)
    return exit_status(ordered, strict)


def load_buildable(args: argparse.Namespace, strict: bool = False) -> Site | None:
    """Load and report errors and warnings on stderr; the site only when it may be built from."""
    site, problems = load(args)
    status = print_problems([p for p in problems if p.severity != "info"], "text", strict, stream=sys.stderr)
    return site if status == EXIT_OK else None


def cmd_check(args: argparse.Namespace) -> int:
    _, problems = load(args)
    return print_problems(problems, args.format, args.strict)


def cmd_build(args: argparse.Namespace) -> int:
    """Check, then build. Sphinx starts importing before the check, and starts building once
    the front matter and references have passed, while the body lints finish; if those fail,
    Sphinx is stopped and nothing is published."""
    from toolkit.build import SphinxRun, build_site, start_build
    with SphinxRun(Path(args.site), args.jobs, args.strict) as sphinx:
        settings, problems = read_settings(args)
        if settings is not None:
            site, found, bodies = start_loading(settings, today(args))
            problems += found
            if exit_status(problems, args.strict) == EXIT_OK:
                start_build(site, sphinx, today(args))
            problems += bodies.problems(site)
        shown = [p for p in problems if p.severity != "info"]
        if print_problems(shown, "text", args.strict, stream=sys.stderr) != EXIT_OK or not sphinx.started:
            print("toolkit build: nothing was built; fix the errors above", file=sys.stderr)
            return EXIT_ERRORS
        return build_site(site, sphinx, out=Path(args.out) if args.out else None)


def cmd_serve(args: argparse.Namespace) -> int:
    from toolkit.serve import serve
    return serve(args)


def cmd_stage(args: argparse.Namespace) -> int:
    from toolkit.serve import restage
    return restage(args)


def cmd_editor_config(args: argparse.Namespace) -> int:
    from toolkit.editor.export import export_editor
    return export_editor(args)


def cmd_new(args: argparse.Namespace) -> int:
    from toolkit.scaffold import new_page
    return new_page(args)


def cmd_report(args: argparse.Namespace) -> int:
    from toolkit.reports import run_report
    return run_report(args)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", default="site.yaml", help="the settings file (default: site.yaml)")
    common.add_argument("--today", type=_date, help="the date to check review dates against")
    top = argparse.ArgumentParser(prog="toolkit", description="Check, build and serve a practice "
                                  "leadership toolkit site.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], text: str
            ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    check = add("check", cmd_check, "validate every page and data file")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json"), default="text")

    build = add("build", cmd_build, "check, then build the site (the old site stays on failure)")
    build.add_argument("--out", help="output folder (default: _build/html beside the settings)")
    build.add_argument("-j", "--jobs", default="auto", help="parallel Sphinx jobs: N or auto")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")

    serve = add("serve", cmd_serve, "build and serve with live reload, for authors")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--editor-port", type=int, help="port of the page editor on 127.0.0.1 (default: --port + 1)")

    add("stage", cmd_stage, "(used by serve) validate and re-stage the live preview")

    editor = add("editor-config", cmd_editor_config, "write the page editor for a Git host's editorial workflow")
    editor.add_argument("--backend", choices=("github", "gitlab"), default="github")
    editor.add_argument("--repo", required=True, help="owner/name of the repository holding site.yaml")
    editor.add_argument("--branch", default="main")
    editor.add_argument("--base-url", help="the address of a self-hosted GitLab")
    editor.add_argument("--out", default="editor", help="folder to write (default: editor)")

    new = add("new", cmd_new, "write a new page with front matter to fill in")
    new.add_argument("kind")
    new.add_argument("title")
    new.add_argument("--root", help="content root to write into (default: the last local root)")

    report = add("report", cmd_report, "coverage, review, overrides and evaluation reports")
    report.add_argument("report", choices=("coverage", "review", "overrides", "evaluation"))
    report.add_argument("files", nargs="*", help="for evaluation: BEFORE.csv AFTER.csv")
    report.add_argument("--format", choices=("text", "json", "csv"), default="text")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"toolkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
