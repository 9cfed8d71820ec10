"""Checks of page bodies: unsafe markup, personal data, plain English, and the files a page points to."""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from toolkit.checks.alt_text import MissingAlt
from toolkit.checks.attachments import attachment_problems
from toolkit.checks.author_texts import find_personal_data_in, yaml_texts
from toolkit.checks.cache import CACHE_FILE, LintCache, lint_key
from toolkit.checks.markup import MarkupLint, windows_path
from toolkit.checks.personal_data import find_personal_data
from toolkit.checks.readability import ProseReader, hard_reading, hyphenation_dictionary
from toolkit.checks.tokens import Mention, MentionFinder, feed
from toolkit.content.bodies import PageBody, site_allowed
from toolkit.content.fields import did_you_mean, unknown_id
from toolkit.content.model import Settings, Site
from toolkit.content.publishable import active_content, type_problem
from toolkit.content.schemas import GENERATED_FOLDERS, GENERATED_PAGES, SITE_VALUES
from toolkit.content.tariffs import DIRECTIVE as CALCULATOR
from toolkit.content.tariffs import FOLDER as TARIFF_FOLDER
from toolkit.content.tariffs import Tariff
from toolkit.content.urls import is_dangerous_url, is_remote_url, is_windows_path
from toolkit.content.vocabularies import glossary_anchor
from toolkit.core.file_versions import PerFileVersion
from toolkit.core.guard import FailedOn, now_processing
from toolkit.core.limits import markdown_too_deep
from toolkit.core.paths import PathOutsideRoot, resolve_author_path
from toolkit.core.problems import Problem, error, warning
from toolkit.diagrams import DIAGRAM_TYPES, DIRECTIVE_KINDS, validate_directive
from toolkit.diagrams.files import diagram_kind, validate_diagram_path

SPHINX_LABELS = ("genindex", "modindex", "search")
TextResult = tuple[list[Problem], list[Mention]]   # a body's text lints and what its markup points to
PARALLEL_MIN_PAGES = 100   # uncached pages: below this, starting a worker costs more than it saves
PARALLEL_BATCH = 50        # pages a worker lints at a time: small enough to start while loading goes on


# the directives whose argument and body the cross-page checks read: diagrams and the calculator
DATA_DIRECTIVES = frozenset({*DIRECTIVE_KINDS, CALCULATOR})


# Each diagram data file's problems, kept while its size and time stay the same: the preview
# checks the whole site on every save (builder/warm.py), and validating every data file again was
# a fifth of that check at 1,000 pages (cProfile).
_DIAGRAM_PROBLEMS: PerFileVersion[tuple[str, Path, str], list[Problem]] = PerFileVersion()


def _diagram_problems(kind: str, path: Path, shown: str) -> list[Problem]:
    return list(_DIAGRAM_PROBLEMS.get(path, (kind, path, shown), lambda: validate_diagram_path(kind, path, shown)))


