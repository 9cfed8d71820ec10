"""`toolkit report evaluation BEFORE.csv AFTER.csv`: known means from sample files, and every
bad file reported with its name and line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DATA = REPO / "tests" / "data" / "evaluation"


def report(*args: str, cwd: Path = DATA) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", "report", "evaluation", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=60,
                          env=os.environ | {"PYTHONPATH": str(REPO)})


def test_json_gives_the_known_means_per_statement_and_overall():
    done = report("before.csv", "after.csv", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    rows = {row["statement"]: row for row in result["statements"]}
    assert list(rows) == ["KSS-PS-2", "KSS-PS-7", "PCF-9", "SWE-4"]
    assert rows["KSS-PS-7"] == {"statement": "KSS-PS-7", "n_before": 5, "mean_before": 3.4, "n_after": 5,
                                "mean_after": 3.8, "change": 0.4, "relative_change": 0.1176}
    assert rows["PCF-9"]["change"] == 1.0 and rows["PCF-9"]["relative_change"] == 0.5
    assert rows["KSS-PS-2"]["mean_after"] is None and rows["KSS-PS-2"]["change"] is None
    assert rows["SWE-4"]["n_before"] == 0 and rows["SWE-4"]["mean_after"] == 5.0
    assert result["overall"] == {"statements_compared": 2, "mean_before": 2.7, "mean_after": 3.4,
                                 "mean_change": 0.7, "relative_change": 0.2593, "respondents_before": 5,
                                 "respondents_after": 5, "respondents_in_both": 5}


def test_text_reads_like_a_programme_report():
    done = report("before.csv", "after.csv")
    assert done.returncode == 0, done.stderr
    assert "KSS-PS-7         3.40 (5)     3.80 (5)    +0.40    +11.8%" in done.stdout
    assert ("Overall, 2 statements rated in both files: mean before 2.70, mean after 3.40, "
            "mean change +0.70, relative change +25.9%.") in done.stdout
    assert "2 statements rated in only one file are left out of the overall figures." in done.stdout


def test_csv_has_a_row_per_statement_and_an_overall_row():
    done = report("before.csv", "after.csv", "--format", "csv")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("statement,n_before,mean_before,n_after,mean_after,change,relative_change,method,")
    assert any(line.startswith("KSS-PS-7,5,3.4,5,3.8,0.4,0.1176,unpaired,,") for line in lines)
    assert lines[-1].startswith("overall,2,2.7,2,3.4,0.7,0.2593,unpaired,,")
    assert lines[-1].endswith(",Not enough data: 5 before and 5 after; a test needs at least 6 in each round.")


def test_the_same_file_twice_is_no_change_and_a_bom_is_accepted(tmp_path: Path):
    (tmp_path / "a.csv").write_bytes("\ufeffRespondent, Statement ,Rating\nx,kss-ps-1,2\ny,KSS-PS-1,3\n"
                                     .encode("utf-8"))
    done = report("a.csv", "a.csv", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["statements"] == [{
        "statement": "KSS-PS-1", "n_before": 2, "mean_before": 2.5, "n_after": 2, "mean_after": 2.5,
        "change": 0.0, "relative_change": 0.0}]


HEADER = "respondent,statement,rating\n"
BAD_FILES = [
    ("respondent,rating\nx,3\n", "bad.csv:1: error:", "no column 'statement'"),
    (HEADER + "x,KSS-PS-1,three\n", "bad.csv:2: error:", "rating 'three' is not a number"),
    (HEADER + "x,KSS-PS-1,3\ny,KSS-PS-1\n", "bad.csv:3: error:", "the row has 2 values; the header has 3"),
    (HEADER + "x,,3\n", "bad.csv:2: error:", "the row has no statement"),
    (HEADER + "x,KSS PS 1,3\n", "bad.csv:2: error:", "'KSS PS 1' is not a statement id"),
    (HEADER + "\n\nx,KSS-PS-1,nan\n", "bad.csv:4: error:", "rating 'nan' is not a number"),
    (HEADER, "bad.csv:2: error:", "a header row but no ratings"),
    ("", "bad.csv:1: error:", "no header row"),
    ("respondent;statement;rating\nx;KSS-PS-1;3\n", "bad.csv:1: error:", "separated by semicolons"),
    ("respondent,statement,rating,rating\nx,KSS-PS-1,3,4\n", "bad.csv:1: error:", "names 'rating' more than once"),
    (HEADER.encode() + b"caf\xe9,KSS-PS-1,3\n", "bad.csv:2: error:", "not UTF-8"),
    (HEADER + 'x,KSS-PS-1,"3\n', "bad.csv:2: error:", "the row cannot be read"),
]


@pytest.mark.parametrize(("text", "where", "words"), BAD_FILES, ids=[b[2][:30] for b in BAD_FILES])
def test_a_bad_file_is_an_error_with_file_and_line(tmp_path: Path, text: str | bytes, where: str, words: str):
    (tmp_path / "good.csv").write_text(HEADER + "x,KSS-PS-1,3\n")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(text if isinstance(text, bytes) else text.encode())
    done = report("good.csv", "bad.csv", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert any(line.startswith(where) and words in line for line in done.stderr.splitlines()), done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_every_problem_in_both_files_is_reported_at_once(tmp_path: Path):
    (tmp_path / "a.csv").write_text(HEADER + "x,KSS-PS-1,high\ny,KSS-PS-1,low\n")
    (tmp_path / "b.csv").write_text("who,statement,rating\n")
    done = report("a.csv", "b.csv", cwd=tmp_path)
    assert done.returncode == 1
    assert "a.csv:2: error: rating 'high'" in done.stderr and "a.csv:3: error: rating 'low'" in done.stderr
    assert "b.csv:1: error: the header has no column 'respondent'" in done.stderr
    assert "3 errors" in done.stderr


@pytest.mark.parametrize("files", [["before.csv"], ["before.csv", "missing.csv"]])
def test_wrong_files_are_a_usage_error(files: list[str]):
    done = report(*files)
    assert done.returncode == 2
    assert done.stderr.startswith("toolkit: ") and "Traceback" not in done.stderr
