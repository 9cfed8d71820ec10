"""`toolkit new KIND "Title"`: a page that passes `toolkit check` as written, with guidance."""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
import sys
from pathlib import Path

from toolkit.commands.common import EXIT_ERRORS, EXIT_OK, UsageError, load, print_problems, today
from toolkit.content.model import Settings, Site
from toolkit.content.packs import is_local_root
from toolkit.content.schemas import KINDS, PAGE_KINDS, SUMMARY_MAX
from toolkit.core.yaml_help import yaml_text


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "new-page"


PLACEHOLDER_SUMMARY = "Say in one or two sentences what this page helps the reader do."


def review_due(on: dt.date, settings: Settings) -> dt.date:
    """The review date `settings.review_months` after `on` (the last day of a shorter month)."""
    months = on.month - 1 + settings.review_months
    year, month = on.year + months // 12, months % 12 + 1
    return on.replace(year=year, month=month, day=min(on.day, calendar.monthrange(year, month)[1]))


def front_matter(kind: str, title: str, page_id: str, on: dt.date, review_by: dt.date, first: dict[str, str],
                 summary: str = PLACEHOLDER_SUMMARY) -> str:
    """A new page's front matter, every value written so that it parses as given."""
    record = PAGE_KINDS[kind]
    needs_mapping = record.needs_mapping
    mapping = (f"audience: [{first['audience']}]          # who it is for: ids from vocabularies/audiences.yaml\n"
               f"topics: [{first['topic']}]             # ids from vocabularies/topics.yaml\n"
               f"maps_to: [{first['statement']}]          # framework statements, e.g. KSS-PS-7\n"
               if needs_mapping else "")
    extra = record.scaffold.format(**first)
    return (f"---\n"
            f"id: {yaml_text(page_id)}                 # the page is published as {page_id}.html\n"
            f"kind: {kind}\n"
            f"title: {yaml_text(title)}\n"
            f"summary: {yaml_text(summary)}   # plain text, at most {SUMMARY_MAX} characters\n"
            f"{mapping}{extra}"
            f"owner: Principal Social Worker  # a role, never a person's name\n"
            f"status: draft                   # draft until reviewed, then published\n"
            f"last_reviewed: {on.isoformat()}\n"
            f"review_by: {review_by.isoformat()}\n"
            f"---\n")


def skeleton(kind: str, title: str, page_id: str, on: dt.date, review_by: dt.date, first: dict[str, str]) -> str:
    return (front_matter(kind, title, page_id, on, review_by, first) + f"# {title}\n\n"
            "% Guidance for authors (lines starting with % are not published):\n"
            "% write in plain English, use ## headings a reader can scan, link other pages\n"
            "% by their id with the doc role, and keep every example fictional.\n\n"
            "Write the guidance here.\n\n"
            "## Sources\n\n- Name each source and link to it.\n")


def target_root(args: argparse.Namespace, site: Site) -> Path:
    """--root, else the last local root: where a new page is written."""
    local_roots = [r for r in site.settings.roots if is_local_root(r, site.settings)]   # never a pack
    if args.root:
        return Path(args.root)
    if local_roots:
        return local_roots[-1]
    raise UsageError("give --root DIR: this site has no local content root to write into")


def check_new_id(site: Site, page_id: str, root: Path) -> None:
    """Refuse an id already taken, saying how a shipped page is replaced instead."""
    if page_id not in site.pages:
        return
    existing = site.pages[page_id]
    if existing.root == site.settings.toolkit_root:
        raise UsageError(
            f"the shipped page {existing.shown} already has the id '{page_id}'. To publish your own "
            f"version instead, copy that file into {root} and edit it: a local page with the same id "
            "replaces the shipped one. Or give your page another title")
    raise UsageError(f"a page with id '{page_id}' already exists ({existing.shown})")


def write_new_file(path: Path, content: str | bytes) -> Path:
    """Write a file that must not exist yet: an author's work is never overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("xb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
    except FileExistsError:
        raise UsageError(f"{path} already exists; move it or choose another title") from None
    return path


def first_entries(site: Site) -> dict[str, str]:
    """The first id of each vocabulary: placeholders that pass the check until the author chooses."""
    return {"audience": next(iter(site.vocabularies["audiences"]), "practitioner"),
            "topic": next(iter(site.vocabularies["topics"]), "supervision"),
            "statement": next(iter(site.statements), ""),
            "stage": next(iter(site.vocabularies["career-stages"]), "practitioner")}


def new_page(args: argparse.Namespace) -> int:
    if args.kind not in KINDS:
        raise UsageError(f"unknown kind '{args.kind}'; use one of: {', '.join(KINDS)}")
    site, problems = load(args)
    if site is None:   # the settings cannot be used: say why
        print_problems(problems, "text", stream=sys.stderr)
        return EXIT_ERRORS
    root = target_root(args, site)
    page_id = slug(args.title)
    check_new_id(site, page_id, root)
    on = today(args)
    path = write_new_file(root / f"{page_id}.md", skeleton(args.kind, args.title, page_id, on,
                                                            review_due(on, site.settings), first_entries(site)))
    print(f"toolkit new: wrote {path} (status: draft). Fill it in, then run: toolkit check", file=sys.stderr)
    return EXIT_OK
