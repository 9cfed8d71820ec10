"""Issue 3 end to end: hostile content and personal data refused by `toolkit check` and
`toolkit build`, governance reports, review dates and what's new — through the real command."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SiteFolder, page
from tests.test_build_safety import ATTACKS, assert_no_script
from toolkit.core.protocol import MANIFEST_VARIABLE

SUBSTITUTION_PAYLOAD = """---
id: payload
kind: page
title: Payload
summary: Tries to run a command at build time.
status: published
last_reviewed: 2026-09-01
review_by: 2027-09-01
myst:
  enable_extensions: [substitution]
---
# Payload

{{{{ lipsum.__globals__['os'].makedirs('{marker}') }}}}
"""

# (body or front matter change, expected line, words) — each a distinct way an author can go wrong
HOSTILE = [
    (page("a", body="<script>alert(1)</script>"), 12, ["HTML is not allowed"]),
    (page("a", body="Press <kbd>Ctrl</kbd>."), 12, ["{kbd}"]),
    (page("a", body="```{raw} html\n<b>x</b>\n```"), 12, ["raw"]),
    (page("a", body="```{eval-rst}\n.. raw:: html\n```"), 12, ["eval-rst"]),
    (page("a", body="```{include} /etc/passwd\n```"), 12, ["include"]),
    (page("a", body="[click](javascript:alert(1))"), 12, ["javascript:"]),
    (page("a", body="![pixel](https://tracker.example/p.gif)"), 12, ["image"]),
    (page("a", body="```{button-link} javascript:alert(1)\nGo\n```"), 12, ["javascript:"]),
    (page("a", body="[Text](https://ok.example){onclick=\"alert(1)\"}"), 12, ["onclick"]),
    (page("a", body="NHS number 943 476 5919 for the child."), 12, ["NHS number"]),
    (page("a", body="Lives at SW1A 1AA."), 12, ["postcode"]),
    (page("a", body="Email jo.bloggs@gmail.com for help."), 12, ["email"]),
    (page("a", body="NI number AB 12 34 56 C."), 12, ["National Insurance"]),
    (page("a", body="Ring 07700 123456."), 12, ["phone"]),
    (page("a", body="{download}`../../secret.txt`"), 12, ["outside the content root"]),
    (page("a", myst="{enable_extensions: [substitution]}"), 9, ["unknown field 'myst'"]),
    (page("a", html_meta="{refresh: 0}"), 9, ["unknown field 'html_meta'"]),
]


@pytest.mark.parametrize(("text", "line", "words"), HOSTILE, ids=[h[2][0][:20] for h in HOSTILE])
def test_hostile_content_and_personal_data_are_refused(small_site: SiteFolder, text, line, words):
    small_site.write("a.md", text)
    result = small_site.toolkit("check")
    assert result.status == 1
    found = [x for x in result.stdout.splitlines() if x.startswith(f"content/a.md:{line}: error:")]
    assert any(all(w.lower() in x.lower() for w in words) for x in found), result.stdout
    assert "Traceback" not in result.stderr


def test_fictional_values_are_allowed(small_site: SiteFolder):
    small_site.write("a.md", page("a", body=(
        "NHS number 999 123 4567, NI number QQ 12 34 56 C, psw@anytown.example, "
        "020 7946 0123 and 07700 900123 are fictional. Contact psw@testshire.example.")))
    result = small_site.toolkit("check")
    assert result.status == 0, result.stdout


def test_page_allow_list_accepts_an_exact_fictional_value(small_site: SiteFolder):
    small_site.write("a.md", page("a", body="Write to AB1 2CD.", allow_personal_data_examples="['AB1 2CD']"))
    assert small_site.toolkit("check").status == 0


def test_substitution_payload_is_refused_and_never_runs(small_site: SiteFolder, tmp_path: Path):
    marker = tmp_path / "payload-ran"
    small_site.write("payload.md", SUBSTITUTION_PAYLOAD.format(marker=marker))
    checked = small_site.toolkit("check")
    assert checked.status == 1 and "unknown field 'myst'" in checked.stdout
    built = small_site.toolkit("build")
    assert built.status == 1 and "nothing was built" in built.stderr
    assert not marker.exists()


@pytest.fixture(scope="module")
def unvalidated_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every attack page built by Sphinx with the project's real conf.py, validation skipped."""
    source = tmp_path_factory.mktemp("unvalidated") / "src"
    source.mkdir()
    for name, text in ATTACKS.items():
        (source / f"{name}.md").write_text(text if text.startswith("---") else f"# {name}\n\n{text}")
    out = source.parent / "html"
    env = {k: v for k, v in os.environ.items() if k != MANIFEST_VARIABLE}
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", "-c", str(REPO), str(source), str(out)],
                   check=True, capture_output=True, env=env, cwd=REPO)
    return out


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_real_build_of_each_attack_carries_no_script(unvalidated_build: Path, name: str):
    full = (unvalidated_build / f"{name}.html").read_text(encoding="utf-8")
    assert_no_script(full.split('id="furo-main-content">')[1].split("</article>")[0], full)


