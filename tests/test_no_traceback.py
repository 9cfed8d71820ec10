"""No traceback, ever: every field given the wrong type, and arbitrary YAML values and Markdown
bodies (hypothesis), get plain errors from `toolkit check` and a clean exit status.

`toolkit.commands.cli.main` is the command itself (the `toolkit` script calls it): run in this process, the
hundreds of cases here take seconds, not minutes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from conftest import SMALL_SITE, TODAY, SiteFolder, page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.commands.cli import main
from toolkit.content.schemas import (
    COLOUR_FIELDS,
    CONTACT_FIELDS,
    FOOTER_LINK_FIELDS,
    KIND_FIELDS,
    KINDS,
    SET_FIELDS,
    SETTINGS_FIELDS,
    STATEMENT_FIELDS,
    VOCABULARY_FIELDS,
    page_fields,
)

WRONG_VALUES = ("{a: 1}", "[a, [b]]", "[{a: 1}]", "12345", "true", "2026-01-01", "-1.5", "null", "''",
                "'x\\ny'", "[]", "2026-01-01 10:00:00")
VALID_KIND_FIELDS = {
    "practice-model": {}, "skill": {}, "page": {}, "pathway-stage": {"stage": "newly-qualified"},
    "resource": {"resource_type": "guide"},
    "self-assessment": {"questions": "[{id: q1, text: How sure are you?, maps_to: KSS-PS-1}]"},
}
MAPPED = {"audience": "[practitioner]", "topics": "[assessment]", "maps_to": "[KSS-PS-2]"}


@pytest.fixture(autouse=True)
def own_key_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "user-cache"))
    monkeypatch.setenv("TOOLKIT_TODAY", TODAY)


def check(settings_file: Path, capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`toolkit check` in this process: an exception it did not expect is exit status 3 (guard.py)."""
    status = main(["check", "--site", str(settings_file)])
    captured = capfd.readouterr()
    return status, captured.out + captured.err


def assert_plain(status: int, output: str) -> None:
    assert status in (0, 1), output[-2000:]
    assert "Traceback" not in output and "something went wrong" not in output, output[-2000:]


