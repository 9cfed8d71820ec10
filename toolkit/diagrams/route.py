"""Orthogonal routing round obstacles, and the plane geometry the layout tests also use.

Lines are routed on a sparse grid built from the obstacles' edges (a classic orthogonal
connector router): Dijkstra over (grid point, direction) with costs for length, bends,
crossing another line and, much more, running along one, so routed lines stay readable.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right

from toolkit.diagrams.svg import Box

Point = tuple[float, float]
Segment = tuple[Point, Point]
BEND = 20.0
CROSS = 30.0
ALONG = 600.0


def inflate(box: Box, d: float) -> Box:
    return Box(box.kind, box.owner, box.x - d, box.y - d, box.w + 2 * d, box.h + 2 * d)


def segment_hits_box(a: Point, b: Point, box: Box) -> bool:
    """Whether segment ab passes through the box's interior (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box.x), (dx, box.x + box.w - a[0]),
                 (-dy, a[1] - box.y), (dy, box.y + box.h - a[1])):
        if p == 0:
            if q <= 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 >= t1:
                return False
    return t1 - t0 > 1e-9


def segments_cross(s: Segment, t: Segment) -> bool:
    """Whether two segments share any point (touching or overlapping counts)."""
    (a, b), (c, d) = s, t
    if max(a[0], b[0]) < min(c[0], d[0]) - 1e-9 or max(c[0], d[0]) < min(a[0], b[0]) - 1e-9 or \
            max(a[1], b[1]) < min(c[1], d[1]) - 1e-9 or max(c[1], d[1]) < min(a[1], b[1]) - 1e-9:
        return False

    def orient(p: Point, q: Point, r: Point) -> float:
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return 0.0 if abs(v) < 1e-9 else v

    def on(p: Point, q: Point, r: Point) -> bool:
        return min(p[0], q[0]) - 1e-9 <= r[0] <= max(p[0], q[0]) + 1e-9 and \
            min(p[1], q[1]) - 1e-9 <= r[1] <= max(p[1], q[1]) + 1e-9

    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    if o1 * o2 < 0 and o3 * o4 < 0:
        return True
    return any(o == 0 and on(p, q, r) for o, p, q, r in
               ((o1, a, b, c), (o2, a, b, d), (o3, c, d, a), (o4, c, d, b)))


