"""Limits on what one author file may make the toolkit do, each with an error naming the file.

Without them a few hostile or broken lines exhaust the machine: a YAML "alias bomb" (nine lines
of anchors repeating anchors) stands for hundreds of millions of values, a 5,000-deep list
overflowed Python's stack, and a huge file fills memory. The numbers are far above any real
page or data file; contribute.md lists them for authors.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import yaml

from toolkit.core.problems import Problem, error

MAX_FILE_BYTES = 10_000_000      # any page, data or settings file the toolkit reads as text
MAX_YAML_DEPTH = 50              # lists and mappings inside one another
MAX_ALIAS_VALUES = 10_000        # values that aliases (`*name`) repeat, counted as if written out
MAX_YAML_VALUES = 100_000        # values in one YAML document, aliases written out: each costs the strict
                                 # loader ~25 us (200,000 keys took 11 s); a big genogram has ~1,000
MAX_MARKDOWN_DEPTH = 30          # blocks (directives, quotes, list items) inside one another in a page;
                                 # 300 directives inside one another overflowed the build's stack
# A page's text, read before any Markdown parser sees it. markdown-it (the check's parser and MyST's
# in the build) spends its time at the characters Markdown gives meaning to, and some of its rules
# rescan the rest of a paragraph at each one: 20,000 unclosed `[` took seconds, smart quotes grow
# with the square of a paragraph's quotes, and a definition list costs ~150 us a line. Bounding the
# markup, not naming shapes, bounds every such rule; real pages sit far below (the longest shipped
# page, contribute.md: 22 KB, 280 lines, 1,194 markup characters, 166 in one paragraph).
MAX_PAGE_CHARACTERS = 1_000_000  # a page's text (a novel is about 500,000)
MAX_PAGE_LINES = 20_000
MAX_PAGE_MARKUP = 20_000         # characters Markdown reads as markup (MARKUP below), in one page
MAX_PARAGRAPH_MARKUP = 5_000     # ... in one paragraph (lines between blank lines)
MARKUP = re.compile(r"[\[\]()!*_~`<>{}&:|\\\"'#=+-]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


MAX_UNZIPPED_BYTES = 50_000_000   # all the parts of one Word or Excel file, unzipped: a few KB of
                                  # zip can unpack to gigabytes (a "zip bomb")


LIMIT_CODES = ("file-too-big", "yaml-too-deep", "yaml-alias-loop", "yaml-aliases", "yaml-too-many-values",
               "markdown-too-deep",
               "page-too-long", "page-too-much-markup")


class LimitExceeded(Exception):
    """A file is past one of the limits; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def too_big(path: str, size: int) -> Problem:
    return error(path, 1, "file-too-big", f"the file is {size:,} bytes; the most the toolkit reads is "
                 f"{MAX_FILE_BYTES:,}", "split it into smaller files, or remove what it does not need")


def too_deep(path: str, line: int) -> Problem:
    return error(path, line, "yaml-too-deep", f"lists and fields are nested more than {MAX_YAML_DEPTH} levels deep",
                 "write the data flatter: real pages and data files need only a few levels")


def too_many_values(path: str, line: int) -> Problem:
    return error(path, line, "yaml-too-many-values", f"the YAML has more than {MAX_YAML_VALUES:,} values",
                 "split it into several files: real data files have a few thousand at most")


def markdown_too_deep(path: str, line: int) -> Problem:
    """Markdown parsers (markdown-it, MyST, docutils) read nesting by recursion: a few hundred
    directives inside one another exhaust Python's stack, so the check refuses the page first."""
    return error(path, line, "markdown-too-deep", "the page nests directives, quotes or lists inside one "
                 f"another more than {MAX_MARKDOWN_DEPTH} levels deep",
                 "write it flatter: a real page needs only a few levels")


class UnzippedTooBig(ValueError):
    """A zip file (Word, Excel) whose parts unpack to more than MAX_UNZIPPED_BYTES."""


def read_zip_parts(path: Path, wanted: Callable[[str], bool]) -> dict[str, bytes]:
    """The wanted parts of a zip file, never more than MAX_UNZIPPED_BYTES in all: the sizes every part
    declares are added up first (so a bomb is refused before anything is unpacked, whoever reads it
    next), and each part is read no further than the limit (in case a size lies)."""
    with zipfile.ZipFile(path) as archive:
        declared = sum(info.file_size for info in archive.infolist())
        if declared > MAX_UNZIPPED_BYTES:
            raise UnzippedTooBig(f"unzipped, the file would be {declared:,} bytes; the most the toolkit "
                                 f"reads is {MAX_UNZIPPED_BYTES:,}")
        parts, total = {}, 0
        for info in archive.infolist():
            if wanted(info.filename):
                with archive.open(info) as member:
                    parts[info.filename] = member.read(MAX_UNZIPPED_BYTES - total + 1)
                total += len(parts[info.filename])
                if total > MAX_UNZIPPED_BYTES:
                    raise UnzippedTooBig(f"unzipped, the file is more than {MAX_UNZIPPED_BYTES:,} bytes, the "
                                         "most the toolkit reads")
    return parts


