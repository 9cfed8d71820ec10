"""Line styles that read without colour: parallel, zigzag, hatched and broken lines.

Each style works on a polyline, so straight and routed (curved) lines share the code.
"""

from __future__ import annotations

import math

from toolkit.diagrams.svg import el, num

Point = tuple[float, float]


def path_d(points: list[Point]) -> str:
    return "M" + " L".join(f"{num(x)} {num(y)}" for x, y in points)


def length(points: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in zip(points, points[1:], strict=False))


def point_at(points: list[Point], distance: float) -> tuple[Point, Point]:
    """The point `distance` along the polyline and the unit direction there."""
    for a, b in zip(points, points[1:], strict=False):
        seg = math.dist(a, b)
        if seg and distance <= seg:
            t = distance / seg
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t), (
                (b[0] - a[0]) / seg, (b[1] - a[1]) / seg)
        distance -= seg
    a, b = points[-2], points[-1]
    seg = math.dist(a, b) or 1.0
    return b, ((b[0] - a[0]) / seg, (b[1] - a[1]) / seg)


def offset(points: list[Point], d: float) -> list[Point]:
    """The polyline shifted sideways by `d` (per-segment normals, averaged at joints)."""
    result = []
    for i, (x, y) in enumerate(points):
        a, b = points[max(i - 1, 0)], points[min(i + 1, len(points) - 1)]
        seg = math.dist(a, b) or 1.0
        nx, ny = -(b[1] - a[1]) / seg, (b[0] - a[0]) / seg
        result.append((x + nx * d, y + ny * d))
    return result


def zigzag(points: list[Point], amplitude: float, wavelength: float) -> list[Point]:
    total = length(points)
    steps = max(2, int(total / (wavelength / 2)))
    result = [points[0]]
    for i in range(1, steps):
        (x, y), (dx, dy) = point_at(points, total * i / steps)
        side = amplitude if i % 2 else -amplitude
        result.append((x - dy * side, y + dx * side))
    result.append(points[-1])
    return result


def sub(points: list[Point], start: float, end: float, samples: int = 12) -> list[Point]:
    return [point_at(points, start + (end - start) * i / samples)[0] for i in range(samples + 1)]


def styled_line(points: list[Point], style: str, *, class_: str, marker_end: str | None = None,
                marker_start: str | None = None) -> str:
    """One line (a <g>) in a named style; styles listed in STYLE_NAMES."""
    total = length(points)
    common = {"stroke_linecap": "round", "stroke_linejoin": "round"}
    parts: list[str] = []
    if style in ("solid", "thick", "thin"):
        width = {"solid": 2, "thick": 5, "thin": 1.5}[style]
        parts.append(el("path", d=path_d(points), stroke_width=width, **common))
    elif style == "dashed":
        parts.append(el("path", d=path_d(points), stroke_width=2, stroke_dasharray="8 6"))
    elif style == "dotted":
        parts.append(el("path", d=path_d(points), stroke_width=2.5, stroke_dasharray="0.1 6",
                        **common))
    elif style in ("double", "triple"):
        offsets = (-2.5, 2.5) if style == "double" else (-4.0, 0.0, 4.0)
        parts.extend(el("path", d=path_d(offset(points, d)), stroke_width=1.5) for d in offsets)
    elif style in ("zigzag", "zigzag-heavy"):
        parts.append(el("path", d=path_d(zigzag(points, 5 if style == "zigzag" else 6, 10)),
                        stroke_width=1.5 if style == "zigzag" else 3.5, **common))
    elif style == "hatched":
        parts.append(el("path", d=path_d(points), stroke_width=2))
        count = max(1, int(total / 12))
        for i in range(1, count):
            (x, y), (dx, dy) = point_at(points, total * i / count)
            parts.append(el("path", d=path_d([(x - dy * 7 - dx * 3, y + dx * 7 - dy * 3),
                                              (x + dy * 7 + dx * 3, y - dx * 7 + dy * 3)]),
                            stroke_width=2))
    elif style == "broken":
        gap = min(14.0, total / 3)
        half = (total - gap) / 2
        parts.append(el("path", d=path_d(sub(points, 0, half)), stroke_width=2))
        parts.append(el("path", d=path_d(sub(points, half + gap, total)), stroke_width=2))
        for at in (half, half + gap):
            (x, y), (dx, dy) = point_at(points, at)
            parts.append(el("path", d=path_d([(x - dy * 7, y + dx * 7), (x + dy * 7, y - dx * 7)]),
                            stroke_width=2))
    else:
        raise ValueError(f"unknown line style {style!r}")
    if marker_end or marker_start:  # an invisible carrier keeps markers off the zigzag ends
        parts.append(el("path", d=path_d(points), stroke_width=2, stroke_opacity=0,
                        marker_end=marker_end, marker_start=marker_start))
    return el("g", "".join(parts), class_=class_)


def arrow_marker(marker_id: str) -> str:
    """A filled arrowhead of fixed size whatever the line's width; flips at a line's start."""
    return el("marker", el("polygon", points="0 0, 10 5, 0 10", fill="currentColor",
                            stroke="none"),
              id=marker_id, viewBox="0 0 10 10", refX=10, refY=5, markerWidth=12,
              markerHeight=12, markerUnits="userSpaceOnUse", orient="auto-start-reverse")
