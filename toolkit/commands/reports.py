"""Governance reports for PSWs: framework coverage, review dates, local overrides."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

from toolkit.commands.common import EXIT_ERRORS, EXIT_OK, UsageError, csv_text, load, print_problems, today
from toolkit.content.model import Site
from toolkit.content.overrides import REVIEW_RECORD, accept, override_rows
from toolkit.content.packs import is_local_root
from toolkit.content.references import REVIEW_SOON_DAYS

Rows = list[dict[str, Any]]


def coverage_rows(site: Site) -> Rows:
    """Every statement with the listed pages mapped to it; statements with none first."""
    mapped: dict[str, list[str]] = {s: [] for s in site.statements}
    for page in sorted(site.pages.values(), key=lambda p: p.id):
        if page.listed:
            for statement in page.maps_to:
                mapped[statement].append(page.id)
    order = {set_id: index for index, set_id in enumerate(site.sets)}
    rows = [{"statement": s.id, "title": s.title, "pages": len(mapped[s.id]), "page_ids": mapped[s.id]}
            for s in site.statements.values()]
    return sorted(rows, key=lambda r: (r["pages"] > 0, order[site.statements[r["statement"]].set_id],
                                       site.statements[r["statement"]].number))


def plural(count: int, word: str) -> str:
    """'1 page', '2 pages': counts as an author reads them."""
    return f"{count} {word}{'s' * (count != 1)}"


def review_rows(site: Site, on: dt.date, due_only: bool = False, local_only: bool = False) -> Rows:
    """Published and archived pages by review date; `due_only` keeps those overdue or due within
    REVIEW_SOON_DAYS, `local_only` those from the organisation's own roots (not the shipped ones)."""
    soon = on + dt.timedelta(days=REVIEW_SOON_DAYS)
    rows = []
    for page in sorted(site.pages.values(), key=lambda p: (p.review_by, p.id)):
        if page.status == "draft" or (local_only and not is_local_root(page.root, site.settings)):
            continue
        state = "overdue" if page.review_by < on else "due soon" if page.review_by <= soon else "ok"
        if due_only and state == "ok":
            continue
        rows.append({"page": page.id, "title": page.title, "owner": page.owner or "(no owner)",
                     "last_reviewed": page.last_reviewed.isoformat(),
                     "review_by": page.review_by.isoformat(), "state": state, "file": page.shown})
    return rows


def render(rows: Rows, output_format: str, text_line: Callable[[dict[str, Any]], str]) -> str:
    if output_format == "json":
        return json.dumps(rows, indent=2) + "\n"
    if output_format == "csv":
        return csv_text(rows)
    return "".join(text_line(r) + "\n" for r in rows)


TEXT_LINES: dict[str, Callable[[dict[str, Any]], str]] = {
    "coverage": lambda r: f"{r['statement']:<10} {plural(r['pages'], 'page'):>9}  {r['title']}"
                          + (f"  ({', '.join(r['page_ids'])})" if r["page_ids"] else "  NO PAGES"),
    "review": lambda r: f"{r['review_by']}  {r['state']:<8}  {r['page']:<40} {r['owner']}",
    "overrides": lambda r: override_line(r),
}


def override_line(row: dict[str, Any]) -> str:
    """One replacement: whether the replaced page changed, how that was decided, and the diff."""
    head = f"{row['page']:<30} {row['local']} replaces {row['shipped']}: "
    changed, basis = row["shipped_changed_since_review"], row["decided_by"]
    if basis == "content":
        return head + ("the replaced page CHANGED since it was reviewed:\n" + row["diff"].rstrip("\n")
                       if changed else "unchanged since it was reviewed")
    if basis.startswith("release"):
        verdict = (f"the replaced page CHANGED since {basis}, current when the local page was reviewed"
                   if changed else f"unchanged since {basis}, current when the local page was reviewed")
    else:
        verdict = (f"the replaced page CHANGED on {row['shipped_last_changed']} since the local page was reviewed"
                   if changed else "no change since the local page was reviewed") + " (by dates)"
    return head + verdict + (f"; after reviewing, record it with `toolkit report overrides --accept {row['page']}` "
                             "so the next upgrade is checked by content and shows a diff")


def run_report(args: argparse.Namespace) -> int:
    if args.report == "evaluation":
        from toolkit.commands.evaluation import evaluation_report
        return evaluation_report(args)
    if args.files:
        raise UsageError(f"report {args.report} takes no files")
    if args.format == "html":
        raise UsageError(f"report {args.report} has no html format: use text, json or csv")
    if args.report != "overrides" and (args.accept or args.fail_on_change):
        raise UsageError("--accept and --fail-on-change are for `toolkit report overrides`")
    site, problems = load(args)
    if site is None or any(p.severity == "error" for p in problems):
        print_problems(problems, "text", stream=sys.stderr)
        return EXIT_ERRORS
    if (args.due or args.local) and args.report != "review":
        raise UsageError("--due and --local belong to 'report review'")
    if args.report == "overrides":
        return overrides_report(site, args)
    rows = {"coverage": lambda: coverage_rows(site),
            "review": lambda: review_rows(site, today(args), args.due, args.local)}[args.report]()
    sys.stdout.write(render(rows, args.format, TEXT_LINES[args.report]))
    if args.format == "text":
        print(SUMMARIES[args.report](rows), file=sys.stderr)
    return EXIT_OK


def overrides_report(site: Site, args: argparse.Namespace) -> int:
    """List every replacement; with --accept, first record the named ones as reviewed; with
    --fail-on-change, exit 1 when a replaced page changed since its replacement was reviewed."""
    try:
        if args.accept:
            for shown in accept(site, args.accept, today(args)):
                print(f"toolkit report overrides: recorded {shown} as reviewed, in {REVIEW_RECORD}", file=sys.stderr)
        rows = override_rows(site)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(render(rows, args.format, TEXT_LINES["overrides"]))
    changed = sum(r["shipped_changed_since_review"] for r in rows)
    if args.format == "text":
        print(f"{plural(len(rows), 'replaced page')}, {changed} changed since reviewed",
              file=sys.stderr)
    if changed and args.fail_on_change:
        print("toolkit report overrides: failing (--fail-on-change): review each changed page, update yours, "
              "then run `toolkit report overrides --accept ID`", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _review_summary(rows: Rows) -> str:
    overdue = sum(r["state"] == "overdue" for r in rows)
    soon = sum(r["state"] == "due soon" for r in rows)
    return f"{plural(len(rows), 'page')}: {overdue} overdue, {soon} due within {REVIEW_SOON_DAYS} days"


SUMMARIES: dict[str, Callable[[Rows], str]] = {
    "coverage": lambda rows: f"{plural(len(rows), 'statement')}, {sum(r['pages'] == 0 for r in rows)} "
                             "with no published page",
    "review": _review_summary,
}
