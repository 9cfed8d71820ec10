"""Images without a text alternative: a warning, so every image says what it shows.

A screen-reader user hears the alt text in place of the image (WCAG 2.2, 1.1.1); an image
without it is announced by its file name, or skipped. Markdown images (`![alt](file)`) and the
`image` and `figure` directives (`:alt:` option) are checked; code blocks are left alone.
"""

from __future__ import annotations

import re

from toolkit.lints.fences import prose_lines
from toolkit.problems import Problem, warning

_MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]+)")
_IMAGE_DIRECTIVE = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\{(?P<name>image|figure)\}\s*(?P<target>\S+)")
_ALT_OPTION = re.compile(r"^\s*:alt:\s*\S")
_OPTION = re.compile(r"^\s*:[\w-]+:")


def find_missing_alt(body: str, path: str, first_line: int) -> list[Problem]:
    """One warning per image with no alt text, on its line."""
    problems: list[Problem] = []
    lines = body.split("\n")
    for index, line in prose_lines(body):
        for match in _MARKDOWN_IMAGE.finditer(line):
            if not match["alt"].strip():
                problems.append(_missing(path, first_line + index, match["target"],
                                         f"![What the image shows]({match['target']})"))
        directive = _IMAGE_DIRECTIVE.match(line)
        if directive:
            options = []
            for following in lines[index + 1:]:
                if not _OPTION.match(following):
                    break
                options.append(following)
            if not any(_ALT_OPTION.match(option) for option in options):
                problems.append(_missing(path, first_line + index, directive["target"],
                                         f"add a line ':alt: What the image shows' under the {directive['name']} line"))
    return problems


def _missing(path: str, line: int, target: str, fix: str) -> Problem:
    return warning(path, line, "image-alt", f"the image '{target}' has no alt text, so screen-reader users "
                   "do not know what it shows", f"describe it in a few words: {fix}")
