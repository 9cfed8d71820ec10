"""Small SVG/HTML helpers shared by the renderers: escaping, elements, text size, boxes.

Text width is estimated from character counts (no font files, no system packages), with
a generous average so the real glyphs fit inside the boxes the layout tests check.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

FONT_SIZE = 12
CHAR_WIDTH = 0.62  # of the font size: a wide average for sans-serif text
LINE_HEIGHT = 1.3


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def num(value: float) -> str:
    """Coordinates rounded to 0.1 so output is stable and short."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def attrs(values: dict[str, object]) -> str:
    parts = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        shown = num(value) if isinstance(value, float) else value
        parts.append(f' {name}="{esc(shown)}"')
    return "".join(parts)


def el(tag: str, content: str | None = None, **values: object) -> str:
    """One element; `class_` and `stroke_width` style names map to `class`/`stroke-width`."""
    if content is None:
        return f"<{tag}{attrs(values)}/>"
    return f"<{tag}{attrs(values)}>{content}</{tag}>"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


def wrap(text: str, max_chars: int, max_lines: int = 2, *, whole: bool = False) -> list[str]:
    """Greedy word wrap; the last line is shortened with an ellipsis if text is left over,
    unless `whole`: then every word is kept, a long one on a line of its own."""
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= max_chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if whole:
        return lines or [""]
    lines = [line if len(line) <= max_chars else line[: max_chars - 1] + "…" for line in lines]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max_chars - 1].rstrip() + "…"
    return lines or [""]


def text_block(lines: list[str], x: float, y: float, anchor: str = "middle",
               size: float = FONT_SIZE, class_: str | None = None) -> str:
    """Lines of text whose first baseline is `y`."""
    spans = "".join(
        el("tspan", esc(line), x=float(x), dy="0" if i == 0 else f"{LINE_HEIGHT}em")
        for i, line in enumerate(lines))
    return el("text", spans, x=float(x), y=float(y), text_anchor=anchor, font_size=size,
              fill="currentColor", stroke="none", class_=class_)


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle the layout has claimed, for overlap tests."""

    kind: str  # "symbol" | "label" | "legend"
    owner: str
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return (self.x < other.x + other.w + gap and other.x < self.x + self.w + gap
                and self.y < other.y + other.h + gap and other.y < self.y + self.h + gap)


def overlapping(boxes: list[Box]) -> list[tuple[Box, Box]]:
    """Every pair of boxes that overlap (quadratic; diagrams are small)."""
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]


def svg_root(width: float, height: float, title: str, desc: str, body: str, *,
             id_prefix: str, class_: str, min_x: float = 0, min_y: float = 0) -> str:
    """The accessible outer <svg>: role img, labelled by its own <title> and <desc>."""
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return el(
        "svg",
        el("title", esc(title), id=title_id) + el("desc", esc(desc), id=desc_id) + body,
        xmlns="http://www.w3.org/2000/svg", role="img",
        aria_labelledby=f"{title_id} {desc_id}", class_=f"tk-diagram-svg {class_}",
        viewBox=f"{num(min_x)} {num(min_y)} {num(width)} {num(height)}",
        width=num(width), preserveAspectRatio="xMidYMin meet",
        font_family="system-ui, -apple-system, 'Segoe UI', Arial, sans-serif",
        fill="none", stroke="currentColor",
    )
