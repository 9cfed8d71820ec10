"""Reading author files: UTF-8 only, and front matter split from the body with its lines kept."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from toolkit.core.limits import MAX_FILE_BYTES, too_big
from toolkit.core.problems import Problem, error

# Characters that make a line display in another order than it is written (embeddings, overrides,
# isolates: the "Trojan Source" set, which GitHub also warns of): a date, a name or a number could
# read differently on the site from what the file and the checks say. Right-to-left languages need
# none of them; the browser lays such text out itself.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem naming the line of the first byte that is not UTF-8, or
    saying the file is past the size limit (toolkit/core/limits.py)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [too_big(shown, size)]
        data = path.read_bytes()
    except OSError as exc:   # a link to nothing, a file without read permission, a folder
        return None, [error(shown, 1, "cannot-read", f"the file cannot be read ({exc.strerror or exc})",
                            "check that it is an ordinary file you may read, not a broken link")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(shown, line, "not-utf8", "the file is not UTF-8 text",
                            "save it as UTF-8 (in most editors: Save As, encoding UTF-8)")]
    text = text.replace("\r\n", "\n")
    if "\0" in text:   # kept, so the rest of the file is still checked; no file name or text may hold one
        line = text[: text.index("\0")].count("\n") + 1
        return text, [error(shown, line, "nul-byte", "the line contains a NUL byte, an invisible character "
                            "that no text or file name may hold", "retype the line, or paste it through a plain-text "
                            "editor such as Notepad")]
    return text, []


def bidi_controls(text: str, shown: str, first_line: int) -> list[Problem]:
    """One error per line of a page body holding a direction control (YAML's reader names those in
    front matter and data files as invisible characters, with their column)."""
    problems = []
    for offset, line in enumerate(text.split("\n")):
        found = _BIDI_CONTROLS.search(line)
        if found:
            problems.append(error(shown, first_line + offset, "bidi-control", "the line contains an invisible "
                                  f"{unicodedata.name(found.group()).lower()} character (U+{ord(found.group()):04X}), "
                                  "which makes text show in another order than it is written",
                                  "retype the line without it (often pasted from another program); text in a "
                                  "right-to-left language needs no such character"))
    return problems


@dataclass(frozen=True, slots=True)
class SplitPage:
    """A page's front matter text and body, with the file line each starts on."""

    front_matter: str
    front_matter_line: int
    body: str
    body_line: int
    front_matter_lines: int  # lines from the opening `---` to the closing one, inclusive


def split_front_matter(text: str, shown: str) -> tuple[SplitPage | None, list[Problem]]:
    """Split `---` fenced YAML front matter from a Markdown page."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, [error(shown, 1, "no-front-matter", "the page has no front matter",
                            "start the file with a line '---', the page's fields, and another '---'")]
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return SplitPage(
                front_matter="\n".join(lines[1:index]),
                front_matter_line=2,
                body="\n".join(lines[index + 1:]),
                body_line=index + 2,
                front_matter_lines=index + 1,
            ), []
    return None, [error(shown, 1, "front-matter-unclosed", "the front matter is never closed",
                        "add a line '---' after the last field (the file may be half-written)")]
