"""Whether a before-and-after change is more than chance, how large it is and for how many people.

SciPy does the statistics (a reviewer trusts its tests more than our formulas):

- when respondents appear in both rounds (matched by their code), a **paired** analysis per
  statement and overall: the Wilcoxon signed-rank test on each person's change (differences of
  zero are left out of the test, as Wilcoxon defined it, and counted as "stayed the same"),
  the median and mean change, a 95% confidence interval for the mean change (Student's t),
  and the matched-pairs rank-biserial correlation as the effect size (with the unchanged
  people counted, half for and half against, so that they dilute it);
- when fewer than `MINIMUM` appear in both, an **unpaired** comparison of the two groups (Mann–Whitney U,
  Welch's interval for the difference of means, the rank-biserial correlation), which is
  weaker: it cannot tell a change in people from a change in who answered;
- below `MINIMUM` people (pairs, or in either group) there is no test: "not enough data".

The p-values of the statements are adjusted together by Holm's method, because testing many
statements at once makes some small p-value likely by chance. The overall figure is one
further test and is not adjusted. Each person counts once per statement: several questions
on one statement are averaged first.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable
from statistics import fmean, median
from typing import Any, Protocol

import numpy as np
from scipy import stats

MINIMUM = 6          # with 5 pairs or fewer, no result of the signed-rank test reaches p < 0.05
ALPHA = 0.05
CONFIDENCE = 0.95
DECIMALS = 4

PAIRED, UNPAIRED = "paired", "unpaired"


class RatingLike(Protocol):
    respondent: str
    statement: str
    rating: float


def by_person(ratings: Iterable[RatingLike]) -> dict[str, dict[str, float]]:
    """Statement -> respondent -> that respondent's mean rating of it."""
    grouped: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for rating in ratings:
        grouped[rating.statement][rating.respondent].append(rating.rating)
    return {s: {who: fmean(values) for who, values in people.items()} for s, people in grouped.items()}


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjustment: the k-th smallest of m p-values times (m − k + 1), kept rising."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [0.0] * len(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, p_values[index] * (len(p_values) - rank)))
        adjusted[index] = running
    return adjusted


def _round(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), DECIMALS)


def _quietly(test: Any, *args: Any, **kwargs: Any) -> Any:
    """SciPy warns on tiny or constant samples; the report explains those cases itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return test(*args, **kwargs)


def _mean_interval(values: np.ndarray) -> tuple[float, float]:
    if np.ptp(values) == 0:       # everyone changed by the same amount: no spread, no width
        return float(values[0]), float(values[0])
    interval = _quietly(stats.ttest_1samp, values, 0.0).confidence_interval(CONFIDENCE)
    return float(interval.low), float(interval.high)


def paired_test(changes: list[float]) -> dict[str, Any]:
    """Wilcoxon signed-rank on each person's change (after − before)."""
    values = np.asarray(changes, dtype=float)
    nonzero = values[values != 0]
    low, high = _mean_interval(values)
    result: dict[str, Any] = {
        "people": len(values), "rose": int((values > 0).sum()), "fell": int((values < 0).sum()),
        "unchanged": int((values == 0).sum()), "median_change": _round(median(values)),
        "mean_change": _round(values.mean()), "ci_low": _round(low), "ci_high": _round(high)}
    if len(nonzero) == 0:         # nobody's rating moved: nothing for the test to rank
        return result | {"statistic": None, "p_value": 1.0, "effect_size": 0.0}
    test = _quietly(stats.wilcoxon, values, zero_method="wilcox")
    # Rank-biserial correlation over everyone: the unchanged rank lowest and count half each way,
    # so a few falls among many unchanged people is a small effect, not "all fell".
    ranks = stats.rankdata(np.abs(values))
    effect = (ranks[values > 0].sum() - ranks[values < 0].sum()) / ranks.sum()
    return result | {"statistic": _round(test.statistic), "p_value": float(test.pvalue),
                     "effect_size": _round(effect)}


