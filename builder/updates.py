"""Following the changes: the site's amendments as an Atom feed, a monthly digest page and a
plain-text digest per month that an organisation can paste into a staff bulletin or an email.

What counts as an amendment is decided once (`amendments`), for "What's new", the feed and the
digests alike: each entry of a page's `changes`, and a page with none as a new page on its
review date. The feed is written with feedgen rather than by hand, so it is valid Atom.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from builder.safety import GENERATED_CLASS
from builder.sitedata import SiteData, site_data
from toolkit.core.dates import long_date, month_name
from toolkit.site.staging import write_if_changed

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FEED = "whats-new.atom"
DIGEST_PAGE = "digest"
DIGEST_FOLDER = "digests"          # in the staged source: one plain-text digest per month
FEED_ENTRIES = 100
NEW_PAGE = "New page"


@dataclass(frozen=True)
class Amendment:
    date: str           # ISO date
    page: dict[str, Any]
    summary: str

    @property
    def month(self) -> str:
        return self.date[:7]


def amendments(site: SiteData) -> list[Amendment]:
    """Every amendment of a listed page, newest first (then by page title)."""
    found = [Amendment(c["date"], p, c["summary"]) for p in site.listed() for c in p["changes"]]
    found += [Amendment(p["last_reviewed"], p, NEW_PAGE) for p in site.listed() if not p["changes"]]
    return sorted(found, key=lambda a: (a.date, a.page["title"]), reverse=True)


def next_update_note(site: SiteData) -> str:
    next_update = site.settings.get("next_update")
    return f"The next planned update of this toolkit is on {long_date(next_update)}.\n\n" if next_update else ""


def digest_text(site: SiteData, month: str, found: list[Amendment]) -> str:
    """One month's amendments as plain text, with each page's full address where the site has one."""
    base = site.settings.get("base_url") or ""
    lines = [f"{site.settings['name']}: changes in {month_name(month)}", ""]
    for amendment in found:
        page = amendment.page
        lines += [f"- {page['title']} ({long_date(amendment.date)}): {amendment.summary}",
                  f"  {base}{page['id']}.html"]
    if site.settings.get("next_update"):
        lines += ["", f"Next planned update: {long_date(site.settings['next_update'])}."]
    return "\n".join(lines) + "\n"


def by_month(site: SiteData) -> dict[str, list[Amendment]]:
    months: dict[str, list[Amendment]] = {}
    for amendment in amendments(site):
        months.setdefault(amendment.month, []).append(amendment)
    return months


def write_digests(source: Path, site: SiteData) -> set[str]:
    """Write each month's text digest into the staged source (the digest page links them as
    downloads); return their paths relative to the source."""
    written = set()
    for month, found in by_month(site).items():
        relative = f"{DIGEST_FOLDER}/{month}.txt"
        (source / DIGEST_FOLDER).mkdir(exist_ok=True)
        write_if_changed(source / relative, digest_text(site, month, found).encode("utf-8"))
        written.add(relative)
    for old in (source / DIGEST_FOLDER).glob("*.txt") if (source / DIGEST_FOLDER).is_dir() else ():
        if f"{DIGEST_FOLDER}/{old.name}" not in written:
            old.unlink()
    return written


def feed_xml(site: SiteData) -> bytes:
    """The amendments as Atom (RFC 4287). Links are the pages' full addresses when the site has a
    `base_url`, else relative to the feed, which sits at the site's root beside the pages."""
    from feedgen.feed import FeedGenerator

    settings = site.settings
    base = settings.get("base_url") or ""
    # A stable id whether or not the site has an address: a tag URI from its name.
    tag = "tag:practice-leadership-toolkit," + hashlib.sha1(settings["name"].encode()).hexdigest()[:12]
    feed = FeedGenerator()
    feed.id(base + FEED if base else tag)
    feed.title(f"{settings['name']}: what's new")
    feed.author({"name": settings["organisation"]})
    feed.link(href=base + FEED if base else FEED, rel="self")
    feed.link(href=base + "whats-new.html" if base else "whats-new.html", rel="alternate")
    feed.language("en-GB")
    feed.generator("Practice Leadership Toolkit")   # feedgen's default names its home page
    found = amendments(site)[:FEED_ENTRIES]
    updated = _timestamp(found[0].date if found else site.today)
    feed.updated(updated)
    for amendment in reversed(found):   # feedgen puts the last added first
        page = amendment.page
        entry = feed.add_entry()
        entry.id(f"{tag}:{page['id']}:{amendment.date}:{hashlib.sha1(amendment.summary.encode()).hexdigest()[:8]}")
        entry.title(f"{page['title']}: {amendment.summary}" if amendment.summary != NEW_PAGE
                    else f"New page: {page['title']}")
        entry.link(href=f"{base}{page['id']}.html", rel="alternate")
        entry.summary(page["summary"])
        entry.updated(_timestamp(amendment.date))
        entry.published(_timestamp(amendment.date))
    return feed.atom_str(pretty=True)


def _timestamp(iso: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(iso), dt.time(), dt.UTC)


def advertise_feed(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: Any) -> None:
    """Every page names the feed in its head, so a feed reader finds it from any page."""
    href = context["pathto"](FEED, 1)
    title = escape(f"{site_data().settings['name']}: what's new", quote=True)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}">')


def write_feed(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        write_if_changed(Path(app.outdir) / FEED, feed_xml(site_data()))


class FollowLinks(SphinxDirective):
    """Where to follow the changes: the feed and the monthly digest (pages at the site's root)."""

    def run(self) -> list[nodes.Node]:
        html = (f'<p class="toolkit-follow">Follow the changes in a feed reader: <a href="{FEED}" '
                'type="application/atom+xml">Atom feed of what\'s new</a>. Or read them '
                f'<a href="{DIGEST_PAGE}.html">month by month</a>, with a plain-text digest for a staff '
                'bulletin or an email.</p>')
        return [nodes.raw("", html, format="html", classes=[GENERATED_CLASS])]


def setup_updates(app: Sphinx) -> None:
    app.add_directive("follow-links", FollowLinks)
    app.connect("html-page-context", advertise_feed)
    app.connect("build-finished", write_feed)
