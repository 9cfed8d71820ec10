"""Problems found in content, reported to authors as `path:line: severity: message (hint) [code]`.

Every code is registered, with its meaning, in toolkit/core/problem_codes.py."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong (or worth knowing) about one place in one file.

    Ordered by path, then line, so a sorted list reads file by file.
    """

    path: str
    line: int
    severity: Severity
    code: str
    message: str
    hint: str = ""
    column: int = 0

    def as_text(self) -> str:
        text = f"{self.path}:{self.line}: {self.severity}: {self.message}"
        return (f"{text} ({self.hint})" if self.hint else text) + f" [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def error(path: str, line: int, code: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, "error", code, message, hint)


def warning(path: str, line: int, code: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, "warning", code, message, hint)


def info(path: str, line: int, code: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, "info", code, message, hint)
