"""Plain English: warn when a page reads well above the plain-English target.

Social workers read the toolkit between visits, often on a phone; public-sector content
should be readable by most adults. The page's prose (paragraphs, headings, list items,
admonitions; not code, tables, diagram data, directive options, roles' targets or URLs)
is scored with two published formulas:

- Flesch reading ease = 206.835 - 1.015 x words/sentence - 84.6 x syllables/word (Flesch 1948)
- Flesch-Kincaid grade = 0.39 x words/sentence + 11.8 x syllables/word - 15.59 (Kincaid 1975)

Syllables come from Pyphen's English hyphenation dictionary (shipped in its wheel), the
same count `textstat` falls back to; `textstat` itself now downloads a pronouncing
dictionary at run time, which a council build machine without internet cannot do. The prose is
what `ProseReader` collects from the one walk of the body (toolkit/checks/tokens.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen
from markdown_it.token import Token

from toolkit.checks.tokens import Step, feed
from toolkit.core.problems import Problem, warning

MAX_GRADE = 14.0  # Flesch-Kincaid grade: about the first year of a degree
MIN_EASE = 30.0  # Flesch reading ease: below 30 is "very difficult" (graduate text)
MIN_WORDS = 100  # shorter pages give unstable scores and are not checked
_LONGEST_WORD = 45  # letters: pneumonoultramicroscopicsilicovolcanoconiosis
HINT = "use shorter sentences and everyday words; split sentences of more than 25 words"

# Directives with no prose to score (besides the code and data ones the markup lint knows).
_NO_PROSE = frozenset({"image", "figure", "toctree", "list-table", "table", "site-contacts",
                       "statement-mentions", "search-box", "include", "page-list", "coverage-table"})
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
# Matched from the start of a word only: `\S+@` tried at every character of a long run without
# spaces is quadratic (40 KB of "a." took 17 s).
_URL = re.compile(r"(?<!\S)(?:(?:https?://|www\.)\S+|[^\s@]+@\S+\.\S+)")
_ROLE_TITLE = re.compile(r"^(.*?)\s*<[^<>]*>\s*$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def ease(self) -> float:
        return 206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words


@lru_cache(maxsize=1)
def hyphenation_dictionary() -> pyphen.Pyphen:
    """Pyphen's English dictionary, loaded once per process (50 ms)."""
    return pyphen.Pyphen(lang="en_GB")


@lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    """Pyphen's count; of a "word" longer than any English one, of its first letters only (Pyphen
    takes 37 us a letter: a page of one 1,000,000-letter run took 37 s)."""
    return len(hyphenation_dictionary().positions(word[:_LONGEST_WORD].lower())) + 1


class ProseReader:
    """A consumer of the one walk: the text a reader reads, one string per block (a block always
    ends a sentence); not tables, directive options, csv cells or directives with no prose."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._in_table = 0

    def see(self, step: Step) -> None:
        token = step.token
        if step.part != "text" or step.within and not _NO_PROSE.isdisjoint(step.within):
            return
        if token.type == "table_open":
            self._in_table += 1
        elif token.type == "table_close":
            self._in_table -= 1
        elif token.type == "inline" and not self._in_table:
            block = _inline_text(token.children or [])
            if block.strip():
                self.blocks.append(block)

    def score(self) -> Readability:
        """Words, sentences and syllables of the prose seen."""
        words = sentences = total = 0
        for block in self.blocks:
            found = _WORD.findall(block)
            if not found:
                continue
            words += len(found)
            total += sum(syllables(w) for w in found)
            stripped = block.rstrip()
            sentences += len(_SENTENCE_END.findall(stripped)) + (0 if _SENTENCE_END.search(stripped[-1:]) else 1)
        return Readability(words, max(sentences, 1), total)


def _inline_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "myst_role":  # {doc}`Title <target>` reads as its title
            title = _ROLE_TITLE.match(child.content)
            parts.append(title.group(1) if title else "")
    return _URL.sub("", "".join(parts))


def measure(body: str) -> Readability:
    """Words, sentences and syllables of a page body's prose."""
    reader = ProseReader()
    feed(body, 1, reader)
    return reader.score()


def hard_reading(score: Readability, path: str, first_line: int) -> list[Problem]:
    """One `plain-english` warning when the page's prose is well above the target."""
    if score.words < MIN_WORDS or (score.grade <= MAX_GRADE and score.ease >= MIN_EASE):
        return []
    return [warning(path, first_line, "plain-english",
                    f"this page is hard to read: Flesch-Kincaid grade {score.grade:.1f} (aim for "
                    f"{MAX_GRADE:.0f} or lower), Flesch reading ease {score.ease:.0f} (aim for "
                    f"{MIN_EASE:.0f} or higher), {score.words / score.sentences:.0f} words a sentence",
                    HINT)]


def find_hard_reading(body: str, path: str, first_line: int) -> list[Problem]:
    """`hard_reading` of a body on a walk of its own."""
    return hard_reading(measure(body), path, first_line)
