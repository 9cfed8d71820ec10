"""Each mistake in diagram data gives its own message, on the line of the offending key."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.diagrams import (
    DIAGRAM_SUFFIXES,
    load_diagram,
    validate_diagram_file,
    validate_directive,
)

DATA = Path(__file__).parent / "data" / "diagrams"

FAMILY = """\
people:
  - {id: mum, label: Mother, sex: female, born: 1985}
  - {id: dad, label: Father, sex: male, born: 1983}
  - {id: kid, label: "A (9)", sex: female, born: 2016}
unions:
  - {partners: [mum, dad], status: married, children: [kid]}
"""

# (kind, text, line, code, words in the message)
CASES = [
    ("genogram", FAMILY + "  - {partners: [mum, nobody], status: married}\n",
     7, "genogram-unknown-person", "unknown person 'nobody' in partners"),
    ("genogram", FAMILY + "relationships:\n  - between: [mum, ghost]\n    type: close\n",
     8, "genogram-unknown-person", "unknown person 'ghost'"),
    ("genogram", FAMILY + "households:\n  - [mum, kid, stranger]\n",
     8, "genogram-unknown-person", "unknown person 'stranger' in a household"),
    ("genogram", "index: nobody\n" + FAMILY, 1, "genogram-unknown-person", "index person"),
    ("genogram", FAMILY.replace("status: married", "status: wed"),
     6, "genogram-bad-value", "'wed' is not an allowed status"),
    ("genogram", FAMILY.replace("sex: male", "sex: man"), 3, "genogram-bad-value",
     "'man' is not an allowed sex"),
    ("genogram", FAMILY + "relationships:\n  - {between: [mum, dad], type: frosty}\n",
     8, "genogram-bad-value", "'frosty' is not an allowed type"),
    ("genogram", FAMILY + "  - {partners: [kid, dad], status: married, children: [mum]}\n",
     7, "genogram-own-ancestor", "is their own ancestor"),
    ("genogram", FAMILY + "  - {partners: [kid, dad], status: married, children: [kid]}\n",
     7, "genogram-two-parent-unions", "'kid' is a child in two unions"),
    ("genogram", FAMILY.replace("id: dad", "id: mum"), 3, "genogram-duplicate-id",
     "person id 'mum' is used twice (first on line 2)"),
    ("genogram", FAMILY.replace("born: 1983", "born: 1983, height: 2"), 3,
     "genogram-unknown-field", "unknown field 'height'"),
    ("genogram", FAMILY.replace("label: Father, ", ""), 3, "genogram-missing-field",
     "person has no 'label'"),
    ("genogram", FAMILY.replace("born: 1985", "born: 1985, died: 1980"), 2,
     "genogram-died-before-born", "died (1980) before they were born"),
    ("genogram", FAMILY.replace("born: 1983", "born: 2023-13"), 3, "genogram-bad-date",
     "has no such month"),
    ("genogram", FAMILY.replace("born: 1983", "born: 1283"), 3, "genogram-bad-date",
     "outside the years"),
    ("genogram", FAMILY.replace("born: 1983", "born: 1983-02-30"), 3, "yaml-bad-date",
     "not a real date"),
    ("genogram", FAMILY + "  - {partners: [mum], status: married}\n", 7,
     "genogram-wrong-count", "exactly 2 people"),
    ("genogram", FAMILY.replace("label: Mother", "label: Mother, adopted: yes please"), 2,
     "genogram-not-boolean", "must be true or false"),
    ("genogram", FAMILY + "people: []\n", 7, "yaml-duplicate-key", "duplicate key 'people'"),
    ("genogram", "people:\n  - {id: a, label: A, sex: female\n", 2, "yaml-syntax", "never closed"),
    ("genogram", FAMILY.replace("born: 1985", "born: 1985, markers: [sad]"), 2,
     "genogram-bad-value", "'sad' is not an allowed marker"),
    ("genogram", FAMILY.replace("born: 1983", "born: 1983, gender: other"), 3,
     "genogram-bad-value", "'other' is not an allowed gender"),
    ("genogram", FAMILY.replace("born: 2016", "born: 2016, cared_for_by: {people: [kid], "
                                "type: kinship}"), 4, "genogram-self-care", "their own carer"),
    ("genogram", FAMILY.replace("born: 2016", "born: 2016, cared_for_by: {people: [mum], "
                                "type: aunt}"), 4, "genogram-bad-value", "'aunt' is not an allowed type"),
    ("genogram", FAMILY.replace("children: [kid]", "children: [kid], twins: [{children: [kid, mum]}]"),
     6, "genogram-unknown-person", "unknown person 'mum' in twins children"),
    ("genogram", FAMILY.replace("children: [kid]", "children: [kid], twins: [{children: [kid]}]"),
     6, "genogram-bad-twins", "two or more children"),
    ("genogram", FAMILY.replace("born: 2016", "born: 2016, stillbirth: true, miscarriage: true"),
     4, "genogram-two-pregnancy-flags", "more than one of"),
    ("genogram", "as_of: soon\n" + FAMILY, 1, "genogram-bad-date", "as_of 'soon'"),
    ("eco-map", "centre: {label: A}\nsystems:\n  - {label: School, strength: huge}\n",
     3, "eco-map-bad-value", "'huge' is not an allowed strength"),
    ("eco-map", "centre: {label: A}\nsystems:\n  - {label: GP, strength: strong, flow: up}\n",
     3, "eco-map-bad-value", "'up' is not an allowed flow"),
    ("eco-map", "centre: {label: A}\nsystems:\n  - {strength: strong}\n",
     3, "eco-map-missing-field", "system has no 'label'"),
    ("eco-map", "centre: A\nsystems:\n  - {label: GP, strength: strong}\n",
     1, "eco-map-not-mapping", "centre must be a mapping"),
    ("eco-map", "centre: {label: A}\nsystems: []\n", 2, "eco-map-empty", "no systems"),
    ("chronology", "subject: A\nentries:\n  - {date: 2024-02-30, source: GP, event: x}\n",
     3, "yaml-bad-date", "not a real date"),
    ("chronology", "subject: A\nentries:\n  - {date: \"2024-02-30\", source: GP, event: x}\n",
     3, "chronology-bad-date", "is not a real date"),
    ("chronology", "subject: A\nentries:\n  - {date: 2024-13, source: GP, event: x}\n",
     3, "chronology-bad-date", "has no such month"),
    ("chronology", "subject: A\nentries:\n  - {date: last spring, source: GP, event: x}\n",
     3, "chronology-bad-date", "is not a date"),
    ("chronology", "subject: A\nentries:\n  - source: GP\n    event: x\n    significance: huge\n",
     3, "chronology-missing-field", "entry has no 'date'"),
    ("chronology", "subject: A\nentries:\n  - {date: 2024, source: GP, event: x, "
     "significance: huge}\n", 3, "chronology-bad-value", "'huge' is not an allowed significance"),
    ("chronology", "subject: A\nentries:\n  - {date: 2024, source: GP, event: x, mood: ok}\n",
     3, "chronology-unknown-field", "unknown field 'mood'"),
]


@pytest.mark.parametrize(("kind", "text", "line", "code", "words"), CASES,
                         ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_each_mistake_has_its_message_and_line(kind: str, text: str, line: int, code: str,
                                               words: str) -> None:
    problems = validate_diagram_file(kind, text, "family.yaml")
    found = [p for p in problems if p.code == code]
    assert found, [p.as_text() for p in problems]
    assert any(words in p.message and p.line == line for p in found), \
        [p.as_text() for p in problems]
    assert all(p.path == "family.yaml" and p.hint for p in problems)
    model, again = load_diagram(kind, text, "family.yaml")
    assert model is None and again == problems


def test_bad_date_is_reported_once() -> None:
    text = "subject: A\nentries:\n  - {date: 2024-02-30, source: GP, event: x}\n"
    assert len(validate_diagram_file("chronology", text, "c.yaml")) == 1


@pytest.mark.parametrize("date", ["2024", "2024-05", '"2024-05"', "2024-05-02", '"2024-5"'])
def test_partial_dates_are_accepted(date: str) -> None:
    text = f"subject: A\nentries:\n  - {{date: {date}, source: GP, event: x}}\n"
    assert validate_diagram_file("chronology", text, "c.yaml") == []


def test_shipped_examples_are_valid() -> None:
    for path in sorted(DATA.glob("*.yaml")):
        kind = next(k for s, k in DIAGRAM_SUFFIXES.items() if path.name.endswith(s))
        model, problems = load_diagram(kind, path.read_text(), str(path))
        assert problems == [] and model is not None, path


def test_child_born_before_parent_is_a_warning_only() -> None:
    text = FAMILY.replace("born: 2016", "born: 1970")
    model, problems = load_diagram("genogram", text, "f.yaml")
    assert model is not None
    assert {p.severity for p in problems} == {"warning"}
    assert problems[0].line == 6


def test_directive_lines_point_into_the_page() -> None:
    body = "centre: {label: A}\nsystems:\n  - {label: School, strength: huge}\n"
    problems = validate_directive("eco-map", None, body, "page.md", body_line=12)
    assert [(p.path, p.line) for p in problems] == [("page.md", 14)]


def test_directive_timeline_reads_chronology_format() -> None:
    body = "subject: A\nentries:\n  - {date: 2024, source: GP, event: x, significance: low}\n"
    assert validate_directive("timeline", None, body, "page.md", 5) == []


def test_directive_needs_exactly_one_of_path_and_body() -> None:
    both = validate_directive("genogram", "a.genogram.yaml", "people: []", "page.md", 5)
    neither = validate_directive("genogram", None, "  \n", "page.md", 5)
    assert [p.code for p in both] == ["diagram-path-and-body"]
    assert [p.code for p in neither] == ["diagram-no-data"]
    assert "genogram.yaml" in neither[0].hint
    assert validate_directive("genogram", "a.genogram.yaml", "", "page.md", 5) == []


# --- wrong types and limits ---------------------------------------------------------------

WRONG_VALUES = [["x"], {"a": "b"}, 3, True, "text", [{"a": 1}]]


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    """Every place in the data where a value sits (mapping keys and list items)."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, path + (i,))
    return found