class BodyLinter:
    """Lints page bodies as loading reads them. The text lints (markup, personal data, plain
    English) are most of what `toolkit check` costs: batches go to worker processes (one per core
    but the main one) while the main process goes on reading front matter, and once it has read
    everything it lints batches too; their results are cached by text. A site with fewer than
    PARALLEL_MIN_PAGES uncached pages is linted in-process."""

    def __init__(self, settings: Settings) -> None:
        self.allowed = site_allowed(settings)
        self.cache = LintCache(settings.folder / CACHE_FILE, settings.roots)
        self.bodies: list[PageBody] = []
        self.keys: list[str] = []
        self.waiting: list[int] = []          # uncached bodies not yet linted or sent
        self.found: dict[int, TextResult] = {}
        self.sent: list[tuple[list[int], Future[list[TextResult]]]] = []
        self.running: list[Future[list[TextResult]]] = []   # sent and not finished when last looked
        self.workers = (os.cpu_count() or 1) - 1
        self.pool: ProcessPoolExecutor | None = None

    def page_read(self, page: PageBody) -> None:
        self.bodies.append(page)
        self.keys.append(lint_key(page.shown, page.body_line, sorted(self.allowed | page.allowed), page.body,
                                  page.front_matter))
        if self.keys[-1] not in self.cache:
            self.waiting.append(len(self.bodies) - 1)
            self._feed()

    def data_file_read(self, path: Path, shown: str) -> list[Problem]:
        """Diagram data files are validated whether or not a page uses them; attachments with text
        (CSV, TXT, Word, Excel) go through the personal-data check."""
        kind = diagram_kind(path.name)
        return _diagram_problems(kind, path, shown) if kind else attachment_problems(path, shown, self.allowed)

    def _feed(self) -> None:
        """Keep every worker busy (two batches each), no more: the rest stays for the main process."""
        if self.pool is None and (self.workers < 1 or len(self.waiting) < PARALLEL_MIN_PAGES):
            return
        if self.pool is None:
            hyphenation_dictionary()   # loaded here, before the workers fork, not once in each
            self.pool = ProcessPoolExecutor(self.workers)
        self.running = [future for future in self.running if not future.done()]
        while len(self.waiting) >= PARALLEL_BATCH and len(self.running) < 2 * self.workers:
            batch, self.waiting = self.waiting[:PARALLEL_BATCH], self.waiting[PARALLEL_BATCH:]
            future = self.pool.submit(_text_lints, [self.bodies[i] for i in batch], self.allowed)
            self.sent.append((batch, future))
            self.running.append(future)

    def _lint_here(self, batch: list[int]) -> None:
        self.found |= zip(batch, _text_lints([self.bodies[i] for i in batch], self.allowed), strict=True)

    def problems(self, site: Site) -> list[Problem]:
        """Every body lint of every page added, including pages whose front matter failed."""
        while self.waiting:
            self._feed()
            batch, self.waiting = self.waiting[:PARALLEL_BATCH], self.waiting[PARALLEL_BATCH:]
            self._lint_here(batch)
        for batch, future in self.sent:
            self.found |= zip(batch, future.result(), strict=True)
        if self.pool is not None:
            self.pool.shutdown()
        problems: list[Problem] = []
        results = []
        for index, key in enumerate(self.keys):
            if index in self.found:
                self.cache.put(key, *self.found[index])
            results.append(self.found[index] if index in self.found else self.cache.get(key) or ([], []))
        labels = {*SPHINX_LABELS, *(glossary_anchor(term.term) for term in site.glossary.values()),
                  *(m.target.lower() for _, found in results for m in found if m.kind == "label")}
        for page, (found_problems, found_mentions) in zip(self.bodies, results, strict=True):
            now_processing(page.shown)
            problems += found_problems
            problems += _check_mentions(page, found_mentions, site, labels)
            for written, line in page.templates:
                problems += _check_path(page, written, line, "download")
        now_processing(None)
        self.cache.save()
        return problems


def _text_lints(pages: list[PageBody], allowed: frozenset[str]) -> list[TextResult]:
    """The lints that depend on a page's text alone (so they may be cached): markup, plain English,
    alt text and what its markup points to, each a consumer of the one walk of the body's parse; and
    personal data in the text as written (body and every front matter value: code shows it too)."""
    found = []
    for page in pages:
        try:
            markup, prose, alt, targets = (MarkupLint(page.shown), ProseReader(), MissingAlt(page.shown),
                                           MentionFinder(DATA_DIRECTIVES))
            feed(page.body, page.body_line, markup, prose, alt, targets)
            found.append((sorted(markup.problems)
                          + find_personal_data(page.body, page.shown, page.body_line, allowed | page.allowed)
                          + find_personal_data_in(yaml_texts(page.front_matter, page.shown,
                                                             page.front_matter_line - 1), allowed | page.allowed)
                          + hard_reading(prose.score(), page.shown, page.body_line)
                          + alt.problems,
                          targets.found))
        except RecursionError:
            found.append(([markdown_too_deep(page.shown, page.body_line)], []))
        except Exception as exc:   # in a worker, the file being linted would be lost on the way back
            raise FailedOn(page.shown, f"{type(exc).__name__}: {exc}") from None
    return found


