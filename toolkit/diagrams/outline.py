"""The outline of a union of rectangles, drawn with rounded corners (household outlines).

The rectangles are snapped to shared edges first, so near-equal edges do not leave tiny
steps; the boundary is then traced on the grid their edges make.
"""

from __future__ import annotations

from toolkit.diagrams.svg import num

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
SNAP = 6.0


def _snap(values: list[float]) -> dict[float, float]:
    """Each value mapped to the first of a run of values less than SNAP apart."""
    mapping: dict[float, float] = {}
    start = None
    for v in sorted(set(values)):
        if start is None or v - start >= SNAP:
            start = v
        mapping[v] = start
    return mapping


def union_outline(rects: list[Rect]) -> list[list[Point]]:
    """Closed loops (clockwise on screen) bounding the union of the rectangles."""
    sx = _snap([v for r in rects for v in (r[0], r[2])])
    sy = _snap([v for r in rects for v in (r[1], r[3])])
    rects = [(sx[a], sy[b], sx[c], sy[d]) for a, b, c, d in rects]
    xs = sorted({v for r in rects for v in (r[0], r[2])})
    ys = sorted({v for r in rects for v in (r[1], r[3])})

    def covered(i: int, j: int) -> bool:
        if not (0 <= i < len(xs) - 1 and 0 <= j < len(ys) - 1):
            return False
        cx, cy = (xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2
        return any(a < cx < c and b < cy < d for a, b, c, d in rects)

    edges: dict[Point, list[Point]] = {}
    for i in range(len(xs) - 1):
        for j in range(len(ys) - 1):
            if not covered(i, j):
                continue
            x0, x1, y0, y1 = xs[i], xs[i + 1], ys[j], ys[j + 1]
            for (a, b), outside in ((((x0, y0), (x1, y0)), covered(i, j - 1)),
                                    (((x1, y0), (x1, y1)), covered(i + 1, j)),
                                    (((x1, y1), (x0, y1)), covered(i, j + 1)),
                                    (((x0, y1), (x0, y0)), covered(i - 1, j))):
                if not outside:
                    edges.setdefault(a, []).append(b)
    loops = []
    while edges:
        start = min(edges)
        loop, point, heading = [start], start, None
        while True:
            options = edges[point]
            nxt = options.pop(_turn_right(heading, point, options)) if len(options) > 1 else options.pop()
            if not options:
                del edges[point]
            heading = (nxt[0] - point[0], nxt[1] - point[1])
            point = nxt
            if point == start:
                break
            loop.append(point)
        loops.append(_straighten(loop))
    return loops


def is_simple(loops: list[list[Point]]) -> bool:
    """One rounded rectangle, or two stacked with one step (a single loop of at most
    eight corners): what a household outline should be."""
    return len(loops) == 1 and len(loops[0]) <= 8


def _turn_right(heading: tuple[float, float] | None, at: Point, options: list[Point]) -> int:
    """At a pinch point keep to the tightest turn, so touching loops stay separate."""
    if heading is None:
        return 0

    def turn(p: Point) -> float:
        dx, dy = p[0] - at[0], p[1] - at[1]
        return heading[0] * dy - heading[1] * dx  # > 0: a right turn on screen

    return max(range(len(options)), key=lambda k: turn(options[k]))


def _straighten(loop: list[Point]) -> list[Point]:
    out = []
    n = len(loop)
    for k in range(n):
        (px, py), (x, y), (nx, ny) = loop[k - 1], loop[k], loop[(k + 1) % n]
        if not ((px == x == nx) or (py == y == ny)):
            out.append((x, y))
    return out


def rounded_path(loops: list[list[Point]], radius: float) -> str:
    """Path data for the loops with each corner rounded (never past half an edge)."""
    d = ""
    for points in loops:
        n = len(points)
        for i in range(n):
            (px, py), (x, y), (nx, ny) = points[i - 1], points[i], points[(i + 1) % n]
            r1 = min(radius, (abs(x - px) + abs(y - py)) / 2)
            r2 = min(radius, (abs(nx - x) + abs(ny - y)) / 2)
            ax = x - (r1 if px < x else -r1 if px > x else 0)
            ay = y - (r1 if py < y else -r1 if py > y else 0)
            bx = x + (r2 if nx > x else -r2 if nx < x else 0)
            by = y + (r2 if ny > y else -r2 if ny < y else 0)
            d += f"{'M' if i == 0 else 'L'}{num(ax)} {num(ay)} Q{num(x)} {num(y)} {num(bx)} {num(by)} "
        d += "Z "
    return d.strip()
