"""Draw a genogram (McGoldrick and Gerson conventions) as accessible SVG plus a text list.

Layout lives in genogram_layout; this module turns positions into shapes, lines and a
legend of only the symbols used, and writes the text equivalent screen readers get.
"""

from __future__ import annotations

from dataclasses import replace

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
from toolkit.diagrams.genogram_lines import household_outline, route_care, route_relationships
from toolkit.diagrams.model import Care, Genogram, PartialDate, Person, Relationship, Twins, Union
from toolkit.diagrams.outline import rounded_path
from toolkit.diagrams.svg import FONT_SIZE, Box, el, esc, num, svg_root, text_block, text_width

UNION_STYLE = {"married": "", "cohabiting": "8 5", "engaged": "16 5", "separated": "",
               "divorced": "", "formerly-cohabiting": "8 5"}
SLASHES = {"separated": 1, "divorced": 2, "formerly-cohabiting": 1}
RELATIONSHIP_STYLE = {"close": "double", "very-close": "triple", "distant": "dotted",
                      "conflict": "zigzag", "hostile": "zigzag-heavy", "cut-off": "broken",
                      "abuse": "zigzag"}
RELATIONSHIP_TEXT = {"close": "Close", "very-close": "Very close", "distant": "Distant",
                     "conflict": "Conflict", "hostile": "Hostile", "cut-off": "Cut off",
                     "abuse": "Abuse (arrow points to the person harmed)"}
UNION_TEXT = {"married": "Married", "cohabiting": "Living together (dashed)", "engaged": "Engaged (long dashes)",
              "separated": "Separated (one slash)", "divorced": "Divorced (two slashes)",
              "formerly-cohabiting": "Lived together, now apart (dashed, one slash)"}
GENDER_TEXT = {"non-binary": "Non-binary (diamond; sex recorded at birth inside)",
               "trans-man": "Trans man (square; sex recorded at birth inside)",
               "trans-woman": "Trans woman (circle; sex recorded at birth inside)"}
GENDER_WORDS = {"non-binary": "non-binary", "trans-man": "trans man", "trans-woman": "trans woman"}
GENDER_SHAPE = {"non-binary": "unknown", "trans-man": "male", "trans-woman": "female"}
MARKER_TEXT = {"mental-health": "Mental ill health (top left filled)",
               "physical-illness": "Serious physical illness (top right filled)",
               "substance-misuse": "Substance misuse (bottom left filled)",
               "in-recovery": "In recovery from substance misuse (bottom left shaded)",
               "learning-disability": "Learning disability (bottom right filled)"}
MARKER_WORDS = {"mental-health": "mental ill health", "physical-illness": "serious physical illness",
                "substance-misuse": "substance misuse",
                "in-recovery": "in recovery from substance misuse",
                "learning-disability": "learning disability"}
MARKER_QUADRANT = {"mental-health": (-1, -1), "physical-illness": (1, -1),
                   "substance-misuse": (-1, 1), "in-recovery": (-1, 1),
                   "learning-disability": (1, 1)}
CARE_TEXT = {"kinship": "kinship care", "foster": "foster care", "adoptive": "adoption",
             "special-guardianship": "special guardianship"}
LEGEND_COLUMN = 250.0
KEY_WIDTH = 720.0   # the widest a key makes a figure: Furo's reading column is 736 px at 16 px type
LEGEND_ROW = 34.0
LEGEND_TEXT = 12.0


def _outline(kind: str, cx: float, cy: float, h: float, width: float = 2) -> str:
    """A square (male), circle (female), diamond (not known) or triangle (pregnancy)."""
    if kind == "male":
        return el("rect", x=cx - h, y=cy - h, width=2 * h, height=2 * h, stroke_width=width)
    if kind == "female":
        return el("circle", cx=cx, cy=cy, r=h, stroke_width=width)
    if kind == "triangle":
        return el("polygon", points=f"{num(cx)},{num(cy - h)} {num(cx + h)},{num(cy + h)} "
                  f"{num(cx - h)},{num(cy + h)}", stroke_width=width)
    return el("polygon", points=f"{num(cx)},{num(cy - h)} {num(cx + h)},{num(cy)} "
              f"{num(cx)},{num(cy + h)} {num(cx - h)},{num(cy)}", stroke_width=width)


