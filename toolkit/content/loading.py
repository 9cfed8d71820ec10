"""Loading a site: every root read, later roots layered over earlier ones, references checked.

One pass reports every problem in every file, so an author fixes them all at once.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from toolkit.content import references
from toolkit.content.bodies import ContentChecks, PageBody, page_body
from toolkit.content.frameworks import read_statement_set, successor_problems
from toolkit.core.guard import now_processing
from toolkit.content.model import GlossaryTerm, Page, Settings, Site, StatementSet, VocabularyEntry
from toolkit.content.pages import declared_id, read_page
from toolkit.core.paths import PathOutsideRoot, confine
from toolkit.core.problems import Problem, error, info
from toolkit.content.settings import shown_in_root, shown_path
from toolkit.content.tariffs import FOLDER as TARIFF_FOLDER
from toolkit.content.tariffs import add_tariff, read_tariff
from toolkit.core.textfiles import read_text
from toolkit.content.vocabularies import VOCABULARY_NAMES, read_glossary, read_vocabulary
from toolkit.core.yamlio import load_yaml

SKIPPED_FOLDERS = {"_build", "__pycache__", "node_modules"}
PACK_MARKER = "__init__.py"   # makes a content pack's root a package (toolkit/content/packs.py); not content


def content_files(root: Path) -> list[Path]:
    """Every file in a root, in a stable order, hidden files and build folders left out. Linked
    folders are listed, not entered, so loading can say it does not read them."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders
                               if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        found += [Path(folder) / name for name in subfolders if (Path(folder) / name).is_symlink()]
        found += [Path(folder) / name for name in sorted(files)
                  if not name.startswith(".") and name != PACK_MARKER]
    return found


def _read_yaml_file(path: Path, shown: str) -> tuple[object, list[Problem]]:
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    return load_yaml(text, shown)


def load_site(settings: Settings, today: dt.date, checks: ContentChecks | None = None
              ) -> tuple[Site, list[Problem]]:
    """Read every root in order and check the merged site's fields and references; `checks`
    (the lints: toolkit/checks/checking.py) is shown every body and data file as it is read."""
    site = Site(settings=settings, pages={}, sets={}, statements={},
                vocabularies={name: {} for name in VOCABULARY_NAMES.values()},
                glossary={}, replaced={}, assets=[])
    problems: list[Problem] = []
    for index, root in enumerate(settings.roots):
        problems += _load_root(site, root, index, checks)
    problems += _apply_hide(site)
    problems += successor_problems(site.sets)
    problems += references.check_references(site, today)
    return site, problems


