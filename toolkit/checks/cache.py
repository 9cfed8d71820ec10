"""Results of the per-file text lints, kept between runs so unchanged pages are not linted again.

Only checks that depend on nothing but the text they are given are cached (the unsafe-markup
and personal-data lints of a page body), with what the body's markup points to (its mentions,
checked against the site on every run): the key is a digest of that text, everything else
the lint is told (shown path, first line, allowed strings), and the code that lints it — the
lint modules' source, the toolkit version and the Markdown parser's version. Checks across files (ids,
references, links, whether a file exists) are never cached: they always run.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from toolkit.checks.tokens import Mention
from toolkit.core.problems import Problem
from toolkit.core.trust import LINT_CACHE, read_signed, root_holding, write_signed

CACHE_FILE = Path("_build") / "cache" / LINT_CACHE   # beside the settings file


# The code whose results are cached: a change to any of these files, or to any lint in lints/,
# empties the cache (every lint there runs on cached text, so a new one is covered without listing it).
CACHED_CODE = ("checks", "core/problems.py")   # under toolkit/


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes whenever the toolkit version, the cached lints' code, the Markdown parser or the
    installed extensions change (an extension's diagram directive is data to the lints, not markup)."""
    import markdown_it
    import myst_parser

    import toolkit
    from toolkit.content.extensions import load_extensions
    digest = hashlib.sha256(f"{toolkit.__version__} {markdown_it.__version__} {myst_parser.__version__} "
                            f"{load_extensions()}".encode())
    package = Path(toolkit.__file__).parent
    paths = [package / name for name in CACHED_CODE]
    for path in [p for p in paths if p.is_file()] + [f for p in paths if p.is_dir()
                                                   for f in sorted(p.glob("*.py"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def lint_key(*parts: object) -> str:
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(b"\0" + str(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class LintCache:
    """Problems and mentions by key, read from and written back to one JSON file; a missing or damaged
    file is an empty cache, and a file that cannot be written only costs speed.

    A cached result skips the personal-data and markup checks, so the file is signed with this
    user's key (trust.py): an entry planted in a repository, or a file inside a content root
    (`roots`), is never read."""

    def __init__(self, path: Path | None, roots: tuple[Path, ...] = ()) -> None:
        self.path = path if path is not None and root_holding(path, roots) is None else None
        self.found: dict[str, dict[str, list[list]]] = {}
        self.used: dict[str, dict[str, list[list]]] = {}
        if self.path is not None and self.path.is_file():
            data = read_signed(self.path)
            try:
                if isinstance(data, dict) and data.get("version") == code_version():
                    self.found = {key: entry for key, entry in data["results"].items() if _well_formed(entry)}
            except (KeyError, AttributeError):
                self.found = {}

    def __contains__(self, key: str) -> bool:
        return key in self.found

    def get(self, key: str) -> tuple[list[Problem], list[Mention]] | None:
        """The problems and mentions stored for `key` (kept for this run's save), or None when not cached."""
        if key not in self.found:
            return None
        self.used[key] = self.found[key]
        return ([Problem(*fields) for fields in self.found[key]["problems"]],
                [Mention(*fields) for fields in self.found[key]["mentions"]])

    def put(self, key: str, problems: list[Problem], mentions: list[Mention]) -> None:
        self.used[key] = {"problems": [list(_fields(p)) for p in problems],
                          "mentions": [[m.kind, m.target, m.line, m.name, m.body, m.body_line] for m in mentions]}

    def save(self) -> None:
        """Keep only this run's entries, so the file does not grow with edits."""
        if self.path is None or self.used == self.found:
            return
        write_signed(self.path, {"version": code_version(), "results": self.used})


def _fields(problem: Problem) -> tuple:
    return (problem.path, problem.line, problem.severity, problem.code, problem.message, problem.hint,
            problem.column)


def _well_formed(entry: object) -> bool:
    """An entry of the shape `put` writes (any other is linted again, never half-read)."""
    return (isinstance(entry, dict) and isinstance(entry.get("problems"), list)
            and isinstance(entry.get("mentions"), list)
            and all(isinstance(p, list) and len(p) == 7 for p in entry["problems"])
            and all(isinstance(m, list) and len(m) == 6 for m in entry["mentions"]))
