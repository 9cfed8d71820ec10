"""Typed, validated diagram data: what the renderers draw once the YAML has been checked.

Renderers never see raw YAML, so they cannot meet a missing field or an unknown id.
"""

from __future__ import annotations

from dataclasses import dataclass

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Sorting: within its year a year-only date comes first, then year-month, then full
    dates ("2024" < "2024-03" < "2024-03-02"), because a vaguer date describes the start
    of the period it names.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def text(self) -> str:
        """Readable form: '2024', 'May 2024', '2 Mar 2024'."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year}"

    @property
    def position(self) -> float:
        """Years as a number, for placing the date on a time axis."""
        return self.year + ((self.month or 1) - 1) / 12 + ((self.day or 1) - 1) / 372


@dataclass(frozen=True, slots=True)
class Care:
    """Who looks after a child who does not live with their birth parents."""

    people: tuple[str, ...]
    type: str  # kinship | foster | adoptive | special-guardianship
    since: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    label: str
    sex: str = "unknown"
    born: PartialDate | None = None
    died: PartialDate | None = None
    deceased: bool = False
    notes: str = ""
    pregnancy: bool = False
    miscarriage: bool = False
    adopted: bool = False
    fostered: bool = False
    stillbirth: bool = False
    termination: bool = False
    unknown: bool = False  # who they are is not known: drawn "?"
    gender: str | None = None  # non-binary | trans-man | trans-woman
    markers: tuple[str, ...] = ()
    cared_for_by: Care | None = None

    @property
    def is_deceased(self) -> bool:
        return self.deceased or self.died is not None

    @property
    def is_loss(self) -> bool:
        """A pregnancy that did not end in a live birth: drawn small, with no name slot rules."""
        return self.miscarriage or self.stillbirth or self.termination

    @property
    def is_pregnancy_symbol(self) -> bool:
        return self.pregnancy or self.is_loss


@dataclass(frozen=True, slots=True)
class Union:
    partners: tuple[str, str]
    status: str
    since: PartialDate | None = None
    children: tuple[str, ...] = ()
    twins: tuple[Twins, ...] = ()


@dataclass(frozen=True, slots=True)
class Twins:
    children: tuple[str, ...]
    identical: bool = False


@dataclass(frozen=True, slots=True)
class Relationship:
    between: tuple[str, str]
    type: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Genogram:
    people: tuple[Person, ...]
    unions: tuple[Union, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    households: tuple[tuple[str, ...], ...] = ()
    index: str | None = None
    as_of: PartialDate | None = None  # ages inside symbols are for this date, never today

    def age(self, person: Person) -> int | None:
        """Age in whole years at `as_of` (or at death, if earlier); None when not known."""
        if self.as_of is None or person.born is None or person.is_pregnancy_symbol:
            return None
        end = person.died if person.died and person.died.sort_key < self.as_of.sort_key \
            else self.as_of
        if person.deceased and person.died is None:
            return None
        years = end.year - person.born.year
        if person.born.month and end.month and (end.month, end.day or 31) < \
                (person.born.month, person.born.day or 1):
            years -= 1
        return years if years >= 0 else None

    def person(self, person_id: str) -> Person:
        for person in self.people:
            if person.id == person_id:
                return person
        raise KeyError(person_id)


@dataclass(frozen=True, slots=True)
class System:
    label: str
    strength: str
    flow: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class EcoMap:
    centre: str
    systems: tuple[System, ...]
    centre_note: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    date: PartialDate
    event: str
    source: str = ""
    impact: str = ""
    action: str = ""
    significance: str = ""


@dataclass(frozen=True, slots=True)
class Chronology:
    subject: str
    entries: tuple[Entry, ...]  # in date order; ties keep the file's order
