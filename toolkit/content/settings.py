"""The site settings file: read once, checked with the same messages as content."""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from toolkit.content import colours
from toolkit.content.fields import check_fields
from toolkit.core.guard import now_processing
from toolkit.content.model import Settings
from toolkit.content.packs import PackNotFound, pack_of, pack_root
from toolkit.core.paths import PathOutsideRoot, confine
from toolkit.core.problems import Problem, error
from toolkit.content.schemas import COLOUR_FIELDS, CONTACT_FIELDS, FOOTER_LINK_FIELDS, SETTINGS_FIELDS, TOP_TASK_FIELDS
from toolkit.content.shipped import CONTENT
from toolkit.core.textfiles import read_text
from toolkit.content.urls import is_dangerous_url
from toolkit.core.yamlio import YamlMap, YamlSeq, load_yaml

TOOLKIT_CONTENT = CONTENT
TOOLKIT_ROOT_NAME = "@toolkit"
DEFAULT_PRIMARY = "#1d4f91"
EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


class SettingsNotFound(Exception):
    """The settings file does not exist: a usage mistake, not a content one."""


FAVICON_TYPES = (".ico", ".png", ".svg")


def shown_path(path: Path, settings_folder: Path) -> str:
    """A path as messages show it: `@toolkit/...` for shipped files, `@name/...` for a content pack's,
    else relative to the settings."""
    resolved = path.resolve()
    pack = pack_of(resolved)
    if pack is not None:
        return f"@{pack[0]}/{resolved.relative_to(pack[1]).as_posix()}"
    return Path(os.path.relpath(resolved, settings_folder.resolve())).as_posix()


def shown_in_root(root_shown: str, relative: Path) -> str:
    """`shown_path` of a file found by walking a root (no link on the way: the walk never enters
    linked folders), from the root's own shown path: resolving each of 1,000 pages' paths was a
    third of the preview's check."""
    return posixpath.normpath(f"{root_shown}/{relative.as_posix()}")   # "@toolkit/." + "x" is "@toolkit/x"


def _check_colour(data: YamlMap, key: str, background: str, mode: str, shown: str
                  ) -> list[Problem]:
    value = data.get(key)
    if not isinstance(value, str) or not colours.HEX_COLOUR.fullmatch(value):
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


def _check_addresses(contact: YamlMap, shown: str) -> list[Problem]:
    """Contact addresses are shown to every reader, so a placeholder (as `toolkit init` writes)
    or a typo fails the check rather than being published."""
    return [error(shown, contact.value_line(key), "settings-contact",
                  f"contact.{key} should be an email address, found '{contact[key]}'",
                  "write the address readers use to reach your team, such as psw@anytown.gov.uk")
            for key in ("email", "accessibility")
            if isinstance(contact.get(key), str) and not EMAIL_ADDRESS.fullmatch(contact[key])]


def _listed(data: YamlMap, key: str) -> list[tuple[object, int]]:
    """The items of a list setting with their lines; none when it is not a list (the field
    check has already said so)."""
    items = data.get(key)
    return [(item, items.item_line(index)) for index, item in enumerate(items)] if isinstance(items, YamlSeq) else []


def _file_setting(data: YamlMap, key: str, folder: Path, shown: str, problems: list[Problem],
                  suffixes: tuple[str, ...] = ()) -> Path | None:
    """A file the settings name (logo, favicon): inside the settings file's folder, there, and of
    one of `suffixes` when given; None (with the problem added) otherwise."""
    if not isinstance(data.get(key), str):
        return None
    line = data.value_line(key)
    try:
        path = confine(folder / data[key], folder, data[key])
    except PathOutsideRoot as exc:
        problems.append(error(shown, line, f"settings-{key}", f"{key} {exc}: it must be inside the settings file's "
                              "folder", "copy the file beside the settings file and give its path from there"))
        return None
    if not path.is_file() or (suffixes and path.suffix.lower() not in suffixes):
        kinds = f"an {', '.join(suffixes[:-1])} or {suffixes[-1]} file" if len(suffixes) > 1 else "a file"
        problems.append(error(shown, line, f"settings-{key}", f"{key} '{data[key]}' is not {kinds} here",
                              f"give its path relative to the settings file, or leave {key} out"))
        return None
    return path


def load_settings(path: Path) -> tuple[Settings | None, list[Problem]]:
    """Read and check the settings file; None when it cannot be used."""
    if not path.is_file():
        raise SettingsNotFound(f"no settings file at {path}; give one with --site FILE "
                               "or run from a folder with site.yaml")
    folder = path.resolve().parent
    shown = shown_path(path, folder)
    now_processing(shown)
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
        problems += _check_addresses(contact, shown)
    elif "contact" not in data:
        problems.append(error(shown, 1, "missing-field", "the settings are missing 'contact'",
                              "add contact: {email: ..., accessibility: ...}"))

    footer_links: list[tuple[str, str]] = []
    for link, line in _listed(data, "footer_links"):
        link_problems = check_fields(link, FOOTER_LINK_FIELDS, shown, line, "a footer link")
        problems += link_problems
        if not link_problems and is_dangerous_url(str(link["url"])):
            link_problems = [error(shown, line, "settings-link", f"footer link '{link['label']}' has an unsafe "
                                   "address", "give a web address (https://...) or a page such as privacy.html")]
            problems += link_problems
        if not link_problems:
            footer_links.append((link["label"], link["url"]))

    top_tasks: list[tuple[str, str, str, int]] = []
    for task, line in _listed(data, "top_tasks"):
        task_problems = check_fields(task, TOP_TASK_FIELDS, shown, line, "a top task")
        problems += task_problems
        if not task_problems:
            top_tasks.append((str(task["title"]), str(task["page"]), str(task["description"]), line))

    roots: list[Path] = []
    root_names = data.get("content") or [TOOLKIT_ROOT_NAME]
    if isinstance(root_names, YamlSeq):
        for index, name in enumerate(root_names):
            if str(name).startswith("@"):
                try:
                    roots.append(pack_root(str(name)[1:]))
                except PackNotFound as exc:
                    problems.append(error(shown, root_names.item_line(index), "settings-pack", str(exc), exc.hint))
                continue
            try:
                root = confine(folder / str(name), folder, str(name))
            except PathOutsideRoot as exc:
                problems.append(error(shown, root_names.item_line(index), "settings-root",
                                      f"content root {exc}: it must be inside the settings file's folder",
                                      "move or check out the folder beside the settings file and give its "
                                      "path from there, or name an installed content pack as \"@name\""))
                continue
            if not root.is_dir():
                problems.append(error(shown, root_names.item_line(index), "settings-root",
                                      f"content root '{name}' is not a folder",
                                      "create the folder or fix the path (relative to this file)"))
            else:
                roots.append(root)

    logo = _file_setting(data, "logo", folder, shown, problems)
    review_months = data.get("review_months")
    if isinstance(review_months, int) and not 1 <= review_months <= 60:
        problems.append(error(shown, data.value_line("review_months"), "settings-review-months",
                              f"review_months is {review_months}; it should be between 1 and 60",
                              "write the usual months between reviews, e.g. review_months: 12"))
    favicon = _file_setting(data, "favicon", folder, shown, problems, FAVICON_TYPES)

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
        next_update=data.get("next_update"),
        review_months=review_months if isinstance(review_months, int) else 12,
        top_tasks=tuple(top_tasks),
        favicon=favicon,
    ), problems