def page_text_limits(body: str, path: str, first_line: int) -> list[Problem]:
    """The limits on a page body (MAX_PAGE_...), checked before it is parsed: one problem, or none.
    Linear in the text, with no Markdown parser involved."""
    split = "split it into several pages, linked from one another"
    if len(body) > MAX_PAGE_CHARACTERS:
        return [error(path, first_line, "page-too-long", f"the page's text is {len(body):,} characters; the most "
                      f"is {MAX_PAGE_CHARACTERS:,}", split)]
    lines = body.count("\n") + 1
    if lines > MAX_PAGE_LINES:
        return [error(path, first_line, "page-too-long", f"the page has {lines:,} lines; the most is "
                      f"{MAX_PAGE_LINES:,}", split)]
    total, line = 0, first_line
    for paragraph in _BLANK_LINE.split(body):
        markup = len(MARKUP.findall(paragraph))
        total += markup
        if markup > MAX_PARAGRAPH_MARKUP:
            start = line + len(paragraph) - len(paragraph.lstrip("\n"))   # after further blank lines
            return [error(path, start, "page-too-much-markup", f"the paragraph starting on this line has {markup:,} "
                          f"markup characters ([ ] * _ ` < {{ : and the like); the most in one paragraph is "
                          f"{MAX_PARAGRAPH_MARKUP:,}", "close what you open (each [ with ], each * with *), write "
                          "a character meant as text with a \\ before it, or split the paragraph")]
        line += paragraph.count("\n") + 2
    if total > MAX_PAGE_MARKUP:
        return [error(path, first_line, "page-too-much-markup", f"the page has {total:,} markup characters "
                      f"([ ] * _ ` < {{ : and the like); the most in one page is {MAX_PAGE_MARKUP:,}", split)]
    return []


def check_yaml_node(root: yaml.Node, path: str, line_offset: int) -> None:
    """Raise LimitExceeded when a composed YAML document nests too deep, refers to itself, or
    has aliases that repeat too many values. Walks the node graph once without recursion,
    before any value is built."""
    sizes: dict[int, int] = {}          # node -> values it stands for, aliases written out
    uses: dict[int, int] = {}           # node -> times it appears (more than once: aliased)
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        uses[key] = uses.get(key, 0) + 1
        if key in open_nodes:
            raise LimitExceeded(error(path, node.start_mark.line + 1 + line_offset, "yaml-alias-loop",
                                      "an alias (*name) is used inside the value it names",
                                      "write the value out instead of referring to itself"))
        if key in sizes:
            continue
        if depth > MAX_YAML_DEPTH:
            raise LimitExceeded(too_deep(path, node.start_mark.line + 1 + line_offset))
        if len(sizes) + len(open_nodes) > MAX_YAML_VALUES:   # stop at once: the walk itself costs ~10 us a value
            raise LimitExceeded(too_many_values(path, root.start_mark.line + 1 + line_offset))
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack += [(child, depth + 1, False) for child in _children(node)]
    repeated = sum(sizes[key] * (count - 1) for key, count in uses.items())
    if repeated > MAX_ALIAS_VALUES:
        raise LimitExceeded(error(path, root.start_mark.line + 1 + line_offset, "yaml-aliases",
                                  f"aliases (*name) repeat {repeated:,} values; the most is {MAX_ALIAS_VALUES:,}",
                                  "write the values out, or use fewer aliases"))
    if sizes[id(root)] > MAX_YAML_VALUES:
        raise LimitExceeded(too_many_values(path, root.start_mark.line + 1 + line_offset))


def too_many_values_to_compose(text: str, path: str, line_offset: int) -> Problem | None:
    """Whether the text holds more than MAX_YAML_VALUES values, counted on libyaml's events and
    stopping there: composing is what costs (2,000,000 list items took 38 s before any check could
    look at them). Text shorter than two characters a value cannot hold that many, and is not read."""
    if len(text) <= 2 * MAX_YAML_VALUES:
        return None
    count = 0
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        while (event := loader.get_event()) is not None:
            count += isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent))
            if count > MAX_YAML_VALUES:
                return too_many_values(path, 1 + line_offset)
    except yaml.YAMLError:
        pass   # reported by the loader, on the text up to the mistake
    finally:
        loader.dispose()
    return None


def too_deep_before_error(text: str, path: str, line_offset: int) -> Problem | None:
    """For text libyaml could not read: whether it nests too deep before the mistake. The
    pure-Python parser, which then reads it again for its messages, recurses once per level
    (seconds at a few hundred levels), so such text is refused first."""
    depth = 0
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        while (event := loader.get_event()) is not None:
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if depth > MAX_YAML_DEPTH:
                return too_deep(path, event.start_mark.line + 1 + line_offset)
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):   # libyaml's own limit, met while looking ahead
            return too_deep(path, (exc.problem_mark.line if exc.problem_mark else 0) + 1 + line_offset)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
