"""Dates as people write them, in English whatever the build machine's language: month names from
`strftime("%B")` follow the locale, which Sphinx sets from the environment."""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def long_date(day: dt.date | str) -> str:
    """A date (or its ISO text) as people write it: 2026-10-05 is "5 October 2026"."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_name(month: str) -> str:
    """A month ("2026-10") as people write it: "October 2026"."""
    year, number = month.split("-")[:2]
    return f"{MONTHS[int(number) - 1]} {year}"
