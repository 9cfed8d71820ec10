"""A page body as loading hands it to the checks, and the hook loading calls them by.

Content-level: loading reads pages and shows each body to whatever `ContentChecks` its caller
passes (the checks layer's `BodyLinter`), so reading content never imports a lint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from toolkit.content.model import Page, Settings
from toolkit.core.problems import Problem
from toolkit.core.textfiles import SplitPage


@dataclass(frozen=True, slots=True)
class PageBody:
    """A page body to lint, with what the lints need to know of its page."""

    source: Path
    root: Path
    shown: str
    body: str
    body_line: int
    allowed: frozenset[str] = frozenset()   # the page's own allow_personal_data_examples
    templates: tuple[tuple[str, int], ...] = ()   # (written path, line)
    front_matter: str = ""                  # its YAML, checked for personal data with the body
    front_matter_line: int = 2


class ContentChecks(Protocol):
    """What loading shows the checks as it reads: every page body (also of a page whose front
    matter failed) and every file that is neither a page nor framework or vocabulary data."""

    def page_read(self, body: PageBody) -> None: ...

    def data_file_read(self, path: Path, shown: str) -> list[Problem]: ...


def site_allowed(settings: Settings) -> frozenset[str]:
    """Strings the personal-data lint accepts on every page: the site's own contacts and list."""
    return frozenset(filter(None, (settings.contact_email, settings.accessibility_email,
                                   settings.contact_phone, *settings.personal_data_allow)))


def page_body(page: Page, split: SplitPage) -> PageBody:
    templates = tuple((t, page.item_line("templates", i))
                      for i, t in enumerate(page.extras.get("templates") or ()))
    return PageBody(page.source, page.root, page.shown, split.body, page.body_line,
                    frozenset(page.extras.get("allow_personal_data_examples") or ()), templates,
                    split.front_matter, split.front_matter_line)
