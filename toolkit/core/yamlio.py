"""Strict YAML: duplicate keys and impossible dates are problems, and every value keeps its line.

Authors need the line of the offending key, so mappings and sequences come back as
`YamlMap` / `YamlSeq`, plain dict and list subclasses that remember where each key and
item stood (1-based lines, relative to the start of the parsed text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from toolkit.core import yaml_help
from toolkit.core.limits import (
    LimitExceeded,
    check_yaml_node,
    too_deep,
    too_deep_before_error,
    too_many_values_to_compose,
)
from toolkit.core.problems import Problem, error


class YamlMap(dict):
    """A mapping that remembers the line of itself, each key and each value."""

    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]

    def key_line(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)

    def value_line(self, key: Any) -> int:
        return self.value_lines.get(key, self.key_line(key))


class YamlSeq(list):
    """A sequence that remembers the line of itself and of each item."""

    line: int
    item_lines: list[int]

    def item_line(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class InvalidDate(str):
    """A date-shaped value that is not a real date; already reported, so not reported again."""


def line_of(value: Any, default: int = 1) -> int:
    """The line a loaded mapping or sequence started on, else `default`."""
    return getattr(value, "line", default)


class _Strict:
    """Constructors that record lines, collect duplicate keys and impossible dates (mixed into a
    SafeLoader: libyaml's for speed, the pure-Python one for its error messages)."""

    def __init__(self, stream: str, path: str, line_offset: int) -> None:
        super().__init__(stream)
        self.path = path
        self.line_offset = line_offset
        self.problems: list[Problem] = []
        self.lines = stream.split("\n")

    def get_single_data(self) -> Any:
        """The document, built only once its shape is within the limits (toolkit/core/limits.py)."""
        node = self.get_single_node()
        if node is None:
            return None
        check_yaml_node(node, self.path, self.line_offset)
        return self.construct_document(node)

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def construct_yaml_map(self, node: yaml.MappingNode):  # type: ignore[override]
        mapping = YamlMap()
        mapping.line = self._line(node)
        mapping.key_lines, mapping.value_lines = {}, {}
        yield mapping
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool, dt.date)) and key is not None:
                self.problems.append(error(self.path, self._line(key_node), "yaml-key",
                                           "a key must be plain text", "write the key as a word"))
                continue
            if key in mapping:
                self.problems.append(error(
                    self.path, self._line(key_node), "yaml-duplicate-key",
                    f"duplicate key '{key}' (first on line {mapping.key_lines[key]})",
                    "remove one of the two; YAML keeps only the last",
                ))
                continue
            mapping[key] = self.construct_object(value_node, deep=True)
            lost = yaml_help.lost_comment(self.lines, key, value_node, self.path, self.line_offset)
            if lost is not None:
                self.problems.append(lost[0])
                if mapping[key] is None or isinstance(mapping[key], str):
                    mapping[key] = lost[1]
            mapping.key_lines[key] = self._line(key_node)
            mapping.value_lines[key] = self._line(value_node)

    def construct_yaml_seq(self, node: yaml.SequenceNode):  # type: ignore[override]
        sequence = YamlSeq()
        sequence.line = self._line(node)
        sequence.item_lines = [self._line(item) for item in node.value]
        yield sequence
        sequence.extend(self.construct_object(item, deep=True) for item in node.value)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode):  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            self.problems.append(error(
                self.path, self._line(node), "yaml-bad-date",
                f"'{node.value}' is not a real date", "write a real date as YYYY-MM-DD",
            ))
            return InvalidDate(node.value)


class _StrictLoader(_Strict, yaml.SafeLoader):
    pass


# libyaml parses about ten times faster; without it (some platforms' wheels) both are the same.
class _FastStrictLoader(_Strict, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


for _loader in (_StrictLoader, _FastStrictLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _Strict.construct_yaml_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _Strict.construct_yaml_seq)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _Strict.construct_yaml_timestamp)


_READ_PAST_MISTAKE = 5


def _syntax_problems(part: str, text: str, path: str, line_offset: int) -> list[Problem]:
    """The pure-Python parser's syntax error in the start of `text`, explained; [] if it reads."""
    loader = _StrictLoader(part, path, line_offset)
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return yaml_help.explain_syntax_error(exc, text, path, line_offset)
    except (yaml.YAMLError, RecursionError):
        return []
    finally:
        loader.dispose()
    return []


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; on a syntax error return None and one problem with its line.

    `line_offset` is added to every line, for YAML embedded in a larger file (front matter).
    Text libyaml cannot read is read again by the pure-Python parser, whose messages authors see.
    """
    text, invisible = yaml_help.clean_invisible(text, path, line_offset)
    too_many = too_many_values_to_compose(text, path, line_offset)
    if too_many is not None:
        return None, [too_many]
    fast = _FastStrictLoader(text, path, line_offset)
    mistake = None   # the line libyaml stopped on
    try:
        return fast.get_single_data(), invisible + fast.problems
    except LimitExceeded as exc:
        return None, [exc.problem]
    except yaml.MarkedYAMLError as exc:
        mistake = exc.problem_mark.line if exc.problem_mark else None
    except yaml.YAMLError:
        pass
    finally:
        fast.dispose()
    deep = too_deep_before_error(text, path, line_offset)
    if deep is not None:
        return None, [deep]
    # The pure-Python parser reads only as far as a few lines past the mistake: it reads in order, so
    # it meets the same one, and reading on cost ~200 us a line (100,000 lines before it took 20 s).
    lines = text.split("\n")
    if mistake is not None and mistake + _READ_PAST_MISTAKE < len(lines):
        found = _syntax_problems("\n".join(lines[: mistake + _READ_PAST_MISTAKE]), text, path, line_offset)
        if found:
            return None, invisible + found
    loader = _StrictLoader(text, path, line_offset)
    try:
        data = loader.get_single_data()
    except LimitExceeded as exc:
        return None, [exc.problem]
    except RecursionError:   # the pure-Python parser recurses once per level
        return None, [too_deep(path, 1 + line_offset)]
    except yaml.MarkedYAMLError as exc:
        return None, invisible + yaml_help.explain_syntax_error(exc, text, path, line_offset)
    except yaml.YAMLError as exc:
        return None, invisible + [error(path, 1 + line_offset, "yaml-syntax", f"YAML could not be read: {exc}")]
    finally:
        loader.dispose()
    return data, invisible + loader.problems
