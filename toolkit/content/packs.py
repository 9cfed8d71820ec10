"""Content packs: installed Python packages that provide a content root, named "@name" in `content:`.

A regional partnership publishes its baseline as a package with its own version; each council
installs it and layers `["@toolkit", "@westmids", local]`. A pack declares itself with an entry
point in the group below whose value names a package: that package's folder is the root, laid
out as every root is (pages anywhere, `frameworks/`, `vocabularies/`). The folder is found
without importing the package, so a pack runs no code and can never supply configuration.
"""

from __future__ import annotations

import difflib
import importlib.util
from importlib.metadata import entry_points
from pathlib import Path

from toolkit.content.model import Settings
from toolkit.content.shipped import CONTENT

ENTRY_POINT_GROUP = "practice_leadership_toolkit.content"
TOOLKIT_PACK = "toolkit"      # "@toolkit": the content shipped with the toolkit itself

_resolved: dict[str, Path] = {TOOLKIT_PACK: CONTENT}   # every pack this process has used


class PackNotFound(ValueError):
    """A "@name" root that no installed package provides; `hint` says what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def installed_packs() -> dict[str, str]:
    """Pack name -> the entry point's value, for every installed pack (the toolkit's own first)."""
    found = {TOOLKIT_PACK: "toolkit"}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(point.name, point.value)
    return found


def pack_root(name: str) -> Path:
    """The content root of the pack written "@name"; PackNotFound when it cannot be used."""
    if name in _resolved:
        return _resolved[name]
    packs = installed_packs()
    if name not in packs:
        close = difflib.get_close_matches(name, packs, n=1)
        suggestion = f"; did you mean '@{close[0]}'?" if close else ""
        listed = ", ".join(f"@{pack}" for pack in sorted(packs))
        raise PackNotFound(f"content root '@{name}' is not an installed content pack{suggestion}",
                           f"install the pack into this Python environment (pip install ...) or fix "
                           f"the name; installed packs: {listed}")
    value = packs[name]
    try:
        spec = importlib.util.find_spec(value)
    except (ImportError, ValueError):
        spec = None
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if ":" in value or not folders or not Path(folders[0]).is_dir():
        raise PackNotFound(f"the content pack '@{name}' names '{value}', which is not an installed "
                           "package folder", f"the pack's entry point in the group {ENTRY_POINT_GROUP} "
                           "must name a package (a folder with __init__.py): ask the pack's maintainers")
    root = Path(folders[0]).resolve()
    _resolved[name] = root
    return root


def is_local_root(root: Path, settings: Settings) -> bool:
    """A root of the organisation's own (a folder), not the shipped content or an installed pack."""
    return root != settings.toolkit_root and pack_of(root) is None


def pack_of(path: Path) -> tuple[str, Path] | None:
    """The pack (name, root) a resolved file belongs to, among the packs used so far."""
    for name, root in _resolved.items():
        if path.is_relative_to(root):
            return name, root
    return None
