"""Workload tariffs: the points each type of case or duty is worth, and a full-time worker's capacity.

A tariff is data (`tariffs/<name>.yaml` in any content root), so an organisation replaces the
shipped starting tariff with its own agreed one by giving its file the same `id`, without
touching the page that shows it. The `{workload-calculator}` directive names a tariff by id;
the builder draws it as the tariff table and, in the reader's browser, a calculator.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.content.fields import valid_items, Field, check_fields
from toolkit.core.problems import Problem, error, info
from toolkit.core.yamlio import YamlMap

FOLDER = "tariffs"
DIRECTIVE = "workload-calculator"
ITEM_TYPES = {"case": "Cases", "duty": "Other duties"}
MAX_POINTS = 1000

TARIFF_FIELDS = (
    Field("id", "id", True, help="the tariff's id, named by the {workload-calculator} directive; a later content "
          "root's tariff with the same id replaces it"),
    Field("title", "text", True, help="the tariff's name, shown above it"),
    Field("capacity", "int", True, help="the points a full-time worker can safely carry"),
    Field("items", "mapping-list", True, help="the types of work: a list of {id, label, points, type}"),
)
ITEM_FIELDS = (
    Field("id", "id", True, help="unique within the tariff"),
    Field("label", "text", True, help="the type of work, e.g. Child protection plan"),
    Field("points", "any", True, help=f"what one of them is worth: a number from 0 to {MAX_POINTS}, e.g. 3 or 1.5"),
    Field("type", "text", True, tuple(ITEM_TYPES), help="case, or duty for work that is not a case"),
    Field("note", "text", help="optional: when the weight applies, e.g. per week"),
)


@dataclass(frozen=True, slots=True)
class TariffItem:
    id: str
    label: str
    points: float
    type: str
    note: str


@dataclass(frozen=True, slots=True)
class Tariff:
    id: str
    title: str
    capacity: int
    items: tuple[TariffItem, ...]
    shown: str
    root: int = 0   # which content root it is in: a later root's tariff replaces it


def read_tariff(data: object, shown: str, root: int = 0) -> tuple[Tariff | None, list[Problem]]:
    """The tariff in a file, or None with every problem in it (file and line)."""
    problems = check_fields(data, TARIFF_FIELDS, shown, 1, "the tariff")
    if not isinstance(data, YamlMap):
        return None, problems
    capacity = data.get("capacity")
    if isinstance(capacity, int) and not isinstance(capacity, bool) and capacity <= 0:
        problems.append(error(shown, data.value_line("capacity"), "tariff-capacity",
                              f"capacity {capacity} should be more than 0", "write the points a full-time "
                              "worker can carry, e.g. capacity: 60"))
    items: list[TariffItem] = []
    seen: dict[str, int] = {}
    raw_items = data.get("items")
    for item in valid_items(data, "items", ITEM_FIELDS, shown, "a tariff item", problems):
        points = item["points"]
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 <= points <= MAX_POINTS:
            problems.append(error(shown, item.value_line("points"), "tariff-points",
                                  f"points should be a number from 0 to {MAX_POINTS}, found {points!r}",
                                  "write a number without quotes or words, e.g. points: 3 or points: 1.5"))
            continue
        if item["id"] in seen:
            problems.append(error(shown, item.value_line("id"), "duplicate-tariff-item",
                                  f"item id '{item['id']}' is used twice (first on line {seen[item['id']]})",
                                  "give each type of work its own id"))
            continue
        seen[item["id"]] = item.value_line("id")
        items.append(TariffItem(item["id"], " ".join(item["label"].split()), points, item["type"],
                                " ".join(str(item.get("note") or "").split())))
    if isinstance(raw_items, list) and not raw_items:
        problems.append(error(shown, data.value_line("items"), "no-tariff-items", "the tariff has no items",
                              "list the types of work, e.g. - {id: cp, label: Child protection plan, points: 5, "
                              "type: case}"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Tariff(data["id"], data["title"], capacity, tuple(items), shown, root), problems


def add_tariff(tariffs: dict[str, Tariff], tariff: Tariff) -> list[Problem]:
    """A later root's tariff replaces an earlier one with the same id (reported as info); two in one
    root are a mistake."""
    earlier = tariffs.get(tariff.id)
    if earlier is not None and earlier.root == tariff.root:
        return [error(tariff.shown, 1, "duplicate-tariff", f"tariff id '{tariff.id}' is also used by {earlier.shown}",
                      "give each tariff its own id, or remove one of the files")]
    tariffs[tariff.id] = tariff
    return [info(tariff.shown, 1, "tariff-replaced", f"replaces tariff '{tariff.id}' from {earlier.shown}")] \
        if earlier is not None else []


def tariff_record(tariff: Tariff) -> dict[str, object]:
    """What the builder needs of a tariff (in the manifest)."""
    return {"id": tariff.id, "title": tariff.title, "capacity": tariff.capacity,
            "items": [{"id": i.id, "label": i.label, "points": i.points, "type": i.type, "note": i.note}
                      for i in tariff.items]}
