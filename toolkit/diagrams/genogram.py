"""Draw a genogram (McGoldrick and Gerson conventions) as accessible SVG plus a text list.

Layout lives in genogram_layout; this module turns positions into shapes, lines and a
legend of only the symbols used, and writes the text equivalent screen readers get.
"""

from __future__ import annotations

from toolkit.diagrams import strokes
from toolkit.diagrams.genogram_layout import (
    LABEL_TOP,
    MARGIN,
    SYMBOL,
    YEAR_SIZE,
    Layout,
    UnionGeometry,
    place_people,
    since_text,
    symbol_half,
)
from toolkit.diagrams.genogram_lines import household_outline, route_relationships
from toolkit.diagrams.model import Genogram, Person
from toolkit.diagrams.outline import rounded_path
from toolkit.diagrams.svg import FONT_SIZE, Box, el, esc, num, svg_root, text_block, text_width

UNION_STYLE = {"married": "", "cohabiting": "8 5", "engaged": "2 4", "separated": "",
               "divorced": ""}
RELATIONSHIP_STYLE = {"close": "double", "very-close": "triple", "distant": "dotted",
                      "conflict": "zigzag", "hostile": "zigzag-heavy", "cut-off": "broken",
                      "abuse": "zigzag"}
RELATIONSHIP_TEXT = {"close": "Close", "very-close": "Very close", "distant": "Distant",
                     "conflict": "Conflict", "hostile": "Hostile", "cut-off": "Cut off",
                     "abuse": "Abuse (arrow points to the person harmed)"}
UNION_TEXT = {"married": "Married", "cohabiting": "Living together", "engaged": "Engaged",
              "separated": "Separated (one slash)", "divorced": "Divorced (two slashes)"}
LEGEND_COLUMN = 230.0
LEGEND_ROW = 32.0


def shape(person: Person, cx: float, cy: float, grow: float = 0.0) -> str:
    """The symbol outline: square male, circle female, diamond unknown, triangle pregnancy."""
    h = SYMBOL / 2 + grow
    if person.miscarriage:
        return el("circle", cx=cx, cy=cy, r=8 + grow, fill="currentColor" if not grow else None,
                  stroke_width=2)
    if person.pregnancy:
        return el("polygon", points=f"{num(cx)},{num(cy - h)} {num(cx + h)},{num(cy + h)} "
                  f"{num(cx - h)},{num(cy + h)}", stroke_width=2)
    if person.sex == "male":
        return el("rect", x=cx - h, y=cy - h, width=2 * h, height=2 * h, stroke_width=2)
    if person.sex == "female":
        return el("circle", cx=cx, cy=cy, r=h, stroke_width=2)
    return el("polygon", points=f"{num(cx)},{num(cy - h)} {num(cx + h)},{num(cy)} "
              f"{num(cx)},{num(cy + h)} {num(cx - h)},{num(cy)}", stroke_width=2)


def draw_person(person: Person, cx: float, cy: float, *, index: bool, years: bool = True,
                class_: str = "tk-person") -> str:
    parts = [shape(person, cx, cy)]
    if index:
        parts.append(shape(person, cx, cy, grow=5.0))
    if person.is_deceased and not person.miscarriage:
        h = SYMBOL / 2 - 2
        parts.append(el("path", d=f"M{num(cx - h)} {num(cy - h)} L{num(cx + h)} {num(cy + h)} "
                        f"M{num(cx + h)} {num(cy - h)} L{num(cx - h)} {num(cy + h)}",
                        stroke_width=2))
    if years:
        base = cy - SYMBOL / 2 - 6 - (5 if index else 0) - 1
        if person.born:
            parts.append(text_block([str(person.born.year)], cx - 4, base, "end", YEAR_SIZE))
        if person.died:
            parts.append(text_block([str(person.died.year)], cx + 4, base, "start", YEAR_SIZE))
    return el("g", "".join(parts), class_=class_)


