"""Spreadsheet import of households and people: reading a CSV or XLSX sheet row by row, and checking each row.

One row per person; rows with the same ``household_key`` are one household (at one site and shelter). Columns are
named by our names or by HXL hashtags (a second header row of hashtags, or hashtags alone), as the site import
reads them (``geography.imports.SheetReader``). Rows are read lazily, a CSV reader over the file or openpyxl in
read-only mode, so a file of any length is read in constant memory. Row numbers are the spreadsheet's (the first
row of the file is row 1); every error names its row and column.

Each row goes through the registration form (``people.forms.PersonForm``) and the registration service's own
checks (``people.batch.person_prepare``): a file is refused for exactly what the registration page refuses.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hifazat.core import spreadsheets
from hifazat.geography.imports import ImportFileError, RowError, SheetReader
from hifazat.people.forms import PersonForm
from hifazat.people.models import Consent, Gender, MaritalStatus, ParentageWord, Relationship

# The columns a person's registration reads, in the template's order.
PERSON_COLUMNS = (
    "first_name",
    "second_name",
    "first_name_ur",
    "second_name_ur",
    "parentage_word",
    "parentage_name",
    "parentage_name_ur",
    "gender",
    "birthdate",
    "age_years",
    "marital_status",
    "relationship_to_head",
    "phone",
    "identity_number",
)


class PersonSheet(SheetReader):
    @staticmethod
    def _cells(row: list[Any] | tuple[Any, ...] | None) -> list[str] | None:
        """A row's cells as text: a CSV row is text already (a spreadsheet's gives numbers and dates)."""
        if row is not None and type(row) is list and set(map(type, row)) <= {str}:
            return row
        return SheetReader._cells(row)

    columns = (
        "household_key",
        *PERSON_COLUMNS,
        "site_code",
        "shelter_number",
        "consent",
        "consent_given_by",
        "consent_given_by_name",
        "child_view",
    )
    required = ("household_key", "first_name", "gender", "site_code", "consent")
    # (hashtag, attributes it must have, column): the most specific match for a cell wins.
    hxl = (
        ("#household", frozenset({"code"}), "household_key"),
        ("#beneficiary", frozenset({"name", "first"}), "first_name"),
        ("#beneficiary", frozenset({"name", "last"}), "second_name"),
        ("#beneficiary", frozenset({"name", "first", "i_ur"}), "first_name_ur"),
        ("#beneficiary", frozenset({"name", "last", "i_ur"}), "second_name_ur"),
        ("#beneficiary", frozenset({"parentage"}), "parentage_word"),
        ("#beneficiary", frozenset({"name", "parent"}), "parentage_name"),
        ("#beneficiary", frozenset({"name", "parent", "i_ur"}), "parentage_name_ur"),
        ("#beneficiary", frozenset({"gender"}), "gender"),
        ("#date", frozenset({"birth"}), "birthdate"),
        ("#beneficiary", frozenset({"age"}), "age_years"),
        ("#beneficiary", frozenset({"marital"}), "marital_status"),
        ("#beneficiary", frozenset({"relationship"}), "relationship_to_head"),
        ("#contact", frozenset({"phone"}), "phone"),
        ("#beneficiary", frozenset({"id"}), "identity_number"),
        ("#loc", frozenset({"code"}), "site_code"),
        ("#loc", frozenset({"shelter"}), "shelter_number"),
        ("#status", frozenset({"consent"}), "consent"),
        ("#status", frozenset({"consent", "by"}), "consent_given_by"),
        ("#status", frozenset({"consent", "by", "name"}), "consent_given_by_name"),
        ("#status", frozenset({"consent", "child"}), "child_view"),
    )


def hxl_row() -> list[str]:
    """The template's row of hashtags, one per column, in the columns' order."""
    tags = {}
    for hashtag, attributes, column in PersonSheet.hxl:
        tags[column] = hashtag + "".join(f"+{a}" for a in sorted(attributes))
    return [tags[column] for column in PersonSheet.columns]


TEMPLATE_EXAMPLE = {
    "household_key": "HH-1",
    "first_name": "Amina",
    "second_name": "Bibi",
    "first_name_ur": "آمنہ",
    "second_name_ur": "بی بی",
    "parentage_word": "wife_of",
    "parentage_name": "Gul Khan",
    "gender": "Feminine",
    "age_years": "34",
    "marital_status": "Widowed",
    "relationship_to_head": "head",
    "phone": "0300-1234567",
    "site_code": "",
    "shelter_number": "T-12",
    "consent": "yes",
    "consent_given_by": "self",
}


def template_csv() -> str:
    """The downloadable template: the column names, their hashtags, one example row."""
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(PersonSheet.columns)
    writer.writerow(hxl_row())
    writer.writerow([TEMPLATE_EXAMPLE.get(column, "") for column in PersonSheet.columns])
    return out.getvalue()


# --- Reading a file lazily ------------------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"


@contextmanager
def open_rows(binary: IO[bytes], *, xlsx: bool) -> Iterator[Iterator[list[Any]]]:
    """The rows of a stored sheet, read lazily: a CSV reader over the UTF-8 text, or the first worksheet of an
    XLSX workbook in openpyxl's read-only mode (which parses the sheet as it goes)."""
    if xlsx:
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
        except Exception:  # a broken or foreign zip: openpyxl raises many kinds
            raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None
        try:
            yield (list(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
        return
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    yield _decoded(csv.reader(text))


def _decoded(reader) -> Iterator[list[str]]:
    try:
        for row in reader:
            if "\x00" in "".join(row):
                raise ImportFileError(_("This is not a CSV file."))
            yield row
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”.")
        ) from None


def count_rows(binary: IO[bytes], *, xlsx: bool) -> int:
    """About how many rows the file has (for the progress bar), without reading it into memory."""
    if xlsx:
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
            rows = workbook.worksheets[0].max_row or 0
            workbook.close()
        except Exception:
            return 0
        return max(rows - 1, 0)
    lines = 0
    while chunk := binary.read(1 << 20):
        lines += chunk.count(b"\n")
    return max(lines - 1, 0)


# --- Checking a row -------------------------------------------------------------------------------------------


def _choices(*choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """What a cell may say for a choice: its value or its English label, in any case."""
    words: dict[str, str] = {}
    for value, label in choices:
        words[str(value).lower()] = value
        words[str(label).lower()] = value
    return {**words, **(extra or {})}


CHOICES = {
    "gender": _choices(
        *Gender.choices,
        extra={
            "f": Gender.FEMININE,
            "m": Gender.MASCULINE,
            "female": Gender.FEMININE,
            "male": Gender.MASCULINE,
        },
    ),
    "marital_status": _choices(*MaritalStatus.choices),
    "relationship_to_head": _choices(*Relationship.choices),
    "parentage_word": _choices(
        *ParentageWord.choices, extra={"s/o": "son_of", "d/o": "daughter_of", "w/o": "wife_of"}
    ),
    "consent_given_by": _choices(*Consent.GivenBy.choices),
    "child_view": _choices(*Consent.ChildView.choices),
}
YES = {"yes", "y", "given", "true", "1", "ہاں", "جی"}
NO = {"no", "n", "declined", "false", "0", "نہیں"}

# The registration service's field names that differ from the sheet's columns.
SERVICE_COLUMNS = {"given_by": "consent_given_by", "given_by_name": "consent_given_by_name", "__all__": ""}


@dataclass
class CheckedRow:
    """A row that passed every check: the registration's arguments and the household it belongs to."""

    row: int
    household_key: str
    site_code: str
    shelter_number: str
    arguments: dict[str, Any]


# How many distinct cells of one column the checks remember (then they start again: memory stays flat).
MEMO_SIZE = 4096


class _RowForm(PersonForm):
    """The registration form, which remembers what each of its fields made of a cell. A field's ``clean`` is a
    function of the cell alone (its type, length, choices and validators; ``clean()`` checks the fields
    together afterwards, every row), so the same cell gives the same value or the same error, and a column of
    a few distinct values (gender, consent, relationship, ages) is cleaned once per value, not once per row."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.memo: dict[str, dict[Any, tuple[bool, Any]]] = {name: {} for name in self.fields}
        # Fields cleaned as Django cleans them, without the memo: a disabled one, or one with a ``clean_<name>``.
        self.unremembered = {
            name for name, field in self.fields.items() if field.disabled or hasattr(self, f"clean_{name}")
        }
        # Widgets that read their value as ``data.get(name)`` (every one of this form's): read it directly.
        reads_one = (forms.Widget.value_from_datadict, forms.widgets.ChoiceWidget.value_from_datadict)
        self.plain = {
            name: type(field.widget).value_from_datadict in reads_one
            and not getattr(field.widget, "allow_multiple_selected", False)
            for name, field in self.fields.items()
        }

    def _clean_fields(self) -> None:
        data, cleaned = self.data, self.cleaned_data
        for name, field in self.fields.items():
            if name in self.unremembered:  # Django's own path (``BaseForm._clean_fields``)
                bound = self[name]
                try:
                    cleaned[name] = bound.field._clean_bound_field(bound)
                    if hasattr(self, f"clean_{name}"):
                        cleaned[name] = getattr(self, f"clean_{name}")()
                except ValidationError as error:
                    self.add_error(name, error)
                continue
            value = data.get(name) if self.plain[name] else self[name].data
            memo = self.memo[name]
            try:
                found = memo.get(value)
            except TypeError:  # an unhashable cell value: cleaned without the memo
                found, memo = None, {}
            if found is None:
                try:
                    found = (True, field.clean(value))
                except ValidationError as error:
                    found = (False, error)
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[value] = found
            ok, result = found
            if ok:
                cleaned[name] = result
            else:
                self.add_error(name, result)


class RowChecker:
    """Checks rows one at a time with one registration form, bound again for each row (binding a new form per
    row would copy its two dozen fields every time; the form's checks are the same)."""

    def __init__(self) -> None:
        self.form = _RowForm(data={})

    def check(self, row: int, values: dict[str, str]) -> tuple[CheckedRow | None, list[RowError]]:
        errors: list[RowError] = []
        for column in ("household_key", "site_code"):
            if not values[column]:
                errors.append(RowError(row, column, _("is required.")))
        consent = values["consent"].lower()
        if consent in NO:
            errors.append(
                RowError(
                    row, "consent", _("Without consent to registration the person cannot be registered.")
                )
            )
        elif consent not in YES:
            errors.append(
                RowError(row, "consent", _("Write “yes” when the person consented to registration."))
            )
        data = {column: values[column] for column in PERSON_COLUMNS}
        for column in ("consent_given_by", "consent_given_by_name", "child_view"):
            data[column] = values[column]
        data["consent_given_by"] = data["consent_given_by"] or Consent.GivenBy.SELF
        for column, words in CHOICES.items():
            if data[column]:
                data[column] = words.get(data[column].lower(), data[column])
        data["disability"] = "none"
        form = self.form
        form.data, form._errors = data, None  # the form's errors are computed again from the new data
        if not form.is_valid():
            for field, messages in form.errors.items():
                column = "" if field == "__all__" else field
                errors.extend(RowError(row, column, str(message)) for message in messages)
            return None, errors
        if errors:
            return None, errors
        arguments = form.service_arguments()
        arguments.pop("disability")  # the model's default, as the form's initial value
        for name in ("education", "primary_language", "child_status", "caregiver_name", "number_of_children"):
            if not arguments.get(name):
                arguments.pop(name, None)
        return (
            CheckedRow(
                row=row,
                household_key=values["household_key"],
                site_code=values["site_code"],
                shelter_number=values["shelter_number"],
                arguments=arguments,
            ),
            [],
        )


def service_errors(error: ValidationError, row: int) -> list[RowError]:
    """A registration service's refusal, by the sheet's columns."""
    found = []
    for field, messages in error.message_dict.items():
        column = SERVICE_COLUMNS.get(field, field)
        found.extend(RowError(row, column, str(message)) for message in messages)
    return found
