"""Checks of page bodies: unsafe markup, personal data, plain English, and the files a page points to."""

from __future__ import annotations

import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from toolkit.author_texts import find_personal_data_in, yaml_texts
from toolkit.cache import CACHE_FILE, LintCache, lint_key
from toolkit.diagram_files import DIRECTIVE_DATA_KIND, diagram_kind
from toolkit.diagrams import validate_directive
from toolkit.fields import did_you_mean, unknown_id
from toolkit.guard import FailedOn, now_processing
from toolkit.limits import markdown_too_deep
from toolkit.lints.alt_text import find_missing_alt
from toolkit.lints.fences import prose_lines
from toolkit.lints.markup import find_unsafe_markup, is_dangerous_url, is_remote_url
from toolkit.lints.personal_data import find_personal_data
from toolkit.lints.readability import find_hard_reading
from toolkit.model import Page, Site
from toolkit.paths import PathOutsideRoot, resolve_author_path
from toolkit.problems import Problem, error, warning
from toolkit.publishable import active_content, type_problem
from toolkit.schemas import GENERATED_FOLDERS, GENERATED_PAGES, SITE_VALUES
from toolkit.textfiles import SplitPage
from toolkit.vocabularies import glossary_anchor

# A directive fence: ```{name} argument  or  :::{name} argument
DIRECTIVE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}[ \t]*(?P<arg>.*)$")
DOWNLOAD_ROLE = re.compile(r"(?<!`)\{download\}`(?:[^`<]*<(?P<target>[^`>]+)>|(?P<plain>[^`]+))`")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)")
IMAGE_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{(?:image|figure)\}\s*(?P<target>\S+)")
CARD_IMAGE = re.compile(r"^\s*:img-(?:top|bottom|background):\s*(?P<target>\S+)")
DOC_ROLE = re.compile(r"(?<!`)\{doc\}`(?:[^`<]*<(?P<target>[^`>]+)>|(?P<plain>[^`]+))`")
# Roles and directives that name a framework statement or a setting by id (the builder's). A role
# right after a backtick is inside inline code (`{doc}`): shown, not used.
STATEMENT_ROLE = re.compile(r"(?<!`)\{statement\}`(?P<target>[^`]+)`"
                            r"|^\s*(?:`{3,}|:{3,})\{statement-mentions\}\s*(?P<arg>\S+)")
SITE_ROLE = re.compile(r"(?<!`)\{site\}`(?P<target>[^`]+)`")
REF_ROLE = re.compile(r"(?<!`)\{(?:ref|numref|bdg-ref(?:-[a-z]+(?:-line)?)?)\}`"
                      r"(?:[^`<]*<(?P<target>[^`>]+)>|(?P<plain>[^`]+))`")
# A Markdown link (not an image) to a place on this site: no scheme, not an anchor on the page itself.
MARKDOWN_LINK = re.compile(r"(?<!!)\[(?:[^\]\\]|\\.)*\]\(\s*<?(?P<target>(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//)[^)\s>]+)")
CODE_SPAN = re.compile(r"(`+).*?\1")
TERM_ROLE = re.compile(r"(?<!`)\{term\}`(?:[^`<]*<(?P<target>[^`>]+)>|(?P<plain>[^`]+))`")
# sphinx-design directives that link by id: the option naming the target and the one saying what kind of
# target it is (its default in brackets); toctree entries are page ids, one a line.
LINKING_DIRECTIVES = {"button-ref": (None, "ref-type", "any"), "card": ("link", "link-type", "url"),
                      "grid-item-card": ("link", "link-type", "url")}
OPTION = re.compile(r"^\s*:(?P<name>[a-z-]+):\s*(?P<value>.*?)\s*$")
TARGET = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$", re.M)   # a MyST label: (name)= on its own line
SPHINX_LABELS = ("genindex", "modindex", "search")
PARALLEL_MIN_PAGES = 100   # uncached pages: below this, starting a worker costs more than it saves
PARALLEL_BATCH = 50        # pages a worker lints at a time: small enough to start while loading goes on


