"""Installed extensions: Python packages that add page kinds, diagram types or problem codes.

An extension names a module under the entry-point group below; importing it registers its
records (`toolkit.content.kinds.register_kind`, `toolkit.diagram_types.register_diagram_type`,
`toolkit.core.problem_codes.register_code`, and on the Sphinx side any builder part it needs). Both
the `toolkit` command and the Sphinx process load them, so each sees the same registries. Unlike
a content pack (whose code never runs), an extension is code: only a web team installs one.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points

ENTRY_POINT_GROUP = "practice_leadership_toolkit.extensions"


@lru_cache(maxsize=1)
def load_extensions() -> tuple[str, ...]:
    """Import every installed extension once, by name; returns their names."""
    points = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda point: point.name)
    for point in points:
        point.load()
    return tuple(point.name for point in points)
