"""The statistics of `toolkit report evaluation`: a worked example by hand (ties and zero differences),
SciPy's own results on the sample programme, Holm's adjustment, and the cases with too little data."""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from scipy import stats

from tests.conftest import REPO
from toolkit.commands.evaluation import Rating, evaluation
from toolkit.evaluation.stats import holm

DATA = REPO / "tests" / "data" / "evaluation"
# Ten people's change on one statement: two unchanged (zeros), ties among the ones and twos.
CHANGES = [1, 1, 0, 2, -1, 1, 1, 0, 2, 1]


def rounds(changes: list[float], statement: str = "KSS-PS-7", start: int = 2) -> tuple[list[Rating], list[Rating]]:
    before = [Rating(f"P{i}", statement, start) for i in range(len(changes))]
    after = [Rating(f"P{i}", statement, start + change) for i, change in enumerate(changes)]
    return before, after


def report(*args: str, cwd: Path = DATA) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", "report", "evaluation", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=60,
                          env=os.environ | {"PYTHONPATH": str(REPO)})


def test_the_worked_example_matches_the_figures_worked_by_hand():
    """By hand: the eight non-zero changes rank 3.5 (the six ones) and 7.5 (the two twos); the one fall
    has rank 3.5, so W− = 3.5 and W+ = 32.5. Of the 2^8 equally likely sign patterns, 14 are at least
    as far from the middle (18) as 32.5, so p = 14/256. For the effect size all ten are ranked: the two
    zeros 1.5, the six ones 5.5, the two twos 9.5; (5 × 5.5 + 2 × 9.5 − 5.5) ÷ 55 = 41/55. Mean 0.8,
    standard deviation √(7.6 ÷ 9), so the 95% interval is 0.8 ± 2.2622 × 0.2906."""
    figures = evaluation(*rounds(CHANGES))["analysis"]["statements"][0]
    assert figures["enough_data"] and figures["pairs"] == 10
    assert (figures["rose"], figures["fell"], figures["unchanged"]) == (7, 1, 2)
    assert figures["mean_change"] == 0.8 and figures["median_change"] == 1.0
    assert figures["statistic"] == 3.5
    assert figures["p_value"] == pytest.approx(14 / 256, abs=1e-4)
    assert figures["effect_size"] == pytest.approx(41 / 55, abs=1e-4)
    assert (figures["ci_low"], figures["ci_high"]) == pytest.approx((0.1426, 1.4574), abs=1e-4)
    assert not figures["significant"]
    assert figures["explanation"].startswith("Ratings rose for 7 of 10 people, fell for 1 and stayed the same for 2.")
    assert "could easily happen by chance (p = 0.055)" in figures["explanation"]


def test_the_exact_p_value_is_the_share_of_sign_patterns_at_least_as_extreme():
    """The signed-rank test's definition, counted out, on the worked example."""
    changes = np.array([c for c in CHANGES if c])
    ranks = stats.rankdata(np.abs(changes))
    observed = abs(ranks[changes > 0].sum() - ranks.sum() / 2)
    patterns = list(itertools.product((1, -1), repeat=len(ranks)))
    extreme = sum(abs(sum(r for r, s in zip(ranks, signs, strict=True) if s > 0) - ranks.sum() / 2) >= observed
                  for signs in patterns)
    assert evaluation(*rounds(CHANGES))["analysis"]["statements"][0]["p_value"] == round(extreme / len(patterns), 4)


def read(path: Path) -> dict[tuple[str, str], float]:
    with path.open(newline="") as file:
        return {(row["respondent"], row["statement"]): float(row["rating"]) for row in csv.DictReader(file)}


