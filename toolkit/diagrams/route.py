"""Orthogonal routing round obstacles, and the plane geometry the layout tests also use.

Lines are routed on a sparse grid built from the obstacles' edges (a classic orthogonal
connector router): Dijkstra over (grid point, direction) with costs for length, bends,
crossing another line and, much more, running along one, so routed lines stay readable.
"""

from __future__ import annotations

import heapq

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


def _blocked(lo: float, hi: float, spans: list[tuple[float, float]]) -> bool:
    return any(a < hi - 1e-6 and lo + 1e-6 < b for a, b in spans)


def route(starts: list[Point], ends: list[Point], obstacles: list[Box], lines: list[Segment],
          bounds: tuple[float, float, float, float]) -> list[Point] | None:
    """The cheapest axis-parallel path from any start to any end that keeps out of the
    obstacles (already inflated by the clearance wanted); None when there is none."""
    x0, y0, x1, y1 = bounds
    xs = _axis({x0, x1} | {p[0] for p in starts + ends}
               | {v for b in obstacles for v in (b.x, b.x + b.w)}
               | {a[0] + d for a, b in lines if a[0] == b[0] for d in (-12, 12)})
    ys = _axis({y0, y1} | {p[1] for p in starts + ends}
               | {v for b in obstacles for v in (b.y, b.y + b.h)}
               | {a[1] + d for a, b in lines if a[1] == b[1] for d in (-12, 12)})
    xs = [x for x in xs if x0 <= x <= x1]
    ys = [y for y in ys if y0 <= y <= y1]
    col = {x: i for i, x in enumerate(xs)}
    row = {y: j for j, y in enumerate(ys)}
    h_spans = [[(b.x, b.x + b.w) for b in obstacles if b.y < y < b.y + b.h] for y in ys]
    v_spans = [[(b.y, b.y + b.h) for b in obstacles if b.x < x < b.x + b.w] for x in xs]
    h_lines = [(min(a[0], b[0]), max(a[0], b[0]), a[1]) for a, b in lines if a[1] == b[1]]
    v_lines = [(min(a[1], b[1]), max(a[1], b[1]), a[0]) for a, b in lines if a[0] == b[0]]

    def step_cost(i: int, j: int, ni: int, nj: int) -> float | None:
        if nj == j:  # horizontal
            lo, hi, y = min(xs[i], xs[ni]), max(xs[i], xs[ni]), ys[j]
            if _blocked(lo, hi, h_spans[j]):
                return None
            cost = hi - lo
            cost += CROSS * sum(a < y < b and lo < x < hi for a, b, x in v_lines)
            cost += ALONG * sum(abs(ly - y) < 7 and a < hi and lo < b for a, b, ly in h_lines)
        else:
            lo, hi, x = min(ys[j], ys[nj]), max(ys[j], ys[nj]), xs[i]
            if _blocked(lo, hi, v_spans[i]):
                return None
            cost = hi - lo
            cost += CROSS * sum(a < x < b and lo < y < hi for a, b, y in h_lines)
            cost += ALONG * sum(abs(lx - x) < 7 and a < hi and lo < b for a, b, lx in v_lines)
        return cost

    goal = {(col[round(x, 1)], row[round(y, 1)]) for x, y in ends
            if round(x, 1) in col and round(y, 1) in row}
    heap: list[tuple[float, int, int, int]] = []
    best: dict[tuple[int, int, int], float] = {}
    came: dict[tuple[int, int, int], tuple[int, int, int] | None] = {}
    for x, y in starts:
        i, j = col.get(round(x, 1)), row.get(round(y, 1))
        if i is not None and j is not None:
            for d in range(4):
                best[(i, j, d)] = 0.0
                came[(i, j, d)] = None
                heapq.heappush(heap, (0.0, i, j, d))
    moves = ((1, 0), (-1, 0), (0, 1), (0, -1))
    while heap:
        cost, i, j, d = heapq.heappop(heap)
        if cost > best.get((i, j, d), float("inf")):
            continue
        if (i, j) in goal:
            path, state = [], (i, j, d)
            while state is not None:
                path.append((xs[state[0]], ys[state[1]]))
                state = came[state]
            return simplify(path[::-1])
        for nd, (di, dj) in enumerate(moves):
            ni, nj = i + di, j + dj
            if not (0 <= ni < len(xs) and 0 <= nj < len(ys)):
                continue
            step = step_cost(i, j, ni, nj)
            if step is None:
                continue
            total = cost + step + (BEND if nd != d and came[(i, j, d)] is not None else 0.0)
            if total < best.get((ni, nj, nd), float("inf")):
                best[(ni, nj, nd)] = total
                came[(ni, nj, nd)] = (i, j, d)
                heapq.heappush(heap, (total, ni, nj, nd))
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