def shape_kind(person: Person) -> str:
    """The outer shape: the person's gender where given, else the sex recorded."""
    if person.pregnancy:
        return "triangle"
    return GENDER_SHAPE.get(person.gender or "", person.sex)


def _quadrant(kind: str, cx: float, cy: float, h: float, qx: int, qy: int) -> str:
    """The path of one quarter of a shape (for marker fills)."""
    if kind == "female":
        sweep = 1 if qx * qy > 0 else 0
        return (f"M{num(cx)} {num(cy)} L{num(cx + qx * h)} {num(cy)} "
                f"A{num(h)} {num(h)} 0 0 {sweep} {num(cx)} {num(cy + qy * h)} Z")
    if kind == "unknown":
        return (f"M{num(cx)} {num(cy)} L{num(cx + qx * h)} {num(cy)} "
                f"L{num(cx)} {num(cy + qy * h)} Z")
    return (f"M{num(cx)} {num(cy)} L{num(cx + qx * h)} {num(cy)} L{num(cx + qx * h)} "
            f"{num(cy + qy * h)} L{num(cx)} {num(cy + qy * h)} Z")


def _cross(cx: float, cy: float, h: float) -> str:
    return el("path", d=f"M{num(cx - h)} {num(cy - h)} L{num(cx + h)} {num(cy + h)} "
              f"M{num(cx + h)} {num(cy - h)} L{num(cx - h)} {num(cy + h)}", stroke_width=2)


def draw_person(person: Person, cx: float, cy: float, *, index: bool, years: bool = True,
                age: int | None = None, class_: str = "tk-person") -> str:
    """The symbol with everything drawn on it: double outline for the index person, marker
    fills, the sex recorded at birth inside a gender symbol, age or "?", X for a death."""
    if person.miscarriage:
        return el("g", el("circle", cx=cx, cy=cy, r=8, fill="currentColor", stroke_width=2),
                  class_=class_)
    if person.termination:
        return el("g", _cross(cx, cy, 7), class_=class_)
    kind, h = shape_kind(person), symbol_half(person, False)
    parts = [el("path", d=_quadrant(kind, cx, cy, h, *MARKER_QUADRANT[m]), fill="currentColor",
                fill_opacity=0.35 if m == "in-recovery" else None, stroke="none",
                class_=f"tk-marker tk-marker-{m}") for m in person.markers]
    parts.append(_outline(kind, cx, cy, h))
    if index:
        parts.append(_outline(kind, cx, cy, h + 5))
    if person.gender:
        parts.append(_outline(person.sex, cx, cy, 12, 1.5))
    if person.stillbirth or person.is_deceased:
        parts.append(_cross(cx, cy, h - 2 if kind == "male" else h * 0.7))
    if person.unknown:
        parts.append(text_block(["?"], cx, cy + 7, "middle", 20, "tk-age"))
    elif age is not None:
        parts.append(text_block([str(age)], cx, cy + 5, "middle", 14, "tk-age"))
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
    for k in range(SLASHES.get(union.status, 0)):
        sx = geo.mid - 12 - 6 * k
        parts.append(el("path", d=f"M{num(sx - 4)} {num(y + 8)} L{num(sx + 4)} {num(y - 5)}",
                        stroke_width=2))
    if geo.label_box is not None:
        parts.append(text_block([since_text(union.status, union.since)], geo.mid,
                                geo.label_box.y + YEAR_SIZE - 1, "middle", YEAR_SIZE))
    kid_of = {seg: kid for kid, seg in geo.child_line.items()}
    for segment in geo.descent + geo.twin_bars:
        child = people.get(kid_of.get(segment, ""))
        dash = "7 5" if child and child.adopted else "7 3 2 3" if child and child.fostered else None
        parts.append(el("path", d=strokes.path_d(list(segment)), stroke_width=2,
                        stroke_dasharray=dash))
    return el("g", "".join(parts), class_=f"tk-union tk-union-{union.status}")


