"""Lines laid over a placed genogram: emotional relationships routed round every symbol
and label, and household outlines that enclose only their members."""

from __future__ import annotations

import math

from toolkit.diagrams.genogram_layout import Layout, symbol_half
from toolkit.diagrams.model import Genogram, Person
from toolkit.diagrams.outline import Rect, union_outline
from toolkit.diagrams.route import Point, Segment, inflate, route
from toolkit.diagrams.svg import Box

CLEARANCE = 8.0  # between a relationship line's centre and any symbol or label
PORTS = (-10.0, 0.0, 10.0)  # where a relationship line may leave a symbol, from its centre
PAD = 9.0  # between a household's members and its outline
NECK = 8.0  # half the width of the join between two parts of a household


def _bounds(layout: Layout) -> tuple[float, float, float, float]:
    boxes = layout.boxes
    return (min(b.x for b in boxes) - 22, min(b.y for b in boxes) - 20,
            max(b.x + b.w for b in boxes) + 22, max(b.y + b.h for b in boxes) + 26)


def union_lines(g: Genogram, layout: Layout) -> list[Segment]:
    """The union and descent lines as segments, for routing round them."""
    people = {p.id: p for p in g.people}
    lines: list[Segment] = []
    for geo in layout.unions:
        ha = symbol_half(people[geo.left], geo.left == g.index)
        hb = symbol_half(people[geo.right], geo.right == g.index)
        if geo.adjacent:
            lines.append(((geo.x1 + ha, geo.y), (geo.x2 - hb, geo.y)))
        else:
            ya, yb = layout.y[geo.left], layout.y[geo.right]
            lines += [((geo.x1, ya + ha), (geo.x1, geo.line_y)), ((geo.x1, geo.line_y),
                      (geo.x2, geo.line_y)), ((geo.x2, geo.line_y), (geo.x2, yb + hb))]
        lines += geo.descent
    return lines


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


def _clip(points: list[Point], centre: Point, distance: float) -> list[Point]:
    """Start the line at the symbol's outline instead of its centre."""
    (x0, y0), (x1, y1) = points[0], points[1]
    if x0 == x1:
        step = math.copysign(distance, y1 - y0)
        return [(x0, centre[1] + step)] + points[1:]
    step = math.copysign(distance, x1 - x0)
    return [(centre[0] + step, y0)] + points[1:]


def route_relationships(g: Genogram, layout: Layout) -> list[list[Point]]:
    """One polyline per relationship, from symbol to symbol, clear of every other symbol
    and of every label, crossing as few other lines as it can."""
    people = {p.id: p for p in g.people}
    lines = union_lines(g, layout) + [
        seg for loops in layout.households for loop in loops for seg in zip(loop, loop[1:] + loop[:1], strict=True)]
    bounds = _bounds(layout)
    routes = []
    for rel in g.relationships:
        a, b = rel.between
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
        if path is None or len(path) < 2:  # boxed in: a straight line is the honest fallback
            path = [ca, cb]
        else:
            for end, pid in ((0, a), (-1, b)):
                pts = path if end == 0 else path[::-1]
                centre = ca if end == 0 else cb
                vertical = pts[0][0] == pts[1][0]
                dist = _edge(people[pid], pid == g.index, pts[0][1] - centre[1], vertical)
                pts = _clip(pts, centre, dist)
                path = pts if end == 0 else pts[::-1]
        routes.append(path)
        lines += list(zip(path, path[1:], strict=False))
    return routes


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
    if hi - lo >= 2 * NECK + 28 and upper[3] <= lower[1]:  # one above the other: a straight neck
        cx, half = (lo + hi) / 2, max(NECK, min((hi - lo - 28) / 2, 40.0))
        rect = (cx - half, upper[3] - 1, cx + half, lower[1] + 1)
        if not any(inflate(o, 2).overlaps(Box("", "", rect[0], rect[1], 2 * half, rect[3] - rect[1]))
                   for o in others):
            return [rect]
    path = route([_centre(a)], [_centre(b)], [inflate(o, NECK + 8) for o in others], [], bounds)
    if path is None:
        path = [_centre(a), _centre(b)]
    return [(min(p[0], q[0]) - NECK, min(p[1], q[1]) - NECK, max(p[0], q[0]) + NECK,
             max(p[1], q[1]) + NECK) for p, q in zip(path, path[1:], strict=False)]
