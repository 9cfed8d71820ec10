"""The typed content model: what the loader produces and every later step reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Page:
    """One page's validated front matter, and where it came from."""

    id: str
    kind: str
    title: str
    summary: str
    status: str
    last_reviewed: dt.date
    review_by: dt.date
    audience: tuple[str, ...]
    topics: tuple[str, ...]
    maps_to: tuple[str, ...]
    related: tuple[str, ...]
    owner: str
    changes: tuple[tuple[dt.date, str], ...]
    aliases: tuple[str, ...]
    extras: dict[str, Any]
    source: Path            # the author's file
    root: Path              # the content root it belongs to
    shown: str              # the path as messages show it
    root_index: int
    body_line: int
    front_matter_lines: int
    line_of: dict[str, int] = field(default_factory=dict)  # field name -> line
    item_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)  # list field -> lines

    def item_line(self, name: str, index: int) -> int:
        lines = self.item_lines.get(name, ())
        return lines[index] if index < len(lines) else self.line_of.get(name, self.line_of[""])

    @property
    def last_changed(self) -> dt.date:
        """The latest of its review and its recorded changes: what "recently updated" means."""
        return max([self.last_reviewed, *(date for date, _ in self.changes)])

    @property
    def published(self) -> bool:
        return self.status in ("published", "archived")

    @property
    def listed(self) -> bool:
        """Shown in listings and search: published and not archived."""
        return self.status == "published"


@dataclass(frozen=True, slots=True)
class Statement:
    id: str                 # SET-N
    set_id: str
    number: int
    title: str
    summary: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    text: str | None = None   # the official wording, quoted (only under the set's licence)


@dataclass(frozen=True, slots=True)
class StatementSet:
    id: str
    title: str
    issued_by: str
    year: int
    source_url: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    superseded_by: str | None
    statements: tuple[Statement, ...]
    shown: str
    superseded_by_line: int = 1   # where `superseded_by` is written, for the check of its id
    licence: str | None = None
    licence_url: str | None = None


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    id: str
    label: str
    description: str
    extra: dict[str, Any]


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    term: str
    definition: str
    aliases: tuple[str, ...]
    see: str | None
    shown: str
    line: int


@dataclass(frozen=True, slots=True)
class Settings:
    name: str
    organisation: str
    logo: Path | None
    primary_colour: str
    primary_dark_colour: str
    contact_email: str
    accessibility_email: str
    contact_phone: str | None
    base_url: str | None
    roots: tuple[Path, ...]
    hide: tuple[str, ...]
    footer_links: tuple[tuple[str, str], ...]
    personal_data_allow: tuple[str, ...]
    path: Path              # the settings file
    toolkit_root: Path      # the shipped content/ folder
    next_update: dt.date | None = None   # the next planned update, shown on "What's new"
    review_months: int = 12  # the usual time between reviews: review_by of new and imported pages
    top_tasks: tuple[tuple[str, str, str, int], ...] = ()   # (title, page, description, line)
    favicon: Path | None = None

    @property
    def folder(self) -> Path:
        return self.path.parent


@dataclass(slots=True)
class Site:
    """Everything one site is built from, after roots are merged and checked."""

    settings: Settings
    pages: dict[str, Page]                  # published and draft pages by id, after overrides
    sets: dict[str, StatementSet]
    statements: dict[str, Statement]
    vocabularies: dict[str, dict[str, VocabularyEntry]]   # audiences, topics, career-stages
    glossary: dict[str, GlossaryTerm]
    replaced: dict[str, list[Page]]         # id -> earlier pages replaced by a later root
    assets: list[tuple[int, Path, Path]]    # (root index, root, file) of non-page files
    hidden: dict[str, Page] = field(default_factory=dict)   # pages the settings' `hide:` removed
    unusable: dict[str, str] = field(default_factory=dict)  # id -> file of pages whose front matter failed
    tariffs: dict[str, Any] = field(default_factory=dict)   # workload tariffs by id (toolkit.content.tariffs.Tariff)

    def published_pages(self) -> list[Page]:
        return [page for page in self.pages.values() if page.published]