def _union_line(g: Genogram, layout: Layout, geo: UnionGeometry) -> str:
    union = g.unions[geo.index]
    people = {p.id: p for p in g.people}
    ha = symbol_half(people[geo.left], geo.left == g.index)
    hb = symbol_half(people[geo.right], geo.right == g.index)
    dash = UNION_STYLE[union.status] or None
    y = geo.line_y
    if geo.adjacent:
        d = f"M{num(geo.x1 + ha)} {num(y)} L{num(geo.x2 - hb)} {num(y)}"
    else:  # partners not side by side: route below their names
        ya, yb = layout.y[geo.left], layout.y[geo.right]
        d = (f"M{num(geo.x1)} {num(ya + ha)} L{num(geo.x1)} {num(y)} L{num(geo.x2)} {num(y)} "
             f"L{num(geo.x2)} {num(yb + hb)}")
    parts = [el("path", d=d, stroke_width=2, stroke_dasharray=dash)]
    slashes = {"separated": 1, "divorced": 2}.get(union.status, 0)
    for k in range(slashes):
        sx = geo.mid - 12 - 6 * k
        parts.append(el("path", d=f"M{num(sx - 4)} {num(y + 8)} L{num(sx + 4)} {num(y - 5)}",
                        stroke_width=2))
    if geo.label_box is not None:
        parts.append(text_block([since_text(union.status, union.since)], geo.mid,
                                geo.label_box.y + YEAR_SIZE - 1, "middle", YEAR_SIZE))
    for (x1, y1), (x2, y2) in geo.descent:
        kid = next((k for k in union.children if layout.x[k] == x1 == x2 and y1 == geo.bar_y), None)
        child = people.get(kid or "")
        dash = "7 5" if child and child.adopted else "7 3 2 3" if child and child.fostered else None
        parts.append(el("path", d=f"M{num(x1)} {num(y1)} L{num(x2)} {num(y2)}", stroke_width=2,
                        stroke_dasharray=dash))
    return el("g", "".join(parts), class_=f"tk-union tk-union-{union.status}")


def legend_items(g: Genogram) -> list[tuple[str, str]]:
    """(key, text) for each symbol the diagram uses, in a fixed order."""
    items: list[tuple[str, str]] = []
    plain = [p for p in g.people if not (p.pregnancy or p.miscarriage)]
    for sex, text in (("male", "Male"), ("female", "Female"), ("unknown", "Sex not known")):
        if any(p.sex == sex for p in plain):
            items.append((f"sex-{sex}", text))
    for key, text, used in (
        ("index", "The person the genogram is about", g.index is not None),
        ("deceased", "Died (X); born year left, died year right",
         any(p.is_deceased for p in plain)),
        ("pregnancy", "Pregnancy", any(p.pregnancy for p in g.people)),
        ("miscarriage", "Miscarriage", any(p.miscarriage for p in g.people)),
    ):
        if used:
            items.append((key, text))
    statuses = {u.status for u in g.unions}
    items += [(f"union-{s}", UNION_TEXT[s]) for s in UNION_TEXT if s in statuses]
    kids = {k for u in g.unions for k in u.children}
    people = {p.id: p for p in g.people}
    if any(not people[k].adopted and not people[k].fostered for k in kids):
        items.append(("child", "Child (line from parents)"))
    if any(people[k].adopted for k in kids):
        items.append(("adopted", "Adopted child (dashed)"))
    if any(people[k].fostered for k in kids):
        items.append(("fostered", "Fostered child (dash-dot)"))
    kinds = {r.type for r in g.relationships}
    items += [(f"rel-{t}", RELATIONSHIP_TEXT[t]) for t in RELATIONSHIP_TEXT if t in kinds]
    if g.households:
        items.append(("household", "Household (people living together)"))
    return items


