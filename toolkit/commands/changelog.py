"""CHANGELOG.md: the shipped pages added, changed and withdrawn in each version, from the content.

Each release records the hash of every published shipped page in RELEASES; the changelog is
the difference between one release and the next, and for a version not yet released, between
the last release and the content as it is. A test compares CHANGELOG.md with what this module
writes, so the two cannot drift. Maintainers run:

    python -m toolkit.commands.changelog                     # rewrite CHANGELOG.md after changing content
    python -m toolkit.commands.changelog --release 2027-01-15   # record this version as released that day
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.content.loading import content_files
from toolkit.content.pages import read_page
from toolkit.content.releases import RELEASES, page_hash, read_releases
from toolkit.content.shipped import CONTENT, PROJECT

CHANGELOG = PROJECT / "CHANGELOG.md"
Snapshot = dict[str, dict[str, str]]     # page id -> {"sha256", "title"}

HEADER = """\
# Changelog

The shipped pages added, changed and withdrawn in each version of the Practice Leadership
Toolkit, so an organisation upgrading knows what to read. Run `toolkit report overrides`
after an upgrade to see whether a shipped page that one of yours replaces has changed.
This file is written by `python -m toolkit.commands.changelog` from the shipped content and checked
by the tests; do not edit it by hand.
"""


def snapshot(content: Path = CONTENT) -> Snapshot:
    """Every published page of a content root: its hash and title, by id."""
    pages: Snapshot = {}
    for path in content_files(content):
        if path.suffix != ".md":
            continue
        page, _, _ = read_page(path, content, 0, path.relative_to(content).as_posix())
        if page is not None and page.published:
            pages[page.id] = {"sha256": page_hash(path.read_text(encoding="utf-8")), "title": page.title}
    return pages


def _section(heading: str, before: Snapshot, after: Snapshot) -> str:
    added = sorted(set(after) - set(before))
    withdrawn = sorted(set(before) - set(after))
    changed = sorted(p for p in set(before) & set(after) if before[p]["sha256"] != after[p]["sha256"])
    lines = [f"## {heading}", ""]
    for label, ids, titles in (("Added", added, after), ("Changed", changed, after),
                               ("Withdrawn", withdrawn, before)):
        lines.append(f"{label} ({len(ids)}):" if ids else f"{label}: none.")
        lines += [f"- `{page_id}`: {titles[page_id]['title']}" for page_id in ids]
        lines.append("")
    return "\n".join(lines)


def changelog_text(releases: list[dict[str, Any]], current: Snapshot, version: str = __version__) -> str:
    """The whole changelog, newest version first; the current version is "unreleased" until recorded."""
    sections = []
    before: Snapshot = {}
    for release in releases:
        sections.append(_section(f"{release['version']} ({release['date']})", before, release["pages"]))
        before = release["pages"]
    if not releases or releases[-1]["version"] != version:
        sections.append(_section(f"{version} (unreleased)", before, current))
    return HEADER + "\n" + "\n".join(reversed(sections)).rstrip("\n") + "\n"


def drift(releases: list[dict[str, Any]], current: Snapshot, version: str = __version__) -> list[str]:
    """Pages whose content differs from the release of the version they claim to be in."""
    if not releases or releases[-1]["version"] != version:
        return []
    recorded = releases[-1]["pages"]
    return sorted(p for p in set(recorded) | set(current) if recorded.get(p) != current.get(p))


def release(on: dt.date, path: Path = RELEASES, content: Path = CONTENT, version: str = __version__) -> None:
    """Record the current content as the release of `version` on `on`."""
    releases = [r for r in read_releases(path) if r["version"] != version]
    releases.append({"version": version, "date": on.isoformat(), "pages": snapshot(content)})
    path.write_text(json.dumps({"releases": releases}, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m toolkit.commands.changelog", description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help=f"record version {__version__} as released on this date")
    args = parser.parse_args(argv)
    if args.release:
        release(args.release)
    releases, current = read_releases(), snapshot()
    changed = drift(releases, current)
    if changed:
        print(f"version {__version__} is released, but these pages changed since: {', '.join(changed)}; "
              "raise the version in toolkit/__init__.py first", file=sys.stderr)
        return 1
    CHANGELOG.write_text(changelog_text(releases, current), encoding="utf-8")
    print(f"wrote {CHANGELOG}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
