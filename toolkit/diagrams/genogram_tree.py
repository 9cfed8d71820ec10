"""Place a genogram's people as nested family blocks, so lines of descent never cross.

A *unit* is a chain of partners in one row (someone with two partnerships sits between
them). A unit hangs under the union of its *primary* member's parents; every union's
children form one group, centred under that union's line. Blocks are packed side by side
by their per-row contours (Reingold–Tilford style), with each sibling bar as a contour of
its own between the rows, so two unions' descent lines cannot interleave by construction.
A second member with parents elsewhere (a partner's own family) is a *linked* child: the
root block of their parents is placed beside the block they sit in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.diagrams.model import Genogram

GAP = 18.0  # between neighbouring people's slots
BAR_GAP = 22.0  # between two sibling bars at the same height


@dataclass
class Block:
    """People placed relative to each other; `left`/`right` give each level's extent
    (a generation, or generation + 0.5 for the sibling bars below it)."""

    x: dict[str, float] = field(default_factory=dict)
    left: dict[float, float] = field(default_factory=dict)
    right: dict[float, float] = field(default_factory=dict)

    def add(self, other: Block, dx: float) -> None:
        self.x.update({p: v + dx for p, v in other.x.items()})
        for level, v in other.left.items():
            self.left[level] = min(self.left.get(level, v + dx), v + dx)
        for level, v in other.right.items():
            self.right[level] = max(self.right.get(level, v + dx), v + dx)

    def extend(self, level: float, lo: float, hi: float) -> None:
        self.left[level] = min(self.left.get(level, lo), lo)
        self.right[level] = max(self.right.get(level, hi), hi)


def pack(blocks: list[Block]) -> list[float]:
    """Offsets placing each block just right of everything before it, level by level."""
    merged, offsets = Block(), []
    for block in blocks:
        room = _room(merged, block, left=True)
        dx = room if room > -1e8 else 0.0
        offsets.append(dx)
        merged.add(block, dx)
    return offsets


@dataclass
class Family:
    """The genogram's structure as units, for placing."""

    g: Genogram
    gen: dict[str, int]
    widths: dict[str, float]
    pair_gap: dict[int, float]  # minimum distance between the partners of each union
    units: list[list[str]]
    unit_of: dict[str, int]
    primary: dict[int, str | None]
    unions_of: dict[int, list[int]]  # unit -> its unions
    child_units: dict[int, list[int]]  # union -> units hanging below it, oldest first
    parent_union: dict[str, int]
    roots: list[int]  # units with no primary member, in the file's order

    @property
    def linked(self) -> list[tuple[str, int]]:
        """(person, their parents' union) for members placed beside a partner, not under
        their own parents."""
        return [(p, self.parent_union[p]) for unit, chain in enumerate(self.units)
                for p in chain if p in self.parent_union and self.primary[unit] != p]


def chains(row: list[str], partners: dict[str, list[tuple[int, str]]]) -> list[list[str]]:
    """Partnership chains in a row, each in order from one end (depth first)."""
    in_row, seen, result = set(row), set(), []
    for start in row:
        if start in seen:
            continue
        group, todo = [], [start]
        while todo:
            person = todo.pop()
            if person not in seen:
                seen.add(person)
                group.append(person)
                todo.extend(o for _, o in partners.get(person, []) if o in in_row)
        ends = [p for p in group if len({o for _, o in partners.get(p, []) if o in in_row}) <= 1]
        first = min(ends or group, key=row.index)
        chain, stack = [], [first]
        while stack:
            person = stack.pop()
            if person not in chain:
                chain.append(person)
                nexts = sorted((u, o) for u, o in partners.get(person, []) if o in in_row)
                stack.extend(o for _, o in reversed(nexts))
        result.append(chain)
    return result


