"""The check kept warm between saves (`toolkit serve` runs it in one process, builder/warm.py):
what it keeps of unchanged files never hides a new problem in a changed one."""

from __future__ import annotations

import datetime as dt

from conftest import SiteFolder

from toolkit.checks.checking import check_site
from toolkit.content.settings import load_settings

TODAY = dt.date(2026, 11, 22)


def _codes(site: SiteFolder) -> set[tuple[str, int, str]]:
    settings = load_settings(site.settings)
    _, problems = check_site(settings[0] if isinstance(settings, tuple) else settings, TODAY)
    return {(p.path, p.line, p.code) for p in problems if p.severity != "info"}


def test_a_data_file_saved_with_personal_data_is_found_on_the_next_check_and_cleared_after(
        small_site: SiteFolder) -> None:
    glossary = small_site.content / "vocabularies" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    clean = _codes(small_site)
    assert _codes(small_site) == clean   # checked again with nothing changed

    glossary.write_text(text + '- {term: Duty desk, definition: "Ring 0161 555 1234 for the duty desk."}\n',
                        encoding="utf-8")
    assert _codes(small_site) - clean == {("content/vocabularies/glossary.yaml", 2, "personal-data-phone")}

    glossary.write_text(text, encoding="utf-8")
    assert _codes(small_site) == clean
