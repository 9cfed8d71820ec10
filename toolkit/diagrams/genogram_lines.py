"""Lines laid over a placed genogram: emotional relationship and care lines kept clear of
every symbol and label, and household outlines that enclose only their members.

A line is first tried straight, then with one bend at a turning point in the free lanes
and gaps between rows (pieces may run at a slant), then with two, then as a bracket along
a free lane between rows, and only then routed round the obstacles (the slow, many-bend
case): the fewest bends that keep clear, each scored by length, bends and crossings.
Symbols, labels and lines sit on a coarse grid, so each piece is tested only against what
is near it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

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
from toolkit.diagrams.spatial import GridIndex
from toolkit.diagrams.svg import Box

CLEARANCE = 8.0  # between a relationship line's centre and any symbol or label
YEAR_CLEARANCE = 12.0  # round a union's year label, just above the partners' line
PORTS = (-12.0, 0.0, 12.0)  # where a relationship line may leave a symbol, from its centre
BEND_COST = 25.0
CROSS_COST = 300.0  # a crossing costs as much as 300 px of extra length
ALONG_COST = 100000.0  # running on top of another line: only if nothing else is possible
WORST = 12000.0  # a line dearer than this (some ten crossings) is searched for no further
OUTLINE_ALONG_COST = 300.0
PORT_TAKEN_COST = 80.0  # two lines from one point on a symbol read as one
ALONG_GAP = 14.0  # nearer than this, two parallel lines read as one (a triple line is 10 wide)
SHARP = 0.6  # cosine of the narrowest angle allowed at a bend (about 53 degrees)
TURN_BUDGET = 120  # turning points tried for one line, nearest first: bounds the search
GRIDS = ((40.0, 200), (16.0, 800), (32.0, 10**6))  # turning points every so many px round a line's ends,
# and how many of them to try, nearest first: the coarse grid for a line that crosses
# others (it finds lines crossing fewer), the fine one where no clear one-bend line is found
Grids = tuple[tuple[float, int], ...]
CARE_GRIDS = GRIDS[:1]  # care lines, from a carer or a union line, skip the costly fine grid
TWO_BEND_TURNS = 30  # turning points tried at each end of a two-bend line
LANE_STEP = 10.0  # a lane taken already: try one just beside it
PAD = 9.0  # between a household's members and its outline
NECK = 8.0  # half the width of the join between two parts of a household
STEP_WIDTH = 32.0  # narrower than this, two stacked boxes read as joined by a neck
AIR = 2.0  # least room between a household's outline and anyone outside it


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


Port = tuple[Point, int, float]  # a point, the way out (-1 left, 1 right, 0 up, 2 any), its dy


def _ports(person: Person, index: bool, centre: Point) -> list[Port]:
    """Where a line may leave a symbol: its sides at three heights and its top (never the
    bottom, where the name is)."""
    cx, cy = centre
    ports = [((cx + side * _edge(person, index, dy, False), cy + dy), side, dy)
             for dy in PORTS for side in (-1, 1) if abs(dy) < symbol_half(person, index)]
    return ports + [((cx, cy - _edge(person, index, 0.0, True)), 0, 0.0)]


def _leaves(port: Port, towards: Point) -> bool:
    """Whether a line from the port to `towards` heads out of the symbol, not across it:
    from the top upwards; from a side outwards, steeply only away from the symbol's
    widest point (up from the upper ports, down from the lower ones)."""
    (x, y), way, level = port
    dx, dy = towards[0] - x, towards[1] - y
    if way == 2:
        return bool(dx or dy)
    if way == 0:
        return dy < 0 and abs(dx) <= -dy
    out = dx * way
    if out <= 0 or abs(dy) > 6 * out:
        return False
    return abs(dy) <= 1.8 * out or dy * level >= 0


class _Scene:
    """One layout's symbols, labels and lines on a coarse grid, so a candidate line is
    tested only against what lies near it."""

    def __init__(self, layout: Layout, lines: list[Segment]) -> None:
        self.layout = layout
        self.boxes: GridIndex[tuple[str, Box, Box]] = GridIndex()  # person, box, obstacle
        for box in layout.boxes:
            far = _obstacle(box, ())
            self.boxes.add(far.x, far.y, far.x + far.w, far.y + far.h,
                           (box.owner.split(":")[0], box, far))
        self.lines: GridIndex[Segment] = GridIndex()
        for seg in lines:
            self.add_line(seg)
        self.outlines = {seg for loops in layout.households for loop in loops
                         for seg in zip(loop, loop[1:] + loop[:1], strict=True)}
        self.channels = _channels(layout) if layout.boxes else ({}, {}, {})
        self.ends: set[Point] = set()  # ports relationship lines already leave from

    def add_route(self, points: list[Point]) -> None:
        self.ends |= {points[0], points[-1]}
        for seg in zip(points, points[1:], strict=False):
            self.add_line(seg)

    def add_line(self, seg: Segment) -> None:
        (x0, y0), (x1, y1) = seg
        self.lines.add(min(x0, x1) - ALONG_GAP, min(y0, y1) - ALONG_GAP, max(x0, x1) + ALONG_GAP,
                       max(y0, y1) + ALONG_GAP, seg)

    def leg(self, p: Point, q: Point, owners: tuple[str, ...]) -> float | None:
        """The cost of a straight piece of line from p to q (length, crossings, running
        along another line), or None when it passes through a symbol or a label."""
        x0, y0, x1, y1 = min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])
        for pid, box, far in self.boxes.near(x0, y0, x1, y1):
            obstacle = _obstacle(box, owners) if pid in owners else far
            if obstacle.x <= x1 and x0 <= obstacle.x + obstacle.w and obstacle.y <= y1 and \
                    y0 <= obstacle.y + obstacle.h and segment_hits_box(p, q, obstacle):
                return None
        cost = math.dist(p, q) + PORT_TAKEN_COST * ((p in self.ends) + (q in self.ends))
        for t in self.lines.near(x0, y0, x1, y1):
            if _along((p, q), t):  # along a household's outline: poor, but not a maze
                cost += OUTLINE_ALONG_COST if t in self.outlines else ALONG_COST
            elif segments_cross((p, q), t):
                cost += CROSS_COST
        return cost


def _obstacle(box: Box, owners: tuple[str, ...]) -> Box:
    """The room a line must leave round a box: a line's own people's symbols only at their
    inside (the line ends on them), their labels closely, other labels with clearance."""
    own = box.owner.split(":")[0] in owners
    if box.kind == "symbol" and own:
        h = 0.7 * box.w / 2
        return Box("symbol", box.owner, box.x + box.w / 2 - h, box.y + box.h / 2 - h, 2 * h, 2 * h)
    return inflate(box, 2.0 if own else YEAR_CLEARANCE if box.owner.startswith("union")
                   else CLEARANCE)


def _waypoints(scene: _Scene, starts: list[Port], ends: list[Port]) -> list[Point]:
    """Where a one-bend line may turn: the corners of axis-parallel lines between the
    ports, and the free lanes and gaps between and beside the rows the line spans."""
    above, below, gaps = scene.channels
    ys_of = [p[1] for p, _, _ in starts + ends]
    xs_of = [p[0] for p, _, _ in starts + ends]
    rows = [n for n in above if min(ys_of) - 200 < above[n] and below[n] < max(ys_of) + 200]
    ys = {y for n in rows for y in (above[n], below[n])} | set(ys_of)
    ys |= {(below[n] + above[n + 1]) / 2 for n in rows if n + 1 in above}
    lo, hi = min(xs_of) - 240, max(xs_of) + 240
    xs = {x for n in rows for x in gaps[n] if lo <= x <= hi} | set(xs_of)
    corners = set()
    for s, s_way, _ in starts:
        for e, e_way, _ in ends:
            corners |= {(e[0], s[1]), (s[0], e[1])}
            lean = 0.3 * abs(e[1] - s[1])  # level out of one, then steeply into the other
            if e_way in (-1, 1):
                corners.add((e[0] + e_way * lean, s[1]))
            if s_way in (-1, 1):
                corners.add((s[0] + s_way * lean, e[1]))
    return sorted({(x, y) for x in xs for y in ys} | corners)



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


def _lanes(scene: _Scene, people: dict[str, Person], g: Genogram, a: str, b: str
           ) -> list[list[Point]]:
    """Bracket-shaped lines for people no one-bend line joins: out of each symbol's side
    to the gap beside it, along a free lane between the rows, and in again."""
    layout = scene.layout
    above, below, gaps = scene.channels
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
    if min(abs((p[0] - a[0]) * uy - (p[1] - a[1]) * ux) for p in (c, d)) >= ALONG_GAP:  # apart
        return False
    ends = sorted(((c[0] - a[0]) * ux + (c[1] - a[1]) * uy, (d[0] - a[0]) * ux + (d[1] - a[1]) * uy))
    return min(ends[1], ls) - max(ends[0], 0.0) > 1


def _scene(g: Genogram, layout: Layout) -> _Scene:
    """Union and descent lines, household outlines and the relationship lines so far."""
    return _Scene(layout, union_lines(g, layout) + [
        seg for loops in layout.households for loop in loops
        for seg in zip(loop, loop[1:] + loop[:1], strict=True)] + [
        seg for line in layout.routes for seg in zip(line, line[1:], strict=False)])


def route_relationships(g: Genogram, layout: Layout, pairs: list[tuple[str, str]] | None = None,
                        scene: _Scene | None = None, grids: Grids = GRIDS) -> list[list[Point]]:
    """One line per pair (the relationships by default), symbol to symbol: straight or with
    one bend, clear of every other symbol and of every label, crossing as few other lines
    as it can and never running along one. Only when no such line exists is it routed
    round the obstacles with more bends."""
    people = {p.id: p for p in g.people}
    scene = scene or _scene(g, layout)
    routes = []
    for a, b in pairs if pairs is not None else [r.between for r in g.relationships]:
        ca, cb = (layout.x[a], layout.y[a]), (layout.x[b], layout.y[b])
        path = _one_bend(g, scene, people, a, b, grids) or _detour(g, layout, people, a, b,
                                                             scene.lines.items)
        routes.append(path or [ca, cb])
        scene.add_route(routes[-1])
    return routes


def route_care(g: Genogram, layout: Layout) -> list[tuple[str, str, list[Point]]]:
    """(carers, child, line) for each child cared for by others: one line from the carers'
    union line when they are a couple side by side, else one from each carer."""
    found = []
    scene = _scene(g, layout)
    for child in g.people:
        care = child.cared_for_by
        if care is None:
            continue
        couple = next((geo for geo in layout.unions if geo.adjacent
                       and {geo.left, geo.right} == set(care.people)), None)
        line = None
        if couple is not None:
            starts: list[Port] = [((couple.mid + dx, couple.y), 2, 0.0) for dx in (-16.0, 16.0, -8.0, 8.0)]
            ends = _ports(child, child.id == g.index, (layout.x[child.id], layout.y[child.id]))
            line = _one_bend_search(scene, starts, ends, (f"union{couple.index}", child.id),
                                    CARE_GRIDS)
        if line is not None:
            found.append((",".join(care.people), child.id, line))
            scene.add_route(line)
            continue
        pairs = [(carer, child.id) for carer in care.people]
        for (carer, _), route_ in zip(pairs, route_relationships(g, layout, pairs, scene,
                                                                          CARE_GRIDS),
                                      strict=True):
            found.append((carer, child.id, route_))
    return found


def _one_bend(g: Genogram, scene: _Scene, people: dict[str, Person], a: str, b: str,
              grids: Grids) -> list[Point] | None:
    """The best straight or one-bend line, else the best bracket along a lane; None if
    every one of them passes through a symbol or label or runs along another line."""
    layout = scene.layout
    ca, cb = (layout.x[a], layout.y[a]), (layout.x[b], layout.y[b])
    starts, ends = _ports(people[a], a == g.index, ca), _ports(people[b], b == g.index, cb)
    return _one_bend_search(scene, starts, ends, (a, b), grids) or _cheapest(
        _Legs(scene, (a, b)), [simplify(c) for c in _lanes(scene, people, g, a, b)])


def _cheapest_leg(options: list[tuple[float, Point]], leg: Callable[[Point], float | None]
                  ) -> tuple[float, Point] | None:
    """The lowest leg cost and its port among options sorted by length (no leg costs less
    than its length)."""
    best: tuple[float, Point] | None = None
    for length, point in options:
        if best is not None and length >= best[0]:
            break
        cost = leg(point)
        if cost is not None and (best is None or cost < best[0]):
            best = (cost, point)
    return best


class _Legs:
    """Leg costs for one line's search, each worked out once."""

    def __init__(self, scene: _Scene, owners: tuple[str, ...]) -> None:
        self.scene, self.owners = scene, owners
        self.memo: dict[tuple[Point, Point], float | None] = {}

    def __call__(self, p: Point, q: Point) -> float | None:
        if (p, q) not in self.memo:
            self.memo[(p, q)] = self.scene.leg(p, q, self.owners)
        return self.memo[(p, q)]

    def blocked(self, w: Point) -> bool:
        """Whether a turning point lies in the room kept round a symbol or label, so no
        line can turn there (one test instead of one for each leg into it)."""
        for pid, box, far in self.scene.boxes.near(w[0], w[1], w[0], w[1]):
            room = _obstacle(box, self.owners) if pid in self.owners else far
            if room.x < w[0] < room.x + room.w and room.y < w[1] < room.y + room.h:
                return True
        return False


