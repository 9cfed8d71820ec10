"""`toolkit report evaluation BEFORE.csv AFTER.csv`: the before-and-after measure of a programme.

Each file holds one round of self-assessment ratings from a group, one rating a row, with a
header row naming at least `respondent`, `statement` and `rating` (`assessment` and `date`,
as the site's self-assessment pages export them, are optional; other columns are ignored).

The arithmetic, as a programme lead reports it:

- per statement, *mean before* and *mean after* are the means of every rating of that
  statement in each file, and *change* = mean after − mean before; *relative change* =
  change ÷ mean before;
- *overall*, over the statements rated in both files: mean before and mean after are the
  means of the per-statement means (each statement counts once, however many people rated
  it), mean change = mean after − mean before (the same as the mean of the per-statement
  changes), and relative change = mean change ÷ mean before.

Statements rated in only one file are listed but left out of the overall figures.

Beside these figures, `toolkit.evaluation.stats` tests whether the change is more than chance
(paired when the same respondent codes appear in both rounds), and `toolkit.evaluation.words`
says what the figures mean. Either round may also be 360 response files (`toolkit.evaluation.feedback360`)
or a folder of them, so a group's 360 feedback can be compared across rounds.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from typing import Any

from toolkit.commands.common import EXIT_ERRORS, EXIT_OK, UsageError, csv_text
from toolkit.core.problems import Problem, error
from toolkit.core.textfiles import read_text
from toolkit.evaluation.feedback360 import STATEMENT_PATTERN, is_response_file, read_responses
from toolkit.evaluation.stats import analyse
from toolkit.evaluation.words import GLOSSARY, explain, method_words, p_text, signed

REQUIRED_COLUMNS = ("respondent", "statement", "rating")
OPTIONAL_COLUMNS = ("assessment", "date")
HEADER_HINT = "the first row names the columns: respondent,statement,rating (assessment,date optional)"
DECIMALS = 4
WIDTH = 100


@dataclass(frozen=True, slots=True)
class Rating:
    respondent: str
    statement: str
    rating: float


def read_ratings(path: Path, shown: str) -> tuple[list[Rating], list[Problem]]:
    """Every rating in one exported file, or every problem in it with its line."""
    if not path.is_file():
        raise UsageError(f"{shown}: no such file")
    text, problems = read_text(path, shown)
    if text is None:
        return [], problems
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [error(shown, reader.line_num, "csv-syntax", f"the header row cannot be read: {exc}",
                          HEADER_HINT)]
    if not header or not any(cell.strip() for cell in header):
        return [], [error(shown, 1, "csv-no-header", "the file has no header row", HEADER_HINT)]
    columns = [cell.strip().lower() for cell in header]
    problems = _check_header(columns, shown)
    if problems:
        return [], problems
    position = {name: columns.index(name) for name in REQUIRED_COLUMNS}
    ratings: list[Rating] = []
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(error(shown, reader.line_num, "csv-syntax", f"the row cannot be read: {exc}",
                                  "check the quotes on this line"))
            break
        if not any(cell.strip() for cell in row):
            continue
        rating, found = _read_row(row, len(columns), position, shown, line)
        problems += found
        if rating is not None:
            ratings.append(rating)
    if not ratings and not problems:
        problems.append(error(shown, 2, "csv-no-ratings", "the file has a header row but no ratings",
                              "export the ratings again, or check you chose the right file"))
    return ratings, problems


def read_round(shown: str) -> tuple[list[Rating], list[Problem]]:
    """One round: a CSV export, a 360 response file, or a folder of either."""
    path = Path(shown)
    if path.is_dir():
        files = sorted(f for f in path.iterdir() if f.is_file() and f.suffix.lower() in (".csv", ".json"))
        if not files:
            raise UsageError(f"{shown}: the folder has no .csv or .json response files")
    elif path.is_file():
        files = [path]
    else:
        raise UsageError(f"{shown}: no such file or folder")
    shown_of = {f: shown if f == path else str(f) for f in files}
    ratings: list[Rating] = []
    problems: list[Problem] = []
    responses, problems = read_responses([(f, shown_of[f]) for f in files if is_response_file(f)])
    for response in responses:
        ratings += [Rating(response["rater"], item["statement"].upper(), float(item["rating"]))
                    for item in response["ratings"]]
    for file in files:
        if not is_response_file(file):
            found_ratings, found = read_ratings(file, shown_of[file])
            ratings += found_ratings
            problems += found
    return ratings, problems


def _check_header(columns: list[str], shown: str) -> list[Problem]:
    problems = []
    if len(columns) == 1 and ";" in columns[0]:
        return [error(shown, 1, "csv-delimiter", "the columns are separated by semicolons, not commas",
                      "save the file as 'CSV (comma delimited)'")]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(error(shown, 1, "csv-missing-column",
                              f"the header has no column {', '.join(repr(m) for m in missing)} "
                              f"(found: {', '.join(c or '(blank)' for c in columns)})", HEADER_HINT))
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        problems.append(error(shown, 1, "csv-duplicate-column",
                              f"the header names {', '.join(repr(r) for r in repeated)} more than once",
                              "keep one column of each name"))
    return problems


def _read_row(row: list[str], width: int, position: dict[str, int], shown: str, line: int
              ) -> tuple[Rating | None, list[Problem]]:
    if len(row) != width:
        return None, [error(shown, line, "csv-row-width", f"the row has {len(row)} values; the header has {width}",
                            "check for a missing or extra comma, or a comma inside unquoted text")]
    values = {name: row[index].strip() for name, index in position.items()}
    problems = [error(shown, line, "csv-empty-value", f"the row has no {name}",
                      f"fill in the {name}, or delete the row")
                for name in REQUIRED_COLUMNS if not values[name]]
    if values["statement"] and not STATEMENT_PATTERN.fullmatch(values["statement"]):
        problems.append(error(shown, line, "csv-bad-statement",
                              f"statement '{values['statement']}' is not a statement id",
                              "write the id as on the site, e.g. KSS-PS-7 or PCF-9"))
    rating = _number(values["rating"])
    if values["rating"] and rating is None:
        problems.append(error(shown, line, "csv-bad-rating", f"rating '{values['rating']}' is not a number",
                              "write the rating as a number on the scale, e.g. 3"))
    if problems or rating is None:
        return None, problems
    return Rating(values["respondent"], values["statement"].upper(), rating), []


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _statement_order(statement: str) -> tuple[str, int]:
    match = STATEMENT_PATTERN.fullmatch(statement)
    return (match.group(1), int(match.group(2))) if match else (statement, 0)


def _means(ratings: list[Rating]) -> dict[str, tuple[float, int]]:
    """Statement -> (mean of every rating of it, number of ratings)."""
    grouped: dict[str, list[float]] = {}
    for rating in ratings:
        grouped.setdefault(rating.statement, []).append(rating.rating)
    return {statement: (fmean(values), len(values)) for statement, values in grouped.items()}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def evaluation(before: list[Rating], after: list[Rating]) -> dict[str, Any]:
    """Per-statement rows and the overall figures, as defined in the module docstring."""
    means_before, means_after = _means(before), _means(after)
    rows = []
    for statement in sorted(set(means_before) | set(means_after), key=_statement_order):
        mean_before, n_before = means_before.get(statement, (None, 0))
        mean_after, n_after = means_after.get(statement, (None, 0))
        change = mean_after - mean_before if mean_before is not None and mean_after is not None else None
        relative = change / mean_before if change is not None and mean_before else None
        rows.append({"statement": statement, "n_before": n_before, "mean_before": _rounded(mean_before),
                     "n_after": n_after, "mean_after": _rounded(mean_after), "change": _rounded(change),
                     "relative_change": _rounded(relative)})
    both = [s for s in means_before if s in means_after]
    overall_before = fmean(means_before[s][0] for s in both) if both else None
    overall_after = fmean(means_after[s][0] for s in both) if both else None
    change = overall_after - overall_before if overall_before is not None and overall_after is not None else None
    respondents_before = {r.respondent for r in before}
    respondents_after = {r.respondent for r in after}
    overall = {
        "statements_compared": len(both),
        "mean_before": _rounded(overall_before), "mean_after": _rounded(overall_after),
        "mean_change": _rounded(change),
        "relative_change": _rounded(change / overall_before if change is not None and overall_before else None),
        "respondents_before": len(respondents_before), "respondents_after": len(respondents_after),
        "respondents_in_both": len(respondents_before & respondents_after),
    }
    return {"statements": rows, "overall": overall,
            "analysis": _explained(analyse(before, after, [row["statement"] for row in rows]), overall)}


def _explained(analysis: dict[str, Any], overall: dict[str, Any]) -> dict[str, Any]:
    """The analysis with its plain-words sentences beside the figures."""
    respondents = {"before": overall["respondents_before"], "after": overall["respondents_after"],
                   "both": overall["respondents_in_both"]}
    analysis["explanation"] = method_words(analysis, respondents)
    for row in analysis["statements"]:
        row["explanation"] = explain(row, analysis["method"], analysis["minimum"], analysis["statements_tested"])
    analysis["overall"]["explanation"] = explain(analysis["overall"], analysis["method"], analysis["minimum"], 1)
    return analysis


def _signed(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:+.1f}%" if percent else f"{value:+.2f}"


def _mean(value: float | None, count: int) -> str:
    return "–" if value is None else f"{value:.2f} ({count})"


def as_text(result: dict[str, Any]) -> str:
    lines = [f"{'statement':<12} {'before (n)':>12} {'after (n)':>12} {'change':>8} {'relative':>9}"]
    for row in result["statements"]:
        lines.append(f"{row['statement']:<12} {_mean(row['mean_before'], row['n_before']):>12} "
                     f"{_mean(row['mean_after'], row['n_after']):>12} {_signed(row['change']):>8} "
                     f"{_signed(row['relative_change'], percent=True):>9}")
    overall = result["overall"]
    only_one = len(result["statements"]) - overall["statements_compared"]
    lines.append("")
    if overall["statements_compared"]:
        compared = overall["statements_compared"]
        lines.append(f"Overall, {compared} statement{'s' * (compared != 1)} rated in both files: mean before "
                     f"{overall['mean_before']:.2f}, mean after {overall['mean_after']:.2f}, mean change "
                     f"{_signed(overall['mean_change'])}, relative change "
                     f"{_signed(overall['relative_change'], percent=True)}.")
    else:
        lines.append("No statement was rated in both files, so there is no overall change.")
    if only_one:
        lines.append(f"{only_one} statement{'s' * (only_one != 1)} rated in only one file "
                     f"{'are' if only_one != 1 else 'is'} left out of the overall figures.")
    lines.append(f"Respondents: {overall['respondents_before']} before, {overall['respondents_after']} after, "
                 f"{overall['respondents_in_both']} in both.")
    if overall["respondents_in_both"] < max(overall["respondents_before"], overall["respondents_after"]):
        lines.append("Not everyone answered both rounds: compare the same people where you can.")
    return "\n".join(lines + [""] + _analysis_lines(result["analysis"])) + "\n"


def _test_cells(row: dict[str, Any]) -> tuple[str, str, str, str]:
    """Mean change with its interval, p, Holm-adjusted p and effect size, as the report shows them."""
    if not row["enough_data"]:
        return "not enough data", "", "", ""
    interval = f"{signed(row['mean_change'])} ({signed(row['ci_low'])} to {signed(row['ci_high'])})"
    return interval, p_text(row["p_value"]), p_text(row.get("p_holm", row["p_value"])), signed(row["effect_size"])


def _analysis_lines(analysis: dict[str, Any]) -> list[str]:
    people = "pairs" if analysis["method"] == "paired" else "n"
    lines = [textwrap.fill(analysis["explanation"], WIDTH), "",
             f"{'statement':<12} {people:>5} {'mean change (95% CI)':>26} {'p':>7} {'Holm p':>7} {'effect':>7}"]
    for row in analysis["statements"] + [analysis["overall"] | {"statement": "overall"}]:
        count = row["pairs"] if "pairs" in row else min(row["n_before"], row["n_after"])
        interval, p, adjusted, effect = _test_cells(row)
        lines.append(f"{row['statement']:<12} {count:>5} {interval:>26} {p:>7} {adjusted:>7} {effect:>7}".rstrip())
    lines.append("")
    for row in analysis["statements"]:
        lines += textwrap.wrap(f"{row['statement']}: {row['explanation']}", WIDTH, subsequent_indent="  ")
    lines += textwrap.wrap(f"Overall: {analysis['overall']['explanation']}", WIDTH, subsequent_indent="  ")
    lines += ["", "How to read this:"]
    for term, meaning in GLOSSARY:
        lines += textwrap.wrap(f"- {term}: {meaning}", WIDTH, subsequent_indent="  ")
    return lines


TEST_COLUMNS = ("pairs", "rose", "fell", "unchanged", "median_before", "median_after", "median_change",
                "mean_change", "ci_low", "ci_high", "p_value", "p_holm", "effect_size", "significant", "explanation")


def as_csv(result: dict[str, Any]) -> str:
    """One row per statement, then an `overall` row whose n columns count the statements compared.

    The means come first (as before the tests were added), then the test's columns, empty where
    a statement was not tested.
    """
    overall = result["overall"]
    rows = result["statements"] + [{
        "statement": "overall", "n_before": overall["statements_compared"], "mean_before": overall["mean_before"],
        "n_after": overall["statements_compared"], "mean_after": overall["mean_after"],
        "change": overall["mean_change"], "relative_change": overall["relative_change"]}]
    analysis = result["analysis"]
    tests = {row["statement"]: row for row in analysis["statements"]} | {"overall": analysis["overall"]}
    for row in rows:
        test = tests.get(row["statement"])
        row["method"] = analysis["method"] if test else None
        row.update({column: (test or {}).get(column) for column in TEST_COLUMNS})
    return csv_text(rows)


def evaluation_report(args: argparse.Namespace) -> int:
    if len(args.files) != 2:
        raise UsageError("report evaluation takes two files: BEFORE.csv AFTER.csv")
    before, problems = read_round(args.files[0])
    after, found = read_round(args.files[1])
    problems += found
    if problems:
        for problem in sorted(problems):
            sys.stderr.write(problem.as_text() + "\n")
        count = len(problems)
        print(f"toolkit report evaluation: {count} error{'s' * (count != 1)}; fix the files and run it again",
              file=sys.stderr)
        return EXIT_ERRORS
    result = evaluation(before, after)
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    elif args.format == "html":
        from toolkit.evaluation.html import as_html
        sys.stdout.write(as_html(result, before, after))
    elif args.format == "csv":
        sys.stdout.write(as_csv(result))
    else:
        sys.stdout.write(as_text(result))
    return EXIT_OK
