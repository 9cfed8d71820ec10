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


FAMILY = ("index: child\npeople:\n  - {id: mum, label: Mum, sex: female, born: 1988}\n"
          "  - {id: dad, label: Dad, sex: male, born: 1986}\n  - {id: child, label: Ada, sex: female, born: 2016}\n"
          "unions:\n  - {partners: [mum, dad], status: separated, since: 2021, children: [child]}\n")


def test_a_diagram_data_file_saved_with_a_mistake_is_found_on_the_next_check(small_site: SiteFolder) -> None:
    small_site.write("guides/family.genogram.yaml", FAMILY)
    clean = _codes(small_site)
    assert not any(path.endswith("family.genogram.yaml") for path, _, _ in clean)

    small_site.write("guides/family.genogram.yaml", FAMILY.replace("born: 2016", "born: next year"))
    found = {(path, line) for path, line, _ in _codes(small_site) - clean}
    assert found == {("content/guides/family.genogram.yaml", 5)}

    small_site.write("guides/family.genogram.yaml", FAMILY)
    assert _codes(small_site) == clean
