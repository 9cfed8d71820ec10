"""One walk over the MyST parse of a page body, for every lint that reads its markup.

Code fences, indented code and inline code are tokens of their own, so markup shown as an example
in them (a `{doc}` link, a genogram directive) is never taken for the real thing. Line numbers
are the author's own: `token.map` gives a block's line and each soft or hard break inside a
paragraph adds one. A directive whose body is Markdown is parsed again and walked too.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from toolkit.checks.markup import IMAGE_OPTIONS, is_literal, parse, split_directive
from toolkit.core.limits import MAX_MARKDOWN_DEPTH

_DIRECTIVE_INFO = re.compile(r"^\{([^}]*)\}\s*(.*)$")
_TARGET = re.compile(r"<([^<>]*)>\s*$")   # {doc}`Title <target>`


@dataclass(frozen=True, slots=True)
class Directive:
    """A directive as MyST reads it: options (name, value, file line) and a body starting on `body_line`."""

    name: str
    argument: str
    options: tuple[tuple[str, str, int], ...]
    body: str
    body_line: int


def directive_of(token: Token, line: int) -> Directive | None:
    """The directive a fence token opens on file line `line`, or None for a code block."""
    if token.type not in ("fence", "colon_fence"):
        return None
    match = _DIRECTIVE_INFO.match((token.info or "").strip())
    if not match:
        return None
    options, body, offset, _ = split_directive(token.content)
    return Directive(match.group(1).strip().lower(), match.group(2).strip(),
                     tuple((name, value, line + 1 + at) for name, value, at in options), body, line + 1 + offset)


def walk(text: str, first_line: int, depth: int = 0) -> Iterator[tuple[Token, int]]:
    """Every token of `text` with its file line (`first_line` is the line of its first line),
    inline children and the Markdown inside directives included, down to MAX_MARKDOWN_DEPTH
    directives (the markup lint refuses deeper ones; each level is parsed again, so an unbounded
    walk of 10,000 unclosed fences took as long as 10,000 pages)."""
    if depth > MAX_MARKDOWN_DEPTH:
        return
    for token in parse(text)[0]:
        line = first_line + (token.map[0] if token.map else 0)
        yield token, line
        if token.type == "inline":
            for child in token.children or []:
                yield child, line
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
        directive = directive_of(token, line)
        if directive is not None and not is_literal(directive.name):
            if directive.argument:   # an admonition's or card's title
                yield from walk(directive.argument, line, depth + 1)
            yield from walk(directive.body, directive.body_line, depth + 1)


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


def mentions(body: str, first_line: int, data_directives: Collection[str]) -> list[Mention]:
    """Every target the body's markup names, on its line: what the cross-page checks look up;
    the directives in `data_directives` (diagrams) with their data."""
    found: list[Mention] = []
    for token, line in walk(body, first_line):
        role = token.meta.get("name", "") if token.type == "myst_role" else ""
        if role in _ROLE_MENTIONS or _BADGE_REF.fullmatch(role):
            target = _TARGET.search(token.content)
            found.append(Mention(_ROLE_MENTIONS.get(role, "ref"),
                                 (target.group(1) if target else token.content).strip(), line, f"{{{role}}} link"))
        elif token.type == "link_open" and _SITE_LINK.match(href := str(token.attrs.get("href", ""))):
            found.append(Mention("link", href, line))
        elif token.type == "image":
            found.append(Mention("image", str(token.attrs.get("src", "")), line))
        elif token.type == "myst_target":
            found.append(Mention("label", token.content.strip(), line))
        elif (directive := directive_of(token, line)) is not None:
            found += _directive_mentions(directive, line, data_directives)
    return found


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