Turn = tuple[float, Point, list[tuple[float, Point]], list[tuple[float, Point]]]


def _turns(starts: list[Port], ends: list[Port], waypoints: list[Point]) -> list[Turn]:
    """Each turning point with the start and end ports a line may leave it by, nearest
    first, and the least any line through it can cost."""
    found = []
    (ax, ay), (bx, by) = (_middle([p for p, _, _ in starts]), _middle([p for p, _, _ in ends]))
    for w in waypoints:
        u, v = (ax - w[0], ay - w[1]), (bx - w[0], by - w[1])
        if u[0] * v[0] + u[1] * v[1] > SHARP * math.hypot(*u) * math.hypot(*v):
            continue  # a line doubling back in a narrow V is hard to follow
        out = sorted((math.dist(s[0], w), s[0]) for s in starts if s[0] != w and _leaves(s, w))
        into = sorted((math.dist(e[0], w), e[0]) for e in ends if e[0] != w and _leaves(e, w))
        if out and into:
            found.append((out[0][0] + into[0][0], w, out, into))
    found.sort(key=lambda item: item[0])
    return found


def grid_round(starts: list[Port], ends: list[Port], step: float) -> list[Point]:
    """Turning points every `step` px round a line's two ends, within the ellipse where a
    one-bend line is at most half as long again as a straight one (plus 160 px)."""
    a, b = _middle([p for p, _, _ in starts]), _middle([p for p, _, _ in ends])
    reach = 1.5 * math.dist(a, b) + 160
    points = [p for p, _, _ in starts + ends]
    x0, y0 = min(p[0] for p in points) - 160, min(p[1] for p in points) - 160
    columns = int((max(p[0] for p in points) + 160 - x0) // step) + 1
    rows = int((max(p[1] for p in points) + 160 - y0) // step) + 1
    grid = ((x0 + i * step, y0 + j * step) for i in range(columns) for j in range(rows))
    return [w for w in grid if math.dist(a, w) + math.dist(w, b) <= reach]


def _best_turn(legs: _Legs, turns: list[Turn], best_cost: float, best: list[Point] | None
               ) -> tuple[float, list[Point] | None]:
    """The cheapest one-bend line through the turning points, if cheaper than `best`."""
    for bound, w, out, into in turns:
        if bound + BEND_COST >= best_cost:
            break
        if legs.blocked(w):
            continue
        first = _cheapest_leg(out, lambda p, w=w: legs(p, w))
        if first is None or first[0] + into[0][0] + BEND_COST >= best_cost:
            continue
        second = _cheapest_leg(into, lambda q, w=w: legs(w, q))
        if second is not None and first[0] + second[0] + BEND_COST < best_cost:
            best_cost = first[0] + second[0] + BEND_COST
            best = [first[1], w, second[1]]
    return best_cost, best


def _middle(points: list[Point]) -> Point:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _one_bend_search(scene: _Scene, starts: list[Port], ends: list[Port],
                     owners: tuple[str, ...], grids: Grids = GRIDS) -> list[Point] | None:
    """The cheapest line from a start port to an end port with the fewest bends (straight,
    one, at most two) that keeps clear of every symbol and label and runs along no other
    line, or None. Turning points are tried cheapest bound first and each search stops
    once no bound can beat the best found."""
    legs = _Legs(scene, owners)
    best_cost, best = WORST, None
    for length, s, e in sorted((math.dist(s[0], e[0]), s, e) for s in starts for e in ends
                               if _leaves(s, e[0]) and _leaves(e, s[0])):
        if length >= best_cost:
            break
        cost = legs(s[0], e[0])
        if cost is not None and cost < best_cost:
            best_cost, best = cost, [s[0], e[0]]
    turns = _turns(starts, ends, _waypoints(scene, starts, ends))
    best_cost, best = _best_turn(legs, turns[:TURN_BUDGET], best_cost, best)
    for step, budget in grids:  # a grid round the ends: fewer crossings, or any clear line
        crossing = best is not None and best_cost - strokes.length(best) - BEND_COST * (
            len(best) - 2) >= CROSS_COST
        if best is None or (crossing and step == grids[0][0]):
            best_cost, best = _best_turn(legs, _turns(starts, ends, grid_round(starts, ends, step))
                                         [:budget], best_cost, best)
    return best or _cheapest(legs, _steps(scene, starts, ends)) or _two_bend_search(legs, turns)


def _two_bend_search(legs: _Legs, turns: list[tuple[float, Point, list[tuple[float, Point]],
                                                  list[tuple[float, Point]]]]
                     ) -> list[Point] | None:
    """Two turning points, for pairs no one-bend line joins: the nearest turning points
    a start port reaches, joined to the nearest from which an end port is reached."""
    firsts: list[tuple[float, Point, Point]] = []
    lasts: list[tuple[float, Point, Point]] = []
    for _, w, out, into in turns:
        if len(firsts) < TWO_BEND_TURNS and (first := _cheapest_leg(out, lambda p, w=w: legs(p, w))):
            firsts.append((first[0], w, first[1]))
        if len(lasts) < TWO_BEND_TURNS and (last := _cheapest_leg(into, lambda q, w=w: legs(w, q))):
            lasts.append((last[0], w, last[1]))
        if len(firsts) == len(lasts) == TWO_BEND_TURNS:
            break
    best_cost, best = WORST, None
    for bound, (c1, w1, s), (c2, w2, e) in sorted(
            ((c1 + math.dist(w1, w2) + c2 + 2 * BEND_COST, (c1, w1, s), (c2, w2, e))
             for c1, w1, s in firsts for c2, w2, e in lasts if w1 != w2), key=lambda t: t[0]):
        if bound >= best_cost:
            break
        middle = legs(w1, w2)
        if middle is not None and c1 + middle + c2 + 2 * BEND_COST < best_cost:
            best_cost, best = c1 + middle + c2 + 2 * BEND_COST, [s, w1, w2, e]
    return simplify(best) if best else None


def _cheapest(legs: _Legs, candidates: list[list[Point]]) -> list[Point] | None:
    """The candidate clear of every obstacle with the lowest cost (length, bends, crossings)."""
    best: tuple[float, list[Point]] | None = None
    for base, n in sorted((strokes.length(c) + BEND_COST * (len(c) - 2), n)
                          for n, c in enumerate(candidates)):
        if best is not None and base >= best[0]:
            break
        cost = base - strokes.length(candidates[n])
        for p, q in zip(candidates[n], candidates[n][1:], strict=False):
            piece = legs(p, q)
            if piece is None:
                break
            cost += piece
        else:
            if best is None or cost < best[0]:
                best = (cost, candidates[n])
    return best[1] if best and best[0] < ALONG_COST else None


def _steps(scene: _Scene, starts: list[Port], ends: list[Port]) -> list[list[Point]]:
    """Two-bend lines at right angles: level out of a side, along a free gap between
    people (or beside the drawing) to the other's height, and level in; or up out of
    both tops and along a lane above them."""
    above, _, gaps = scene.channels
    ys = [p[1] for p, _, _ in starts + ends]
    xs = {x for n in above if min(ys) - 200 < above[n] < max(ys) + 200 for x in gaps[n]}
    found = []
    for s, s_way, _ in starts:
        for e, e_way, _ in ends:
            if s_way in (-1, 1) and e_way in (-1, 1):
                found += [[s, (x, s[1]), (x, e[1]), e] for x in xs
                          if (x - s[0]) * s_way > 0 and (x - e[0]) * e_way > 0]
            elif s_way == e_way == 0:
                found += [[s, (s[0], y), (e[0], y), e] for y in above.values()
                          if y < min(s[1], e[1])]
    return found


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
    """One rounded rectangle round the members, or two stacked with one step between them,
    wherever that holds nobody else; failing that a rounded box round each run of members,
    joined by narrow necks that keep clear of everyone else. Either way the outline
    encloses the members and nobody else."""
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
    simple = _simple_shape(rects, others)
    if simple is not None:
        return union_outline(simple)
    necks: list[Rect] = []
    joined = {0}
    while len(joined) < len(rects):
        _, i, j = min((math.dist(_centre(rects[i]), _centre(rects[j])), i, j)
                      for i in joined for j in range(len(rects)) if j not in joined)
        necks += _neck(rects[i], rects[j], others, _bounds(layout))
        joined.add(j)
    return union_outline(rects + necks)


def _clear(rect: Rect, others: list[Box]) -> bool:
    box = Box("", "", rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1])
    return not any(inflate(o, AIR).overlaps(box) for o in others)


def _simple_shape(rects: list[Rect], others: list[Box]) -> list[Rect] | None:
    """The members' boxes as one rectangle, or as two stacked (the upper row's and the
    lower row's, one stretched to meet the other and either widened to the other's width
    where the two share too little), if that shape holds nobody else."""
    whole = (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects),
             max(r[3] for r in rects))
    if _clear(whole, others):
        return [whole]
    tops = sorted({r[1] for r in rects})
    if len(tops) != 2:
        return None
    upper = [r for r in rects if r[1] == tops[0]]
    lower = [r for r in rects if r[1] == tops[1]]
    up = (min(r[0] for r in upper), tops[0], max(r[2] for r in upper), max(r[3] for r in upper))
    down = (min(r[0] for r in lower), tops[1], max(r[2] for r in lower), max(r[3] for r in lower))
    if up[3] > down[1]:
        return None  # the rows overlap
    span = (min(up[0], down[0]), max(up[2], down[2]))
    shapes = []
    for top in (up, (span[0], up[1], span[1], up[3])):  # each as it is, or as wide as both
        for bottom in (down, (span[0], down[1], span[1], down[3])):
            if min(top[2], bottom[2]) - max(top[0], bottom[0]) >= STEP_WIDTH:
                shapes += [[(top[0], top[1], top[2], bottom[1] + 1), bottom],
                           [top, (bottom[0], top[3] - 1, bottom[2], bottom[3])]]
    clear = [shape for shape in shapes if all(_clear(r, others) for r in shape)]
    return min(clear, key=lambda shape: sum((r[2] - r[0]) * (r[3] - r[1]) for r in shape)) \
        if clear else None


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
