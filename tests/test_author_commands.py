"""`toolkit new` and the governance reports as a Principal Social Worker uses them (issue 20):
titles that always parse, a hint for shipped ids, reports that filter and count as documented."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SiteFolder, page

from toolkit.content.pages import read_page

SHIPPED_AND_LOCAL = ('name: A\norganisation: B\ncolours: {primary: "#1d4f91"}\n'
                     'contact: {email: psw@b.example}\ncontent: ["@toolkit", local]\n')


TITLES = ["Supervision: a guide", "Supervision policy #1", "[Draft] Duty rota", "@home visits", "Yes",
          "2026-01-01", '"Quoted" advice', "Café: what’s new"]


def test_new_writes_titles_that_pass_the_check_as_typed(small_site: SiteFolder) -> None:
    local = small_site.content / "local"
    for title in TITLES:
        made = small_site.toolkit("new", "page", title, "--root", str(local))
        assert made.status == 0, made.stderr
    result = small_site.toolkit("check", "--format", "json")
    assert result.status == 0, result.stdout
    titles = []
    for written in sorted(local.glob("*.md")):
        parsed, _, problems = read_page(written, small_site.content, 0, "x.md")
        assert parsed is not None, problems
        titles.append(parsed.title)
    assert sorted(titles) == sorted(TITLES)


def test_new_for_a_shipped_id_says_a_local_page_replaces_it(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SHIPPED_AND_LOCAL)
    (tmp_path / "local").mkdir()
    result = SiteFolder(tmp_path).toolkit("new", "skill", "Genograms")
    assert result.status == 2
    assert "the shipped page @toolkit/" in result.stderr
    assert "a local page with the same id replaces the shipped one" in result.stderr
    assert "Traceback" not in result.stderr


def test_review_report_filters_due_and_local_pages(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SHIPPED_AND_LOCAL)
    site = SiteFolder(tmp_path)
    (tmp_path / "local").mkdir()
    for page_id, reviewed, due in (("overdue", "2025-01-01", "2026-01-01"), ("soon", "2026-01-01", "2026-12-20"),
                                   ("fine", "2026-09-01", "2027-09-01")):
        (tmp_path / "local" / f"{page_id}.md").write_text(page(page_id, last_reviewed=reviewed, review_by=due))
    every = json.loads(site.toolkit("report", "review", "--format", "json").stdout)
    due = json.loads(site.toolkit("report", "review", "--due", "--format", "json").stdout)
    local_due = site.toolkit("report", "review", "--due", "--local")
    assert {"overdue", "soon", "fine"} < {r["page"] for r in every}
    assert any(r["file"].startswith("@toolkit/") for r in every)
    assert {r["state"] for r in due} <= {"overdue", "due soon"} and {"overdue", "soon"} <= {r["page"] for r in due}
    assert len(due) < len(every)
    assert [line.split()[2] for line in local_due.stdout.splitlines()] == ["overdue", "soon"]
    assert local_due.stderr.strip() == "2 pages: 1 overdue, 1 due within 60 days"


def test_counts_read_as_plain_english(small_site: SiteFolder) -> None:
    coverage = small_site.toolkit("report", "coverage")
    assert " 1 page " in coverage.stdout and " 1 pages" not in coverage.stdout
    assert " 2 pages " in coverage.stdout and " 0 pages " in coverage.stdout


def test_strict_summary_says_warnings_failed_the_check(small_site: SiteFolder) -> None:
    small_site.write("overdue.md", page("overdue", last_reviewed="2025-01-01", review_by="2026-01-01"))
    relaxed, strict = small_site.toolkit("check"), small_site.toolkit("check", "--strict")
    assert relaxed.status == 0 and "failed" not in relaxed.stderr
    assert strict.status == 1
    assert strict.stderr.strip().endswith("failed, because --strict counts warnings as errors")


def test_new_pages_are_due_for_review_after_the_sites_review_period(small_site: SiteFolder) -> None:
    settings = small_site.settings.read_text()
    small_site.settings.write_text(settings + "review_months: 0\n")
    refused = small_site.toolkit("check")
    assert refused.status == 1
    assert "site.yaml:6: error: review_months is 0; it should be between 1 and 60" in refused.stdout
    small_site.settings.write_text(settings + "review_months: 3\n")
    assert small_site.toolkit("new", "page", "Duty rota", "--root", str(small_site.content / "local")).status == 0
    written = (small_site.content / "local" / "duty-rota.md").read_text()
    assert "last_reviewed: 2026-11-22\n" in written and "review_by: 2027-02-22\n" in written
