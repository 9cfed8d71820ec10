"""Validate diagram YAML into the typed model, one Problem (path, line, hint) per mistake.

One pass both checks and builds: a file with any error gives no model, so a diagram is
never drawn from half-valid data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from toolkit.diagrams.model import (
    Chronology,
    EcoMap,
    Entry,
    Genogram,
    PartialDate,
    Person,
    Relationship,
    System,
    Union,
)
from toolkit.problems import Problem, error, warning
from toolkit.yamlio import YamlMap, YamlSeq, line_of

SEXES = ("male", "female", "unknown")
UNION_STATUSES = ("married", "cohabiting", "separated", "divorced", "engaged")
RELATIONSHIP_TYPES = ("close", "very-close", "distant", "conflict", "hostile", "cut-off", "abuse")
STRENGTHS = ("strong", "moderate", "tenuous", "stressful")
FLOWS = ("to", "from", "both")
SIGNIFICANCES = ("high", "medium", "low")
YEAR_RANGE = (1800, 2100)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class Checker:
    """Collects problems for one file while reading its values."""

    def __init__(self, path: str, code_prefix: str) -> None:
        self.path = path
        self.prefix = code_prefix
        self.problems: list[Problem] = []

    def error(self, line: int, code: str, message: str, hint: str) -> None:
        self.problems.append(error(self.path, line, f"{self.prefix}-{code}", message, hint))

    def warning(self, line: int, code: str, message: str, hint: str) -> None:
        self.problems.append(warning(self.path, line, f"{self.prefix}-{code}", message, hint))

    def mapping(self, value: Any, line: int, what: str, example: str) -> YamlMap | None:
        if isinstance(value, YamlMap):
            return value
        self.error(line_of(value, line), "not-mapping", f"{what} must be a mapping of fields",
                   f"write it as {example}")
        return None

    def sequence(self, value: Any, line: int, what: str, example: str) -> YamlSeq | None:
        if isinstance(value, YamlSeq):
            return value
        self.error(line_of(value, line), "not-list", f"{what} must be a list",
                   f"write it as {example}")
        return None

    def fields(self, m: YamlMap, what: str, required: tuple[str, ...],
               optional: tuple[str, ...]) -> bool:
        """Report missing and unknown fields; True when every required field is there."""
        allowed = required + optional
        for key in m:
            if key not in allowed:
                self.error(m.key_line(key), "unknown-field", f"unknown field '{key}' in {what}",
                           f"allowed fields: {', '.join(allowed)}; check the spelling")
        missing = [key for key in required if key not in m or m[key] is None]
        for key in missing:
            self.error(m.line, "missing-field", f"{what} has no '{key}'",
                       f"add '{key}: ...' to this {what.removeprefix('the ')}")
        return not missing

    def text(self, m: YamlMap, key: str, what: str, default: str = "") -> str:
        value = m.get(key)
        if value is None:
            return default
        if isinstance(value, (YamlMap, YamlSeq, bool)):
            self.error(m.value_line(key), "not-text", f"'{key}' of {what} must be text",
                       f"write {key}: \"...\" on one line")
            return default
        text = str(value).strip()
        if not text and key in ("label", "event", "subject", "id"):
            self.error(m.value_line(key), "empty", f"'{key}' of {what} is empty",
                       f"write the {key} between the quotes")
        return text

    def choice(self, m: YamlMap, key: str, allowed: tuple[str, ...], what: str) -> str | None:
        value = m.get(key)
        if value is None:
            return None
        if value not in allowed:
            self.error(m.value_line(key), "bad-value",
                       f"'{value}' is not an allowed {key} for {what}",
                       f"use one of: {', '.join(allowed)}")
            return None
        return str(value)

    def flag(self, m: YamlMap, key: str, what: str) -> bool:
        value = m.get(key, False)
        if not isinstance(value, bool):
            self.error(m.value_line(key), "not-boolean", f"'{key}' of {what} must be true or false",
                       f"write {key}: true, or leave it out")
            return False
        return value

    def date(self, m: YamlMap, key: str, what: str) -> PartialDate | None:
        value = m.get(key)
        if value is None:
            return None
        parsed = parse_date(value)
        if isinstance(parsed, str):
            self.error(m.value_line(key), "bad-date", f"{key} '{value}' of {what} {parsed}",
                       "write a year (2019), a year and month (2019-05) or a date (2019-05-02)")
            return None
        return parsed


def parse_date(value: Any) -> PartialDate | str:
    """A PartialDate, or the reason the value is not one (as a message fragment)."""
    if isinstance(value, bool):
        return "is not a date"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        year, month, day = value.year, value.month, value.day
    elif isinstance(value, int):
        year, month, day = value, None, None
    elif isinstance(value, str) and (match := _DATE_RE.match(value.strip())):
        year = int(match[1])
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
    else:
        return "is not a date"
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return f"is outside the years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}"
    if month is not None and not 1 <= month <= 12:
        return "has no such month"
    if day is not None:
        try:
            dt.date(year, month or 1, day)
        except ValueError:
            return "is not a real date"
    return PartialDate(year, month, day)


def _ids(check: Checker, value: Any, line: int, what: str, known: set[str],
         size: int | None = None) -> tuple[str, ...] | None:
    """A list of known person ids, with each unknown id reported at its own line."""
    seq = check.sequence(value, line, what, "[id1, id2]")
    if seq is None:
        return None
    if size is not None and len(seq) != size:
        check.error(seq.line, "wrong-count", f"{what} must name exactly {size} people",
                    f"list {size} person ids, e.g. [mum, dad]")
        return None
    ok = True
    for i, item in enumerate(seq):
        if not isinstance(item, str) or item not in known:
            check.error(seq.item_line(i), "unknown-person", f"unknown person '{item}' in {what}",
                        "use an id from 'people', or add this person there")
            ok = False
    return tuple(seq) if ok else None


def _people(check: Checker, seq: YamlSeq) -> tuple[list[Person], dict[str, int]]:
    people: list[Person] = []
    lines: dict[str, int] = {}
    for i, raw in enumerate(seq):
        m = check.mapping(raw, seq.item_line(i), "a person", "{id: mum, label: Mother, sex: female}")
        if m is None:
            continue
        marker = m.get("pregnancy") is True or m.get("miscarriage") is True
        required = ("id", "label") if marker else ("id", "label", "sex")
        optional = (("sex",) if marker else ()) + (
            "born", "died", "deceased", "notes", "pregnancy", "miscarriage", "adopted", "fostered")
        complete = check.fields(m, "person", required, optional)
        pid = check.text(m, "id", "person")
        if pid in lines:
            check.error(m.value_line("id"), "duplicate-id",
                        f"person id '{pid}' is used twice (first on line {lines[pid]})",
                        "give every person their own id")
            continue
        sex = check.choice(m, "sex", SEXES, "a person") or "unknown"
        born, died = check.date(m, "born", "a person"), check.date(m, "died", "a person")
        if born and died and died.sort_key < born.sort_key:
            check.error(m.value_line("died"), "died-before-born",
                        f"'{pid}' died ({died.iso}) before they were born ({born.iso})",
                        "check both years")
        flags = {key: check.flag(m, key, "a person") for key in
                 ("deceased", "pregnancy", "miscarriage", "adopted", "fostered")}
        if complete and pid:
            lines[pid] = m.value_line("id")
            people.append(Person(pid, check.text(m, "label", "person"), sex, born, died,
                                 notes=check.text(m, "notes", "person"), **flags))
    return people, lines


def _find_cycle(children_of: dict[str, list[str]]) -> list[str] | None:
    """A descent path that returns to its start (someone their own ancestor), if any."""
    state: dict[str, int] = {}
    for start in sorted(children_of):
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                if state.get(node) == 2:
                    continue
                if state.get(node) == 1:
                    return path[path.index(node):] + [node]
                state[node] = 1
                path.append(node)
            kids = children_of.get(node, [])
            if i < len(kids):
                stack.append((node, i + 1))
                stack.append((kids[i], 0))
            else:
                state[node] = 2
                path.pop()
    return None


def check_genogram(data: Any, check: Checker) -> Genogram | None:
    root = check.mapping(data, 1, "a genogram file", "index:, people:, unions:, ...")
    if root is None:
        return None
    check.fields(root, "the genogram", ("people",), ("index", "unions", "relationships", "households"))
    people_seq = check.sequence(root.get("people"), root.value_line("people"), "people",
                                "a list of {id:, label:, sex:}")
    people, id_lines = _people(check, people_seq) if people_seq is not None else ([], {})
    known = set(id_lines)
    born = {p.id: p.born for p in people}
    unions: list[Union] = []
    child_line: dict[str, int] = {}
    children_of: dict[str, list[str]] = {}
    seq = root.get("unions") or YamlSeq()
    for i, raw in enumerate(check.sequence(seq, root.value_line("unions"), "unions",
                                           "a list of {partners: [a, b], status: married}") or []):
        m = check.mapping(raw, seq.item_line(i), "a union",
                          "{partners: [a, b], status: married, children: [c]}")
        if m is None or not check.fields(m, "union", ("partners", "status"), ("since", "children")):
            continue
        partners = _ids(check, m["partners"], m.value_line("partners"), "partners", known, 2)
        if partners and partners[0] == partners[1]:
            check.error(m.value_line("partners"), "self-union", "a union needs two different people",
                        "name both partners")
            partners = None
        status = check.choice(m, "status", UNION_STATUSES, "a union")
        since = check.date(m, "since", "a union")
        kids_raw = m.get("children") or YamlSeq()
        kids = _ids(check, kids_raw, m.value_line("children"), "children", known) or ()
        for j, kid in enumerate(kids):
            line = kids_raw.item_line(j)
            if kid in child_line:
                check.error(line, "two-parent-unions",
                            f"'{kid}' is a child in two unions (also line {child_line[kid]})",
                            "list each child under one union only")
                continue
            child_line[kid] = line
            for parent in partners or ():
                children_of.setdefault(parent, []).append(kid)
                if born.get(kid) and born.get(parent) and born[kid].year < born[parent].year:
                    check.warning(line, "child-older", f"'{kid}' was born before their parent "
                                  f"'{parent}'", "check the birth years")
        if partners and status:
            unions.append(Union(partners, status, since, kids))
    cycle = _find_cycle(children_of)
    if cycle:  # report where the cycle closes last in the file, naming that person
        loop = cycle[:-1]
        start = max(range(len(loop)), key=lambda k: child_line.get(loop[k], 0))
        cycle = loop[start:] + loop[:start] + [loop[start]]
        check.error(child_line.get(cycle[0], root.line), "own-ancestor",
                    f"'{cycle[0]}' is their own ancestor ({' → '.join(cycle)})",
                    "a person cannot be a child of their own descendants; check 'children'")
    relationships: list[Relationship] = []
    seq = root.get("relationships") or YamlSeq()
    for i, raw in enumerate(check.sequence(seq, root.value_line("relationships"), "relationships",
                                           "a list of {between: [a, b], type: close}") or []):
        m = check.mapping(raw, seq.item_line(i), "a relationship", "{between: [a, b], type: close}")
        if m is None or not check.fields(m, "relationship", ("between", "type"), ("note",)):
            continue
        between = _ids(check, m["between"], m.value_line("between"), "between", known, 2)
        if between and between[0] == between[1]:
            check.error(m.value_line("between"), "self-relationship",
                        "a relationship needs two different people", "name both people")
            between = None
        kind = check.choice(m, "type", RELATIONSHIP_TYPES, "a relationship")
        if between and kind:
            relationships.append(Relationship(between, kind, check.text(m, "note", "relationship")))
    households: list[tuple[str, ...]] = []
    seq = root.get("households") or YamlSeq()
    for i, raw in enumerate(check.sequence(seq, root.value_line("households"), "households",
                                           "a list of lists: - [mum, child1]") or []):
        members = _ids(check, raw, seq.item_line(i), "a household", known)
        if members:
            households.append(members)
    index = root.get("index")
    if index is not None and index not in known:
        check.error(root.value_line("index"), "unknown-person", f"unknown index person '{index}'",
                    "use an id from 'people'")
    if check.problems and any(p.severity == "error" for p in check.problems):
        return None
    return Genogram(tuple(people), tuple(unions), tuple(relationships), tuple(households), index)


def check_ecomap(data: Any, check: Checker) -> EcoMap | None:
    root = check.mapping(data, 1, "an eco-map file", "centre:, systems:")
    if root is None or not check.fields(root, "the eco-map", ("centre", "systems"), ()):
        return None
    centre = check.mapping(root["centre"], root.value_line("centre"), "centre", "{label: \"A (9)\"}")
    if centre is not None:
        check.fields(centre, "centre", ("label",), ("note",))
    systems: list[System] = []
    seq = check.sequence(root["systems"], root.value_line("systems"), "systems",
                         "a list of {label: School, strength: strong}") or YamlSeq()
    for i, raw in enumerate(seq):
        m = check.mapping(raw, seq.item_line(i), "a system", "{label: School, strength: strong}")
        if m is None or not check.fields(m, "system", ("label", "strength"), ("flow", "note")):
            continue
        strength = check.choice(m, "strength", STRENGTHS, "a system")
        flow = check.choice(m, "flow", FLOWS, "a system")
        if strength:
            systems.append(System(check.text(m, "label", "system"), strength, flow,
                                  check.text(m, "note", "system")))
    if not seq and not check.problems:
        check.error(root.value_line("systems"), "empty", "the eco-map has no systems",
                    "add at least one system")
    if check.problems or centre is None:
        return None
    return EcoMap(check.text(centre, "label", "centre"), tuple(systems),
                  check.text(centre, "note", "centre"))


def check_chronology(data: Any, check: Checker) -> Chronology | None:
    root = check.mapping(data, 1, "a chronology file", "subject:, entries:")
    if root is None or not check.fields(root, "the chronology", ("subject", "entries"), ()):
        return None
    entries: list[Entry] = []
    seq = check.sequence(root["entries"], root.value_line("entries"), "entries",
                         "a list of {date: 2024-03-02, source: School, event: ...}") or YamlSeq()
    for i, raw in enumerate(seq):
        m = check.mapping(raw, seq.item_line(i), "an entry",
                          "{date: 2024-03-02, source: School, event: \"...\"}")
        if m is None or not check.fields(m, "entry", ("date", "source", "event"),
                                         ("impact", "action", "significance")):
            continue
        date = check.date(m, "date", "an entry")
        significance = check.choice(m, "significance", SIGNIFICANCES, "an entry")
        if date:
            entries.append(Entry(date, check.text(m, "event", "entry"), check.text(m, "source", "entry"),
                                 check.text(m, "impact", "entry"), check.text(m, "action", "entry"),
                                 significance or ""))
    if not seq and not check.problems:
        check.error(root.value_line("entries"), "empty", "the chronology has no entries",
                    "add at least one entry")
    if check.problems:
        return None
    entries.sort(key=lambda entry: entry.date.sort_key)  # stable: ties keep file order
    return Chronology(check.text(root, "subject", "chronology"), tuple(entries))


CHECKERS = {"genogram": check_genogram, "eco-map": check_ecomap, "chronology": check_chronology}