def _replaced(data: object, path: tuple, new: object) -> object:
    if not path:
        return new
    copy = dict(data) if isinstance(data, dict) else list(data)  # type: ignore[call-overload]
    copy[path[0]] = _replaced(copy[path[0]], path[1:], new)
    return copy


@pytest.mark.parametrize("name", ["conventions.genogram.yaml", "support.ecomap.yaml",
                                  "history.chronology.yaml"])
def test_every_field_given_the_wrong_type_gets_a_located_message(name: str) -> None:
    """No traceback, whatever type an author writes where: a plain message with file and line
    (e.g. `index: [a]`, `markers: mental-health`, `twins: {children: x}`)."""
    import yaml

    kind = next(k for s, k in DIAGRAM_SUFFIXES.items() if name.endswith(s))
    data = yaml.safe_load((DATA / name).read_text())
    lines_in = 0
    for path in _paths(data):
        for wrong in WRONG_VALUES:
            text = yaml.safe_dump(_replaced(data, path, wrong), sort_keys=False)
            problems = validate_diagram_file(kind, text, "family.yaml")
            lines_in = len(text.splitlines())
            for problem in problems:
                assert problem.path == "family.yaml"
                assert 1 <= problem.line <= lines_in + 1, (path, wrong, problem)
                assert problem.message and problem.hint, (path, wrong, problem)
    assert lines_in


