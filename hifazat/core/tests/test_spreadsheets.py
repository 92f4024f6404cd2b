"""Spreadsheet exports: a cell that Excel or LibreOffice would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.test import SimpleTestCase

from hifazat.core import spreadsheets

HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", '=HYPERLINK("http://x")']
HARMLESS = ["Nasreen", "ISB-H11", "+923001234567", "-12.5", "1,5", "ملازمت", "", None, 42]
ROOT = Path(__file__).resolve().parents[2]


class SafeCellTests(SimpleTestCase):
    def test_a_cell_that_would_run_gets_a_single_quote_in_front(self) -> None:
        for value in HOSTILE:
            self.assertEqual(spreadsheets.safe_cell(value), "'" + value, repr(value))

    def test_text_and_plain_numbers_are_left_as_they_are(self) -> None:
        for value in HARMLESS:
            self.assertEqual(spreadsheets.safe_cell(value), value, repr(value))

    def test_both_writers_quote_every_hostile_cell(self) -> None:
        out = io.StringIO()
        spreadsheets.writer(out).writerows([HOSTILE])
        self.assertEqual(next(csv.reader(io.StringIO(out.getvalue()))), ["'" + v for v in HOSTILE])
        out = io.StringIO()
        writer = spreadsheets.DictWriter(out, fieldnames=["name", "code"])
        writer.writeheader()
        writer.writerows([{"name": "=1+1", "code": "@A1"}])
        self.assertEqual(
            list(csv.DictReader(io.StringIO(out.getvalue()))), [{"name": "'=1+1", "code": "'@A1"}]
        )

    def test_a_carriage_return_inside_a_cell_cannot_start_a_row_of_its_own(self) -> None:
        # With "\n" line ends the csv module leaves a bare CR unquoted, and readers end the row there: a name
        # "x\r+923009999999" would add a contact to a RapidPro import.
        hostile = "Nasreen\r+923009999999,Evil"
        out = io.StringIO()
        spreadsheets.writer(out, lineterminator="\n").writerows([["+923001234567", hostile], ["a", "b"]])
        rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
        self.assertEqual(rows, [["+923001234567", hostile], ["a", "b"]])
        out = io.StringIO()
        writer = spreadsheets.DictWriter(out, fieldnames=["tel", "name"], lineterminator="\n")
        writer.writerows([{"tel": "+923001234567", "name": hostile}, {"tel": "1", "name": "b"}])
        rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
        self.assertEqual(rows, [["+923001234567", hostile], ["1", "b"]])

    def test_no_export_writes_csv_without_the_shared_writer(self) -> None:
        for path in ROOT.glob("*/**/*.py"):
            if "tests" in path.parts or path.name == "spreadsheets.py":
                continue
            source = path.read_text(encoding="utf-8")
            # Reading a workbook (openpyxl's load_workbook, an import) is fine; writing one is an export.
            for raw in ("csv.writer(", "csv.DictWriter(", "Workbook("):
                self.assertNotIn(
                    raw, source, f"{path.relative_to(ROOT)} writes a spreadsheet without core.spreadsheets"
                )
