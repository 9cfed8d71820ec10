"""Lines laid over a placed genogram: emotional relationship and care lines kept clear of
every symbol and label, and household outlines that enclose only their members.

A line is first tried straight or with one bend between ports on the two symbols, then as
a bracket along a free lane between rows, and only then routed round the obstacles (the
slow, many-bend case), each scored by length, bends and crossings.
"""

from __future__ import annotations

import math

from toolkit.diagrams import strokes
from toolkit.diagrams.genogram_layout import Layout, UnionGeometry, symbol_half
from toolkit.diagrams.model import Genogram, Person
from toolkit.diagrams.outline import Rect, union_outline
from toolkit.diagrams.route import (
    Point,
    Segment,
    inflate,
    route,
    segment_hits_box,
    segments_cross,
    simplify,
)
from toolkit.diagrams.svg import Box

CLEARANCE = 8.0  # between a relationship line's centre and any symbol or label
YEAR_CLEARANCE = 12.0  # round a union's year label, just above the partners' line
PORTS = (-12.0, 0.0, 12.0)  # where a relationship line may leave a symbol, from its centre
BEND_COST = 25.0
CROSS_COST = 60.0
ALONG_COST = 5000.0  # running on top of another line: only if nothing else is possible
OUTLINE_ALONG_COST = 300.0
LANE_STEP = 10.0  # a lane taken already: try one just beside it
PAD = 9.0  # between a household's members and its outline
NECK = 8.0  # half the width of the join between two parts of a household


def _bounds(layout: Layout) -> tuple[float, float, float, float]:
    boxes = layout.boxes
    return (min(b.x for b in boxes) - 22, min(b.y for b in boxes) - 20,
            max(b.x + b.w for b in boxes) + 22, max(b.y + b.h for b in boxes) + 26)


def union_lines(g: Genogram, layout: Layout) -> list[Segment]:
    """The union and descent lines as segments, for routing round them."""
    people = {p.id: p for p in g.people}
    return [seg for geo in layout.unions for seg in _union_segments(g, layout, geo, people)]


def _union_segments(g: Genogram, layout: Layout, geo: UnionGeometry,
                    people: dict[str, Person] | None = None) -> list[Segment]:
    people = people or {p.id: p for p in g.people}
    ha = symbol_half(people[geo.left], geo.left == g.index)
    hb = symbol_half(people[geo.right], geo.right == g.index)
    if geo.adjacent:
        lines = [((geo.x1 + ha, geo.y), (geo.x2 - hb, geo.y))]
    else:
        ya, yb = layout.y[geo.left], layout.y[geo.right]
        lines = [((geo.x1, ya + ha), (geo.x1, geo.line_y)), ((geo.x1, geo.line_y),
                 (geo.x2, geo.line_y)), ((geo.x2, geo.line_y), (geo.x2, yb + hb))]
    return lines + geo.descent


def _edge(person: Person, index: bool, dy: float, vertical: bool) -> float:
    """Distance from a symbol's centre to its outline along a port's direction, plus air."""
    h = symbol_half(person, index)
    if vertical:
        return h + 3
    if person.miscarriage or (person.sex == "female" and not person.pregnancy):
        return math.sqrt(max(h * h - dy * dy, 0.0)) + 3
    if person.sex == "unknown" and not person.pregnancy:
        return h - abs(dy) + 3
    return h + 3


def _ports(person: Person, index: bool, centre: Point) -> list[Point]:
    """Where a line may leave a symbol: its sides at three heights and its top (never the
    bottom, where the name is)."""
    cx, cy = centre
    ports = [(cx + side * _edge(person, index, dy, False), cy + dy)
             for dy in PORTS for side in (-1, 1) if abs(dy) < symbol_half(person, index)]
    return ports + [(cx, cy - _edge(person, index, 0.0, True))]


def _candidates(starts: list[Point], ends: list[Point]) -> list[list[Point]]:
    """Straight lines and one-bend lines (either way round) between any two ports."""
    found = []
    for a in starts:
        for b in ends:
            found.append([a, b])
            if a[0] != b[0] and a[1] != b[1]:
                found += [[a, (b[0], a[1]), b], [a, (a[0], b[1]), b]]
    return found


