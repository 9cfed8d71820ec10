"""The builder's walk of a docutils tree (builder/private_speedups.py) yields what docutils' own
does, in the same order, on the trees of real pages, also when the caller changes the tree as it
walks (as transforms do)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes

from builder import private_speedups
from tests.conftest import SiteFolder
from toolkit.core.protocol import STOCK_SPHINX_VARIABLE

CONDITIONS: list[type | Callable[[nodes.Node], bool] | None] = [
    None, nodes.Element, nodes.Text, nodes.paragraph, nodes.section, nodes.reference, nodes.TextElement,
    lambda node: isinstance(node, nodes.Element) and bool(node.get("classes")),
]


@pytest.fixture(scope="module")
def doctrees(tmp_path_factory: pytest.TempPathFactory) -> list[nodes.document]:
    """The read trees of the shipped pages, as Sphinx pickled them in a stock build."""
    folder = tmp_path_factory.mktemp("doctrees")
    (folder / "site.yaml").write_text("name: Test\norganisation: Testshire Council\ncontent: ['@toolkit']\n"
                                      "contact: {email: psw@testshire.example}\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(STOCK_SPHINX_VARIABLE, "1")
        assert SiteFolder(folder).toolkit("build").status == 0
    pickles = sorted(Path(folder, "_build", "cache", "doctrees").rglob("*.doctree"))
    assert len(pickles) > 50
    return [pickle.loads(path.read_bytes()) for path in pickles]


def _walks(tree: nodes.Node, **options: object) -> tuple[list[nodes.Node], list[nodes.Node]]:
    return (list(private_speedups._findall(tree, **options)), list(private_speedups.findall(tree, **options)))


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: getattr(c, "__name__", "none"))
def test_the_walk_yields_what_docutils_yields(doctrees: list[nodes.document], condition: object, include_self: bool):
    for tree in doctrees:
        for start in (tree, *list(private_speedups._findall(tree, nodes.section))[:3]):
            ours, theirs = _walks(start, condition=condition, include_self=include_self)
            assert len(ours) == len(theirs) and all(a is b for a, b in zip(ours, theirs, strict=True))


def _replace_as_walked(walk: Callable[..., object], tree: nodes.document) -> str:
    """What transforms do: replace each paragraph with a new one holding its text, drop every
    emphasis, add a child to each section, as each is met; returns the tree and what was met."""
    met = []
    for node in walk(tree):
        met.append(node.tagname if isinstance(node, nodes.Element) else "#text")
        if isinstance(node, nodes.paragraph) and node.parent is not None:
            node.replace_self(nodes.paragraph("", node.astext()))
        elif isinstance(node, nodes.emphasis) and node.parent is not None:
            node.parent.remove(node)
        elif isinstance(node, nodes.section):
            node += nodes.comment("", "added")
    return tree.pformat() + "\n".join(met)


def test_a_tree_changed_while_it_is_walked_ends_the_same(doctrees: list[nodes.document]):
    for tree in doctrees[:40]:
        assert _replace_as_walked(private_speedups.findall, copy.deepcopy(tree)) == _replace_as_walked(
            private_speedups._findall, copy.deepcopy(tree))
