"""Find values in content shaped like real personal data.

Case examples must be fictional (UK GDPR, DPA 2018, ICO anonymisation guidance), but an
author copying from a real case note can paste a real NHS number, postcode or phone
number without noticing. This lint flags anything with the shape of real data, and lets
through the ranges that are documented as fictional (NHS numbers starting 999, the QQ
National Insurance prefix, `.example` domains, Ofcom's drama phone numbers) and any exact
string the site or page allows (the contribute page, "Personal data", tells authors which).

Messages never repeat a whole value: a report or CI log is itself a place personal data
should not end up.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from toolkit.core.problems import Problem

# URLs (and Markdown link targets) are read apart: their digits and "@" are not read as prose, but
# what a query or path carries is (`_scan_line`). mailto: is deliberately not a URL here.
# A scheme is short (RFC 3986 names none over 32 characters): unbounded, every word boundary of
# "a.a.a…" rescanned the rest of the text (40 KB of it took 18 s).
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]{0,31}://|www\.)[^\s<>\"')\]]+")

_NHS = re.compile(r"(?<![\w.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w-]|\.\d)")

# First letter never D F I Q U V; second never D F I O Q U V (so QQ is never matched).
_NI = re.compile(
    r"(?<![A-Za-z0-9-])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2})"
    r"(?: ?([A-D]))?(?![A-Za-z0-9-])"
)
_NI_UNUSED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

# Outward code: A9, A99, AA9, AA99, A9A, AA9A (first letter never Q V X, second never
# I J Z); inward code: 9AA (never C I K M O V). In either case: "sw1a 1aa" is as real.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9-])("
    r"[A-PR-UWYZ](?:\d[A-HJKPSTUW]|\d\d?|[A-HK-Y]\d[ABEHMNPRVWXY]|[A-HK-Y]\d\d?)"
    r"|GIR) ?(\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9-])",
    re.IGNORECASE,
)

_PHONE = re.compile(
    r"(?<![\w+/.-])(\+44[ -]?(?:\(0\)[ -]?)?|\(?0)(\d(?:[ -]?\)?[ -]?\d){8,10})(?![\w-]|\.\d)"
)
_PHONE_PREFIXES = ("01", "02", "03", "07", "08")
# Ofcom's numbers for drama: never allocated to anyone.
_DRAMA_PREFIXES = (
    "01632960",
    "02079460",
    *(f"01{area}4960" for area in ("13", "14", "15", "16", "17", "18", "21", "31", "41", "51", "61")),
    "01914980",
    "02896496",
    "02920180",
    "07700900",
    "08081570",
    "09098790",
    "03069990",
)

_EMAIL = re.compile(
    r"(?<![\w.%+'-])([\w.%+'-]+)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})\b"
)
_EXAMPLE_DOMAINS = ("example", "example.com", "example.org", "example.net")

_HINT = (
    "use a fictional example: {example} — or, if it is fictional or public, add the exact string "
    "to the page's allow_personal_data_examples (in a data or settings file: to personal_data_allow "
    "in the settings)"
)
_EXAMPLES = {
    "nhs-number": "NHS numbers starting 999",
    "ni-number": "National Insurance numbers with the prefix QQ, such as QQ 12 34 56 C",
    "postcode": "an outward code only (AB1) or an invented place",
    "phone": "Ofcom drama numbers such as 020 7946 0xxx or 07700 900xxx",
    "email": "addresses at .example domains, such as name@anytown.example",
}


@dataclass(frozen=True, slots=True)
class _Finding:
    kind: str
    start: int
    end: int
    masked: str
    rule: str
    value: str = ""   # the text found, as read (compared with the allow lists)


def find_personal_data(
    text: str, path: str, first_line: int, allowed: frozenset[str] = frozenset()
) -> list[Problem]:
    """Return one error per value in `text` shaped like real personal data.

    `first_line` is the file line of the text's first line, so problems point into the
    author's file. `allowed` holds exact strings the site or page declares fictional
    (or public, such as a helpline); they are compared as written and with spacing,
    hyphens and case ignored. The text is read as a reader would see it (`ReadText`), so
    a number split by emphasis, entities, invisible characters or a line break is found.
    """
    if not _MAY_HOLD.search(text):
        return []
    allowed_keys = {_key(value) for value in allowed}
    seen = ReadText(text)
    problems: list[Problem] = []
    found = [(seen.position(finding.start), finding) for finding in _scan_line(seen.text)]
    found += [(seen.written_position(origin), finding) for origin, target in seen.targets
              for finding in _scan_line(target)]
    for (line, column), finding in sorted(found, key=lambda item: item[0]):
        if finding.value in allowed or _key(finding.value) in allowed_keys:
            continue
        problems.append(Problem(path, first_line + line, "error", f"personal-data-{finding.kind}",
                                f"{finding.rule}: found {finding.masked}",
                                _HINT.format(example=_EXAMPLES[finding.kind]), column + 1))
    return problems


# Every value found holds a digit or "@", and a text as read holds one only where the text as written
# does, or an entity (&#64;, &commat;) or a web address's escape (%40) stands for it: most front
# matter values hold none, and are not read further.
_MAY_HOLD = re.compile(r"[\d@&%]")

# What a reader does not see, or sees as something else: a link's target (its text is read on, as a
# reader sees it, and the target apart), entities, Markdown's emphasis, code and escape marks,
# invisible characters and combining marks, other spaces, and a line break inside a paragraph.
_NOT_AS_WRITTEN = re.compile(
    r"\]\((?P<target>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\)"
    r"|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|[ \t]*\n[ \t]*(?:>[ \t]*)*|[*`~\\_]"
    r"|[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff]"
    r"|[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff]")
_OTHER_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\t\n]")


class ReadText:
    """A text as a reader sees it, and the way back from each of its characters to the author's
    line and column. A paragraph's lines are joined by a space; a blank line still separates."""

    def __init__(self, written: str) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", written)]
        pieces: list[str] = []
        self.starts: list[int] = []     # where each piece starts in the text as read
        self.origins: list[int] = []    # and where it came from in the text as written
        self.copied: list[bool] = []    # a piece copied as written (else one replacement)
        self.targets: list[tuple[int, str]] = []   # link targets, read apart: (where, target)
        done = length = 0
        for match in _NOT_AS_WRITTEN.finditer(written):
            if match["target"] is not None:
                self.targets.append((match.start("target"), match["target"]))
            if match.start() > done:
                self._piece(pieces, written[done:match.start()], length, done, True)
                length += match.start() - done
            shown = _as_read(match, written)
            self._piece(pieces, shown, length, match.start(), False)
            length += len(shown)
            done = match.end()
        self._piece(pieces, written[done:], length, done, True)
        self.text = "".join(pieces)

    def _piece(self, pieces: list[str], text: str, start: int, origin: int, copied: bool) -> None:
        pieces.append(text)
        self.starts.append(start)
        self.origins.append(origin)
        self.copied.append(copied)

    def position(self, index: int) -> tuple[int, int]:
        """(line offset, column) in the written text of the character at `index` as read."""
        piece = bisect_right(self.starts, index) - 1
        return self.written_position(self.origins[piece] + (index - self.starts[piece] if self.copied[piece] else 0))

    def written_position(self, origin: int) -> tuple[int, int]:
        """(line offset, column) of the character at `origin` in the written text."""
        line = bisect_right(self.line_starts, origin) - 1
        return line, origin - self.line_starts[line]