def _check_path(page: PageBody, written: str, line: int, published_as: str | None = None) -> list[Problem]:
    """The file a page names: inside its root, there, and (`published_as` "image" or "download")
    of a type the site may publish, an SVG with nothing active in it."""
    if is_windows_path(written):
        return [windows_path(page.shown, line, published_as or "the file", written)]
    try:
        target = resolve_author_path(written, page.source, page.root)
    except PathOutsideRoot as exc:
        return [error(page.shown, line, "path-outside-root", str(exc),
                      "give a path inside this content root, relative to the page's folder")]
    if not target.is_file():
        return [error(page.shown, line, "missing-file", f"'{written}' does not exist",
                      "check the spelling; paths are relative to the page's folder, '/' is the root")]
    if published_as is None:
        return []
    refused = type_problem(written, published_as)
    if refused:
        return [error(page.shown, line, "file-type-not-allowed", f"'{written}': {refused}",
                      "save it in one of the allowed formats, e.g. as a PDF or Word document, "
                      "or a picture as PNG")]
    if target.suffix.lower() == ".svg":
        found = active_content(target.read_bytes().decode("utf-8", errors="replace"))
        if found:
            svg_line, what = found[0]
            return [error(page.shown, line, "svg-active-content",
                          f"'{written}' line {svg_line} has {what}, which a browser would run",
                          "save the drawing again without scripts or embedded content, for example "
                          "exported as plain SVG or as PNG")]
    return []


def _check_diagram(page: PageBody, mention: Mention) -> list[Problem]:
    """A diagram directive: its data file (inside the root, of its kind) or its inline data."""
    problems: list[Problem] = []
    if mention.target:
        problems += _check_path(page, mention.target, mention.line)
        expected = DIRECTIVE_KINDS[mention.name]
        if not problems and diagram_kind(Path(mention.target).name) != expected:
            problems.append(error(page.shown, mention.line, "diagram-file-kind",
                                  f"{mention.name} needs a *{DIAGRAM_TYPES[expected].suffix} "
                                  f"file, found '{mention.target}'",
                                  "name the data file after its kind, e.g. family.genogram.yaml"))
    return problems + validate_directive(mention.name, mention.target or None, mention.body, page.shown,
                                         mention.body_line)


def _check_mentions(page: PageBody, found: list[Mention], site: Site, labels: set[str]) -> list[Problem]:
    """What the body points to, looked up in the site: pages, files, statements, labels, settings."""
    problems: list[Problem] = []
    terms = {name.lower(): name for term in site.glossary.values() for name in (term.term, *term.aliases)}
    for mention in found:
        target, line = mention.target, mention.line
        if mention.kind == "directive" and mention.name == CALCULATOR:
            problems += _check_calculator(page.shown, mention, site.tariffs)
        elif mention.kind == "directive":
            problems += _check_diagram(page, mention)
        elif mention.kind == "download":
            problems += _check_path(page, target, line, "download")
        elif mention.kind == "image":
            if is_windows_path(target) or not (is_remote_url(target) or is_dangerous_url(target)):  # else: markup lint
                problems += _check_path(page, target, line, "image")
        elif mention.kind == "doc":
            problems += _check_doc(page, target.lstrip("/"), line, site, mention.name or "{doc} link")
        elif mention.kind == "any" and target.lower() not in labels:   # a page id or a label
            problems += _check_doc(page, target.lstrip("/"), line, site, mention.name)
        elif mention.kind == "toctree":
            problems += _check_toctree(page, target, line, site)
        elif mention.kind == "link" and not is_windows_path(target):   # else: the markup lint
            problems += _check_link(page, site, target, line, labels)
        elif mention.kind == "term" and target.lower() not in terms:
            problems.append(unknown_id(page.shown, line, "term", target, "glossary term", sorted(terms.values()),
                                       "use a term or alias from the glossary (vocabularies/glossary.yaml), "
                                       "or add the term there"))
        elif mention.kind == "statement" and target not in site.statements:
            problems.append(unknown_id(page.shown, line, "statement", target, "framework statement",
                                       list(site.statements), "use a statement id from a framework "
                                       "set, e.g. {statement}`KSS-PS-7`"))
        elif mention.kind == "ref" and target.lower() not in labels:
            problems.append(unknown_id(page.shown, line, "ref", target, "label", sorted(labels),
                                       "link to a label written (name)= on the line before a heading"))
        elif mention.kind == "site" and target not in SITE_VALUES:
            problems.append(unknown_id(page.shown, line, "site", target, "setting",
                                       SITE_VALUES, "use one of: " + ", ".join(SITE_VALUES)))
    return problems


