"""Pages that replace a page of an earlier root, and whether that page changed since review.

Dates alone cannot say whether a shipped page changed: an upgrade may rewrite a page without a
new `changes` entry. So when a Principal Social Worker has reviewed a replacement against the
page it replaces, `toolkit report overrides --accept ID` records that page's text and hash in
the site's own folder (REVIEW_RECORD, beside the settings, kept in the site's repository). Later
reports compare hashes, and show what changed as a diff from the recorded text. A replacement
with no record falls back to the dates (the replaced page's last change against the local
page's `last_reviewed`), and says how to record it.

Every root is covered alike: the shipped content, content packs and plain folders.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path
from typing import Any

from toolkit.content.model import Page, Site
from toolkit.content.packs import TOOLKIT_PACK, pack_of
from toolkit.content.releases import page_hash, read_releases

REVIEW_RECORD = "overrides-reviewed.json"


def _text(page: Page) -> str:
    return page.source.read_text(encoding="utf-8")


def record_path(site: Site) -> Path:
    return site.settings.folder / REVIEW_RECORD


def read_record(site: Site) -> dict[str, Any]:
    """The recorded reviews by replaced file (as shown); empty when none has been recorded."""
    path = record_path(site)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"{REVIEW_RECORD} is damaged; delete it and record the reviews again with "
                         "`toolkit report overrides --accept ID`") from None
    return data if isinstance(data, dict) else {}


def replacements(site: Site) -> list[tuple[Page, Page]]:
    """(replacing page, replaced page) for every replacement, in root order within each id."""
    pairs = []
    for page_id, earlier in sorted(site.replaced.items()):
        chain = [*earlier, site.pages.get(page_id) or site.hidden[page_id]]
        pairs += [(chain[i + 1], chain[i]) for i in range(len(chain) - 1)]
    return pairs


def released_hash(older: Page, on: dt.date, releases: list[dict[str, Any]]) -> tuple[str, str] | None:
    """(version, hash) of a shipped page as the latest release on or before `on` had it: the
    shipped page's own history, for a replacement whose review was never recorded."""
    pack = pack_of(older.source.resolve())
    if pack is None or pack[0] != TOOLKIT_PACK:
        return None
    for release in reversed(releases):
        if release["date"] <= on.isoformat() and older.id in release["pages"]:
            return release["version"], release["pages"][older.id]["sha256"]
    return None


def override_rows(site: Site, releases: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One row per replacement: what replaces what, whether the replaced page changed since the
    review, how that was decided ("content": a recorded review; "release X": the shipped page's
    hash in the release current when the local page was reviewed; "dates") and, where the
    reviewed text is known, the diff."""
    record = read_record(site)
    releases = read_releases() if releases is None else releases
    rows = []
    for newer, older in replacements(site):
        current = _text(older)
        reviewed = record.get(older.shown)
        if isinstance(reviewed, dict) and reviewed.get("page") == newer.id and "sha256" in reviewed:
            changed = reviewed["sha256"] != page_hash(current)
            basis = "content"
            diff = "".join(difflib.unified_diff(
                str(reviewed.get("text", "")).splitlines(keepends=True), current.splitlines(keepends=True),
                f"{older.shown} as reviewed on {reviewed.get('recorded', '?')}", f"{older.shown} now")) \
                if changed else ""
        elif (released := released_hash(older, newer.last_reviewed, releases)) is not None:
            changed, basis, diff = released[1] != page_hash(current), f"release {released[0]}", ""
        else:
            changed, basis, diff = older.last_changed > newer.last_reviewed, "dates", ""
        rows.append({"page": newer.id, "local": newer.shown, "local_last_reviewed": newer.last_reviewed.isoformat(),
                     "shipped": older.shown, "shipped_last_changed": older.last_changed.isoformat(),
                     "shipped_changed_since_review": changed, "decided_by": basis, "diff": diff})
    return rows


def accept(site: Site, page_ids: list[str], on: dt.date) -> list[str]:
    """Record that the replacements of these pages were reviewed against the replaced pages as
    they are now; returns the replaced files recorded. Unknown ids raise ValueError."""
    pairs = replacements(site)
    unknown = sorted(set(page_ids) - {newer.id for newer, _ in pairs})
    if unknown:
        known = ", ".join(sorted({newer.id for newer, _ in pairs})) or "none"
        raise ValueError(f"no page of this site replaces another with the id {', '.join(unknown)}; "
                         f"pages that replace one: {known}")
    record = read_record(site)
    done = []
    for newer, older in pairs:
        if newer.id in page_ids:
            text = _text(older)
            record[older.shown] = {"page": newer.id, "by": newer.shown, "sha256": page_hash(text),
                                   "recorded": on.isoformat(), "text": text}
            done.append(older.shown)
    record_path(site).write_text(json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    return done