def _load_root(site: Site, root: Path, index: int, checks: ContentChecks | None
               ) -> list[Problem]:
    problems: list[Problem] = []
    folder = site.settings.folder
    ids_here: dict[str, Page] = {}
    root_shown = shown_path(root, folder)
    for path in content_files(root):
        relative = path.relative_to(root)
        linked = path.is_symlink()   # the walk never enters linked folders: only a link can lead out
        shown = f"{root_shown}/{relative.as_posix()}" if linked else shown_in_root(root_shown, relative)
        try:
            if linked:
                confine(path, root, relative.as_posix())
        except PathOutsideRoot as exc:   # shown as the link, not where it leads
            problems.append(error(shown, 1, "path-outside-root", f"{exc}: it is a link to a file elsewhere",
                                  "copy the file into the content root instead of linking to it"))
            continue
        now_processing(shown)
        if path.is_dir():
            problems.append(error(shown, 1, "linked-folder", "this is a link to a folder, which is not read",
                                  "move the folder itself into the content root"))
            continue
        if not path.is_file():   # a link to nothing, a pipe or a device: never read or published
            problems.append(error(shown, 1, "cannot-read", "this is not an ordinary file (a broken link?)",
                                  "replace it with the file itself, or remove it"))
            continue
        if path.suffix == ".md":
            page, split, found = read_page(path, root, index, shown)
            problems += found
            if page is None:
                if split is not None:
                    if checks is not None:
                        checks.page_read(PageBody(path, root, shown, split.body, split.body_line,
                                                  front_matter=split.front_matter,
                                                  front_matter_line=split.front_matter_line))
                    page_id = declared_id(split, shown)
                    if page_id:
                        site.unusable.setdefault(page_id, shown)
                continue
            if page.id in ids_here:
                first = ids_here[page.id]
                problems.append(error(shown, page.line_of["id"], "duplicate-id",
                                      f"page id '{page.id}' is also used by {first.shown}:"
                                      f"{first.line_of['id']}", "give each page its own id"))
                continue
            ids_here[page.id] = page
            if page.id in site.pages:
                earlier = site.pages[page.id]
                site.replaced.setdefault(page.id, []).append(earlier)
                problems.append(info(shown, page.line_of["id"], "page-replaced",
                                     f"replaces '{page.id}' from {earlier.shown}"))
            site.pages[page.id] = page
            if checks is not None:
                checks.page_read(page_body(page, split))
        elif relative.parts[0] == "frameworks" and path.suffix in (".yaml", ".yml"):
            data, found = _read_yaml_file(path, shown)
            problems += found
            if data is not None:
                statement_set, found = read_statement_set(data, shown)
                problems += found
                if statement_set is not None:
                    problems += _add_set(site, statement_set)
        elif relative.parts[0] == TARIFF_FOLDER and path.suffix in (".yaml", ".yml"):
            data, found = _read_yaml_file(path, shown)
            problems += found
            tariff, found = read_tariff(data, shown, index) if data is not None or not found else (None, [])
            problems += found + (add_tariff(site.tariffs, tariff) if tariff is not None else [])
        elif relative.parts[0] == "vocabularies" and path.name in VOCABULARY_NAMES:
            data, found = _read_yaml_file(path, shown)
            problems += found
            entries, found = read_vocabulary(data, path.name, shown) if data is not None else ([], [])
            problems += found
            problems += _add_entries(site.vocabularies[VOCABULARY_NAMES[path.name]], entries, shown)
        elif relative.parts[0] == "vocabularies" and path.name == "glossary.yaml":
            data, found = _read_yaml_file(path, shown)
            problems += found
            terms, found = read_glossary(data, shown) if data is not None else ([], [])
            problems += found
            problems += _add_terms(site.glossary, terms)
        else:
            if checks is not None:
                problems += checks.data_file_read(path, shown)
            site.assets.append((index, root, path))
    now_processing(None)
    return problems


def _add_set(site: Site, statement_set: StatementSet) -> list[Problem]:
    problems = []
    if statement_set.id in site.sets:
        problems.append(info(statement_set.shown, 1, "set-replaced",
                             f"replaces framework set '{statement_set.id}' from "
                             f"{site.sets[statement_set.id].shown}"))
        for statement in site.sets[statement_set.id].statements:
            site.statements.pop(statement.id, None)
    site.sets[statement_set.id] = statement_set
    site.statements.update({s.id: s for s in statement_set.statements})
    return problems


def _add_entries(vocabulary: dict[str, VocabularyEntry], entries: list[VocabularyEntry],
                 shown: str) -> list[Problem]:
    problems = [info(shown, 1, "entry-replaced", f"replaces vocabulary entry '{e.id}'")
                for e in entries if e.id in vocabulary]
    vocabulary.update({entry.id: entry for entry in entries})
    return problems


def _add_terms(glossary: dict[str, GlossaryTerm], terms: list[GlossaryTerm]) -> list[Problem]:
    problems = [info(t.shown, t.line, "term-replaced", f"replaces glossary term '{t.term}'")
                for t in terms if t.term.lower() in glossary]
    glossary.update({term.term.lower(): term for term in terms})
    return problems


def _apply_hide(site: Site) -> list[Problem]:
    settings = site.settings
    shown = shown_path(settings.path, settings.folder)
    problems = []
    for page_id in settings.hide:
        if page_id in site.unusable:
            continue
        if page_id not in site.pages:
            problems.append(error(shown, 1, "hide-unknown", f"hide: no page has the id '{page_id}'",
                                  "use the id from the page's front matter"))
        else:
            site.hidden[page_id] = site.pages.pop(page_id)
    return problems