def _check_calculator(shown: str, mention: Mention, tariffs: dict[str, Tariff]) -> list[Problem]:
    """Each `{workload-calculator}` (found by the body's token walk, so an example in a code block is
    not one) must name a tariff the site loads, and hold no text."""
    problems = []
    if mention.body.strip():
        problems.append(error(shown, mention.body_line, "calculator-text",
                              f"{{{CALCULATOR}}} takes no text: the tariff's types of work come from its file",
                              f"close the block on the next line, and change the tariff under {TARIFF_FOLDER}/"))
    name = mention.target.strip()
    hint = f"name a tariff by the id in its file under {TARIFF_FOLDER}/, e.g. ```{{{CALCULATOR}}} starting-tariff"
    if not name:
        problems.append(error(shown, mention.line, "calculator-no-tariff", f"{{{CALCULATOR}}} needs a tariff id", hint))
    elif name not in tariffs:
        problems.append(unknown_id(shown, mention.line, "tariff", name, "workload tariff", sorted(tariffs), hint))
    return problems


def _check_doc(page: PageBody, target: str, line: int, site: Site, what: str = "{doc} link") -> list[Problem]:
    """A link to a page by id: to a page of this site or a generated one (a hidden page: a warning)."""
    if target in site.pages or target in GENERATED_PAGES or target.split("/")[0] in GENERATED_FOLDERS:
        return []
    if target in site.settings.hide:
        return [warning(page.shown, line, "hidden-doc", f"{what} to '{target}': that page "
                        "is hidden by the settings; the link is shown as plain text")]
    if target in site.unusable:   # its own front matter is the mistake, reported there
        return []
    suggestion = did_you_mean(target, [*site.pages, *site.unusable])
    return [error(page.shown, line, "unknown-doc", f"{what} to '{target}': no page has that id"
                  + (f"; {suggestion}" if suggestion else ""), "link with a page id, e.g. {doc}`genograms`")]


def _check_toctree(page: PageBody, target: str, line: int, site: Site) -> list[Problem]:
    """A toctree entry: a page id (or `self`, or a web address); never a script or data address."""
    if is_dangerous_url(target):
        return [error(page.shown, line, "unsafe-url", f"toctree entry '{target}' is a script or data address, "
                      "which is not allowed", "list page ids, or https:// addresses")]
    if target == "self" or "://" in target:
        return []
    return _check_doc(page, target.lstrip("/"), line, site, "toctree entry")


def _check_link(page: PageBody, site: Site, written: str, line: int, labels: set[str]) -> list[Problem]:
    """A Markdown link on the site: MyST follows one to a page id (`[text](genograms)`, `.md` allowed)
    or a label; a file or any other path is a broken link (files are linked with {download})."""
    target = written.split("#", 1)[0].removesuffix(".md")
    if not target or target.lower() in labels or not _check_doc(page, target.lstrip("/"), line, site):
        return []
    suggestion = did_you_mean(target.lstrip("/"), [*site.pages, *site.unusable])
    return [error(page.shown, line, "unknown-link", f"link to '{written}': no page or label has that name"
                  + (f"; {suggestion}" if suggestion else ""),
                  "link a page by its id, e.g. [the guide](genograms), a label written (name)= before a heading, "
                  "a file with {download}`the form <files/form.docx>`, or a web page by its full https:// address")]
