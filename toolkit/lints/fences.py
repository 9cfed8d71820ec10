"""Which lines of a page body are prose: fenced code blocks hold examples, not markup to check.

In `toolkit/lints/` so that the lint cache's code version covers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})(?P<directive>\{)?")


def prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(index, line) of every line outside fenced code blocks (a directive's fence is not code, and
    its body is prose): markup shown as an example in a code block is not markup to check."""
    code = ""
    directives: list[str] = []   # the fences of the directives open around this line
    for index, line in enumerate(body.split("\n")):
        stripped = line.strip()
        if code:
            code = "" if stripped.startswith(code) and not stripped.strip(code[0]) else code
            continue
        if directives and stripped and not stripped.strip(directives[-1][0]) \
                and len(stripped) >= len(directives[-1]):
            directives.pop()
            continue
        opening = _FENCE.match(line)
        if opening and opening["directive"]:
            directives.append(opening["fence"])
        elif opening and opening["fence"][0] != ":":
            code = opening["fence"]
            continue
        yield index, line