@dataclass(frozen=True, slots=True)
class PageBody:
    """A page body to lint, with what the lints need to know of its page."""

    source: Path
    root: Path
    shown: str
    body: str
    body_line: int
    allowed: frozenset[str] = frozenset()   # the page's own allow_personal_data_examples
    templates: tuple[tuple[str, int], ...] = ()   # (written path, line)
    front_matter: str = ""                  # its YAML, checked for personal data with the body
    front_matter_line: int = 2


def site_allowed(site: Site) -> frozenset[str]:
    """Strings the personal-data lint accepts on every page: the site's own contacts and list."""
    settings = site.settings
    return frozenset(filter(None, (settings.contact_email, settings.accessibility_email,
                                   settings.contact_phone, *settings.personal_data_allow)))


def page_body(page: Page, split: SplitPage) -> PageBody:
    templates = tuple((t, page.item_line("templates", i))
                      for i, t in enumerate(page.extras.get("templates") or ()))
    return PageBody(page.source, page.root, page.shown, split.body, page.body_line,
                    frozenset(page.extras.get("allow_personal_data_examples") or ()), templates,
                    split.front_matter, split.front_matter_line)


class BodyLinter:
    """Lints page bodies as loading reads them. The text lints (markup, personal data, plain
    English) are most of what `toolkit check` costs: batches go to worker processes (one per core
    but the main one) while the main process goes on reading front matter, and once it has read
    everything it lints batches too; their results are cached by text. A site with fewer than
    PARALLEL_MIN_PAGES uncached pages is linted in-process."""

    def __init__(self, site: Site) -> None:
        self.allowed = site_allowed(site)
        self.cache = LintCache(site.settings.folder / CACHE_FILE, site.settings.roots)
        self.bodies: list[PageBody] = []
        self.keys: list[str] = []
        self.waiting: list[int] = []          # uncached bodies not yet linted or sent
        self.found: dict[int, list[Problem]] = {}
        self.sent: list[tuple[list[int], Future[list[list[Problem]]]]] = []
        self.running: list[Future[list[list[Problem]]]] = []   # sent and not finished when last looked
        self.workers = (os.cpu_count() or 1) - 1
        self.pool: ProcessPoolExecutor | None = None

    def add(self, page: PageBody) -> None:
        self.bodies.append(page)
        self.keys.append(lint_key(page.shown, page.body_line, sorted(self.allowed | page.allowed), page.body,
                                  page.front_matter))
        if self.keys[-1] not in self.cache:
            self.waiting.append(len(self.bodies) - 1)
            self._feed()

    def _feed(self) -> None:
        """Keep every worker busy (two batches each), no more: the rest stays for the main process."""
        if self.pool is None and (self.workers < 1 or len(self.waiting) < PARALLEL_MIN_PAGES):
            return
        self.pool = self.pool or ProcessPoolExecutor(self.workers)
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
        labels = {*SPHINX_LABELS, *(glossary_anchor(term.term) for term in site.glossary.values()),
                  *(label.lower() for body in self.bodies for label in TARGET.findall(body.body))}
        for index, (page, key) in enumerate(zip(self.bodies, self.keys, strict=True)):
            now_processing(page.shown)
            if index in self.found:
                self.cache.put(key, self.found[index])
                problems += self.found[index]
            else:
                problems += self.cache.get(key) or []
            problems += _check_directives(page)
            problems += _check_roles(page, site, labels)
            problems += _check_linking_directives(page, site, labels)
            for written, line in page.templates:
                problems += _check_path(page, written, line, "download")
        now_processing(None)
        self.cache.save()
        return problems


