"""The page-kind registry: one `PageKind` record per kind, from which everything else derives.

The schema (`toolkit check` and the authoring reference), `toolkit new`, the page editor's
choice of kinds, the sections pages are listed in (navigation, listings, `sections/<id>.html`)
and search weights all read these records, so adding a kind is one `register_kind` call
(toolkit/content/schemas.py registers the shipped ones; an installed extension may add its own:
toolkit/content/extensions.py). `KINDS`, `KIND_FIELDS`, `KIND_SECTIONS`, `SECTIONS` and
`SIDEBAR_SECTIONS` are views of the records, kept up to date by `register_kind` and `register_section`; never write to them.
A `Section` record says where its section stands (`order`, for the sidebar, the home page and every
listing of sections) and whether the sidebar offers it: the shipped site keeps the sidebar to seven
ways in (home, four sections, by role, frameworks), so a new section is in the sidebar unless its
`Section` says `sidebar=False`.
Read them through toolkit.content.schemas, which registers the shipped kinds when it is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from toolkit.content.fields import Field


@dataclass(frozen=True, slots=True)
class PageKind:
    """One kind of page: what authors write in `kind:`, and how the site treats its pages."""

    name: str
    about: str                        # one sentence, for the authoring reference and the editor
    label: str                        # one page of it, in the page editor: "Practice model"
    plural: str                       # the editor's list of them: "Practice models"
    section: str                      # the id of the section listing its pages (sections/<id>.html)
    fields: tuple[Field, ...] = ()    # its own fields, beside the common ones
    needs_mapping: bool = False       # audience, topics and maps_to required (they say who it serves)
    search_weight: str | None = None  # Pagefind weight of its pages; None is Pagefind's default (1)
    scaffold: str = ""                # front matter lines `toolkit new` adds; may use {audience},
                                      # {topic}, {statement} and {stage}, the site's first ids


PAGE_KINDS: dict[str, PageKind] = {}
KINDS: dict[str, str] = {}                       # name -> about
KIND_FIELDS: dict[str, tuple[Field, ...]] = {}   # name -> its own fields
KIND_SECTIONS: dict[str, str] = {}               # name -> section id


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the site: a listing of the pages of its kinds, at `sections/<id>.html`."""

    id: str
    title: str
    order: int | None = None  # its place among the sections (sidebar, home page, listings), lowest first;
                              # None: after every section registered before it
    sidebar: bool = True      # a way in from the sidebar; the others are a step away (home page, listings)
    description: str = ""     # one sentence under its title on the home page


SECTION_RECORDS: dict[str, Section] = {}
SECTIONS: dict[str, str] = {}                    # section id -> title, in order
SIDEBAR_SECTIONS: list[str] = []                 # the ids of the sections the sidebar offers, in order


def register_section(section: Section) -> None:
    """Add a section (registering the same one again changes nothing)."""
    registered = SECTION_RECORDS.get(section.id)
    if registered is not None:
        if registered.title != section.title:
            raise ValueError(f"section {section.id!r} is already registered as {registered.title!r}")
        return
    if section.order is None:
        section = replace(section, order=max((s.order or 0 for s in SECTION_RECORDS.values()), default=0) + 10)
    SECTION_RECORDS[section.id] = section
    ordered = sorted(SECTION_RECORDS.values(), key=lambda s: s.order or 0)   # ties: as registered
    SECTIONS.clear()
    SECTIONS.update((s.id, s.title) for s in ordered)
    SIDEBAR_SECTIONS[:] = [s.id for s in ordered if s.sidebar]


def register_kind(kind: PageKind, section_title: str | None = None) -> None:
    """Add a kind; `section_title` registers its section, when it is a new one, after the others and in
    the sidebar (register a `Section` first to choose its place)."""
    if kind.name in PAGE_KINDS:
        raise ValueError(f"page kind {kind.name!r} is already registered")
    if section_title is not None:
        register_section(Section(kind.section, section_title))
    if kind.section not in SECTIONS:
        raise ValueError(f"page kind {kind.name!r} names section {kind.section!r}, which is not registered")
    PAGE_KINDS[kind.name] = kind
    KINDS[kind.name] = kind.about
    KIND_FIELDS[kind.name] = kind.fields
    KIND_SECTIONS[kind.name] = kind.section
