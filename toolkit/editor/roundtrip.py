"""Saving a list file (a vocabulary or the glossary) from the editor's form without losing the
author's comments, key order or flow style: the old file is read with ruamel.yaml's round-trip
loader, each item the form kept is updated in place (matched by its id or term), and the
result is written back with the comments where they were."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def _update(old: CommentedMap, new: dict[str, Any]) -> CommentedMap:
    """The old item with the new values: its keys keep their order and comments."""
    for key in [key for key in old if key not in new]:
        del old[key]
    for key, value in new.items():
        if key not in old or old[key] != value:
            comment = old.ca.items.get(key)   # an end-of-line comment belongs to the key
            old[key] = value
            if comment is not None:
                old.ca.items[key] = comment
    return old


def update_list(old_text: str, items: list[Any], key: str) -> str | None:
    """`old_text` changed to hold `items`, comments kept; None when the old text is not a list.
    An item is the same item across edits when its `key` (id, term) is."""
    yaml = _yaml()
    try:
        old = yaml.load(old_text)
    except YAMLError:
        return None
    if not isinstance(old, CommentedSeq):
        return None
    by_key = {item.get(key): item for item in old if isinstance(item, CommentedMap)}
    kept = [_update(by_key[item.get(key)], item) if isinstance(item, dict) and item.get(key) in by_key
            else item for item in items]
    old[:] = kept
    stream = io.StringIO()
    yaml.dump(old, stream)
    return stream.getvalue()
