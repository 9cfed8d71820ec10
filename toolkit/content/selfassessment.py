"""Self-assessment pages: their questions and rating scale checked like any other front matter.

The page reader checks that `questions` is a list of mappings and `scale` a list of text;
here each question is checked field by field, its statement against the merged site, and the
assessment as a whole (unique question ids, a scale a reader can actually choose on).
"""

from __future__ import annotations

from toolkit.content.fields import check_fields, unknown_id
from toolkit.content.model import Page, Site
from toolkit.core.problems import Problem, error
from toolkit.content.schemas import QUESTION_FIELDS

DEFAULT_SCALE = (
    "1 – not yet",
    "2 – starting to",
    "3 – sometimes, with support",
    "4 – usually, with confidence",
    "5 – confident and could teach others",
)
MIN_SCALE = 2


def scale_of(extras: dict) -> tuple[str, ...]:
    """The labels a reader chooses from, lowest first: the page's own, or the default five."""
    return tuple(extras.get("scale") or DEFAULT_SCALE)


def check_self_assessment(page: Page, site: Site) -> list[Problem]:
    """Every mistake in one self-assessment's questions and scale, each at its own line."""
    if page.kind != "self-assessment":
        return []
    problems = _check_scale(page)
    questions = page.extras.get("questions") or []
    if not questions:
        problems.append(error(page.shown, page.line_of.get("questions", page.line_of[""]), "no-questions",
                              "the self-assessment has no questions",
                              "add at least one question: {id, text, maps_to}"))
    first_line: dict[str, int] = {}
    for index, question in enumerate(questions):
        line = page.item_line("questions", index)
        problems += check_fields(question, QUESTION_FIELDS, page.shown, line, "a question")
        question_id, statement = question.get("id"), question.get("maps_to")
        if isinstance(question_id, str):
            if question_id in first_line:
                problems.append(error(page.shown, question.value_line("id"), "duplicate-question",
                                      f"question id '{question_id}' is used twice "
                                      f"(first on line {first_line[question_id]})",
                                      "give each question its own id"))
            else:
                first_line[question_id] = question.value_line("id")
        if isinstance(statement, str) and statement.strip() and statement not in site.statements:
            problems.append(unknown_id(page.shown, question.value_line("maps_to"), "maps_to", statement,
                                       "framework statement", list(site.statements),
                                       "use one statement id from a framework set, e.g. KSS-PS-7"))
    return problems


def _check_scale(page: Page) -> list[Problem]:
    scale = page.extras.get("scale")
    if scale is None:
        return []
    line = page.line_of.get("scale", page.line_of[""])
    if len(scale) < MIN_SCALE:
        found = "is empty" if not scale else "has only one label"
        return [error(page.shown, line, "scale-too-short", f"the scale {found}",
                      f"list at least {MIN_SCALE} labels, lowest first, or remove 'scale' to use "
                      "the default five points (1 – not yet ... 5 – confident and could teach others)")]
    problems = []
    seen: dict[str, int] = {}
    for index, label in enumerate(scale):
        key = " ".join(label.split()).lower()
        if key in seen:
            problems.append(error(page.shown, page.item_line("scale", index), "duplicate-scale-label",
                                  f"the scale label '{label}' is used twice (first on line {seen[key]})",
                                  "every point on the scale needs its own label"))
        else:
            seen[key] = page.item_line("scale", index)
    return problems