def stage_id(site: Path) -> str:
    stages = yaml.safe_load((site / "content" / "vocabularies" / "career-stages.yaml").read_text())
    return stages[0]["id"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(SMALL_SITE, tmp_path / "site")
    return tmp_path / "site"


def test_every_front_matter_field_given_every_wrong_type(site: Path, capfd: pytest.CaptureFixture[str]):
    valid = VALID_KIND_FIELDS | {"pathway-stage": {"stage": stage_id(site)}}
    folder = site / "content" / "wrong"
    folder.mkdir()
    mappings: list[str] = []
    number = 0
    for kind in KINDS:
        names = [f.name for f in page_fields("page")] if kind == "page" else [f.name for f in KIND_FIELDS[kind]]
        for name in names:
            for value in WRONG_VALUES:
                number += 1
                values = {"kind": kind} | valid[kind] | MAPPED | {name: value}
                (folder / f"w{number}.md").write_text(page(f"w{number}", **values))
                if value == "{a: 1}" and name not in ("changes", "questions"):
                    mappings.append(f"content/wrong/w{number}.md:")
    result = SiteFolder(site).toolkit("check")   # the real script, so its output is as an author sees it
    output = result.stdout + result.stderr
    assert_plain(result.status, output)
    assert result.status == 1
    for file in mappings:   # a set of fields is the wrong type for every one of these
        assert any(line.startswith(file) and ": error: " in line for line in output.splitlines()), file


SETTINGS = (SMALL_SITE / "site.yaml").read_text()


def _settings_with(field: str, value: str) -> str:
    """The small site's settings with one field, or one field of a nested setting, replaced."""
    data = {"name": "Testshire Practice Toolkit", "organisation": "Testshire Council",
            "colours": '{primary: "#1d4f91"}',
            "contact": "{email: psw@testshire.example, accessibility: web@testshire.example}",
            "content": "[content]"}
    outer, _, inner = field.partition(".")
    if not inner:
        data[outer] = value
    elif outer == "footer_links":
        others = {"label": "Privacy", "url": "privacy.html"} | {inner: value}
        data[outer] = "[{" + ", ".join(f"{k}: {v}" for k, v in others.items()) + "}]"
    else:
        nested = {"colours": {"primary": '"#1d4f91"'},
                  "contact": {"email": "psw@testshire.example"}}[outer] | {inner: value}
        data[outer] = "{" + ", ".join(f"{k}: {v}" for k, v in nested.items()) + "}"
    return "\n".join(f"{k}: {v}" for k, v in data.items()) + "\n"


SETTINGS_CASES = [f.name for f in SETTINGS_FIELDS] + [f"colours.{f.name}" for f in COLOUR_FIELDS] \
    + [f"contact.{f.name}" for f in CONTACT_FIELDS] + [f"footer_links.{f.name}" for f in FOOTER_LINK_FIELDS]


def test_every_settings_field_given_every_wrong_type(site: Path, capfd: pytest.CaptureFixture[str]):
    settings_file = site / "site.yaml"
    failures = 0
    for field in SETTINGS_CASES:
        for value in WRONG_VALUES:
            settings_file.write_text(_settings_with(field, value))
            status, output = check(settings_file, capfd)
            assert_plain(status, output)
            failures += status == 1
    assert failures >= len(SETTINGS_CASES) * 6   # most of them are mistakes


def test_every_framework_and_vocabulary_field_given_every_wrong_type(site: Path,
                                                                     capfd: pytest.CaptureFixture[str]):
    content = site / "content"
    valid_set = {"id": "W", "title": "A set", "issued_by": "Someone", "year": "2020",
                 "source_url": "https://example.org/", "statements": "[{number: 1, title: T, summary: S.}]"}
    number = 0
    for field in [f.name for f in SET_FIELDS] + [f"statement.{f.name}" for f in STATEMENT_FIELDS]:
        for value in WRONG_VALUES:
            number += 1
            values = valid_set | {"id": f"W{number}"}
            if field.startswith("statement."):
                statement = {"number": "1", "title": "T", "summary": "S."} | {field.split(".")[1]: value}
                values["statements"] = "[{" + ", ".join(f"{k}: {v}" for k, v in statement.items()) + "}]"
            else:
                values[field] = value
            (content / "frameworks" / f"W{number}.yaml").write_text(
                "\n".join(f"{k}: {v}" for k, v in values.items()) + "\n")
    topics = content / "vocabularies" / "topics.yaml"
    entries = [topics.read_text()]
    glossary = content / "vocabularies" / "glossary.yaml"
    terms = [glossary.read_text()]
    for index, field in enumerate(f.name for f in VOCABULARY_FIELDS):
        for value_index, value in enumerate(WRONG_VALUES):
            entry = {"id": f"t{index}-{value_index}", "label": "L", "description": "D."} | {field: value}
            entries.append("- {" + ", ".join(f"{k}: {v}" for k, v in entry.items()) + "}\n")
            term = {"term": f"Term {index} {value_index}", "definition": "D.", "aliases": "[A]",
                    "see": "genograms"} | {("term", "definition", "see")[index]: value}
            terms.append("- {" + ", ".join(f"{k}: {v}" for k, v in term.items()) + "}\n")
    topics.write_text("".join(entries))
    glossary.write_text("".join(terms))
    result = SiteFolder(site).toolkit("check")
    output = result.stdout + result.stderr
    assert_plain(result.status, output)
    assert result.status == 1 and "frameworks/W1.yaml:" in output and "topics.yaml:" in output


# Arbitrary values: whatever YAML can hold, in any field of a page.
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)
FIELD_NAMES = sorted({f.name for kind in KINDS for f in page_fields(kind)} | {"unknown"})
MARKDOWN = st.lists(st.sampled_from(list("ab #*_`{}[]()<>!:-|\n\\&;/.\0\u200b=\"'") +
                                    ["{doc}`", "{statement}`", "{download}`", "```{", ":::{", "{site}`", "](",
                                     "{genogram}", "---\n", "$$", "{math}`", "> ", "1. ", "<", "&#64;"]),
                    max_size=60).map("".join)


@pytest.fixture(scope="module")
def hypothesis_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hypothesis") / "site"
    shutil.copytree(SMALL_SITE, folder)
    return folder


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELD_NAMES), value=YAML_VALUES, kind=st.sampled_from(sorted(KINDS)))
def test_arbitrary_yaml_values_in_front_matter_get_plain_errors(hypothesis_site: Path, field: str, value: object,
                                                               kind: str, capfd: pytest.CaptureFixture[str]):
    front = {"id": "arbitrary", "kind": kind, "title": "T", "summary": "S.", "status": "published",
             "last_reviewed": "2026-09-01", "review_by": "2027-09-01"}
    text = yaml.safe_dump(front | {field: value}, allow_unicode=True, sort_keys=False)
    (hypothesis_site / "content" / "arbitrary.md").write_text(f"---\n{text}---\n# T\n\nText.\n", encoding="utf-8")
    assert_plain(*check(hypothesis_site / "site.yaml", capfd))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=MARKDOWN)
