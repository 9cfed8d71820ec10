"""The page editor without a browser: its generated configuration agrees with the content
contract, its endpoint refuses paths outside the site's own roots and shipped content, and
saving an edit changes only what was edited."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import SMALL_SITE, TODAY
from toolkit.content.loading import load_site
from toolkit.content.schemas import KINDS, SUMMARY_MAX, page_fields
from toolkit.content.settings import load_settings
from toolkit.diagrams import validate_diagram_file
from toolkit.editor.backend import start_editor
from toolkit.editor.config import editor_config
from toolkit.editor.diagram_forms import DIAGRAM_FORMS, from_form
from toolkit.editor.files import data_text, page_text


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("editor") / "site"
    shutil.copytree(SMALL_SITE, folder)
    return folder


@pytest.fixture(scope="module")
def site(site_folder: Path):
    settings, _ = load_settings(site_folder / "site.yaml")
    return load_site(settings, dt.date.fromisoformat(TODAY))[0]


@pytest.fixture(scope="module")
def endpoint(site_folder: Path) -> Iterator[str]:
    server = start_editor(site_folder / "site.yaml", dt.date.fromisoformat(TODAY), 0, "http://127.0.0.1:1/")
    yield f"http://127.0.0.1:{server.server_address[1]}/_edit/api/v1"
    server.shutdown()


def call(url: str, action: str, headers: dict[str, str] | None = None, **params) -> tuple[int, object]:
    request = urllib.request.Request(url, json.dumps({"action": action, "params": params}).encode(),
                                     {"Content-Type": "application/json"} | (headers or {}))
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_each_kind_has_a_collection_with_exactly_the_contract_fields(site) -> None:
    collections = {c["name"]: c for c in editor_config(site)["collections"]}
    for kind in KINDS:
        collection = collections[kind]
        assert collection["folder"] == "content" and collection["filter"] == {"field": "kind", "value": kind}
        forms = {f["name"]: f for f in collection["fields"] if f["name"] != "body"}
        assert list(forms) == [f.name for f in page_fields(kind)], kind
        for field in page_fields(kind):
            form = forms[field.name]
            if field.name == "kind":
                assert form == {"name": "kind", "label": "Kind", "widget": "hidden", "default": kind}
                continue
            assert form["required"] is field.required, (kind, field.name)
            assert form.get("hint") == (field.help or None), (kind, field.name)
            if field.choices:
                assert form["options"] == list(field.choices)
            if field.type == "date":
                assert form["widget"] == "datetime" and form["time_format"] is False
        assert str(SUMMARY_MAX) in forms["summary"]["pattern"][0]


def test_select_lists_hold_the_site_vocabularies_statements_and_pages(site) -> None:
    skill = next(c for c in editor_config(site)["collections"] if c["name"] == "skill")
    forms = {f["name"]: f for f in skill["fields"]}
    values = {name: [o["value"] for o in forms[name]["options"]] for name in ("audience", "topics", "maps_to",
                                                                             "related")}
    assert values["audience"] == list(site.vocabularies["audiences"])
    assert values["topics"] == list(site.vocabularies["topics"])
    assert values["maps_to"] == list(site.statements)
    assert sorted(values["related"]) == sorted(site.pages)
    assert forms["audience"]["multiple"] is True


def test_the_editor_writes_only_the_sites_own_roots(site) -> None:
    config = editor_config(site)
    folders = {c.get("folder") for c in config["collections"] if "folder" in c}
    files = {f["file"] for c in config["collections"] for f in c.get("files", [])}
    assert folders == {"content"}
    assert all(path.startswith("content/vocabularies/") for path in files)
    assert config["media_folder"].startswith("content/")


@pytest.mark.parametrize("path", ["../outside.md", "/etc/outside.md", "site.yaml", "content/../site.yaml",
                                  "content/script.js", "content/page.html", "content/.hidden.md",
                                  "content\\guides\\x.md", "content/guides/x\0.md"])
def test_a_write_outside_the_roots_or_of_another_type_is_refused(endpoint: str, site_folder: Path,
                                                                   path: str) -> None:
    before = sorted(p for p in site_folder.parent.rglob("*"))
    status, answer = call(endpoint, "persistEntry", dataFiles=[{"path": path, "raw": "---\nid: x\n---\n"}],
                          assets=[])
    assert status == 403, answer
    assert "content" in answer["error"] or "not a page" in answer["error"] or "path" in answer["error"]
    assert sorted(p for p in site_folder.parent.rglob("*")) == before


def test_media_outside_the_roots_is_refused(endpoint: str, site_folder: Path) -> None:
    status, answer = call(endpoint, "persistMedia", asset={"path": "../evil.png", "content": "", "encoding": "base64"})
    assert status == 403 and not (site_folder.parent / "evil.png").exists()


def test_a_request_from_another_site_is_refused(endpoint: str) -> None:
    status, answer = call(endpoint, "getEntry", headers={"Origin": "https://elsewhere.example"},
                          path="content/guides/genograms.md")
    assert status == 403 and "other sites" in answer["error"]


def test_reading_lists_pages_in_subfolders(endpoint: str) -> None:
    status, entries = call(endpoint, "entriesByFolder", folder="content", extension="md", depth=1)
    assert status == 200
    assert "content/guides/genograms.md" in {e["file"]["path"] for e in entries}


def test_shipped_content_is_refused_and_a_local_copy_offered(tmp_path: Path) -> None:
    folder = tmp_path / "org"
    (folder / "local").mkdir(parents=True)
    (folder / "site.yaml").write_text('name: Org\norganisation: Org Council\ncontact: {email: psw@org.example}\n'
                                      'content: ["@toolkit", local]\n', encoding="utf-8")
    server = start_editor(folder / "site.yaml", dt.date.fromisoformat(TODAY), 0, "http://127.0.0.1:1/")
    url = f"http://127.0.0.1:{server.server_address[1]}/_edit/api/v1"
    try:
        shipped = Path(__file__).resolve().parent.parent / "content"
        page = next(shipped.rglob("genograms.md"))
        status, answer = call(url, "getEntry", path="../" * len(folder.parts) + page.as_posix().lstrip("/"))
        assert status == 403
        status, listed = call(url, "shippedPages")
        shipped_genograms = next(p for p in listed if p["id"] == "genograms")
        assert status == 200 and shipped_genograms["copy"] is None and shipped_genograms["title"]
        status, answer = call(url, "copyShipped", id="genograms")
        assert status == 200 and answer["path"] == "local/genograms.md"
        assert answer["route"] == "/collections/skill/entries/genograms" and shipped_genograms["kind"] == "Skill"
        assert (folder / "local" / "genograms.md").read_bytes() == page.read_bytes()
        status, listed = call(url, "shippedPages")
        assert next(p for p in listed if p["id"] == "genograms")["copy"] == answer["route"]
        status, answer = call(url, "copyShipped", id="genograms")
        assert status == 409 and "already exists" in answer["error"]
    finally:
        server.shutdown()


OLD_PAGE = """---
id: supervision-notes
kind: skill
title: Supervision notes
summary: >-
  How to write supervision notes
  that a practitioner can use.