def _as_read(match: re.Match[str], written: str) -> str:
    found = match.group(0)
    if match["target"] is not None:
        return ""
    if found.startswith("&"):
        character = html.unescape(found)
        if character == found:
            return found
        return _OTHER_SPACE.sub(" ", _INVISIBLE.sub("", character))
    if found == "_":
        before, after = written[match.start() - 1: match.start()], written[match.end(): match.end() + 1]
        return "_" if before.isalnum() and after.isalnum() else ""   # inside a word it is shown
    if "\n" in found or _OTHER_SPACE.fullmatch(found):
        return " "
    return ""


def _key(value: str) -> str:
    return re.sub(r"[\s\-()]", "", value).casefold()


def _scan_line(line: str) -> Iterator[_Finding]:
    """Yield findings in one line, left to right, never two over the same characters. What a web
    address carries (its user name, query and fragment; a path is a document's name) is read
    with its escapes decoded, and what is found there is reported at the address's start."""
    urls = list(_URL.finditer(line)) if "://" in line or "www." in line.lower() else []
    taken = [(m.start(), m.end()) for m in urls]
    findings = [_Finding(f.kind, url.start(), url.end(), f.masked, f.rule + " in a web address", f.value)
                for url in urls for f in _scan_plain(_carried(url.group(0)), [])]
    findings += _scan_plain(line, taken)
    yield from sorted(findings, key=lambda f: f.start)


_URL_SEPARATORS = re.compile(r"[/?&=#+;,]")