def test_someone_linked_to_nobody_is_a_warning() -> None:
    assert validate_diagram_file("genogram", FAMILY, "f.yaml") == []
    lone = FAMILY.replace("people:\n", "people:\n  - {id: lodger, label: Lodger, sex: male}\n")
    problems = validate_diagram_file("genogram", lone, "f.yaml")
    assert [(p.line, p.code, p.severity) for p in problems] == [
        (2, "genogram-unconnected", "warning")]


def test_index_given_as_a_list_is_a_plain_error() -> None:
    problems = validate_diagram_file("genogram", "index: [kid]\n" + FAMILY, "f.genogram.yaml")
    assert [(p.line, p.code) for p in problems] == [(1, "genogram-unknown-person")]
    assert "write one id" in problems[0].hint


def test_too_many_people_and_entries_are_refused_naming_the_file() -> None:
    people = "".join(f"  - {{id: p{i}, label: P{i}, sex: female}}\n" for i in range(61))
    unions = "".join(f"  - {{partners: [p{i}, p{i + 1}], status: married, children: [p{i + 2}]}}\n"
                     for i in range(0, 57, 3))   # none of them "unknown person" once the list is refused
    problems = validate_diagram_file("genogram", "index: p0\npeople:\n" + people + "unions:\n" + unions,
                                     "big.genogram.yaml")
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("big.genogram.yaml", 63, "genogram-too-many-people")]
    assert "at most 60" in problems[0].message
    entries = "".join(f"  - {{date: 2024, source: GP, event: e{i}}}\n" for i in range(501))
    problems = validate_diagram_file("chronology", "subject: A\nentries:\n" + entries,
                                     "long.chronology.yaml")
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("long.chronology.yaml", 503, "chronology-too-many-entries")]
    people = "".join(f"  - {{id: p{i}, label: P{i}, sex: female}}\n" for i in range(60))
    assert not [p for p in validate_diagram_file("genogram", "people:\n" + people, "ok.yaml")
                if p.severity == "error"]


def test_skill_pages_speak_to_readers_not_authors() -> None:
    """How to write diagram data belongs in the format reference pages; the skill pages a
    social worker reads carry no author wording, and show the symbols as pictures."""
    import re

    skills = Path(__file__).resolve().parents[1] / "content" / "skills"
    for name in ("genograms.md", "eco-maps.md"):
        text = (skills / name).read_text(encoding="utf-8").split("---", 2)[2]
        prose = re.sub(r"```.*?```", "", text, flags=re.S).lower()
        for words in ("directive", "yaml", "data template", "toolkit check", "as data for"):
            assert words not in prose, (name, words)
    assert "```{genogram-symbols}" in (skills / "genograms.md").read_text(encoding="utf-8")