def _channels(layout: Layout) -> tuple[dict[int, float], dict[int, float], dict[int, list[float]]]:
    """Free horizontal lanes just above and below each row's boxes, and each row's free
    vertical gaps between neighbours and beside the drawing: where a line with more bends
    may run."""
    rows: dict[int, list[Box]] = {}
    for box in layout.boxes:
        pid = box.owner.split(":")[0]
        if pid in layout.generation:
            rows.setdefault(layout.generation[pid], []).append(box)
    every = layout.boxes
    edges = [min(b.x for b in every) - CLEARANCE - 4, max(b.x + b.w for b in every) + CLEARANCE + 4]
    above, below, gaps = {}, {}, {}
    for gen, boxes in rows.items():
        above[gen] = min(b.y for b in boxes) - CLEARANCE - 4
        below[gen] = max(b.y + b.h for b in boxes) + CLEARANCE + 4
        spans = sorted((b.x, b.x + b.w) for b in boxes)
        reach, xs = spans[0][1], list(edges)
        for lo, hi in spans[1:]:
            if lo - reach > 2 * CLEARANCE + 0.5:
                xs.append((lo + reach) / 2)
            reach = max(reach, hi)
        gaps[gen] = sorted(xs)
    return above, below, gaps


def _lanes(layout: Layout, people: dict[str, Person], g: Genogram, a: str, b: str
           ) -> list[list[Point]]:
    """Bracket-shaped lines for people no one-bend line joins: out of each symbol's side
    to the gap beside it, along a free lane between the rows, and in again."""
    above, below, gaps = _channels(layout)
    ga, gb = layout.generation[a], layout.generation[b]
    lo_gen, hi_gen = min(ga, gb), max(ga, gb)
    lanes = {above[lo_gen], below[hi_gen]} | {above[n] for n in range(lo_gen + 1, hi_gen + 1)
                                              if n in above} | {below[lo_gen]}
    ends: dict[str, list[tuple[Point, float]]] = {}
    for pid in (a, b):  # (port, the free gap beside it) on each side, at each port height
        cx, cy = layout.x[pid], layout.y[pid]
        row = gaps[layout.generation[pid]]
        ends[pid] = []
        for side in (-1, 1):
            nearest = [x for x in row if (x - cx) * side > 0]
            if not nearest:
                continue
            gap = min(nearest, key=lambda x: abs(x - cx))
            ends[pid] += [((cx + side * _edge(people[pid], pid == g.index, dy, False), cy + dy), gap)
                          for dy in PORTS if abs(dy) < symbol_half(people[pid], pid == g.index)]
    found = []
    for pa, xa in ends[a]:
        for pb, xb in ends[b]:
            found += [[pa, (xa, pa[1]), (xa, y + dy), (xb, y + dy), (xb, pb[1]), pb]
                      for y in lanes for dy in (0.0, -LANE_STEP, LANE_STEP)]
    return found


def _along(s: Segment, t: Segment) -> bool:
    """Two nearly parallel lines running on top of each other (within a few pixels)."""
    (a, b), (c, d) = s, t
    ls, lt = math.dist(a, b), math.dist(c, d)
    if ls < 1 or lt < 1:
        return False
    ux, uy = (b[0] - a[0]) / ls, (b[1] - a[1]) / ls
    if abs(ux * (d[1] - c[1]) / lt - uy * (d[0] - c[0]) / lt) > 0.2:  # not parallel
        return False
    if max(abs((p[0] - a[0]) * uy - (p[1] - a[1]) * ux) for p in (c, d)) >= 7:  # apart
        return False
    ends = sorted(((c[0] - a[0]) * ux + (c[1] - a[1]) * uy, (d[0] - a[0]) * ux + (d[1] - a[1]) * uy))
    return min(ends[1], ls) - max(ends[0], 0.0) > 1


def _near(box: Box, lo: Point, hi: Point) -> bool:
    return box.x < hi[0] and lo[0] < box.x + box.w and box.y < hi[1] and lo[1] < box.y + box.h


def route_relationships(g: Genogram, layout: Layout,
                        pairs: list[tuple[str, str]] | None = None) -> list[list[Point]]:
    """One line per pair (the relationships by default), symbol to symbol: straight or with
    one bend, clear of every other symbol and of every label, crossing as few other lines
    as it can and never running along one. Only when no such line exists is it routed
    round the obstacles with more bends."""
    people = {p.id: p for p in g.people}
    lines = union_lines(g, layout) + [
        seg for loops in layout.households for loop in loops
        for seg in zip(loop, loop[1:] + loop[:1], strict=True)] + [
        seg for line in layout.routes for seg in zip(line, line[1:], strict=False)]
    routes = []
    for a, b in pairs if pairs is not None else [r.between for r in g.relationships]:
        ca, cb = (layout.x[a], layout.y[a]), (layout.x[b], layout.y[b])
        path = _one_bend(g, layout, people, a, b, lines) or _detour(g, layout, people, a, b, lines)
        routes.append(path or [ca, cb])
        lines += list(zip(routes[-1], routes[-1][1:], strict=False))
    return routes


