"""Upgrades that say what changed: the changelog kept true to the shipped content, and
`toolkit report overrides` deciding by content, with a diff, for a root that is a plain folder."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO, SHIPPED_SETTINGS, SMALL_SITE, SiteFolder, page
from toolkit import __version__
from toolkit.commands import changelog
from toolkit.commands.reports import override_line
from toolkit.content.loading import load_site
from toolkit.content.overrides import override_rows
from toolkit.content.releases import page_hash, read_releases
from toolkit.content.settings import load_settings


def test_changelog_matches_the_shipped_content() -> None:
    releases = read_releases()
    current = changelog.snapshot()
    assert changelog.drift(releases, current) == [], \
        "a released version's pages changed: raise the version in toolkit/__init__.py"
    expected = changelog.changelog_text(releases, current)
    assert changelog.CHANGELOG.read_text(encoding="utf-8") == expected, \
        "CHANGELOG.md is out of date: run `python -m toolkit.commands.changelog` and commit it"


def test_each_release_lists_the_pages_added_changed_and_withdrawn(tmp_path: Path) -> None:
    content, record = tmp_path / "content", tmp_path / "releases.json"
    shutil.copytree(SMALL_SITE / "content", content)
    changelog.release(dt.date(2027, 1, 15), record, content, version="1.0.0")
    (content / "guides" / "genograms.md").write_text(
        (content / "guides" / "genograms.md").read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    (content / "guides" / "reflective-supervision.md").unlink()
    (content / "guides" / "case-notes.md").write_text(page("case-notes", title="Case notes"), encoding="utf-8")
    releases = read_releases(record)
    assert changelog.drift(releases, changelog.snapshot(content), version="1.0.0") == \
        ["case-notes", "genograms", "reflective-supervision"]
    text = changelog.changelog_text(releases, changelog.snapshot(content), version="1.1.0")
    unreleased, released = text.split("## 1.1.0 (unreleased)")[1].split("## 1.0.0 (2027-01-15)")
    assert "Added (1):\n- `case-notes`: Case notes" in unreleased
    assert "Changed (1):\n- `genograms`: Genograms" in unreleased
    assert "Withdrawn (1):\n- `reflective-supervision`:" in unreleased
    assert "Added (3):" in released and "Changed: none." in released   # drafts are not shipped pages


def _two_root_site(tmp_path: Path) -> SiteFolder:
    """The small site as the "shipped" root, and a local root replacing one of its pages."""
    site = SiteFolder(tmp_path / "site")
    shutil.copytree(SMALL_SITE, site.folder, ignore=shutil.ignore_patterns("_build"))
    settings = site.settings.read_text(encoding="utf-8").replace("content: [content]", "content: [content, local]")
    site.settings.write_text(settings, encoding="utf-8")
    (site.folder / "local").mkdir()
    (site.folder / "local" / "genograms.md").write_text(page("genograms", title="Genograms"), encoding="utf-8")
    return site


def test_overrides_decide_by_content_once_a_review_is_recorded(tmp_path: Path) -> None:
    site = _two_root_site(tmp_path)
    shipped = site.content / "guides" / "genograms.md"
    by_dates = site.toolkit("report", "overrides")
    assert by_dates.status == 0 and "--accept genograms" in by_dates.stdout
    accepted = site.toolkit("report", "overrides", "--accept", "genograms")
    assert accepted.status == 0 and "unchanged since it was reviewed" in accepted.stdout
    record = json.loads((site.folder / "overrides-reviewed.json").read_text(encoding="utf-8"))
    assert record["content/guides/genograms.md"]["page"] == "genograms"

    # A rewrite with no new review date or `changes` entry: dates alone would miss it.
    text = shipped.read_text(encoding="utf-8")
    body_line = text.splitlines()[-1]
    shipped.write_text(text.replace(body_line, body_line + " Always ask who is missing."), encoding="utf-8")
    report = site.toolkit("report", "overrides", "--fail-on-change")
    assert report.status == 1
    assert "local/genograms.md replaces content/guides/genograms.md: the replaced page CHANGED" in report.stdout
    assert f"-{body_line}\n+{body_line} Always ask who is missing." in report.stdout
    assert "--accept ID" in report.stderr
    rows = json.loads(site.toolkit("report", "overrides", "--format", "json").stdout)
    assert rows[0]["decided_by"] == "content" and rows[0]["shipped_changed_since_review"] is True


def test_accepting_a_page_that_replaces_nothing_is_refused(tmp_path: Path) -> None:
    site = _two_root_site(tmp_path)
    refused = site.toolkit("report", "overrides", "--accept", "genogram")
    assert refused.status == 2
    assert "no page of this site replaces another with the id genogram; pages that replace one: genograms" \
        in refused.stderr
    assert not (site.folder / "overrides-reviewed.json").exists()


def test_the_project_holds_its_own_authoring_contract() -> None:
    """The README sends authors to the shipped contribute page and the generated reference, pins the
    version this checkout is, and nothing in the project points to files outside it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](content/site/contribute.md)" in readme and "authoring-reference.html" in readme
    assert (REPO / "content" / "site" / "contribute.md").is_file()
    assert set(re.findall(r"practice-leadership-toolkit==([\w.]+)", readme)) == {__version__}
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    outside = re.compile(r"\.\./shared|CONTENT-SPEC\.md|DESIGN\.md|DOMAIN\.md|STYLE\.md")
    pointing = [name for name in tracked if (REPO / name).is_file() and name != "tests/test_upgrades.py"
                and outside.search((REPO / name).read_text(encoding="utf-8", errors="replace"))]
    assert pointing == []


def test_an_unrecorded_replacement_of_a_shipped_page_is_judged_by_its_release_history(tmp_path: Path) -> None:
    """No review recorded: the shipped page's hash in the release current when the local page was
    reviewed decides, not dates; a release after that review does not count."""
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "about.md").write_text(page("about", title="About us", last_reviewed="2026-09-01"),
                                                 encoding="utf-8")
    (tmp_path / "site.yaml").write_text(SHIPPED_SETTINGS.replace('["@toolkit"]', '["@toolkit", local]'))
    settings, problems = load_settings(tmp_path / "site.yaml")
    assert settings is not None, problems
    site, _ = load_site(settings, dt.date(2026, 11, 22))
    shipped = site.replaced["about"][0]
    now = page_hash(shipped.source.read_text(encoding="utf-8"))

    def row(version: str, date: str, sha256: str) -> dict[str, object]:
        releases = [{"version": version, "date": date, "pages": {"about": {"sha256": sha256, "title": "About"}}}]
        return override_rows(site, releases)[0]

    older = row("0.0.9", "2026-08-01", "0" * 64)
    assert older["decided_by"] == "release 0.0.9" and older["shipped_changed_since_review"] is True
    assert "CHANGED since release 0.0.9" in override_line(older)
    same = row("0.0.9", "2026-08-01", now)
    assert same["decided_by"] == "release 0.0.9" and same["shipped_changed_since_review"] is False
    assert row("0.1.0", "2026-10-01", "0" * 64)["decided_by"] == "dates"