def _text_lints(pages: list[PageBody], allowed: frozenset[str]) -> list[list[Problem]]:
    """The lints that depend on a page's text alone (so they may be cached): markup, personal data
    (body and every front matter value), plain English, alt text."""
    found = []
    for page in pages:
        try:
            found.append(find_unsafe_markup(page.body, page.shown, page.body_line)
                         + find_personal_data(page.body, page.shown, page.body_line, allowed | page.allowed)
                         + find_personal_data_in(yaml_texts(page.front_matter, page.shown, page.front_matter_line - 1),
                                                 allowed | page.allowed)
                         + find_hard_reading(page.body, page.shown, page.body_line)
                         + find_missing_alt(page.body, page.shown, page.body_line))
        except RecursionError:
            found.append([markdown_too_deep(page.shown, page.body_line)])
        except Exception as exc:   # in a worker, the file being linted would be lost on the way back
            raise FailedOn(page.shown, f"{type(exc).__name__}: {exc}") from None
    return found


def _check_path(page: PageBody, written: str, line: int, published_as: str | None = None) -> list[Problem]:
    """The file a page names: inside its root, there, and (`published_as` "image" or "download")
    of a type the site may publish, an SVG with nothing active in it."""
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


def _check_directives(page: PageBody) -> list[Problem]:
    problems: list[Problem] = []
    lines = page.body.split("\n")
    index = 0
    while index < len(lines):
        match = DIRECTIVE.match(lines[index])
        index += 1
        if not match or match["name"] not in DIRECTIVE_DATA_KIND:
            continue
        start = index
        fence = match["fence"]
        while index < len(lines) and not lines[index].strip().startswith(fence):
            index += 1
        block = lines[start:index]
        index += 1
        options = [line for line in block if line.strip().startswith(":") and not line.strip().startswith(fence)]
        content = block[len(options):]
        line = page.body_line + start - 1
        argument = match["arg"].strip()
        if argument:
            problems += _check_path(page, argument, line)
            expected = DIRECTIVE_DATA_KIND[match["name"]]
            found = diagram_kind(Path(argument).name)
            if not problems and found != expected:
                problems.append(error(page.shown, line, "diagram-file-kind",
                                      f"{match['name']} needs a *.{expected.replace('-', '')}.yaml "
                                      f"file, found '{argument}'",
                                      "name the data file after its kind, e.g. family.genogram.yaml"))
        problems += validate_directive(match["name"], argument or None, "\n".join(content),
                                       page.shown, line + 1 + len(options))
    return problems


def _doc_problems(page: PageBody, site: Site, written: str, line: int, what: str) -> list[Problem]:
    """A link to a page by id: to a page of this site or a generated one (a hidden page: a warning)."""
    target = written.lstrip("/")
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


def _ref_problems(page: PageBody, label: str, line: int, labels: set[str]) -> list[Problem]:
    if label.lower() in labels:
        return []
    return [unknown_id(page.shown, line, "ref", label, "label", sorted(labels),
                       "link to a label written (name)= on the line before a heading")]


def _link_problems(page: PageBody, site: Site, written: str, line: int, labels: set[str]) -> list[Problem]:
    """A Markdown link on the site: MyST follows one to a page id (`[text](genograms)`, `.md` allowed)
    or a label; a file or any other path is a broken link (files are linked with {download})."""
    target = written.split("#", 1)[0].removesuffix(".md")
    if not target or target.lower() in labels or not _doc_problems(page, site, target, line, ""):
        return []
    suggestion = did_you_mean(target.lstrip("/"), [*site.pages, *site.unusable])
    return [error(page.shown, line, "unknown-link", f"link to '{written}': no page or label has that name"
                  + (f"; {suggestion}" if suggestion else ""),
                  "link a page by its id, e.g. [the guide](genograms), a label written (name)= before a heading, "
                  "a file with {download}`the form <files/form.docx>`, or a web page by its full https:// address")]


