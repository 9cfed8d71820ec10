"""The page-kind registry: one `PageKind` record per kind, from which everything else derives.

The schema (`toolkit check` and the authoring reference), `toolkit new`, the page editor's
choice of kinds, the sections pages are listed in (navigation, listings, `sections/<id>.html`)
and search weights all read these records, so adding a kind is one `register_kind` call
(toolkit/content/schemas.py registers the shipped ones; an installed extension may add its own:
toolkit/content/extensions.py). `KINDS`, `KIND_FIELDS`, `KIND_SECTIONS` and `SECTIONS` are views of
the records, kept up to date by `register_kind` and `register_section`; never write to them.
Read them through toolkit.content.schemas, which registers the shipped kinds when it is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

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
SECTIONS: dict[str, str] = {}                    # section id -> title, in sidebar order


def register_section(section_id: str, title: str) -> None:
    """A section of the site (after those registered before it in the sidebar)."""
    if SECTIONS.get(section_id, title) != title:
        raise ValueError(f"section {section_id!r} is already registered as {SECTIONS[section_id]!r}")
    SECTIONS[section_id] = title


def register_kind(kind: PageKind, section_title: str | None = None) -> None:
    """Add a kind; `section_title` registers its section when it is a new one."""
    if kind.name in PAGE_KINDS:
        raise ValueError(f"page kind {kind.name!r} is already registered")
    if section_title is not None:
        register_section(kind.section, section_title)
    if kind.section not in SECTIONS:
        raise ValueError(f"page kind {kind.name!r} names section {kind.section!r}, which is not registered")
    PAGE_KINDS[kind.name] = kind
    KINDS[kind.name] = kind.about
    KIND_FIELDS[kind.name] = kind.fields
    KIND_SECTIONS[kind.name] = kind.section
