"""Genograms, eco-maps, chronologies and timelines drawn from small YAML files.

Pure Python, no Sphinx: `toolkit check` validates the same data the site draws. Output
is deterministic HTML (inline SVG, no inline styles or scripts) with a text equivalent.
Each diagram type is one `DiagramType` record (types.py), registered below.

May import: toolkit.core.
"""

from __future__ import annotations

from typing import Any

from toolkit.core.problems import Problem, error
from toolkit.core.yamlio import load_yaml
from toolkit.diagrams.chronology import (
    chronology_table,
    describe_chronology,
    render_timeline,
    timeline_text,
)
from toolkit.diagrams.ecomap import describe_ecomap, ecomap_text, render_ecomap
from toolkit.diagrams.genogram import describe_genogram, genogram_text, render_genogram
from toolkit.diagrams.model import Chronology, EcoMap, Genogram
from toolkit.diagrams.schema import Checker, check_chronology, check_ecomap, check_genogram
from toolkit.diagrams.svg import el, esc
from toolkit.diagrams.types import (
    DIAGRAM_SUFFIXES,
    DIAGRAM_TYPES,
    DIRECTIVE_KINDS,
    DiagramType,
    register_diagram_type,
)

__all__ = ["DIAGRAM_SUFFIXES", "DIAGRAM_TYPES", "DIRECTIVE_KINDS", "DiagramType", "diagram_figure",
           "load_diagram", "register_diagram_type", "render_diagram", "validate_diagram_file",
           "validate_directive"]