def _check_linking_directives(page: PageBody, site: Site, labels: set[str]) -> list[Problem]:
    """The ids sphinx-design's linking directives and toctree name, checked as their roles are."""
    problems: list[Problem] = []
    lines = page.body.split("\n")
    for index, text in prose_lines(page.body):
        match = DIRECTIVE.match(text)
        if not match or (match["name"] not in LINKING_DIRECTIVES and match["name"] != "toctree"):
            continue
        options: dict[str, tuple[str, int]] = {}
        after = index + 1
        while after < len(lines) and (option := OPTION.match(lines[after])):
            options[option["name"]] = (option["value"], page.body_line + after)
            after += 1
        if match["name"] == "toctree":
            for number in range(after, len(lines)):
                entry = lines[number].strip()
                if entry.startswith(match["fence"]):
                    break
                found = re.fullmatch(r"(?:.*<(?P<target>[^<>]+)>|(?P<plain>\S+))", entry)
                target = found and (found["target"] or found["plain"]).strip()
                if target and is_dangerous_url(target):
                    problems.append(error(page.shown, page.body_line + number, "unsafe-url",
                                          f"toctree entry '{target}' is a script or data address, which is not "
                                          "allowed", "list page ids, or https:// addresses"))
                elif target and target != "self" and "://" not in target and "glob" not in options:
                    problems += _doc_problems(page, site, target, page.body_line + number, "toctree entry")
            continue
        target_option, type_option, default = LINKING_DIRECTIVES[match["name"]]
        target, line = options.get(target_option, ("", 0)) if target_option else (match["arg"].strip(),
                                                                                 page.body_line + index)
        kind = options.get(type_option, (default, 0))[0].strip().lower()
        what = f"{{{match['name']}}} link"
        if not target or kind not in ("doc", "ref", "any"):
            continue
        as_page = _doc_problems(page, site, target, line, what)
        if kind == "ref":
            problems += _ref_problems(page, target, line, labels)
        elif kind == "doc" or target.lower() not in labels:   # "any": a page id or a label
            problems += as_page
    return problems


def _check_roles(page: PageBody, site: Site, labels: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    terms = {name.lower(): name for term in site.glossary.values() for name in (term.term, *term.aliases)}
    for number, text in prose_lines(page.body):
        if "{" not in text and "](" not in text and ":img-" not in text:   # no role, link, image or card image
            continue
        line = page.body_line + number
        for match in DOWNLOAD_ROLE.finditer(text):
            problems += _check_path(page, (match["target"] or match["plain"]).strip(), line, "download")
        images = [m["target"] for m in MARKDOWN_IMAGE.finditer(text)]
        images += [m["target"] for m in [IMAGE_DIRECTIVE.match(text), CARD_IMAGE.match(text)] if m]
        for target in images:
            if not is_remote_url(target) and not is_dangerous_url(target):  # refused by the markup lint
                problems += _check_path(page, target, line, "image")
        for match in DOC_ROLE.finditer(text):
            problems += _doc_problems(page, site, (match["target"] or match["plain"]).strip(), line, "{doc} link")
        for match in STATEMENT_ROLE.finditer(text):
            statement = (match["target"] or match["arg"]).strip()
            if statement not in site.statements:
                problems.append(unknown_id(page.shown, line, "statement", statement, "framework statement",
                                           list(site.statements), "use a statement id from a framework "
                                           "set, e.g. {statement}`KSS-PS-7`"))
        for match in MARKDOWN_LINK.finditer(CODE_SPAN.sub("", text)):
            problems += _link_problems(page, site, match["target"], line, labels)
        for match in REF_ROLE.finditer(text):
            problems += _ref_problems(page, (match["target"] or match["plain"]).strip(), line, labels)
        for match in TERM_ROLE.finditer(text):
            term = (match["target"] or match["plain"]).strip()
            if term.lower() not in terms:
                problems.append(unknown_id(page.shown, line, "term", term, "glossary term", sorted(terms.values()),
                                           "use a term or alias from the glossary (vocabularies/glossary.yaml), "
                                           "or add the term there"))
        for match in SITE_ROLE.finditer(text):
            if match["target"].strip() not in SITE_VALUES:
                problems.append(unknown_id(page.shown, line, "site", match["target"].strip(), "setting",
                                           SITE_VALUES, "use one of: " + ", ".join(SITE_VALUES)))
    return problems
