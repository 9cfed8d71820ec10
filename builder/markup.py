"""Small MyST writers for generated pages: links and cards with the author's text escaped."""

from __future__ import annotations

import json
import re
from functools import lru_cache

# Every ASCII punctuation character CommonMark lets a backslash escape that could start markup,
# `&` among them (else `&amp;` or `&#64;` written in a title would be read as an entity).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~$&])")


def text(value: str) -> str:
    """Author text shown as itself in Markdown, not as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def doc(title: str, docname: str) -> str:
    """A `{doc}` link; docnames are absolute ('/statements/KSS-PS-7') so depth never matters.

    A role's text is not Markdown, so it is shown as written, `&` and backslashes included; only
    a backtick, which would end the role, is replaced. Sphinx takes a title's first `<` as the start
    of the target, and a backslash cannot stop it there, so a title with one is a Markdown link to
    the staged page instead, its text escaped as all author text is."""
    if "<" in title:
        return f"[{text(title)}](project:/{docname}.md)"
    shown = " ".join(title.replace("`", "'").split())
    return f"{{doc}}`{shown} </{docname}>`"


def cards(items: list[tuple[str, str, str]], columns: str = "1 1 2 2") -> str:
    """A sphinx-design grid of linked cards: (title, docname, summary)."""
    if not items:
        return "There are no pages here yet.\n"
    lines = [f"::::{{grid}} {columns}", ":gutter: 2", ""]
    for title, docname, summary in items:
        lines += [f":::{{grid-item-card}} {text(title)}", f":link: /{docname}", ":link-type: doc", "",
                  text(summary), ":::", ""]
    return "\n".join(lines + ["::::", ""])


_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _directive(directive: str, lines: list[str]) -> str:
    return f"```{{{directive}}}\n" + "".join(lines) + "```\n"


def json_lines(directive: str, rows: list[list]) -> str:
    """A directive whose body is one JSON array per line (see builder.listings)."""
    return _directive(directive, [_JSON(row) + "\n" for row in rows])


@lru_cache(maxsize=1 << 16)
def _page_line(page_id: str, title: str, summary: str) -> str:
    return _JSON([page_id, title, summary]) + "\n"


def page_list(pages: list[dict]) -> str:
    """Pages as a definition list (linked title, then summary): quick to scan, to build and to
    download on a slow laptop. A page is in many listings (its sections, topics, audiences and
    statements), so its line is made once (at 5,000 pages, 44,000 lines from 5,000 pages)."""
    return _directive("page-list", [_page_line(p["id"], p["title"], p["summary"]) for p in pages])
