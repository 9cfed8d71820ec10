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
from functools import lru_cache
from pathlib import Path

from builder.sitedata import SiteData
from toolkit.core.file_versions import PerFileVersion
from toolkit.core.textfiles import read_text, split_front_matter

# Words as Pagefind splits them, keeping the hyphenated whole so its run-together form is known.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")
_JOINS = re.compile(r"[-'’]")
# Markup that is not prose: fence lines (directive names, file paths), roles, code and addresses.
_MARKUP = re.compile(r"^\s*(?:`{3,}|:{3,}).*$|\{[\w-]+\}`[^`]*`|`[^`]*`|\w+://\S+", re.M)
SHORTEST = 4        # shorter words are never corrected, so they need not be listed
MOST_WORDS = 8000   # a large site's rarest words are left out, keeping the page light


Words = tuple[Counter[str], dict[str, str]]
# Each page body's words by source file, kept while its size and time stay the same: the search
# page is read again on every build, and in the preview's warm Sphinx (builder/warm.py) counting
# every body again was most of a one-page rebuild (3 s of 4 at 1,000 pages).
_BODY_WORDS: PerFileVersion[str, Words] = PerFileVersion()


def _words(text: str) -> Words:
    """(word counts, {run-together form: words as written}), in the order the words come. A
    word's parts are the runs of letters, each in exactly one word, so they are counted from the
    text in one pass (per word, this was 4.5 s of the first save's 5.4 s, under cProfile, at 1,000
    pages); only the hyphenated words are split."""
    lowered = text.lower()
    every = Counter(_LETTERS.findall(lowered))
    counts = Counter({part: count for part, count in every.items() if len(part) >= SHORTEST})
    joined: dict[str, str] = {}
    for token in _WORD.findall(lowered):
        if "-" in token and len(parts := _JOINS.split(token)) <= 3:
            joined.setdefault("".join(parts), " ".join(parts))
    return counts, joined


def _body_words(page: dict) -> Words:
    path = Path(page["source"])

    def words() -> Words:
        source, _ = read_text(path, page["shown"])
        split, _ = split_front_matter(source or "", page["shown"])
        return _words(_MARKUP.sub(" ", split.body) if split else "")
    return _BODY_WORDS.get(path, page["source"], words)


@lru_cache(maxsize=1 << 16)
def _short_words(text: str) -> Words:
    """`_words` of a title, summary, glossary entry or statement, the same object while the text is."""
    return _words(text)


def _site_words(site: SiteData) -> Iterator[Words]:
    for page in site.listed():
        yield _short_words(page["title"])
        yield _short_words(page["summary"])
        yield _body_words(page)
    for term in site.glossary:
        yield _short_words(" ".join([term["term"], term["definition"], *term["aliases"]]))
    for statement_set in site.sets.values():
        yield _short_words(statement_set["title"])
        for statement in statement_set["statements"]:
            yield _short_words(f"{statement['title']} {statement['summary']}")


class _Totals:
    """The site's word counts, patched with only the parts that changed since the last build: the
    search page is read on every build, and merging every page's counts again was the largest part
    of the search page's cost in a one-page preview rebuild (1 s under cProfile at 1,000 pages)."""

    def __init__(self) -> None:
        self.parts: list[Words] = []
        self.counts: Counter[str] = Counter()

    def update(self, parts: list[Words]) -> Counter[str]:
        if len(parts) != len(self.parts):
            self.counts = Counter()
            for counts, _ in parts:
                self.counts.update(counts)
        else:
            for (new, _), (old, _) in zip(parts, self.parts, strict=True):
                if new is not old:
                    self.counts.subtract(old)
                    self.counts.update(new)
            self.counts = +self.counts   # words no page has any more are dropped
        self.parts = parts
        return self.counts


_TOTALS = _Totals()


def search_vocabulary(site: SiteData) -> tuple[list[str], dict[str, str]]:
    """(words most frequent first, alphabetical among equals; {run-together form: words as the
    pages write them})."""
    parts = list(_site_words(site))
    counts = _TOTALS.update(parts)
    joined: dict[str, str] = {}
    for _, text_joined in parts:
        for run, words in text_joined.items():
            joined.setdefault(run, words)
    words = sorted(counts, key=lambda word: (-counts[word], word))[:MOST_WORDS]
    return words, {run: written for run, written in joined.items() if run not in counts}
