"""Declarative field rules for YAML mappings: one checker for pages, frameworks, vocabularies
and settings, so every kind of file gets the same messages for the same mistakes."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from toolkit.core.problems import Problem, error
from toolkit.core.yamlio import InvalidDate, YamlMap, YamlSeq

FieldType = Literal["text", "id", "date", "int", "url", "bool", "text-list", "id-list",
                    "mapping", "mapping-list", "any"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# One http(s) address with a host and nothing a page could read as markup or a second line.
WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s<>\"'`\\{}|^\[\]()]*)?")

TYPE_DESCRIPTIONS = {
    "text": "text",
    "id": "an id (lowercase letters, digits and hyphens)",
    "date": "a date written YYYY-MM-DD",
    "int": "a whole number",
    "url": "one web address starting https:// or http://, without spaces, quotes or brackets",
    "bool": "true or false",
    "text-list": "a list of text items, e.g. [a, b]",
    "id-list": "a list of ids, e.g. [a, b]",
    "mapping": "a set of key: value fields",
    "mapping-list": "a list of items, each with key: value fields",
    "any": "a value",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One allowed key: its type, whether it is required, its fixed choices and help text."""

    name: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """A ' did you mean ...?' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
    return f"did you mean '{close[0]}'?" if close else ""


def unknown_id(path: str, line: int, field: str, value: str, what: str, known: Sequence[str],
               hint: str) -> Problem:
    """`field: 'value' is not a known <what>`, with a "did you mean" when one is close."""
    suggestion = did_you_mean(value, known)
    return error(path, line, f"unknown-{field.replace('_', '-')}",
                 f"{field}: '{value}' is not a known {what}" + (f"; {suggestion}" if suggestion else ""), hint)


def is_date(value: Any) -> bool:
    """A calendar date, not a date with a time (which cannot be compared with one)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _type_ok(value: Any, type_: FieldType) -> bool:
    match type_:
        case "text":
            return isinstance(value, str) and value.strip() != ""
        case "id":
            return isinstance(value, str) and bool(ID_PATTERN.fullmatch(value))
        case "date":
            return is_date(value)
        case "int":
            return isinstance(value, int) and not isinstance(value, bool)
        case "url":
            return isinstance(value, str) and bool(WEB_ADDRESS.fullmatch(value))
        case "bool":
            return isinstance(value, bool)
        case "text-list":
            return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        case "id-list":
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        case "mapping":
            return isinstance(value, Mapping)
        case "mapping-list":
            return isinstance(value, list) and all(isinstance(v, Mapping) for v in value)
    return True


def _colon_hint(value: Any, type_: FieldType) -> str:
    """For text that YAML read as `key: value` because of a ': ' inside it, how to quote it."""
    items = value if isinstance(value, list) else [value]
    mapping = next((item for item in items if isinstance(item, Mapping) and len(item) == 1), None)
    if type_ not in ("text", "id", "text-list", "id-list") or mapping is None:
        return ""
    key, rest = next(iter(mapping.items()))
    return f"a ': ' inside text makes YAML read it as a field: put that text in double quotes, \"{key}: {rest}\""


def check_fields(data: Any, fields: Sequence[Field], path: str, line: int, what: str
                 ) -> list[Problem]:
    """Unknown keys, missing required keys, wrong types and values outside fixed choices."""
    if not isinstance(data, YamlMap):
        return [error(path, line, "not-a-mapping", f"{what} should be {TYPE_DESCRIPTIONS['mapping']}, "
                      f"found {describe(data)}", "write one 'key: value' per line")]
    known = {field.name: field for field in fields}
    problems: list[Problem] = []
    for key in data:
        if key not in known:
            suggestion = did_you_mean(str(key), list(known))
            problems.append(error(
                path, data.key_line(key), "unknown-field",
                f"unknown field '{key}' in {what}" + (f"; {suggestion}" if suggestion else ""),
                "allowed fields: " + ", ".join(known),
            ))
    for field in fields:
        if field.name not in data or data[field.name] is None:
            if field.required:
                problems.append(error(path, data.line, "missing-field",
                                      f"{what} is missing the required field '{field.name}'",
                                      field.help or f"add '{field.name}: ...'"))
            continue
        value = data[field.name]
        value_line = data.value_line(field.name)
        if isinstance(value, InvalidDate):
            continue
        if not _type_ok(value, field.type):
            found = "a date with a time" if isinstance(value, dt.datetime) else describe(value)
            problems.append(error(path, value_line, "wrong-type",
                                  f"'{field.name}' should be {TYPE_DESCRIPTIONS[field.type]}, found {found}",
                                  _colon_hint(value, field.type) or field.help))
            continue
        if field.choices:
            values = value if isinstance(value, list) else [value]
            for index, item in enumerate(values):
                if item not in field.choices:
                    item_line = value.item_line(index) if isinstance(value, YamlSeq) else value_line
                    hint = did_you_mean(str(item), field.choices)
                    problems.append(error(
                        path, item_line, "bad-choice",
                        f"'{field.name}' cannot be '{item}'" + (f"; {hint}" if hint else ""),
                        "use one of: " + ", ".join(field.choices),
                    ))
    return problems


def valid_items(data: YamlMap, key: str, fields: Sequence[Field], path: str, what: str,
                problems: list[Problem]) -> Iterator[YamlMap]:
    """Each item of the list `data[key]` whose fields pass `check_fields`; the problems of the
    others are added to `problems` (a set's statements, a tariff's items)."""
    items = data.get(key)
    for index, item in enumerate(items if isinstance(items, YamlSeq) else []):
        found = check_fields(item, fields, path, items.item_line(index), what)
        problems += found
        if not found and isinstance(item, YamlMap):
            yield item
