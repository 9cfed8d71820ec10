"""The personal-data lint: real-shaped values are caught, fictional and near-miss ones are not."""

from __future__ import annotations

import pytest

from toolkit.checks.personal_data import find_personal_data, nhs_check_digit_valid


def codes(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    return [p.code for p in find_personal_data(text, "page.md", 1, allowed)]


@pytest.mark.parametrize(
    "text",
    ["NHS no. 943 476 5919", "9434765919", "ref 943-476-5919.", "(401 023 2137)"],
)
def test_nhs_number_with_valid_check_digit_is_flagged(text: str) -> None:
    assert codes(text) == ["personal-data-nhs-number"]


@pytest.mark.parametrize(
    "text",
    [
        "999 123 4567",  # test range
        "943 476 5918",  # wrong check digit
        "943 476-5919",  # mixed separators: not an NHS number shape
        "12345678901",  # eleven digits
        "943.476.5919",
        "in 2024-03-02 and 1.2.3",
    ],
)
def test_nhs_near_misses_are_fine(text: str) -> None:
    assert codes(text) == []


def test_check_digit_rules() -> None:
    assert nhs_check_digit_valid("9434765919")
    assert not nhs_check_digit_valid("9434765910")
    # these nine digits give a check of 10: no tenth digit makes a valid number
    assert not any(nhs_check_digit_valid(f"100000001{d}") for d in "0123456789")


@pytest.mark.parametrize(
    "text",
    [
        "AB 12 34 56 C",
        "AB123456C",
        "NI: JG 10 32 45 D",
        "AB123456",
        "ab: CE 12 34 56 A.",
    ],
)
def test_ni_number_is_flagged(text: str) -> None:
    assert codes(text) == ["personal-data-ni-number"]


@pytest.mark.parametrize(
    "text",
    [
        "QQ 12 34 56 C",  # documented example prefix
        "DA 12 34 56 C",  # D never first
        "AD 12 34 56 C",  # D never second
        "AO 12 34 56 C",  # O never second
        "GB 12 34 56 A",  # unused prefix
        "ZZ123456A",
        "TN 12 34 56 B",
        "AB123456E",  # suffix only A-D
        "AB1234567",
        "KSS-PS-7 PCF-9 SWE-3",
    ],
)
def test_ni_near_misses_are_fine(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "SW1A 1AA",
        "at M1 1AE today",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "EC1A1BB",
        "W1A 0AX",
        "sw1a 1aa",  # typed in lower case, still an address
        "at m1 1ae today",
    ],
)
def test_postcode_is_flagged(text: str) -> None:
    assert codes(text) == ["personal-data-postcode"]


@pytest.mark.parametrize(
    "text",
    [
        "AB1",  # outward code alone is not identifying
        "Q1 1AA",  # Q never first
        "SW1A 1CA",  # C never in the inward code
        "A4 paper, COVID 19, KSS 2018, PCF 9",
        "M1 1AEX",
    ],
)
def test_postcode_near_misses_are_fine(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "call 0161 555 1234",
        "01632 961000",  # just outside the drama block
        "020 7123 4567",
        "+44 20 7123 4567",
        "+44 (0)161 555 1234",
        "+447712345678",
        "07712 345678",
        "(0161) 555 1234",
        "0300-123-4567",
        "0800 123 4567",
    ],
)
def test_phone_number_is_flagged(text: str) -> None:
    assert codes(text) == ["personal-data-phone"]


