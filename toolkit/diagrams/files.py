"""Diagram data files in a content root: recognised by name, validated whether used or not."""

from __future__ import annotations

from pathlib import Path

from toolkit.core.problems import Problem
from toolkit.core.textfiles import read_text
from toolkit.diagrams import DIAGRAM_SUFFIXES, validate_diagram_file


def diagram_kind(file_name: str) -> str | None:
    """The diagram kind a file name declares (`x.genogram.yaml` -> genogram), else None."""
    return next((kind for suffix, kind in DIAGRAM_SUFFIXES.items() if file_name.endswith(suffix)),
                None)


def validate_diagram_path(kind: str, path: Path, shown: str) -> list[Problem]:
    text, problems = read_text(path, shown)
    return problems if text is None else validate_diagram_file(kind, text, shown)
