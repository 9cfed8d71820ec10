"""Refuse MyST markup that could put script, tracking or local files into a page.

Pages are written by semi-trusted authors and read on council networks, so a page must
never carry script (raw HTML, `javascript:` links, event-handler attributes), pull in
files from the build machine (`include`, `literalinclude`, `csv-table :file:`), call home
(images from other hosts) or redirect the reader (`<meta>` refresh). This scan runs in
`toolkit check`, before Sphinx, and names file and line with the fix; `builder.safety`
removes whatever slips past it from the document tree (defence in depth).

It parses with MyST's own markdown-it configuration and the site's syntax extensions (raw
HTML left on, so it can be seen and refused), and walks the tokens:
line numbers come from `token.map`, and directive bodies are parsed again, so cards
inside grids inside admonitions are checked too.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from toolkit.content.fields import did_you_mean
from toolkit.content.urls import foreign_scheme, is_dangerous_url, is_remote_url, is_windows_path, normalise_url
from toolkit.core.limits import LIMIT_CODES, MAX_MARKDOWN_DEPTH, markdown_too_deep
from toolkit.core.problems import Problem, error
from toolkit.core.yamlio import load_yaml
from toolkit.diagrams import DIRECTIVE_KINDS

# The MyST syntax extensions the site is built with (builder/config.py takes them from here), so
# the lint reads a page exactly as the build will: an extension only the lint knew would hide
# text from it that the build shows as a link (and parsing with four more cost twice the time).
# `substitution` (unsandboxed Jinja) is never among them.
MYST_EXTENSIONS = ("colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block", "strikethrough", "tasklist",
                   "smartquotes")
_META_REFRESH = re.compile(r"(?i)<\s*meta\b[^>]*http-equiv")
# Markup with an event handler or script in a value that ends up in an attribute (an image's
# description or title, an {abbr}'s explanation, a class a writer emits unescaped): the build
# (builder.safety) takes out what carries it, so the check refuses it first.
_MARKUP_WITH_SCRIPT = re.compile(r"(?i)<[^>]*[\s\"'/]on[a-z]+\s*=|<\s*script|javascript:")
#: Roles whose text becomes an attribute of what they make.
_ATTRIBUTE_ROLES = frozenset({"abbr"})


def carries_script(value: str) -> bool:
    """Whether a value bound for an attribute holds markup with script (shared with the build)."""
    return _MARKUP_WITH_SCRIPT.search(value) is not None
_OPTION = re.compile(r"^:([^:\s][^:]*):(?:\s+(.*))?$")

# Directives whose body is code or data, not Markdown: shown as text, never parsed.
LITERAL_DIRECTIVES = frozenset(
    {
        "code", "code-block", "sourcecode", "code-cell", "math", "highlight", "csv-table",
        "literalinclude", "raw", "eval-rst", "eval_rst", "mermaid", "graphviz", "ecomap",
        "toctree",   # entries, one a line ("Title <id>" is not HTML): checked in toolkit.checks.page_lints
    }
)  # fmt: skip   the registered diagram directives too (is_literal)
# What an author may write: an allow-list, so a directive or role added by a new version of MyST,
# docutils or sphinx-design is refused until someone has checked what it puts in a page. The
# build (builder.safety) switches off everything not listed here or in GENERATED_DIRECTIVES.
ADMONITIONS = ("note", "tip", "important", "warning", "caution", "attention", "danger", "error",
               "hint", "seealso", "admonition")
AUTHOR_DIRECTIVES = frozenset({
    *ADMONITIONS, "image", "figure", "table", "list-table", "csv-table", "code-block", "code",
    "sourcecode", "epigraph", "pull-quote", "highlights", "rubric", "topic", "contents",
    "container", "line-block", "parsed-literal", "toctree",
    # sphinx-design
    "grid", "grid-item", "grid-item-card", "card", "card-carousel", "dropdown", "tab-set",
    "tab-item", "button-link", "button-ref",
    # the toolkit's own (and every registered diagram directive: toolkit/diagrams/types.py)
    "site-contacts", "genogram-symbols", "duty",
    "workload-calculator",
})  # fmt: skip
#: Directives only the toolkit's generated pages use (their text is escaped by builder.markup).
GENERATED_DIRECTIVES = frozenset({"page-list", "coverage-table", "statement-mentions", "search-box", "search-form",
                                  "follow-links", "duty-list", "document-list", "pdf-links"})
AUTHOR_ROLES = frozenset({"doc", "statement", "site", "download", "ref", "term", "abbr", "kbd", "sub", "sup",
                          "subscript", "superscript", "strong", "emphasis", "literal", "code",
                          "guilabel", "menuselection", "file", "samp", "command", "dfn", "octicon"})
#: sphinx-design's badges: text, or a link checked like any other.
_BADGE_ROLE = re.compile(r"bdg(?:-(?:link|ref))?(?:-[a-z]+(?:-line)?)?")
# {octicon}`name;size;classes`: only a name, a plain size and plain class names reach the SVG.
_OCTICON = re.compile(r"[a-z0-9-]+(?:;\s*\d+(?:\.\d+)?(?:px|em|rem)?(?:;[\w\s-]*)?)?")
_ROLE_FIXES = {
    "math": "math is not shown on this site (it would need a script from another host): write it "
            "in words or as plain text, e.g. 2 × 3 = 6",
    "icon": "icon fonts are not part of the site: use {octicon}`name` or a word",
}
_MATH_NAMES = frozenset({"math", "eq", "math:numref", "numref"})


def role_problem(name: str, content: str) -> str | None:
    """Why an author may not use this role here, or None (shared by the check and the build)."""
    plain = name.strip().lower()
    if plain == "raw" or plain.startswith(("raw:", "raw-")):
        return f"the {{{name}}} role is not allowed: {_HTML_FIX}"
    if plain in _MATH_NAMES:
        return f"the {{{name}}} role is not allowed: {_ROLE_FIXES['math']}"
    if plain == "octicon":
        if _OCTICON.fullmatch(content.strip()):
            return None
        return f"{{{name}}} takes an icon name, a size and plain class names, e.g. {{octicon}}`check;1em`"
    if plain.startswith(("material-", "fa")):
        return f"the {{{name}}} role is not allowed: {_ROLE_FIXES['icon']}"
    if plain in AUTHOR_ROLES or _BADGE_ROLE.fullmatch(plain):
        return None
    return (f"the {{{name}}} role is not one the toolkit supports: use one of "
            + ", ".join(f"{{{r}}}" for r in sorted(AUTHOR_ROLES)))


@lru_cache(maxsize=1)
def octicon_names() -> frozenset[str]:
    """The icons sphinx-design's {octicon} draws (its data file, read without importing it: the
    toolkit imports no Sphinx); any other name fails the build."""
    spec = importlib.util.find_spec("sphinx_design")
    folder = Path(spec.origin).parent if spec and spec.origin else Path()
    return frozenset(json.loads((folder / "compiled" / "octicons.json").read_text(encoding="utf-8")))


def directive_problem(name: str, allowed: frozenset[str] = AUTHOR_DIRECTIVES) -> str | None:
    """Why this directive may not be used, or None (shared by the check and the build)."""
    plain = name.strip().lower()
    if plain in _REFUSED_DIRECTIVES:
        return f"the {{{name}}} directive is not allowed: {_REFUSED_DIRECTIVES[plain]}"
    if plain in ("math", "amsmath"):
        return f"the {{{name}}} directive is not allowed: {_ROLE_FIXES['math']}"
    if plain in allowed or plain in DIRECTIVE_KINDS:
        return None
    return (f"the {{{name}}} directive is not one the toolkit supports: use an admonition such as "
            "{note}, an {image} or {figure}, a table, a sphinx-design {card}, {grid}, {dropdown} or "
            "{tab-set}, or a diagram (" + ", ".join(f"{{{d}}}" for d in DIRECTIVE_KINDS) + ")")


def is_literal(name: str) -> bool:
    """True for a directive whose body is code or data (a diagram's YAML), never Markdown."""
    return name in LITERAL_DIRECTIVES or name in DIRECTIVE_KINDS


_REFUSED_DIRECTIVES = {
    "raw": "write Markdown, or use MyST's {kbd} / {abbr} roles (HTML is not allowed)",
    "eval-rst": "reStructuredText blocks are not allowed; write MyST Markdown instead",
    "eval_rst": "reStructuredText blocks are not allowed; write MyST Markdown instead",
    "include": "including other files is not allowed; put the text in the page or link to it",
    "literalinclude": "including files is not allowed; paste the text into a code block",
    "role": "defining roles is not allowed; use MyST's built-in roles",
    "meta": "<meta> tags and redirects are not allowed: link to the page instead",
}
IMAGE_OPTIONS = frozenset({"img-top", "img-bottom", "img-background"})
_HTML_FIX = "HTML is not allowed: use MyST's {kbd} / {abbr} roles or Markdown instead"


def find_unsafe_markup(body: str, path: str, first_line: int) -> list[Problem]:
    """Return one error per unsafe construct in a MyST page body.

    `first_line` is the file line of the body's first line (front matter removed).
    """
    return sorted(_Scanner(path).scan(body, first_line))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """One parser for every page: building it costs as much as parsing a short page."""
    md = create_md_parser(MdParserConfig(enable_extensions=set(MYST_EXTENSIONS)), RendererHTML)
    # markdown-it silently drops javascript: links; we want to see them and say so.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.disable("wordcount", ignoreInvalid=True)   # counts words into env; no token changes
    return md


@lru_cache(maxsize=256)
def parse(text: str) -> tuple[list[Token], dict]:
    """Tokens and environment of a body or a directive's body. The markup and plain-English
    lints read the same texts one page after the other, and parsing is most of what
    `toolkit check` does, so each text is parsed once. Callers must not change the tokens."""
    env: dict = {}
    return _parser().parse(text, env), env


class _Scanner:
    def __init__(self, path: str) -> None:
        self.path = path

    def scan(self, text: str, first_line: int, depth: int = 0) -> Iterator[Problem]:
        """`depth`: the directives this text is inside (each is parsed on its own, from level 0)."""
        tokens, env = parse(text)
        for label, ref in env.get("references", {}).items():
            line = first_line + ref.get("map", [0])[0]
            yield from self._link(ref.get("href", ""), line, f"link definition [{label}]")
        for token in tokens:
            line = first_line + (token.map[0] if token.map else 0)
            if depth + token.level > MAX_MARKDOWN_DEPTH:
                yield markdown_too_deep(self.path, line)
                return
            yield from self._token(token, line, depth + token.level)

    def _error(self, line: int, code: str, message: str) -> Problem:
        return error(self.path, line, code, message)

    def _token(self, token: Token, line: int, depth: int = 0) -> Iterator[Problem]:
        yield from self._attributes(token, line)
        if token.type == "html_block":
            yield self._html(token.content, line, "HTML block")
        elif token.type == "html_inline" and not token.content.startswith("</"):
            yield self._html(token.content, line, "inline HTML")
        elif token.type in ("fence", "colon_fence"):
            yield from self._fence(token, line, depth + 1)
        elif token.type == "inline":
            for child in token.children or []:
                yield from self._token(child, line)
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
        elif token.type == "link_open":
            yield from self._link(str(token.attrs.get("href", "")), line, "link")
        elif token.type == "image":
            yield from self._image(str(token.attrs.get("src", "")), line)
            if carries_script(token.content):
                yield self._script_in_attribute(line, "the image's description")
        elif token.type == "myst_role":
            yield from self._role(token.meta.get("name", ""), token.content, line)
        elif token.type == "text" and "$$" in token.content:
            yield self._error(line, "unsafe-role", f"'$$' math is not allowed: {_ROLE_FIXES['math']}")

    def _html(self, content: str, line: int, kind: str) -> Problem:
        if _META_REFRESH.search(content):
            return self._error(
                line, "unsafe-meta-refresh", "<meta http-equiv> is not allowed: link to the page instead"
            )
        return self._error(line, "unsafe-html", f"{kind} {_excerpt(content)}: {_HTML_FIX}")

    def _attributes(self, token: Token, line: int) -> Iterator[Problem]:
        if not token.attrs and not token.meta:
            return
        attrs = {**token.attrs, **token.meta.get("insecure_attrs", {})}
        for name, value in attrs.items():
            if str(name).strip().lower().startswith("on"):
                yield self._error(
                    line,
                    "unsafe-attribute",
                    f"event-handler attribute '{name}' is not allowed: remove it (pages carry no script)",
                )
            elif name not in ("href", "src") and is_dangerous_url(str(value)):
                yield from self._url(str(value), line, f"attribute '{name}'")
            elif name not in ("href", "src") and carries_script(str(value)):   # links: _url
                yield self._script_in_attribute(line, f"the {name}")

    def _script_in_attribute(self, line: int, where: str) -> Problem:
        return self._error(line, "unsafe-attribute", f"{where} holds markup with script, so the site would "
                           "leave it out: write it in words (for example 'a script tag')")

    def _url(self, url: str, line: int, where: str) -> Iterator[Problem]:
        if is_dangerous_url(url):
            scheme = normalise_url(url).split(":", 1)[0]
            yield self._error(
                line,
                "unsafe-url",
                f"{where} uses a '{scheme}:' URL, which is not allowed: "
                "link to an https: page or a file inside the content folder",
            )

    def _link(self, url: str, line: int, where: str) -> Iterator[Problem]:
        """A link's address: never script, a path on one computer, or an address that is not a web page."""
        if is_dangerous_url(url):
            yield from self._url(url, line, where)
        elif is_windows_path(url):
            yield windows_path(self.path, line, where, url)
        elif scheme := foreign_scheme(url):
            yield error(self.path, line, "link-scheme", f"{where} {_excerpt(unquote(url))} is a '{scheme}:' address, "
                        "which the site shows as plain text and a reader's browser would not open",
                        "link to a web page (https://...), an email address (mailto:...), a page by its id, or "
                        "a file in the content folder with {download}`the form <files/form.docx>`; write a phone "
                        "number as text")

    def _image(self, url: str, line: int, where: str = "image") -> Iterator[Problem]:
        if is_windows_path(url):
            return   # a file the page names: the path check (toolkit.checks.page_lints) says so
        if is_dangerous_url(url):
            yield from self._url(url, line, where)
        elif is_remote_url(url):
            yield self._error(
                line,
                "remote-image",
                f"{where} {_excerpt(url)} is on another host, which is not allowed "
                "(it can track readers): save the image inside the content folder",
            )

    def _role(self, name: str, content: str, line: int) -> Iterator[Problem]:
        problem = role_problem(name, content)
        if problem:
            yield self._error(line, "unsafe-role", problem)
            return
        icon = content.split(";")[0].strip()
        if name.strip().lower() == "octicon" and icon not in octicon_names():
            close = did_you_mean(icon, sorted(octicon_names()))
            yield error(self.path, line, "unknown-icon", f"{{{name}}} has no icon '{icon}'"
                        + (f" ({close})" if close else ""), "use a name from the Octicons set "
                        "(https://primer.style/octicons), e.g. {octicon}`check`")
        if name.strip().lower() in _ATTRIBUTE_ROLES and carries_script(content):
            yield self._script_in_attribute(line, f"the {{{name}}} role")
        target = re.search(r"<([^<>]*)>\s*$", content)
        address = target.group(1) if target else content
        if name.strip().lower().startswith("bdg-link"):
            yield from self._link(address, line, f"the {{{name}}} role")
        else:
            yield from self._url(address, line, f"the {{{name}}} role")

    def _fence(self, token: Token, line: int, depth: int) -> Iterator[Problem]:
        info = (token.info or "").strip()
        match = re.match(r"^\{([^}]*)\}\s*(.*)$", info)
        if not match:
            return  # a code block: shown as text
        name, argument = match.group(1).strip().lower(), match.group(2)
        label = "{" + match.group(1).strip() + "}"
        problem = directive_problem(match.group(1))
        if problem:
            code = "unsafe-meta-refresh" if name == "meta" else "unsafe-directive"
            yield self._error(line, code, problem)
            return
        options, body, body_offset, too_much = split_directive(token.content)
        for problem in too_much:   # YAML options past the limits (toolkit/core/limits.py)
            yield self._error(line + 1 + problem.line, problem.code, problem.message)
        if name == "duty" and not argument.strip():
            yield self._error(line, "duty-no-source", "a {duty} block must name its source after the "
                              "directive, e.g. ```{duty} Care Act 2014, section 42")
        yield from self._directive_parts(name, label, argument, options, line)
        if name == "csv-table":
            yield from self._csv_cells(body, line + 1 + body_offset, depth)
        elif not is_literal(name):
            if argument.strip():
                yield from self.scan(argument, line, depth)
            yield from self.scan(body, line + 1 + body_offset, depth)

    def _csv_cells(self, body: str, first_line: int, depth: int) -> Iterator[Problem]:
        """Each cell of a csv-table is Markdown in the built page, so it is checked as a page is."""
        try:
            rows = list(csv.reader(body.split("\n"), skipinitialspace=True))
        except csv.Error:
            return   # docutils reports a table it cannot read
        for offset, row in enumerate(rows):
            for cell in row:
                yield from self.scan(cell, first_line + offset, depth)

    def _directive_parts(
        self, name: str, label: str, argument: str, options: list[tuple[str, str, int]], line: int
    ) -> Iterator[Problem]:
        kinds = {key.strip().lower(): value.strip().lower() for key, value, _ in options}
        if name in ("image", "figure"):
            yield from self._image(argument.strip(), line, f"{label} image")
        elif name == "button-link":
            yield from self._link(argument.strip(), line, f"{label} target")
        else:
            yield from self._url(argument.strip(), line, f"{label} target")
        for option, value, offset in options:
            at = line + 1 + offset
            key = option.strip().lower()
            if key.startswith("on"):
                yield self._error(
                    at, "unsafe-attribute", f"option ':{option}:' of {label} is not allowed: remove it"
                )
            elif name == "csv-table" and key in ("file", "url"):
                yield self._error(
                    at,
                    "unsafe-directive",
                    f"{label} with :{option}: is not allowed: put the rows in the directive body",
                )
            elif "http-equiv" in key:
                yield self._error(at, "unsafe-meta-refresh", f"{label} http-equiv is not allowed: remove it")
            elif key in IMAGE_OPTIONS:
                yield from self._image(value.strip(), at, f"option :{option}: of {label}")
            elif (key == "link" and kinds.get("link-type", "url") == "url") or (
                    key == "target" and name in ("image", "figure")):
                yield from self._link(value.strip(), at, f"option :{option}: of {label}")
            else:
                yield from self._url(value.strip(), at, f"option :{option}: of {label}")
                if not is_literal(name):
                    yield from self.scan(value, at)


def windows_path(path: str, line: int, where: str, written: str) -> Problem:
    """A path copied from Windows Explorer, in a link or as a file a page names (shared with the path check)."""
    return error(path, line, "windows-path", f"{where} {_excerpt(unquote(written))} is a path on one computer "
                 "or network drive (a drive letter or \\), which readers cannot open",
                 "copy the file into the content folder and write its path with /, relative to the page, "
                 "e.g. images/family.png")


def split_directive(content: str) -> tuple[list[tuple[str, str, int]], str, int, list[Problem]]:
    """Split a directive's content into options (name, value, line offset) and body.

    Follows MyST: a leading `---` YAML block, or leading `:name: value` lines.
    Returns the body, the number of lines before it, and any YAML limit the options break.
    """
    lines = content.split("\n")
    options: list[tuple[str, str, int]] = []
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            data, found = load_yaml("\n".join(lines[1:end]), "")   # Sphinx reports syntax errors itself
            too_much = [problem for problem in found if problem.code in LIMIT_CODES]
            for key, value in (data if isinstance(data, dict) else {}).items():
                offset = next((i for i in range(1, end) if lines[i].lstrip().startswith(f"{key}")), 0)
                options.append((str(key), "" if value is None else str(value), offset))
            return options, "\n".join(lines[end + 1 :]), end + 1, too_much
    count = 0
    for count, text in enumerate(lines):  # noqa: B007
        option = _OPTION.match(text.strip()) if text.startswith(":") else None
        if not option:
            break
        options.append((option.group(1), option.group(2) or "", count))
    else:
        count = len(lines)
    return options, "\n".join(lines[count:]), count, []


def _excerpt(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return f"'{flat[:limit]}…'" if len(flat) > limit else f"'{flat}'"
