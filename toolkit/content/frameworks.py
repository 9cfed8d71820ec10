"""Reading framework statement sets (KSS, PCF, ...) from YAML."""

from __future__ import annotations

import re

from toolkit.content.fields import valid_items, check_fields, is_date, unknown_id
from toolkit.content.model import Statement, StatementSet
from toolkit.core.problems import Problem, error
from toolkit.content.schemas import LISTING_PAGE, SET_FIELDS, STATEMENT_FIELDS
from toolkit.core.yamlio import YamlMap

SET_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")


def read_statement_set(data: object, shown: str) -> tuple[StatementSet | None, list[Problem]]:
    problems = check_fields(data, SET_FIELDS, shown, 1, "the framework set")
    if not isinstance(data, YamlMap):
        return None, problems
    set_id = data.get("id")
    if isinstance(set_id, str) and not SET_ID.fullmatch(set_id):
        problems.append(error(shown, data.value_line("id"), "bad-set-id",
                              f"set id '{set_id}' should be capitals, digits and hyphens",
                              "e.g. KSS-PS; statements are then KSS-PS-1, KSS-PS-2, ..."))
    elif isinstance(set_id, str) and set_id.lower() == LISTING_PAGE:
        problems.append(error(shown, data.value_line("id"), "reserved-id",
                              f"'{set_id}' is the name of the page listing every framework", "choose another id"))
    _check_dates(data, shown, problems)
    statements: list[Statement] = []
    seen: dict[int, int] = {}
    raw_statements = data.get("statements")
    for item in valid_items(data, "statements", STATEMENT_FIELDS, shown, "a statement", problems):
        _check_dates(item, shown, problems)
        if item.get("text") and not data.get("licence"):
            problems.append(error(shown, item.value_line("text"), "quote-without-licence",
                                  "the statement's official text is quoted, but the set names no licence "
                                  "that allows quoting it",
                                  "add the set's `licence` (e.g. licence: Open Government Licence v3.0) when "
                                  "its licence allows quoting; otherwise remove `text` and keep the summary "
                                  "in your own words"))
        number = item["number"]
        if number in seen:
            problems.append(error(shown, item.value_line("number"), "duplicate-statement",
                                  f"statement number {number} is used twice "
                                  f"(first on line {seen[number]})", "number statements 1, 2, 3, ..."))
            continue
        seen[number] = item.value_line("number")
        statements.append(Statement(
            id=f"{set_id}-{number}", set_id=str(set_id), number=number, title=item["title"],
            summary=" ".join(item["summary"].split()),
            valid_from=item.get("valid_from") or data.get("valid_from"),
            valid_to=item.get("valid_to") or data.get("valid_to"),
            text=" ".join(item["text"].split()) if item.get("text") else None,
        ))
    if isinstance(raw_statements, list) and not raw_statements:
        problems.append(error(shown, data.value_line("statements"), "no-statements",
                              "the set has no statements", "list its statements"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return StatementSet(
        id=set_id, title=data["title"], issued_by=data["issued_by"], year=data["year"],
        source_url=data["source_url"], valid_from=data.get("valid_from"),
        valid_to=data.get("valid_to"), superseded_by=data.get("superseded_by"),
        statements=tuple(sorted(statements, key=lambda s: s.number)), shown=shown,
        superseded_by_line=data.value_line("superseded_by") if "superseded_by" in data else 1,
        licence=data.get("licence"), licence_url=data.get("licence_url"),
    ), problems


def successor_problems(sets: dict[str, StatementSet]) -> list[Problem]:
    """`superseded_by` must name a set the site loads (shipped or an overlay's), and not the set
    itself: checked once every root is read, since the successor may come from a later root."""
    problems = []
    for statement_set in sets.values():
        successor = statement_set.superseded_by
        if successor is None:
            continue
        line = statement_set.superseded_by_line
        if successor == statement_set.id:
            problems.append(error(statement_set.shown, line, "superseded-by-itself",
                                  f"superseded_by: set '{successor}' cannot replace itself",
                                  "name the id of the set that replaces this one, or remove superseded_by"))
        elif successor not in sets:
            problems.append(unknown_id(statement_set.shown, line, "superseded_by", successor, "framework set",
                                       sorted(sets), "use the id of a set under frameworks/ (its `id:`), "
                                       "or remove superseded_by until the successor set is added"))
    return problems


def _check_dates(data: YamlMap, shown: str, problems: list[Problem]) -> None:
    start, end = data.get("valid_from"), data.get("valid_to")
    if is_date(start) and is_date(end) and end <= start:
        problems.append(error(shown, data.value_line("valid_to"), "valid-to-before-from",
                              f"valid_to {end} is not after valid_from {start}",
                              "check the dates the framework is in force"))
