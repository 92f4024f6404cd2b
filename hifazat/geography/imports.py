"""CSV import of admin areas and sites: check every row first (the dry run), then write all or nothing.

Files are UTF-8 CSV (a spreadsheet's "CSV UTF-8" export). The first row names the columns, either by our column
names or by HXL hashtags; a row of HXL hashtags under the column names is recognised and used too. Row numbers
in errors are the spreadsheet's: the first row of the file is row 1.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from hifazat.accounts.selectors import organisations_visible_to
from hifazat.core.audit import Actor
from hifazat.core.text import clean_line
from hifazat.geography import services
from hifazat.geography.models import AdminArea, AdminLevel, Site, SiteType

MAX_ROWS = 20_000


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV, not UTF-8, no known columns)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Plan:
    """What the import would do: for each row, create or update, with the cleaned values."""

    rows: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "create": sum(1 for _, op, _ in self.rows if op == "create"),
            "update": sum(1 for _, op, _ in self.rows if op == "update"),
        }


def _hxl_key(cell: str) -> tuple[str, frozenset[str]] | None:
    cell = cell.strip().lower().replace(" ", "")
    if not cell.startswith("#"):
        return None
    tag, *attributes = cell.split("+")
    return tag, frozenset(attributes)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_hxl_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


class SheetReader:
    """Reads rows into dictionaries keyed by our column names. Subclasses name their columns and hashtags."""

    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    # (hashtag, attributes it must have, column); the most specific match for a column wins.
    hxl: tuple[tuple[str, frozenset[str], str], ...] = ()

    def read(self, text: str) -> list[tuple[int, dict[str, str]]]:
        try:
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        except csv.Error as error:
            raise ImportFileError(f"The file is not readable as CSV: {error}.") from None
        data_rows = len(rows) - 1 - (len(rows) > 1 and _is_hxl_row(rows[1]))
        if data_rows > MAX_ROWS:
            raise ImportFileError(f"The file has {data_rows} rows; one import takes at most {MAX_ROWS}.")
        return list(self.iter_rows(iter(rows)))

    def iter_rows(self, rows: Iterator[list[Any]]) -> Iterator[tuple[int, dict[str, str]]]:
        """Each data row of ``rows`` (the file's rows as lists of cells, read lazily: a CSV reader or a
        spreadsheet's rows) as (row number, values by our column names), one at a time, so that a file of any
        length is read in constant memory. The header (and a row of HXL hashtags) is read first."""
        try:
            header = self._cells(next(rows, None))
            if header is None:
                raise ImportFileError("The file is empty.")
            mapping = self._map_names(header)
            first_data = 1
            second = self._cells(next(rows, None))
            pending: list[list[str]] = []
            if second is not None and _is_hxl_row(second):
                mapping = {**self._map_hxl(second), **mapping} if mapping else self._map_hxl(second)
                first_data = 2
            else:
                if _is_hxl_row(header):
                    mapping = self._map_hxl(header)
                if second is not None:
                    pending.append(second)
            missing = [name for name in self.required if name not in mapping.values()]
            if missing:
                raise ImportFileError(
                    "The file has no column for: "
                    + ", ".join(missing)
                    + ". Expected columns: "
                    + ", ".join(self.columns)
                    + " (or their HXL hashtags)."
                )
            number = first_data
            for cells in itertools.chain(pending, (self._cells(r) for r in rows)):
                number += 1
                if not any(c.strip() for c in cells):
                    continue
                values = dict.fromkeys(self.columns, "")
                for index, name in mapping.items():
                    # Hidden characters (bidi overrides, controls) go before the cell is read or matched.
                    cell = clean_line(cells[index]).strip() if index < len(cells) else ""
                    if cell:
                        values[name] = cell
                yield number, values
        except csv.Error as error:
            raise ImportFileError(f"The file is not readable as CSV: {error}.") from None

    @staticmethod
    def _cells(row: list[Any] | tuple[Any, ...] | None) -> list[str] | None:
        """A row's cells as text (a spreadsheet gives numbers and dates; an empty cell is ``None``)."""
        if row is None:
            return None
        return [_cell_text(c) for c in row]

    def _map_names(self, header: list[str]) -> dict[int, str]:
        names = {c.strip().lower(): i for i, c in enumerate(header)}
        return {names[name]: name for name in self.columns if name in names}

    def _map_hxl(self, cells: list[str]) -> dict[int, str]:
        """Each hashtag cell names the column whose hashtag it matches most specifically (``#loc+name+i_ur`` is
        ``name_ur``, not ``name``); two cells for one column: the more specific one wins."""
        mapping: dict[int, str] = {}
        best: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = _hxl_key(cell)
            if key is None:
                continue
            tag, attributes = key
            matches = [
                (len(needed), column)
                for hashtag, needed, column in self.hxl
                if tag == hashtag and needed <= attributes
            ]
            if not matches:
                continue
            specificity, column = max(matches, key=lambda m: m[0])
            if specificity < best.get(column, -1):
                continue
            mapping = {i: c for i, c in mapping.items() if c != column}
            mapping[index] = column
            best[column] = specificity
        return mapping


class CsvImporter(SheetReader, ABC):
    """An import of reference data in two steps: the dry run (``plan``), then the commit (``apply``)."""

    @abstractmethod
    def plan(self, text: str, *, actor: Actor | None = None) -> Plan:
        """Check every row against the file and the database; write nothing."""

    @abstractmethod
    def apply(self, plan: Plan, *, actor: Actor) -> dict[str, int]:
        """Write a plan that has no errors, through the services. The caller holds the transaction."""


def _decimal(value: str, column: str, row: int, errors: list[RowError]) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        errors.append(RowError(row, column, f"{value!r} is not a number."))
        return None


def _whole(value: str, column: str, row: int, errors: list[RowError]) -> int | None:
    if not value:
        return None
    try:
        number = int(value.replace(",", ""))
    except ValueError:
        errors.append(RowError(row, column, f"{value!r} is not a whole number."))
        return None
    if number < 0:
        errors.append(RowError(row, column, "must not be negative."))
        return None
    return number


def _model_errors(error: ValidationError, row: int, columns: dict[str, str]) -> list[RowError]:
    found = []
    for field_name, messages in error.message_dict.items():
        column = columns.get(field_name, "" if field_name == "__all__" else field_name)
        found.extend(RowError(row, column, str(message)) for message in messages)
    return found


class AreaImporter(CsvImporter):
    columns = ("pcode", "name", "name_ur", "level", "parent_pcode")
    required = ("pcode", "name", "level")
    hxl = (
        ("#adm", frozenset({"code"}), "pcode"),
        ("#adm", frozenset({"name"}), "name"),
        ("#adm", frozenset({"name", "i_ur"}), "name_ur"),
        ("#adm", frozenset({"level"}), "level"),
        ("#adm", frozenset({"code", "parent"}), "parent_pcode"),
    )

    def plan(self, text: str, *, actor: Actor | None = None) -> Plan:
        plan = Plan()
        rows = self.read(text)
        in_file: dict[str, int] = {}
        codes = {values["pcode"] for _, values in rows} | {values["parent_pcode"] for _, values in rows}
        known = {a.pcode: a for a in AdminArea.objects.filter(pcode__in=codes - {""})}
        for row, values in rows:
            errors: list[RowError] = []
            for column in self.required:
                if not values[column]:
                    errors.append(RowError(row, column, "is required."))
            level = _whole(values["level"], "level", row, errors)
            if level is not None and level not in AdminLevel.values:
                errors.append(RowError(row, "level", f"{level} is not a level: use 0 (country) to 3."))
                level = None
            pcode = values["pcode"]
            if pcode in in_file:
                errors.append(RowError(row, "pcode", f"{pcode} is also on row {in_file[pcode]}."))
            in_file.setdefault(pcode, row)
            parent_code = values["parent_pcode"]
            if level is not None and level > 0 and not parent_code:
                errors.append(RowError(row, "parent_pcode", "is required for an area below country level."))
            if level == 0 and parent_code:
                errors.append(RowError(row, "parent_pcode", "must be empty for a country."))
            if parent_code and level is not None:
                parent_level = self._level_of(parent_code, rows, known)
                if parent_level is None:
                    errors.append(
                        RowError(
                            row, "parent_pcode", f"{parent_code} is neither registered nor in this file."
                        )
                    )
                elif parent_level != level - 1:
                    errors.append(
                        RowError(
                            row,
                            "parent_pcode",
                            f"{parent_code} is at level {parent_level}; the parent must be at level {level - 1}.",
                        )
                    )
            if errors:
                plan.errors.extend(errors)
                continue
            values["level"] = level
            plan.rows.append((row, "update" if pcode in known else "create", values))
        # Parents before children, so that every parent exists when its child is written.
        plan.rows.sort(key=lambda item: item[2]["level"])
        return plan

    @staticmethod
    def _level_of(code: str, rows, known: dict[str, AdminArea]) -> int | None:
        if code in known:
            return known[code].level
        for _, values in rows:
            if values["pcode"] == code and values["level"].isdigit():
                return int(values["level"])
        return None

    def apply(self, plan: Plan, *, actor: Actor) -> dict[str, int]:
        for _row, op, values in plan.rows:
            parent = AdminArea.objects.get(pcode=values["parent_pcode"]) if values["parent_pcode"] else None
            data = {
                "name": values["name"],
                "name_ur": values["name_ur"],
                "level": values["level"],
                "parent": parent,
            }
            if op == "create":
                services.area_create(actor=actor, pcode=values["pcode"], **data)
            else:
                services.area_update(actor=actor, area=AdminArea.objects.get(pcode=values["pcode"]), **data)
        return plan.counts


class SiteImporter(CsvImporter):
    columns = (
        "code",
        "name",
        "name_ur",
        "site_type",
        "area_pcode",
        "latitude",
        "longitude",
        "managing_organisation",
        "capacity",
        "population",
        "households",
        "population_date",
    )
    required = ("code", "name", "site_type", "area_pcode")
    hxl = (
        ("#loc", frozenset({"code"}), "code"),
        ("#loc", frozenset({"name"}), "name"),
        ("#loc", frozenset({"name", "i_ur"}), "name_ur"),
        ("#loc", frozenset({"type"}), "site_type"),
        ("#adm2", frozenset({"code"}), "area_pcode"),
        ("#adm3", frozenset({"code"}), "area_pcode"),
        ("#geo", frozenset({"lat"}), "latitude"),
        ("#geo", frozenset({"lon"}), "longitude"),
        ("#org", frozenset({"name"}), "managing_organisation"),
        ("#capacity", frozenset(), "capacity"),
        ("#population", frozenset({"ind"}), "population"),
        ("#population", frozenset({"hh"}), "households"),
        ("#date", frozenset({"reported"}), "population_date"),
    )
    # Model field -> the file's column, to name the column in a model validation error.
    model_columns = {"area": "area_pcode", "managing_organisation": "managing_organisation"}

    def plan(self, text: str, *, actor: Actor | None = None) -> Plan:
        plan = Plan()
        rows = self.read(text)
        areas = {a.pcode: a for a in AdminArea.objects.filter(pcode__in={v["area_pcode"] for _, v in rows})}
        existing = {s.code: s for s in Site.objects.filter(code__in={v["code"] for _, v in rows})}
        organisations = organisations_visible_to(actor) if actor else None
        in_file: dict[str, int] = {}
        type_by_word = {v: v for v in SiteType.values} | {
            str(label).lower(): v for v, label in SiteType.choices
        }
        for row, values in rows:
            errors: list[RowError] = []
            for column in self.required:
                if not values[column]:
                    errors.append(RowError(row, column, "is required."))
            code = values["code"]
            if code and code in in_file:
                errors.append(RowError(row, "code", f"{code} is also on row {in_file[code]}."))
            in_file.setdefault(code, row)
            site_type = type_by_word.get(values["site_type"].lower()) if values["site_type"] else None
            if values["site_type"] and site_type is None:
                errors.append(
                    RowError(
                        row,
                        "site_type",
                        f"{values['site_type']!r} is not a site type: use one of "
                        + ", ".join(SiteType.values)
                        + ".",
                    )
                )
            area = areas.get(values["area_pcode"])
            if values["area_pcode"] and area is None:
                errors.append(
                    RowError(row, "area_pcode", f"{values['area_pcode']} is not a registered P-code.")
                )
            latitude = _decimal(values["latitude"], "latitude", row, errors)
            longitude = _decimal(values["longitude"], "longitude", row, errors)
            capacity = _whole(values["capacity"], "capacity", row, errors)
            population = _whole(values["population"], "population", row, errors)
            households = _whole(values["households"], "households", row, errors)
            counted_on = None
            if values["population_date"]:
                try:
                    counted_on = datetime.date.fromisoformat(values["population_date"])
                except ValueError:
                    errors.append(
                        RowError(
                            row,
                            "population_date",
                            f"{values['population_date']!r} is not a date as YYYY-MM-DD.",
                        )
                    )
            if (population is None) != (counted_on is None) and not errors:
                errors.append(
                    RowError(
                        row,
                        "population_date" if population is not None else "population",
                        "give a population with the date of its count, or neither.",
                    )
                )
            organisation = None
            if values["managing_organisation"]:
                name = values["managing_organisation"]
                organisation = (
                    (organisations or organisations_visible_to(None))
                    .filter(Q(name__iexact=name) | Q(short_name__iexact=name))
                    .first()
                )
                if organisation is None:
                    errors.append(
                        RowError(row, "managing_organisation", f"{name!r} is not a registered organisation.")
                    )
            data = {
                "name": values["name"],
                "name_ur": values["name_ur"],
                "site_type": site_type,
                "area": area,
                "latitude": latitude,
                "longitude": longitude,
                "managing_organisation": organisation,
                "capacity": capacity,
            }
            if not errors:
                candidate = Site(code=code, **data)
                try:
                    candidate.full_clean(exclude=["code"] if code in existing else None)
                except ValidationError as error:
                    errors.extend(_model_errors(error, row, self.model_columns))
            if errors:
                plan.errors.extend(errors)
                continue
            data["_population"] = (counted_on, population, households) if population is not None else None
            plan.rows.append((row, "update" if code in existing else "create", {"code": code, **data}))
        return plan

    def apply(self, plan: Plan, *, actor: Actor) -> dict[str, int]:
        for _row, op, values in plan.rows:
            data = dict(values)
            code = data.pop("code")
            population = data.pop("_population")
            if op == "create":
                site = services.site_create(actor=actor, code=code, **data)
            else:
                site = services.site_update(actor=actor, site=Site.objects.get(code=code), **data)
            if population is not None:
                counted_on, individuals, households = population
                services.site_population_record(
                    actor=actor,
                    site=site,
                    counted_on=counted_on,
                    individuals=individuals,
                    households=households,
                    source="import",
                )
        return plan.counts


IMPORTERS: dict[str, type[CsvImporter]] = {"geography.areas": AreaImporter, "geography.sites": SiteImporter}
