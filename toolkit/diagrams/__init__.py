"""Genograms, eco-maps, chronologies and timelines drawn from small YAML files.

Pure Python, no Sphinx: `toolkit check` validates the same data the site draws. Output
is deterministic HTML (inline SVG, no inline styles or scripts) with a text equivalent.
"""

from __future__ import annotations

from typing import Any

from toolkit.diagrams.chronology import chronology_table, render_timeline, timeline_text
from toolkit.diagrams.ecomap import ecomap_text, render_ecomap
from toolkit.diagrams.genogram import genogram_text, render_genogram
from toolkit.diagrams.model import Chronology, EcoMap, Genogram
from toolkit.diagrams.schema import CHECKERS, Checker
from toolkit.diagrams.svg import el, esc
from toolkit.problems import Problem, error
from toolkit.yamlio import load_yaml

__all__ = ["DIAGRAM_SUFFIXES", "load_diagram", "render_diagram", "validate_diagram_file",
           "validate_directive"]

DIAGRAM_SUFFIXES: dict[str, str] = {
    ".genogram.yaml": "genogram", ".ecomap.yaml": "eco-map", ".chronology.yaml": "chronology",
}
DIRECTIVE_KINDS = {"genogram": "genogram", "eco-map": "eco-map", "chronology": "chronology",
                   "timeline": "chronology"}
MODEL_TYPES = {"genogram": Genogram, "eco-map": EcoMap, "chronology": Chronology}


def _check(kind: str, text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    if kind not in CHECKERS:
        raise ValueError(f"unknown diagram kind {kind!r}")
    data, problems = load_yaml(text, path, line_offset)
    if data is None and not problems:
        return None, [error(path, 1 + line_offset, f"{kind}-empty", f"the {kind} data is empty",
                            "write the fields described in the author's reference")]
    if data is None or any(p.code == "yaml-syntax" for p in problems):   # unreadable, or past a limit
        return None, problems
    check = Checker(path, kind)
    model = CHECKERS[kind](data, check)
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
                      "use genogram, eco-map, chronology or timeline")]
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
    kind = DIRECTIVE_KINDS.get(directive, directive)
    return next(s for s, k in DIAGRAM_SUFFIXES.items() if k == kind).lstrip(".")


def _model(directive: str, data: object) -> Any:
    kind = DIRECTIVE_KINDS[directive]
    if isinstance(data, MODEL_TYPES[kind]):
        return data
    raise TypeError(f"render_diagram needs the {kind} returned by load_diagram, "
                    f"not {type(data).__name__}")


def render_diagram(directive: str, data: object, caption: str | None, *, id_prefix: str) -> str:
    """The HTML fragment: a <figure> with the SVG and caption, then the text equivalent
    (for `chronology`, the filterable table)."""
    model = _model(directive, data)
    if directive == "chronology":
        return chronology_table(model, caption, id_prefix=id_prefix)
    if directive == "genogram":
        title = caption or "Genogram"
        svg, text = render_genogram(model, title, id_prefix=id_prefix), genogram_text(model)
        heading = "Who is in the family"
    elif directive == "eco-map":
        title = caption or f"Eco-map for {model.centre}"
        svg, text = render_ecomap(model, title, id_prefix=id_prefix), ecomap_text(model)
        heading = "Systems around the centre"
    else:
        title = caption or f"Timeline for {model.subject}"
        svg, text = render_timeline(model, title, id_prefix=id_prefix), timeline_text(model)
        heading = "Events in date order"
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
