"""What the matching part compares: a person as a plain record, without the database.

The registry (``people``) builds a :class:`MatchRecord` from a ``Person`` or from a registration form; the
matching part never imports ``people``, so that whole-registry batch matching (``matching.batch``) can take the
same records from an export.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hifazat.matching.names import match_tokens

# Titles and particles that say little about who someone is: "Bibi", "Begum" and "Khatoon" follow most women's
# names, and "Muhammad" precedes a large share of men's. Names are compared on their other parts when they have
# any; a name made only of these is compared as it is.
UNINFORMATIVE = frozenset(
    {"muhammad", "bibi", "begum", "khatoon", "syed", "sayed", "sayyid", "mian", "sheikh", "shaikh", "sahib"}
)

# Gender values (HTCDS) grouped by sex as registers record it; another value, or none, is not compared.
SEX_OF_GENDER = {
    "Feminine": "female",
    "TransgenderFeminine": "female",
    "Masculine": "male",
    "TransgenderMasculine": "male",
}


@dataclass(frozen=True)
class MatchRecord:
    """One person's identifying data: names in Latin letters and Urdu script, the father's or husband's name,
    gender (HTCDS values), birth date or year (and whether it was estimated from an age), and where the person
    lives: site, place of origin and household (database ids), and the phone number's blind index; ``person`` is
    the registered person's id (none for a registration not yet saved)."""

    first_name: str = ""
    second_name: str = ""
    first_name_ur: str = ""
    second_name_ur: str = ""
    parentage_word: str = ""  # son_of, daughter_of, wife_of, or unknown
    parentage_name: str = ""
    parentage_name_ur: str = ""
    gender: str = ""
    birth_year: int | None = None
    birthdate: datetime.date | None = None
    birthdate_is_estimate: bool = False
    site: int | None = None
    origin_area: int | None = None
    household: int | None = None
    phone_index: str = ""
    person: int | None = None  # the registered person's database id, when the record is of one

    def __post_init__(self) -> None:
        if self.birthdate is not None and self.birth_year is None:
            object.__setattr__(self, "birth_year", self.birthdate.year)

    @property
    def sex(self) -> str:
        return SEX_OF_GENDER.get(self.gender, "")

    def name_variants(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(given tokens, family tokens) as written in Latin letters and as written in Urdu script, each
        completed from the other script where one part is missing; one entry when both agree."""
        latin = (
            match_tokens(self.first_name or self.first_name_ur),
            match_tokens(self.second_name or self.second_name_ur),
        )
        urdu = (
            match_tokens(self.first_name_ur or self.first_name),
            match_tokens(self.second_name_ur or self.second_name),
        )
        return [latin] if urdu == latin else [latin, urdu]

    def parentage_variants(self) -> list[tuple[str, ...]]:
        variants = [match_tokens(self.parentage_name), match_tokens(self.parentage_name_ur)]
        return [v for i, v in enumerate(variants) if v and v not in variants[:i]]

    @property
    def display_given(self) -> str:
        return self.first_name or self.first_name_ur

    @property
    def display_family(self) -> str:
        return self.second_name or self.second_name_ur

    @property
    def display_parentage(self) -> str:
        return self.parentage_name or self.parentage_name_ur


def informative(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens that tell people apart: titles and ubiquitous particles left out, unless nothing else is left."""
    kept = tuple(t for t in tokens if t not in UNINFORMATIVE)
    return kept or tokens