def test_review_dates_in_check_and_on_the_page(small_site: SiteFolder):
    small_site.write("overdue.md", page("overdue", last_reviewed="2025-01-01", review_by="2026-01-01"))
    small_site.write("soon.md", page("soon", last_reviewed="2025-12-01", review_by="2026-12-20"))
    result = small_site.toolkit("check")
    assert "content/overdue.md:8: warning: review_by 2026-01-01 has passed" in result.stdout
    assert "content/soon.md:8: info: review due on 2026-12-20, within 60 days" in result.stdout
    assert small_site.toolkit("build").status == 0
    built = (small_site.folder / "_build/html/overdue.html").read_text()
    assert "Due for review" in built and "2026-01-01" in built
    assert "Due for review" not in (small_site.folder / "_build/html/soon.html").read_text()


def test_coverage_report_puts_uncovered_statements_first_in_every_format(small_site: SiteFolder):
    text = small_site.toolkit("report", "coverage")
    assert text.status == 0
    assert text.stdout.splitlines()[0].startswith("KSS-PS-3") and "NO PAGES" in text.stdout.splitlines()[0]
    rows = json.loads(small_site.toolkit("report", "coverage", "--format", "json").stdout)
    assert rows[0]["statement"] == "KSS-PS-3" and rows[0]["pages"] == 0
    covered = next(r for r in rows if r["statement"] == "KSS-PS-2")
    assert covered["pages"] == 2
    table = list(csv.DictReader(io.StringIO(small_site.toolkit("report", "coverage", "--format", "csv").stdout)))
    assert table[-1]["page_ids"] in ("genograms reflective-supervision", "reflective-supervision genograms")


def test_review_report_lists_pages_by_date_with_owner(small_site: SiteFolder):
    small_site.write("overdue.md", page("overdue", last_reviewed="2025-01-01", review_by="2026-01-01",
                                        owner="Head of Service"))
    rows = json.loads(small_site.toolkit("report", "review", "--format", "json").stdout)
    assert [r["review_by"] for r in rows] == sorted(r["review_by"] for r in rows)
    assert rows[0] == rows[0] | {"page": "old-guidance", "state": "overdue"}
    assert any(r["page"] == "overdue" and r["owner"] == "Head of Service" for r in rows)
    assert all(r["page"] != "unfinished" for r in rows)   # drafts are not due for review


def test_whats_new_lists_changes_newest_first_and_pages_show_history(small_site: SiteFolder):
    change = "\nchanges:\n  - {date: 2026-11-01, summary: Rewrote the intro.}"
    text = page("a", title="Newer page").replace("review_by: 2027-09-01", "review_by: 2027-09-01" + change)
    small_site.write("a.md", text)
    assert small_site.toolkit("build").status == 0
    whats_new = (small_site.folder / "_build/html/whats-new.html").read_text()
    assert whats_new.index("Rewrote the intro.") < whats_new.index("Added the four-stage cycle.")
    assert "Page history" in (small_site.folder / "_build/html/a.html").read_text()


def test_coverage_page_is_a_table_with_headers(small_site: SiteFolder):
    assert small_site.toolkit("build").status == 0
    coverage = (small_site.folder / "_build/html/coverage.html").read_text()
    assert "<th" in coverage and "Statement" in coverage
    assert coverage.index("KSS-PS-3") < coverage.index("KSS-PS-1")    # uncovered first
