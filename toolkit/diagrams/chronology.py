"""A chronology as a filterable table, and the same events as a timeline on a year axis.

The table is complete without JavaScript; builder/static/diagrams.js reveals the
(hidden) filter controls and hides rows. The timeline staggers labels into rows so
none overlap, and stays black on white for print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.diagrams.model import Chronology, Entry
from toolkit.diagrams.svg import Box, el, esc, svg_root, text_block, text_width

SIGNIFICANCE_TEXT = {"high": "High", "medium": "Medium", "low": "Low", "": "Not rated"}
COLUMNS = ("Date", "Source", "Event", "Impact", "Action", "Significance")
MARGIN = 24.0
AXIS_Y = 44.0
ROW_TOP = 30.0  # from the axis to the first row of labels
ROW_HEIGHT = 42.0
EVENT_CHARS = 34


def _option(value: str, text: str) -> str:
    return el("option", esc(text), value=value)


def chronology_table(c: Chronology, caption: str | None, *, id_prefix: str) -> str:
    """The table in date order, with filter controls that start hidden."""
    sources = sorted({e.source for e in c.entries if e.source}, key=str.lower)
    levels = [k for k in ("high", "medium", "low", "") if any(e.significance == k
                                                             for e in c.entries)]
    sig_id, src_id = f"{id_prefix}-significance", f"{id_prefix}-source"
    filters = el("div", "".join([
        el("label", "Significance", for_=sig_id),
        el("select", _option("", "All") + "".join(_option(k or "none", SIGNIFICANCE_TEXT[k])
                                                 for k in levels),
           id=sig_id, data_filter="significance"),
        el("label", "Source", for_=src_id),
        el("select", _option("", "All") + "".join(_option(s, s) for s in sources),
           id=src_id, data_filter="source"),
        el("p", "", class_="tk-chron-count", aria_live="polite"),
    ]), class_="tk-chron-filters", hidden="hidden")
    head = el("tr", "".join(el("th", name, scope="col") for name in COLUMNS))
    rows = []
    for entry in c.entries:
        sig = entry.significance
        cells = [
            el("td", el("time", esc(entry.date.text), datetime=entry.date.iso)),
            el("td", esc(entry.source)),
            el("td", esc(entry.event)),
            el("td", esc(entry.impact)),
            el("td", esc(entry.action)),
            el("td", el("span", SIGNIFICANCE_TEXT[sig], class_=f"tk-sig tk-sig-{sig or 'none'}")),
        ]
        rows.append(el("tr", "".join(cells), data_significance=sig or "none",
                       data_source=entry.source))
    title = caption or f"Chronology for {c.subject}"
    table = el("table", el("caption", esc(title)) + el("thead", head) +
               el("tbody", "".join(rows)), class_="tk-chron-table")
    # A focusable, named region: keyboard users can scroll the wide table at 320 px.
    scroll = el("div", table, class_="tk-table-scroll", tabindex="0", role="region",
                aria_label=f"{title} (scrolls sideways)")
    return el("div", filters + scroll,
              class_="tk-diagram tk-chronology", data_tk_chronology="")


@dataclass
class TimelineLayout:
    x: list[float] = field(default_factory=list)  # event positions on the axis
    row: list[int] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)  # label boxes
    ticks: list[tuple[int, float]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


def _label_lines(entry: Entry) -> list[str]:
    first = entry.date.text + (f" · {SIGNIFICANCE_TEXT[entry.significance]}"
                               if entry.significance else "")
    event = entry.event if len(entry.event) <= EVENT_CHARS else \
        entry.event[: EVENT_CHARS - 1].rstrip() + "…"
    return [first, event]


def layout_timeline(c: Chronology) -> TimelineLayout:
    """Events by date; labels placed from the latest back, each in the row nearest the axis
    where it fits, so a connector never crosses an earlier row's label."""
    start = min(e.date.year for e in c.entries)
    end = max(e.date.year for e in c.entries) + 1
    span = end - start
    per_year = min(300.0, max(80.0, 900.0 / span))
    step = 1 if span <= 15 else 5 if span <= 60 else 10
    left = MARGIN + 10
    layout = TimelineLayout()
    layout.ticks = [(year, left + (year - start) * per_year) for year in range(start, end + 1)
                    if (year - start) % step == 0 or year == end]
    layout.x = [left + (e.date.position - start) * per_year for e in c.entries]
    layout.row = [0] * len(c.entries)
    ends: list[float] = []  # per row: left edge of the leftmost label so far
    boxes: list[Box | None] = [None] * len(c.entries)
    for i in range(len(c.entries) - 1, -1, -1):
        lines = _label_lines(c.entries[i])
        width = max(text_width(line, 11) for line in lines) + 4
        x0 = layout.x[i] + 5
        row = next((r for r, edge in enumerate(ends) if x0 + width + 10 < edge), len(ends))
        if row == len(ends):
            ends.append(x0)
        ends[row] = x0
        layout.row[i] = row
        top = AXIS_Y + ROW_TOP + row * ROW_HEIGHT
        boxes[i] = Box("label", f"event{i}", x0, top, width, 30)
    layout.boxes = [b for b in boxes if b is not None]
    layout.width = max([t[1] for t in layout.ticks] + [b.x + b.w for b in layout.boxes]) + MARGIN
    layout.height = AXIS_Y + ROW_TOP + len(ends) * ROW_HEIGHT + MARGIN
    return layout


