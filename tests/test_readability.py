"""Plain English: `toolkit check` warns when a page's prose reads well above the target, and
only its prose counts (not code, tables, diagram data, directive options or URLs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, SiteFolder, page
from toolkit.checks.readability import MAX_GRADE, MIN_EASE, find_hard_reading, measure
from toolkit.core.textfiles import split_front_matter

PLAIN = ("Supervision is a regular meeting with your manager. You talk about your work and how you feel. "
         "You plan what to do next for each family. Your manager helps you think about risk. "
         "Write down what you agree. ") * 5
HARD = ("The intergenerational transmission of organisational dysfunctionality necessitates comprehensive "
        "multidisciplinary evaluation, notwithstanding considerable methodological heterogeneity across "
        "jurisdictional implementations and institutional configurations that characterise contemporary "
        "safeguarding arrangements and their accompanying accountability infrastructures. ") * 5
LONG_WORDS = "incomprehensibility institutionalisation interdisciplinarity " * 20


def test_plain_prose_passes() -> None:
    score = measure(PLAIN)
    assert score.grade < 8 and score.ease > 60, score
    assert find_hard_reading(PLAIN, "content/a.md", 9) == []


def test_hard_prose_gets_one_warning_with_file_line_score_and_hint() -> None:
    [problem] = find_hard_reading(HARD, "content/a.md", 9)
    assert (problem.path, problem.line, problem.severity, problem.code) == ("content/a.md", 9, "warning",
                                                                            "plain-english")
    assert "Flesch-Kincaid grade" in problem.message and "reading ease" in problem.message
    assert f"{measure(HARD).grade:.1f}" in problem.message
    assert "shorter sentences and everyday words" in problem.hint


@pytest.mark.parametrize("wrapper", [
    "```python\n{x}\n```",
    "| Column | Other |\n| --- | --- |\n| {x} | {x} |",
    "```{{genogram}}\npeople:\n  - id: a\n    name: {x}\n```",
    ":::{{note}}\n:class: {x}\nRead this.\n:::",
    "See https://example.org/{x} for more.",
    "{{doc}}`Plain title <{x}>`",
], ids=["code", "table", "diagram-data", "directive-options", "url", "role-target"])
def test_only_prose_is_scored(wrapper: str) -> None:
    body = PLAIN + "\n\n" + wrapper.format(x=LONG_WORDS.strip().replace(" ", "-")) + "\n"
    assert find_hard_reading(body, "content/a.md", 9) == [], measure(body)


def test_prose_inside_admonitions_is_scored() -> None:
    assert find_hard_reading(f":::{{note}}\n{HARD}\n:::\n", "content/a.md", 9)


def test_short_pages_are_not_scored() -> None:
    assert find_hard_reading(HARD.split(".")[0] + ".", "content/a.md", 9) == []


def test_shipped_content_reads_plainly() -> None:
    """Every shipped page passes, with room to spare (so light edits do not tip it over)."""
    scores = {}
    for path in sorted((REPO / "content").rglob("*.md")):
        split, _ = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        if split:
            scores[path.relative_to(REPO).as_posix()] = measure(split.body)
    assert len(scores) > 40
    hard = {p: (round(s.grade, 1), round(s.ease)) for p, s in scores.items()
            if s.words >= 100 and (s.grade > MAX_GRADE - 2 or s.ease < MIN_EASE + 10)}
    assert not hard, f"shipped pages near or above the plain-English limit: {hard}"


def test_check_reports_the_warning_and_still_passes(small_site: SiteFolder) -> None:
    small_site.write("guides/hard.md", page("hard-page", HARD))
    result = small_site.toolkit("check")
    assert result.status == 0, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if "plain-english" in line or "hard to read" in line]
    assert line.startswith("content/guides/hard.md:10: warning: this page is hard to read"), line
    assert "(use shorter sentences and everyday words" in line
    assert Path(small_site.content / "guides" / "hard.md").is_file()
