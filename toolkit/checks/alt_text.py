"""Images without a text alternative: a warning, so every image says what it shows.

A screen-reader user hears the alt text in place of the image (WCAG 2.2, 1.1.1); an image
without it is announced by its file name, or skipped. Markdown images (`![alt](file)`) and the
`image` and `figure` directives (`:alt:` option) are checked; code blocks are left alone.
"""

from __future__ import annotations

from toolkit.checks.tokens import Step
from toolkit.core.problems import Problem, warning


class MissingAlt:
    """A consumer of the one walk: one warning per image with no alt text, on its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def see(self, step: Step) -> None:
        token, line, directive = step.token, step.line, step.directive
        if step.part != "text":
            return
        if token.type == "image":
            alt = "".join(child.content for child in token.children or [])
            target = str(token.attrs.get("src", ""))
            if not alt.strip():
                self.problems.append(_missing(self.path, line, target, f"![What the image shows]({target})"))
        elif directive and directive.name in ("image", "figure") \
                and not any(name.strip().lower() == "alt" and value.strip() for name, value, _ in directive.options):
            target = directive.argument.split()[0] if directive.argument else ""
            self.problems.append(_missing(self.path, line, target, "add a line ':alt: What the image shows' "
                                          f"under the {directive.name} line"))


def _missing(path: str, line: int, target: str, fix: str) -> Problem:
    return warning(path, line, "image-alt", f"the image '{target}' has no alt text, so screen-reader users "
                   "do not know what it shows", f"describe it in a few words: {fix}")
