"""Place the people of a genogram: one row per generation, partners side by side,
children under their parents' union line, oldest on the left.

Every row is packed with minimum gaps between neighbours (pool-adjacent-violators, so
positions stay as close as possible to where family ties pull them), which makes
overlapping symbols or labels impossible by construction; the tests check it anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.diagrams.model import Genogram, Person
from toolkit.diagrams.svg import FONT_SIZE, LINE_HEIGHT, Box, text_width, wrap

SYMBOL = 40.0  # width and height of a person's symbol
ROW_PITCH = 150.0  # vertical distance between generations
GAP = 18.0  # minimum gap between neighbours' boxes
MARGIN = 24.0
YEAR_SIZE = 11.0
LABEL_CHARS = 16
LABEL_TOP = SYMBOL / 2 + 8  # first baseline below the symbol centre is this + FONT_SIZE
BAR_LEVELS = (84.0, 96.0, 108.0)  # sibling bar heights below the parents' centre


@dataclass
class UnionGeometry:
    index: int
    left: str
    right: str
    y: float
    x1: float
    x2: float
    adjacent: bool
    bar_y: float = 0.0
    label_box: Box | None = None

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
    return gen


def symbol_half(person: Person, index: bool) -> float:
    half = 8.0 if person.miscarriage else SYMBOL / 2
    return half + (5.0 if index else 0.0)


def person_width(label_lines: list[str]) -> float:
    """A slot wide enough for the symbol with both years above it, and the name below."""
    return max(SYMBOL + 2 * (4 + text_width("0000", YEAR_SIZE)) + 4,
               max(text_width(line) for line in label_lines))


def pack(desired: list[float], gaps: list[float]) -> list[float]:
    """Positions in the given order, each at least `gaps[i]` after the previous, as near
    as possible (least squares) to `desired`: isotonic regression on shifted targets."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [mean, count]
    for target in (d - o for d, o in zip(desired, offsets, strict=True)):
        blocks.append([target, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, n2 = blocks.pop()
            mean1, n1 = blocks.pop()
            blocks.append([(mean1 * n1 + mean2 * n2) / (n1 + n2), n1 + n2])
    values = [mean for mean, count in blocks for _ in range(int(count))]
    return [v + o for v, o in zip(values, offsets, strict=True)]


def _components(row: list[str], partners: dict[str, list[tuple[int, str]]]) -> list[list[str]]:
    """Couples (and chains of partnerships) in a row, each as a left-to-right chain."""
    in_row, seen, chains = set(row), set(), []
    for start in row:
        if start in seen:
            continue
        group, todo = [], [start]
        while todo:
            person = todo.pop()
            if person in seen:
                continue
            seen.add(person)
            group.append(person)
            todo.extend(o for _, o in partners.get(person, []) if o in in_row)
        ends = [p for p in group if sum(o in in_row for _, o in partners.get(p, [])) <= 1]
        first = min(ends or group, key=lambda p: (min((u for u, _ in partners.get(p, [])),
                                                      default=0), row.index(p)))
        chain, stack, visited = [], [first], set()
        while stack:
            person = stack.pop()
            if person in visited:
                continue
            visited.add(person)
            chain.append(person)
            nexts = sorted((u, o) for u, o in partners.get(person, []) if o in in_row)
            stack.extend(o for _, o in reversed(nexts))
        chains.append(chain)
    return chains


def place_people(g: Genogram) -> Layout:
    gen = generations(g)
    people = {p.id: p for p in g.people}
    order = {p.id: i for i, p in enumerate(g.people)}
    partners: dict[str, list[tuple[int, str]]] = {}
    parent_union: dict[str, int] = {}
    for i, union in enumerate(g.unions):
        a, b = union.partners
        partners.setdefault(a, []).append((i, b))
        partners.setdefault(b, []).append((i, a))
        for kid in union.children:
            parent_union[kid] = i
    sibling_rank = {k: r for u in g.unions for r, k in enumerate(
        sorted(u.children, key=lambda k: people[k].born.sort_key)  # type: ignore[union-attr]
        if all(people[k].born for k in u.children) else u.children)}
    labels = {p.id: wrap(p.label, LABEL_CHARS) for p in g.people}
    widths = {pid: person_width(lines) for pid, lines in labels.items()}
    union_label = {i: _since_text(u.status, u.since) for i, u in enumerate(g.unions)}
    depth = max(gen.values(), default=0)
    rows: list[list[str]] = [[] for _ in range(depth + 1)]
    for p in g.people:
        rows[gen[p.id]].append(p.id)
    x: dict[str, float] = {}

    def union_mid(i: int) -> float:
        a, b = g.unions[i].partners
        return (x[a] + x[b]) / 2

    def gaps_for(row: list[str]) -> list[float]:
        result = []
        for a, b in zip(row, row[1:], strict=False):
            gap = (widths[a] + widths[b]) / 2 + GAP
            shared = [u for u, o in partners.get(a, []) if o == b]
            if shared:  # keep the midpoint clear of both names, with room for the union label
                gap = max(gap, max(widths[a], widths[b]) + GAP,
                          SYMBOL + 16 + text_width(union_label[shared[0]], YEAR_SIZE))
            result.append(gap)
        return result

    def place_row(level: int, chains: list[list[str]], shift: dict[str, float]) -> None:
        row = [p for chain in chains for p in chain]
        rows[level] = row
        gaps = gaps_for(row)
        if level == 0 and not x:
            desired = [sum(gaps[:i]) for i in range(len(row))]
        else:
            desired = [x.get(p, 0.0) + shift.get(p, 0.0) for p in row]
        for p, value in zip(row, pack(desired, gaps), strict=True):
            x[p] = value

    def chains_top_down(level: int) -> list[list[str]]:
        chains = _components(rows[level], partners)
        if level == 0:
            return chains

        def key(chain: list[str]) -> tuple[float, int, int]:
            parented = [p for p in chain if p in parent_union and parent_union[p] in ranked]
            if not parented:
                return (float("inf"), 0, min(order[p] for p in chain))
            first = min(parented, key=lambda p: (union_mid(parent_union[p]), sibling_rank[p]))
            return (union_mid(parent_union[first]), sibling_rank[first], order[first])
        ranked = {i for i, u in enumerate(g.unions) if all(p in x for p in u.partners)}
        return sorted(chains, key=key)

    def top_down(pass_no: int) -> None:
        for level in range(depth + 1):
            chains = chains_top_down(level) if pass_no == 0 else _resorted(level)
            shift: dict[str, float] = {}
            if level > 0:
                for chain in chains:
                    targets = [(p, _target(p)) for p in chain if _target(p) is not None]
                    if pass_no == 0:
                        for p in chain:
                            x.setdefault(p, 0.0)
                        row_gaps = gaps_for(chain)
                        offsets = [sum(row_gaps[:i]) for i in range(len(chain))]
                        for p, off in zip(chain, offsets, strict=True):
                            x[p] = off
                    if targets:
                        delta = sum(t - x[p] for p, t in targets) / len(targets)
                        for p in chain:
                            shift[p] = delta
            place_row(level, chains, shift)

    def _resorted(level: int) -> list[list[str]]:
        """Chains reordered by their parents' current positions (after any flips above)."""
        chains = _chains_of(rows[level])
        if level == 0:
            return chains

        def key(chain: list[str]) -> tuple[float, int, float]:
            parented = [p for p in chain if p in parent_union]
            if not parented:
                return (float("inf"), 0, x[chain[0]])
            first = min(parented, key=lambda p: (union_mid(parent_union[p]), sibling_rank[p]))
            return (union_mid(parent_union[first]), sibling_rank[first], x[chain[0]])
        return sorted(chains, key=key)

    def _target(p: str) -> float | None:
        if p not in parent_union:
            return None
        u = g.unions[parent_union[p]]
        if not all(q in x for q in u.partners) or gen[u.partners[0]] >= gen[p]:
            return None
        siblings = _sorted_children(parent_union[p])
        spread = sum(widths[s] + GAP for s in siblings) - GAP
        offset = -spread / 2
        for s in siblings:
            if s == p:
                return union_mid(parent_union[p]) + offset + widths[s] / 2
            offset += widths[s] + GAP
        return None

    def _sorted_children(i: int) -> list[str]:
        return sorted(g.unions[i].children, key=lambda k: sibling_rank[k])

    chain_of: dict[str, list[str]] = {}

    def _chains_of(row: list[str]) -> list[list[str]]:
        seen, result = set(), []
        for p in row:
            chain = chain_of[p]
            if chain[0] not in seen:
                seen.add(chain[0])
                result.append([q for q in row if chain_of[q] is chain])
        return result

    def bottom_up() -> None:
        for level in range(depth - 1, -1, -1):
            shift: dict[str, float] = {}
            for chain in _chains_of(rows[level]):
                pulls = [sum(x[k] for k in u.children) / len(u.children) - union_mid(i)
                         for i, u in enumerate(g.unions)
                         if u.children and u.partners[0] in chain and u.partners[1] in chain]
                if pulls:
                    for p in chain:
                        shift[p] = sum(pulls) / len(pulls)
            place_row(level, _chains_of(rows[level]), shift)

    top_down(0)
    for level in range(depth + 1):
        for chain in _components(rows[level], partners):
            for p in chain:
                chain_of[p] = chain
    _orient(rows, chain_of, x, _target, place_row, _chains_of)
    top_down(1)
    bottom_up()
    top_down(1)
    return _finish(g, gen, rows, x, labels, widths, partners, union_label)


def _orient(rows, chain_of, x, target, place_row, chains_of) -> None:  # noqa: ANN001
    """Flip a couple (or chain) when that brings its members nearer their parents."""
    for level, row in enumerate(rows):
        if level == 0:
            continue
        for chain in chains_of(row):
            if len(chain) < 2:
                continue
            xs = [x[p] for p in chain]
            cost = sum((x[p] - t) ** 2 for p in chain if (t := target(p)) is not None)
            flipped = sum((xs[len(chain) - 1 - i] - t) ** 2 for i, p in enumerate(chain)
                          if (t := target(p)) is not None)
            if flipped + 1e-6 < cost:
                for i, p in enumerate(chain):
                    x[p] = xs[len(chain) - 1 - i]
                chain.reverse()
        new_row = [p for chain in chains_of(row) for p in sorted(chain, key=lambda q: x[q])]
        rows[level][:] = sorted(new_row, key=lambda q: x[q])
        place_row(level, chains_of(rows[level]), {})


def _since_text(status: str, since: object) -> str:
    if since is None:
        return ""
    year = getattr(since, "year", since)
    word = {"separated": "sep.", "divorced": "div.", "engaged": "eng."}.get(status, "m." if
                                                                          status == "married"
                                                                          else "since")
    return f"{word} {year}"


def _finish(g, gen, rows, x, labels, widths, partners, union_label) -> Layout:  # noqa: ANN001
    """Normalise positions, then compute boxes, union lines and sibling bar heights."""
    left = min((x[p] - widths[p] / 2 for p in x), default=0.0)
    for p in x:
        x[p] += MARGIN - left
    y = {p: MARGIN + 40 + SYMBOL / 2 + gen[p] * ROW_PITCH for p in x}
    layout = Layout(x, y, gen, rows, labels, [], widths=widths)
    for person in g.people:
        pid, cx, cy = person.id, x[person.id], y[person.id]
        half = symbol_half(person, person.id == g.index)
        layout.boxes.append(Box("symbol", pid, cx - half, cy - half, 2 * half, 2 * half))
        lines = labels[pid]
        label_w = max(text_width(line) for line in lines)
        top = cy + LABEL_TOP
        layout.boxes.append(Box("label", pid, cx - label_w / 2, top, label_w,
                                FONT_SIZE * (1 + LINE_HEIGHT * (len(lines) - 1)) + 3))
        year_top = cy - SYMBOL / 2 - 6 - YEAR_SIZE - (5 if pid == g.index else 0)
        if person.born:
            w = text_width(str(person.born.year), YEAR_SIZE)
            layout.boxes.append(Box("label", f"{pid}:born", cx - 4 - w, year_top, w, YEAR_SIZE + 2))
        if person.died:
            w = text_width(str(person.died.year), YEAR_SIZE)
            layout.boxes.append(Box("label", f"{pid}:died", cx + 4, year_top, w, YEAR_SIZE + 2))
    position = {p: i for row in rows for i, p in enumerate(row)}
    for i, union in enumerate(g.unions):
        a, b = sorted(union.partners, key=lambda p: x[p])
        adjacent = gen[a] == gen[b] and abs(position[a] - position[b]) == 1
        geo = UnionGeometry(i, a, b, y[a], x[a], x[b], adjacent)
        if union_label[i] and adjacent:
            w = text_width(union_label[i], YEAR_SIZE)
            geo.label_box = Box("label", f"union{i}", geo.mid - w / 2, geo.y - 8 - YEAR_SIZE, w,
                                YEAR_SIZE + 2)
            layout.boxes.append(geo.label_box)
        layout.unions.append(geo)
    taken: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for geo in sorted(layout.unions, key=lambda u: u.mid):
        kids = g.unions[geo.index].children
        if not kids:
            continue
        span = (min([geo.mid] + [x[k] for k in kids]), max([geo.mid] + [x[k] for k in kids]))
        level = gen[geo.left]
        for n, height in enumerate(BAR_LEVELS):
            used = taken.setdefault((level, n), [])
            if all(span[1] + 6 < lo or span[0] - 6 > hi for lo, hi in used) or n == 2:
                used.append(span)
                geo.bar_y = geo.y + height
                break
    layout.width = max((b.x + b.w for b in layout.boxes), default=0.0) + MARGIN
    layout.height = max((b.y + b.h for b in layout.boxes), default=0.0) + MARGIN
    return layout