def test_arbitrary_markdown_bodies_get_plain_errors(hypothesis_site: Path, body: str,
                                                    capfd: pytest.CaptureFixture[str]):
    (hypothesis_site / "content" / "arbitrary.md").write_text(page("arbitrary", body), encoding="utf-8")
    assert_plain(*check(hypothesis_site / "site.yaml", capfd))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(f.name for f in SETTINGS_FIELDS) + ["unknown"]), value=YAML_VALUES)
def test_arbitrary_yaml_values_in_the_settings_get_plain_errors(hypothesis_site: Path, field: str, value: object,
                                                                capfd: pytest.CaptureFixture[str]):
    settings_file = hypothesis_site / "arbitrary-site.yaml"
    data = yaml.safe_load(SETTINGS) | {field: value}
    settings_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert_plain(*check(settings_file, capfd))


# Every data file type and every nested setting, with the fields the contract shows filled in: any
# one value anywhere in them (a field, a list item, a nested field) replaced by an arbitrary one.
DATA_SAMPLES = {
    "content/guides/family.genogram.yaml": """
as_of: 2026-09-01
index: a
people:
  - {id: gf, label: Grandfather, sex: male, born: 1948, died: 2019, notes: Retired}
  - {id: mum, label: Mother, sex: female, born: 1990, markers: [substance-misuse]}
  - {id: dad, label: Father, sex: male, unknown: true}
  - {id: sam, label: Sam, sex: unknown, gender: non-binary, born: 2010, adopted: true}
  - {id: a, label: A, sex: female, born: 2017, cared_for_by: {people: [gf], type: kinship, since: 2023}}
  - {id: t1, label: T, sex: male, born: 2021}
  - {id: t2, label: U, sex: male, born: 2021}
  - {id: sb, stillbirth: true}
unions:
  - {partners: [mum, dad], status: formerly-cohabiting, since: 2012, children: [a, t1, t2, sb, sam],
     twins: [{children: [t1, t2], identical: true}]}
relationships:
  - {between: [mum, gf], type: close}
households:
  - [mum, a]
""",
    "content/guides/school.ecomap.yaml": """
centre: {label: "A (9) and Mother"}
systems:
  - {label: School, strength: strong, flow: both, note: "Attends well"}
  - {label: GP, strength: tenuous, flow: from}
""",
    "content/guides/events.chronology.yaml": """
subject: "A (9)"
entries:
  - {date: 2024-03-02, source: School, event: Absent, impact: Missed tests, significance: high}
  - {date: 2024-05, source: Health visitor, event: Visit, significance: medium}
""",
    "site.yaml": SETTINGS + """footer_links: [{label: Privacy, url: privacy.html}]
top_tasks: [{title: Draw a genogram, page: genograms, description: The symbols.}]
personal_data_allow: ["0800 123 4567"]
hide: [old-guidance]
""",
    **{f"content/{name}": (SMALL_SITE / "content" / name).read_text()
       for name in ("frameworks/KSS-PS.yaml", "vocabularies/topics.yaml", "vocabularies/glossary.yaml",
                    "vocabularies/career-stages.yaml", "vocabularies/audiences.yaml")},
}


def _places(value: object, at: tuple = ()) -> list[tuple]:
    """The path of every value inside a parsed YAML document (keys and list positions)."""
    inner = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [place for key, item in inner for place in [(*at, key), *_places(item, (*at, key))]]


@contextmanager
def _written(path: Path, text: str) -> Iterator[None]:
    """`path` holds `text` for the duration; then what it held before (the module's site is shared)."""
    original = path.read_text(encoding="utf-8") if path.exists() else None
    path.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_text(original, encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(sorted(DATA_SAMPLES)), data=st.data(), value=YAML_VALUES)
def test_arbitrary_yaml_values_anywhere_in_data_files_and_settings_get_plain_errors(
        hypothesis_site: Path, file: str, data: st.DataObject, value: object,
        capfd: pytest.CaptureFixture[str]):
    document = yaml.safe_load(DATA_SAMPLES[file])
    *parents, last = data.draw(st.sampled_from(_places(document)))
    container = document
    for key in parents:
        container = container[key]
    container[last] = value
    with _written(hypothesis_site / file, yaml.safe_dump(document, allow_unicode=True, sort_keys=False)):
        assert_plain(*check(hypothesis_site / "site.yaml", capfd))


@pytest.mark.parametrize("file", sorted(DATA_SAMPLES))
def test_the_data_samples_are_valid(hypothesis_site: Path, file: str, capfd: pytest.CaptureFixture[str]):
    """So the test above changes one value of a file that was right, not a file already refused."""
    with _written(hypothesis_site / file, DATA_SAMPLES[file]):
        status, output = check(hypothesis_site / "site.yaml", capfd)
    assert status == 0 and "error" not in output, output
