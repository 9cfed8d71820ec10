"""One parse and one walk of a page body, shared by every lint that reads its markup.

Each body is parsed once (`parse`, with MyST's own markdown-it configuration) and walked once
(`feed`): every lint (the markup allow-list, plain English, alt text, the targets the cross-page
checks look up) is a `BodyLint` that sees each `Step` of the one walk in turn. Code fences,
indented code and inline code are tokens of their own and the walk never parses their text, so
markup shown as an example in them (a `{doc}` link, a genogram directive) is never taken for the
real thing, by construction. Line numbers are the author's own: `token.map` gives a block's line
and each soft or hard break inside a paragraph adds one. Where MyST reads text as Markdown again,
the walk does too, on the text's own lines: a directive's argument and body (`part` "text"), its
option values ("option") and a csv-table's cells ("cell"). It stops a text nested more than
MAX_MARKDOWN_DEPTH deep (a `too_deep` token), so hostile nesting never exhausts the stack.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple, Protocol

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from toolkit.core.limits import LIMIT_CODES, MAX_MARKDOWN_DEPTH
from toolkit.core.problems import Problem
from toolkit.core.yamlio import load_yaml
from toolkit.diagrams import DIRECTIVE_KINDS

# The MyST syntax extensions the site is built with (builder/config.py takes them from here), so
# the lints read a page exactly as the build will: an extension only the lints knew would hide
# text from them that the build shows as a link (and parsing with four more cost twice the time).
# `substitution` (unsandboxed Jinja) is never among them.
MYST_EXTENSIONS = ("colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block", "strikethrough", "tasklist",
                   "smartquotes")
# Directives whose body is code or data, not Markdown: shown as text, never parsed.
LITERAL_DIRECTIVES = frozenset(
    {
        "code", "code-block", "sourcecode", "code-cell", "math", "highlight", "csv-table",
        "literalinclude", "raw", "eval-rst", "eval_rst", "mermaid", "graphviz", "ecomap",
        "toctree",   # entries, one a line ("Title <id>" is not HTML): checked in toolkit.checks.page_lints
    }
)  # fmt: skip   the registered diagram directives too (is_literal)
#: sphinx-design options that name an image.
IMAGE_OPTIONS = frozenset({"img-top", "img-bottom", "img-background"})
_OPTION = re.compile(r"^:([^:\s][^:]*):(?:\s+(.*))?$")
_DIRECTIVE_INFO = re.compile(r"^\{([^}]*)\}\s*(.*)$")
_TARGET = re.compile(r"<([^<>]*)>\s*$")   # {doc}`Title <target>`


def is_literal(name: str) -> bool:
    """True for a directive whose body is code or data (a diagram's YAML), never Markdown."""
    return name in LITERAL_DIRECTIVES or name in DIRECTIVE_KINDS


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
    """Tokens and environment of a body or a directive's body, parsed once (parsing is most of
    what `toolkit check` does). Callers must not change the tokens."""
    env: dict = {}
    return _parser().parse(text, env), env


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


@dataclass(frozen=True, slots=True)
class Directive:
    """A directive as MyST reads it: its name as written (`written`), options (name, value, file
    line), a body starting on `body_line`, and its options' YAML past the limits (file lines)."""

    name: str
    argument: str
    options: tuple[tuple[str, str, int], ...]
    body: str
    body_line: int
    written: str = ""
    too_much: tuple[Problem, ...] = ()


_FENCES = frozenset({"fence", "colon_fence"})


def directive_of(token: Token, line: int) -> Directive | None:
    """The directive a fence token opens on file line `line`, or None for a code block."""
    if token.type not in _FENCES:
        return None
    match = _DIRECTIVE_INFO.match((token.info or "").strip())
    if not match:
        return None
    options, body, offset, too_much = split_directive(token.content)
    return Directive(match.group(1).strip().lower(), match.group(2).strip(),
                     tuple((name, value, line + 1 + at) for name, value, at in options), body, line + 1 + offset,
                     match.group(1).strip(),
                     tuple(replace(problem, line=line + 1 + problem.line) for problem in too_much))


class Step(NamedTuple):   # a tuple: made for every token of every page, so it must be cheap to make
    """One token of the walk on its file line: `within` names the directives it is inside (outermost
    first), `part` says what of a directive it was read from ("text": the page, a directive's argument
    or body; "option": an option's value; "cell": a csv-table's cell), and `directive` is what a fence
    opens (None for anything else)."""

    token: Token
    line: int
    within: tuple[str, ...] = ()
    part: str = "text"
    directive: Directive | None = None


class BodyLint(Protocol):
    """A lint of a page body: it sees every step of the one walk, in order."""

    def see(self, step: Step) -> None: ...


def feed(text: str, first_line: int, *lints: BodyLint) -> None:
    """Walk `text` (its first line is file line `first_line`) once, showing each step to every lint."""
    sees = [lint.see for lint in lints]
    for step in walk(text, first_line):
        for see in sees:
            see(step)


def walk(text: str, first_line: int, depth: int = 0, within: tuple[str, ...] = (),
         part: str = "text") -> Iterator[Step]:
    """Every token of `text` with its file line, inline children and the Markdown inside directives
    included; a link definition as a `link_definition` token (its `href`), first."""
    tokens, env = parse(text)
    for label, ref in env.get("references", {}).items():
        yield Step(Token("link_definition", "", 0, attrs={"href": ref.get("href", "")}, meta={"label": label}),
                   first_line + ref.get("map", [0])[0], within, part)
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        level = depth + token.level
        if level > MAX_MARKDOWN_DEPTH:
            yield Step(Token("too_deep", "", 0), line, within, part)
            return
        directive = directive_of(token, line) if token.type in _FENCES else None
        yield Step(token, line, within, part, directive)
        if token.type == "inline":
            for child in token.children or []:
                yield Step(child, line, within, part)
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
        elif directive is not None:
            yield from _inside(directive, line, level + 1, (*within, directive.name))


def _inside(directive: Directive, line: int, depth: int, within: tuple[str, ...]) -> Iterator[Step]:
    """What MyST reads as Markdown in a directive: its option values, argument and body (a csv-table's
    cells instead: each cell is Markdown in the built page)."""
    if directive.name == "csv-table":
        try:
            rows = list(csv.reader(directive.body.split("\n"), skipinitialspace=True))
        except csv.Error:
            return   # docutils reports a table it cannot read
        for offset, row in enumerate(rows):
            for cell in row:
                yield from walk(cell, directive.body_line + offset, depth, within, "cell")
        return
    if is_literal(directive.name):
        return
    for _, value, at in directive.options:
        yield from walk(value, at, depth, within, "option")
    if directive.argument:   # an admonition's or card's title
        yield from walk(directive.argument, line, depth, within)
    yield from walk(directive.body, directive.body_line, depth, within)


@dataclass(frozen=True, slots=True)
class Mention:
    """Something a page body points to, checked against the site: a role's target (`doc`,
    `download`, `statement`, `ref`, `site`, `term`), a Markdown `link`, an `image`, a `label` it
    defines, a page or label named by a linking directive (`doc`, `ref`, or `any` of the two, with the
    directive's name) or a `toctree` entry, or a `directive` (its argument in `target`, with its body)
    whose data the diagram and calculator checks read."""

    kind: str
    target: str
    line: int
    name: str = ""        # a directive's name
    body: str = ""        # a directive's body
    body_line: int = 0


_ROLE_MENTIONS = {"doc": "doc", "download": "download", "statement": "statement", "ref": "ref",
                  "numref": "ref", "site": "site", "term": "term"}
_BADGE_REF = re.compile(r"bdg-ref(?:-[a-z]+(?:-line)?)?")   # sphinx-design's badge linking a label
# A Markdown link to a place on this site: no scheme, not an anchor on the page itself.
_SITE_LINK = re.compile(r"(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//)\S")
# sphinx-design directives that link by id: the option naming the target (None: the argument), the
# option saying what kind of target it is, and its default.
LINKING_DIRECTIVES = {"button-ref": (None, "ref-type", "any"), "card": ("link", "link-type", "url"),
                      "grid-item-card": ("link", "link-type", "url")}
_TOCTREE_ENTRY = re.compile(r"(?:.*<(?P<target>[^<>]+)>|(?P<plain>\S+))")


class MentionFinder:
    """The targets a body's markup names, on their lines: what the cross-page checks look up; the
    directives in `data_directives` (diagrams) with their data."""

    def __init__(self, data_directives: Collection[str]) -> None:
        self.data_directives = data_directives
        self.found: list[Mention] = []

    def see(self, step: Step) -> None:
        if step.part != "text":
            return
        token, line = step.token, step.line
        if token.type == "myst_role":
            role = token.meta.get("name", "")
            if role in _ROLE_MENTIONS or _BADGE_REF.fullmatch(role):
                target = _TARGET.search(token.content)
                self.found.append(Mention(_ROLE_MENTIONS.get(role, "ref"), (target.group(1) if target
                                          else token.content).strip(), line, f"{{{role}}} link"))
        elif token.type == "link_open" and _SITE_LINK.match(href := str(token.attrs.get("href", ""))):
            self.found.append(Mention("link", href, line))
        elif token.type == "image":
            self.found.append(Mention("image", str(token.attrs.get("src", "")), line))
        elif token.type == "myst_target":
            self.found.append(Mention("label", token.content.strip(), line))
        elif step.directive is not None:
            self.found += _directive_mentions(step.directive, line, self.data_directives)


def _directive_mentions(directive: Directive, line: int, data_directives: Collection[str]) -> list[Mention]:
    found = [Mention("image", value.strip(), at) for name, value, at in directive.options
             if name.strip().lower() in IMAGE_OPTIONS and value.strip()]
    if directive.name in ("image", "figure") and directive.argument:
        found.append(Mention("image", directive.argument.split()[0], line))
    elif directive.name == "statement-mentions" and directive.argument:
        found.append(Mention("statement", directive.argument.split()[0], line))
    found += _linking_mentions(directive, line)
    if directive.name in data_directives:
        found.append(Mention("directive", directive.argument, line, directive.name, directive.body,
                             directive.body_line))
    return found


def _linking_mentions(directive: Directive, line: int) -> list[Mention]:
    """The pages and labels a linking directive (button, card) or a toctree names."""
    options = {name.strip().lower(): (value.strip(), at) for name, value, at in directive.options}
    if directive.name == "toctree":
        if "glob" in options:
            return []
        entries = ((_TOCTREE_ENTRY.fullmatch(text.strip()), at)
                   for at, text in enumerate(directive.body.split("\n"), directive.body_line))
        return [Mention("toctree", (entry["target"] or entry["plain"]).strip(), at, "toctree entry")
                for entry, at in entries if entry]
    if directive.name not in LINKING_DIRECTIVES:
        return []
    target_option, type_option, default = LINKING_DIRECTIVES[directive.name]
    target, at = options.get(target_option, ("", line)) if target_option else (directive.argument, line)
    kind = options.get(type_option, (default, line))[0].lower()
    if not target or kind not in ("doc", "ref", "any"):
        return []
    return [Mention(kind, target, at, f"{{{directive.name}}} link")]
