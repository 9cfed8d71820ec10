"""Every text an author or web team writes, with its file and line: one iterator, so that no
field and no data file can be left out of the personal-data check.

Page bodies are read as Markdown (toolkit.checks.page_lints). The rest is YAML, a page's front matter,
the settings file and every YAML file in every content root (frameworks, vocabularies, the
glossary, diagram data, and any file a later version adds), or a text file the site publishes
as it is (a CSV or text template, an SVG drawing). The iterator walks the YAML as written, not
the values a schema kept: every scalar, key or value, whatever its field or type
(`phone: 01615551234` is read as those digits, not as the number YAML would make of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml

from toolkit.checks.personal_data import find_personal_data
from toolkit.content.loading import content_files
from toolkit.content.model import Site
from toolkit.content.settings import shown_in_root, shown_path
from toolkit.core.file_versions import PerFileVersion
from toolkit.core.limits import too_many_values_to_compose
from toolkit.core.problems import Problem
from toolkit.core.textfiles import read_text

YAML_SUFFIXES = (".yaml", ".yml")
#: Files published as they are whose words a reader sees (downloads and drawings).
# Drawings published as they are; text documents (CSV, TXT, JSON, Word, Excel) are read by
# toolkit/checks/attachments.py, row by row, so each file is checked once.
PUBLISHED_TEXT_SUFFIXES = (".svg", ".xml")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class AuthorText:
    shown: str     # the file as messages show it
    line: int      # the file line the text starts on
    text: str


def yaml_texts(text: str, shown: str, line_offset: int = 0) -> Iterator[AuthorText]:
    """Every scalar of a YAML document as written, with its line. Text YAML cannot read yields
    nothing here (the loader reports it, as it does a document past the limits); an alias is read
    once, however often it is used."""
    if too_many_values_to_compose(text, shown, line_offset) is not None:
        return
    try:
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return
    seen: set[int] = set()
    waiting = [root] if root is not None else []
    while waiting:
        node = waiting.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            # a block scalar (| or >) starts on the line after its indicator
            line = node.start_mark.line + 1 + line_offset + (node.style in ("|", ">"))
            if node.value.strip():
                yield AuthorText(shown, line, node.value)
        elif isinstance(node, yaml.SequenceNode):
            waiting += reversed(node.value)
        elif isinstance(node, yaml.MappingNode):
            waiting += [item for pair in reversed(node.value) for item in reversed(pair)]


def _site_files(site: Site) -> list[tuple[Path, str]]:
    """(path, shown) of the settings file, every YAML file in every content root, and every text
    file published as it is."""
    settings = site.settings
    paths = [(settings.path, shown_path(settings.path, settings.folder))]
    for root in settings.roots:
        root_shown = shown_path(root, settings.folder)
        paths += [(path, shown_path(path, settings.folder) if path.is_symlink()
                   else shown_in_root(root_shown, path.relative_to(root)))
                  for path in content_files(root) if path.suffix.lower() in YAML_SUFFIXES + PUBLISHED_TEXT_SUFFIXES]
    return paths


def _file_texts(path: Path, shown: str) -> Iterator[AuthorText]:
    text, _ = read_text(path, shown)   # a file that is not UTF-8 is reported by the loader
    if text is None:
        return
    if path.suffix.lower() in YAML_SUFFIXES:
        yield from yaml_texts(text, shown)
    else:
        yield AuthorText(shown, 1, text)


# Each file's findings, kept while its size and time stay the same: the preview checks the whole
# site on every save, and reading every data file's YAML again for this check was a third of
# that check at 1,000 pages (cProfile).
_FILE_FINDINGS: PerFileVersion[tuple[Path, str, frozenset[str]], list[Problem]] = PerFileVersion()


def personal_data_in_site_files(site: Site, allowed: frozenset[str]) -> list[Problem]:
    """The personal-data check over the texts of the settings file, of every YAML file in every
    content root and of every text file published as it is, reading again only files that changed."""
    found: list[Problem] = []
    for path, shown in _site_files(site):
        found += _FILE_FINDINGS.get(path, (path, shown, allowed),
                                    partial(find_personal_data_in, _file_texts(path, shown), allowed))
    return found


def find_personal_data_in(texts: Iterable[AuthorText], allowed: frozenset[str]) -> list[Problem]:
    """The personal-data check over author texts, each reported at its own file and line."""
    return [problem for item in texts
            for problem in find_personal_data(item.text, item.shown, item.line, allowed)]
