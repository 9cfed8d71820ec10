"""The site settings file: read once, checked with the same messages as content."""

from __future__ import annotations

import os
from pathlib import Path

from toolkit import colours
from toolkit.fields import check_fields
from toolkit.lints.markup import is_dangerous_url
from toolkit.model import Settings
from toolkit.problems import Problem, error
from toolkit.schemas import COLOUR_FIELDS, CONTACT_FIELDS, FOOTER_LINK_FIELDS, SETTINGS_FIELDS, TOP_TASK_FIELDS
from toolkit.textfiles import read_text
from toolkit.yamlio import YamlMap, YamlSeq, load_yaml

TOOLKIT_CONTENT = Path(__file__).resolve().parent.parent / "content"
TOOLKIT_ROOT_NAME = "@toolkit"
DEFAULT_PRIMARY = "#1d4f91"


class SettingsNotFound(Exception):
    """The settings file does not exist: a usage mistake, not a content one."""


FAVICON_TYPES = (".ico", ".png", ".svg")


def shown_path(path: Path, settings_folder: Path) -> str:
    """A path as messages show it: `@toolkit/...` for shipped files, else relative to the settings."""
    resolved = path.resolve()
    if resolved.is_relative_to(TOOLKIT_CONTENT):
        return f"{TOOLKIT_ROOT_NAME}/{resolved.relative_to(TOOLKIT_CONTENT).as_posix()}"
    return Path(os.path.relpath(resolved, settings_folder.resolve())).as_posix()


def _check_colour(data: YamlMap, key: str, background: str, mode: str, shown: str
                  ) -> list[Problem]:
    value = data.get(key)
    if not isinstance(value, str) or not colours.HEX_COLOUR.match(value):
        return [error(shown, data.value_line(key), "settings-colour",
                      f"colours.{key} should be a colour written #rrggbb, found '{value}'")]
    ratio = colours.contrast(value, background)
    if ratio < colours.AA_NORMAL_TEXT:
        suggestion = colours.nearest_passing(value, background)
        return [error(shown, data.value_line(key), "settings-contrast",
                      f"colours.{key} {value} has contrast {ratio:.2f}:1 against the {mode} "
                      f"background; WCAG AA needs {colours.AA_NORMAL_TEXT}:1",
                      f"use {suggestion} instead, or a darker shade")]
    return []


def load_settings(path: Path) -> tuple[Settings | None, list[Problem]]:
    """Read and check the settings file; None when it cannot be used."""
    if not path.is_file():
        raise SettingsNotFound(f"no settings file at {path}; give one with --site FILE "
                               "or run from a folder with site.yaml")
    folder = path.resolve().parent
    shown = shown_path(path, folder)
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    data, problems = load_yaml(text, shown)
    if data is None:
        return None, problems
    problems += check_fields(data, SETTINGS_FIELDS, shown, 1, "the settings")
    if not isinstance(data, YamlMap):
        return None, problems

    colour_data = data.get("colours")
    primary, primary_dark = DEFAULT_PRIMARY, colours.dark_mode_variant(DEFAULT_PRIMARY)
    if isinstance(colour_data, YamlMap):
        problems += check_fields(colour_data, COLOUR_FIELDS, shown, colour_data.line, "colours")
        if "primary" in colour_data:
            found = _check_colour(colour_data, "primary", colours.LIGHT_BACKGROUND, "light", shown)
            problems += found
            if not found:
                primary = colour_data["primary"]
                primary_dark = colours.dark_mode_variant(primary)
        if "primary_dark" in colour_data:
            found = _check_colour(colour_data, "primary_dark", colours.DARK_BACKGROUND, "dark", shown)
            problems += found
            if not found:
                primary_dark = colour_data["primary_dark"]

    contact = data.get("contact")
    email = accessibility = ""
    phone = None
    if isinstance(contact, YamlMap):
        problems += check_fields(contact, CONTACT_FIELDS, shown, contact.line, "contact")
        email = str(contact.get("email") or "")
        accessibility = str(contact.get("accessibility") or email)
        phone = contact.get("phone")
    elif "contact" not in data:
        problems.append(error(shown, 1, "missing-field", "the settings are missing 'contact'",
                              "add contact: {email: ..., accessibility: ...}"))

    footer_links: list[tuple[str, str]] = []
    for index, link in enumerate(data.get("footer_links") or []):
        line = data["footer_links"].item_line(index)
        link_problems = check_fields(link, FOOTER_LINK_FIELDS, shown, line, "a footer link")
        problems += link_problems
        if not link_problems and is_dangerous_url(str(link["url"])):
            link_problems = [error(shown, line, "settings-link", f"footer link '{link['label']}' has an unsafe "
                                   "address", "give a web address (https://...) or a page such as privacy.html")]
            problems += link_problems
        if not link_problems:
            footer_links.append((link["label"], link["url"]))

    top_tasks: list[tuple[str, str, str, int]] = []
    for index, task in enumerate(data.get("top_tasks") or []):
        line = data["top_tasks"].item_line(index)
        task_problems = check_fields(task, TOP_TASK_FIELDS, shown, line, "a top task")
        problems += task_problems
        if not task_problems:
            top_tasks.append((str(task["title"]), str(task["page"]), str(task["description"]), line))

    roots: list[Path] = []
    root_names = data.get("content") or [TOOLKIT_ROOT_NAME]
    if isinstance(root_names, YamlSeq):
        for index, name in enumerate(root_names):
            root = TOOLKIT_CONTENT if name == TOOLKIT_ROOT_NAME else folder / str(name)
            if not root.is_dir():
                problems.append(error(shown, root_names.item_line(index), "settings-root",
                                      f"content root '{name}' is not a folder",
                                      "create the folder or fix the path (relative to this file)"))
            else:
                roots.append(root)

    logo = None
    if isinstance(data.get("logo"), str):
        logo = folder / data["logo"]
        if not logo.is_file():
            problems.append(error(shown, data.value_line("logo"), "settings-logo",
                                  f"logo '{data['logo']}' does not exist",
                                  "give an image path relative to the settings file"))
            logo = None

    favicon = None
    if isinstance(data.get("favicon"), str):
        favicon = folder / data["favicon"]
        if not favicon.is_file() or favicon.suffix.lower() not in FAVICON_TYPES:
            problems.append(error(shown, data.value_line("favicon"), "settings-favicon",
                                  f"favicon '{data['favicon']}' is not an .ico, .png or .svg file here",
                                  "give an icon's path relative to the settings file, or leave favicon out"))
            favicon = None

    if any(p.severity == "error" for p in problems):
        return None, problems
    base_url = data.get("base_url")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return Settings(
        name=data["name"],
        organisation=data["organisation"],
        logo=logo,
        primary_colour=primary,
        primary_dark_colour=primary_dark,
        contact_email=email,
        accessibility_email=accessibility,
        contact_phone=str(phone) if phone else None,
        base_url=base_url,
        roots=tuple(roots),
        hide=tuple(data.get("hide") or ()),
        footer_links=tuple(footer_links),
        personal_data_allow=tuple(data.get("personal_data_allow") or ()),
        path=path.resolve(),
        toolkit_root=TOOLKIT_CONTENT,
        top_tasks=tuple(top_tasks),
        favicon=favicon,
    ), problems
