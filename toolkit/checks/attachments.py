"""The text of files authors attach (CSV, TXT, JSON, Word and Excel), for the personal-data check.

A template or spreadsheet copied from a real case carries the same risk as a page: a real NHS
number or phone number published to the whole organisation. Word and Excel files are read as
what they are (zip files of XML) without a library: only their words are needed, paragraph by
paragraph and row by row, so a problem can say where to look.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from toolkit.checks.personal_data import find_personal_data
from toolkit.core.limits import MAX_FILE_BYTES, UnzippedTooBig, read_zip_parts, too_big
from toolkit.core.problems import Problem, error

# YAML files are read by toolkit/checks/author_texts.py, value by value, and Markdown files are pages.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".json")
_WORD_PARTS = re.compile(r"word/(document|footnotes|endnotes|comments|header\d*|footer\d*)\.xml$")


def attachment_lines(path: Path) -> list[tuple[str, str]] | None:
    """(where, text) for each paragraph or row of an attachment; None for a file with no text to check.
    Raises UnzippedTooBig, or ET.ParseError for XML that is not well formed."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UnzippedTooBig(too_big("", path.stat().st_size).message)
        text = path.read_bytes().decode("utf-8", "replace")
        return [(f"line {n}", line) for n, line in enumerate(text.splitlines(), 1)]
    if suffix in (".docx", ".dotx", ".xlsx", ".xltx"):
        parts = read_zip_parts(path, lambda name: name.endswith(".xml"))
        return _word_lines(parts) if suffix.startswith((".doc", ".dot")) else _excel_lines(parts)
    return None


# Read with an XML parser (expat: linear, and it refuses entity expansion bombs), not patterns: lazy
# regexes over hostile XML rescanned the rest of the file from each unclosed tag (10,000 `<w:p>`,
# 50 KB of a Word file, took 11 s; 40,000 `<c` three minutes).
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(xml: bytes) -> Iterator[tuple[str, ET.Element]]:
    """(event, element) for every start and end, in document order."""
    yield from ET.iterparse(io.BytesIO(xml), events=("start", "end"))


def _word_lines(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    lines = []
    for name in sorted(n for n in parts if _WORD_PARTS.match(n)):
        part = _WORD_PARTS.match(name)[1]
        for number, text in enumerate(_texts_of(parts[name], "p", ("t", "delText")), 1):
            if text.strip():
                lines.append((f"{part}, paragraph {number}" if part != "document" else f"paragraph {number}", text))
    return lines


def _excel_lines(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    shared = list(_texts_of(parts.get("xl/sharedStrings.xml"), "si"))
    names = [element.get("name", "") for event, element in _elements(parts.get("xl/workbook.xml", b"<w/>"))
             if event == "end" and _local(element.tag) == "sheet"]
    lines = []
    for name in sorted(n for n in parts if re.match(r"xl/worksheets/sheet\d+\.xml$", n)):
        number = int(re.search(r"(\d+)\.xml$", name)[1])
        sheet = f"sheet '{names[number - 1]}'" if number <= len(names) else f"sheet {number}"
        for row_number, cells in _rows(parts[name], shared):
            if cells:
                lines.append((f"{sheet}, row {row_number}", "\t".join(cells)))
    return lines


def _texts_of(xml: bytes | None, container: str, text_tags: tuple[str, ...] = ("t",)) -> Iterator[str]:
    """The text of each `container` element (a paragraph, a shared string): its `text_tags` elements'."""
    words: list[str] = []
    for event, element in _elements(xml or b"<w/>"):
        tag = _local(element.tag)
        if event == "end" and tag in text_tags:
            words.append(element.text or "")
        elif event == "end" and tag == container:
            yield "".join(words)
            words = []
            element.clear()   # what is read is let go: a large file is never held whole


def _rows(xml: bytes, shared: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Each row's number (counted) and the text of its cells: shared strings looked up, values and
    inline strings as written."""
    number, cells, words = 0, [], []
    for event, element in _elements(xml):
        tag = _local(element.tag)
        if event != "end":
            continue
        if tag in ("v", "t"):
            words.append(element.text or "")
        elif tag == "c":
            text = "".join(words)
            if element.get("t") == "s":
                text = shared[int(text)] if text.strip().isdigit() and int(text) < len(shared) else ""
            if text:
                cells.append(text)
            words = []
        elif tag == "row":
            number += 1
            yield number, cells
            cells = []
            element.clear()


def attachment_problems(path: Path, shown: str, allowed: frozenset[str]) -> list[Problem]:
    """The personal-data check over an attachment's text, each problem saying where in the file."""
    try:
        lines = attachment_lines(path)
    except UnzippedTooBig as exc:
        return [error(shown, 1, "file-too-big", str(exc), "save it again without what it does not need, or split it")]
    except (zipfile.BadZipFile, OSError, KeyError, ET.ParseError):
        return [error(shown, 1, "attachment-unreadable", "this file cannot be opened to check it for personal data",
                      "open it in Word or Excel and save it again, or remove it")]
    problems: list[Problem] = []
    for number, (where, text) in enumerate(lines or (), 1):
        for problem in find_personal_data(text, shown, number, allowed):
            fix = problem.hint.split(" — ")[0]
            problems.append(replace(problem, message=f"{problem.message} ({where})",
                                    hint=f"{fix} — or, if it is fictional or public, add the exact string to "
                                    "personal_data_allow in the settings"))
    return problems
