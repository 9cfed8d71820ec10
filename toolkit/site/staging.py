"""Staging: the merged roots written as one Sphinx source folder in the cache.

Each page becomes `<id>.md` (so its URL is `<id>.html` wherever its file sits), with its
front matter replaced by blank lines so Sphinx's line numbers match the author's file.
Files are written only when their content changes, so Sphinx rebuilds only what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import toolkit
from toolkit.content.model import Page, Site
from toolkit.content.pages import read_page
from toolkit.content.schemas import GENERATED_FOLDERS, GENERATED_PAGES
from toolkit.content.tariffs import tariff_record
from toolkit.core.file_versions import Version, file_version
from toolkit.core.protocol import MANIFEST

ASSETS = "_assets"
SOURCE = "src"   # the staged pages, inside the cache folder
HOME_PAGE = "home"   # its body introduces the generated home page; not published on its own


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, keeping mtimes (and Sphinx's incremental build) honest."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return True


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def asset_name(root_index: int, root: Path, file: Path) -> str:
    """Where a root's file sits in the staging folder (relative, POSIX)."""
    return f"{ASSETS}/{root_index}/{file.relative_to(root).as_posix()}"


# Each page's own fields as JSON, while the check keeps the same Page object (its file unchanged):
# the preview stages the whole site on every save, and converting every page again was most of
# staging at 1,000 pages (cProfile of a warm save). Keyed by file, so a long preview keeps one each.
_FIELDS: dict[Path, tuple[Page, dict[str, Any]]] = {}


def _page_fields(page: Page) -> dict[str, Any]:
    known = _FIELDS.get(page.source)
    if known is None or known[0] is not page:
        known = _FIELDS[page.source] = (page, _jsonable({
            "id": page.id, "kind": page.kind, "title": page.title, "summary": page.summary,
            "status": page.status, "last_reviewed": page.last_reviewed, "review_by": page.review_by,
            "last_changed": page.last_changed,
            "audience": page.audience, "topics": page.topics, "maps_to": page.maps_to,
            "owner": page.owner,
            "changes": [{"date": d, "summary": s} for d, s in page.changes],
            "aliases": page.aliases, "extras": page.extras,
            "source": page.source, "root": page.root, "shown": page.shown,
            "root_index": page.root_index,
        }))
    return known[1]


def page_record(page: Page, site: Site) -> dict[str, Any]:
    """What the builder needs of a page: typed values as JSON, links already filtered (what other
    pages decide is filled in each time)."""
    return _page_fields(page) | {
        "related": [r for r in page.related if r in site.pages and site.pages[r].published],
        "replaces": [earlier.shown for earlier in site.replaced.get(page.id, [])],
    }


def manifest(site: Site, today: dt.date, mode: str, pages: list[Page]) -> dict[str, Any]:
    settings = site.settings
    found = _jsonable({
        "mode": mode,
        "today": today,
        "settings": {
            "name": settings.name, "organisation": settings.organisation,
            "logo": settings.logo, "favicon": settings.favicon, "primary": settings.primary_colour,
            "primary_dark": settings.primary_dark_colour, "contact_email": settings.contact_email,
            "accessibility_email": settings.accessibility_email,
            "contact_phone": settings.contact_phone, "base_url": settings.base_url,
            "footer_links": [{"label": label, "url": url} for label, url in settings.footer_links],
            "next_update": settings.next_update,
            "top_tasks": [{"title": title, "page": page, "description": description}
                          for title, page, description, _ in settings.top_tasks],
        },
        "pages": {},   # filled below: the records are JSON already
        "sets": {set_id: {
            "id": s.id, "title": s.title, "issued_by": s.issued_by, "year": s.year,
            "source_url": s.source_url, "valid_from": s.valid_from, "valid_to": s.valid_to,
            "superseded_by": s.superseded_by, "licence": s.licence, "licence_url": s.licence_url,
            "statements": [{"id": st.id, "number": st.number, "title": st.title,
                            "summary": st.summary, "text": st.text, "valid_from": st.valid_from,
                            "valid_to": st.valid_to} for st in s.statements],
        } for set_id, s in site.sets.items()},
        "vocabularies": {name: [{"id": e.id, "label": e.label, "description": e.description,
                                 **e.extra} for e in entries.values()]
                         for name, entries in site.vocabularies.items()},
        "tariffs": {tariff_id: tariff_record(t) for tariff_id, t in site.tariffs.items()},
        "glossary": [{"term": t.term, "definition": t.definition, "aliases": t.aliases,
                      "see": t.see} for t in sorted(site.glossary.values(), key=lambda t: t.term.lower())],
    })
    found["pages"] = {page.id: page_record(page, site) for page in pages}
    return found


