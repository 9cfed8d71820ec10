"""Every problem the toolkit reports carries a registered code, shown as `[code]` and explained
in the authoring reference, so an author can look up any message."""

from __future__ import annotations

import ast

import pytest

import toolkit.diagrams  # noqa: F401  (registering the diagram types registers their codes)
from tests.conftest import REPO, SiteFolder, page
from toolkit.core.problem_codes import PROBLEM_CODES
from toolkit.core.problems import error

# Calls that make a Problem, and which argument is its code.
MAKERS = {"error": 2, "warning": 2, "info": 2, "Problem": 3}


def _literal_codes() -> list[tuple[str, str]]:
    """(code, where) for every Problem made with a literal code in toolkit/ and builder/."""
    found = []
    for path in sorted([*(REPO / "toolkit").rglob("*.py"), *(REPO / "builder").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            at = MAKERS.get(name or "")
            if at is not None and len(node.args) > at and isinstance(node.args[at], ast.Constant):
                found.append((node.args[at].value, f"{path.relative_to(REPO)}:{node.lineno}"))
    return found


def test_every_literal_code_is_registered() -> None:
    codes = _literal_codes()
    assert len(codes) > 80   # the walk found the calls
    assert [c for c in codes if c[0] not in PROBLEM_CODES] == []


def test_every_code_has_a_meaning() -> None:
    assert all(meaning.strip() for meaning in PROBLEM_CODES.values())


def test_text_output_shows_the_code() -> None:
    assert error("a.md", 3, "unknown-doc", "no page", "use an id").as_text() == \
        "a.md:3: error: no page (use an id) [unknown-doc]"


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> str:
    import shutil

    from tests.conftest import SMALL_SITE
    site = SiteFolder(tmp_path_factory.mktemp("codes") / "site")
    shutil.copytree(SMALL_SITE, site.folder)
    site.write("a.md", page("a", body="See {doc}`nowhere`.\n\nCall 07700 900 123 or email jo@gmail.com.",
                            titel="x"))
    site.write("family.genogram.yaml", "people: 3\n")
    return site.toolkit("check").stdout


def test_every_reported_problem_has_a_registered_code(checked: str) -> None:
    lines = [line for line in checked.splitlines() if ": error: " in line or ": warning: " in line]
    assert len(lines) >= 4, checked
    for line in lines:
        code = line.rsplit("[", 1)[-1].rstrip("]")
        assert line.endswith("]") and code in PROBLEM_CODES, line