audience: [practitioner]   # who it is for
topics: [assessment]
maps_to: [KSS-PS-2]
status: published
last_reviewed: 2026-09-01
review_by: 2027-09-01
---
# Supervision notes

Some *guidance* with {doc}`genograms`.
"""

# What the browser sends after the author changed the title: every field re-serialised.
FROM_EDITOR = """---
id: supervision-notes
kind: skill
title: Writing supervision notes
summary: How to write supervision notes that a practitioner can use.
audience:
  - practitioner
topics:
  - assessment
maps_to:
  - KSS-PS-2
owner: ""
status: published
last_reviewed: "2026-09-01"
review_by: 2027-09-01
---

# Supervision notes

Some *guidance* with {doc}`genograms`.
"""


def test_an_edit_changes_only_the_edited_field() -> None:
    written = page_text(FROM_EDITOR, OLD_PAGE)
    assert written == OLD_PAGE.replace("title: Supervision notes", "title: Writing supervision notes")


def test_a_new_page_is_written_in_the_contract_order_with_real_dates() -> None:
    raw = ("---\ntitle: New\nid: new\nkind: page\nstatus: draft\nsummary: S.\nreview_by: '2027-01-02'\n"
           "last_reviewed: '2026-01-02'\nrelated: []\n---\nBody\n")
    assert page_text(raw, None) == ("---\nid: new\nkind: page\ntitle: New\nsummary: S.\nstatus: draft\n"
                                    "last_reviewed: 2026-01-02\nreview_by: 2027-01-02\n---\nBody\n")
    with_lists = raw.replace("related: []", "related: [genograms]\naudience: [practitioner]")
    assert page_text(with_lists, None).index("audience: [practitioner]\nrelated: [genograms]\nstatus") > 0


def test_diagram_forms_save_files_the_diagram_check_accepts() -> None:
    genogram = {"file_name": "family", "index": "child", "people": [
        {"id": "mum", "label": "Mother", "sex": "female", "born": "1985", "deceased": False, "notes": ""},
        {"id": "child", "label": "A (9)", "sex": "female", "born": "2016"}],
        "unions": [{"partners": ["mum", "dad"], "status": "separated", "children": ["child"]}],
        "households": [{"members": ["mum", "child"]}]}
    genogram["people"] += [  # the conventions, as the form holds them (blank fields left in)
        {"id": "dad", "label": "Father", "sex": "male", "unknown": True, "gender": "", "markers": []},
        {"id": "t1", "label": "T", "sex": "male", "born": "2021", "markers": ["substance-misuse"]},
        {"id": "t2", "label": "U", "sex": "unknown", "gender": "non-binary", "born": "2021",
         "cared_for_by": {"people": ["mum"], "type": "kinship", "since": "2023"}},
        {"id": "sb", "label": "", "stillbirth": True, "termination": False,
         "cared_for_by": {"people": [], "type": "", "since": ""}}]
    genogram["as_of"] = "2026-09-01"
    genogram["unions"].append({"partners": ["dad", "mum"], "status": "formerly-cohabiting",
                               "children": ["t1", "t2", "sb"],
                               "twins": [{"children": ["t1", "t2"], "identical": False}]})
    cases = {"genogram": genogram,
             "eco-map": {"file_name": "a", "centre": {"label": "A (9)"},
                         "systems": [{"label": "School", "strength": "strong", "flow": "both"}]},
             "chronology": {"file_name": "a", "subject": "A (9)",
                            "entries": [{"date": "2024-03-02", "source": "School", "event": "Absent",
                                         "significance": "high"}]}}
    for kind, form in cases.items():
        fields = [f["name"] for f in DIAGRAM_FORMS[kind].fields]
        text = data_text(from_form(kind, form), None, fields)
        assert "file_name" not in text and "false" not in text
        problems = [p for p in validate_diagram_file(kind, text, "x") if p.severity == "error"]
        assert not problems, (kind, text, problems)
    saved = data_text(from_form("genogram", genogram), None, ["households"])
    assert "- [mum, child]" in saved and "as_of: 2026-09-01\n" in saved
    people = {person["id"]: person for person in yaml.safe_load(saved)["people"]}
    assert people["t2"]["cared_for_by"] == {"people": ["mum"], "type": "kinship", "since": "2023"}
    assert people["sb"] == {"id": "sb", "stillbirth": True} and people["dad"]["unknown"] is True
    assert yaml.safe_load(saved)["unions"][1]["twins"] == [{"children": ["t1", "t2"]}]


def test_editor_config_for_a_git_host_uses_the_editorial_workflow(site_folder: Path, tmp_path: Path) -> None:
    from tests.conftest import SiteFolder
    result = SiteFolder(site_folder).toolkit("editor-config", "--backend", "gitlab", "--repo", "anytown/toolkit",
                                             "--out", str(tmp_path / "admin"))
    assert result.status == 0, result.stderr
    config = yaml.safe_load((tmp_path / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "gitlab", "repo": "anytown/toolkit", "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow"
    assert {c["name"] for c in config["collections"]} >= set(KINDS)
    assert (tmp_path / "admin" / "decap-cms" / "decap-cms.js").is_file()
    assert "editor.js" not in (tmp_path / "admin" / "index.html").read_text(encoding="utf-8")


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path: Path) -> None:
    from toolkit.editor.files import write_atomically
    target = tmp_path / "page.md"
    target.write_text("old text\n", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")   # fails while writing, as a crash would
    assert target.read_text(encoding="utf-8") == "old text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]
    write_atomically(target, b"new text\n")
    assert target.read_bytes() == b"new text\n" and [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_saving_a_vocabulary_keeps_its_comments_and_key_order(endpoint: str, site_folder: Path) -> None:
    path = site_folder / "content" / "vocabularies" / "audiences.yaml"
    before = ("# Who a page is for.\n- label: Social workers   # the biggest group\n  id: practitioner\n"
              "  description: Registered social workers.\n"
              "- {id: practice-supervisor, label: Practice supervisors, description: First-line managers.}\n")
    path.write_text(before, encoding="utf-8")
    status, entry = call(endpoint, "getEntry", path="content/vocabularies/audiences.yaml")
    form = yaml.safe_load(entry["data"])
    form["terms"][0]["label"] = "Social workers in practice"
    form["terms"].append({"id": "manager", "label": "Managers", "description": "Team managers."})
    raw = yaml.safe_dump(form, sort_keys=False)
    status, answer = call(endpoint, "persistEntry", dataFiles=[{"path": "content/vocabularies/audiences.yaml",
                                                                "raw": raw}], assets=[])
    assert status == 200, answer
    expected = before.replace("Social workers ", "Social workers in practice ") + (
        "- id: manager\n  label: Managers\n  description: Team managers.\n")
    assert re.sub(" +#", " #", path.read_text(encoding="utf-8")) == re.sub(" +#", " #", expected)


def test_the_check_of_one_file_names_its_problems_by_line(endpoint: str, site_folder: Path) -> None:
    page = site_folder / "content" / "half-written.md"
    page.write_text(OLD_PAGE.replace("supervision-notes", "half-written").replace("[practitioner]", "[nobody]"),
                    encoding="utf-8")
    try:
        status, answer = call(endpoint, "checkFile", path="content/half-written.md")
        assert status == 200 and answer["path"] == "content/half-written.md"
        assert answer["errors_elsewhere"] == 0
        lines = {(p["line"], p["severity"]) for p in answer["problems"]}
        assert (8, "error") in lines, answer   # the unknown audience, on its own line
        assert any("nobody" in p["message"] and p["hint"] for p in answer["problems"])
        status, answer = call(endpoint, "checkFile", path="content/guides/genograms.md")
        assert status == 200 and answer["problems"] == []
        status, answer = call(endpoint, "checkFile", path="../site.yaml")
        assert status == 403
    finally:
        page.unlink()
