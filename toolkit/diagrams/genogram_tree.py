"""Place a genogram's people as nested family blocks, so lines of descent never cross.

A *unit* is a chain of partners in one row (someone with two partnerships sits between
them). A unit hangs under the union of its *primary* member's parents; every union's
children form one group, centred under that union's line. Blocks are packed side by side
by their per-row contours (Reingold–Tilford style), with each sibling bar as a contour of
its own between the rows, so two unions' descent lines cannot interleave by construction.
A second member with parents elsewhere (a partner's own family) is a *linked* child: the
root block of their parents is placed beside the block they sit in. A child who lives with
people other than their parents (kinship care, a step-parent) may be a *guest*: placed in
the group under the union of the people they live with, with the rows between kept empty
above them, so their household can be drawn as one outline with at most one step; their
own line of descent still runs from their parents' sibling bar.
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
    hosts: dict[str, int] = field(default_factory=dict)  # possible guest -> union they live under
    home_with: dict[str, set[str]] = field(default_factory=dict)  # person -> who they live with

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
    home = {m: n for n, members in enumerate(g.households) for m in members}
    for kids in child_units.values():
        kids.sort(key=rank)
        # oldest first, but children living together kept side by side
        first = {}
        for k in kids:
            first.setdefault(home.get(primary[k], -1 - k), k)  # type: ignore[arg-type]
        order = {k: n for n, k in enumerate(kids)}
        kids.sort(key=lambda k: order[first[home.get(primary[k], -1 - k)]])  # type: ignore[arg-type]
    roots = [n for n, p in primary.items() if p is None]
    return Family(g, gen, widths, pair_gap, units, unit_of, primary, unions_of, child_units,
                  parent_union, roots, _hosts(g, gen, unit_of, primary, parent_union),
                  {p.id: {m for h in g.households if p.id in h for m in h} for p in g.people})


def _hosts(g: Genogram, gen: dict[str, int], unit_of: dict[str, int],
           primary: dict[int, str | None], parent_union: dict[str, int]) -> dict[str, int]:
    """For each child living in a household without both parents, the union of the
    household's members they could sit under: a step-parent's union with their parent
    (both partners at home), or, living with neither parent, the union of whoever they
    live with (both partners at home before one), the nearest row above first."""
    hosts: dict[str, int] = {}
    for members in g.households:
        inside = set(members)
        for p in members:
            if p in hosts or p not in parent_union or primary[unit_of[p]] != p:
                continue
            parents = set(g.unions[parent_union[p]].partners)
            if parents <= inside:
                continue
            options = [(-len(inside & set(u.partners)), -gen[u.partners[0]], i)
                       for i, u in enumerate(g.unions)
                       if i != parent_union[p] and gen[u.partners[0]] < gen[p]
                       and (set(u.partners) <= inside if parents & inside else inside & set(u.partners))]
            if options:
                hosts[p] = min(options)[2]
    return hosts


def child_group(fam: Family, union: int, guests: frozenset[str],
                pos: dict[str, int] | None = None, flips: frozenset[int] = frozenset()) -> list[int]:
    """The units placed under a union: its children, less those placed as guests
    elsewhere, and the guests it hosts: beside a sibling who is their parent, on the side
    where that parent's union with the guest's other parent sits (else the side nearer the
    middle, under the hosts' line), or at the end nearer a parent who is one of the hosts
    (a step-family), else first."""
    kids = [k for k in fam.child_units.get(union, []) if fam.primary[k] not in guests]
    hosts = fam.g.unions[union].partners
    places: list[tuple[int, int]] = []  # (where among the children, guest's unit)
    for p in sorted(q for q in guests if fam.hosts.get(q) == union):
        parents = set(fam.g.unions[fam.parent_union[p]].partners)
        at = next((n for n, k in enumerate(kids) if parents & set(fam.units[k])), None)
        shared = [h for h in hosts if h in parents]
        if at is not None:
            chain = fam.units[kids[at]][::-1] if kids[at] in flips else fam.units[kids[at]]
            ends = [chain.index(q) for q in parents if q in chain]
            if len(ends) == 2 and ends[0] + ends[1] != len(chain) - 1:  # the side of their
                at = at + 1 if ends[0] + ends[1] > len(chain) - 1 else at  # parents' union line
            else:
                at = at + 1 if 2 * at + 1 < len(kids) else at
        elif shared and pos is not None:
            other = next(h for h in hosts if h != shared[0])
            at = 0 if pos[shared[0]] < pos[other] else len(kids)
        places.append((at or 0, fam.unit_of[p]))
    for at, unit in sorted(places, reverse=True):  # oldest first within one place
        kids.insert(at, unit)
    return kids


def _centre(fam: Family, union: int, kids: list[int], group: Block, xs: list[float],
            gaps: list[float], pos: dict[str, int]) -> float:
    """Where a union's line goes over its group: over the middle of the children, or,
    when some have left home, over those at home, and moved just enough to bring a
    partner they live with alone over them (so a household's rows overlap)."""
    partners = fam.g.unions[union].partners
    at_home = [k for k in kids if fam.home_with.get(fam.primary[k], set()) & set(partners)]  # type: ignore[arg-type]
    if not at_home:
        return (min(xs) + max(xs)) / 2
    home_xs = [group.x[fam.primary[k]] for k in at_home]  # type: ignore[index]
    carers = {q for k in at_home for q in partners if q in fam.home_with[fam.primary[k]]}  # type: ignore[index]
    along = [sum(gaps[:n]) for n in range(len(gaps) + 1)]
    mid = (along[pos[partners[0]]] + along[pos[partners[1]]]) / 2
    if len(carers) != 1:
        return (min(home_xs) + max(home_xs)) / 2
    centre = (min(xs) + max(xs)) / 2  # then moved just enough to bring the parent over them
    carer = centre + along[pos[carers.pop()]] - mid
    return centre + min(max(carer, min(home_xs)), max(home_xs)) - carer


def place_unit(fam: Family, unit: int, flips: frozenset[int],
               guests: frozenset[str] = frozenset()) -> Block:
    """The unit's row with every group of descendants below it (recursive); a guest's
    block keeps its column clear in the rows between its hosts and itself."""
    chain = fam.units[unit][::-1] if unit in flips else fam.units[unit]
    pos = {p: i for i, p in enumerate(chain)}
    gaps = []
    for a, b in zip(chain, chain[1:], strict=False):
        shared = [u for u in fam.unions_of.get(unit, []) if set(fam.g.unions[u].partners) == {a, b}]
        gaps.append(max([(fam.widths[a] + fam.widths[b]) / 2 + GAP]
                        + [fam.pair_gap[u] for u in shared]))
    below = {u: child_group(fam, u, guests, pos, flips) for u in fam.unions_of.get(unit, [])}
    unions = sorted((u for u, kids in below.items() if kids),
                    key=lambda u: (sum(pos[p] for p in fam.g.unions[u].partners), u))
    groups, centres, kids_at = [], [], []
    for u in unions:
        blocks = [place_unit(fam, k, flips, guests) for k in below[u]]
        for k, block in zip(below[u], blocks, strict=True):
            if fam.primary[k] in guests:
                top = fam.gen[fam.primary[k]]  # type: ignore[index]
                for level in range(fam.gen[chain[0]] + 1, top):
                    block.extend(level, block.left[top], block.right[top])
        group = Block()
        for block, dx in zip(blocks, pack(blocks), strict=True):
            group.add(block, dx)
        xs = [group.x[fam.primary[k]] for k in below[u]]  # type: ignore[index]
        groups.append(group)
        kids_at.append(xs)
        centres.append(_centre(fam, u, below[u], group, xs, gaps, pos))
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


def place(fam: Family, flips: frozenset[int], roots: list[int],
          guests: frozenset[str] = frozenset()) -> dict[str, float]:
    """Every person's x for one choice of chain orientations, root order and guests. A
    root that holds a partner's parents then slides, as far as its neighbours allow, to
    sit above that partner (the parent they live with right above them)."""
    blocks = [place_unit(fam, r, flips, guests) for r in roots]
    offsets = pack(blocks)
    x = _merged(blocks, offsets).x
    for person, union in fam.linked:
        owner = fam.unit_of[fam.g.unions[union].partners[0]]
        if owner not in roots or person not in x:
            continue
        i = roots.index(owner)
        a, b = fam.g.unions[union].partners
        home = [q for q in (a, b) if q in fam.home_with.get(person, ())]
        over = x[home[0]] if len(home) == 1 else (x[a] + x[b]) / 2  # the parent they live with
        want = offsets[i] + x[person] - over
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
