"""Draw an eco-map (Hartman): the person or household in the centre, systems on a ring.

The ring grows with the number of systems so neighbouring circles never touch, and each
label is wrapped to fit inside its own circle, so labels cannot collide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from toolkit.diagrams import strokes
from toolkit.diagrams.model import EcoMap
from toolkit.diagrams.svg import Box, el, esc, svg_root, text_block, text_width, wrap

CENTRE_R = 66.0
SYSTEM_R = 52.0
RING_GAP = 26.0  # between neighbouring system circles
MIN_LINE = 80.0  # shortest line between centre and a system
MARGIN = 24.0
LABEL_SIZE = 12.0  # every text at least 12 px at the natural size
STYLE = {"strong": "thick", "moderate": "solid", "tenuous": "dashed", "stressful": "hatched"}
STRENGTH_TEXT = {"strong": "Strong (thick line)", "moderate": "Moderate (line)",
                 "tenuous": "Tenuous (dashed)", "stressful": "Stressful (hatched)"}
FLOW_TEXT = {"to": "Energy flows out from the centre", "from": "Energy flows in to the centre",
             "both": "Energy flows both ways"}


@dataclass
class EcoLayout:
    """Circles as (owner, cx, cy, r); `boxes` hold the labels and the legend."""

    circles: list[tuple[str, float, float, float]] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    labels: dict[str, list[str]] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0


def _label_box(owner: str, lines: list[str], cx: float, cy: float, size: float) -> Box:
    width = max(text_width(line, size) for line in lines)
    height = size * 1.3 * len(lines)
    return Box("label", owner, cx - width / 2, cy - height / 2, width, height)


def legend_items(e: EcoMap) -> list[tuple[str, str]]:
    strengths = {s.strength for s in e.systems}
    flows = {s.flow for s in e.systems}
    return ([(f"strength-{k}", t) for k, t in STRENGTH_TEXT.items() if k in strengths]
            + [(f"flow-{k}", t) for k, t in FLOW_TEXT.items() if k in flows])


def layout_ecomap(e: EcoMap) -> EcoLayout:
    n = len(e.systems)
    ring = CENTRE_R + SYSTEM_R + MIN_LINE
    if n > 1:
        ring = max(ring, (2 * SYSTEM_R + RING_GAP) / (2 * math.sin(math.pi / n)))
    extent = ring + SYSTEM_R + MARGIN
    layout = EcoLayout()
    cx = cy = extent
    layout.labels["centre"] = wrap(e.centre, 14, 3)
    layout.circles.append(("centre", cx, cy, CENTRE_R))
    layout.boxes.append(_label_box("centre", layout.labels["centre"], cx, cy, 12))
    for i, system in enumerate(e.systems):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        x, y = cx + ring * math.cos(angle), cy + ring * math.sin(angle)
        owner = f"system{i}"
        layout.labels[owner] = wrap(system.label, 12, 3)
        layout.circles.append((owner, x, y, SYSTEM_R))
        layout.boxes.append(_label_box(owner, layout.labels[owner], x, y, LABEL_SIZE))
    width = 2 * extent
    top = 2 * extent
    items = legend_items(e)
    column = max([200.0] + [70 + text_width(t, LABEL_SIZE) for _, t in items])
    columns = max(1, min(len(items), int((width - 2 * MARGIN) // column)))
    layout.boxes.append(Box("legend", "legend-title", MARGIN, top, text_width("Key", 14), 16))
    for i, (key, text) in enumerate(items):
        layout.boxes.append(Box("legend", key, MARGIN + (i % columns) * column,
                                top + 24 + (i // columns) * 30, 64 + text_width(text, LABEL_SIZE), 22))
    layout.width = max(width, max(b.x + b.w for b in layout.boxes) + MARGIN)
    layout.height = max(b.y + b.h for b in layout.boxes) + MARGIN
    return layout


def render_ecomap(e: EcoMap, title: str, *, id_prefix: str) -> str:
    layout = layout_ecomap(e)
    marker = f"{id_prefix}-arrow"
    parts = [el("defs", strokes.arrow_marker(marker))]
    _, cx, cy, cr = layout.circles[0]
    for system, (_, x, y, r) in zip(e.systems, layout.circles[1:], strict=True):
        dist = math.dist((cx, cy), (x, y))
        ux, uy = (x - cx) / dist, (y - cy) / dist
        start, end = (cx + ux * (cr + 2), cy + uy * (cr + 2)), (x - ux * (r + 2), y - uy * (r + 2))
        url = f"url(#{marker})"
        parts.append(strokes.styled_line(
            [start, end], STYLE[system.strength], class_=f"tk-eco-line tk-eco-{system.strength}",
            marker_end=url if system.flow in ("to", "both") else None,
            marker_start=url if system.flow in ("from", "both") else None))
    for owner, x, y, r in layout.circles:
        lines = layout.labels[owner]
        size = 12 if owner == "centre" else LABEL_SIZE
        first = y - size * 1.3 * (len(lines) - 1) / 2 + size * 0.35
        parts.append(el("g", el("circle", cx=x, cy=y, r=r, stroke_width=2.5 if owner == "centre"
                                else 1.5) + text_block(lines, x, first, "middle", size),
                        class_="tk-eco-centre" if owner == "centre" else "tk-eco-system"))
    legend = [b for b in layout.boxes if b.kind == "legend"]
    parts.append(text_block(["Key"], legend[0].x, legend[0].y + 12, "start", 14, "tk-key"))
    texts = dict(legend_items(e))
    for box in legend[1:]:
        y = box.y + box.h / 2
        line = [(box.x, y), (box.x + 56, y)]
        if box.owner.startswith("strength-"):
            sample = strokes.styled_line(line, STYLE[box.owner[9:]], class_="tk-eco-sample")
        else:
            flow = box.owner[5:]
            sample = strokes.styled_line(line, "solid", class_="tk-eco-sample",
                                         marker_end=f"url(#{marker})" if flow != "from" else None,
                                         marker_start=f"url(#{marker})" if flow != "to" else None)
        parts.append(el("g", sample + text_block([texts[box.owner]], box.x + 64, y + 4, "start",
                                                 LABEL_SIZE), class_="tk-legend-item"))
    desc = (f"Eco-map of {e.centre} and {len(e.systems)} systems around them. The list that "
            "follows the diagram gives each system, the strength of the connection and the "
            "direction of flow.")
    return svg_root(layout.width, layout.height, title, desc, "".join(parts), id_prefix=id_prefix,
                    class_="tk-ecomap")


def describe_ecomap(e: EcoMap) -> list[str]:
    """One line per system; the centre is named once, before the list, never on each line."""
    lines = []
    for s in e.systems:
        text = f"{s.label}: {s.strength} connection"
        if s.flow == "to":
            text += "; energy and resources flow out from the centre"
        elif s.flow == "from":
            text += "; energy and resources flow in to the centre"
        elif s.flow == "both":
            text += "; energy and resources flow both ways"
        lines.append(text + (f". {s.note}" if s.note else ""))
    return lines


def ecomap_text(e: EcoMap) -> str:
    intro = el("p", esc(f"In the centre: {e.centre}." + (f" {e.centre_note}" if e.centre_note
                                                         else "")))
    items = "".join(el("li", esc(line)) for line in describe_ecomap(e))
    return intro + el("ul", items, class_="tk-diagram-list")
