"""The text of files authors attach (CSV, TXT, JSON, Word and Excel), for the personal-data check.

A template or spreadsheet copied from a real case carries the same risk as a page: a real NHS
number or phone number published to the whole organisation. Word and Excel files are read as
what they are (zip files of XML) without a library: only their words are needed, paragraph by
paragraph and row by row, so a problem can say where to look.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from html import unescape
from pathlib import Path

from toolkit.checks.personal_data import find_personal_data
from toolkit.core.problems import Problem, error

# YAML files are read by toolkit/checks/author_texts.py, value by value, and Markdown files are pages.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".json")
_WORD_PARTS = re.compile(r"word/(document|footnotes|endnotes|comments|header\d*|footer\d*)\.xml$")
_PARAGRAPH = re.compile(r"<w:p\b.*?</w:p>", re.S)
_WORD_TEXT = re.compile(r"<w:(?:t|delText)\b[^>]*>(.*?)</w:(?:t|delText)>", re.S)
_ROW = re.compile(r"<row\b.*?</row>", re.S)
_CELL_TEXT = re.compile(r"<(?:t|v)\b[^>]*>(.*?)</(?:t|v)>", re.S)
_SHARED_STRING = re.compile(r"<si\b.*?</si>", re.S)
_SHARED_REFERENCE = re.compile(r'<c\b[^>]*\bt="s"[^>]*>\s*<v>(\d+)</v>', re.S)


def attachment_lines(path: Path) -> list[tuple[str, str]] | None:
    """(where, text) for each paragraph or row of an attachment; None for a file with no text to check."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = path.read_bytes().decode("utf-8", "replace")
        return [(f"line {n}", line) for n, line in enumerate(text.splitlines(), 1)]
    if suffix in (".docx", ".dotx", ".xlsx", ".xltx"):
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                     if name.endswith(".xml")}
        return _word_lines(parts) if suffix.startswith((".doc", ".dot")) else _excel_lines(parts)
    return None


def _word_lines(parts: dict[str, str]) -> list[tuple[str, str]]:
    lines = []
    for name in sorted(n for n in parts if _WORD_PARTS.match(n)):
        part = _WORD_PARTS.match(name)[1]
        for number, paragraph in enumerate(_PARAGRAPH.findall(parts[name]), 1):
            text = unescape("".join(_WORD_TEXT.findall(paragraph)))
            if text.strip():
                lines.append((f"{part}, paragraph {number}" if part != "document" else f"paragraph {number}", text))
    return lines


def _excel_lines(parts: dict[str, str]) -> list[tuple[str, str]]:
    shared = [unescape("".join(re.findall(r"<t\b[^>]*>(.*?)</t>", item, re.S)))
              for item in _SHARED_STRING.findall(parts.get("xl/sharedStrings.xml", ""))]
    names = re.findall(r'<sheet\b[^>]*\bname="([^"]*)"', parts.get("xl/workbook.xml", ""))
    lines = []
    for name in sorted(n for n in parts if re.match(r"xl/worksheets/sheet\d+\.xml$", n)):
        number = int(re.search(r"(\d+)\.xml$", name)[1])
        sheet = f"sheet '{unescape(names[number - 1])}'" if number <= len(names) else f"sheet {number}"
        for row_number, row in enumerate(_ROW.findall(parts[name]), 1):
            cells = [shared[int(i)] for i in _SHARED_REFERENCE.findall(row) if int(i) < len(shared)]
            cells += [unescape(v) for v in _CELL_TEXT.findall(re.sub(r'<c\b[^>]*\bt="s".*?</c>', "", row, flags=re.S))]
            if cells:
                lines.append((f"{sheet}, row {row_number}", "\t".join(cells)))
    return lines


def attachment_problems(path: Path, shown: str, allowed: frozenset[str]) -> list[Problem]:
    """The personal-data check over an attachment's text, each problem saying where in the file."""
    try:
        lines = attachment_lines(path)
    except (zipfile.BadZipFile, OSError, KeyError):
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
