"""`toolkit report evaluation --format html`: one printable, self-contained page a programme lead can publish.

Everything is inline (styles, and one SVG chart per statement), and the page's content security
policy forbids loading anything, so it opens from a file, an email or an intranet alike and
never calls out. Each chart has the same figures in a table beside it, for screen readers and
for anyone who cannot tell the bars apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape
from typing import Any

from toolkit.evaluation.stats import PAIRED, RatingLike, by_person
from toolkit.evaluation.words import GLOSSARY, p_text, signed

STYLE = """
body { font: 1rem/1.5 system-ui, sans-serif; color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.75rem; margin: 0.5rem 0; } h2 { margin-top: 2rem; } h3 { margin-bottom: 0.25rem; }
table { border-collapse: collapse; margin: 0.75rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #767676; padding: 0.25rem 0.5rem; text-align: right; vertical-align: top; }
td { white-space: nowrap; }
th[scope=row], thead th:first-child { text-align: left; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
.wide { overflow-x: auto; }
.wide:focus-visible { outline: 3px solid #1d4f91; outline-offset: 2px; }
.statement { break-inside: avoid; border-top: 1px solid #767676; margin-top: 1.5rem; }
.pair { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
figure { margin: 0.5rem 0; } figcaption { font-size: 0.9rem; }
svg { width: 26rem; max-width: 100%; height: auto; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
.before { fill: #8a8a8a; } .after { fill: #1d4f91; }
.key { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; margin-right: 0.25em; }
.key.before { background: #8a8a8a; } .key.after { background: #1d4f91; }
dt { font-weight: 600; } dd { margin: 0 0 0.5rem 0; }
@media print { main { max-width: none; padding: 0; } a { color: inherit; } h2 { break-after: avoid; } }
"""
TITLE = "Programme evaluation"
POLICY = "default-src 'none'; style-src 'unsafe-inline'"
ROW = 22
LABEL = 40
BAR = 260


def _value(value: float) -> str:
    return f"{value:g}"


def _chart(before: Counter[float], after: Counter[float]) -> str:
    """Horizontal bars: how many people gave each rating, before (grey) and after (blue)."""
    values = sorted(set(before) | set(after))
    most = max([*before.values(), *after.values(), 1])
    parts = []
    for index, value in enumerate(values):
        y = index * (2 * ROW + 8)
        parts.append(f'<text x="0" y="{y + ROW + 4}">{_value(value)}</text>')
        for offset, (cls, counts) in enumerate((("before", before), ("after", after))):
            count = counts.get(value, 0)
            top = y + offset * ROW
            width = max(1, round(BAR * count / most)) if count else 0
            parts.append(f'<rect class="{cls}" x="{LABEL}" y="{top + 3}" width="{width}" height="{ROW - 6}"/>'
                         f'<text x="{LABEL + width + 4}" y="{top + ROW - 7}">{count}</text>')
    height = len(values) * (2 * ROW + 8)
    return (f'<svg viewBox="0 0 {LABEL + BAR + 40} {height}" role="img" aria-hidden="true" focusable="false">'
            f'{"".join(parts)}</svg>')


def _counts_table(statement: str, before: Counter[float], after: Counter[float]) -> str:
    rows = "".join(f'<tr><th scope="row">{_value(v)}</th><td>{before.get(v, 0)}</td><td>{after.get(v, 0)}</td></tr>'
                   for v in sorted(set(before) | set(after)))
    return (f'<table><caption>People giving each rating, {escape(statement)}</caption><thead><tr>'
            f'<th scope="col">Rating</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _mean(value: float | None, count: int | str) -> str:
    return "–" if value is None else f"{value:.2f}" + (f" ({count})" if count != "" else "")


def _summary_table(result: dict[str, Any]) -> str:
    analysis = result["analysis"]
    tests = {row["statement"]: row for row in analysis["statements"]}
    people = "Pairs" if analysis["method"] == PAIRED else "People (before, after)"
    head = "".join(f'<th scope="col">{h}</th>' for h in (
        "Statement", "Mean before (ratings)", "Mean after (ratings)", "Change", "Relative change", people,
        "Mean change (95% CI)", "p", "Holm p", "Effect size"))
    body = []
    overall = result["overall"] | {"statement": "Overall", "n_before": "", "n_after": "",
                                   "change": result["overall"]["mean_change"]}
    for row in [*result["statements"], overall]:
        test = analysis["overall"] if row is overall else tests.get(row["statement"])
        means = [_mean(row["mean_before"], row["n_before"]), _mean(row["mean_after"], row["n_after"]),
                 signed(row["change"]),
                 "–" if row["relative_change"] is None else f"{row['relative_change'] * 100:+.1f}%".replace("-", "−")]
        if test is None:
            figures = ["–", "not rated in both rounds", "", "", ""]
        else:
            count = str(test["pairs"]) if "pairs" in test else f"{test['n_before']}, {test['n_after']}"
            figures = [count, "not enough data", "", "", ""] if not test["enough_data"] else [
                count, f"{signed(test['mean_change'])} ({signed(test['ci_low'])} to {signed(test['ci_high'])})",
                p_text(test["p_value"]), p_text(test.get("p_holm", test["p_value"])), signed(test["effect_size"])]
        cells = "".join(f"<td>{escape(c)}</td>" for c in means + figures)
        body.append(f'<tr><th scope="row">{escape(row["statement"])}</th>{cells}</tr>')
    return ('<div class="wide" tabindex="0" role="region" aria-label="Figures by statement">'
            f'<table><caption>Figures by statement</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _distribution(ratings: Iterable[RatingLike]) -> dict[str, Counter[float]]:
    return {s: Counter(people.values()) for s, people in by_person(ratings).items()}


def as_html(result: dict[str, Any], before: list[RatingLike], after: list[RatingLike]) -> str:
    analysis = result["analysis"]
    counts_before, counts_after = _distribution(before), _distribution(after)
    sections = []
    for row in analysis["statements"]:
        statement = row["statement"]
        first, second = counts_before[statement], counts_after[statement]
        sections.append(
            f'<section class="statement" aria-labelledby="s-{escape(statement)}">'
            f'<h3 id="s-{escape(statement)}">{escape(statement)}</h3><p>{escape(row["explanation"])}</p>'
            f'<div class="pair"><figure>{_chart(first, second)}<figcaption>How many people gave each '
            f'rating of {escape(statement)}: <span class="key before"></span>before, '
            f'<span class="key after"></span>after. The table gives the same figures.</figcaption></figure>'
            f"{_counts_table(statement, first, second)}</div></section>")
    glossary = "".join(f"<dt>{escape(term)}</dt><dd>{escape(meaning)}</dd>" for term, meaning in GLOSSARY)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{TITLE}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{TITLE}</h1>
<h2>Summary</h2>
<p>{escape(analysis["explanation"])}</p>
<p><strong>Overall:</strong> {escape(analysis["overall"]["explanation"])}</p>
{_summary_table(result)}
<h2>Statement by statement</h2>
{"".join(sections) or "<p>No statement was rated in both rounds.</p>"}
<h2>How to read this</h2>
<dl>{glossary}</dl>
</main>
</body>
</html>
"""
