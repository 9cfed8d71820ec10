"""`toolkit check`: every kind of author mistake gives file, line and a fix — never a traceback."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SiteFolder, page

# (file, text, expected "path:line: error: ..." start, expected words in the message)
MISTAKES = [
    ("a.md", page("a", titel="x"), "content/a.md:9: error:", "unknown field 'titel'", "did you mean 'title'"),
    ("a.md", page("a", summary=None), "content/a.md:2: error:", "missing the required field 'summary'"),
    ("a.md", page("a", kind="skil"), "content/a.md:3: error:", "'kind' cannot be 'skil'", "did you mean 'skill'"),
    ("a.md", page("a", last_reviewed="2026-02-30"), "content/a.md:7: error:", "'2026-02-30' is not a real date"),
    ("a.md", page("a").replace("status: published", "status: published\nstatus: draft"),
     "content/a.md:7: error:", "duplicate key 'status' (first on line 6)"),
    ("a.md", page("a", summary="x" * 301), "content/a.md:5: error:", "summary is 301 characters"),
    ("a.md", page("a", review_by="2026-08-01"), "content/a.md:8: error:", "review_by 2026-08-01 is not after"),
    ("a.md", "# Just a heading\n", "content/a.md:1: error:", "no front matter"),
    ("a.md", "---\nid: a\ntitle: Half", "content/a.md:1: error:", "never closed", "half-written"),
    ("a.md", b"---\nid: caf\xe9\n---\n", "content/a.md:2: error:", "not UTF-8"),
    ("a.md", page("a", title="[unclosed"), "content/a.md:4: error:", "the '[' on this line is never closed",
     'title: "[unclosed"'),
    ("a.md", page("a", kind="skill", audience="[practitoner]", topics="[assessment]", maps_to="[KSS-PS-1]"),
     "content/a.md:9: error:", "'practitoner' is not a known audience", "did you mean 'practitioner'"),
    ("a.md", page("a", topics="[cooking]"), "content/a.md:9: error:", "'cooking' is not a known topic"),
    ("a.md", page("a", maps_to="[KSS-PS-9]"), "content/a.md:9: error:",
     "'KSS-PS-9' is not a known framework statement"),
    ("a.md", page("a", related="[no-such-page]"), "content/a.md:9: error:", "'no-such-page' is not a known page id"),
    ("a.md", page("a", audience="practitioner"), "content/a.md:9: error:", "'audience' should be a list"),
    ("a.md", page("a", kind="resource", audience="[practitioner]", topics="[assessment]", maps_to="[KSS-PS-1]"),
     "content/a.md:2: error:", "missing the required field 'resource_type'"),
    ("a.md", page("a", kind="skill", audience="[practitioner]", topics="[assessment]"),
     "content/a.md:2: error:", "missing the required field 'maps_to'"),
    ("a.md", page("search"), "content/a.md:2: error:", "'search' is the name of a page the toolkit makes itself"),
    ("a.md", page("a", body="See {doc}`nowhere`."), "content/a.md:12: error:", "{doc} link to 'nowhere'"),
    ("a.md", page("a", kind="pathway-stage", stage="astronaut", audience="[practitioner]",
                  topics="[assessment]", maps_to="[KSS-PS-1]"),
     "content/a.md:9: error:", "'astronaut' is not a known career stage"),
    ("a.md", page("a", kind="skill", audience="[practitioner]", topics="[assessment]", maps_to="[KSS-PS-1]",
                  templates="[missing.csv]"), "content/a.md:12: error:", "'missing.csv' does not exist"),
    ("a.md", page("a", body="![x](../../../etc/passwd)"), "content/a.md:12: error:", "outside the content root"),
    ("frameworks/X.yaml", "id: X\ntitle: T\nissued_by: I\nyear: 2020\nsource_url: https://x.example/\n"
     "statements:\n  - {number: 1, title: A, summary: B}\n  - {number: 1, title: C, summary: D}\n",
     "content/frameworks/X.yaml:8: error:", "statement number 1 is used twice"),
    ("frameworks/X.yaml", "id: X\ntitle: T\nissued_by: I\nyear: 2020\nsource_url: https://x.example/\n"
     "statements:\n  - {number: 1, title: A, summary: B}\n  - number: 2\n    title: C\n    summary: D\n"
     "    text: The official words.\n", "content/frameworks/X.yaml:11: error:",
     "quoted, but the set names no licence", "add the set's `licence`", "keep the summary in your own words"),
    ("frameworks/X.yaml", "id: X\ntitle: T\nissued_by: I\nyear: twenty\nsource_url: https://x.example/\n"
     "statements: []\n", "content/frameworks/X.yaml:4: error:", "'year' should be a whole number"),
    ("frameworks/X.yaml", "id: X\ntitle: T\nissued_by: I\nyear: 2020\nsource_url: https://x.example/\n"
     "superseded_by: KSS-PZ\nstatements:\n  - {number: 1, title: A, summary: B}\n",
     "content/frameworks/X.yaml:6: error:", "superseded_by: 'KSS-PZ' is not a known framework set",
     "did you mean 'KSS-PS'"),
    ("frameworks/X.yaml", "id: X\ntitle: T\nissued_by: I\nyear: 2020\nsource_url: https://x.example/\n"
     "superseded_by: X\nstatements:\n  - {number: 1, title: A, summary: B}\n",
     "content/frameworks/X.yaml:6: error:", "set 'X' cannot replace itself"),
    ("vocabularies/topics.yaml", "- {id: a, label: A, description: D}\n- {id: a, label: B, description: E}\n",
     "content/vocabularies/topics.yaml:2: error:", "'a' is listed twice"),
    ("vocabularies/glossary.yaml", "- {term: LADO, definition: Designated officer., see: nowhere}\n",
     "content/vocabularies/glossary.yaml:1: error:", "see 'nowhere' is not a page id"),
]


@pytest.mark.parametrize(("file", "text", "where", *["words"]),
                         [(m[0], m[1], m[2], m[3:]) for m in MISTAKES],
                         ids=[f"{i}-{m[3][:30]}" for i, m in enumerate(MISTAKES)])
def test_each_mistake_is_reported_with_file_line_and_message(small_site: SiteFolder, file, text, where,
                                                              words):
    small_site.write(file, text)
    result = small_site.toolkit("check")
    assert result.status == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(where)]
    assert lines, f"no '{where}' in:\n{result.stdout}"
    assert any(all(w in line for w in words) for line in lines), result.stdout
    assert "Traceback" not in result.stderr


def test_clean_site_passes(small_site: SiteFolder):
    result = small_site.toolkit("check")
    assert result.status == 0, result.stdout
    assert "no problems" in result.stderr


def test_duplicate_id_names_both_files(small_site: SiteFolder):
    small_site.write("other/genograms-again.md", page("genograms"))
    result = small_site.toolkit("check")
    assert result.status == 1
    assert ("content/other/genograms-again.md:2: error: page id 'genograms' is also used by "
            "content/guides/genograms.md:2") in result.stdout


def test_all_problems_in_one_run_sorted_by_file(small_site: SiteFolder):
    small_site.write("b.md", page("b", kind="nope"))
    small_site.write("a.md", page("a", topics="[nope]"))
    small_site.write("c.md", "no front matter")
    result = small_site.toolkit("check")
    paths = [line.split(":")[0] for line in result.stdout.splitlines()]
    assert paths == sorted(paths) and {"content/a.md", "content/b.md", "content/c.md"} <= set(paths)


def test_body_is_checked_even_when_front_matter_fails(small_site: SiteFolder):
    small_site.write("a.md", page("a", kind="nope", body="Click [here](javascript:alert(1))."))
    result = small_site.toolkit("check")
    assert "content/a.md:3: error: 'kind' cannot be 'nope'" in result.stdout
    assert "content/a.md:12: error: link uses a 'javascript:' URL" in result.stdout


def test_json_format_lists_the_same_problems(small_site: SiteFolder):
    small_site.write("a.md", page("a", titel="x"))
    text = small_site.toolkit("check").stdout
    result = small_site.toolkit("check", "--format", "json")
    problems = json.loads(result.stdout)
    assert result.status == 1
    assert [f"{p['path']}:{p['line']}: {p['severity']}: {p['message']} ({p['hint']}) [{p['code']}]"
            for p in problems] == text.splitlines()
    assert set(problems[0]) == {"path", "line", "column", "severity", "code", "message", "hint"}
    assert problems[0]["code"] == "unknown-field"


def test_overdue_review_is_a_warning_and_strict_makes_it_fail(small_site: SiteFolder):
    small_site.write("a.md", page("a", last_reviewed="2025-01-01", review_by="2026-01-01"))
    relaxed = small_site.toolkit("check")
    strict = small_site.toolkit("check", "--strict")
    assert relaxed.status == 0 and "content/a.md:8: warning: review_by 2026-01-01 has passed" in relaxed.stdout
    assert strict.status == 1


def test_later_root_replaces_page_by_id(small_site: SiteFolder):
    local = small_site.folder / "local"
    local.mkdir()
    (local / "genograms.md").write_text(page("genograms", title="Our genograms"))
    small_site.settings.write_text(small_site.settings.read_text().replace(
        "content: [content]", "content: [content, local]"))
    result = small_site.toolkit("check")
    assert result.status == 0
    assert "local/genograms.md:2: info: replaces 'genograms' from content/guides/genograms.md" in result.stdout


def test_settings_mistakes_use_the_same_format(small_site: SiteFolder):
    small_site.settings.write_text(small_site.settings.read_text()
                                   .replace('"#1d4f91"', '"#ffcc00"') + "colour: red\n")
    result = small_site.toolkit("check")
    assert result.status == 1
    assert "site.yaml:3: error: colours.primary #ffcc00 has contrast" in result.stdout
    assert "site.yaml:6: error: unknown field 'colour' in the settings; did you mean 'colours'?" in result.stdout


def test_missing_settings_file_is_a_usage_error(small_site: SiteFolder):
    small_site.settings.unlink()
    result = small_site.toolkit("check")
    assert result.status == 2
    assert "no settings file" in result.stderr and "Traceback" not in result.stderr


def test_checks_of_a_large_site_are_the_same_cold_cached_and_after_an_edit(small_site):
    """Past PARALLEL_MIN_PAGES the text lints run in a worker process beside loading, and their
    results are cached: each way must report the same problems, with their lines, and an edit
    must be linted again."""
    from toolkit.checks.page_lints import PARALLEL_MIN_PAGES
    for number in range(PARALLEL_MIN_PAGES + 20):
        small_site.write(f"many/note-{number}.md", page(f"note-{number}", body=f"Guidance note {number}."))
    small_site.write("many/note-7.md", page("note-7", body="Ring about NHS no. 943 476 5919 today."))
    small_site.write("many/note-90.md", page("note-90", body="Click [here](javascript:alert(1))."))
    expected = ["content/many/note-7.md:12: error: ",
                "content/many/note-90.md:12: error: link uses a 'javascript:' URL"]

    cold, cached = small_site.toolkit("check"), small_site.toolkit("check")
    for result in (cold, cached):
        assert result.status == 1
        lines = [line for line in result.stdout.splitlines() if ": error: " in line]
        assert len(lines) == 2 and all(line.startswith(start) for line, start in zip(lines, expected, strict=True))
    assert cached.stdout == cold.stdout

    small_site.write("many/note-7.md", page("note-7", body="Ring the duty desk today."))
    edited = small_site.toolkit("check")
    assert [line for line in edited.stdout.splitlines() if ": error: " in line] == [
        line for line in cold.stdout.splitlines() if line.startswith(expected[1])]
