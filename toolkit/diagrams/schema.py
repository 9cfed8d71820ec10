"""Validate diagram YAML into the typed model, one Problem (path, line, hint) per mistake.

One pass both checks and builds: a file with any error gives no model, so a diagram is
never drawn from half-valid data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from toolkit.core.problems import Problem, error, warning
from toolkit.core.yamlio import YamlMap, YamlSeq, line_of
from toolkit.diagrams.model import (
    Care,
    Chronology,
    EcoMap,
    Entry,
    Genogram,
    PartialDate,
    Person,
    Relationship,
    System,
    Twins,
    Union,
)

SEXES = ("male", "female", "unknown")
UNION_STATUSES = ("married", "cohabiting", "separated", "divorced", "engaged", "formerly-cohabiting")
GENDERS = ("non-binary", "trans-man", "trans-woman")
MARKERS = ("mental-health", "physical-illness", "substance-misuse", "in-recovery",
           "learning-disability")
CARE_TYPES = ("kinship", "foster", "adoptive", "special-guardianship")
PREGNANCY_FLAGS = ("pregnancy", "miscarriage", "stillbirth", "termination")
MAX_PEOPLE = 60  # a genogram any bigger cannot be read on a page: split it
MAX_ENTRIES = 500  # a chronology any longer is a case record, not a page
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


def _people(check: Checker, seq: YamlSeq) -> tuple[list[Person], dict[str, int], dict[str, YamlMap]]:
    people: list[Person] = []
    lines: dict[str, int] = {}
    care: dict[str, YamlMap] = {}
    if len(seq) > MAX_PEOPLE:
        check.error(seq.item_line(MAX_PEOPLE), "too-many-people",
                    f"the genogram has {len(seq)} people; at most {MAX_PEOPLE} can be drawn "
                    "legibly", "split the family into several genograms, one per branch")
        return people, lines, care
    for i, raw in enumerate(seq):
        m = check.mapping(raw, seq.item_line(i), "a person", "{id: mum, label: Mother, sex: female}")
        if m is None:
            continue
        marker = any(m.get(key) is True for key in PREGNANCY_FLAGS)
        required = ("id",) if marker else ("id", "label", "sex")
        optional = (("label", "sex") if marker else ()) + (
            "born", "died", "deceased", "notes", "adopted", "fostered", "unknown", "gender",
            "markers", "cared_for_by") + PREGNANCY_FLAGS
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
                 ("deceased", "adopted", "fostered", "unknown") + PREGNANCY_FLAGS}
        if sum(flags[key] for key in PREGNANCY_FLAGS) > 1:
            check.error(m.line, "two-pregnancy-flags",
                        f"'{pid}' has more than one of {', '.join(PREGNANCY_FLAGS)}",
                        "keep the one that describes how the pregnancy ended")
        gender = check.choice(m, "gender", GENDERS, "a person")
        markers = _choices(check, m, "markers", MARKERS, "a person")
        if {"substance-misuse", "in-recovery"} <= set(markers):
            check.error(m.value_line("markers"), "bad-value",
                        f"'{pid}' is marked both substance-misuse and in-recovery",
                        "keep in-recovery if they have stopped, else substance-misuse")
        if "cared_for_by" in m and m["cared_for_by"] is not None:
            care[pid] = m
        label = check.text(m, "label", "person") or next(
            (key.capitalize() for key in PREGNANCY_FLAGS if flags[key]), "")
        if complete and pid:
            lines[pid] = m.value_line("id")
            people.append(Person(pid, label, sex, born, died,
                                 notes=check.text(m, "notes", "person"), gender=gender,
                                 markers=markers, **flags))
    return people, lines, care


def _choices(check: Checker, m: YamlMap, key: str, allowed: tuple[str, ...],
             what: str) -> tuple[str, ...]:
    """A list of allowed words (each checked at its own line), in the allowed order."""
    value = m.get(key)
    if value is None:
        return ()
    seq = check.sequence(value, m.value_line(key), f"'{key}' of {what}",
                         f"{key}: [{allowed[0]}]")
    if seq is None:
        return ()
    chosen = set()
    for i, item in enumerate(seq):
        if not isinstance(item, str) or item not in allowed:
            check.error(seq.item_line(i), "bad-value", f"'{item}' is not an allowed {key[:-1]} "
                        f"for {what}", f"use one of: {', '.join(allowed)}")
        else:
            chosen.add(item)
    return tuple(k for k in allowed if k in chosen)


def _care(check: Checker, m: YamlMap, pid: str, known: set[str]) -> Care | None:
    c = check.mapping(m["cared_for_by"], m.value_line("cared_for_by"), "cared_for_by",
                      "{people: [gran], type: kinship, since: 2023}")
    if c is None or not check.fields(c, "cared_for_by", ("people", "type"), ("since",)):
        return None
    carers = _ids(check, c["people"], c.value_line("people"), "cared_for_by people", known)
    if carers is not None and not 1 <= len(carers) <= 2:
        check.error(c.value_line("people"), "wrong-count",
                    "cared_for_by people must name one or two carers", "e.g. people: [gran]")
        carers = None
    if carers and pid in carers:
        check.error(c.value_line("people"), "self-care", f"'{pid}' cannot be their own carer",
                    "name the people who look after them")
        carers = None
    kind = check.choice(c, "type", CARE_TYPES, "cared_for_by")
    since = check.date(c, "since", "cared_for_by")
    return Care(carers, kind, since) if carers and kind else None


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
    check.fields(root, "the genogram", ("people",),
                 ("index", "as_of", "unions", "relationships", "households"))
    people_seq = check.sequence(root.get("people"), root.value_line("people"), "people",
                                "a list of {id:, label:, sex:}")
    if people_seq is not None and len(people_seq) > MAX_PEOPLE:   # one error, not one per unknown person
        _people(check, people_seq)
        return None
    people, id_lines, care_maps = _people(check, people_seq) if people_seq is not None \
        else ([], {}, {})
    known = set(id_lines)
    cares = {pid: _care(check, m, pid, known) for pid, m in care_maps.items()}
    people = [replace(p, cared_for_by=cares.get(p.id)) for p in people]
    born = {p.id: p.born for p in people}
    unions: list[Union] = []
    child_line: dict[str, int] = {}
    children_of: dict[str, list[str]] = {}
    seq = root.get("unions") or YamlSeq()
    for i, raw in enumerate(check.sequence(seq, root.value_line("unions"), "unions",
                                           "a list of {partners: [a, b], status: married}") or []):
        m = check.mapping(raw, seq.item_line(i), "a union",
                          "{partners: [a, b], status: married, children: [c]}")
        if m is None or not check.fields(m, "union", ("partners", "status"),
                                         ("since", "children", "twins")):
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
        twins = _twins(check, m, kids)
        if partners and status:
            unions.append(Union(partners, status, since, kids, twins))
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
    if index is not None and (not isinstance(index, str) or index not in known):
        shown = index if isinstance(index, (str, int, float)) else "a list or mapping"
        check.error(root.value_line("index"), "unknown-person", f"unknown index person '{shown}'",
                    "write one id from 'people', e.g. index: child1")
        index = None
    as_of = check.date(root, "as_of", "the genogram")
    if check.problems and any(p.severity == "error" for p in check.problems):
        return None
    _warn_unconnected(check, people, unions, relationships, households, id_lines)
    return Genogram(tuple(people), tuple(unions), tuple(relationships), tuple(households), index,
                    as_of)


def _twins(check: Checker, m: YamlMap, kids: tuple[str, ...]) -> tuple[Twins, ...]:
    raw = m.get("twins")
    if raw is None:
        return ()
    seq = check.sequence(raw, m.value_line("twins"), "twins",
                         "twins: [{children: [t1, t2], identical: true}]")
    groups: list[Twins] = []
    seen: set[str] = set()
    for i, item in enumerate(seq or []):
        t = check.mapping(item, seq.item_line(i), "a twins group",  # type: ignore[union-attr]
                          "{children: [t1, t2], identical: true}")
        if t is None or not check.fields(t, "twins group", ("children",), ("identical",)):
            continue
        members = _ids(check, t["children"], t.value_line("children"), "twins children",
                       set(kids))
        if members is None:
            continue
        if len(members) < 2 or set(members) & seen:
            check.error(t.value_line("children"), "bad-twins",
                        "a twins group needs two or more children, each in one group only",
                        "list the children born together, e.g. children: [t1, t2]")
            continue
        seen |= set(members)
        groups.append(Twins(members, check.flag(t, "identical", "a twins group")))
    return tuple(groups)


def _warn_unconnected(check: Checker, people: list[Person], unions: list[Union],
                      relationships: list[Relationship], households: list[tuple[str, ...]],
                      lines: dict[str, int]) -> None:
    """Someone linked to nobody is drawn alone at the row their birth year suggests."""
    linked = {p for u in unions for p in u.partners + u.children}
    linked |= {p for r in relationships for p in r.between} | {p for h in households for p in h}
    linked |= {c for p in people if p.cared_for_by for c in p.cared_for_by.people + (p.id,)}
    if len(people) < 2:
        return
    for person in people:
        if person.id not in linked:
            check.warning(lines[person.id], "unconnected",
                          f"'{person.id}' is in no union, household or relationship",
                          "add them as a child or partner in 'unions', or to a household; "
                          "until then they are drawn at the row their birth year suggests")


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
    if len(seq) > MAX_ENTRIES:
        check.error(seq.item_line(MAX_ENTRIES), "too-many-entries",
                    f"the chronology has {len(seq)} entries; at most {MAX_ENTRIES} fit one page",
                    "split it into several chronologies, one per period")
        return None
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