def _legend_sample(key: str, x: float, y: float, marker: str) -> str:
    if key.startswith("sex-") or key in ("index", "deceased", "pregnancy", "miscarriage"):
        person = Person("", "", sex=key[4:] if key.startswith("sex-") else "unknown",
                        deceased=key == "deceased", pregnancy=key == "pregnancy",
                        miscarriage=key == "miscarriage")
        return el("g", draw_person(person, x + 22, y, index=key == "index", years=False,
                                   class_="tk-legend-symbol"),
                  transform=f"translate({num(x + 22)} {num(y)}) scale(0.5) "
                  f"translate({num(-x - 22)} {num(-y)})")
    line = [(x, y), (x + 44, y)]
    if key.startswith("union-"):
        status = key[6:]
        parts = [el("path", d=strokes.path_d(line), stroke_width=2,
                    stroke_dasharray=UNION_STYLE[status] or None)]
        for k in range({"separated": 1, "divorced": 2}.get(status, 0)):
            sx = x + 22 - 6 * k
            parts.append(el("path", d=f"M{num(sx - 4)} {num(y + 8)} L{num(sx + 4)} {num(y - 5)}",
                            stroke_width=2))
        return "".join(parts)
    if key in ("child", "adopted", "fostered"):
        dash = {"adopted": "7 5", "fostered": "7 3 2 3"}.get(key)
        return el("path", d=f"M{num(x + 22)} {num(y - 11)} L{num(x + 22)} {num(y + 11)}",
                  stroke_width=2, stroke_dasharray=dash)
    if key.startswith("rel-"):
        kind = key[4:]
        return strokes.styled_line(line, RELATIONSHIP_STYLE[kind], class_=f"tk-rel-{kind}",
                                   marker_end=marker if kind == "abuse" else None)
    return el("rect", x=x, y=y - 11, width=44, height=22, rx=8, stroke_width=1.5,
              stroke_dasharray="12 4 2 4")


