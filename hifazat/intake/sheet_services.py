"""The spreadsheet import of households and people: the dry run and the all-or-nothing commit.

Both steps read the file row by row (``sheets``) and handle it in batches of ``BATCH`` rows, so that memory stays
flat whatever the file's length: what is kept across batches is one small entry per household key (its site,
shelter, first row, head's row and saved household), the errors found, and in a commit 16 bytes per person
registered (their UUID, for the duplicate scan queued when the transaction commits).

A row that is already in the registry (a person of the organisation with the same names, parentage, gender, birth
date, numbers, relationship, site and shelter: ``fingerprint``) is skipped and counted as such, so importing the
same file twice creates nothing new. New people are written by the registration's batch path
(``people.batch``), which gives them exactly what registering them one by one does, likely duplicates of people
already registered included: those go to the review queue, never merged silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hifazat.core.audit import Actor
from hifazat.geography.imports import ImportFileError, RowError
from hifazat.geography.models import Site
from hifazat.geography.selectors import sites_visible_to
from hifazat.intake.sheets import CheckedRow, PersonSheet, RowChecker, open_rows, service_errors
from hifazat.people.batch import (
    Preparation,
    household_prepare,
    households_register_batch,
    one_of,
    person_prepare,
    persons_register_batch,
)
from hifazat.people.models import Consent, Household, Person
from hifazat.people.selectors import persons_visible_to

KIND = "intake.people"
BATCH = 2000


class SheetRefused(Exception):
    """The commit found errors: the caller's transaction rolls back and nothing is written."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("import refused")
        self.outcome = outcome


@dataclass
class Outcome:
    rows: int = 0
    new: int = 0
    skipped: int = 0
    households: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"rows": self.rows, "new": self.new, "skipped": self.skipped, "households": self.households}


@dataclass(slots=True)
class _Household:
    """What is kept of one household key while the file is read."""

    site_code: str
    shelter_number: str
    first_row: int
    head_row: int | None = None
    pk: int | None = None  # the saved household (0 in a dry run: one would be registered)


# The person's fields that make a row the same registration, with the birth date, site and shelter.
SAME_FIELDS = (
    "first_name",
    "second_name",
    "first_name_ur",
    "second_name_ur",
    "parentage_word",
    "parentage_name",
    "parentage_name_ur",
    "gender",
    "marital_status",
    "relationship_to_head",
    "phone_index",
    "identity_number_index",
)


def fingerprint(values: tuple, estimate: bool, birth_year, birthdate, site_code: str, shelter: str) -> tuple:
    """What makes a row the same registration: a person of the organisation with the same ``SAME_FIELDS``
    values, birth date, site and shelter is not registered again. A birth date estimated from an age counts by
    its year (the estimate moves with the day of the import)."""
    return (*values, *((birth_year, "~") if estimate else (birthdate, "")), site_code, shelter)


def person_fingerprint(person: Person, site_code: str, shelter: str) -> tuple:
    values = tuple(getattr(person, name) for name in SAME_FIELDS)
    return fingerprint(
        values, person.birthdate_is_estimate, person.birth_year, person.birthdate, site_code, shelter
    )


