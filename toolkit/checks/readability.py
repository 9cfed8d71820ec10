"""Plain English: warn when a page reads well above the plain-English target.

Social workers read the toolkit between visits, often on a phone; public-sector content
should be readable by most adults. The page's prose (paragraphs, headings, list items,
admonitions; not code, tables, diagram data, directive options, roles' targets or URLs)
is scored with two published formulas:

- Flesch reading ease = 206.835 - 1.015 x words/sentence - 84.6 x syllables/word (Flesch 1948)
- Flesch-Kincaid grade = 0.39 x words/sentence + 11.8 x syllables/word - 15.59 (Kincaid 1975)

Syllables come from Pyphen's English hyphenation dictionary (shipped in its wheel), the
same count `textstat` falls back to; `textstat` itself now downloads a pronouncing
dictionary at run time, which a council build machine without internet cannot do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import pyphen
from markdown_it.token import Token

from toolkit.checks.markup import is_literal, parse, split_directive
from toolkit.core.limits import MAX_MARKDOWN_DEPTH
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
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


@lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    """Pyphen's count; of a "word" longer than any English one, of its first letters only (Pyphen
    takes 37 us a letter: a page of one 1,000,000-letter run took 37 s)."""
    return len(_dictionary().positions(word[:_LONGEST_WORD].lower())) + 1


def prose_blocks(body: str) -> list[str]:
    """The text a reader reads, one string per block (a block always ends a sentence)."""
    return [block for block in _blocks(parse(body)[0]) if block.strip()]


def _blocks(tokens: list[Token], depth: int = 0) -> Iterator[str]:
    """`depth`: directives this text is inside; past MAX_MARKDOWN_DEPTH (refused by the markup
    lint) nothing more is read, since each level is parsed again."""
    in_table = 0
    for token in tokens:
        if token.type == "table_open":
            in_table += 1
        elif token.type == "table_close":
            in_table -= 1
        elif token.type == "inline" and not in_table:
            yield _inline_text(token.children or [])
        elif token.type in ("fence", "colon_fence") and depth < MAX_MARKDOWN_DEPTH:
            yield from _directive(token, depth + 1)


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


def _directive(token: Token, depth: int) -> Iterator[str]:
    match = re.match(r"^\{([^}]*)\}\s*(.*)$", (token.info or "").strip())
    if not match or is_literal(name := match.group(1).strip().lower()) or name in _NO_PROSE:
        return  # a code block, or data
    yield match.group(2)  # an admonition's or card's title
    _, body, _, _ = split_directive(token.content)
    yield from _blocks(parse(body)[0], depth)


def measure(body: str) -> Readability:
    """Words, sentences and syllables of a page body's prose."""
    words = sentences = total = 0
    for block in prose_blocks(body):
        found = _WORD.findall(block)
        if not found:
            continue
        words += len(found)
        total += sum(syllables(w) for w in found)
        stripped = block.rstrip()
        sentences += len(_SENTENCE_END.findall(stripped)) + (0 if _SENTENCE_END.search(stripped[-1:]) else 1)
    return Readability(words, max(sentences, 1), total)


def find_hard_reading(body: str, path: str, first_line: int) -> list[Problem]:
    """One `plain-english` warning when the page's prose is well above the target."""
    score = measure(body)
    if score.words < MIN_WORDS or (score.grade <= MAX_GRADE and score.ease >= MIN_EASE):
        return []
    return [warning(path, first_line, "plain-english",
                    f"this page is hard to read: Flesch-Kincaid grade {score.grade:.1f} (aim for "
                    f"{MAX_GRADE:.0f} or lower), Flesch reading ease {score.ease:.0f} (aim for "
                    f"{MIN_EASE:.0f} or higher), {score.words / score.sentences:.0f} words a sentence",
                    HINT)]