def route_care(g: Genogram, layout: Layout) -> list[tuple[str, str, list[Point]]]:
    """(carers, child, line) for each child cared for by others: one line from the carers'
    union line when they are a couple side by side, else one from each carer."""
    found = []
    lines = union_lines(g, layout) + [seg for line in layout.routes
                                      for seg in zip(line, line[1:], strict=False)]
    for child in g.people:
        care = child.cared_for_by
        if care is None:
            continue
        couple = next((geo for geo in layout.unions if geo.adjacent
                       and {geo.left, geo.right} == set(care.people)), None)
        line = None
        if couple is not None:
            starts = [(couple.mid + dx, couple.y) for dx in (-16.0, 16.0, -8.0, 8.0)]
            ends = _ports(child, child.id == g.index, (layout.x[child.id], layout.y[child.id]))
            line = _cheapest(layout, _candidates(starts, ends), f"union{couple.index}", child.id,
                             lines)
        if line is not None:
            found.append((",".join(care.people), child.id, line))
            lines += list(zip(line, line[1:], strict=False))
            continue
        pairs = [(carer, child.id) for carer in care.people]
        for (carer, _), route_ in zip(pairs, route_relationships(g, layout, pairs), strict=True):
            found.append((carer, child.id, route_))
            lines += list(zip(route_, route_[1:], strict=False))
    return found


def _one_bend(g: Genogram, layout: Layout, people: dict[str, Person], a: str, b: str,
              lines: list[Segment]) -> list[Point] | None:
    """The best straight or one-bend line, else the best bracket along a lane; None if
    every one of them passes through a symbol or label or runs along another line."""
    ca, cb = (layout.x[a], layout.y[a]), (layout.x[b], layout.y[b])
    candidates = _candidates(_ports(people[a], a == g.index, ca), _ports(people[b], b == g.index, cb))
    return _cheapest(layout, candidates, a, b, lines) or _cheapest(
        layout, [simplify(c) for c in _lanes(layout, people, g, a, b)], a, b, lines)


def _cheapest(layout: Layout, candidates: list[list[Point]], a: str, b: str,
              lines: list[Segment]) -> list[Point] | None:
    """The candidate clear of every obstacle with the lowest cost (length, bends, crossings)."""
    if not candidates:
        return None
    pts = [p for c in candidates for p in c]
    lo = (min(p[0] for p in pts) - 1, min(p[1] for p in pts) - 1)
    hi = (max(p[0] for p in pts) + 1, max(p[1] for p in pts) + 1)
    obstacles = []
    for box in layout.boxes:
        own = box.owner.split(":")[0] in (a, b)
        if box.kind == "symbol" and own:  # its own symbol: only its inside is out of bounds
            h = 0.7 * box.w / 2
            box = Box("symbol", box.owner, box.x + box.w / 2 - h, box.y + box.h / 2 - h, 2 * h, 2 * h)
        else:
            box = inflate(box, 2.0 if own else YEAR_CLEARANCE if box.owner.startswith("union")
                          else CLEARANCE)
        if _near(box, lo, hi):
            obstacles.append(box)
    near = [t for t in lines if _near(Box("", "", min(t[0][0], t[1][0]), min(t[0][1], t[1][1]),
                                          abs(t[1][0] - t[0][0]) + 0.1, abs(t[1][1] - t[0][1]) + 0.1), lo, hi)]
    outlines = {seg for loops in layout.households for loop in loops
                for seg in zip(loop, loop[1:] + loop[:1], strict=True)}
    scored = sorted((strokes.length(c) + BEND_COST * (len(c) - 2), n) for n, c in enumerate(candidates))
    best: tuple[float, list[Point]] | None = None
    for base, n in scored:
        if best is not None and base >= best[0]:
            break
        segs = list(zip(candidates[n], candidates[n][1:], strict=False))
        if any(segment_hits_box(p, q, box) for p, q in segs for box in obstacles):
            continue
        cost = base
        for s in segs:
            for t in near:
                if _along(s, t):  # along a household's outline: poor, but not a maze
                    cost += OUTLINE_ALONG_COST if t in outlines else ALONG_COST
                elif segments_cross(s, t):
                    cost += CROSS_COST
        if best is None or cost < best[0]:
            best = (cost, candidates[n])
    return best[1] if best and best[0] < ALONG_COST else None


def _detour(g: Genogram, layout: Layout, people: dict[str, Person], a: str, b: str,
            lines: list[Segment]) -> list[Point] | None:
    """The orthogonal router, for the rare pair no straight or one-bend line can join."""
    bounds = _bounds(layout)
    obstacles = [inflate(box, CLEARANCE) for box in layout.boxes
                 if not (box.kind == "symbol" and box.owner in (a, b))]
    for pid in (a, b):  # leave and reach a symbol from the side, never through its name
        h = symbol_half(people[pid], pid == g.index)
        cx, cy = layout.x[pid], layout.y[pid]
        obstacles += [Box("cap", pid, cx - h - 1, cy - h - 3, 2 * h + 2, 5),
                      Box("cap", pid, cx - h - 1, cy + h - 2, 2 * h + 2, 5)]
    ca, cb = (layout.x[a], layout.y[a]), (layout.x[b], layout.y[b])
    path = route([(ca[0], ca[1] + d) for d in PORTS], [(cb[0], cb[1] + d) for d in PORTS],
                 obstacles, lines, bounds)
    if path is None or len(path) < 2:
        return None
    for end, pid in ((0, a), (-1, b)):
        pts = path if end == 0 else path[::-1]
        centre = ca if end == 0 else cb
        vertical = pts[0][0] == pts[1][0]
        pts = _clip(pts, centre, _edge(people[pid], pid == g.index, pts[0][1] - centre[1], vertical))
        path = pts if end == 0 else pts[::-1]
    return path


