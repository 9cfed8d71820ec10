"""What every command shares: exit statuses, usage errors, the date a command runs for, loading
a site, and printing problems."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.checks.checking import check_site
from toolkit.content.model import Settings, Site
from toolkit.content.settings import SettingsNotFound, load_settings
from toolkit.core.problems import Problem

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called (exit status 2)."""


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
    site, found = check_site(settings, today(args))
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
        if strict and warnings:
            verdict += ": failed, because --strict counts warnings as errors"
        print(f"toolkit check: {verdict}", file=sys.stderr)
    return exit_status(ordered, strict)


def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with a header from the first row's keys; lists become space-separated ids."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: " ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows)
    return buffer.getvalue()