class SheetImport:
    """One pass over a file: ``commit=False`` checks every row and writes nothing; ``commit=True`` checks every
    row again and writes the new ones (the caller holds the transaction and rolls it back on ``SheetRefused``)."""

    def __init__(self, *, actor: Actor, commit: bool, progress: Callable[[int], None] | None = None) -> None:
        self.actor = actor
        self.commit = commit
        self.progress = progress
        self.outcome = Outcome()
        self.households: dict[str, _Household] = {}
        self.sites: dict[str, Site | None] = {}
        self.checker = RowChecker()
        self.open_sites = sites_visible_to(actor).filter(is_open=True)
        self.open_codes: dict[str, Site] | None = None
        self.visible = persons_visible_to(actor)
        self.preparation = Preparation(actor)  # what the batch's records share (``people.batch``)

    def run(self, binary: IO[bytes], *, xlsx: bool) -> Outcome:
        batch: list[tuple[CheckedRow, Person, Consent]] = []
        with open_rows(binary, xlsx=xlsx) as rows:
            for row, values in PersonSheet().iter_rows(rows):
                self.outcome.rows += 1
                item = self._check(row, values)
                if item is not None:
                    batch.append(item)
                if len(batch) >= BATCH:
                    self._flush(batch)
                    batch = []
                    self.preparation = Preparation(self.actor)  # the moment of registration moves on
                    if self.progress:
                        self.progress(self.outcome.rows)
        self._flush(batch)
        if self.outcome.rows == 0:
            raise ImportFileError(_("The file has no rows of people under its header."))
        if self.commit and self.outcome.errors:
            raise SheetRefused(self.outcome)
        return self.outcome

    # --- One row ---

    def _check(self, row: int, values: dict[str, str]) -> tuple[CheckedRow, Person, Consent] | None:
        checked, errors = self.checker.check(row, values)
        errors.extend(self._household_errors(row, values))
        person = consent = None
        if checked is not None:  # the form's checks passed: the service's own checks too, for every error
            try:
                person, consent = person_prepare(
                    actor=self.actor, preparation=self.preparation, **checked.arguments
                )
            except ValidationError as error:
                errors.extend(service_errors(error, row))
        if errors:
            self.outcome.errors.extend(errors)
            return None
        return checked, person, consent

    def _household_errors(self, row: int, values: dict[str, str]) -> list[RowError]:
        key, code, shelter = values["household_key"], values["site_code"], values["shelter_number"]
        errors = []
        if code and code not in self.sites:
            self.sites[code] = self._site(code)
        if code and self.sites[code] is None:
            errors.append(RowError(row, "site_code", _("%(code)s is not an open site.") % {"code": code}))
        if not key:
            return errors
        household = self.households.get(key)
        if household is None:
            self.households[key] = household = _Household(code, shelter, row)
        elif (household.site_code, household.shelter_number) != (code, shelter):
            column = "site_code" if household.site_code != code else "shelter_number"
            errors.append(
                RowError(
                    row,
                    column,
                    _("Household %(key)s is at another site or shelter on row %(row)s.")
                    % {"key": key, "row": household.first_row},
                )
            )
        if values["relationship_to_head"].lower() in {"head", "head of household"}:
            if household.head_row is not None and household.head_row != row:
                errors.append(
                    RowError(
                        row,
                        "relationship_to_head",
                        _("Household %(key)s already has its head on row %(row)s.")
                        % {"key": key, "row": household.head_row},
                    )
                )
            else:
                household.head_row = row
        return errors

    def _site(self, code: str) -> Site | None:
        """The open site with this code, or none: the open sites are read at the first code, in one query (a
        list of camps, not a registry)."""
        if self.open_codes is None:
            self.open_codes = {site.code: site for site in self.open_sites}
        return self.open_codes.get(code)

    # --- One batch ---

    def _flush(self, batch: list[tuple[CheckedRow, Person, Consent]]) -> None:
        if not batch:
            return
        # The registered people under the batch's names in the batch's shelters, read as values (common names
        # bring thousands of people; the shelter leaves the few that can be the same registration). The names
        # are looked up in a subquery of their own, which SQLite serves from the name index (on the visible
        # people it walks the organisation's index instead: every person of the organisation for every batch).
        registered: dict[tuple, int | None] = {}
        named = Person.objects.filter(
            name_key__in=one_of({item[1].name_key for item in batch}, Person._meta.get_field("name_key"))
        ).values("pk")
        rows = (
            self.visible.filter(
                pk__in=named,
                household__shelter_number__in=one_of(
                    {item[0].shelter_number for item in batch}, Household._meta.get_field("shelter_number")
                ),
            )
            .order_by()
            .values_list(
                *SAME_FIELDS,
                "birthdate_is_estimate",
                "birth_year",
                "birthdate",
                "household__site__code",
                "household__shelter_number",
                "household_id",
            )
        )
        width = len(SAME_FIELDS)
        for row in rows:
            registered[fingerprint(row[:width], *row[width:-1])] = row[-1]
        new = []
        for checked, person, consent in batch:
            key = person_fingerprint(person, checked.site_code, checked.shelter_number)
            household = self.households[checked.household_key]
            if key in registered:
                self.outcome.skipped += 1
                if household.pk is None and registered[key]:  # new members join the registered household
                    household.pk = registered[key]
                continue
            registered[key] = None  # the same row twice in a batch: the second is skipped
            new.append((checked, person, consent))
        self.outcome.new += len(new)
        to_register = {c.household_key: c for c, *_rest in new if self.households[c.household_key].pk is None}
        self.outcome.households += len(to_register)
        if not self.commit or self.outcome.errors:
            for key in to_register:
                self.households[key].pk = 0
            return
        fresh = {
            key: household_prepare(
                actor=self.actor,
                site=self.sites[c.site_code],
                shelter_number=c.shelter_number,
                preparation=self.preparation,
            )
            for key, c in to_register.items()
        }
        households_register_batch(actor=self.actor, households=list(fresh.values()))
        for key, household in fresh.items():
            self.households[key].pk = household.pk
        joined = {self.households[c.household_key].pk for c, *_rest in new} - {h.pk for h in fresh.values()}
        saved: dict[int, Any] = (
            {h.pk: h for h in Household.objects.filter(pk__in=one_of(joined, Household._meta.pk)).order_by()}
            if joined
            else {}
        )
        saved.update({household.pk: household for household in fresh.values()})
        for checked, person, _consent in new:
            person.household = saved[self.households[checked.household_key].pk]
        persons_register_batch(
            actor=self.actor,
            prepared=[(person, consent) for _checked, person, consent in new],
            new_households=[household.pk for household in fresh.values()],
        )
