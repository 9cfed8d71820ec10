"""`toolkit new KIND "Title"`: a page that passes `toolkit check` as written, with guidance."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from toolkit.cli import EXIT_ERRORS, EXIT_OK, UsageError, load, print_problems, today
from toolkit.schemas import KINDS, RESOURCE_TYPES
from toolkit.yaml_help import yaml_text

KIND_EXTRAS = {
    "resource": "resource_type: guide                  # one of: " + ", ".join(RESOURCE_TYPES) + "\n",
    "pathway-stage": "stage: {stage}                   # a career stage id\n",
    "practice-model": "evidence: []                       # references for the evidence base\n"
                      "methods: []                        # the model's main methods\n",
    "skill": "templates: []                      # downloadable files, relative to this page\n",
    "self-assessment": "questions:                         # each rated on the scale, tied to one statement\n"
                       "  - id: first-question\n"
                       "    text: I can explain what this question asks in my own words.\n"
                       "    maps_to: {statement}\n"
                       "    reflection: true               # offer a box for notes (optional)\n"
                       "# scale: [Not yet, Sometimes, Usually, Always]   # optional; default 1-5\n",
}


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "new-page"


def skeleton(kind: str, title: str, page_id: str, on: dt.date, first: dict[str, str]) -> str:
    needs_mapping = kind in ("skill", "practice-model", "resource", "pathway-stage")
    mapping = (f"audience: [{first['audience']}]          # who it is for: ids from vocabularies/audiences.yaml\n"
               f"topics: [{first['topic']}]             # ids from vocabularies/topics.yaml\n"
               f"maps_to: [{first['statement']}]          # framework statements, e.g. KSS-PS-7\n"
               if needs_mapping else "")
    extra = KIND_EXTRAS.get(kind, "").format(**first)
    return (f"---\n"
            f"id: {yaml_text(page_id)}                 # the page is published as {page_id}.html\n"
            f"kind: {kind}\n"
            f"title: {yaml_text(title)}\n"
            f"summary: >-                     # plain text, at most 300 characters\n"
            f"  Say in one or two sentences what this page helps the reader do.\n"
            f"{mapping}{extra}"
            f"owner: Principal Social Worker  # a role, never a person's name\n"
            f"status: draft                   # draft until reviewed, then published\n"
            f"last_reviewed: {on.isoformat()}\n"
            f"review_by: {(on + dt.timedelta(days=365)).isoformat()}\n"
            f"---\n# {title}\n\n"
            "% Guidance for authors (lines starting with % are not published):\n"
            "% write in plain English, use ## headings a reader can scan, link other pages\n"
            "% by their id with the doc role, and keep every example fictional.\n\n"
            "Write the guidance here.\n\n"
            "## Sources\n\n- Name each source and link to it.\n")


def new_page(args: argparse.Namespace) -> int:
    if args.kind not in KINDS:
        raise UsageError(f"unknown kind '{args.kind}'; use one of: {', '.join(KINDS)}")
    site, problems = load(args)
    if site is None:   # the settings cannot be used: say why
        print_problems(problems, "text", stream=sys.stderr)
        return EXIT_ERRORS
    local_roots = [r for r in site.settings.roots if r != site.settings.toolkit_root]
    if args.root:
        root = Path(args.root)
    elif local_roots:
        root = local_roots[-1]
    else:
        raise UsageError("give --root DIR: this site has no local content root to write into")
    page_id = slug(args.title)
    if page_id in site.pages:
        existing = site.pages[page_id]
        if existing.root == site.settings.toolkit_root:
            raise UsageError(
                f"the shipped page {existing.shown} already has the id '{page_id}'. To publish your own "
                f"version instead, copy that file into {root} and edit it: a local page with the same id "
                "replaces the shipped one. Or give your page another title")
        raise UsageError(f"a page with id '{page_id}' already exists ({existing.shown})")
    first = {"audience": next(iter(site.vocabularies["audiences"]), "practitioner"),
             "topic": next(iter(site.vocabularies["topics"]), "supervision"),
             "statement": next(iter(site.statements), ""),
             "stage": next(iter(site.vocabularies["career-stages"]), "practitioner")}
    path = root / f"{page_id}.md"
    root.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(skeleton(args.kind, args.title, page_id, today(args), first))
    print(f"toolkit new: wrote {path} (status: draft). Fill it in, then run: toolkit check", file=sys.stderr)
    return EXIT_OK
