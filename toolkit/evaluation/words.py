"""The statistics of an evaluation in plain words, beside the figures, for readers who are not statisticians."""

from __future__ import annotations

from typing import Any

from toolkit.evaluation.stats import PAIRED

GLOSSARY = (
    ("p-value", "how often a change at least this large would turn up by chance if nothing had really "
                "changed; below 0.05 (one time in twenty) is usually called significant."),
    ("Holm-adjusted", "testing many statements makes a small p-value likely somewhere by luck alone, so "
                      "each statement's p-value is raised to allow for the number tested (Holm's method)."),
    ("95% confidence interval", "the range the true mean change probably lies in; if it does not include "
                                "0, the change is unlikely to be chance."),
    ("effect size", "how strongly and consistently ratings moved one way, with people whose rating stayed the "
                    "same counted too (the rank-biserial correlation): from −1 (everyone fell) through 0 (no "
                    "overall direction) to +1 (everyone rose); its size under 0.1 is negligible, under 0.3 "
                    "small, under 0.5 medium, else large."),
    ("paired", "the same people before and after, matched by their code: the stronger comparison."),
    ("unpaired", "the two rounds compared as groups, because too few people could be matched: weaker, because "
                 "a difference may come from who answered rather than from any change in people."),
)


def signed(value: float | None) -> str:
    """A change with its sign (a true minus), and no sign on a change that rounds to zero."""
    if value is None:
        return "–"
    return "0.00" if round(value, 2) == 0 else f"{value:+.2f}".replace("-", "−")


def p_text(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def effect_words(value: float) -> str:
    size = abs(value)
    return "negligible" if size < 0.1 else "small" if size < 0.3 else "medium" if size < 0.5 else "large"


def chance_words(p: float, adjusted_for: int) -> str:
    """One sentence on how likely the change is by chance, naming the adjustment if there was one."""
    which = f"p = {p_text(p)}" if p >= 0.001 else "p < 0.001"
    if adjusted_for > 1:
        which += f", allowing for {adjusted_for} statements tested"
    if p < 0.001:
        return f"A change this large would be very unlikely by chance ({which})."
    if p < 0.01:
        return f"A change this large would be unlikely by chance ({which})."
    if p < 0.05:
        return f"A change this large would happen by chance less than one time in twenty ({which})."
    return f"A change this size could easily happen by chance ({which}): this is not evidence of a real change."


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def explain(figures: dict[str, Any], method: str, minimum: int, adjusted_for: int) -> str:
    """What one statement's (or the overall) figures mean, in two to four sentences."""
    if not figures["enough_data"]:
        if method == PAIRED:
            return (f"Not enough data: {_people(figures['pairs'])} answered both rounds; a test needs at "
                    f"least {minimum}.")
        return (f"Not enough data: {figures['n_before']} before and {figures['n_after']} after; a test needs at "
                f"least {minimum} in each round.")
    p = figures.get("p_holm", figures["p_value"])
    effect = figures["effect_size"]
    if method == PAIRED:
        parts = [f"Ratings rose for {figures['rose']} of {_people(figures['people'])}, fell for {figures['fell']} "
                 f"and stayed the same for {figures['unchanged']}.",
                 f"The mean change was {signed(figures['mean_change'])} points (95% confidence interval "
                 f"{signed(figures['ci_low'])} to {signed(figures['ci_high'])}); the median change was "
                 f"{signed(figures['median_change'])}."]
    else:
        parts = [f"The people could not be matched across the rounds ({figures['n_before']} before, "
                 f"{figures['n_after']} after), so this compares two groups, which is weaker evidence than "
                 "following the same people.",
                 f"The median rating was {figures['median_before']:g} before and {figures['median_after']:g} after; "
                 f"the mean changed by {signed(figures['mean_change'])} points (95% confidence interval "
                 f"{signed(figures['ci_low'])} to {signed(figures['ci_high'])})."]
    parts.append(chance_words(p, adjusted_for))
    parts.append(f"Effect size {signed(effect)}: {effect_words(effect)}.")
    return " ".join(parts)


def method_words(analysis: dict[str, Any], respondents: dict[str, int]) -> str:
    """The paragraph saying which comparison was made and why."""
    tested = analysis["statements_tested"]
    if analysis["method"] == PAIRED:
        text = (f"Paired analysis: {respondents['both']} people answered both rounds, matched by their code. "
                "Each statement is tested with the Wilcoxon signed-rank test on each person's change")
        left_out = respondents["before"] + respondents["after"] - 2 * respondents["both"]
        if left_out:
            text += f"; {_people(left_out)} who answered only one round {'is' if left_out == 1 else 'are'} left out"
    else:
        matched = ("nobody could be matched across the rounds (no respondent code appears in both files)"
                   if not respondents["both"] else
                   f"only {_people(respondents['both'])} could be matched across the rounds, fewer than the "
                   f"{analysis['minimum']} a paired test needs")
        text = (f"Unpaired analysis: {matched}, so the two rounds are compared as groups with the Mann–Whitney "
                "test. This is weaker: use the same codes in both rounds to follow the same people")
    text += "."
    if tested > 1:
        text += f" The p-values of the {tested} statements tested are Holm-adjusted."
    return text