def _check(kind: str, text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    if kind not in DIAGRAM_TYPES:
        raise ValueError(f"unknown diagram kind {kind!r}")
    data, problems = load_yaml(text, path, line_offset)
    if data is None and not problems:
        return None, [error(path, 1 + line_offset, f"{kind}-empty", f"the {kind} data is empty",
                            "write the fields described in the author's reference")]
    if data is None or any(p.code == "yaml-syntax" for p in problems):   # unreadable, or past a limit
        return None, problems
    check = Checker(path, kind)
    model = DIAGRAM_TYPES[kind].check(data, check)
    reported = {p.line for p in problems if p.code == "yaml-bad-date"}
    problems += [p for p in check.problems
                 if not (p.code.endswith("-bad-date") and p.line in reported)]
    if any(p.severity == "error" for p in problems):
        model = None
    return model, sorted(problems)


def load_diagram(kind: str, text: str, path: str) -> tuple[object, list[Problem]]:
    """The validated model for a data file (None when there is any error) and its problems."""
    return _check(kind, text, path)


def validate_diagram_file(kind: str, text: str, path: str) -> list[Problem]:
    return _check(kind, text, path)[1]


def validate_directive(directive: str, argument: str | None, body: str, page_path: str,
                       body_line: int) -> list[Problem]:
    """Problems in a diagram directive: path and inline body both or neither given, or the
    inline YAML's own problems with lines counted in the page."""
    if directive not in DIRECTIVE_KINDS:
        return [error(page_path, body_line, "diagram-unknown", f"unknown diagram '{directive}'",
                      "use one of: " + ", ".join(DIRECTIVE_KINDS))]
    has_body = bool(body.strip())
    line = max(body_line - 1, 1)
    if argument and has_body:
        return [error(page_path, line, "diagram-path-and-body",
                      f"the {directive} has both a file path and inline data",
                      "keep either the path or the YAML body, not both")]
    if not argument and not has_body:
        return [error(page_path, line, "diagram-no-data", f"the {directive} has no data",
                      f"give a path to a *.{_suffix(directive)} file, or the YAML as the body")]
    if argument:
        return []
    return _check(DIRECTIVE_KINDS[directive], body, page_path, body_line - 1)[1]


def _file_stem(title: str) -> str:
    """A download's file name from the diagram's title: 'Genogram of the A family' ->
    'genogram-of-the-a-family'."""
    words = "".join(c.lower() if c.isalnum() else " " for c in title).split()
    return "-".join(words)[:60].rstrip("-") or "diagram"


def _suffix(directive: str) -> str:
    return DIAGRAM_TYPES[DIRECTIVE_KINDS.get(directive, directive)].suffix.lstrip(".")


def _diagram_type(directive: str, data: object) -> DiagramType:
    diagram = DIAGRAM_TYPES[DIRECTIVE_KINDS[directive]]
    if isinstance(data, diagram.model):
        return diagram
    raise TypeError(f"render_diagram needs the {diagram.name} returned by load_diagram, "
                    f"not {type(data).__name__}")


def render_diagram(directive: str, data: object, caption: str | None, *, id_prefix: str) -> str:
    """The HTML fragment: a <figure> with the SVG and caption, then the text equivalent
    (for `chronology`, the filterable table)."""
    return _diagram_type(directive, data).render(directive, data, caption, id_prefix)


def describe_diagram(directive: str, data: object) -> list[str]:
    """The text equivalent, line by line, for output that cannot show the drawing."""
    return _diagram_type(directive, data).describe(directive, data)


def diagram_figure(directive: str, title: str, caption: str | None, svg: str, heading: str, text: str,
                   id_prefix: str) -> str:
    """A drawn diagram as every type shows it: the SVG in a scrolling canvas with its caption,
    then its text equivalent under `heading`."""
    canvas = el("div", svg, class_="tk-diagram-canvas", tabindex="0", role="region",
                aria_label=f"{title} (scrolls sideways on a narrow screen)")
    figure = el("figure", canvas
                + (el("figcaption", esc(caption)) if caption else ""),
                class_=f"tk-diagram-figure tk-{directive}-figure", aria_describedby=None,
                data_tk_export=_file_stem(title))
    details = el("div", el("p", esc(heading), class_="tk-diagram-text-heading",
                           id=f"{id_prefix}-text") + text,
                 class_="tk-diagram-text", role="group", aria_labelledby=f"{id_prefix}-text")
    return el("div", figure + details, class_=f"tk-diagram tk-{directive}", id=id_prefix)


def _render_genogram(directive: str, model: Genogram, caption: str | None, id_prefix: str) -> str:
    title = caption or "Genogram"
    return diagram_figure(directive, title, caption, render_genogram(model, title, id_prefix=id_prefix),
                          "Who is in the family", genogram_text(model), id_prefix)


def _render_ecomap(directive: str, model: EcoMap, caption: str | None, id_prefix: str) -> str:
    title = caption or f"Eco-map for {model.centre}"
    return diagram_figure(directive, title, caption, render_ecomap(model, title, id_prefix=id_prefix),
                          "Systems around the centre", ecomap_text(model), id_prefix)


def _render_chronology(directive: str, model: Chronology, caption: str | None, id_prefix: str) -> str:
    """`chronology` is the filterable table; `timeline` draws the same entries."""
    if directive == "chronology":
        return chronology_table(model, caption, id_prefix=id_prefix)
    title = caption or f"Timeline for {model.subject}"
    return diagram_figure(directive, title, caption, render_timeline(model, title, id_prefix=id_prefix),
                          "Events in date order", timeline_text(model), id_prefix)


for _diagram in (
    DiagramType("genogram", "genogram", ".genogram.yaml", ("genogram",), Genogram, check_genogram,
                _render_genogram, lambda directive, model: describe_genogram(model)),
    DiagramType("eco-map", "eco-map", ".ecomap.yaml", ("eco-map",), EcoMap, check_ecomap, _render_ecomap,
                lambda directive, model: [f"In the centre: {model.centre}.", *describe_ecomap(model)]),
    DiagramType("chronology", "chronology or timeline", ".chronology.yaml", ("chronology", "timeline"),
                Chronology, check_chronology, _render_chronology,
                lambda directive, model: describe_chronology(model)),
):
    register_diagram_type(_diagram)
