"""The diagram-type registry: one `DiagramType` record per type, from which everything derives.

Loading (which files are diagram data), the checks (directive allowed, its body data not
Markdown, its data validated), the builder's directives and their text equivalents, and the
problem codes of its data (`<name>-<code>`) all read these records, so adding a diagram type is
one `register_diagram_type` call (toolkit/diagrams/__init__.py registers the shipped ones; an
installed extension may add its own: toolkit/content/extensions.py). Read the views through
`toolkit.diagrams`, which registers the shipped types when it is imported.

A type's renderer returns the finished HTML fragment (inline SVG and its text equivalent) and
`describe` the text lines non-HTML output shows, so no Sphinx or docutils is needed here: the
builder makes one directive per registered directive name (builder/diagrams.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.core.problem_codes import register_diagram_codes

if TYPE_CHECKING:
    from toolkit.diagrams.schema import Checker


@dataclass(frozen=True, slots=True)
class DiagramType:
    """One kind of diagram drawn from YAML data, in a data file or a directive's body."""

    name: str                                   # its problems are coded <name>-<code>
    about: str                                  # what it is, for the problem codes' meanings
    suffix: str                                 # a data file's name ending: .genogram.yaml
    directives: tuple[str, ...]                 # the directives that draw it
    model: type                                 # what `check` returns for valid data
    check: Callable[[Any, Checker], Any]        # the YAML data -> its model; problems into the checker
    render: Callable[[str, Any, str | None, str], str]  # (directive, model, caption, id prefix) -> HTML
    describe: Callable[[str, Any], list[str]]   # (directive, model) -> its text equivalent, line by line


DIAGRAM_TYPES: dict[str, DiagramType] = {}
DIAGRAM_SUFFIXES: dict[str, str] = {}   # file name ending -> type name
DIRECTIVE_KINDS: dict[str, str] = {}    # directive name -> type name


def register_diagram_type(diagram: DiagramType) -> None:
    """Add a diagram type, its directives, its data files' suffix and its problem codes."""
    taken = [d for d in diagram.directives if d in DIRECTIVE_KINDS] + \
        ([diagram.suffix] if diagram.suffix in DIAGRAM_SUFFIXES else [])
    if diagram.name in DIAGRAM_TYPES or taken:
        raise ValueError(f"diagram type {diagram.name!r} clashes with one registered: {taken or diagram.name}")
    DIAGRAM_TYPES[diagram.name] = diagram
    DIAGRAM_SUFFIXES[diagram.suffix] = diagram.name
    DIRECTIVE_KINDS.update(dict.fromkeys(diagram.directives, diagram.name))
    register_diagram_codes(diagram.name, diagram.about)