def build_family(g: Genogram, gen: dict[str, int], widths: dict[str, float],
                 pair_gap: dict[int, float]) -> Family:
    order = {p.id: i for i, p in enumerate(g.people)}
    born = {p.id: p.born for p in g.people}
    partners: dict[str, list[tuple[int, str]]] = {}
    parent_union: dict[str, int] = {}
    for i, union in enumerate(g.unions):
        a, b = union.partners
        if gen[a] == gen[b]:
            partners.setdefault(a, []).append((i, b))
            partners.setdefault(b, []).append((i, a))
        for kid in union.children:
            parent_union[kid] = i
    rows: dict[int, list[str]] = {}
    for p in g.people:
        rows.setdefault(gen[p.id], []).append(p.id)
    units = [c for level in sorted(rows) for c in chains(rows[level], partners)]
    unit_of = {p: n for n, chain in enumerate(units) for p in chain}
    primary = {n: next((p for p in sorted(chain, key=order.get) if p in parent_union), None)
               for n, chain in enumerate(units)}
    unions_of: dict[int, list[int]] = {}
    for i, union in enumerate(g.unions):
        unions_of.setdefault(unit_of[union.partners[0]], []).append(i)

    first_twin = {k: t.children[0] for u in g.unions for t in u.twins for k in t.children}

    def rank(unit: int) -> tuple[int, int, int, int]:
        """Oldest first; twins side by side, in the order their group lists them."""
        p = primary[unit] or units[unit][0]
        kids = g.unions[parent_union[p]].children
        lead = first_twin.get(p, p)
        if all(born[k] for k in kids):
            return (*born[lead].sort_key[:2], kids.index(lead), kids.index(p))  # type: ignore[union-attr]
        return (0, 0, kids.index(lead), kids.index(p))

    child_units: dict[int, list[int]] = {}
    for unit, p in primary.items():
        if p is not None:
            child_units.setdefault(parent_union[p], []).append(unit)
    for kids in child_units.values():
        kids.sort(key=rank)
    roots = [n for n, p in primary.items() if p is None]
    return Family(g, gen, widths, pair_gap, units, unit_of, primary, unions_of, child_units,
                  parent_union, roots)


def place_unit(fam: Family, unit: int, flips: frozenset[int]) -> Block:
    """The unit's row with every group of descendants below it (recursive)."""
    chain = fam.units[unit][::-1] if unit in flips else fam.units[unit]
    pos = {p: i for i, p in enumerate(chain)}
    gaps = []
    for a, b in zip(chain, chain[1:], strict=False):
        shared = [u for u in fam.unions_of.get(unit, []) if set(fam.g.unions[u].partners) == {a, b}]
        gaps.append(max([(fam.widths[a] + fam.widths[b]) / 2 + GAP]
                        + [fam.pair_gap[u] for u in shared]))
    unions = sorted((u for u in fam.unions_of.get(unit, []) if fam.child_units.get(u)),
                    key=lambda u: (sum(pos[p] for p in fam.g.unions[u].partners), u))
    groups, centres, kids_at = [], [], []
    for u in unions:
        blocks = [place_unit(fam, k, flips) for k in fam.child_units[u]]
        group = Block()
        for block, dx in zip(blocks, pack(blocks), strict=True):
            group.add(block, dx)
        xs = [group.x[fam.primary[k]] for k in fam.child_units[u]]  # type: ignore[index]
        groups.append(group)
        kids_at.append(xs)
        centres.append((min(xs) + max(xs)) / 2)
    offsets = pack(groups)
    centres = [c + o for c, o in zip(centres, offsets, strict=True)]

    def xs_of() -> list[float]:
        out = [0.0]
        for gap in gaps:
            out.append(out[-1] + gap)
        return out

    def mid(u: int, xs: list[float]) -> float:
        a, b = fam.g.unions[u].partners
        return (xs[pos[a]] + xs[pos[b]]) / 2

    xs = xs_of()
    for _ in range(4 * len(unions)):  # until each union's line is centred over its children
        changed = False
        for k in range(1, len(unions)):
            have = mid(unions[k], xs) - mid(unions[k - 1], xs)
            need = centres[k] - centres[k - 1]
            if have < need - 0.01:
                widen = sorted({max(pos[p] for p in fam.g.unions[u].partners) - 1
                                for u in unions[k - 1:k + 1]})
                if len(widen) == 1:  # the same two partners twice: nothing to widen
                    continue
                for j in widen:  # both couples widen, so the shared partner stays central
                    gaps[j] += need - have
                xs, changed = xs_of(), True
            elif have > need + 0.01:
                for j in range(k, len(unions)):
                    offsets[j] += have - need
                    centres[j] += have - need
                changed = True
        if not changed:
            break
    shift = centres[0] - mid(unions[0], xs) if unions else 0.0
    block = Block()
    level = fam.gen[chain[0]]
    for p, x in zip(chain, xs, strict=True):
        block.x[p] = x + shift
    block.extend(level, xs[0] + shift - fam.widths[chain[0]] / 2,
                 xs[-1] + shift + fam.widths[chain[-1]] / 2)
    for u, group, dx, kids in zip(unions, groups, offsets, kids_at, strict=True):
        block.add(group, dx)
        m = mid(u, xs) + shift
        block.extend(level + 0.5, min([m] + [k + dx for k in kids]), max([m] + [k + dx for k in kids]))
    return block