def _clip(points: list[Point], centre: Point, distance: float) -> list[Point]:
    """Start the line at the symbol's outline instead of its centre."""
    (x0, y0), (x1, y1) = points[0], points[1]
    if x0 == x1:
        step = math.copysign(distance, y1 - y0)
        return [(x0, centre[1] + step)] + points[1:]
    step = math.copysign(distance, x1 - x0)
    return [(centre[0] + step, y0)] + points[1:]


def _runs(layout: Layout, members: set[str]) -> list[list[str]]:
    """Members sitting next to each other in a row, with no one else between them."""
    runs = []
    for row in layout.rows:
        current: list[str] = []
        for p in row + [""]:
            if p in members:
                current.append(p)
            elif current:
                runs.append(current)
                current = []
    return runs


def household_outline(g: Genogram, layout: Layout, members: tuple[str, ...]) -> list[list[Point]]:
    """A rounded box round each run of members, joined by narrow necks that keep clear of
    everyone else: the outline encloses the members and nobody else."""
    inside = set(members)
    runs = _runs(layout, inside)
    rects: list[Rect] = []
    for run in runs:
        owners = set(run) | {f"union{i}" for i, u in enumerate(g.unions) if set(u.partners) <= set(run)}
        boxes = [b for b in layout.boxes if b.owner.split(":")[0] in owners]
        rects.append((min(b.x for b in boxes) - PAD, min(b.y for b in boxes) - PAD,
                      max(b.x + b.w for b in boxes) + PAD, max(b.y + b.h for b in boxes) + PAD))
    others = [b for b in layout.boxes if b.kind == "symbol" and b.owner not in inside] + [
        b for b in layout.boxes if b.kind == "label" and b.owner.split(":")[0] not in inside
        and not b.owner.startswith("union")]
    necks: list[Rect] = []
    joined = {0}
    while len(joined) < len(rects):
        _, i, j = min((math.dist(_centre(rects[i]), _centre(rects[j])), i, j)
                      for i in joined for j in range(len(rects)) if j not in joined)
        necks += _neck(rects[i], rects[j], others, _bounds(layout))
        joined.add(j)
    return union_outline(rects + necks)


def _centre(r: Rect) -> Point:
    return ((r[0] + r[2]) / 2, (r[1] + r[3]) / 2)


def _neck(a: Rect, b: Rect, others: list[Box], bounds: tuple[float, float, float, float]) -> list[Rect]:
    upper, lower = (a, b) if a[1] <= b[1] else (b, a)
    lo, hi = max(a[0], b[0]), min(a[2], b[2])
    if hi - lo >= 2 * NECK + 28 and upper[3] <= lower[1]:  # one above the other: one step
        rect = (lo, upper[3] - 1, hi, lower[1] + 1)
        if not any(inflate(o, 2).overlaps(Box("", "", rect[0], rect[1], hi - lo, rect[3] - rect[1]))
                   for o in others):
            return [rect]
    path = route([_centre(a)], [_centre(b)], [inflate(o, NECK + 8) for o in others], [], bounds)
    if path is None:
        path = [_centre(a), _centre(b)]
    return [(min(p[0], q[0]) - NECK, min(p[1], q[1]) - NECK, max(p[0], q[0]) + NECK,
             max(p[1], q[1]) + NECK) for p, q in zip(path, path[1:], strict=False)]


def crossings(g: Genogram, layout: Layout) -> int:
    """How many times two different lines (a union's lines, a relationship) cross: the
    figure the layout tests and the benchmark report."""
    people = {p.id: p for p in g.people}
    groups = [(("u", geo.index), seg) for geo in layout.unions
              for seg in _union_segments(g, layout, geo, people)]
    lines = layout.routes + [line for _, _, line in layout.care_routes]
    groups += [(("r", n), seg) for n, line in enumerate(lines)
               for seg in zip(line, line[1:], strict=False)]
    count = 0
    for i, (a, s) in enumerate(groups):
        for b, t in groups[i + 1:]:
            if a != b and segments_cross(s, t) and not ({s[0], s[1]} & {t[0], t[1]}):
                count += 1
    return count