def _carried(url: str) -> str:
    """The parts of a web address that carry values (user name, query, fragment), as text."""
    try:
        parts = urlsplit(url if "://" in url else "//" + url)
    except ValueError:   # a malformed host: read all of it
        return _URL_SEPARATORS.sub(" ", unquote(url))
    carried = " ".join(filter(None, (parts.username, parts.query, parts.fragment)))
    return _URL_SEPARATORS.sub(" ", unquote(carried))


def _scan_plain(line: str, taken: list[tuple[int, int]]) -> list[_Finding]:
    findings: list[_Finding] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    # Order matters: an email's digits are not a phone number, a phone number's digits
    # are not an NHS number (even when allowed as a drama number).
    near = _near_digits(line)
    for scan in (_emails, _phones, _nhs_numbers, _ni_numbers, _postcodes):
        for start, end, finding in scan(line, near):
            if free(start, end):
                taken.append((start, end))
                if finding is not None:
                    findings.append(finding)
    return findings


_Scan = Iterator[tuple[int, int, "_Finding | None"]]

# Every character of a number found (phone, NHS and National Insurance numbers, postcodes), and what
# its pattern looks at either side, is within a few characters of one of its digits, so each
# pattern searches only the stretches round the digits: searching all of every page's prose with
# each one was most of the personal-data check's time (cProfile, 1,000 pages).
_DIGITS = re.compile(r"\d+")
_NEAR_DIGITS = 60


def _near_digits(line: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of `line` within _NEAR_DIGITS characters of a digit, in order."""
    stretches: list[tuple[int, int]] = []
    for digits in _DIGITS.finditer(line):
        start, end = max(0, digits.start() - _NEAR_DIGITS), digits.end() + _NEAR_DIGITS
        if stretches and start <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], end)
        else:
            stretches.append((start, end))
    return stretches


def _near(pattern: re.Pattern[str], line: str, near: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in `line` that lie in the stretches `near` its digits, in order."""
    for start, end in near:
        yield from pattern.finditer(line, start, end)


def _emails(line: str, near: list[tuple[int, int]]) -> _Scan:
    for m in _EMAIL.finditer(line) if "@" in line else ():
        domain = m.group(2).lower()
        fine = any(domain == d or domain.endswith("." + d) for d in _EXAMPLE_DOMAINS)
        masked = f"{m.group(1)[0]}***@{domain}"
        rule = "email address outside the reserved .example domains"
        yield (
            m.start(),
            m.end(),
            None if fine else _Finding("email", m.start(), m.end(), masked, rule, m.group(0)),
        )


def _phones(line: str, near: list[tuple[int, int]]) -> _Scan:
    for m in _near(_PHONE, line, near):
        national = "0" + re.sub(r"\D", "", m.group(2))
        if not 10 <= len(national) <= 11 or not national.startswith(_PHONE_PREFIXES):
            continue
        fine = len(national) == 11 and national.startswith(_DRAMA_PREFIXES)
        masked = national[:4] + " " + "*" * (len(national) - 4)
        rule = "UK phone number outside Ofcom's drama ranges"
        yield (
            m.start(),
            m.end(),
            None if fine else _Finding("phone", m.start(), m.end(), masked, rule, m.group(0)),
        )


def _nhs_numbers(line: str, near: list[tuple[int, int]]) -> _Scan:
    for m in _near(_NHS, line, near):
        digits = m.group(1) + m.group(3) + m.group(4)
        if digits.startswith("999") or not nhs_check_digit_valid(digits):
            continue
        masked = f"{digits[:3]} *** ****"
        rule = "NHS number with a valid check digit (test numbers start 999)"
        yield (
            m.start(),
            m.end(),
            _Finding("nhs-number", m.start(), m.end(), masked, rule, m.group(0)),
        )


def _ni_numbers(line: str, near: list[tuple[int, int]]) -> _Scan:
    for m in _near(_NI, line, near):
        if m.group(1) in _NI_UNUSED:
            continue
        masked = f"{m.group(1)} ** ** ** *"
        rule = "National Insurance number (the example prefix is QQ)"
        yield (
            m.start(),
            m.end(),
            _Finding("ni-number", m.start(), m.end(), masked, rule, m.group(0)),
        )


def _postcodes(line: str, near: list[tuple[int, int]]) -> _Scan:
    for m in _near(_POSTCODE, line, near):
        masked = f"{m.group(1)} ***"
        rule = "UK postcode"
        yield m.start(), m.end(), _Finding("postcode", m.start(), m.end(), masked, rule, m.group(0))


def nhs_check_digit_valid(digits: str) -> bool:
    """True when ten digits carry a valid NHS mod-11 check digit (weights 10..2)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])