def _sample_person(g: Genogram, key: str) -> Person:
    """The person a key item is drawn as: the first one it describes, on their own shape,
    with only that one feature, so the key shows what the drawing shows."""
    plain = dict(born=None, died=None, deceased=False, unknown=False, markers=(), gender=None,
                 cared_for_by=None, adopted=False, fostered=False)
    # A person's features are keyed from people drawn as people (as `legend_items` finds them),
    # never from a pregnancy or loss that has them too: its small symbol would be the sample.
    people = [p for p in g.people if not p.is_pregnancy_symbol]
    if key.startswith("sex-"):
        return Person("", "", sex=key[4:])
    if key in ("pregnancy", "miscarriage", "stillbirth", "termination"):
        first = next(p for p in g.people if getattr(p, key))
        return replace(first, **plain)
    if key == "index":
        return replace(g.person(g.index or ""), **plain)
    if key == "deceased":
        first = next(p for p in people if p.is_deceased)
        return replace(first, **(plain | {"deceased": True}))
    if key == "unknown":
        return replace(next(p for p in people if p.unknown), **(plain | {"unknown": True}))
    if key.startswith("gender-"):
        return replace(next(p for p in people if p.gender == key[7:]), **(plain | {"gender": key[7:]}))
    if key.startswith("marker-"):
        first = next(p for p in people if key[7:] in p.markers)
        return replace(first, **(plain | {"markers": (key[7:],)}))
    raise KeyError(key)


PERSON_KEYS = ("index", "deceased", "unknown", "pregnancy", "miscarriage", "stillbirth",
               "termination")


def legend_items(g: Genogram) -> list[tuple[str, str]]:
    """(key, text) for each symbol the diagram uses, in a fixed order."""
    items: list[tuple[str, str]] = []
    plain = [p for p in g.people if not p.is_pregnancy_symbol]
    for sex, text in (("male", "Male"), ("female", "Female"), ("unknown", "Sex not known")):
        if any(p.sex == sex and not p.gender for p in plain):
            items.append((f"sex-{sex}", text))
    items += [(f"gender-{k}", t) for k, t in GENDER_TEXT.items() if any(p.gender == k for p in plain)]
    ages = [g.age(p) for p in plain if not p.unknown]
    for key, text, used in (
        ("index", "The person the genogram is about (double outline)", g.index is not None),
        ("deceased", "Died (X); born year left, died year right",
         any(p.is_deceased for p in plain)),
        ("age", f"Age on {g.as_of.text if g.as_of else ''} (inside the symbol)",
         any(a is not None for a in ages)),
        ("unknown", "Not known (?)", any(p.unknown for p in plain)),
        ("pregnancy", "Pregnancy", any(p.pregnancy for p in g.people)),
        ("miscarriage", "Miscarriage", any(p.miscarriage for p in g.people)),
        ("stillbirth", "Stillbirth (small symbol with X)", any(p.stillbirth for p in g.people)),
        ("termination", "Termination (small X)", any(p.termination for p in g.people)),
    ):
        if used:
            items.append((key, text))
    items += [(f"marker-{k}", t) for k, t in MARKER_TEXT.items() if any(k in p.markers for p in plain)]
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
    twins = [t for u in g.unions for t in u.twins]
    if any(not t.identical for t in twins):
        items.append(("twins", "Twins (lines from one point)"))
    if any(t.identical for t in twins):
        items.append(("twins-identical", "Identical twins (joined by a bar)"))
    cares = sorted({p.cared_for_by.type for p in g.people if p.cared_for_by},
                   key=list(CARE_TEXT).index)
    items += [(f"care-{c}", f"Cared for by, in {CARE_TEXT[c]} (arrow to the child)") for c in cares]
    kinds = {r.type for r in g.relationships}
    items += [(f"rel-{t}", RELATIONSHIP_TEXT[t]) for t in RELATIONSHIP_TEXT if t in kinds]
    if g.households:
        items.append(("household", "Household (people living together)"))
    return items


CARE_STYLE = {"stroke_width": 3, "stroke_dasharray": "3 4"}


