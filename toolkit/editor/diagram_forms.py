"""Forms for diagram data files (genogram, eco-map, chronology) as repeatable lists.

The choices come from the diagram schema's own constants, so a form never offers a value the
check refuses; the saved file is validated by the same checks as a hand-written one. Two
shapes differ between form and file, and are converted on the way in and out: the file name
(a form field, since a data file has no title), and a household (a list of person ids in the
file, `{members: [...]}` in the form, because the editor's lists hold fields).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.diagrams import DIAGRAM_SUFFIXES
from toolkit.diagrams import schema as rules

FILE_NAME = "file_name"
HOUSEHOLD_KEY = "members"


def _text(name: str, label: str, required: bool = False, hint: str = "", multiline: bool = False
          ) -> dict[str, Any]:
    field = {"name": name, "label": label, "widget": "text" if multiline else "string", "required": required}
    return field | ({"hint": hint} if hint else {})


def _choice(name: str, label: str, options: tuple[str, ...], required: bool = False) -> dict[str, Any]:
    return {"name": name, "label": label, "widget": "select", "options": list(options), "required": required}


def _flag(name: str, label: str) -> dict[str, Any]:
    return {"name": name, "label": label, "widget": "boolean", "required": False, "default": False}


def _choices(name: str, label: str, options: tuple[str, ...], hint: str) -> dict[str, Any]:
    return _choice(name, label, options) | {"multiple": True, "hint": hint}


def _ids(name: str, label: str, hint: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "label": label, "widget": "list", "required": required,
            "hint": hint + " (person ids, separated by commas)"}


def _items(name: str, label: str, fields: list[dict[str, Any]], required: bool = False) -> dict[str, Any]:
    return {"name": name, "label": label, "widget": "list", "required": required, "fields": fields}


YEAR_HINT = "a year (1985), year and month (1985-06) or a full date"

GENOGRAM = [
    _text("index", "Index person", hint="the id of the person the genogram is about"),
    _text("as_of", "As of", hint="the date the genogram describes (2026-09-01); ages are worked out for it"),
    _items("people", "People", [
        _text("id", "Id", True, "short, unique: mum, child1"),
        _text("label", "Label", hint="what the diagram shows, e.g. Mother or A (9); fictional only; "
                                     "needed for everyone but a pregnancy that ended"),
        _choice("sex", "Sex", rules.SEXES),
        _choice("gender", "Gender", rules.GENDERS),
        _flag("unknown", "Identity not known (drawn ?)"),
        _text("born", "Born", hint=YEAR_HINT), _text("died", "Died", hint=YEAR_HINT),
        _flag("deceased", "Deceased"), _text("notes", "Notes"),
        _choices("markers", "Markers", rules.MARKERS, "drawn as fills and named in the key"),
        {"name": "cared_for_by", "label": "Cared for by", "widget": "object", "required": False,
         "collapsed": True, "hint": "who the person lives with and is cared for by, if not a birth parent",
         "fields": [_ids("people", "Carers", "one or two carers"),
                    _choice("type", "Type of care", rules.CARE_TYPES),
                    _text("since", "Since", hint=YEAR_HINT)]},
        *(_flag(flag, flag.capitalize()) for flag in rules.PREGNANCY_FLAGS),
        _flag("adopted", "Adopted"), _flag("fostered", "Fostered"),
    ], required=True),
    _items("unions", "Unions", [
        _ids("partners", "Partners", "the two partners", True),
        _choice("status", "Status", rules.UNION_STATUSES, True),
        _text("since", "Since", hint=YEAR_HINT),
        _ids("children", "Children", "their children"),
        _items("twins", "Twins", [_ids("children", "Children", "two or more of their children", True),
                                  _flag("identical", "Identical")]),
    ]),
    _items("relationships", "Relationships", [
        _ids("between", "Between", "the two people", True),
        _choice("type", "Type", rules.RELATIONSHIP_TYPES, True), _text("note", "Note"),
    ]),
    _items("households", "Households", [_ids(HOUSEHOLD_KEY, "Members", "who lives together", True)]),
]
ECOMAP = [
    {"name": "centre", "label": "Centre", "widget": "object", "required": True,
     "fields": [_text("label", "Label", True, "who the eco-map is about, e.g. A (9) and Mother"),
                _text("note", "Note")]},
    _items("systems", "Systems", [
        _text("label", "Label", True, "e.g. School, GP, Paternal family"),
        _choice("strength", "Strength", rules.STRENGTHS, True),
        _choice("flow", "Flow", rules.FLOWS), _text("note", "Note"),
    ], required=True),
]
CHRONOLOGY = [
    _text("subject", "Subject", True, "who the chronology is about, e.g. A (9)"),
    _items("entries", "Entries", [
        _text("date", "Date", True, "a full date (2024-03-02), year and month (2024-05) or a year"),
        _text("source", "Source", True, "who reported it, e.g. School"),
        _text("event", "Event", True, multiline=True), _text("impact", "Impact", multiline=True),
        _text("action", "Action", multiline=True),
        _choice("significance", "Significance", rules.SIGNIFICANCES),
    ], required=True),
]


@dataclass(frozen=True, slots=True)
class DiagramForm:
    label: str
    suffix: str
    fields: list[dict[str, Any]]

    def file_name_field(self) -> dict[str, Any]:
        return _text(FILE_NAME, "File name", True, f"saved as <file name>{self.suffix}; lowercase and hyphens")


def _suffix(kind: str) -> str:
    return next(suffix for suffix, known in DIAGRAM_SUFFIXES.items() if known == kind)


DIAGRAM_FORMS = {
    "genogram": DiagramForm("Genograms", _suffix("genogram"), GENOGRAM),
    "eco-map": DiagramForm("Eco-maps", _suffix("eco-map"), ECOMAP),
    "chronology": DiagramForm("Chronologies", _suffix("chronology"), CHRONOLOGY),
}


def to_form(kind: str, data: dict[str, Any], file_name: str) -> dict[str, Any]:
    """A data file's content as the form holds it."""
    form = {FILE_NAME: file_name, **data}
    if kind == "genogram" and isinstance(data.get("households"), list):
        form["households"] = [{HOUSEHOLD_KEY: list(h)} if isinstance(h, list) else h
                              for h in data["households"]]
    return form


def from_form(kind: str, form: dict[str, Any]) -> dict[str, Any]:
    """The form's content as the data file holds it."""
    data = {key: value for key, value in form.items() if key != FILE_NAME}
    if kind == "genogram" and isinstance(data.get("households"), list):
        data["households"] = [h.get(HOUSEHOLD_KEY, []) if isinstance(h, dict) else h
                              for h in data["households"]]
    return data


def kind_of(path: str) -> str | None:
    return next((kind for suffix, kind in DIAGRAM_SUFFIXES.items() if path.endswith(suffix)), None)
