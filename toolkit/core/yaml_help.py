"""YAML mistakes put in plain words, on the line where the author must act.

PyYAML's own messages ("found character '\\t' that cannot start any token", "mapping values
are not allowed here") name the parser's state, often on the line after the mistake, and some
mistakes pass silently: `title: Policy #1` loses "#1" to a comment, a non-breaking space pasted
from Word makes `published ` a different word. This module finds those mistakes in the text and
translates the parser's errors, so every message says what to type instead. `toolkit.core.yamlio`
calls it; nothing here parses YAML itself.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace

import yaml

from toolkit.core.problems import Problem, error

# Characters that look like a space (or like nothing) but are not the space YAML reads: the
# non-breaking and other typographic spaces Word pastes, zero-width characters, soft hyphens,
# direction marks, a byte-order mark in mid-file and Unicode line separators.
INVISIBLE = re.compile("[\u00a0\u00ad\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]")
_SPACE_LIKE = "Zs"   # Unicode category: these become an ordinary space, the rest nothing
_KEY_VALUE = re.compile(r"^[ \t]*(?:- +)?(?P<key>[^\s:#'\"{\[\]},-][^:#{}\[\]]*?):(?:[ \t]+(?P<value>.*))?$")
_LOST_COMMENT = re.compile(r"^[ \t]+#(?=\S)")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?\b")
_CURLY_QUOTES = "\u201c\u201d\u2018\u2019"


def _name(character: str) -> str:
    return unicodedata.name(character, "invisible character").lower()


def clean_invisible(text: str, path: str, line_offset: int) -> tuple[str, list[Problem]]:
    """The text with invisible characters made plain spaces (or removed), and one error each.

    The text is cleaned before parsing so the parse goes on as the author meant and the file's
    other mistakes are still found; the errors make the author clean the file itself.
    """
    if not INVISIBLE.search(text):
        return text, []
    problems: list[Problem] = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        text_ends = len(line.rstrip())   # past it only spaces: measured once (per character, 100,000 took 82 s)
        for match in INVISIBLE.finditer(line):
            character = match.group()
            at_end = match.end() >= text_ends
            where = "at the end of the line" if at_end else f"in column {match.start() + 1}"
            fix = ("delete it" if at_end else
                   "replace it with an ordinary space" if unicodedata.category(character) == _SPACE_LIKE
                   else "delete it (it is invisible)")
            problems.append(replace(error(
                path, number + 1 + line_offset, "yaml-invisible-character",
                f"a {_name(character)} (U+{ord(character):04X}, often pasted from Word) {where}",
                f"{fix}: YAML only understands ordinary spaces"), column=match.start() + 1))
        lines[number] = "".join(" " if unicodedata.category(c) == _SPACE_LIKE else ""
                                if INVISIBLE.match(c) else c for c in line)
    return "\n".join(lines), problems


def lost_comment(lines: list[str], key: object, value: yaml.Node, path: str, line_offset: int
                 ) -> tuple[Problem, str] | None:
    """An error when an unquoted value is followed by `#text`, which YAML drops as a comment, and
    the value the author meant (so the checks after this one see it, not a knock-on mistake).

    `# note` (with a space) is a comment an author meant; `#1` or `#0b6e4f` is part of a value.
    """
    if not isinstance(value, yaml.ScalarNode) or value.style or value.end_mark.line >= len(lines):
        return None
    rest = lines[value.end_mark.line][value.end_mark.column:]
    if not _LOST_COMMENT.match(rest):
        return None
    dropped = rest.strip()
    kept = f"{value.value} {dropped}".strip() if value.value else dropped
    what = "a colour" if _COLOUR.match(dropped) and not value.value else f"'{dropped}'"
    return replace(error(
        path, value.end_mark.line + 1 + line_offset, "yaml-hash-in-value",
        f"{what} after '{key}:' is read as a comment (from '#') and left out of the value",
        f'put the whole value in double quotes: {key}: "{kept}"; for a note, put a space after the #'),
        column=value.end_mark.column + len(rest) - len(rest.lstrip()) + 1), kept


def explain_syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str, line_offset: int) -> list[Problem]:
    """The parser's error as the mistake an author made, with the fix, on the line to change.

    Every problem keeps the code `yaml-syntax` (the file could not be read at all): callers
    test for it, and the message, not the code, tells the mistakes apart."""
    lines = text.split("\n")
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    context_line = exc.context_mark.line if exc.context_mark else line

    def at(index: int, message: str, hint: str, col: int = 0) -> list[Problem]:
        return [replace(error(path, index + 1 + line_offset, "yaml-syntax", message, hint), column=col)]

    def source(index: int) -> str:
        return lines[index] if 0 <= index < len(lines) else ""

    if "'\\t'" in problem:   # every tab at once: the parser would stop at each in turn
        return [replace(error(path, number + 1 + line_offset, "yaml-syntax",
                              f"a tab character in column {text_line.index(chr(9)) + 1}",
                              "replace the tab with spaces: YAML does not accept tabs"),
                        column=text_line.index("\t") + 1)
                for number, text_line in enumerate(lines) if "\t" in text_line]
    for index in sorted({line, context_line}):
        if any(quote in source(index) for quote in _CURLY_QUOTES):
            return at(index, "curly quotes (“ ” or ‘ ’, as Word types them) do not "
                      "count as quotes in YAML", 'use straight quotes: "like this"')
    if "cannot start any token" in problem:
        character = problem.split("'")[1] if "'" in problem else "?"
        key = _key_of(source(line))
        return at(line, f"a value cannot start with '{character}'",
                  f'put the value in double quotes: {key}: "{source(line)[column:].strip()}"' if key
                  else "put the value in double quotes", column + 1)
    if exc.context and "quoted scalar" in exc.context:
        if "end of stream" in problem or "end of the stream" in problem:
            opening = exc.context_mark.column if exc.context_mark else 0
            quote = source(context_line)[opening:opening + 1] or '"'
            return at(context_line, f"the quote {quote} opened in column {opening + 1} is "
                      "never closed", f"add the closing {quote} at the end of the value", opening + 1)
        return at(line, "inside double quotes, a backslash (\\) starts a special character",
                  "write each backslash twice (\\\\), or use single quotes instead", column + 1)
    if exc.context and "flow" in exc.context:
        bracket = "[" if "sequence" in exc.context else "{"
        closing = "]" if bracket == "[" else "}"
        for index in range(context_line, line + 1):
            hash_at = _comment_start(source(index))
            if hash_at is not None:
                word = source(index)[hash_at:].split(",")[0].split(closing)[0].strip()
                key = re.search(r"([^\s{\[,:]+):\s*$", source(index)[:hash_at])
                typed = f'{key[1]}: "{word}"' if key else f'"{word}"'
                return at(index, f"'{word}' is read as a comment (from '#'), so the rest "
                          "of the line is lost", f"put the value in double quotes: {typed}", hash_at + 1)
        if closing not in "".join(lines[context_line:line + 1]):
            key = _key_of(source(context_line))
            value = source(context_line).split(":", 1)[-1].strip()
            text_instead = (f'; if it is text, not a list, put it in double quotes: {key}: "{value}"'
                            if key and value.startswith(bracket) else "")
            return at(context_line, f"the '{bracket}' on this line is never closed",
                      f"add '{closing}' after the last item{text_instead}",
                      (exc.context_mark.column + 1) if exc.context_mark else 0)
        return at(line, f"a value inside {bracket} {closing} contains ':' or another "
                  "special character", 'put that value in double quotes, e.g. [first, "second: part"]', column + 1)
    if "mapping values are not allowed" in problem:
        key = _key_of(source(line))
        first_colon = source(line).find(":")
        if key and first_colon != column:
            value = source(line).split(":", 1)[1].strip()
            return at(line, f"the value of '{key}' contains ': ', which YAML reads as "
                      "the start of another field", f'put the whole value in double quotes: {key}: "{value}"',
                      column + 1)
        return _indentation(lines, line, path, line_offset)
    if "could not find expected ':'" in problem:
        return at(context_line, "this line has no ':' after the field name",
                  "write 'name: value'; if the line goes on from the one above, put that value on one line, "
                  "in double quotes")
    if "expected <block end>" in problem or "expected <document start>" in problem:
        key = _key_of(source(line))
        value = source(line).split(":", 1)[1].strip() if key else ""
        if value[:1] == "'":
            return at(line, "the apostrophe ends the text started by the single quote",
                      f'use double quotes around text with an apostrophe: {key}: "{value[1:-1]}"', column + 1)
        if value[:1] == '"':
            return at(line, "there is more text after the closing quote",
                      f"put the whole value in quotes and write a quote inside it as \\\": {key}: \"...\"",
                      column + 1)
        for opening, closing in ("[]", "{}"):
            if source(line).count(closing) > source(line).count(opening):
                return at(line, f"there is an extra '{closing}' on this line",
                          f"remove it, so each '{opening}' has one '{closing}'", column + 1)
        return _indentation(lines, line, path, line_offset)
    if "undefined alias" in problem or "constructor for the tag" in problem:
        key = _key_of(source(line))
        character = "*" if "alias" in problem else "!"
        return at(line, f"a value cannot start with '{character}'",
                  f'put the value in double quotes: {key}: "{source(line).split(":", 1)[1].strip()}"' if key
                  else "put the value in double quotes", column + 1)
    if "another document" in problem:
        return at(line, "a line '---' in the middle of the file starts a second document",
                  "remove the '---' line (only the page's front matter is fenced with ---)")
    return at(line, f"YAML could not be read: {problem or exc.context or 'invalid YAML'}",
              "check indentation, colons and quotes on this line or the one above", column + 1)


def _indentation(lines: list[str], index: int, path: str, line_offset: int) -> list[Problem]:
    here = lines[index] if index < len(lines) else ""
    spaces = len(here) - len(here.lstrip(" "))
    above = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip() and
                  not lines[i].lstrip().startswith("#")), "")
    above_spaces = len(above) - len(above.lstrip(" "))
    how = "more" if spaces > above_spaces else "less" if spaces < above_spaces else "as much"
    return [replace(error(path, index + 1 + line_offset, "yaml-syntax",
                          f"this line is indented {how} than the line above ({_spaces(spaces)}, "
                          f"not {above_spaces})"
                          if how != "as much" else "this line does not line up with the fields around it",
                          "start it with the same number of spaces as the other fields at its level; "
                          "for a list item, those spaces and then '- '"), column=spaces + 1)]


def _spaces(count: int) -> str:
    return f"{count} space{'s' * (count != 1)}"


def _key_of(line: str) -> str:
    match = _KEY_VALUE.match(line)
    return match["key"].strip() if match else ""


def _comment_start(line: str) -> int | None:
    """Where an unquoted ` #` starts a comment in a line, if it does."""
    quote = ""
    for index, character in enumerate(line):
        if quote:
            quote = "" if character == quote else quote
        elif character in "\"'":
            quote = character
        elif character == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return None


def yaml_text(value: str) -> str:
    """`value` as YAML reads it back unchanged: plain when it parses to itself, else in double
    quotes (a title with ': ', '#', a leading '[' or '@', or one YAML would read as a date or
    true/false). For the files the toolkit writes for authors, so they always pass the check."""
    try:
        plain = yaml.safe_load(f"k: {value}") == {"k": value}
    except yaml.YAMLError:
        plain = False
    return value if plain and value and not INVISIBLE.search(value) else json.dumps(value, ensure_ascii=False)
