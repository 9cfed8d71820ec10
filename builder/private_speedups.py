"""Sphinx's, docutils' and MyST's per-page setup done once per process, and tree searches
without recursion.

Measured with py-spy on a serial build of 1,000 synthetic pages (a one-off): every page Sphinx
reads built docutils' option parser again to get the same default settings (5% of the build),
and MyST built a second one for a document it throws away (its `setup_render` evaluates
`options.get("document", make_document())` eagerly, 2%). Here each is built once per set of
inputs and copied as a new parser's would be. `Node.findall`, which every transform uses to walk
the tree, yields through one nested generator per level of the tree (13% of the build's
samples; walking without the nesting took about 1 s off a 27 s serial build); here it walks
with a stack of the same list iterators, so it yields the same nodes in the same order even
when the caller changes the tree as it goes. Sphinx resolved the path of every style sheet and
script on every page it wrote, to look up a checksum it had already made (1.3%); here the
answer is kept per file name. Sphinx's logger takes every debug message (it emits one per event,
with the event's arguments `repr`'d) and its handlers drop those below the verbosity asked for;
in a parallel build each worker's records were also kept, pickled and sent to the main process,
to be dropped there. Here the logger itself starts at the level its handlers keep.

These replace private functions of Sphinx (pinned to 9.0.x in pyproject.toml, which holds
docutils below 0.23) and of MyST (held below 6), and docutils' `Node.findall`;
STOCK_SPHINX_VARIABLE=1 (toolkit/core/protocol.py) leaves them as they are.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import myst_parser.mdit_to_docutils.base as myst_base
import sphinx.builders.html as sphinx_html
import sphinx.util.docutils
import sphinx.util.logging
from docutils import nodes
from docutils.frontend import Values
from docutils.utils import DependencyList

from toolkit.core.protocol import stock_sphinx

_parser_settings = sphinx.util.docutils._get_settings
_findall = nodes.Node.findall
_file_checksum = sphinx_html._file_checksum
# What docutils reads a component's settings from (docutils.SettingsSpec).
_SETTINGS_ATTRIBUTES = frozenset({"settings_spec", "settings_defaults", "settings_default_overrides",
                                  "relative_path_settings", "config_section", "config_section_dependencies"})
# (component classes, read_config_files) -> [(the defaults asked for, the settings made from them)]
_made: dict[tuple[Any, ...], list[tuple[dict[str, Any], Values]]] = {}


def _copy(settings: Values) -> Values:
    """What a new option parser returns: the same default values, its own dependency list."""
    copied = settings.copy()
    copied.record_dependencies = DependencyList()
    return copied


def _component(component: Any) -> type | None:
    """What a component's settings come from: its class (Sphinx makes a parser per page), or
    None if the instance has settings of its own."""
    if isinstance(component, type):
        return component
    return None if _SETTINGS_ATTRIBUTES & vars(component).keys() else type(component)


def _settings_once(*components: Any, defaults: Mapping[str, Any], read_config_files: bool = False) -> Values:
    """Sphinx's `_get_settings`, made once for each distinct set of defaults."""
    classes = tuple(_component(component) for component in components)
    if None in classes:
        return _parser_settings(*components, defaults=defaults, read_config_files=read_config_files)
    made = _made.setdefault((classes, read_config_files), [])
    for asked, settings in made:
        if asked == defaults:
            return _copy(settings)
    settings = _parser_settings(*components, defaults=defaults, read_config_files=read_config_files)
    made.append((dict(defaults), settings))
    return _copy(settings)


def _default_settings_once(*components: Any) -> Values:
    """docutils' `get_default_settings` (an option parser with no defaults of the caller's), through
    the same store as Sphinx's."""
    return _settings_once(*components, defaults={})


def _walk(top: nodes.Node, cls: type, test: Callable[[nodes.Node], bool] | None,
          include_self: bool) -> Iterator[nodes.Node]:
    """`top` (if asked) and its descendants in document order that pass `test`, or with no test
    are `cls` instances (a test given as a class, most calls, is not a call per node). A node's
    children are looked up only once the node itself has been yielded, as the recursive walk did."""
    if include_self and (test(top) if test else isinstance(top, cls)):
        yield top
    stack = [iter(top.children)]
    while stack:
        for child in stack[-1]:
            if test(child) if test else isinstance(child, cls):
                yield child
            if child.children:
                stack.append(iter(child.children))
                break
        else:
            stack.pop()


def findall(self: nodes.Node, condition: type | Callable[[nodes.Node], bool] | None = None,
            include_self: bool = True, descend: bool = True, siblings: bool = False,
            ascend: bool = False) -> Iterator[nodes.Node]:
    """`Node.findall`: a walk down the tree without recursion; docutils' own for siblings."""
    if not descend or siblings or ascend:
        return _findall(self, condition, include_self, descend, siblings, ascend)
    if isinstance(condition, type):
        return _walk(self, condition, None, include_self)
    return _walk(self, object, condition, include_self)


def speed_up_private_code(verbosity: int) -> None:
    """Replace the private code named above; `verbosity` is the build's (`-v` counted)."""
    if stock_sphinx(os.environ):
        return
    # VERBOSITY_MAP is what Sphinx's own handlers keep (NOTSET, "everything", past -vv)
    kept = max(sphinx.util.logging.VERBOSITY_MAP[max(verbosity, 0)], logging.DEBUG)
    logging.getLogger(sphinx.util.logging.NAMESPACE).setLevel(kept)
    sphinx.util.docutils._get_settings = _settings_once
    myst_base.get_default_settings = _default_settings_once
    nodes.Node.findall = findall
    sphinx_html._file_checksum = functools.lru_cache(maxsize=None)(_file_checksum)
