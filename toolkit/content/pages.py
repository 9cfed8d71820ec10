"""Reading one page file into a typed `Page`, with every front-matter mistake reported."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from toolkit.content.fields import ID_PATTERN, check_fields, is_date
from toolkit.content.model import Page
from toolkit.core.file_versions import PerFileVersion
from toolkit.core.limits import page_text_limits
from toolkit.core.problems import Problem, error
from toolkit.content.schemas import CHANGE_FIELDS, GENERATED_PAGES, KINDS, SUMMARY_MAX, page_fields
from toolkit.core.textfiles import SplitPage, bidi_controls, read_text, split_front_matter
from toolkit.core.yamlio import YamlMap, YamlSeq, load_yaml

Parsed = tuple[Page | None, SplitPage | None, list[Problem]]
# Each page file's parse, kept while its size and time stay the same: `toolkit serve` checks the
# whole site again on every save (in its warm process, builder/warm.py), and parsing every page's
# front matter again was half of that check at 1,000 pages. What it holds is frozen.
_PARSED: PerFileVersion[tuple[Path, Path, int, str], Parsed] = PerFileVersion()


def read_page(path: Path, root: Path, root_index: int, shown: str) -> Parsed:
    """Parse and check one page; the Page is None when its front matter cannot be used (a problem
    of the text itself, such as a NUL byte, is reported and the page still used)."""
    page, split, problems = _PARSED.get(path, (path, root, root_index, shown),
                                        lambda: _read_page(path, root, root_index, shown))
    return page, split, list(problems)


def _read_page(path: Path, root: Path, root_index: int, shown: str) -> Parsed:
    text, read_problems = read_text(path, shown)
    if text is None:
        return None, None, read_problems
    page, split, problems = _parse_page(text, path, root, root_index, shown)
    return page, split, read_problems + problems


def _parse_page(text: str, path: Path, root: Path, root_index: int, shown: str) -> Parsed:
    split, problems = split_front_matter(text, shown)
    if split is None:
        return None, None, problems
    too_much = page_text_limits(split.body, shown, split.body_line)
    if too_much:   # no parser reads such a body: the checks see the page without it
        split = replace(split, body="")
    data, problems = load_yaml(split.front_matter, shown, line_offset=split.front_matter_line - 1)
    problems = too_much + bidi_controls(split.body, shown, split.body_line) + problems
    if data is None:
        return None, split, problems
    if not isinstance(data, YamlMap):
        problems.append(error(shown, split.front_matter_line, "not-a-mapping",
                              "the front matter should be 'key: value' fields",
                              "write one field per line, e.g. 'title: Genograms'"))
        return None, split, problems
    kind = data.get("kind")
    problems += check_fields(data, page_fields(kind if isinstance(kind, str) and kind in KINDS else "page"), shown,
                             split.front_matter_line, "the page's front matter")
    problems += _check_values(data, shown)
    if any(p.severity == "error" for p in problems):
        return None, split, problems
    extras = {f.name: data[f.name] for f in page_fields(kind) if f.name in data
              and f.name not in Page.__slots__}
    page = Page(
        id=data["id"], kind=kind, title=data["title"].strip(), summary=" ".join(data["summary"].split()),
        status=data["status"], last_reviewed=data["last_reviewed"], review_by=data["review_by"],
        audience=tuple(data.get("audience") or ()), topics=tuple(data.get("topics") or ()),
        maps_to=tuple(data.get("maps_to") or ()), related=tuple(data.get("related") or ()),
        owner=str(data.get("owner") or ""),
        changes=tuple((c["date"], c["summary"]) for c in data.get("changes") or ()),
        aliases=tuple(data.get("aliases") or ()), extras=extras,
        source=path, root=root, shown=shown, root_index=root_index,
        body_line=split.body_line, front_matter_lines=split.front_matter_lines,
        line_of={str(key): data.key_line(key) for key in data} | {"": split.front_matter_line},
        item_lines={str(key): tuple(value.item_lines) for key, value in data.items()
                    if isinstance(value, YamlSeq)},
    )
    return page, split, problems


def declared_id(split: SplitPage, shown: str) -> str | None:
    """The id a page whose front matter failed says it has, if it says one plainly: links to it
    are then not reported too (the author fixes the page, not every page linking to it)."""
    data, _ = load_yaml(split.front_matter, shown, line_offset=split.front_matter_line - 1)
    page_id = data.get("id") if isinstance(data, YamlMap) else None
    return page_id if isinstance(page_id, str) and ID_PATTERN.fullmatch(page_id) else None


def _check_values(data: YamlMap, shown: str) -> list[Problem]:
    """Rules across fields that the per-field types cannot express."""
    problems: list[Problem] = []
    summary = data.get("summary")
    if isinstance(summary, str) and len(" ".join(summary.split())) > SUMMARY_MAX:
        problems.append(error(shown, data.value_line("summary"), "summary-too-long",
                              f"the summary is {len(' '.join(summary.split()))} characters; "
                              f"the most is {SUMMARY_MAX}",
                              "shorten it to one or two plain sentences"))
    if data.get("id") in GENERATED_PAGES:
        problems.append(error(shown, data.value_line("id"), "reserved-id",
                              f"'{data['id']}' is the name of a page the toolkit makes itself",
                              "choose another id"))
    aliases = data.get("aliases")
    for index, alias in enumerate(aliases if isinstance(aliases, YamlSeq) else []):
        if not isinstance(alias, str) or not ID_PATTERN.fullmatch(alias) or alias in GENERATED_PAGES:
            problems.append(error(shown, aliases.item_line(index), "bad-alias",
                                  f"alias '{alias}' is not an old page id" if alias not in GENERATED_PAGES else
                                  f"alias '{alias}' is the name of a page the toolkit makes itself",
                                  "an alias is an id this page had before: lowercase letters, digits and hyphens"))
    reviewed, review_by = data.get("last_reviewed"), data.get("review_by")
    if is_date(reviewed) and is_date(review_by) and review_by <= reviewed:
        problems.append(error(shown, data.value_line("review_by"), "review-before-reviewed",
                              f"review_by {review_by} is not after last_reviewed {reviewed}",
                              "set review_by to a later date, usually a year after last_reviewed"))
    changes = data.get("changes")
    if isinstance(changes, list):
        for index, change in enumerate(changes):
            problems += check_fields(change, CHANGE_FIELDS, shown, changes.item_line(index),
                                     "a change")
    return problems
