"""Refuse MyST markup that could put script, tracking or local files into a page.

Pages are written by semi-trusted authors and read on council networks, so a page must
never carry script (raw HTML, `javascript:` links, event-handler attributes), pull in
files from the build machine (`include`, `literalinclude`, `csv-table :file:`), call home
(images from other hosts) or redirect the reader (`<meta>` refresh). This scan runs in
`toolkit check`, before Sphinx, and names file and line with the fix; `builder.safety`
removes whatever slips past it from the document tree (defence in depth).

It is a consumer of the one walk of each body (toolkit/checks/tokens.py): line numbers come from
`token.map`, and directive bodies, arguments, option values and csv-table cells are read as
Markdown there, so cards inside grids inside admonitions are checked too, and markup shown in
code is never checked.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from toolkit.checks.tokens import IMAGE_OPTIONS, Directive, Step, feed
from toolkit.content.fields import did_you_mean
from toolkit.content.urls import foreign_scheme, is_dangerous_url, is_remote_url, is_windows_path, normalise_url
from toolkit.core.limits import markdown_too_deep
from toolkit.core.problems import Problem, error
from toolkit.diagrams import DIRECTIVE_KINDS

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


_REFUSED_DIRECTIVES = {
    "raw": "write Markdown, or use MyST's {kbd} / {abbr} roles (HTML is not allowed)",
    "eval-rst": "reStructuredText blocks are not allowed; write MyST Markdown instead",
    "eval_rst": "reStructuredText blocks are not allowed; write MyST Markdown instead",
    "include": "including other files is not allowed; put the text in the page or link to it",
    "literalinclude": "including files is not allowed; paste the text into a code block",
    "role": "defining roles is not allowed; use MyST's built-in roles",
    "meta": "<meta> tags and redirects are not allowed: link to the page instead",
}
_HTML_FIX = "HTML is not allowed: use MyST's {kbd} / {abbr} roles or Markdown instead"


def find_unsafe_markup(body: str, path: str, first_line: int) -> list[Problem]:
    """Return one error per unsafe construct in a MyST page body.

    `first_line` is the file line of the body's first line (front matter removed).
    """
    lint = MarkupLint(path)
    feed(body, first_line, lint)
    return sorted(lint.problems)


#: The tokens `_token` reads (besides text, and the directives a fence opens).
_MARKUP_TOKENS = frozenset({"link_definition", "html_block", "html_inline", "link_open", "image", "myst_role"})


@lru_cache(maxsize=256)
def _refused(name: str) -> bool:
    return directive_problem(name) is not None


class MarkupLint:
    """The markup allow-list, as a consumer of the one walk: what a refused directive holds is not
    read (it is never published), so only the directive itself is reported."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def see(self, step: Step) -> None:
        if step.within and any(_refused(name) for name in step.within):
            return
        token, line = step.token, step.line
        if token.type == "too_deep":
            self.problems.append(markdown_too_deep(self.path, line))
            return
        if token.attrs or token.meta:
            self.problems += self._attributes(token, line)
        if token.type == "text":   # the commonest token: only '$$' math matters in it
            if "$$" in token.content:
                self.problems.append(self._error(line, "unsafe-role",
                                                 f"'$$' math is not allowed: {_ROLE_FIXES['math']}"))
        elif token.type in _MARKUP_TOKENS:
            self.problems += self._token(token, line)
        elif step.directive is not None:
            self.problems += self._directive(step.directive, line)

    def _error(self, line: int, code: str, message: str) -> Problem:
        return error(self.path, line, code, message)

    def _token(self, token: Token, line: int) -> Iterator[Problem]:
        if token.type == "link_definition":
            yield from self._link(token.attrs["href"], line, f"link definition [{token.meta['label']}]")
        elif token.type == "html_block":
            yield self._html(token.content, line, "HTML block")
        elif token.type == "html_inline" and not token.content.startswith("</"):
            yield self._html(token.content, line, "inline HTML")
        elif token.type == "link_open":
            yield from self._link(str(token.attrs.get("href", "")), line, "link")
        elif token.type == "image":
            yield from self._image(str(token.attrs.get("src", "")), line)
            if carries_script(token.content):
                yield self._script_in_attribute(line, "the image's description")
        elif token.type == "myst_role":
            yield from self._role(token.meta.get("name", ""), token.content, line)

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

    def _directive(self, directive: Directive, line: int) -> Iterator[Problem]:
        """A directive's own checks; what it holds as Markdown is walked (toolkit/checks/tokens.py)."""
        name, label = directive.name, "{" + directive.written + "}"
        problem = directive_problem(directive.written)
        if problem:
            yield self._error(line, "unsafe-meta-refresh" if name == "meta" else "unsafe-directive", problem)
            return
        for too_much in directive.too_much:   # YAML options past the limits (toolkit/core/limits.py)
            yield self._error(too_much.line, too_much.code, too_much.message)
        if name == "duty" and not directive.argument:
            yield self._error(line, "duty-no-source", "a {duty} block must name its source after the "
                              "directive, e.g. ```{duty} Care Act 2014, section 42")
        kinds = {key.strip().lower(): value.strip().lower() for key, value, _ in directive.options}
        if name in ("image", "figure"):
            yield from self._image(directive.argument, line, f"{label} image")
        elif name == "button-link":
            yield from self._link(directive.argument, line, f"{label} target")
        else:
            yield from self._url(directive.argument, line, f"{label} target")
        for option, value, at in directive.options:
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


def windows_path(path: str, line: int, where: str, written: str) -> Problem:
    """A path copied from Windows Explorer, in a link or as a file a page names (shared with the path check)."""
    return error(path, line, "windows-path", f"{where} {_excerpt(unquote(written))} is a path on one computer "
                 "or network drive (a drive letter or \\), which readers cannot open",
                 "copy the file into the content folder and write its path with /, relative to the page, "
                 "e.g. images/family.png")


def _excerpt(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return f"'{flat[:limit]}…'" if len(flat) > limit else f"'{flat}'"