def point_in_loops(p: Point, loops: list[list[Point]]) -> bool:
    """Even-odd test against closed polygons."""
    inside = False
    for loop in loops:
        for (x1, y1), (x2, y2) in zip(loop, loop[1:] + loop[:1], strict=True):
            if (y1 > p[1]) != (y2 > p[1]) and p[0] < x1 + (p[1] - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _axis(values: set[float]) -> list[float]:
    """Grid lines: the given values plus midpoints, so lines can run down the middle of gaps."""
    ordered = sorted({round(v, 1) for v in values})
    mids = [(a + b) / 2 for a, b in zip(ordered, ordered[1:], strict=False) if b - a > 4]
    return sorted(set(ordered) | {round(m, 1) for m in mids})


def route(starts: list[Point], ends: list[Point], obstacles: list[Box], lines: list[Segment],
          bounds: tuple[float, float, float, float]) -> list[Point] | None:
    """The cheapest axis-parallel path from any start to any end that keeps out of the
    obstacles (already inflated by the clearance wanted); None when there is none.
    Searched first near the two ends, then over the whole drawing."""
    near = [p for p in starts + ends]
    window = (max(bounds[0], min(p[0] for p in near) - 160), max(bounds[1], min(p[1] for p in near) - 120),
              min(bounds[2], max(p[0] for p in near) + 160), min(bounds[3], max(p[1] for p in near) + 120))
    for area in (window, bounds):
        found = _search(starts, ends, obstacles, lines, area)
        if found is not None:
            return found
    return None


def _edge_costs(axis: list[float], at: float, blocked: list[tuple[float, float]],
                across: list[tuple[float, float, float]], along: list[tuple[float, float, float]]
                ) -> list[float | None]:
    """Cost of each step between neighbouring grid points on one grid line (None: blocked)."""
    crossing = sorted(c for a, b, c in across if a < at < b)
    near = [(a, b) for a, b, c in along if abs(c - at) < 7]
    costs: list[float | None] = []
    starts = sorted(blocked)
    for lo, hi in zip(axis, axis[1:], strict=False):
        k = bisect_left(starts, (hi - 1e-6,))
        if any(b > lo + 1e-6 for _, b in starts[:k]):
            costs.append(None)
            continue
        cost = hi - lo + CROSS * (bisect_left(crossing, hi) - bisect_right(crossing, lo))
        costs.append(cost + ALONG * sum(a < hi and lo < b for a, b in near))
    return costs


def _search(starts: list[Point], ends: list[Point], obstacles: list[Box], lines: list[Segment],
            bounds: tuple[float, float, float, float]) -> list[Point] | None:
    x0, y0, x1, y1 = bounds
    inside = [b for b in obstacles if b.x < x1 and x0 < b.x + b.w and b.y < y1 and y0 < b.y + b.h]
    xs = [x for x in _axis({x0, x1} | {p[0] for p in starts + ends}
                           | {v for b in inside for v in (b.x, b.x + b.w)}) if x0 <= x <= x1]
    ys = [y for y in _axis({y0, y1} | {p[1] for p in starts + ends}
                           | {v for b in inside for v in (b.y, b.y + b.h)}) if y0 <= y <= y1]
    h_lines = [(min(a[0], b[0]), max(a[0], b[0]), a[1]) for a, b in lines if a[1] == b[1]]
    v_lines = [(min(a[1], b[1]), max(a[1], b[1]), a[0]) for a, b in lines if a[0] == b[0]]
    h_cost = [_edge_costs(xs, y, [(b.x, b.x + b.w) for b in inside if b.y < y < b.y + b.h],
                          v_lines, h_lines) for y in ys]
    v_cost = [_edge_costs(ys, x, [(b.y, b.y + b.h) for b in inside if b.x < x < b.x + b.w],
                          h_lines, v_lines) for x in xs]
    col = {x: i for i, x in enumerate(xs)}
    row = {y: j for j, y in enumerate(ys)}
    goal = {(col[round(x, 1)], row[round(y, 1)]) for x, y in ends
            if round(x, 1) in col and round(y, 1) in row}
    if not goal:
        return None

    gx0, gx1 = min(xs[a] for a, _ in goal), max(xs[a] for a, _ in goal)
    gy0, gy1 = min(ys[b] for _, b in goal), max(ys[b] for _, b in goal)

    def guess(i: int, j: int) -> float:  # A*: no path is shorter than this
        x, y = xs[i], ys[j]
        return max(gx0 - x, 0.0, x - gx1) + max(gy0 - y, 0.0, y - gy1)

    heap: list[tuple[float, float, int, int, int]] = []
    best: dict[tuple[int, int, int], float] = {}
    came: dict[tuple[int, int, int], tuple[int, int, int] | None] = {}
    for x, y in starts:
        i, j = col.get(round(x, 1)), row.get(round(y, 1))
        if i is not None and j is not None:
            for d in range(4):
                best[(i, j, d)] = 0.0
                came[(i, j, d)] = None
                heapq.heappush(heap, (guess(i, j), 0.0, i, j, d))
    while heap:
        _, cost, i, j, d = heapq.heappop(heap)
        if cost > best.get((i, j, d), float("inf")):
            continue
        if (i, j) in goal:
            path, state = [], (i, j, d)
            while state is not None:
                path.append((xs[state[0]], ys[state[1]]))
                state = came[state]
            return simplify(path[::-1])
        for nd, (ni, nj, step) in enumerate((
                (i + 1, j, h_cost[j][i] if i + 1 < len(xs) else None),
                (i - 1, j, h_cost[j][i - 1] if i > 0 else None),
                (i, j + 1, v_cost[i][j] if j + 1 < len(ys) else None),
                (i, j - 1, v_cost[i][j - 1] if j > 0 else None))):
            if step is None:
                continue
            total = cost + step + (BEND if nd != d and came[(i, j, d)] is not None else 0.0)
            if total < best.get((ni, nj, nd), float("inf")):
                best[(ni, nj, nd)] = total
                came[(ni, nj, nd)] = (i, j, d)
                heapq.heappush(heap, (total + guess(ni, nj), total, ni, nj, nd))
    return None


def simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and the middle of straight runs."""
    out: list[Point] = []
    for p in points:
        if out and p == out[-1]:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == p[0] or out[-2][1] == out[-1][1] == p[1]):
            out[-1] = p
        else:
            out.append(p)
    return out
