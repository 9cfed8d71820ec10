"""The site's own search vocabulary, gathered at build time for "Did you mean": every word of
the published pages, their titles and summaries, the glossary and the framework statements,
most frequent first. The search page corrects a word it does not know ("geneogram",
"supervison") to the nearest of these, and splits a run-together word ("ecomap") into the
hyphenated word the pages use, so a slip of the keyboard still finds the page.

About 3,700 words for the shipped site (31 KB, 13 KB gzipped), on the search page only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from builder.sitedata import SiteData
from toolkit.textfiles import read_text, split_front_matter

# Words as Pagefind splits them, keeping the hyphenated whole so its run-together form is known.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Markup that is not prose: fence lines (directive names, file paths), roles, code and addresses.
_MARKUP = re.compile(r"^\s*(?:`{3,}|:{3,}).*$|\{[\w-]+\}`[^`]*`|`[^`]*`|\w+://\S+", re.M)
SHORTEST = 4        # shorter words are never corrected, so they need not be listed
MOST_WORDS = 8000   # a large site's rarest words are left out, keeping the page light


def _texts(site: SiteData) -> Iterator[str]:
    for page in site.listed():
        yield page["title"]
        yield page["summary"]
        source, _ = read_text(Path(page["source"]), page["shown"])
        split, _ = split_front_matter(source or "", page["shown"])
        if split:
            yield _MARKUP.sub(" ", split.body)
    for term in site.glossary:
        yield " ".join([term["term"], term["definition"], *term["aliases"]])
    for statement_set in site.sets.values():
        yield statement_set["title"]
        for statement in statement_set["statements"]:
            yield f"{statement['title']} {statement['summary']}"


def search_vocabulary(site: SiteData) -> tuple[list[str], dict[str, str]]:
    """(words most frequent first, {run-together form: words as the pages write them})."""
    counts: Counter[str] = Counter()
    joined: dict[str, str] = {}
    for text in _texts(site):
        for token in _WORD.findall(text.lower()):
            parts = re.split(r"[-'’]", token)
            counts.update(part for part in parts if len(part) >= SHORTEST)
            if 1 < len(parts) <= 3 and "-" in token:
                joined.setdefault("".join(parts), " ".join(parts))
    words = [word for word, _ in counts.most_common(MOST_WORDS)]
    return words, {run: parts for run, parts in joined.items() if run not in counts}
