"""360 response files: what a rater downloads from a self-assessment's rater form.

The browser (builder/static/selfassessment.js) writes them and checks them when the person
loads them; this module reads the same files for `toolkit report evaluation`, so a group's
responses can be compared across rounds. A file is JSON:

    {"toolkit": "360-response", "version": 1, "assessment": "<page id>", "title": "<page title>",
     "request": "<random code in the link>", "rater": "<random code>",
     "group": "manager" | "peer" | "supervisee", "date": "YYYY-MM-DD", "scale": 5,
     "ratings": [{"question": "q1", "statement": "KSS-PS-7", "rating": 4}, ...]}

The rater code is random and made once per browser, so a second file from the same rater is
recognised (and the same rater in a later round is paired) without anyone's name. The request
code ties a response to one person's link; the browser checks it, the report does not need it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from toolkit.core.problems import Problem, error
from toolkit.core.textfiles import read_text

KIND = "360-response"
GROUPS = ("manager", "peer", "supervisee")
RATER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# A statement id, as in KSS-PS-7: the set id, then its number (the CSV exports use the same).
STATEMENT_PATTERN = re.compile(r"^([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)*)-([0-9]+)$")
FIX = "ask the rater to download their response file again from the rater form"


def is_response_file(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _check(data: Any, shown: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    def bad(message: str) -> tuple[None, list[Problem]]:
        return None, [error(shown, 1, "response-damaged", message, FIX)]

    if not isinstance(data, dict) or data.get("toolkit") != KIND:
        return bad("the file is not a 360 response file from a self-assessment's rater form")
    if data.get("version") != 1:
        return bad(f"the response file is version {data.get('version')!r}; this toolkit reads version 1")
    for field in ("assessment", "rater"):
        if not isinstance(data.get(field), str) or not RATER_PATTERN.match(data[field]):
            return bad(f"the response file has no valid {field}")
    if data.get("group") not in GROUPS:
        return bad(f"the response file's group {data.get('group')!r} is not one of {', '.join(GROUPS)}")
    scale = data.get("scale")
    ratings = data.get("ratings")
    if not isinstance(scale, int) or isinstance(scale, bool) or scale < 2 or not isinstance(ratings, list) \
            or not ratings:
        return bad("the response file has no ratings")
    for item in ratings:
        if not (isinstance(item, dict) and isinstance(item.get("statement"), str)
                and STATEMENT_PATTERN.match(item["statement"]) and isinstance(item.get("rating"), int)
                and not isinstance(item["rating"], bool) and 1 <= item["rating"] <= scale):
            return bad(f"a rating in the response file is damaged or outside the scale 1 to {scale}")
    return data, []


def read_response(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """One response file, checked, or the problem with it."""
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [error(shown, exc.lineno, "response-damaged",
                            "the response file is damaged (cut short, or changed by hand)", FIX)]
    return _check(data, shown)


def read_responses(paths: list[tuple[Path, str]]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Every response of one round: all for one assessment, each rater once."""
    responses: list[dict[str, Any]] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path, shown in paths:
        response, found = read_response(path, shown)
        problems += found
        if response is None:
            continue
        if responses and response["assessment"] != responses[0]["assessment"]:
            problems.append(error(shown, 1, "response-wrong-assessment",
                                  f"this response is for '{response['assessment']}', the others for "
                                  f"'{responses[0]['assessment']}'", "keep one self-assessment's responses in a round"))
            continue
        if response["rater"] in seen:
            problems.append(error(shown, 1, "response-duplicate-rater",
                                  f"the same rater's response is also in {seen[response['rater']]}",
                                  "keep one response per rater in a round"))
            continue
        seen[response["rater"]] = shown
        responses.append(response)
    return responses, problems
