"""Self-assessment front matter: every mistake in questions and scale at its own file and line."""

from __future__ import annotations

import pytest

from tests.conftest import SiteFolder, page

# The front matter written by page() puts `questions:` on line 9 and the first question's
# `- id:` on line 10, so each question below starts on a known line.
QUESTION = "\n  - id: {id}\n    text: {text}\n    maps_to: {maps_to}"


def assessment(*questions: str, **fields: str) -> str:
    return page("check-in", kind="self-assessment", questions="".join(questions), **fields)


def question(id: str = "standards", text: str = "I set high standards.", maps_to: str = "KSS-PS-1",
             extra: str = "") -> str:
    return QUESTION.format(id=id, text=text, maps_to=maps_to) + extra


MISTAKES = [
    (assessment(question(maps_to="KSS-PS-9")), 12, "maps_to: 'KSS-PS-9' is not a known framework statement"),
    (assessment(question(maps_to="KSS-PS1")), 12, "did you mean 'KSS-PS-1'?"),
    (assessment(question(maps_to="[KSS-PS-1, KSS-PS-2]")), 12, "'maps_to' should be text"),
    (assessment(question(), question(text="Again.")), 13, "question id 'standards' is used twice (first on line 10)"),
    (assessment(question(), scale="[]"), 13, "the scale is empty"),
    (assessment(question(), scale="[Only one]"), 13, "the scale has only one label"),
    (assessment(question(), scale="\n  - Rarely\n  - Often\n  - rarely"), 16,
     "the scale label 'rarely' is used twice (first on line 14)"),
    (assessment(question(extra="\n    reflect: true")), 13, "unknown field 'reflect' in a question; "
                                                           "did you mean 'reflection'?"),
    (assessment(question(extra="\n    reflection: sometimes")), 13, "'reflection' should be true or false"),
    (assessment("\n  - id: standards\n    maps_to: KSS-PS-1"), 10, "a question is missing the required field 'text'"),
    (assessment("\n  - id: Standards One\n    text: T\n    maps_to: KSS-PS-1"), 10, "'id' should be an id"),
    (assessment("\n  - Do I set standards?"), 10, "'questions' should be a list of items, each with key: value fields"),
    (assessment(" []"), 9, "the self-assessment has no questions"),
    (page("check-in", kind="self-assessment"), 2, "missing the required field 'questions'"),
]


@pytest.mark.parametrize(("text", "line", "words"), MISTAKES, ids=[m[2][:40] for m in MISTAKES])
def test_each_mistake_is_an_error_at_its_line(small_site: SiteFolder, text: str, line: int, words: str):
    small_site.write("check-in.md", text)
    result = small_site.toolkit("check")
    assert result.status == 1, result.stdout + result.stderr
    expected = f"content/check-in.md:{line}: error: "
    assert any(row.startswith(expected) and words in row for row in result.stdout.splitlines()), result.stdout
    assert "Traceback" not in result.stderr


def test_every_mistake_in_one_assessment_is_reported_at_once(small_site: SiteFolder):
    small_site.write("check-in.md", assessment(question(maps_to="KSS-PS-9"), question(), scale="[]"))
    result = small_site.toolkit("check")
    assert result.status == 1
    assert "maps_to: 'KSS-PS-9'" in result.stdout
    assert "used twice" in result.stdout
    assert "the scale is empty" in result.stdout


def test_a_valid_assessment_passes_without_audience_or_topics(small_site: SiteFolder):
    small_site.write("check-in.md", assessment(
        question(), question("growth", "I help practitioners grow.", "KSS-PS-2", "\n    reflection: true"),
        scale="[Not yet, Sometimes, Usually]"))
    result = small_site.toolkit("check")
    assert result.status == 0, result.stdout
    assert "no problems" in result.stderr


def test_a_new_self_assessment_passes_the_check_as_written(small_site: SiteFolder):
    made = small_site.toolkit("new", "self-assessment", "Supervision check-in", "--root", str(small_site.content))
    assert made.status == 0, made.stderr
    assert "questions:" in (small_site.content / "supervision-check-in.md").read_text()
    result = small_site.toolkit("check")
    assert result.status == 0, result.stdout
