"""The code's shape as the README describes it: no module of the toolkit imports one that imports
it back (import-linter checks the layers; this checks cycles inside them), and each package says
what it is for and what it may import."""

from __future__ import annotations

import importlib
import pkgutil

import grimp

import toolkit


def test_no_toolkit_module_is_in_an_import_cycle() -> None:
    graph = grimp.build_graph("toolkit")
    cycles = sorted({tuple(sorted((module, imported)))
                     for module in graph.modules
                     for imported in graph.find_modules_directly_imported_by(module)
                     if imported.startswith("toolkit.") and imported != module
                     and graph.find_shortest_chain(importer=imported, imported=module)})
    assert cycles == []


def test_each_package_says_its_room_and_what_it_may_import() -> None:
    packages = [name for _, name, is_package in pkgutil.iter_modules(toolkit.__path__, "toolkit.") if is_package
                and not name.startswith("toolkit._")]
    assert {"toolkit.core", "toolkit.content", "toolkit.diagrams", "toolkit.checks", "toolkit.site",
            "toolkit.commands"} <= set(packages)
    for name in packages:
        doc = importlib.import_module(name).__doc__ or ""
        assert "May import:" in doc, name