def place(fam: Family, flips: frozenset[int], roots: list[int]) -> dict[str, float]:
    """Every person's x for one choice of chain orientations and root order. A root that
    holds a partner's parents then slides, as far as its neighbours allow, to sit above
    that partner."""
    blocks = [place_unit(fam, r, flips) for r in roots]
    offsets = pack(blocks)
    x = _merged(blocks, offsets).x
    for person, union in fam.linked:
        owner = fam.unit_of[fam.g.unions[union].partners[0]]
        if owner not in roots or person not in x:
            continue
        i = roots.index(owner)
        a, b = fam.g.unions[union].partners
        want = offsets[i] + x[person] - (x[a] + x[b]) / 2
        lo = _room(_merged(blocks[:i], offsets[:i]), blocks[i], left=True) if i else -1e9
        hi = _room(_merged(blocks[i + 1:], offsets[i + 1:]), blocks[i], left=False) \
            if i + 1 < len(blocks) else 1e9
        offsets[i] = min(max(want, lo), max(hi, lo))
        x = _merged(blocks, offsets).x
    return x


def _merged(blocks: list[Block], offsets: list[float]) -> Block:
    whole = Block()
    for block, dx in zip(blocks, offsets, strict=True):
        whole.add(block, dx)
    return whole


def _room(others: Block, block: Block, *, left: bool) -> float:
    """The smallest (others on the left) or largest offset keeping `block` clear of them."""
    shared = [lv for lv in block.left if lv in others.left]
    gap = {lv: GAP if lv == int(lv) else BAR_GAP for lv in shared}
    if left:
        return max((others.right[lv] - block.left[lv] + gap[lv] for lv in shared), default=-1e9)
    return min((others.left[lv] - block.right[lv] - gap[lv] for lv in shared), default=1e9)


def default_roots(fam: Family, flips: frozenset[int]) -> list[int]:
    """Roots in file order, each root holding a partner's parents moved beside the block
    where that partner sits, on their side of it."""
    order = list(fam.roots)
    tree_of: dict[int, int] = {}
    for root in fam.roots:
        todo = [root]
        while todo:
            unit = todo.pop()
            tree_of[unit] = root
            todo += [k for u in fam.unions_of.get(unit, []) for k in fam.child_units.get(u, [])]
    for person, union in fam.linked:
        parents_root = tree_of.get(fam.unit_of[fam.g.unions[union].partners[0]])
        target = tree_of.get(fam.unit_of[person])
        if parents_root is None or target is None or parents_root == target \
                or parents_root not in fam.roots or target not in order:
            continue
        block = place_unit(fam, target, flips)
        left_side = block.x[person] < (min(block.x.values()) + max(block.x.values())) / 2
        order.remove(parents_root)
        at = order.index(target)
        order.insert(at if left_side else at + 1, parents_root)
    return order
