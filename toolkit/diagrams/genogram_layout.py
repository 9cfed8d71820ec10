"""Place the people of a genogram: one row per generation, partners side by side,
children under their parents' union line, oldest on the left.

genogram_tree packs family blocks so nothing overlaps; this module chooses, among the
free choices left (which way round each chain of partners sits, the order of unrelated
families), the arrangement with the fewest crossing descent lines and the fewest people
sitting between members of one household, then works out every box and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.diagrams.genogram_tree import Family, build_family, default_roots, place
from toolkit.diagrams.model import Genogram, Person
from toolkit.diagrams.route import Point, Segment, segments_cross
from toolkit.diagrams.svg import FONT_SIZE, LINE_HEIGHT, Box, text_width, wrap

SYMBOL = 40.0  # width and height of a person's symbol
ROW_PITCH = 160.0  # vertical distance between generations
GAP = 18.0  # minimum gap between neighbours' boxes
MARGIN = 24.0
YEAR_SIZE = 12.0  # every text at least 12 px at the natural size
LABEL_CHARS = 16
LABEL_TOP = SYMBOL / 2 + 8  # first baseline below the symbol centre is this + FONT_SIZE
BAR_LEVELS = (92.0, 80.0, 104.0)  # sibling bar heights below the parents' centre
APART_LINE = 70.0  # a union line between partners who are not side by side runs this low
HOUSEHOLD_COST = 300.0  # a household split or not joinable in one outline: more than the
# extra length of moving a child to sit with the people they live with (at 100, a grandchild
# in kinship care two rows below the grandparents stayed under their parents, a jigsaw outline)


@dataclass
class UnionGeometry:
    index: int
    left: str
    right: str
    y: float  # of the partners' centres
    x1: float
    x2: float
    adjacent: bool
    line_y: float = 0.0  # where the union line runs (y, or below the names when apart)
    bar_y: float = 0.0
    label_box: Box | None = None
    descent: list[Segment] = field(default_factory=list)
    child_line: dict[str, Segment] = field(default_factory=dict)  # each child's own line
    twin_bars: list[Segment] = field(default_factory=list)  # identical twins' cross bars

    @property
    def mid(self) -> float:
        return (self.x1 + self.x2) / 2


@dataclass
class Layout:
    """Where everything goes; `boxes` are the symbol and label rectangles (no overlaps)."""

    x: dict[str, float]
    y: dict[str, float]
    generation: dict[str, int]
    rows: list[list[str]]
    labels: dict[str, list[str]]
    unions: list[UnionGeometry]
    boxes: list[Box] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)  # each person's slot
    routes: list[list[Point]] = field(default_factory=list)  # emotional relationship lines
    care_routes: list[tuple[str, str, list[Point]]] = field(default_factory=list)  # carer, child
    households: list[list[list[Point]]] = field(default_factory=list)  # outline loops
    width: float = 0.0
    height: float = 0.0


def generations(g: Genogram) -> dict[str, int]:
    """Partners share a row; children sit at least one row below their parents."""
    gen = {p.id: 0 for p in g.people}
    for _ in range(4 * len(g.people) + 4):
        changed = False
        for union in g.unions:
            level = max(gen[p] for p in union.partners)
            for p in union.partners:
                changed |= gen[p] != level
                gen[p] = level
            for child in union.children:
                if gen[child] < level + 1:
                    gen[child], changed = level + 1, True
        if not changed:
            break
    return _by_birth_year(g, gen)


def _by_birth_year(g: Genogram, gen: dict[str, int]) -> dict[str, int]:
    """Someone in no union sits in the row whose birth years are nearest their own."""
    in_union = {p for u in g.unions for p in u.partners + u.children}
    years: dict[int, list[int]] = {}
    for p in g.people:
        if p.id in in_union and p.born:
            years.setdefault(gen[p.id], []).append(p.born.year)
    if not years:
        return gen
    typical = {row: sorted(ys)[len(ys) // 2] for row, ys in years.items()}
    for p in g.people:
        if p.id not in in_union and p.born:
            gen[p.id] = min(typical, key=lambda row: (abs(typical[row] - p.born.year), row))  # type: ignore[union-attr]
    return gen


def symbol_half(person: Person, index: bool) -> float:
    half = 8.0 if person.miscarriage or person.termination else \
        12.0 if person.stillbirth else SYMBOL / 2
    return half + (5.0 if index else 0.0)


def person_width(label_lines: list[str]) -> float:
    """A slot wide enough for the symbol with both years above it, and the name below."""
    return max(SYMBOL + 2 * (4 + text_width("0000", YEAR_SIZE)) + 4,
               max(text_width(line) for line in label_lines))


def since_text(status: str, since: object) -> str:
    if since is None:
        return ""
    word = {"separated": "sep.", "divorced": "div.", "engaged": "eng.", "married": "m."}
    return f"{word.get(status, 'since')} {getattr(since, 'year', since)}"


def place_people(g: Genogram) -> Layout:
    gen = generations(g)
    labels = {p.id: wrap(p.label, LABEL_CHARS, whole=True) for p in g.people}
    widths = {pid: person_width(lines) for pid, lines in labels.items()}
    union_label = {i: since_text(u.status, u.since) for i, u in enumerate(g.unions)}
    pair_gap = {i: max(SYMBOL + 24 + text_width(union_label[i], YEAR_SIZE),
                       max(widths[p] for p in u.partners) + GAP) for i, u in enumerate(g.unions)}
    fam = build_family(g, gen, widths, pair_gap)
    x = arrange(fam)
    left = min((x[p] - widths[p] / 2 for p in x), default=0.0)
    x = {p: v + MARGIN - left for p, v in x.items()}
    y = {p: MARGIN + 40 + SYMBOL / 2 + gen[p] * ROW_PITCH for p in x}
    layout = Layout(x, y, gen, rows_of(x, gen), labels, [], widths=widths)
    layout.unions = union_geometry(g, layout, union_label)
    layout.boxes = person_boxes(g, layout) + [u.label_box for u in layout.unions if u.label_box]
    layout.width = max((b.x + b.w for b in layout.boxes), default=0.0) + MARGIN
    layout.height = max((b.y + b.h for b in layout.boxes), default=0.0) + MARGIN
    return layout


def rows_of(x: dict[str, float], gen: dict[str, int]) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(max(gen.values(), default=0) + 1)]
    for p in sorted(x, key=lambda q: (x[q], q)):
        rows[gen[p]].append(p)
    return rows


def arrange(fam: Family) -> dict[str, float]:
    """Greedy search over chain orientations, guests and root order for the lowest cost.
    Children sit under their own parents unless moving a household's children to sit
    with the people they live with (as guests) lowers the cost."""
    flips: frozenset[int] = frozenset()
    guests: frozenset[str] = frozenset()
    homes = {frozenset(m for m in members if m in fam.hosts) for members in fam.g.households}
    homes.discard(frozenset())
    roots = default_roots(fam, flips)
    best = _cost(fam, place(fam, flips, roots, guests), guests)
    matter = {p for h in fam.g.households for p in h} | {p for p, _ in fam.linked} | {
        p for r in fam.g.relationships for p in r.between}
    choices = [n for n, chain in enumerate(fam.units) if len(chain) > 1 and matter & set(chain)]
    for _ in range(3):
        improved = False
        for n in choices:
            trial = flips ^ {n}
            cost = _cost(fam, place(fam, trial, roots, guests), guests)
            if cost < best - 1e-6:
                flips, best, improved = trial, cost, True
        for home in sorted(homes, key=sorted):
            trial_guests = guests - home if home <= guests else guests | home
            cost = _cost(fam, place(fam, flips, roots, trial_guests), trial_guests)
            if cost < best - 1e-6:
                guests, best, improved = trial_guests, cost, True
        for r in list(roots):
            for at in range(len(roots)):
                trial_roots = [q for q in roots if q != r]
                trial_roots.insert(at, r)
                if trial_roots == roots:
                    continue
                cost = _cost(fam, place(fam, flips, trial_roots, guests), guests)
                if cost < best - 1e-6:
                    roots, best, improved = trial_roots, cost, True
        if not improved:
            break
    return place(fam, flips, roots, guests)


def _cost(fam: Family, x: dict[str, float], guests: frozenset[str] = frozenset()) -> float:
    """Crossing descent lines first, then households split by outsiders or not joinable
    in one outline, then children moved from under their own parents (each household
    moved costs less than one left broken, length included), then length."""
    g, gen = fam.g, fam.gen
    y = {p: gen[p] * ROW_PITCH for p in x}
    rows = rows_of(x, gen)
    layout = Layout(x, y, gen, rows, {}, [], widths=fam.widths)
    unions = union_geometry(g, layout, {})
    segments = [(u.index, s) for u in unions for s in u.descent]
    by_gap: dict[float, list[tuple[int, Segment]]] = {}
    for u in unions:  # lines below different rows of parents never meet
        by_gap.setdefault(u.y, []).extend((u.index, s) for s in u.descent)
    crossings = sum(1 for group in by_gap.values() for i, (u, s) in enumerate(group)
                    for v, t in group[i + 1:] if u != v and segments_cross(s, t))
    spread = sum(max(x[m] for m in h) - min(x[m] for m in h) for h in g.households)
    moved = sum(1 for members in g.households if guests & set(members))
    broken = split_households(g, rows) + unjoined_households(fam, x)
    return 1000 * crossings + HOUSEHOLD_COST * broken + 90 * moved + 0.3 * spread + 0.2 * sum(
        abs(s[0][0] - s[1][0]) for _, s in segments) + 0.15 * sum(
        abs(x[a] - x[b]) for r in g.relationships for a, b in [r.between]) + 0.05 * (
        max(x.values(), default=0) - min(x.values(), default=0))


def split_households(g: Genogram, rows: list[list[str]]) -> int:
    """How many extra runs households break into because someone else sits between."""
    extra = 0
    for members in g.households:
        inside = set(members)
        for row in rows:
            flags = [p in inside for p in row]
            runs = sum(1 for k, f in enumerate(flags) if f and (k == 0 or not flags[k - 1]))
            extra += max(0, runs - 1)
    return extra


def unjoined_households(fam: Family, x: dict[str, float]) -> int:
    """How many households cannot be one outline with at most one step between each two
    rows of members: the rows' spans share too little, or someone sits in the rows
    between them under both spans."""
    gen, widths = fam.gen, fam.widths
    count = 0
    for members in fam.g.households:
        spans: dict[int, tuple[float, float]] = {}
        for m in members:
            lo, hi = spans.get(gen[m], (x[m], x[m]))
            spans[gen[m]] = (min(lo, x[m] - widths[m] / 2), max(hi, x[m] + widths[m] / 2))
        rows = sorted(spans)
        for upper, lower in zip(rows, rows[1:], strict=False):
            (a, b), (c, d) = spans[upper], spans[lower]
            if min(b, d) - max(a, c) < 32 or lower - upper > 1 and all(any(
                    gen[p] in range(upper + 1, lower) and p not in members
                    and x[p] + widths[p] / 2 > lo and x[p] - widths[p] / 2 < hi for p in x)
                    for lo, hi in ((a, b), (c, d))):
                count += 1
    return count


def union_geometry(g: Genogram, layout: Layout, union_label: dict[int, str]) -> list[UnionGeometry]:
    """Union lines, sibling bars (staggered only where two would overlap) and descent lines."""
    x, y, gen = layout.x, layout.y, layout.generation
    people = {p.id: p for p in g.people}
    position = {p: i for row in layout.rows for i, p in enumerate(row)}
    result = []
    for i, union in enumerate(g.unions):
        a, b = sorted(union.partners, key=lambda p: x[p])
        adjacent = gen[a] == gen[b] and abs(position[a] - position[b]) == 1
        geo = UnionGeometry(i, a, b, y[a], x[a], x[b], adjacent)
        geo.line_y = y[a] if adjacent else y[a] + APART_LINE
        if union_label.get(i) and adjacent:
            w = text_width(union_label[i], YEAR_SIZE)
            geo.label_box = Box("label", f"union{i}", geo.mid - w / 2, geo.y - 8 - YEAR_SIZE, w,
                                YEAR_SIZE + 2)
        result.append(geo)
    taken: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for geo in sorted(result, key=lambda u: (u.mid, u.index)):
        kids = g.unions[geo.index].children
        if not kids:
            continue
        xs = [x[k] for k in kids] + [geo.mid]
        span = (min(xs), max(xs))
        for n, height in enumerate(BAR_LEVELS):
            used = taken.setdefault((gen[geo.left], n), [])
            if all(span[1] + 8 < lo or span[0] - 8 > hi for lo, hi in used) or n == len(BAR_LEVELS) - 1:
                used.append(span)
                geo.bar_y = geo.y + height
                break
        geo.descent = [((geo.mid, geo.line_y), (geo.mid, geo.bar_y))]
        if span[1] > span[0]:
            geo.descent.append(((span[0], geo.bar_y), (span[1], geo.bar_y)))
        twin_of = {k: group for group in g.unions[geo.index].twins for k in group.children}
        for kid in kids:
            top = y[kid] - symbol_half(people[kid], kid == g.index)
            group = twin_of.get(kid)
            start = (sum(x[k] for k in group.children) / len(group.children), geo.bar_y) \
                if group else (x[kid], geo.bar_y)  # twins: lines from one point on the bar
            geo.child_line[kid] = (start, (x[kid], top))
            geo.descent.append(geo.child_line[kid])
        for group in g.unions[geo.index].twins:
            if group.identical:  # a bar joining the twins' lines halfway down
                ends = [geo.child_line[k] for k in (group.children[0], group.children[-1])]
                geo.twin_bars.append(tuple(  # type: ignore[arg-type]
                    (a[0] + (b[0] - a[0]) / 2, a[1] + (b[1] - a[1]) / 2) for a, b in ends))
    return result


def person_boxes(g: Genogram, layout: Layout) -> list[Box]:
    """Each person's symbol, name and year labels as rectangles."""
    boxes = []
    for person in g.people:
        pid, cx, cy = person.id, layout.x[person.id], layout.y[person.id]
        half = symbol_half(person, pid == g.index)
        boxes.append(Box("symbol", pid, cx - half, cy - half, 2 * half, 2 * half))
        lines = layout.labels[pid]
        label_w = max(text_width(line) for line in lines)
        boxes.append(Box("label", pid, cx - label_w / 2, cy + LABEL_TOP, label_w,
                         FONT_SIZE * (1 + LINE_HEIGHT * (len(lines) - 1)) + 3))
        year_top = cy - SYMBOL / 2 - 6 - YEAR_SIZE - (5 if pid == g.index else 0)
        if person.born:
            w = text_width(str(person.born.year), YEAR_SIZE)
            boxes.append(Box("label", f"{pid}:born", cx - 4 - w, year_top, w, YEAR_SIZE + 2))
        if person.died:
            w = text_width(str(person.died.year), YEAR_SIZE)
            boxes.append(Box("label", f"{pid}:died", cx + 4, year_top, w, YEAR_SIZE + 2))
    return boxes