def _marker(significance: str, x: float, y: float) -> str:
    if significance == "high":
        return el("rect", x=x - 6, y=y - 6, width=12, height=12, fill="currentColor")
    if significance == "medium":
        return el("circle", cx=x, cy=y, r=5.5, fill="currentColor")
    if significance == "low":
        return el("circle", cx=x, cy=y, r=5, stroke_width=2, fill="none")
    return el("rect", x=x - 4, y=y - 4, width=8, height=8, stroke_width=2, fill="none")


def render_timeline(c: Chronology, title: str, *, id_prefix: str) -> str:
    layout = layout_timeline(c)
    axis_end = layout.ticks[-1][1]
    parts = [el("path", d=f"M{MARGIN} {AXIS_Y} L{axis_end} {AXIS_Y}", stroke_width=2,
                class_="tk-axis")]
    for year, x in layout.ticks:
        parts.append(el("path", d=f"M{x:.1f} {AXIS_Y - 6} L{x:.1f} {AXIS_Y + 6}", stroke_width=1.5))
        parts.append(text_block([str(year)], x, AXIS_Y - 12, "middle", 12, "tk-tick"))
    for entry, x, box in zip(c.entries, layout.x, layout.boxes, strict=True):
        lines = _label_lines(entry)
        parts.append(el("g", "".join([
            el("path", d=f"M{x:.1f} {AXIS_Y} L{x:.1f} {box.y + box.h:.1f}", stroke_width=1,
               stroke_dasharray="2 2"),
            _marker(entry.significance, x, AXIS_Y),
            text_block(lines[:1], box.x + 2, box.y + 11, "start", 11, "tk-event-date"),
            text_block(lines[1:], box.x + 2, box.y + 25, "start", 11),
        ]), class_=f"tk-event tk-sig-{entry.significance or 'none'}"))
    desc = (f"Timeline of {len(c.entries)} events for {c.subject}, from "
            f"{c.entries[0].date.text} to {c.entries[-1].date.text}. The list that follows "
            "gives every event in date order.")
    return svg_root(layout.width, layout.height, title, desc, "".join(parts), id_prefix=id_prefix,
                    class_="tk-timeline")


def describe_chronology(c: Chronology) -> list[str]:
    lines = []
    for e in c.entries:
        text = f"{e.date.text} — {e.source + ': ' if e.source else ''}{e.event}"
        if e.significance:
            text += f" (significance: {SIGNIFICANCE_TEXT[e.significance].lower()})"
        lines.append(text)
    return lines


def timeline_text(c: Chronology) -> str:
    return el("ol", "".join(el("li", esc(line)) for line in describe_chronology(c)),
              class_="tk-diagram-list")
