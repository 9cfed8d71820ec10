"""Writing what the editor saves as the author's own files, in the format `toolkit check` reads.

The editor sends whole files, re-serialised by the browser. Written as they come, every save
would reformat fields nobody touched (flow lists become block lists, dates become quoted
strings, folded summaries one long line). So a field whose value did not change keeps its
original text, byte for byte, with its comments; a changed or new field is written afresh;
keys follow the contract's order; a body that did not change is kept as it was. Empty values
the form leaves behind (blank optional fields, unticked boxes) are dropped, not written.
Every write goes to a temporary file beside the target and is renamed over it, so a crash
never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from toolkit.content.schemas import KINDS, page_fields
from toolkit.core.textfiles import split_front_matter
from toolkit.core.yamlio import YamlMap, load_yaml
from toolkit.editor.roundtrip import update_list

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The order the authoring contract (contribute page) and `toolkit new` write; other fields follow in the schema's order.
CONTRACT_ORDER = ("id", "kind", "title", "summary", "audience", "topics", "maps_to", "related", "owner",
                  "status", "last_reviewed", "review_by")


class NotReadable(ValueError):
    """What the editor sent cannot be read (no front matter, broken YAML)."""


def clean(value: Any) -> Any:
    """Drop what a form leaves empty, and make ISO date text a date again (the editor's YAML
    has no dates, and a quoted date is text to `toolkit check`)."""
    if isinstance(value, dict):
        kept = {key: clean(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in (None, "", [], {}, False)}
    if isinstance(value, list):
        return [item for item in (clean(item) for item in value) if item not in (None, "", [], {})]
    if isinstance(value, str):
        if ISO_DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                return value
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def dump_field(key: str, value: Any) -> str:
    """One top-level field as YAML: short lists in flow style (`[a, b]`), nested data in blocks."""
    return yaml.dump({key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Dumper(yaml.SafeDumper):
    """Lists of plain values in flow style, as authors write them (`audience: [a, b]`)."""


def _represent_list(dumper: yaml.SafeDumper, items: list) -> yaml.Node:
    flow = not any(isinstance(item, (dict, list)) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def _blocks(text: str) -> tuple[list[str], dict[Any, str], Any]:
    """The text of each top-level key of a YAML mapping (with its comments), and the data."""
    data, problems = load_yaml(text, "old")
    if not isinstance(data, YamlMap) or any(p.severity == "error" for p in problems):
        return [], {}, None
    lines = text.split("\n")
    starts = sorted((data.key_line(key), key) for key in data)
    preamble = lines[: starts[0][0] - 1] if starts else []
    blocks: dict[Any, str] = {}
    for index, (start, key) in enumerate(starts):
        end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(lines)
        blocks[key] = "\n".join(lines[start - 1:end]).rstrip("\n") + "\n"
    return preamble, blocks, data


def merge_mapping(new: dict[str, Any], old_text: str | None, order: Sequence[str]) -> str:
    """YAML text for `new`: unchanged keys keep their old text, keys in `order` first."""
    preamble, blocks, old = _blocks(old_text) if old_text else ([], {}, None)
    keys = [key for key in order if key in new] + [key for key in new if key not in order]
    parts = ["\n".join(preamble) + "\n"] if preamble else []
    for key in keys:
        unchanged = old is not None and key in old and clean(old[key]) == new[key]
        parts.append(blocks[key] if unchanged else dump_field(key, new[key]))
    return "".join(parts)


def page_text(raw: str, old_text: str | None) -> str:
    """A page file from what the editor sent, kept as close to the old file as the edit allows."""
    split, problems = split_front_matter(raw.replace("\r\n", "\n"), "new")
    if split is None:
        raise NotReadable(problems[0].message)
    data, problems = load_yaml(split.front_matter, "new")
    if not isinstance(data, dict):
        raise NotReadable("the page's fields could not be read")
    new = clean(dict(data))
    kind = new.get("kind")
    fields = [field.name for field in page_fields(kind if kind in KINDS else "page")]
    order = [*CONTRACT_ORDER, *(name for name in fields if name not in CONTRACT_ORDER)]
    old_split = split_front_matter(old_text, "old")[0] if old_text else None
    front = merge_mapping(new, old_split.front_matter if old_split else None, order)
    body = split.body
    if old_split is not None and old_split.body.strip() == body.strip():
        body = old_split.body
    else:
        body = body.strip("\n") + "\n"
    return f"---\n{front}---\n{body}"


def data_text(new: dict[str, Any], old_text: str | None, order: Sequence[str]) -> str:
    """A YAML data file (a diagram) from the form's fields."""
    return merge_mapping(clean(new), old_text, order)


def list_text(items: list[Any], old_text: str | None, key: str) -> str:
    """A YAML list file (a vocabulary or the glossary): the old text when nothing changed, else
    the old text edited in place (comments and key order kept)."""
    items = clean(items)
    if old_text is not None:
        old, problems = load_yaml(old_text, "old")
        if not problems and clean(old) == items:
            return old_text
        updated = update_list(old_text, items, key)
        if updated is not None:
            return updated
    return yaml.dump(items, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
