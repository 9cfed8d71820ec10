"""The code's shape as the README describes it: no module of the toolkit imports one that imports
it back (import-linter checks the layers; this checks cycles inside them), and each package says
what it is for and what it may import."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import grimp

import toolkit
from tests.conftest import REPO


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


def _code_strings(path: Path) -> Iterator[tuple[int, str]]:
    """The string constants of a module's code (docstrings left out: they may name a value)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_literal_of_the_protocol_outside_its_module() -> None:
    """What the toolkit and the builder agree on is named once (toolkit/core/protocol.py): a value
    written again elsewhere would drift when one side changes it. Values that are also ordinary
    words ("go", "build", "pdf") are left out: they are checked by the builds that use them. Tests
    may spell a value out, as the reader's HTML or a process's environment has it."""
    import toolkit.core.protocol as protocol
    values = {value for name, value in vars(protocol).items() if name.isupper() and isinstance(value, str)
              and not value.isalpha()}
    assert {"TOOLKIT_MANIFEST", "toolkit-docs.json", "<!--toolkit-search-->", "term-"} <= values
    sources = [*(REPO / "toolkit").rglob("*.py"), *(REPO / "builder").rglob("*.py"), REPO / "conf.py"]
    found = [f"{path.relative_to(REPO)}:{line}: {text!r}" for path in sources if path.name != "protocol.py"
             for line, text in _code_strings(path)
             if text in values or any(value in text for value in values if len(value) > 8)]
    assert found == []
    templates = [path for path in (REPO / "builder").rglob("*") if path.suffix in (".html", ".js", ".css")
                 and any(value in path.read_text(encoding="utf-8") for value in values if value.startswith("<!--"))]
    assert templates == []