def unpaired_test(before: list[float], after: list[float]) -> dict[str, Any]:
    """Mann–Whitney U of the after group against the before group (different people)."""
    first, second = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    result: dict[str, Any] = {
        "people": len(first) + len(second), "median_before": _round(median(first)),
        "median_after": _round(median(second)), "mean_change": _round(second.mean() - first.mean())}
    if np.ptp(np.concatenate([first, second])) == 0:
        return result | {"ci_low": result["mean_change"], "ci_high": result["mean_change"],
                         "statistic": None, "p_value": 1.0, "effect_size": 0.0}
    test = _quietly(stats.mannwhitneyu, second, first, alternative="two-sided")
    interval = _quietly(stats.ttest_ind, second, first, equal_var=False).confidence_interval(CONFIDENCE)
    return result | {"ci_low": _round(interval.low), "ci_high": _round(interval.high),
                     "statistic": _round(test.statistic), "p_value": float(test.pvalue),
                     "effect_size": _round(2 * test.statistic / (len(first) * len(second)) - 1)}


def _statement_figures(method: str, before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    if method == PAIRED:
        both = sorted(set(before) & set(after))
        figures: dict[str, Any] = {"pairs": len(both)}
        if len(both) < MINIMUM:
            return figures | {"enough_data": False}
        return figures | {"enough_data": True} | paired_test([after[p] - before[p] for p in both])
    figures = {"n_before": len(before), "n_after": len(after)}
    if min(len(before), len(after)) < MINIMUM:
        return figures | {"enough_data": False}
    return figures | {"enough_data": True} | unpaired_test(list(before.values()), list(after.values()))


def _overall(method: str, before: dict[str, dict[str, float]], after: dict[str, dict[str, float]],
             statements: list[str]) -> dict[str, Any]:
    """Per person, the mean over the statements compared; then one test across people."""
    if method == PAIRED:
        changes: dict[str, list[float]] = defaultdict(list)
        for s in statements:
            for person in set(before[s]) & set(after[s]):
                changes[person].append(after[s][person] - before[s][person])
        means = {person: fmean(values) for person, values in changes.items()}
        figures: dict[str, Any] = {"pairs": len(means)}
        if len(means) < MINIMUM:
            return figures | {"enough_data": False}
        return figures | {"enough_data": True} | paired_test([means[p] for p in sorted(means)])

    def person_means(rounds: dict[str, dict[str, float]]) -> list[float]:
        per_person: dict[str, list[float]] = defaultdict(list)
        for s in statements:
            for person, value in rounds[s].items():
                per_person[person].append(value)
        return [fmean(per_person[p]) for p in sorted(per_person)]

    first, second = person_means(before), person_means(after)
    figures = {"n_before": len(first), "n_after": len(second)}
    if min(len(first), len(second)) < MINIMUM:
        return figures | {"enough_data": False}
    return figures | {"enough_data": True} | unpaired_test(first, second)


def analyse(before: Iterable[RatingLike], after: Iterable[RatingLike], order: list[str]) -> dict[str, Any]:
    """The tests for every statement rated in both rounds (in `order`), Holm-adjusted, and overall."""
    people_before, people_after = by_person(before), by_person(after)
    respondents_before = {p for people in people_before.values() for p in people}
    respondents_after = {p for people in people_after.values() for p in people}
    method = PAIRED if len(respondents_before & respondents_after) >= MINIMUM else UNPAIRED
    statements = [s for s in order if s in people_before and s in people_after]
    rows = [{"statement": s} | _statement_figures(method, people_before[s], people_after[s]) for s in statements]
    tested = [row for row in rows if row["enough_data"]]
    for row, adjusted in zip(tested, holm([row["p_value"] for row in tested]), strict=True):
        row["p_value"] = _round(row["p_value"])
        row["p_holm"] = _round(adjusted)
        row["significant"] = adjusted < ALPHA
    overall = _overall(method, people_before, people_after, statements)
    if overall["enough_data"]:
        overall["significant"] = overall["p_value"] < ALPHA
        overall["p_value"] = _round(overall["p_value"])
    return {"method": method, "minimum": MINIMUM, "alpha": ALPHA, "confidence": CONFIDENCE,
            "statements_tested": len(tested), "statements": rows, "overall": overall}