@pytest.mark.parametrize(
    "text",
    [
        "01632 960123",
        "020 7946 0999",
        "0113 496 0000",
        "0161 496 0123",
        "0191 498 0123",
        "028 9649 6123",
        "029 2018 0123",
        "07700 900123",
        "+44 7700 900123",
        "08081 570123",
        "03069 990123",
        "0909 879 0123",
        "0161 55",  # too short
        "2024-03-02, 01/02/2024, 1.2.3, 2026",
        "see https://x.gov.uk/docs/01615551234 and https://x.uk/0161%205551234",
    ],
)
def test_phone_near_misses_are_fine(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize("text", ["jo.bloggs@gmail.com", "write to j@anytown.gov.uk", "mailto:jo@nhs.net"])
def test_email_is_flagged(text: str) -> None:
    assert codes(text) == ["personal-data-email"]


@pytest.mark.parametrize(
    "text",
    [
        "psw@anytown.example",
        "a@team.anytown.example",
        "x@example.com",
        "x@mail.example.org",
        "https://x.gov.uk/@foo",
        "https://social.example/@someone@host.uk",
        "@mention without a domain",
    ],
)
def test_email_near_misses_are_fine(text: str) -> None:
    assert codes(text) == []


def test_allowed_strings_pass_exactly_and_with_spacing_ignored() -> None:
    allowed = frozenset({"0808 800 5000", "help@nspcc.org.uk"})
    assert codes("NSPCC 0808 800 5000, help@nspcc.org.uk", allowed) == []
    assert codes("NSPCC 08088005000", allowed) == []
    assert codes("0808 800 5001", allowed) == ["personal-data-phone"]


def test_problem_has_file_line_column_and_masked_message() -> None:
    text = "Intro\n\nThe family lived at SW1A 1AA.\nCall 07712 345678 or email jo@gmail.com"
    problems = find_personal_data(text, "content/a.md", 12)
    assert [(p.line, p.code) for p in problems] == [
        (14, "personal-data-postcode"),
        (15, "personal-data-phone"),
        (15, "personal-data-email"),
    ]
    postcode, phone, email = problems
    assert postcode.severity == "error"
    assert postcode.column == 21
    assert "UK postcode" in postcode.message and "1AA" not in postcode.message
    assert "345678" not in phone.message and "Ofcom" in phone.message
    assert "jo@" not in email.message
    assert "allow_personal_data_examples" in phone.hint
    assert "07700 900" in phone.hint


def test_nhs_message_masks_the_number() -> None:
    (problem,) = find_personal_data("x 943 476 5919", "p.md", 3)
    assert problem.line == 3
    assert "943 *** ****" in problem.message
    assert "4765919" not in problem.as_text()
    assert "check digit" in problem.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NHS 943**476**5919", "personal-data-nhs-number"),
        ("NHS `943` 476 _5919_", "personal-data-nhs-number"),
        ("NHS 943&#32;476&#32;5919", "personal-data-nhs-number"),
        ("NHS 943&nbsp;476&#x20;5919", "personal-data-nhs-number"),
        ("NHS 943\u200b476\u200d5919", "personal-data-nhs-number"),
        ("NHS 943\u00a0476\u202f5919", "personal-data-nhs-number"),
        ("NHS 943 476\n5919", "personal-data-nhs-number"),
        ("> NHS 943 476\n> 5919", "personal-data-nhs-number"),
        ("mail jo.bloggs&#64;realcouncil.gov.uk", "personal-data-email"),
        ("[write](mailto:jo.bloggs@realcouncil.gov.uk)", "personal-data-email"),
        ("[form](https://forms.example/?nhs=9434765919)", "personal-data-nhs-number"),
        ("[form](https://forms.example/a#to=jo%40realcouncil.gov.uk)", "personal-data-email"),
        ("call 0161\\-555\\-1234 now", "personal-data-phone"),
        ("lives at sw1a\u00a01aa", "personal-data-postcode"),
    ],
)
def test_data_disguised_by_markup_entities_or_line_breaks_is_found(text: str, code: str) -> None:
    assert codes(text) == [code]


@pytest.mark.parametrize(
    "text",
    [
        "943 476\n\n5919",                  # a blank line: two paragraphs, two numbers
        "see https://x.gov.uk/docs/9434765919/guide",   # a document's name in a path
        "snake_case_name and __init__",
        "NHS 999&#32;123&#32;4567",         # the test range, however written
    ],
)
def test_normalising_keeps_near_misses_fine(text: str) -> None:
    assert codes(text) == []


def test_disguised_value_is_reported_at_its_own_line_and_column() -> None:
    problems = find_personal_data("First line.\nThe number **943** 476\n5919 here.", "page.md", 10)
    assert [(p.line, p.column) for p in problems] == [(11, 14)]
    assert "5919" not in problems[0].message


def test_disguised_allowed_value_is_still_allowed() -> None:
    assert codes("Ring 0161&nbsp;496&nbsp;0000 today", frozenset({"0161 496 0000"})) == []