def _legend_sample(g: Genogram, key: str, x: float, y: float, marker: str) -> str:
    if key.startswith(("sex-", "gender-", "marker-")) or key in PERSON_KEYS:
        person = _sample_person(g, key)
        return el("g", draw_person(person, x + 22, y, index=key == "index", years=False,
                                   class_="tk-legend-symbol"),
                  transform=f"translate({num(x + 22)} {num(y)}) scale(0.5) "
                  f"translate({num(-x - 22)} {num(-y)})")
    if key == "age":
        person = next(p for p in g.people if not p.is_pregnancy_symbol and g.age(p) is not None)
        return el("g", draw_person(replace(person, markers=(), died=None, deceased=False),
                                   x + 22, y, index=False, years=False, age=g.age(person),
                                   class_="tk-legend-symbol"),
                  transform=f"translate({num(x + 22)} {num(y)}) scale(0.6) "
                  f"translate({num(-x - 22)} {num(-y)})")
    line = [(x, y), (x + 44, y)]
    if key.startswith("union-"):
        status = key[6:]
        parts = [el("path", d=strokes.path_d(line), stroke_width=2,
                    stroke_dasharray=UNION_STYLE[status] or None)]
        for k in range(SLASHES.get(status, 0)):
            sx = x + 22 - 6 * k
            parts.append(el("path", d=f"M{num(sx - 4)} {num(y + 8)} L{num(sx + 4)} {num(y - 5)}",
                            stroke_width=2))
        return "".join(parts)
    if key in ("child", "adopted", "fostered"):
        dash = {"adopted": "7 5", "fostered": "7 3 2 3"}.get(key)
        return el("path", d=f"M{num(x + 22)} {num(y - 11)} L{num(x + 22)} {num(y + 11)}",
                  stroke_width=2, stroke_dasharray=dash)
    if key.startswith("twins"):
        d = f"M{num(x + 22)} {num(y - 12)} L{num(x + 8)} {num(y + 12)} M{num(x + 22)} " \
            f"{num(y - 12)} L{num(x + 36)} {num(y + 12)}"
        if key == "twins-identical":
            d += f" M{num(x + 15)} {num(y)} L{num(x + 29)} {num(y)}"
        return el("path", d=d, stroke_width=2)
    if key.startswith("care-"):
        return el("path", d=strokes.path_d(line), marker_end=marker, **CARE_STYLE)
    if key.startswith("rel-"):
        kind = key[4:]
        return strokes.styled_line(line, RELATIONSHIP_STYLE[kind], class_=f"tk-rel-{kind}",
                                   marker_end=marker if kind == "abuse" else None)
    return el("rect", x=x, y=y - 11, width=44, height=22, rx=8, stroke_width=1.5,
              stroke_dasharray="12 4 2 4")


