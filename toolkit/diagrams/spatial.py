"""A coarse grid of buckets, so a line is tested only against the boxes and lines near it
instead of every one in the drawing (routing cost stays near linear in family size)."""

from __future__ import annotations

from typing import Generic, TypeVar

Item = TypeVar("Item")
CELL = 96.0  # about half a row's height: few items per bucket, few buckets per line


class GridIndex(Generic[Item]):
    """Items by the grid cells their bounding rectangle touches."""

    def __init__(self, cell: float = CELL) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.items: list[Item] = []

    def add(self, x0: float, y0: float, x1: float, y1: float, item: Item) -> None:
        n = len(self.items)
        self.items.append(item)
        c = self.cell
        for i in range(int(x0 // c), int(x1 // c) + 1):
            for j in range(int(y0 // c), int(y1 // c) + 1):
                self.cells.setdefault((i, j), []).append(n)

    def near(self, x0: float, y0: float, x1: float, y1: float) -> list[Item]:
        """Every item whose rectangle may meet this one, each once."""
        c, cells = self.cell, self.cells
        i0, i1, j0, j1 = int(x0 // c), int(x1 // c), int(y0 // c), int(y1 // c)
        if i0 == i1 and j0 == j1:
            return [self.items[n] for n in cells.get((i0, j0), ())]
        found: set[int] = set()
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                found.update(cells.get((i, j), ()))
        return [self.items[n] for n in found]