@pytest.fixture(scope="module")
def programme() -> dict:
    done = report("programme-before.csv", "programme-after.csv", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_statement_of_the_sample_programme_matches_scipy(programme: dict):
    before, after = read(DATA / "programme-before.csv"), read(DATA / "programme-after.csv")
    analysis = programme["analysis"]
    assert analysis["method"] == "paired" and analysis["statements_tested"] == 4
    raw = []
    for row in analysis["statements"]:
        people = sorted(p for p, s in after if s == row["statement"] and (p, s) in before)
        changes = np.array([after[p, row["statement"]] - before[p, row["statement"]] for p in people])
        expected = stats.wilcoxon(changes)
        interval = stats.ttest_1samp(changes, 0).confidence_interval(0.95)
        assert row["pairs"] == len(people) == 39
        assert row["statistic"] == pytest.approx(expected.statistic)
        assert row["p_value"] == pytest.approx(expected.pvalue, abs=1e-4)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((interval.low, interval.high), abs=1e-4)
        assert row["median_change"] == np.median(changes) and row["mean_change"] == pytest.approx(changes.mean(),
                                                                                                  abs=1e-4)
        raw.append(expected.pvalue)
    # Holm by hand on SciPy's p-values: the k-th smallest of 4 times (5 − k), never falling.
    ordered = sorted(raw)
    adjusted = list(itertools.accumulate((min(1, p * (4 - k)) for k, p in enumerate(ordered)), max))
    assert sorted(row["p_holm"] for row in analysis["statements"]) == pytest.approx(adjusted, abs=1e-4)


def test_the_sample_programme_reads_as_a_report(programme: dict):
    rows = {row["statement"]: row for row in programme["analysis"]["statements"]}
    assert rows["KSS-PS-1"]["significant"] and rows["KSS-PS-4"]["significant"]
    assert not rows["KSS-PS-7"]["significant"]
    # PCF-9 is below 0.05 alone but not once the four statements are allowed for.
    assert rows["PCF-9"]["p_value"] < 0.05 < rows["PCF-9"]["p_holm"] and not rows["PCF-9"]["significant"]
    # Four falls among 35 unchanged is a small effect, not "everyone fell".
    assert -0.3 < rows["PCF-9"]["effect_size"] < -0.1 and "Effect size −0.19: small." in rows["PCF-9"]["explanation"]
    assert "1 person who answered only one round is left out" in programme["analysis"]["explanation"]
    overall = programme["analysis"]["overall"]
    assert overall["pairs"] == 39 and overall["significant"]
    assert "very unlikely by chance (p < 0.001)" in overall["explanation"]
    text = report("programme-before.csv", "programme-after.csv").stdout
    assert "KSS-PS-1: Ratings rose for 32 of 39 people, fell for 2 and stayed the same for 5." in text
    assert "allowing for 4 statements tested" in text and "How to read this:" in text


def test_holm_against_a_worked_example():
    # Sorted: 0.005 × 4 = 0.02, 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, 0.04 × 1 = 0.04 raised to 0.06.
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == [1.0, 1.0]


def test_nobody_changing_is_no_evidence_and_no_error():
    figures = evaluation(*rounds([0] * 8))["analysis"]["statements"][0]
    assert figures["p_value"] == 1.0 and figures["effect_size"] == 0.0 and figures["unchanged"] == 8
    assert (figures["ci_low"], figures["ci_high"]) == (0.0, 0.0)
    assert "could easily happen by chance" in figures["explanation"]


@pytest.mark.parametrize("people", [1, 5])
def test_too_few_people_is_not_enough_data_not_a_figure(people: int):
    result = evaluation(*rounds([1] * people))["analysis"]
    for figures in (result["statements"][0], result["overall"]):
        assert not figures["enough_data"] and "p_value" not in figures
        assert figures["explanation"] == (f"Not enough data: {people} before and {people} after; a test needs at "
                                          "least 6 in each round.")


def test_six_pairs_among_others_are_tested_and_too_few_pairs_fall_back_to_groups():
    # Six people in both rounds, four only before: paired on the six, the four left out.
    before, after = rounds([1, 1, 1, 0, 1, 2])
    extra = [Rating(f"X{i}", "KSS-PS-7", 3) for i in range(4)]
    analysis = evaluation(before + extra, after)["analysis"]
    assert analysis["method"] == "paired" and analysis["statements"][0]["pairs"] == 6
    assert "4 people who answered only one round are left out" in analysis["explanation"]
    # Only three matched of eight in each round: compared as groups, and said why.
    before, after = rounds([1] * 8)
    after = after[:3] + [Rating(f"Y{i}", r.statement, r.rating) for i, r in enumerate(after[3:])]
    analysis = evaluation(before, after)["analysis"]
    assert analysis["method"] == "unpaired" and analysis["statements"][0]["enough_data"]
    assert "only 3 people could be matched across the rounds, fewer than the 6 a paired test needs" in \
        analysis["explanation"]


def test_different_people_are_compared_as_groups_and_said_to_be_weaker():
    before = [Rating(f"A{i}", "PCF-9", r) for i, r in enumerate([2, 2, 3, 3, 1, 2, 3, 2])]
    after = [Rating(f"B{i}", "PCF-9", r) for i, r in enumerate([3, 4, 4, 3, 5, 4, 3, 4, 4])]
    analysis = evaluation(before, after)["analysis"]
    figures = analysis["statements"][0]
    expected = stats.mannwhitneyu([3, 4, 4, 3, 5, 4, 3, 4, 4], [2, 2, 3, 3, 1, 2, 3, 2])
    assert analysis["method"] == "unpaired" and "weaker" in analysis["explanation"]
    assert figures["statistic"] == expected.statistic
    assert figures["p_value"] == pytest.approx(expected.pvalue, abs=1e-4)
    assert figures["effect_size"] == pytest.approx(2 * expected.statistic / (8 * 9) - 1, abs=1e-4)
    assert "compares two groups, which is weaker evidence" in figures["explanation"]


def test_the_html_report_is_printable_self_contained_and_has_a_chart_per_statement(programme: dict):
    done = report("programme-before.csv", "programme-after.csv", "--format", "html")
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup(done.stdout, "html.parser")
    sections = page.select("section.statement")
    assert [s.h3.get_text() for s in sections] == ["KSS-PS-1", "KSS-PS-4", "KSS-PS-7", "PCF-9"]
    assert all(s.find("svg") and s.find("table") for s in sections)
    assert "default-src 'none'" in page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert not page.select("[src], link, script") and "http://" not in done.stdout.replace(
        "http://www.w3.org", "") and "https://" not in done.stdout
    overall = page.find("th", string="Overall").parent
    assert "+0.31 (+0.25 to +0.38)" in overall.get_text()
    assert programme["analysis"]["overall"]["explanation"] in page.get_text()


def test_html_is_refused_for_other_reports():
    done = subprocess.run([sys.executable, "-m", "toolkit", "report", "coverage", "--format", "html"],
                          capture_output=True, text=True, cwd=REPO, timeout=60,
                          env=os.environ | {"PYTHONPATH": str(REPO)})
    assert done.returncode == 2 and "no html format" in done.stderr


def response_file(folder: Path, rater: str, ratings: dict[str, int], **fields: object) -> Path:
    data = {"toolkit": "360-response", "version": 1, "assessment": "check-in", "request": "abcdefgh",
            "rater": rater, "group": "peer", "date": "2026-12-01", "scale": 5,
            "ratings": [{"question": f"q{s}", "statement": s, "rating": r} for s, r in ratings.items()]} | fields
    folder.mkdir(exist_ok=True)
    path = folder / f"{rater}.json"
    path.write_text(json.dumps(data))
    return path


def test_a_groups_360_response_files_are_a_round_and_the_same_raters_are_paired(tmp_path: Path):
    for number in range(8):
        response_file(tmp_path / "march", f"rater{number}", {"KSS-PS-1": 2, "KSS-PS-3": 3})
        response_file(tmp_path / "september", f"rater{number}", {"KSS-PS-1": 3 + number % 2, "KSS-PS-3": 3})
    done = report("march", "september", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    rows = {row["statement"]: row for row in result["analysis"]["statements"]}
    assert result["analysis"]["method"] == "paired" and rows["KSS-PS-1"]["pairs"] == 8
    assert rows["KSS-PS-1"]["rose"] == 8 and rows["KSS-PS-1"]["mean_change"] == 1.5
    assert rows["KSS-PS-3"]["unchanged"] == 8 and rows["KSS-PS-3"]["p_value"] == 1.0


def test_bad_response_files_are_errors_with_file_and_line(tmp_path: Path):
    good = response_file(tmp_path / "round", "rater1", {"KSS-PS-1": 2})
    (tmp_path / "round" / "damaged.json").write_text('{"toolkit": "360-response",\n "version": 1,\n')
    response_file(tmp_path / "round", "other", {"KSS-PS-1": 2}, assessment="pcf-self-assessment")
    (tmp_path / "round" / "again.json").write_bytes(good.read_bytes())
    response_file(tmp_path / "round", "outside", {"KSS-PS-1": 9})
    done = report("round", str(good), cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    expected = [("round/damaged.json:3: error:", "the response file is damaged"),
                ("round/other.json:1: error:", "this response is for 'pcf-self-assessment'"),
                ("round/rater1.json:1: error:", "the same rater's response is also in round/again.json"),
                ("round/outside.json:1: error:", "outside the scale 1 to 5")]
    for where, words in expected:
        assert any(line.startswith(where) and words in line for line in lines), (where, done.stderr)


def test_the_html_report_opens_in_chromium_with_no_request_and_no_axe_violation(browser, tmp_path: Path):
    from tests.test_accessibility import axe_violations, describe

    done = report("programme-before.csv", "programme-after.csv", "--format", "html")
    path = tmp_path / "report.html"
    path.write_text(done.stdout, encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 800}, bypass_csp=True)
    browser_page = context.new_page()
    requests: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    browser_page.goto(path.as_uri())
    assert requests == [path.as_uri()]
    assert browser_page.locator("section.statement svg").count() == 4
    assert browser_page.evaluate("document.querySelector('main').scrollWidth") <= 390
    violations = axe_violations(browser_page)
    assert not violations, describe(violations)
    context.close()
