"""YAML mistakes a non-programmer makes come back in plain words, on the line to change, with
what to type instead (issue 20)."""

from __future__ import annotations

import pytest
from conftest import SiteFolder, page

from toolkit.core.yamlio import load_yaml

NBSP, ZWSP = "\u00a0", "\u200b"

# (name, YAML text, line, code, words the message or fix must contain)
CASES = [
    ("tab indent", "id: a\n\ttitle: x\nstatus: draft\n", 2, "yaml-syntax", ["tab", "spaces"]),
    ("colon in title", "id: a\ntitle: Supervision: a guide\n", 2, "yaml-syntax",
     ['title: "Supervision: a guide"']),
    ("hash in title", "id: a\ntitle: Supervision policy #1\n", 2, "yaml-hash-in-value",
     ['title: "Supervision policy #1"']),
    ("colour in braces", "name: x\ncolours: {primary: #0b6e4f}\norganisation: y\n", 2, "yaml-syntax",
     ['primary: "#0b6e4f"']),
    ("colour on its own line", "colours:\n  primary: #0b6e4f\n", 2, "yaml-hash-in-value",
     ["a colour", 'primary: "#0b6e4f"']),
    ("no-break space after colon", f"id: a\naudience:{NBSP}[practitioner]\nstatus: draft\n", 2,
     "yaml-invisible-character", ["no-break space", "column 10", "ordinary space"]),
    ("trailing no-break space", f"id: a\nstatus: published{NBSP}\n", 2, "yaml-invisible-character",
     ["no-break space", "end of the line", "delete it"]),
    ("zero-width space", f"id: a{ZWSP}b\n", 1, "yaml-invisible-character", ["zero width space", "column 6"]),
    ("unclosed double quote", 'id: a\ntitle: "Supervision\nstatus: draft\n', 2, "yaml-syntax",
     ["never closed", 'closing "']),
    ("unclosed single quote", "title: 'Supervision\nstatus: draft\n", 1, "yaml-syntax", ["closing '"]),
    ("unclosed bracket", "id: a\naudience: [practitioner, manager\nstatus: draft\n", 2, "yaml-syntax",
     ["'['", "add ']'"]),
    ("unclosed brace at the end", "colours: {primary: \"#ffffff\"\n", 1, "yaml-syntax", ["add '}'"]),
    ("field indented too far", "id: a\n  title: x\nstatus: draft\n", 2, "yaml-syntax",
     ["indented more", "same number of spaces"]),
    ("list item out of line", "audience:\n  - a\n - b\n", 3, "yaml-syntax", ["indented less"]),
    ("text after a closing quote", 'title: "A" guide\n', 1, "yaml-syntax", ["closing quote"]),
    ("curly quotes from Word", "title: \u201cSupervision: a guide\u201d\n", 1, "yaml-syntax",
     ["straight quotes"]),
    ("value starting with @", "owner: @team\n", 1, "yaml-syntax", ['owner: "@team"']),
    ("apostrophe in single quotes", "title: 'It's here'\n", 1, "yaml-syntax", ['title: "It\'s here"']),
    ("extra closing bracket", "audience: [a, b]]\n", 1, "yaml-syntax", ["extra ']'"]),
    ("value starting with *", "title: *Important\n", 1, "yaml-syntax", ['title: "*Important"']),
    ("missing colon", "id: a\ntitle Supervision\nstatus: draft\n", 2, "yaml-syntax", ["no ':'"]),
]


@pytest.mark.parametrize(("text", "line", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_mistake_is_named_on_its_line_with_the_fix(text: str, line: int, code: str, words: list[str]) -> None:
    _, problems = load_yaml(text, "f.yaml")
    assert [p.code for p in problems] == [code], [p.as_text() for p in problems]
    problem = problems[0]
    assert problem.line == line
    assert "YAML could not be read" not in problem.message
    for word in words:
        assert word in problem.message + " " + problem.hint


def test_every_tab_is_reported_at_once_with_its_column() -> None:
    _, problems = load_yaml("id: a\n\ttitle: x\nstatus:\tdraft\n\towner: y\n", "f.yaml")
    assert [(p.line, p.column) for p in problems] == [(2, 1), (3, 8), (4, 1)]


def test_invisible_characters_lose_nothing_else() -> None:
    """The value reads as the author meant (so no second, confusing message), and the
    invisible character is still an error to clean up."""
    data, problems = load_yaml(f"status: published{NBSP}\naudience:{NBSP}[a, b]\n", "f.yaml")
    assert data == {"status": "published", "audience": ["a", "b"]}
    assert [(p.line, p.column) for p in problems] == [(1, 18), (2, 10)]


def test_comments_and_hashes_an_author_meant_are_left_alone() -> None:
    text = 'id: a   # a note\ntitle: "Policy #1"\nsummary: >-\n  Step #2 of the policy.\ncolour: "#0b6e4f"\n'
    data, problems = load_yaml(text, "f.yaml")
    assert problems == []
    assert data == {"id": "a", "title": "Policy #1", "summary": "Step #2 of the policy.", "colour": "#0b6e4f"}


def test_front_matter_mistakes_name_the_page_line_through_toolkit_check(small_site: SiteFolder) -> None:
    small_site.write("guides/policy.md", page("policy", title="Supervision: a guide"))
    small_site.write("guides/numbered.md", page("numbered", title="Supervision policy #1"))
    result = small_site.toolkit("check")
    assert result.status == 1
    assert "content/guides/policy.md:4: error: the value of 'title' contains ': '" in result.stdout
    assert 'title: "Supervision: a guide"' in result.stdout
    assert "content/guides/numbered.md:4: error: '#1' after 'title:'" in result.stdout
    assert 'title: "Supervision policy #1"' in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unquoted_colour_in_the_settings_names_its_line(small_site: SiteFolder) -> None:
    small_site.settings.write_text(small_site.settings.read_text().replace('"#1d4f91"', "#0b6e4f"))
    result = small_site.toolkit("check")
    assert result.status == 1
    assert 'site.yaml:3: error: \'#0b6e4f\' is read as a comment' in result.stdout
    assert 'primary: "#0b6e4f"' in result.stdout


def test_a_value_cut_by_a_hash_is_read_as_meant_so_only_one_error_follows() -> None:
    data, problems = load_yaml("title: Supervision policy #1\ncolours:\n  primary: #0b6e4f\n", "f.yaml")
    assert data == {"title": "Supervision policy #1", "colours": {"primary": "#0b6e4f"}}
    assert [(p.line, p.code) for p in problems] == [(1, "yaml-hash-in-value"), (3, "yaml-hash-in-value")]


def test_a_colon_inside_a_list_item_says_to_quote_it() -> None:
    from toolkit.content.fields import check_fields
    from toolkit.content.schemas import page_fields
    data, _ = load_yaml("evidence: [Munro: a child-centred system, Other]\n", "f.yaml")
    [problem] = [p for p in check_fields(data, page_fields("practice-model"), "f.yaml", 1, "the page")
                 if p.code == "wrong-type"]
    assert problem.line == 1 and 'put that text in double quotes, "Munro: a child-centred system"' in problem.hint
