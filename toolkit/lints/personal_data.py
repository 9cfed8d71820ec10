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

import re
from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.problems import Problem

# URLs (and Markdown link targets) are addresses, not data about people: digits or an
# "@" inside one are left alone. mailto: is deliberately not a URL here.
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"')\]]+")

_NHS = re.compile(r"(?<![\w.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w-]|\.\d)")

# First letter never D F I Q U V; second never D F I O Q U V (so QQ is never matched).
_NI = re.compile(
    r"(?<![A-Za-z0-9-])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2})"
    r"(?: ?([A-D]))?(?![A-Za-z0-9-])"
)
_NI_UNUSED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

# Outward code: A9, A99, AA9, AA99, A9A, AA9A (first letter never Q V X, second never
# I J Z); inward code: 9AA (never C I K M O V). Upper case only, as addresses are written.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9-])("
    r"[A-PR-UWYZ](?:\d[A-HJKPSTUW]|\d\d?|[A-HK-Y]\d[ABEHMNPRVWXY]|[A-HK-Y]\d\d?)"
    r"|GIR) ?(\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9-])"
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
    "use a fictional example: {example} — or add the exact string to the page's "
    "allow_personal_data_examples if it is fictional"
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


def find_personal_data(
    text: str, path: str, first_line: int, allowed: frozenset[str] = frozenset()
) -> list[Problem]:
    """Return one error per value in `text` shaped like real personal data.

    `first_line` is the file line of the text's first line, so problems point into the
    author's file. `allowed` holds exact strings the site or page declares fictional
    (or public, such as a helpline); they are compared as written and with spacing,
    hyphens and case ignored.
    """
    allowed_keys = {_key(value) for value in allowed}
    problems: list[Problem] = []
    for offset, line in enumerate(text.splitlines()):
        for finding in _scan_line(line):
            raw = line[finding.start : finding.end]
            if raw in allowed or _key(raw) in allowed_keys:
                continue
            message = f"{finding.rule}: found {finding.masked}"
            hint = _HINT.format(example=_EXAMPLES[finding.kind])
            problems.append(
                Problem(
                    path,
                    first_line + offset,
                    "error",
                    f"personal-data-{finding.kind}",
                    message,
                    hint,
                    finding.start + 1,
                )
            )
    return problems


def _key(value: str) -> str:
    return re.sub(r"[\s\-()]", "", value).casefold()


def _scan_line(line: str) -> Iterator[_Finding]:
    """Yield findings in one line, left to right, never two over the same characters."""
    taken = [(m.start(), m.end()) for m in _URL.finditer(line)]
    findings: list[_Finding] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    # Order matters: an email's digits are not a phone number, a phone number's digits
    # are not an NHS number (even when allowed as a drama number).
    for scan in (_emails, _phones, _nhs_numbers, _ni_numbers, _postcodes):
        for start, end, finding in scan(line):
            if free(start, end):
                taken.append((start, end))
                if finding is not None:
                    findings.append(finding)
    yield from sorted(findings, key=lambda f: f.start)


_Scan = Iterator[tuple[int, int, "_Finding | None"]]


def _emails(line: str) -> _Scan:
    for m in _EMAIL.finditer(line):
        domain = m.group(2).lower()
        fine = any(domain == d or domain.endswith("." + d) for d in _EXAMPLE_DOMAINS)
        masked = f"{m.group(1)[0]}***@{domain}"
        rule = "email address outside the reserved .example domains"
        yield (
            m.start(),
            m.end(),
            None if fine else _Finding("email", m.start(), m.end(), masked, rule),
        )


def _phones(line: str) -> _Scan:
    for m in _PHONE.finditer(line):
        national = "0" + re.sub(r"\D", "", m.group(2))
        if not 10 <= len(national) <= 11 or not national.startswith(_PHONE_PREFIXES):
            continue
        fine = len(national) == 11 and national.startswith(_DRAMA_PREFIXES)
        masked = national[:4] + " " + "*" * (len(national) - 4)
        rule = "UK phone number outside Ofcom's drama ranges"
        yield (
            m.start(),
            m.end(),
            None if fine else _Finding("phone", m.start(), m.end(), masked, rule),
        )


def _nhs_numbers(line: str) -> _Scan:
    for m in _NHS.finditer(line):
        digits = m.group(1) + m.group(3) + m.group(4)
        if digits.startswith("999") or not nhs_check_digit_valid(digits):
            continue
        masked = f"{digits[:3]} *** ****"
        rule = "NHS number with a valid check digit (test numbers start 999)"
        yield (
            m.start(),
            m.end(),
            _Finding("nhs-number", m.start(), m.end(), masked, rule),
        )


def _ni_numbers(line: str) -> _Scan:
    for m in _NI.finditer(line):
        if m.group(1) in _NI_UNUSED:
            continue
        masked = f"{m.group(1)} ** ** ** *"
        rule = "National Insurance number (the example prefix is QQ)"
        yield (
            m.start(),
            m.end(),
            _Finding("ni-number", m.start(), m.end(), masked, rule),
        )


def _postcodes(line: str) -> _Scan:
    for m in _POSTCODE.finditer(line):
        masked = f"{m.group(1)} ***"
        rule = "UK postcode"
        yield m.start(), m.end(), _Finding("postcode", m.start(), m.end(), masked, rule)


def nhs_check_digit_valid(digits: str) -> bool:
    """True when ten digits carry a valid NHS mod-11 check digit (weights 10..2)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])