def layout_legend(items: list[tuple[str, str]], top: float, width: float) -> list[Box]:
    column = legend_column(items)
    columns = max(1, min(len(items), int((width - 2 * MARGIN) // column)))
    boxes = [Box("legend", "legend-title", MARGIN, top, text_width("Key", 14), 16)]
    for i, (key, text) in enumerate(items):
        x = MARGIN + (i % columns) * column
        y = top + 24 + (i // columns) * LEGEND_ROW
        boxes.append(Box("legend", key, x, y, 52 + text_width(text, LEGEND_TEXT), 22))
    return boxes


def legend_column(items: list[tuple[str, str]]) -> float:
    return max([LEGEND_COLUMN] + [52 + text_width(text, LEGEND_TEXT) + 16 for _, text in items])


def layout_genogram(g: Genogram) -> Layout:
    """People, unions, lines and legend placed; `boxes` holds every symbol and label
    rectangle, `routes` the relationship lines and `households` the outlines."""
    layout = place_people(g)
    layout.households = [household_outline(g, layout, members) for members in g.households]
    layout.routes = route_relationships(g, layout)
    layout.care_routes = route_care(g, layout)
    points = [p for line in layout.routes + [c[2] for c in layout.care_routes] for p in line] + [
        p for loops in layout.households for loop in loops for p in loop]
    layout.width = max([layout.width] + [px + MARGIN for px, _ in points])
    layout.height = max([layout.height] + [py + MARGIN for _, py in points])
    items = legend_items(g)
    column = legend_column(items)
    # Two columns of key only within a page's reading width, or about the drawing's own: a key
    # wider than a small family's drawing made its figure scroll sideways on a desktop (the key's
    # right column cut off at 1366 px).
    two_columns = 2 * MARGIN + column * min(2, max(1, len(items)))
    fits = two_columns <= max(KEY_WIDTH, layout.width + 2 * MARGIN)
    width = max(layout.width, two_columns if fits else 2 * MARGIN + column)
    legend = layout_legend(items, layout.height, width)
    layout.boxes += legend
    layout.width = max(width, max(b.x + b.w for b in legend) + MARGIN)
    layout.height = max(b.y + b.h for b in legend) + MARGIN
    return layout


def render_genogram(g: Genogram, title: str, *, id_prefix: str) -> str:
    """Layers from the back: households, emotional relationships, unions and descent, care,
    people and names, the key; so a relationship line never hides a union line."""
    layout = layout_genogram(g)
    marker = f"{id_prefix}-arrow"
    parts = [el("defs", strokes.arrow_marker(marker))]
    parts += [el("path", d=rounded_path(loops, 12.0), stroke_width=1.5,
                 stroke_dasharray="12 4 2 4", class_="tk-household") for loops in layout.households]
    rels = []
    for rel, points in zip(g.relationships, layout.routes, strict=True):
        start = (layout.x[rel.between[0]], layout.y[rel.between[0]])
        if rel.type == "abuse" and _dist(points[-1], start) < _dist(points[0], start):
            points = points[::-1]  # the arrow points at the person harmed
        rels.append(strokes.styled_line(points, RELATIONSHIP_STYLE[rel.type],
                                        class_=f"tk-rel tk-rel-{rel.type}",
                                        marker_end=f"url(#{marker})" if rel.type == "abuse"
                                        else None))
    if rels:
        parts.append(el("g", "".join(rels), class_="tk-relationships"))
    parts += [_union_line(g, layout, geo) for geo in layout.unions]
    for _carer, child, points in layout.care_routes:
        if _dist(points[0], (layout.x[child], layout.y[child])) < _dist(
                points[-1], (layout.x[child], layout.y[child])):
            points = points[::-1]  # the arrow points at the child
        parts.append(el("path", d=strokes.path_d(points), marker_end=f"url(#{marker})",
                        class_="tk-care", **CARE_STYLE))
    for person in g.people:
        cx, cy = layout.x[person.id], layout.y[person.id]
        parts.append(draw_person(person, cx, cy, index=person.id == g.index, age=g.age(person)))
        parts.append(text_block(layout.labels[person.id], cx, cy + LABEL_TOP + FONT_SIZE - 2,
                                class_="tk-name"))
    legend = [b for b in layout.boxes if b.kind == "legend"]
    parts.append(text_block(["Key"], legend[0].x, legend[0].y + 12, "start", 14, "tk-key"))
    texts = dict(legend_items(g))
    for box in legend[1:]:
        cy = box.y + box.h / 2
        parts.append(el("g", _legend_sample(g, box.owner, box.x, cy, f"url(#{marker})")
                        + text_block([texts[box.owner]], box.x + 52, cy + 4, "start", LEGEND_TEXT),
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
             "separated": "separated from", "divorced": "divorced from",
             "formerly-cohabiting": "lived with, now apart from"}
    twins = {k: t for u in g.unions for t in u.twins for k in t.children}
    cared_for = {c: p for p in g.people if p.cared_for_by for c in p.cared_for_by.people}
    lines = []
    for p in g.people:
        losses = [k for k in ("pregnancy", "miscarriage", "stillbirth", "termination")
                  if getattr(p, k)]
        facts = ["not known"] if p.unknown else []
        if p.gender:
            facts.append(GENDER_WORDS[p.gender] + ("" if p.sex == "unknown"
                                                   else f", recorded {p.sex} at birth"))
        elif not p.pregnancy and not p.miscarriage and not p.termination:
            facts.append({"unknown": "sex not known"}.get(p.sex, p.sex))
        facts += losses
        if p.born:
            facts.append(f"born {p.born.text}")
        if (age := g.age(p)) is not None and g.as_of:
            facts.append(f"{'died aged' if p.is_deceased else 'aged'} {age}"
                         + ("" if p.is_deceased else f" on {g.as_of.text}"))
        if p.died:
            facts.append(f"died {p.died.text}")
        elif p.deceased:
            facts.append("died")
        facts += [MARKER_WORDS[m] for m in p.markers]
        facts += ["adopted"] * p.adopted + ["fostered"] * p.fostered
        parts = ["the person this genogram is about"] if p.id == g.index else []
        if p.id in twins:
            others = [_ref(people[k]) for k in twins[p.id].children if k != p.id]
            parts.append(f"{'identical ' if twins[p.id].identical else ''}twin of "
                         + ", ".join(others))
        if p.cared_for_by:
            care = p.cared_for_by
            parts.append(f"cared for by {' and '.join(_ref(people[c]) for c in care.people)} in "
                         f"{CARE_TEXT[care.type]}" + (f" since {care.since.text}" if care.since
                                                      else ""))
        if p.id in cared_for:
            parts += [f"cares for {_ref(c)}" for c in g.people
                      if c.cared_for_by and p.id in c.cared_for_by.people]
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


def _every_symbol() -> Genogram:
    """A made-up family using every convention once, so the symbols table can show each
    symbol exactly as the diagrams draw it (same code, same shapes)."""
    people = [
        Person("m", "", "male", born=PartialDate(1960)), Person("f", "", "female"),
        Person("u", "", "unknown"), Person("nb", "", "unknown", gender="non-binary"),
        Person("tm", "", "female", gender="trans-man"),
        Person("tw", "", "male", gender="trans-woman"),
        Person("d", "", "male", deceased=True), Person("q", "", "male", unknown=True),
        Person("p", "", pregnancy=True), Person("mc", "", miscarriage=True),
        Person("sb", "", "female", stillbirth=True), Person("t", "", termination=True),
        Person("c1", "", "female", cared_for_by=Care(("f",), "kinship")),
        Person("c2", "", "male", adopted=True), Person("c3", "", "female", fostered=True),
        Person("t1", ""), Person("t2", ""), Person("t3", ""), Person("t4", ""),
    ]
    people += [Person(f"mk-{m}", "", "female", markers=(m,)) for m in MARKER_TEXT]
    unions = [Union(("m", "f"), status, children=kids) for status, kids in zip(
        UNION_TEXT, [("c1", "c2", "c3"), ("t1", "t2"), ("t3", "t4")] + [()] * 3, strict=True)]
    unions[1] = replace(unions[1], twins=(Twins(("t1", "t2")),))
    unions[2] = replace(unions[2], twins=(Twins(("t3", "t4"), identical=True),))
    relationships = [Relationship(("m", "f"), kind) for kind in RELATIONSHIP_TEXT]
    return Genogram(tuple(people), tuple(unions), tuple(relationships), (("m", "f"),), "f",
                    as_of=PartialDate(2026, 9, 1))


def symbol_meanings() -> list[tuple[str, str]]:
    """(key, meaning) of every symbol a genogram can use, in the key's order."""
    g = _every_symbol()
    return [(key, text.replace(f"Age on {g.as_of.text} ", "Age ") if key == "age" else text)  # type: ignore[union-attr]
            for key, text in legend_items(g)]


def symbols_table(id_prefix: str) -> str:
    """Every genogram symbol with its meaning, as an HTML table: the pictures are the key's
    own samples, so the guide and the diagrams can never disagree."""
    g = _every_symbol()
    rows = []
    for n, (key, text) in enumerate(symbol_meanings()):
        marker = f"{id_prefix}-arrow-{n}"
        sample = _legend_sample(g, key, 4, 18, f"url(#{marker})")
        picture = el("svg", el("defs", strokes.arrow_marker(marker)) + sample,
                     xmlns="http://www.w3.org/2000/svg", viewBox="0 0 56 36", width="84",
                     height="54", aria_hidden="true", focusable="false", fill="none",
                     stroke="currentColor", class_="tk-symbol-sample")
        rows.append(el("tr", el("td", picture) + el("td", esc(text))))
    head = el("tr", el("th", "Symbol", scope="col") + el("th", "Meaning", scope="col"))
    return el("table", el("thead", head) + el("tbody", "".join(rows)),
              class_="tk-symbols-table", id=id_prefix)