def layout_legend(items: list[tuple[str, str]], top: float, width: float) -> list[Box]:
    column = max([LEGEND_COLUMN] + [52 + text_width(text, 11) + 16 for _, text in items])
    columns = max(1, min(len(items), int((width - 2 * MARGIN) // column)))
    boxes = [Box("legend", "legend-title", MARGIN, top, text_width("Key", 13), 15)]
    for i, (key, text) in enumerate(items):
        x = MARGIN + (i % columns) * column
        y = top + 24 + (i // columns) * LEGEND_ROW
        boxes.append(Box("legend", key, x, y, 52 + text_width(text, 11), 22))
    return boxes


def layout_genogram(g: Genogram) -> Layout:
    """People, unions, lines and legend placed; `boxes` holds every symbol and label
    rectangle, `routes` the relationship lines and `households` the outlines."""
    layout = place_people(g)
    layout.households = [household_outline(g, layout, members) for members in g.households]
    layout.routes = route_relationships(g, layout)
    points = [p for line in layout.routes for p in line] + [
        p for loops in layout.households for loop in loops for p in loop]
    layout.width = max([layout.width] + [px + MARGIN for px, _ in points])
    layout.height = max([layout.height] + [py + MARGIN for _, py in points])
    items = legend_items(g)
    column = max([LEGEND_COLUMN] + [52 + text_width(text, 11) + 16 for _, text in items])
    width = max(layout.width, 2 * MARGIN + column * min(2, max(1, len(items))))
    legend = layout_legend(items, layout.height, width)
    layout.boxes += legend
    layout.width = max(width, max(b.x + b.w for b in legend) + MARGIN)
    layout.height = max(b.y + b.h for b in legend) + MARGIN
    return layout


def render_genogram(g: Genogram, title: str, *, id_prefix: str) -> str:
    layout = layout_genogram(g)
    marker = f"{id_prefix}-arrow"
    parts = [el("defs", strokes.arrow_marker(marker))]
    parts += [el("path", d=rounded_path(loops, 12.0), stroke_width=1.5,
                 stroke_dasharray="12 4 2 4", class_="tk-household") for loops in layout.households]
    parts += [_union_line(g, layout, geo) for geo in layout.unions]
    for rel, points in zip(g.relationships, layout.routes, strict=True):
        start = (layout.x[rel.between[0]], layout.y[rel.between[0]])
        if rel.type == "abuse" and _dist(points[-1], start) < _dist(points[0], start):
            points = points[::-1]  # the arrow points at the person harmed
        parts.append(strokes.styled_line(points, RELATIONSHIP_STYLE[rel.type],
                                         class_=f"tk-rel tk-rel-{rel.type}",
                                         marker_end=f"url(#{marker})" if rel.type == "abuse"
                                         else None))
    for person in g.people:
        cx, cy = layout.x[person.id], layout.y[person.id]
        parts.append(draw_person(person, cx, cy, index=person.id == g.index))
        parts.append(text_block(layout.labels[person.id], cx, cy + LABEL_TOP + FONT_SIZE - 2,
                                class_="tk-name"))
    legend = [b for b in layout.boxes if b.kind == "legend"]
    parts.append(text_block(["Key"], legend[0].x, legend[0].y + 12, "start", 13, "tk-key"))
    texts = dict(legend_items(g))
    for box in legend[1:]:
        cy = box.y + box.h / 2
        parts.append(el("g", _legend_sample(box.owner, box.x, cy, f"url(#{marker})")
                        + text_block([texts[box.owner]], box.x + 52, cy + 4, "start", 11),
                        class_="tk-legend-item"))
    desc = (f"Genogram of {len(g.people)} people over {max(layout.generation.values()) + 1} "
            "generations. The list that follows the diagram describes every person and "
            "relationship.")
    return svg_root(layout.width, layout.height, title, desc, "".join(parts),
                    id_prefix=id_prefix, class_="tk-genogram")


def _dist(p: tuple[float, float], q: tuple[float, float]) -> float:
    return ((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5


def _ref(p: Person) -> str:
    return p.label


def describe_genogram(g: Genogram) -> list[str]:
    """One sentence per person: who they are and how they are related."""
    people = {p.id: p for p in g.people}
    verbs = {"married": "married to", "cohabiting": "living with", "engaged": "engaged to",
             "separated": "separated from", "divorced": "divorced from"}
    lines = []
    for p in g.people:
        facts = [] if p.pregnancy or p.miscarriage else [{"unknown": "sex not known"}.get(
            p.sex, p.sex)]
        facts += ["pregnancy"] * p.pregnancy + ["miscarriage"] * p.miscarriage
        if p.born:
            facts.append(f"born {p.born.text}")
        if p.died:
            facts.append(f"died {p.died.text}")
        elif p.deceased:
            facts.append("died")
        facts += ["adopted"] * p.adopted + ["fostered"] * p.fostered
        parts = ["the person this genogram is about"] if p.id == g.index else []
        for u in g.unions:
            if p.id in u.partners:
                other = people[u.partners[1] if u.partners[0] == p.id else u.partners[0]]
                since = f" ({'since ' if u.status in ('married', 'cohabiting', 'engaged') else ''}"\
                        f"{u.since.text})" if u.since else ""
                text = f"{verbs[u.status]} {_ref(other)}{since}"
                if u.children:
                    text += "; children: " + ", ".join(_ref(people[k]) for k in u.children)
                parts.append(text)
            if p.id in u.children:
                parts.append("child of " + " and ".join(_ref(people[q]) for q in u.partners))
        for r in g.relationships:
            if p.id in r.between:
                other = people[r.between[1] if r.between[0] == p.id else r.between[0]]
                kind = RELATIONSHIP_TEXT[r.type].split(" (")[0].lower()
                if r.type == "abuse":
                    kind = "abuse towards" if r.between[0] == p.id else "harmed by"
                else:
                    kind += " relationship with"
                parts.append(f"{kind} {_ref(other)}" + (f" ({r.note})" if r.note else ""))
        for n, members in enumerate(g.households, 1):
            if p.id in members:
                others = [_ref(people[m]) for m in members if m != p.id]
                parts.append(f"household {n}" + (" with " + ", ".join(others) if others
                                                 else ", lives alone"))
        if p.notes:
            parts.append(p.notes)
        lines.append(f"{p.label} ({', '.join(facts)})" + (" — " + "; ".join(parts) if parts
                                                          else ""))
    return lines


def genogram_text(g: Genogram) -> str:
    items = "".join(el("li", esc(line)) for line in describe_genogram(g))
    return el("ul", items, class_="tk-diagram-list")
