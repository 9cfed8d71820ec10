"""The site data the toolkit staged for this build (the manifest), read once per Sphinx process.

Front matter is validated and typed by the toolkit before Sphinx starts; the builder reads
this record instead of Sphinx's stringly-typed `env.metadata`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from toolkit.content.schemas import AUTHOR_SECTION, KIND_SECTIONS, SERVICES
from toolkit.core.protocol import MANIFEST_VARIABLE


def section_of(page: dict[str, Any]) -> str:
    """The id of the section a page is listed under: the one it names, else its kind's."""
    return page["extras"].get("section") or KIND_SECTIONS[page["kind"]]


def for_readers(page: dict[str, Any]) -> bool:
    """Guidance for readers, not material for authors (kept to its own section)."""
    return section_of(page) != AUTHOR_SECTION


def services_of(page: dict[str, Any]) -> list[str]:
    """The services a page is for, as filter labels (`both` is each of them)."""
    service = page["extras"].get("service")
    return [SERVICES[s] for s in (("children", "adults") if service == "both" else (service,)) if s]


def write_when_changed(docname: str, inputs: Callable[[Any], object]) -> Callable[..., list[str]]:
    """An `env-updated` handler that has Sphinx write one generated page again when what it lists
    has changed: for a page filled in as it is written (`doctree-resolved`) from what the other
    pages hold once read. `inputs(app)` returns everything the page shows; its digest is kept in
    the environment, so a save that changes none of it (most saves, in a preview) neither reads
    nor writes the page again."""
    def updated(app: Any, env: Any) -> list[str]:
        if docname not in env.found_docs:
            return []
        digest = hashlib.sha1(repr(inputs(app)).encode()).hexdigest()
        kept = env.__dict__.setdefault("toolkit_listed", {})
        if kept.get(docname) == digest:
            return []
        kept[docname] = digest
        return [docname]
    return updated


def read_every_build(docname: str) -> Callable[..., list[str]]:
    """An `env-get-outdated` handler that has Sphinx read one small generated page in every build:
    for a page that gathers, as it is read, something from every other page (the search page's
    filters and vocabulary), which no page's own change would mark outdated. A page filled in as
    it is written uses `write_when_changed` instead."""
    def outdated(app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
        return [docname] if docname in env.found_docs else []
    return outdated


@dataclass(frozen=True)
class SiteData:
    """Read-only view of the manifest, with the indexes listing pages need."""

    raw: dict[str, Any]

    @property
    def settings(self) -> dict[str, Any]:
        return self.raw["settings"]

    @property
    def mode(self) -> str:
        return self.raw.get("mode", "build")

    @property
    def today(self) -> str:
        return self.raw["today"]

    @property
    def pages(self) -> dict[str, dict[str, Any]]:
        return self.raw["pages"]

    @property
    def sets(self) -> dict[str, dict[str, Any]]:
        return self.raw["sets"]

    @cached_property
    def statements(self) -> dict[str, dict[str, Any]]:
        return {st["id"]: st | {"set": s["id"]} for s in self.sets.values() for st in s["statements"]}

    def vocabulary(self, name: str) -> list[dict[str, Any]]:
        return self.raw["vocabularies"].get(name, [])

    def label(self, vocabulary: str, entry_id: str) -> str:
        return next((e["label"] for e in self.vocabulary(vocabulary) if e["id"] == entry_id), entry_id)

    @property
    def glossary(self) -> list[dict[str, Any]]:
        return self.raw["glossary"]

    @cached_property
    def _listed(self) -> tuple[dict[str, Any], ...]:
        return tuple(sorted((p for p in self.pages.values() if p["status"] == "published"),
                            key=lambda p: p["title"].lower()))

    def listed(self) -> list[dict[str, Any]]:
        """Published, not archived pages, by title: what listings and search show (sorted once)."""
        return list(self._listed)

    @cached_property
    def listed_sections(self) -> frozenset[str]:
        """The sections of listed pages (every page's sidebar asks)."""
        return frozenset(section_of(p) for p in self._listed)

    @cached_property
    def listed_rank(self) -> dict[str, int]:
        """Page id -> its position in `listed()`, to order a few pages as listings do."""
        return {p["id"]: rank for rank, p in enumerate(self._listed)}

    @cached_property
    def _listed_index(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        return {}

    def listed_where(self, field: str, value: str) -> list[dict[str, Any]]:
        """Listed pages whose list `field` holds `value`, by title: indexed once per field, since
        statement, audience and topic pages each ask (thousands of asks on a large site)."""
        if field not in self._listed_index:
            by_value: dict[str, list[dict[str, Any]]] = {}
            for page in self._listed:
                for item in dict.fromkeys(page[field]):
                    by_value.setdefault(item, []).append(page)
            self._listed_index[field] = by_value
        return list(self._listed_index[field].get(value, ()))

    @cached_property
    def _statement_pages(self) -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
        self.listed_where("maps_to", "")
        return {statement: (ids := tuple(p["id"] for p in pages), frozenset(ids))
                for statement, pages in self._listed_index["maps_to"].items()}

    def statement_pages(self, statement: str) -> tuple[tuple[str, ...], frozenset[str]]:
        """The ids of the listed pages mapped to `statement`, by title and as a set: every page's
        related pages are found from these."""
        return self._statement_pages.get(statement, ((), frozenset()))


def empty_site() -> SiteData:
    """The data of a site with no pages, for building Sphinx projects without the toolkit."""
    return SiteData({"mode": "build", "today": "1970-01-01", "settings": {
        "name": "Toolkit", "organisation": "", "logo": None, "primary": "#1d4f91",
        "primary_dark": "#5c80b0", "contact_email": "", "accessibility_email": "",
        "contact_phone": None, "base_url": None, "footer_links": []},
        "pages": {}, "sets": {}, "vocabularies": {}, "glossary": []})


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> SiteData:
    return SiteData(json.loads(Path(path).read_text(encoding="utf-8")))


def site_data() -> SiteData:
    """The manifest of this build (named by the MANIFEST_VARIABLE environment variable), read once per change."""
    path = os.environ.get(MANIFEST_VARIABLE)
    if not path:
        return empty_site()
    return _load(path, Path(path).stat().st_mtime_ns)