def _staged_page(page: Page, record: dict[str, Any]) -> bytes:
    """The page body under padded front matter carrying a fingerprint of its record.

    The fingerprint changes whenever anything shown around the body changes (title,
    audience, related titles...), and with the toolkit's version, so Sphinx re-reads the page
    exactly then: after an upgrade, every page, since the way pages are drawn may have changed.
    """
    _, split, _ = read_page(page.source, page.root, page.root_index, page.shown)   # the check's parse
    assert split is not None, "staging runs only on pages that passed validation"
    fingerprint = hashlib.sha256(json.dumps([toolkit.__version__, record], sort_keys=True).encode()).hexdigest()[:16]
    header = ["---", "orphan: true", f"toolkit_record: {fingerprint}"]
    header += [""] * (split.front_matter_lines - len(header) - 1) + ["---"]
    return ("\n".join(header) + "\n" + split.body).encode("utf-8")


# What each staged page was last written from, in this process: the preview's warm Sphinx stages
# the whole site on every save, and fingerprinting and comparing every page again was most of
# staging (0.75 s of a one-page save at 1,000 pages). The same Page object (the check keeps it
# while its file's size and time stay the same), the same record and an untouched staged file
# mean the same bytes.
_STAGED: dict[Path, tuple[Page, dict[str, Any], Version]] = {}


def _staged_as_before(target: Path, page: Page, record: dict[str, Any]) -> bool:
    known = _STAGED.get(target)
    try:
        return known is not None and known[0] is page and known[1] == record and known[2] == file_version(target)
    except OSError:
        return False


def _remember_staged(target: Path, page: Page, record: dict[str, Any]) -> None:
    _STAGED[target] = (page, record, file_version(target))


def stage(site: Site, cache: Path, today: dt.date, mode: str = "build", pdf: bool = False) -> Path:
    """Write the staging source folder and manifest; return the source folder. `pdf`: the build
    makes PDFs too, so section pages link them."""
    source = cache / SOURCE
    pages = [p for p in site.pages.values()
             if (p.published or mode == "serve") and p.id != HOME_PAGE]
    data = manifest(site, today, mode, pages)
    data["pdf"] = pdf
    if HOME_PAGE in site.pages:
        data["home"] = page_record(site.pages[HOME_PAGE], site)
    # Hidden and unpublished pages (id -> title): the builder shows links to them as plain text.
    staged = {p.id for p in pages} | {HOME_PAGE}
    data["withheld"] = {p.id: p.title for p in [*site.hidden.values(), *site.pages.values()] if p.id not in staged}
    related_titles = {p.id: p.title for p in pages}
    keep: set[Path] = set()
    for page in pages:
        record = dict(data["pages"][page.id])
        record["related_titles"] = [related_titles.get(r) for r in record["related"]]
        record["statement_titles"] = [site.statements[s].title for s in page.maps_to]
        record["overdue"] = page.review_by < today
        target = source / f"{page.id}.md"
        if not _staged_as_before(target, page, record):
            write_if_changed(target, _staged_page(page, record))
            _remember_staged(target, page, record)
        keep.add(target)
    for root_index, root, file in site.assets:
        target = source / asset_name(root_index, root, file)
        if not target.is_file() or target.stat().st_size != file.stat().st_size \
                or target.stat().st_mtime < file.stat().st_mtime:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)
        keep.add(target)
    _remove_stale(source, keep)
    write_if_changed(cache / MANIFEST, json.dumps(data, sort_keys=True).encode())
    return source


def _remove_stale(source: Path, keep: set[Path]) -> None:
    """Remove staged pages and assets whose originals are gone; generated folders are the builder's.
    (Walked as strings: a Path for each of 1,000 staged files cost 0.3 s of every preview save.)"""
    if not source.is_dir():
        return
    kept = {str(path) for path in keep}

    def builders(name: str) -> bool:   # a top-level name staging leaves alone
        return name in GENERATED_FOLDERS or name.startswith(".") or os.path.splitext(name)[0] in GENERATED_PAGES

    for parent, folders, files in os.walk(source, topdown=False):   # a folder's files before the folder
        inside = Path(parent).relative_to(source).parts
        if inside and builders(inside[0]):
            continue
        for name in files:
            path = os.path.join(parent, name)
            staged = inside[0] == ASSETS if inside else name.endswith(".md") and not builders(name)
            if staged and path not in kept:
                os.unlink(path)
        for name in folders:
            path = os.path.join(parent, name)
            if not (not inside and builders(name)) and not os.listdir(path):
                os.rmdir(path)
